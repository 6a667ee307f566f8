"""Framing: outlet profiles, loaded terms (lexicon and log-odds), omissions; on a hand-built store and the demo."""
import hashlib
import json
from collections import Counter
from datetime import date

import pytest
from typer.testing import CliRunner

from storyline import pipeline
from storyline.cli import app
from storyline.cli.commands import demo_corpus
from storyline.errors import StorylineError
from storyline.models import Article
from storyline.report import framing
from storyline.settings import Settings
from storyline.store import Store

runner = CliRunner()

# ---------------------------------------------------------------- a hand-built store

# Shared, neutral reporting, so that the outlets' own words stand out against a realistic amount of text.
NEUTRAL_WORDS = ("agenda schedule session document proposal border commission detainee exchange monitor observer "
                 "minister spokesman capital statement reporter framework ceasefire region frontier artillery "
                 "withdrawal mediator delegation sequence protocol timetable verification corridor").split()
NEUTRAL = " ".join(f"Officials discussed the {word} in detail." for word in NEUTRAL_WORDS * 3)
BREACHES = " ".join(f"Monitors logged a truce breach at post {n}." for n in range(6))

ALPHA = ("The regime sent so-called negotiators to Saltmere, where Mirela Dunca waited. "
         "The terrorists shelled the villages again, and the regime denied it. " + BREACHES + " " + NEUTRAL)
ALPHA_2 = ("Officials counted forty delegates in the hall. Critics said the regime never wanted talks. "
           "Mirela Dunca listened. " + BREACHES + " " + NEUTRAL)
ALPHA_3 = "The plan now has nine points. Mirela Dunca spoke to monitors. " + BREACHES + " " + NEUTRAL
BETA = ("Delegations met in Saltmere on Monday. Mirela Dunca led her side and the envoy chaired the session. "
        "About twenty-five delegates attended, officials said. The talks were calm and businesslike. " + NEUTRAL)
BETA_2 = ("The envoy said the plan had twelve points. The talks will resume next week. "
          "Delegations described the session as useful. " + NEUTRAL)
GAMMA = ("Окупанти знову обстріляли села. Учасники спеціальної військової операції, як її називають окупанти, "
         "не дійшли згоди. Мирела Дунка провела зустріч у Солтмірі.")
DELTA = ("Так называемых переговорщиков встретили холодно. Участники СВО заявили о прогрессе. "
         "Специальной военной операции ничто не угрожает, сообщил источник.")


def make_article(article_id, outlet, text, published, url, language="en", title=None):
    return Article(id=article_id, text=text, original=text, offsets=((0, 0, len(text)),),
                   title=title or text.split(".")[0][:60], url=url, outlet=outlet,
                   published=date.fromisoformat(published) if published else None, language=language,
                   fingerprint=hashlib.sha1(text.encode()).hexdigest())


def mention_rows(entity_id, articles, name):
    rows = []
    for article in articles:
        start = article.text.find(name)
        if start >= 0:
            rows.append({"entity_id": entity_id, "article_id": article.id, "start": start,
                         "end": start + len(name), "text": name, "sentence": 0})
    return rows


def event_row(event_id, kind, first, place, participants, sources, summary, story="s1", last=None):
    return {"id": event_id, "type": kind, "plover": "", "first": first, "last": last or first, "status": "happened",
            "place": place, "participants": json.dumps(participants), "participant_ids": json.dumps([]),
            "parties": "[]", "summary": summary, "independent_sources": sources, "story": story}


def build_store(db, extra_articles=(), hostile=False):
    """Four outlets (one with a syndicated copy) on one story, with events, claims and a conflict."""
    store = Store(db)
    articles = [
        make_article("a1", "Alpha Wire", ALPHA, "2014-03-03", "https://alpha.example.pl/1"),
        make_article("a2", "Alpha Wire", ALPHA_2, "2014-03-04", "https://alpha.example.pl/2"),
        make_article("a3", "Alpha Wire", ALPHA_3, "2014-03-13", "https://www.alpha.example.pl/3"),
        make_article("b1", "Beta Times", BETA, "2014-03-03", "https://beta-times.example.com/b1"),
        make_article("b2", "Beta Times", BETA_2, "2014-03-12", "https://beta-times.example.com/b2"),
        make_article("e1", "Echo Ledger", ALPHA_2 + " Wire copy.", "2014-03-04", "http://echo.example.org/e1"),
        make_article("g1", "Gamma Radio", GAMMA, "2014-03-04", "https://radio.gamma.example.ua/g1", "uk"),
        make_article("d1", "Delta News", DELTA, "2014-03-05", "https://delta.example.ru/d1", "ru"),
        *extra_articles,
    ]
    store.add_articles([(a, None) for a in articles])
    store.set_story_assignments({a.id: "s1" for a in articles})
    store.set_duplicates({"e1": ("a2", 0.97)})
    by_id = {a.id: a for a in articles}
    story_articles = [by_id[i] for i in ("a1", "a2", "a3", "b1", "e1", "g1")]
    store.replace_results(
        stories=[{"id": "s1", "title": "Saltmere talks", "first_seen": "2014-03-03", "last_seen": "2014-03-13",
                  "size": len(articles), "updated_at": "2014-03-14T00:00:00+00:00"}],
        entities=[{"id": "e-dunca", "name": "Mirela Dunca", "type": "PERSON", "affiliation": "Valdoria",
                   "affiliation_inferred": True, "external_id": None,
                   "aliases": json.dumps(["Mirela Dunca", "Мирела Дунка"]),
                   "roles": json.dumps([{"role": "chief negotiator", "article": "b1"}]),
                   "mention_count": 5, "article_count": 5},
                  {"id": "e-salt", "name": "Saltmere", "type": "PLACE", "affiliation": None,
                   "affiliation_inferred": True, "external_id": None, "aliases": "[]", "roles": "[]",
                   "mention_count": 2, "article_count": 2}],
        entity_mentions=(mention_rows("e-dunca", story_articles, "Mirela Dunca")
                         + mention_rows("e-dunca", [by_id["g1"]], "Мирела Дунка")
                         + mention_rows("e-salt", [by_id["a1"], by_id["b1"]], "Saltmere")),
        events=[event_row("v1", "meeting", "2014-03-03", "Saltmere", ["Mirela Dunca"], 3, "First round in Saltmere"),
                event_row("v2", "statement", "2014-03-04", None, ["Mirela Dunca"], 1, "Dunca says the plan is a start"),
                event_row("v3", "meeting", "2014-03-12", "Norrholm", [], 3, "Second round in Norrholm",
                          last="2014-03-13")],
        event_mentions=[{"event_id": "v1", "article_id": a, "sentence": 0, "text": f"Round one ({a}).",
                         "date_text": "", "status": "happened", "attribution": ""} for a in ("a1", "b1", "g1")]
        + [{"event_id": "v2", "article_id": "a2", "sentence": 1, "text": "Dunca said it was a start.",
            "date_text": "", "status": "happened", "attribution": ""}]
        + [{"event_id": "v3", "article_id": a, "sentence": 0, "text": f"Round two ({a}).", "date_text": "",
            "status": "happened", "attribution": ""} for a in ("a3", "b2", "g1")],
        claims=[{"id": "c1", "subject": "v1", "attribute": "place", "value": "Saltmere", "status": "corroborated",
                 "articles": json.dumps(["a1", "b1"]), "sentences": "[]", "story": "s1"},
                {"id": "c2", "subject": "v2", "attribute": "date", "value": "2014-03-04", "status": "single_source",
                 "articles": json.dumps(["a2"]),
                 "sentences": json.dumps([{"article": "a2", "sentence": 1, "text": "Dunca said it was a start."}]),
                 "story": "s1"},
                {"id": "c3", "subject": "story:s1", "attribute": "delegates", "value": "40", "status": "contested",
                 "articles": json.dumps(["a2", "e1"]),
                 "sentences": json.dumps([{"article": "a2", "sentence": 0,
                                           "text": "Officials counted forty delegates in the hall."}]),
                 "story": "s1"},
                {"id": "c4", "subject": "story:s1", "attribute": "delegates", "value": "25", "status": "contested",
                 "articles": json.dumps(["b1"]),
                 "sentences": json.dumps([{"article": "b1", "sentence": 2,
                                           "text": "About twenty-five delegates attended, officials said."}]),
                 "story": "s1"},
                {"id": "c5", "subject": "story:s1", "attribute": "plan_points", "value": "12", "status": "superseded",
                 "articles": json.dumps(["b2"]), "sentences": "[]", "story": "s1"},
                {"id": "c6", "subject": "story:s1", "attribute": "plan_points", "value": "9",
                 "status": "single_source", "articles": json.dumps(["a3"]), "sentences": "[]", "story": "s1"}],
        conflicts=[{"id": "k1", "topic": "number of delegates", "subject": "story:s1", "attribute": "delegates",
                    "values": json.dumps([{"value": "40", "articles": ["a2", "e1"]},
                                          {"value": "25", "articles": ["b1"]}]), "story": "s1", "note": ""}],
        changes=[])
    return store


@pytest.fixture
def store(db):
    return build_store(db)


# ---------------------------------------------------------------- profiles


def test_country_is_inferred_from_country_code_domains(store):
    profiles = {p["outlet"]: p for p in framing.outlet_profiles(store, "s1")}
    assert profiles["Alpha Wire"]["country"] == "Poland" and profiles["Alpha Wire"]["country_inferred"]
    assert profiles["Alpha Wire"]["domains"] == ["alpha.example.pl", "www.alpha.example.pl"]
    assert profiles["Gamma Radio"]["country_code"] == "UA" and profiles["Delta News"]["country_code"] == "RU"
    # generic top-level domains say nothing about a country; state affiliation stays unknown
    assert profiles["Beta Times"]["country"] is None and profiles["Beta Times"]["country_source"] is None
    assert profiles["Alpha Wire"]["state_affiliated"] is None
    assert profiles["Alpha Wire"]["articles"] == 3 and profiles["Echo Ledger"]["copies"] == 1


@pytest.mark.parametrize("url, code", [
    ("https://news.example.com.ua/x", "UA"), ("https://www.example.co.uk/a", "GB"), ("https://example.net.br/", "BR"),
    ("https://www.example.com:443/a", None), ("https://example.io/", None), ("not a url", None), (None, None),
])
def test_tld_country(url, code):
    assert framing.tld_country(framing.host(url))[1] == code


def test_user_profiles_override_by_name_and_domain(store, tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("outlets:\n"
                    "  beta times:\n    country: NO\n    state_affiliated: false\n"
                    "  example.ru:\n    country: Freedonia\n    state_affiliated: true\n    notes: state broadcaster\n"
                    "  alpha.example.pl:\n    state_affiliated: false\n", encoding="utf-8")
    profiles = {p["outlet"]: p for p in framing.outlet_profiles(store, "s1", framing.load_profiles(path))}
    beta = profiles["Beta Times"]
    assert (beta["country"], beta["country_code"], beta["country_source"]) == ("Norway", "NO", "profile")
    assert beta["state_affiliated"] is False and beta["matched_by"] == "name"
    delta = profiles["Delta News"]  # a profile for a parent domain covers its hosts; unknown countries kept as given
    assert (delta["country"], delta["country_code"], delta["state_affiliated"]) == ("Freedonia", None, True)
    assert delta["matched_by"] == "domain" and delta["notes"] == "state broadcaster"
    alpha = profiles["Alpha Wire"]  # a profile without a country still gets the inferred one
    assert alpha["state_affiliated"] is False and alpha["country"] == "Poland" and alpha["country_inferred"]


def test_bad_profile_file_is_a_clear_error(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("outlets: [not, a, mapping]\n", encoding="utf-8")
    with pytest.raises(StorylineError, match="outlets"):
        framing.load_profiles(path)
    with pytest.raises(StorylineError):
        framing.load_profiles(tmp_path / "missing.yaml")


def test_bundled_data_names_no_outlet():
    profiles = framing.load_profiles()
    assert profiles["outlets"] == {}
    lexicon = framing.load_lexicon()
    assert {"en", "ru", "uk"} <= {lang for entry in lexicon.values() for lang in entry if lang != "description"}


# ---------------------------------------------------------------- loaded terms: the lexicon


def test_lexicon_terms_per_outlet_in_three_languages(store):
    result = framing.loaded_terms(store, "s1")
    outlets = result["outlets"]
    alpha = {t["term"]: t for t in outlets["Alpha Wire"]["terms"]}
    assert alpha["regime"]["count"] == 3 and alpha["regime"]["category"] == "delegitimising"
    assert alpha["terrorist*"]["forms"] == ["terrorists"]
    assert alpha["so-called"]["count"] == 1
    example = alpha["terrorist*"]["examples"][0]
    assert example["article"] == "a1" and "terrorists shelled" in example["text"]
    assert example["text"][example["start"]:example["end"]] == "terrorists"
    gamma = {t["term"]: t for t in outlets["Gamma Radio"]["terms"]}  # Ukrainian, inflected forms by lemma
    assert gamma["окупант*"]["count"] == 2 and gamma["спеціальна військова операція"]["count"] == 1
    delta = {t["term"]: t for t in outlets["Delta News"]["terms"]}  # Russian: phrase, abbreviation, "so-called"
    assert delta["СВО"]["count"] == 1 and delta["специальная военная операция"]["count"] == 1
    assert delta["так называемый"]["count"] == 1
    assert outlets["Beta Times"]["hits"] == 0
    # a syndicated copy is not counted: its words are the original outlet's
    assert "Echo Ledger" not in outlets
    # rates per 1,000 words against the story's: the short Russian piece is the most loaded
    rate = {name: o["vs_story"] for name, o in outlets.items()}
    assert rate["Delta News"] > 1 > rate["Alpha Wire"] > 0 == rate["Beta Times"]


def test_user_lexicon_replaces_a_category(store, tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("lexicon:\n  calm:\n    description: calm words\n    en: [businesslike, \"calm*\"]\n",
                    encoding="utf-8")
    outlets = framing.loaded_terms(store, "s1", framing.load_lexicon(path))["outlets"]
    beta = {t["term"]: t["count"] for t in outlets["Beta Times"]["terms"]}
    assert beta == {"businesslike": 1, "calm*": 1}


# ---------------------------------------------------------------- loaded terms: log-odds


def test_log_odds_ranks_frequent_outlet_words_first():
    focus = Counter({"truce": 10, "talks": 5, "breach": 2})
    rest = Counter({"talks": 20, "calm": 8})
    prior = focus + rest
    scores = framing.log_odds(focus, rest, prior, prior_scale=100)
    assert scores["truce"][1] > scores["breach"][1] > 0  # more evidence, higher z
    assert scores["talks"][0] < 0.5  # shared word: small log-odds ratio
    flipped = framing.log_odds(rest, focus, prior, prior_scale=100)
    assert flipped["talks"][0] == pytest.approx(-scores["talks"][0])  # symmetric
    assert framing.log_odds(Counter(), rest, prior) == {}


def test_distinctive_terms_within_a_language(store):
    result = framing.distinctive_terms(store, "s1")
    alpha = result["outlets"]["Alpha Wire"]
    terms = {t["term"]: t for t in alpha["terms"]}
    assert "truce breach" in terms and terms["truce breach"]["count"] == 18 and terms["truce breach"]["rest_count"] == 0
    assert terms["truce breach"]["z"] >= 1.96
    assert {e["article"] for e in terms["truce breach"]["examples"]} <= {"a1", "a2", "a3"}
    assert alpha["compared"] == {"en": ["Beta Times"]}  # the copy (Echo Ledger) is not a voice of its own
    assert "mirela" not in terms and "dunca" not in terms  # names are masked
    # one outlet per language: nothing to compare with
    assert result["outlets"]["Gamma Radio"]["not_compared"] == ["uk"]
    assert result["outlets"]["Delta News"]["terms"] == []


# ---------------------------------------------------------------- omissions


def test_omissions_only_fault_outlets_that_covered_the_story_later(store):
    result = framing.omissions(store, "s1")
    assert result["needed"] == 3  # more than half of five outlets
    facts = {f["id"]: f for f in result["facts"]}
    first = facts["v1"]
    assert first["outlets"] == ["Alpha Wire", "Beta Times", "Gamma Radio"]
    assert first["missing"] == ["Delta News", "Echo Ledger"]
    assert first["other_language"] == ["Delta News"]  # Russian, against English and Ukrainian reports
    second = facts["v3"]  # Delta and Echo published nothing after 2014-03-12: not an omission
    assert second["missing"] == [] and second["not_yet_covering"] == ["Delta News", "Echo Ledger"]
    assert "v2" not in facts  # single source: not a fact most outlets report
    dunca = facts["e-dunca"]  # named by Alpha (and its copy), Beta, Gamma
    assert dunca["kind"] == "entity" and dunca["missing"] == ["Delta News"]
    assert [i["id"] for i in result["by_outlet"]["Delta News"]] == ["v1", "e-dunca"]
    assert result["by_outlet"]["Alpha Wire"] == []


def test_framing_bundles_everything(store):
    result = framing.framing(store, "s1")
    assert set(result) >= {"profiles", "loaded_terms", "distinctive_terms", "omissions"}
    json.dumps(result)  # plain data


def test_cli_framing_and_outlets(store, db):
    result = runner.invoke(app, ["framing", "s1", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Alpha Wire" in result.output and "truce breach" in result.output and "regime" in result.output
    assert "Delta News" in result.output and "Poland (inferred)" in result.output
    as_json = runner.invoke(app, ["framing", "s1", "--db", db, "--json"])
    assert json.loads(as_json.output)["omissions"]["needed"] == 3
    listing = runner.invoke(app, ["outlets", "--db", db, "--json"])
    assert {p["outlet"] for p in json.loads(listing.output)} >= {"Alpha Wire", "Gamma Radio"}


# ---------------------------------------------------------------- the demo corpus


@pytest.fixture(scope="module")
def demo_store(new_db):
    db = new_db("framing-demo")
    store = Store(db)
    ingested, _ = pipeline.run([str(demo_corpus())], store, Settings(db=db))
    assert not ingested.errors
    return store


def main_story(store):
    from storyline.read import queries

    return next(s["id"] for s in queries.list_stories(store)
                if "d01" in {a["id"] for a in queries.get_story(store, s["id"])["articles"]})


@pytest.mark.slow
def test_demo_profiles_and_neutral_vocabulary(demo_store):
    story = main_story(demo_store)
    result = framing.framing(demo_store, story)
    outlets = {p["outlet"]: p for p in result["profiles"]}
    assert {"Harbour Wire", "Harbour Times", "Coastline Herald", "Evening Ledger"} <= set(outlets)
    # the fictional outlets use the reserved .example domain: no country can be inferred
    assert all(p["country"] is None for p in outlets.values())
    assert outlets["Coastline Herald"]["domains"] == ["coastlineherald.example", "m.coastlineherald.example"]
    # the demo's reporting is neutral: no term of the lexicon occurs
    assert all(o["hits"] == 0 for o in result["loaded_terms"]["outlets"].values())
    # copies are no voice of their own: d04 (Evening Ledger) and d15 (Coastline Herald) are skipped
    assert result["loaded_terms"]["outlets"]["Evening Ledger"]["articles"] == 2


@pytest.mark.slow
def test_demo_omissions(demo_store):
    story = main_story(demo_store)
    result = framing.omissions(demo_store, story)
    facts = {f["label"]: f for f in result["facts"]}
    # every English-language outlet names the three negotiators: none of them leaves one out
    english = {"Harbour Wire", "Harbour Times", "Coastline Herald", "Evening Ledger"}
    for name in ("Mirela Dunca", "Pavel Vrastek", "Tomas Ebbing"):
        assert english <= set(facts[name]["outlets"]) and not english & set(facts[name]["missing"])
    # the first round in Saltmere (2014-03-03) is a fact most outlets report
    first = [f for f in result["facts"] if f["kind"] == "event" and f["date"] == "2014-03-03"]
    assert first and set(first[0]["outlets"]) >= {"Harbour Wire", "Coastline Herald"}
    assert len(first[0]["outlets"]) >= result["needed"] >= 3
    # an outlet is only faulted for what happened before its last article on the story
    for fact in result["facts"]:
        assert not set(fact["missing"]) & set(fact["outlets"])


@pytest.mark.slow
@pytest.mark.xfail(reason="needs cross-script resolution of the Russian article's names (d06)", strict=False)
def test_demo_russian_outlet_names_the_negotiators_too(demo_store):
    result = framing.omissions(demo_store, main_story(demo_store))
    facts = {f["label"]: f for f in result["facts"]}
    assert "Pribrezhny Vestnik" in result["outlets"]  # d06 belongs to the talks (answer key)
    for name in ("Mirela Dunca", "Pavel Vrastek", "Tomas Ebbing"):
        assert facts[name]["missing"] == []
