"""storyline.article.language: py3langid through its public loader, per article and per paragraph."""
from __future__ import annotations

from storyline.article import language

ENGLISH = "The governments of Valdoria and Ostrava signed an accord on Thursday that ends a long dispute."
RUSSIAN = "Министры иностранных дел Валдории и Остравы встретились в Линденпорте в четверг утром."


def test_detect_gives_a_language_and_a_normalised_probability():
    code, probability = language.detect(ENGLISH)
    assert code == "en"
    assert 0.5 < probability <= 1.0
    assert language.detect(RUSSIAN)[0] == "ru"


def test_empty_text_is_undetermined():
    assert language.detect("  \n ") == ("und", 0.0)


def test_the_identifier_is_loaded_once():
    assert language._identifier() is language._identifier()


def test_identify_per_paragraph():
    found, source, paragraphs = language.identify(f"{ENGLISH}\n\n{RUSSIAN}\n\nshort")
    assert found in ("en", "ru") and source == "detected"
    assert paragraphs == ("en", "ru", found)  # a paragraph too short to identify takes the article's language


def test_a_declared_language_stands_when_detection_agrees_or_is_unsure():
    assert language.identify(ENGLISH, "EN-gb")[:2] == ("en", "declared")
    assert language.identify(ENGLISH, "ru")[:2] == ("en", "detected (declared ru)")


def test_normalize_code():
    assert language.normalize_code("ua") == "uk"
    assert language.normalize_code("ru_RU") == "ru"
    assert language.normalize_code("") is None
