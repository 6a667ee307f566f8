"""Names in scripts read by sound (common/romanise.py, corpus/scan.py's scan_sounds, the gazetteer's script names).

The people and places here are made up: a leader "Lan Qiuyue" (蓝秋月 in pinyin), a minister "Brandorf"
(ブランドルフ in katakana), a town "Hanbyeol" (한별 in Hangul).
"""
from __future__ import annotations

import time

from storyline import lang
from storyline.common.gazetteer import gazetteer, script_form
from storyline.common.romanise import (
    has_sound_script,
    romanise,
    script_of,
    semitic_skeleton,
    skeleton,
    sound,
    strip_prefixes,
    units,
)
from storyline.corpus.resolve import Resolution
from storyline.corpus.scan import KnownNames, scan_article
from storyline.models import Analysis, Article, Entity, EntityMentionRef, Sentence


def test_each_script_romanises_with_its_library():
    assert romanise("蓝秋月", "zh") == "lanqiuyue"
    assert romanise("ブランドルフ", "ja") == "burandorufu"
    assert romanise("한별", "ko") == "hanbyeol"
    assert [script_of(c) for c in "蓝ブ한بשaя1"] == ["han", "kana", "hangul", "arabic", "hebrew", "latin",
                                                    "cyrillic", ""]
    assert has_sound_script("a 蓝") and not has_sound_script("Brandorf and Кирило")


def test_transliterations_share_a_skeleton():
    assert skeleton("Brandorf") == skeleton("burandorufu") == skeleton("beulandoleupeu") == "PRNTRP"
    assert semitic_skeleton("براندورف") == semitic_skeleton("בראנדורף") == "PRNTRP"
    # a run of syllables keeps each consonant: it does not shrink to a shorter name's skeleton
    assert skeleton("xijishuang") != skeleton("xijin")
    assert sound("toukyou") == sound("Tokyo")


def test_units_keep_offsets_and_written_words():
    text = "报道：蓝秋月与ブランドルフ会谈。한별에서 회의"
    pieces = units(text, "zh")
    assert all(text[u.start:u.end] == u.text for u in pieces)
    assert [u.roman for u in pieces if u.script == "hangul"][:2] == ["han", "byeol"]
    assert [u.word_start for u in pieces if u.script == "hangul"][:3] == [True, False, False]
    assert {"والصين", "الصين", "صين"} <= set(strip_prefixes("والصين", "arabic"))


def test_the_language_files_name_their_romaniser():
    assert {c: lang.get(c).romaniser for c in ("zh", "ja", "ko", "ar", "he")} == {
        "zh": "pinyin", "ja": "kakasi", "ko": "hangul", "ar": "skeleton", "he": "skeleton"}
    assert lang.get("ko").script == "hangul" and lang.get("zh").parser == "rules"


def test_the_gazetteer_knows_countries_and_capitals_in_these_scripts():
    gaz = gazetteer()
    for name, expected in (("美國", "United States"), ("米国", "United States"), ("미국", "United States"),
                           ("الصين", "China"), ("סין", "China"), ("東京", "Tokyo")):
        place = gaz.script_place(script_form(name))
        assert place is not None and place.name == expected, name
    assert gaz.lookup("日本").name == "Japan"


def _entity(eid: str, name: str, type_: str, articles: list[str]) -> Entity:
    return Entity(eid, name, type_, [name], [EntityMentionRef(a, name, 0, len(name)) for a in articles])


def _scan(text: str, language: str, entities: list[Entity]) -> list:
    article = Article("x1", text, text, ((0, 0, len(text)),), language=language)
    analysis = Analysis("x1", sentences=(Sentence(0, 0, len(text), text),))
    known = KnownNames(Resolution(entities, {}))
    result = scan_article(article, analysis, known)
    return [(m.text, m.lemma, m.label, m.source) for m in result.mentions]


KNOWN = [_entity("e1", "Lan Qiuyue", "PERSON", ["a1", "a2"]), _entity("e2", "Brandorf", "PERSON", ["a1"]),
         _entity("e3", "Hanbyeol", "PLACE", ["a2"])]


def test_known_names_are_found_by_sound_in_each_script():
    assert ("蓝秋月", "Lan Qiuyue", "PERSON", "known") in _scan("昨日蓝秋月在美國發表講話。", "zh", KNOWN)
    assert ("美國", "United States", "PLACE", "gazetteer") in _scan("昨日蓝秋月在美國發表講話。", "zh", KNOWN)
    assert ("ブランドルフ", "Brandorf", "PERSON", "known") in _scan("ブランドルフ氏は東京で会談した。", "ja", KNOWN)
    assert ("한별", "Hanbyeol", "PLACE", "known") in _scan("한별에서 회의가 열렸다.", "ko", KNOWN)
    assert ("일본", "Japan", "PLACE", "gazetteer") in _scan("한별에서 일본과 회의가 열렸다.", "ko", KNOWN)
    assert ("براندورف", "Brandorf", "PERSON", "known") in _scan("قال براندورف إن الاجتماع", "ar", KNOWN)


def test_ordinary_words_are_not_names():
    # many short runs of Han characters and Hangul syllables have some known name's consonants
    text = "總統會見廳非常重要，雙方關係發展穩定。일정이 열리는 가운데 관계자가 말했다."
    many = KNOWN + [_entity(f"w{i}", name, "PLACE", ["a1"])
                    for i, name in enumerate(("Washington", "Besan", "Kangso", "Jansen Wong"))]
    assert [m for m in _scan(text, "zh", many) if m[3] == "known"] == []


def test_scanning_is_linear_in_the_text():
    def cost(n: int) -> float:
        text = ("蓝秋月與總統會見" * n) + ("한별에서 " * n)
        started = time.perf_counter()
        _scan(text, "zh", KNOWN)
        return time.perf_counter() - started

    cost(50)
    small, large = cost(200), cost(800)
    assert large < 10 * small + 0.5


def test_the_analysis_finds_places_in_scripts_the_models_do_not_read():
    # the story clusterer and the event stage see these places before any corpus work
    from storyline.article.analyze import analyze_batch  # defer: loads the language models

    text = "葡萄牙總理昨日在里斯本會見了德國總理。兩國同意加強合作。"
    article = Article("zh1", text, text, ((0, 0, len(text)),), language="zh")
    analysis, features = analyze_batch([article])[0]
    places = {m.lemma for m in analysis.mentions if m.label == "PLACE"}
    assert {"Portugal", "Lisbon", "Germany"} <= places
    assert all(m.sentence >= 0 for m in analysis.mentions)
    assert {"country:PT", "country:DE"} <= set(features["names"])


def test_a_foreign_name_written_by_sound_in_hangul_is_found_beside_a_title():
    """Korean writes a foreign name by its sound ("브라스텍" for Vrastek): three syllables or more that sound
    like a known name are that name when a title stands beside them and the corpus names it with another name
    of the article; without the title a few syllables are just as likely an ordinary word."""
    known = [_entity("e2", "Vrastek", "PERSON", ["a1", "a3"]), _entity("e3", "Hanbyeol", "PLACE", ["a1", "a2"])]
    titled = _scan("브라스텍 대통령은 한별에서 회의를 열었다.", "ko", known)
    assert ("브라스텍", "Vrastek", "PERSON", "known") in titled
    untitled = _scan("브라스텍은 한별에서 회의를 열었다.", "ko", known)
    assert not [m for m in untitled if m[1] == "Vrastek"]
