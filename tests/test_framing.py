"""Framing: outlet profiles, loaded terms (lexicon and log-odds), omissions; on a hand-built store and the demo."""
import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date

import pytest
from typer.testing import CliRunner

from storyline import pipeline
from storyline.cli import app
from storyline.cli.commands import demo_corpus
from storyline.errors import StorylineError
from storyline.models import Analysis, Article, Mention, Sentence
from storyline.report import framing
from storyline.settings import Settings
from storyline.store import Store

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"

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


def test_an_outlet_the_directory_does_not_know_stays_unknown(store):
    """Country-code domains (.pl, .ua, .ru) are no evidence of an outlet's country or owner."""
    profiles = {p["outlet"]: p for p in framing.outlet_profiles(store, "s1")}
    alpha = profiles["Alpha Wire"]
    assert alpha["domains"] == ["alpha.example.pl", "www.alpha.example.pl"]
    assert (alpha["country"], alpha["country_code"], alpha["ownership"], alpha["side"]) == (None, None, "unknown",
                                                                                            "unknown")
    assert profiles["Gamma Radio"]["country"] is None and profiles["Delta News"]["country_code"] is None
    assert alpha["state_affiliated"] is None and alpha["matched_by"] is None and alpha["listed_in"] is None
    assert alpha["articles"] == 3 and profiles["Echo Ledger"]["copies"] == 1


def test_real_outlets_get_country_ownership_and_group_from_the_directory(db):
    store = build_store(db, extra_articles=[
        make_article("s1x", "Sputnik Brasil", NEUTRAL, "2014-03-05", "https://noticiabrasil.net.br/20140305/x"),
        make_article("s2x", "SBS News", NEUTRAL + " Seoul.", "2014-03-05", "https://news.sbs.co.kr/news/1"),
        make_article("s3x", "Gazeta.ru (gazeta.press mirror)", NEUTRAL + " Moscow.", "2014-03-05",
                     "https://www.gazeta.press/amp/politics/1"),
        make_article("s4x", "Some Portal", NEUTRAL + " Brasilia.", "2014-03-05", "https://portal.example.com.br/1")])
    profiles = {p["outlet"]: p for p in framing.outlet_profiles(store, "s1")}
    sputnik = profiles["Sputnik Brasil"]  # a .br domain, Russian state media: never "Brazil (inferred)"
    assert (sputnik["country"], sputnik["country_code"], sputnik["ownership"], sputnik["group"]) == (
        "Russia", "RU", "state", "Rossiya Segodnya")
    assert sputnik["state_affiliated"] is True and sputnik["side"] == "state" and sputnik["matched_by"] == "domain"
    sbs = profiles["SBS News"]  # the name is also an alias of Australia's SBS: the domain decides
    assert (sbs["name"], sbs["country_code"], sbs["ownership"]) == ("SBS (South Korea)", "KR", "private")
    gazeta = profiles["Gazeta.ru (gazeta.press mirror)"]  # by the name before the parenthesis
    assert (gazeta["name"], gazeta["matched_by"], gazeta["ownership"]) == ("Gazeta.ru", "name", "state")
    assert profiles["Some Portal"]["country"] is None and profiles["Some Portal"]["ownership"] == "unknown"


def test_user_profiles_override_by_name_and_domain(store, tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("outlets:\n"
                    "  beta times:\n    country: NO\n    state_affiliated: false\n"
                    "  example.ru:\n    country: Freedonia\n    state_affiliated: true\n    notes: state broadcaster\n"
                    "  alpha.example.pl:\n    ownership: public\n    group: Alpha Group\n", encoding="utf-8")
    profiles = {p["outlet"]: p for p in framing.outlet_profiles(store, "s1", framing.load_profiles(path))}
    beta = profiles["Beta Times"]
    assert (beta["country"], beta["country_code"], beta["listed_in"]) == ("Norway", "NO", str(path))
    assert beta["state_affiliated"] is False and beta["matched_by"] == "name"
    assert beta["ownership"] == "unknown" and beta["side"] == "independent"  # not state: public or private unsaid
    delta = profiles["Delta News"]  # a profile for a parent domain covers its hosts; unknown countries kept as given
    assert (delta["country"], delta["country_code"], delta["state_affiliated"]) == ("Freedonia", None, True)
    assert delta["matched_by"] == "domain" and delta["notes"] == "state broadcaster" and delta["ownership"] == "state"
    alpha = profiles["Alpha Wire"]  # a profile without a country gets none: nothing is inferred from .pl
    assert (alpha["ownership"], alpha["group"], alpha["country"]) == ("public", "Alpha Group", None)


def test_bad_profile_file_is_a_clear_error(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("outlets: [not, a, mapping]\n", encoding="utf-8")
    with pytest.raises(StorylineError, match="outlet"):
        framing.load_profiles(path)
    path.write_text("outlets:\n  - name: X\n    ownership: owned\n", encoding="utf-8")
    with pytest.raises(StorylineError, match="ownership must be one of"):
        framing.load_profiles(path)
    with pytest.raises(StorylineError):
        framing.load_profiles(tmp_path / "missing.yaml")


def test_bundled_data_holds_the_directory_and_the_lexicon():
    assert len(framing.load_profiles()) >= 400
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
    assert "Delta News" in result.output and "inferred" not in result.output and "Poland" not in result.output
    assert "State-owned against independent outlets" in result.output
    as_json = runner.invoke(app, ["framing", "s1", "--db", db, "--json"])
    assert json.loads(as_json.output)["omissions"]["needed"] == 3
    listing = runner.invoke(app, ["outlets", "--db", db, "--json"])
    assert {p["outlet"] for p in json.loads(listing.output)} >= {"Alpha Wire", "Gamma Radio"}
    assert {p["ownership"] for p in json.loads(listing.output)} == {"unknown"}
    table = runner.invoke(app, ["outlets", "--db", db])
    assert "ownership" in table.output and "group" in table.output and "unknown" in table.output


# ---------------------------------------------------------------- quotes, credits, comparable articles


def add_story(store, story, articles, analyses=(), entities=(), entity_mentions=(), events=(), event_mentions=(),
              duplicates=None):
    """Articles (with hand-made analyses) as one story of a store, with the given entities and events."""
    store.add_articles([(a, None) for a in articles])
    store.save_analyses([(analysis, {"names": "[]", "words": "[]", "minhash": b"", "paragraphs": []})
                         for analysis in analyses])
    store.set_story_assignments({a.id: story for a in articles})
    if duplicates:
        store.set_duplicates(duplicates)
    store.replace_results(
        stories=[{"id": story, "title": story, "first_seen": "2014-05-01", "last_seen": "2014-05-20",
                  "size": len(articles), "updated_at": "2014-05-21T00:00:00+00:00"}],
        entities=list(entities), entity_mentions=list(entity_mentions), events=list(events),
        event_mentions=list(event_mentions), claims=[], conflicts=[], changes=[])
    return store


def sentences_of(article_id, text, people=()):
    """An analysis: one sentence per '. '-ended piece, and the given names as PERSON mentions."""
    spans, start = [], 0
    for piece in text.split(". "):
        end = start + len(piece) + (1 if start + len(piece) < len(text) else 0)
        spans.append(Sentence(len(spans), start, end, text[start:end]))
        start = end + 1
    mentions = []
    for name in people:
        at = text.index(name)
        index = next(s.index for s in spans if s.start <= at < s.end)
        mentions.append(Mention(at, at + len(name), name, "PERSON", index))
    return Analysis(article_id, tuple(spans), tuple(mentions))


def test_a_quoted_loaded_term_is_whom_the_outlet_quotes(db):
    kilo = "Pavel Vrastek called the offensive a \u201cliberation\u201d of the region. The offensive went on."
    lima = "The liberation of the region was complete, the army said. Officials discussed the agenda."
    mike = 'Troops continued the "liberation" of villages. Officials discussed the agenda.'
    articles = [make_article("k1", "Kilo Post", kilo, "2014-05-01", "https://kilo.example/1"),
                make_article("l1", "Lima Times", lima, "2014-05-01", "https://lima.example/1"),
                make_article("m1", "Mike Daily", mike, "2014-05-01", "https://mike.example/1")]
    store = add_story(Store(db), "s2", articles, [sentences_of("k1", kilo, ["Pavel Vrastek"]),
                                                  sentences_of("l1", lima), sentences_of("m1", mike)])
    outlets = framing.loaded_terms(store, "s2")["outlets"]
    assert outlets["Kilo Post"]["hits"] == 0 and outlets["Kilo Post"]["terms"] == []  # not the outlet's own word
    [quoted] = outlets["Kilo Post"]["quoted"]
    assert (quoted["term"], quoted["forms"], quoted["speakers"], quoted["unattributed"]) == (
        "liberat*", ["liberation"], ["Pavel Vrastek"], 0)
    assert quoted["examples"][0]["article"] == "k1"
    assert outlets["Lima Times"]["hits"] == 1 and outlets["Lima Times"]["terms"][0]["term"] == "liberat*"
    [scare] = outlets["Mike Daily"]["quoted"]  # in quotation marks, nobody named: still not the outlet's own
    assert scare["speakers"] == [] and scare["unattributed"] == 1 and outlets["Mike Daily"]["hits"] == 0


CREDITS = " ".join(f"Troops moved the convoy to post {n} (Photo: Reuters/Jane Doe). Getty Images showed the convoy. "
                   f"All rights reserved by the agency. Read more about the border crossing here."
                   for n in range(8))


def test_credits_bylines_and_boilerplate_are_nobodys_words(db):
    articles = [make_article("n1", "November Wire", "By Jane Doe. " + CREDITS + " " + NEUTRAL, "2014-05-01",
                             "https://november.example/1"),
                make_article("o1", "Oscar Times", "Envoys spoke at length. " + NEUTRAL + " " + NEUTRAL, "2014-05-01",
                             "https://oscar.example/1"),
                make_article("p1", "Papa Post", "Envoys spoke briefly. " + NEUTRAL + " " + NEUTRAL, "2014-05-01",
                             "https://papa.example/1")]
    store = add_story(Store(db), "s2", articles)
    terms = {t["term"] for t in framing.distinctive_terms(store, "s2")["outlets"]["November Wire"]["terms"]}
    assert "convoy" in terms  # the outlet's own words still stand out
    furniture = {"photo", "reuters", "jane", "doe", "getty", "image", "images", "right", "rights", "reserved", "read",
                 "more", "border crossing", "crossing"}
    assert not {w for term in terms for w in [term, *term.split()]} & furniture, terms
    spans = framing.furniture_spans("The envoy arrived (Photo: Reuters/Jane Doe), officials said. Read more here")
    assert len(spans) == 2


def long_report(name, extra=""):
    return f"{name} met the envoys in Saltmere. " + extra + NEUTRAL


def test_omissions_only_against_articles_of_similar_length_and_date(db):
    articles = [make_article("p1", "Papa News", long_report("Anna Ivanova"), "2014-05-01", "https://papa.example/1"),
                make_article("q1", "Quebec Times", long_report("Anna Ivanova"), "2014-05-01", "https://q.example/1"),
                make_article("r1", "Romeo Wire", long_report("Anna Ivanova"), "2014-05-02", "https://r.example/1"),
                # a 1,500-character excerpt of the same day: it may only have been cut before her name
                make_article("s1", "Sierra Post", NEUTRAL[:1500], "2014-05-01", "https://sierra.example/1"),
                # a full article, but eighteen days later
                make_article("t1", "Tango Daily", long_report("Someone Else"), "2014-05-20", "https://t.example/1"),
                # a full article the next day: leaving her out is an omission
                make_article("u1", "Uniform Herald", long_report("Someone Else"), "2014-05-02", "https://u.example/1")]
    reports = [a for a in articles if a.id in ("p1", "q1", "r1")]
    store = add_story(
        Store(db), "s2", articles,
        entities=[{"id": "e-anna", "name": "Anna Ivanova", "type": "PERSON", "affiliation": None,
                   "affiliation_inferred": True, "external_id": None, "aliases": "[]", "roles": "[]",
                   "mention_count": 3, "article_count": 3}],
        entity_mentions=mention_rows("e-anna", reports, "Anna Ivanova"),
        events=[event_row("ev1", "meeting", "2014-05-01", "Saltmere", ["Anna Ivanova"], 3, "Ivanova meets envoys",
                          story="s2")],
        event_mentions=[{"event_id": "ev1", "article_id": a.id, "sentence": 0, "text": "met", "date_text": "",
                         "status": "happened", "attribution": ""} for a in reports])
    result = framing.omissions(store, "s2", share=0.4)
    assert result["needed"] == 3 and result["window_days"] == 3 and result["length_ratio"] == 0.75
    facts = {f["id"]: f for f in result["facts"]}
    for fact in (facts["ev1"], facts["e-anna"]):
        assert fact["missing"] == ["Uniform Herald"], fact
        assert fact["not_comparable"] == ["Sierra Post", "Tango Daily"]
    assert [i["id"] for i in result["by_outlet"]["Uniform Herald"]] == ["ev1", "e-anna"]
    assert result["by_outlet"]["Sierra Post"] == [] and result["by_outlet"]["Tango Daily"] == []


# ---------------------------------------------------------------- state-owned against independent


def sides_store(db):
    """RT and TASS (state), Reuters (private), BBC News (public), and an unknown outlet copying Reuters."""
    state = "Russian troops continued the special military operation and the liberation of the region. "
    free = "The invasion continued, officials said. "
    articles = [make_article("rt1", "RT", state + NEUTRAL, "2014-05-01", "https://www.rt.com/news/1"),
                make_article("ta1", "TASS", state + "The envoys met. " + NEUTRAL, "2014-05-02", "https://tass.com/2"),
                make_article("re1", "Reuters", free + NEUTRAL, "2014-05-01", "https://www.reuters.com/world/1"),
                make_article("bb1", "BBC News", free + "A ceasefire was discussed. " + NEUTRAL, "2014-05-02",
                             "https://www.bbc.co.uk/news/1"),
                make_article("hw1", "Harbour Wire", free + NEUTRAL + " Wire.", "2014-05-02",
                             "https://harbourwire.example/1")]
    mentions = {"ev-a": ["rt1", "ta1"], "ev-b": ["re1", "bb1"], "ev-c": ["rt1", "re1"], "ev-d": ["ta1", "bb1"]}
    return add_story(
        Store(db), "s3", articles, duplicates={"hw1": ("re1", 0.98)},
        events=[event_row("ev-a", "statement", "2014-05-01", None, [], 2, "Moscow claims a village", story="s3"),
                event_row("ev-b", "meeting", "2014-05-02", "Saltmere", [], 2, "Envoys meet in Saltmere", story="s3"),
                event_row("ev-c", "call", "2014-05-01", None, [], 2, "Leaders speak by phone", story="s3"),
                event_row("ev-d", "visit", None, None, [], 2, "An undated visit", story="s3")],
        event_mentions=[{"event_id": e, "article_id": a, "sentence": 0, "text": "x", "date_text": "",
                         "status": "happened", "attribution": ""} for e, ids in mentions.items() for a in ids])


def test_state_owned_against_independent_outlets(db):
    store = sides_store(db)
    result = framing.framing(store, "s3")
    compared = result["sides"]
    assert compared["compared"] and compared["unknown"] == ["Harbour Wire"]
    assert compared["state"]["outlets"] == ["RT", "TASS"] and compared["independent"]["outlets"] == ["BBC News",
                                                                                                    "Reuters"]
    only_state = {t["term"]: t for t in compared["terms_only"]["state"]}
    assert set(only_state) == {"special military operation", "liberat*"}
    assert only_state["liberat*"]["count"] == 2 and only_state["liberat*"]["outlets"] == ["RT", "TASS"]
    assert [t["term"] for t in compared["terms_only"]["independent"]] == ["invasion"]
    assert compared["independent"]["hits"] == 2  # the copy (Harbour Wire) is no voice of its own
    events = compared["events"]
    assert [e["id"] for e in events["state"]] == ["ev-a"] and [e["id"] for e in events["independent"]] == ["ev-b"]
    assert [e["id"] for e in events["both"]] == ["ev-c"]  # the undated ev-d is left out
    assert events["both"][0]["state_outlets"] == ["RT"] and events["both"][0]["independent_outlets"] == ["Reuters"]
    json.dumps(result)


def test_coverage_by_country_and_ownership_folds_copies(db):
    from storyline.report import outlets as outlet_report

    store = sides_store(db)
    covered = outlet_report.coverage(store, "s3")
    assert (covered["articles"], covered["copies"], covered["outlets"], covered["known_ownership"]) == (4, 1, 5, 4)
    ownership = {s["key"]: s for s in covered["by_ownership"]}
    assert [s["key"] for s in covered["by_ownership"]] == ["state", "public", "private"]  # no unknown report left
    assert ownership["state"]["articles"] == 2 and ownership["state"]["share"] == 50.0
    assert ownership["private"]["articles"] == 1 and ownership["private"]["copies"] == 1  # Harbour Wire's copy
    assert ownership["private"]["outlets"] == ["Reuters"] and ownership["public"]["outlets"] == ["BBC News"]
    countries = {s["key"]: (s["label"], s["articles"]) for s in covered["by_country"]}
    assert countries == {"RU": ("Russia", 2), "GB": ("United Kingdom", 2)}
    bar = ET.fromstring(outlet_report.bar_svg(covered["by_ownership"], "By <ownership>"))
    texts = ["".join(t.itertext()) for t in bar.iter(f"{SVG}text")]
    assert "State-owned 2" in texts and "Private 1" in texts  # every segment says what it is, not colour alone
    tips = ["".join(t.itertext()) for t in bar.iter(f"{SVG}title")]
    assert tips[0] == "By <ownership>" and any("Reuters" in tip and "1 copy folded in" in tip for tip in tips)


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
def test_demo_russian_outlet_names_the_negotiators_too(demo_store):
    result = framing.omissions(demo_store, main_story(demo_store))
    facts = {f["label"]: f for f in result["facts"]}
    assert "Pribrezhny Vestnik" in result["outlets"]  # d06 belongs to the talks (answer key)
    for name in ("Mirela Dunca", "Pavel Vrastek", "Tomas Ebbing"):
        assert facts[name]["missing"] == []


@pytest.mark.slow
def test_the_demo_timeline_shows_no_untranslated_participant(demo_store):
    """The Russian article's "Вальдория" is the place Valdoria, and "Кестланда Томас Эббинг" is Tomas Ebbing:
    no participant of the demo's events is written in Cyrillic when the corpus writes it in Latin letters."""
    from storyline.read import queries  # defer: as main_story

    events = queries.timeline(demo_store, story=main_story(demo_store), limit=500)
    participants = {p for e in events for p in e.participants}
    assert participants and not [p for p in participants if any("\u0400" <= ch <= "\u04ff" for ch in p)]
