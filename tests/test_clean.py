"""Cleaning (storyline.article.clean) and metadata recovery (storyline.article.metadata).

All texts are synthetic: a fictional negotiation between Valdoria and Ostrava.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from storyline.article import clean as clean_stage
from storyline.article import language as language_stage
from storyline.article import metadata
from storyline.article.clean import clean, clean_lines, noise_kind
from storyline.errors import E, StorylineError
from storyline.models import Article, RawDoc

DATA = Path(__file__).parent / "data" / "ingest"

LEDE = ("The foreign ministers of Valdoria and Ostrava met on Tuesday in the port city of "
        "Lindenport to discuss the disputed border treaty.")
WRAPPED = ("The talks, which had stalled since the winter floods on the Marren river, were "
           "described by both sides as constructive.")
FILLER = ("Ostravan negotiators described the talks as difficult but productive, and said a joint "
          "commission would meet again in the autumn.")


def text_doc(content: str, **fields) -> RawDoc:
    return RawDoc(source=fields.pop("source", "test.txt"), content=content, kind="text", **fields)


def paragraphs(article_or_text) -> list[str]:
    text = article_or_text.text if isinstance(article_or_text, Article) else article_or_text
    return text.split("\n\n")


def assert_offsets_consistent(text: str, original: str, offsets) -> None:
    """Every run is copied unchanged, runs are ordered, and only separators lie between them."""
    assert offsets, "no offsets for a non-empty text"
    covered = 0
    for clean_start, orig_start, length in offsets:
        assert length > 0
        assert text[clean_start:clean_start + length] == original[orig_start:orig_start + length]
        gap = text[covered:clean_start]
        assert gap in ("", " ", "\n\n"), f"unexpected text between runs: {gap!r}"
        covered = clean_start + length
    assert covered == len(text)


# ---------------------------------------------------------------- the noisy scrape fixture


@pytest.fixture(scope="module")
def scrape() -> str:
    return (DATA / "scrape_noise.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scrape_lines(scrape):
    return clean_lines(scrape)


@pytest.fixture(scope="module")
def scrape_article(scrape) -> Article:
    return clean(text_doc(scrape, source=str(DATA / "scrape_noise.txt")))


def test_scrape_keeps_exactly_the_content_paragraphs(scrape_lines):
    text, _, _ = scrape_lines
    assert paragraphs(text) == [
        "Valdoria and Ostrava resume talks in Lindenport",
        LEDE,
        WRAPPED,
        "The draft agreement covers:",
        "a ceasefire along the river",
        "an exchange of detained fishermen",
        "a joint border commission",
        "A second round is expected in Ostrava next month, a Valdorian diplomat said.",
    ]


@pytest.mark.parametrize("noise", [
    "ua en ru",  # language switcher
    "views",  # "• 1,204 views", "2 views"
    "1,204",
    "USD", "41.98",  # currency ticker
    "Photo:", "press office",  # photo credit
    "Keystone", "/AP/",  # agency credit
    "Getty Images", "greets the Ostravan delegation",  # a caption ending in (photo: ...)
    "Home >", "Diplomacy",  # crumbs
    "Read also",
    "Author:",  # byline line itself
    "date 2031",  # scraper header prefix
    "Valdor News",  # the dateline of the repeated paragraph
    "•",  # bullet markers
])
def test_scrape_noise_is_removed(scrape_lines, noise):
    text, _, _ = scrape_lines
    assert noise not in text


def test_scrape_header_date_is_metadata_and_rest_of_line_is_kept(scrape_lines):
    text, _, found = scrape_lines
    assert found["date_header"] == "2031-03-05"
    assert found["first_line"] == "Valdoria and Ostrava resume talks in Lindenport"
    assert text.startswith("Valdoria and Ostrava resume talks in Lindenport\n\n")


def test_scrape_byline_is_captured_as_author(scrape_lines, scrape_article):
    _, _, found = scrape_lines
    assert found["author"] == "Mira Kovalenko"
    assert scrape_article.author == "Mira Kovalenko"


def test_repeated_paragraph_is_dropped_even_under_a_dateline(scrape_lines, scrape):
    text, _, _ = scrape_lines
    # Both the dateline-prefixed copy and the later unwrapped copy exist in the original...
    assert scrape.count(LEDE) == 2
    assert WRAPPED in scrape
    # ...but each paragraph is kept once.
    assert text.count(LEDE) == 1
    assert text.count("stalled since the winter floods") == 1


def test_hard_wrapped_line_is_joined_to_its_sentence(scrape_lines):
    text, _, _ = scrape_lines
    assert WRAPPED in paragraphs(text)
    assert "were\ndescribed" not in text


def test_bullet_items_are_separate_paragraphs(scrape_lines):
    text, _, _ = scrape_lines
    paras = paragraphs(text)
    for item in ("a ceasefire along the river", "an exchange of detained fishermen", "a joint border commission"):
        assert item in paras


def test_scrape_offsets_copy_the_original(scrape_lines, scrape):
    text, offsets, _ = scrape_lines
    assert_offsets_consistent(text, scrape, offsets)


def test_scrape_article_fields(scrape_article, scrape):
    article = scrape_article
    assert article.original == scrape
    assert article.title == "Valdoria and Ostrava resume talks in Lindenport"
    assert article.language == "en"
    assert article.source.endswith("scrape_noise.txt")
    # The header date is trusted only once it is no longer in the future.
    header = date(2031, 3, 5)
    if metadata.plausible(header):
        assert (article.published, article.published_source) == (header, "text")
    else:
        assert (article.published, article.published_source) == (None, "unknown")
    assert_offsets_consistent(article.text, article.original, article.offsets)


def test_original_span_maps_every_kept_word_back(scrape_article):
    article = scrape_article
    words = list(re.finditer(r"\w+", article.text))
    assert len(words) > 50
    for match in words:
        span = article.original_span(match.start(), match.end())
        assert span is not None, match.group()
        assert article.original[span[0]:span[1]] == match.group()


def test_original_span_points_at_the_same_occurrence(scrape_article, scrape):
    article = scrape_article
    # "constructive" occurs twice in the original; the kept one is the hard-wrapped copy.
    start = article.text.index("constructive")
    span = article.original_span(start, start + len("constructive"))
    assert span == (scrape.index("constructive"), scrape.index("constructive") + len("constructive"))
    # A word on the wrapped continuation line maps into that line, not the later repeat.
    start = article.text.index("described by both")
    a, b = article.original_span(start, start + len("described"))
    assert scrape[a:b] == "described"
    assert a == scrape.index("described by both sides")


def test_original_span_of_a_span_crossing_runs_is_none(scrape_article):
    article = scrape_article
    # From inside the title into the lede: two runs.
    assert article.original_span(0, article.text.index("foreign")) is None


# ---------------------------------------------------------------- individual noise rules


@pytest.mark.parametrize("line", [
    "ua en ru",
    "UA EN RU",
    "EN | UA | RU",
    "en / ru",
])
def test_language_switcher(line):
    assert noise_kind(line) == "language_switcher"


def test_language_switcher_with_language_names():
    assert noise_kind("English Українська") == "language_switcher"


@pytest.mark.parametrize("line", [
    "2 views",
    "• 1,204 views",
    "- 5,480",
    "Переглядів: 12",
    "17 comments",
    "3 min read",
])
def test_counters(line):
    assert noise_kind(line) == "counters"


@pytest.mark.parametrize("line", ["USD 41.98 EUR 48.70", "$42.180.02", "€ 44.10 ₴ 41.35"])
def test_currency_ticker(line):
    assert noise_kind(line) == "ticker"


@pytest.mark.parametrize("line", [
    "Photo: Lindenport city press office",
    "Фото: пресс-служба МИД Валдории",
    "Minister Arlen Voss greets the Ostravan delegation (photo: Getty Images)",
    "Getty Images",
    "Pictured: the signing ceremony in Lindenport",
])
def test_photo_credits(line):
    assert noise_kind(line) == "photo"


@pytest.mark.parametrize("line", ["Arlen Voss/AP/Keystone", "Ilse Marek/AFP", "Tomas Brenn/Reuters"])
def test_agency_photo_credits_are_noise(line):
    assert noise_kind(line) is not None


@pytest.mark.parametrize("line", [
    "Home > World > Diplomacy",
    "News » Europe » Valdoria",
    "Read also:",
    "READ MORE",
    "Tags: Valdoria, Ostrava, Marren",
    "#Valdoria #Ostrava",
    "Читайте також:",
])
def test_crumbs(line):
    assert noise_kind(line) == "crumbs"


@pytest.mark.parametrize("line", [
    "20:51 21.11.2025",
    "00:21 GMT 06.12.2025",
    "22.12.2025 02:37",
    "7- 23.11.2025, 15:13",
    "2025-03-05 14:10",
    "1 грудня, 16:32",
    "March 5, 2025, 10:41 am EST",
])
def test_timestamps(line):
    assert noise_kind(line) == "timestamp"


def test_outlet_name_line_is_noise():
    assert noise_kind("Lindenport Herald", outlet="Lindenport Herald") == "outlet"
    assert noise_kind("herald.example.com", host="herald.example.com") == "outlet"
    assert noise_kind("Lindenport Herald") is None


@pytest.mark.parametrize("line", [
    LEDE,
    "Valdoria and Ostrava resume talks in Lindenport",
    "The delegations met for 2 hours.",
    "Ostrava will pay €2.5 billion over ten years.",
    "Voss said: “We are close.”",
    "Imagery from the border shows new trenches.",
    "A second round is expected in Ostrava next month, a Valdorian diplomat said.",
])
def test_content_lines_are_not_noise(line):
    assert noise_kind(line) is None


def test_sentence_starting_with_photographers_is_content():
    line = "Photographers were barred from the signing ceremony in Lindenport."
    assert noise_kind(line) is None
    text, _, _ = clean_lines(f"{LEDE}\n{line}\n")
    assert line in text


@pytest.mark.parametrize("line", ["Ostrava pledged $500.", "The fund now stands at $4,000,000."])
def test_sentence_ending_in_an_amount_is_content(line):
    assert noise_kind(line) is None


# ---------------------------------------------------------------- bylines and authors


@pytest.mark.parametrize("line, author", [
    ("Author: Mira Kovalenko", "Mira Kovalenko"),
    ("By Tamsin Orlova", "Tamsin Orlova"),
    ("Автор: Ирина Веселова", "Ирина Веселова"),
])
def test_byline_is_captured_and_dropped(line, author):
    text, _, found = clean_lines(f"{line}\n{LEDE}\n{FILLER}\n")
    assert found["author"] == author
    assert line not in text
    assert paragraphs(text) == [LEDE, FILLER]


def test_first_byline_wins():
    _, _, found = clean_lines(f"Author: Mira Kovalenko\n{LEDE}\nAuthor: Tomas Brenn\n{FILLER}\n")
    assert found["author"] == "Mira Kovalenko"


def test_name_after_timestamp_is_author():
    text, _, found = clean_lines(f"20:51 21.11.2025\nMira Kovalenko\n{LEDE}\n{FILLER}\n")
    assert found["author"] == "Mira Kovalenko"
    assert found["stamps"] == ["20:51 21.11.2025"]
    assert paragraphs(text) == [LEDE, FILLER]


def test_lone_name_on_last_line_is_author():
    text, offsets, found = clean_lines(f"{LEDE}\n{WRAPPED}\n{FILLER}\nTamsin Orlova\n")
    assert found["author"] == "Tamsin Orlova"
    assert text == "\n\n".join([LEDE, WRAPPED, FILLER])
    assert len(offsets) == 3


def test_sentence_starting_with_by_is_not_a_byline():
    line = "By contrast, Ostrava rejected the proposal outright on Monday."
    text, _, found = clean_lines(f"{LEDE}\n{line}\n")
    assert found["author"] is None
    assert line in text


def test_given_author_beats_byline():
    article = clean(text_doc(f"Author: Mira Kovalenko\n{LEDE}\n", author="Valdor News desk"))
    assert article.author == "Valdor News desk"


# ---------------------------------------------------------------- paragraphs, joins, repeats


def test_line_after_sentence_end_starts_a_new_paragraph():
    text, _, _ = clean_lines(f"{LEDE}\nofficials in both capitals welcomed the meeting.\n")
    assert paragraphs(text) == [LEDE, "officials in both capitals welcomed the meeting."]


def test_capitalised_line_after_unfinished_line_is_not_joined():
    text, _, _ = clean_lines("Valdoria and Ostrava resume talks\nThe ministers met in Lindenport.\n")
    assert paragraphs(text) == ["Valdoria and Ostrava resume talks", "The ministers met in Lindenport."]


def test_dash_continuation_is_joined_but_bullets_are_not():
    text, offsets, _ = clean_lines(
        "The ministers agreed on three points, but\n- according to the statement, not on the map\n"
        "Points agreed\n• a ceasefire\n• talks in May\n")
    assert paragraphs(text) == [
        "The ministers agreed on three points, but according to the statement, not on the map",
        "Points agreed", "a ceasefire", "talks in May"]


def test_repeated_title_line_is_dropped():
    title = "Valdoria and Ostrava resume talks in Lindenport"
    text, _, _ = clean_lines(f"{title}\n{LEDE}\n{title}\n{FILLER}\n")
    assert paragraphs(text) == [title, LEDE, FILLER]


@pytest.mark.parametrize("dateline", [
    "LINDENPORT (Valdor News) - ",
    "LINDENPORT (Valdor News) — ",
    "OSTRAVA, March 4 (Ostrava Daily) – ",
])
def test_repeat_under_a_dateline_is_dropped(dateline):
    text, _, _ = clean_lines(f"{LEDE}\n{FILLER}\n{dateline}{LEDE}\n")
    assert paragraphs(text) == [LEDE, FILLER]


def test_short_lines_that_are_not_repeats_are_kept():
    text, _, _ = clean_lines(f"{LEDE}\nVoss declined to comment.\nVoss declined to comment further.\n")
    assert paragraphs(text) == [LEDE, "Voss declined to comment.", "Voss declined to comment further."]


def test_title_echoed_above_a_caption_keeps_nothing_new():
    title = "Valdoria and Ostrava resume talks in Lindenport"
    text, _, _ = clean_lines(f"{title}\n{title} Photo: Lindenport city press office\n{LEDE}\n")
    assert paragraphs(text) == [title, LEDE]


def test_title_echoed_before_the_lede_keeps_the_lede():
    title = "Valdoria and Ostrava resume talks in Lindenport"
    original = f"{title}\n{title} {LEDE}\n"
    text, offsets, _ = clean_lines(original)
    assert paragraphs(text) == [title, LEDE]
    assert_offsets_consistent(text, original, offsets)


def test_crlf_and_indentation_keep_offsets_exact():
    cut = WRAPPED.index(" described")
    original = f"  {LEDE}\r\n\r\n\t{WRAPPED[:cut]}\r\n   {WRAPPED[cut + 1:]}\r\n"
    text, offsets, _ = clean_lines(original)
    assert paragraphs(text) == [LEDE, WRAPPED]
    assert_offsets_consistent(text, original, offsets)


def test_header_only_first_line_is_skipped_entirely():
    text, offsets, found = clean_lines(f" date 2025-03-05\n{LEDE}\n")
    assert found["date_header"] == "2025-03-05"
    assert text == LEDE
    assert offsets == ((0, len(" date 2025-03-05\n"), len(LEDE)),)


def test_date_word_later_in_the_text_is_not_a_header():
    _, _, found = clean_lines(f"{LEDE}\ndate 2025-03-05 was agreed for the signing.\n")
    assert found["date_header"] is None


def test_only_noise_raises_empty_naming_the_source():
    with pytest.raises(StorylineError) as info:
        clean(text_doc("ua en ru\n2 views\nHome > World > Diplomacy\n", source="noise-only.txt"))
    assert info.value.kind is E.EMPTY
    assert "noise-only.txt" in str(info.value)
    assert "\n" not in str(info.value)


def test_max_chars_cuts_the_original():
    article = clean(text_doc(f"{LEDE}\n{FILLER}\n"), max_chars=len(LEDE))
    assert article.original == LEDE
    assert article.text == LEDE


# ---------------------------------------------------------------- title, id, outlet


def test_title_from_first_line_when_none_given():
    article = clean(text_doc(f"Ostrava proposes a fishing authority\n{LEDE}\n"))
    assert article.title == "Ostrava proposes a fishing authority"


def test_given_title_wins():
    article = clean(text_doc(f"Ostrava proposes a fishing authority\n{LEDE}\n", title="  The given title "))
    assert article.title == "The given title"


def test_title_from_a_long_first_line_is_cut_at_a_word():
    long_line = " ".join(["Valdoria"] * 40) + "."
    title = metadata.title_from_text(long_line)
    assert title.endswith("…")
    assert len(title) <= 161
    assert title[:-1].split(" ") == ["Valdoria"] * len(title[:-1].split(" "))


def test_title_skips_noise_lines():
    article = clean(text_doc(f"ua en ru\nHome > World > Diplomacy\n{LEDE}\n"))
    assert article.title == LEDE


def test_article_id_prefers_doc_id_then_url():
    assert clean(text_doc(LEDE, doc_id="vd-42")).id == "vd-42"
    by_url = clean(text_doc(LEDE, url="https://valdor.example.com/a"))
    same_url = clean(text_doc(FILLER, url="https://valdor.example.com/a"))
    assert by_url.id == same_url.id
    assert clean(text_doc(LEDE)).id != clean(text_doc(FILLER)).id


def test_outlet_from_url_host_and_outlet_line_removed():
    article = clean(text_doc(f"valdor.example.com\n{LEDE}\n", url="https://www.valdor.example.com/2025/03/05/x"))
    assert article.outlet == "valdor.example.com"
    assert article.text == LEDE


def test_fingerprint_ignores_case_and_punctuation():
    assert clean_stage.fingerprint("Valdoria, Ostrava!") == clean_stage.fingerprint("valdoria ostrava")


# ---------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def page_html() -> str:
    return (DATA / "page.html").read_text(encoding="utf-8")


def html_doc(content: str, **fields) -> RawDoc:
    return RawDoc(source=fields.pop("source", "page.html"), content=content, kind="html", **fields)


def test_html_page_is_extracted_with_metadata(page_html):
    article = clean(html_doc(page_html))
    assert article.title == "Valdoria and Ostrava sign river accord"
    assert article.author == "Tamsin Orlova"
    assert article.outlet == "Lindenport Herald"
    assert article.published == date(2025, 4, 17)
    assert article.published_source == "html"
    assert "signed an accord on Thursday" in article.text
    assert "Subscribe" not in article.text
    assert "Home" not in article.text
    assert_offsets_consistent(article.text, article.original, article.offsets)
    start = article.text.index("Marren")
    a, b = article.original_span(start, start + len("Marren"))
    assert article.original[a:b] == "Marren"


def test_manifest_date_beats_html_meta(page_html):
    article = clean(html_doc(page_html, published="2025-04-10"))
    assert (article.published, article.published_source) == (date(2025, 4, 10), "manifest")


def test_html_meta_date_beats_url_date(page_html):
    article = clean(html_doc(page_html, url="https://herald.example.com/2024/01/02/accord"))
    assert (article.published, article.published_source) == (date(2025, 4, 17), "html")


def test_copyright_year_is_not_a_publication_date():
    page = ("<!DOCTYPE html><html><head><title>Marren accord talks</title></head><body><article>"
            f"<h1>Marren accord talks</h1><p>{LEDE}</p><p>{FILLER}</p></article>"
            "<footer>© 2024 Lindenport Herald</footer></body></html>")
    article = clean(html_doc(page))
    assert (article.published, article.published_source) == (None, "unknown")


def test_html_without_date_has_no_date():
    page = ("<!DOCTYPE html><html><head><title>Marren accord talks</title></head><body><article>"
            f"<h1>Marren accord talks</h1><p>{LEDE}</p><p>{FILLER}</p></article></body></html>")
    article = clean(html_doc(page))
    assert (article.published, article.published_source) == (None, "unknown")


def test_html_without_text_is_bad_html():
    with pytest.raises(StorylineError) as info:
        clean(html_doc("<html><head><title>x</title></head><body><nav>Home</nav></body></html>",
                       source="blank.html"))
    assert info.value.kind is E.BAD_HTML
    assert "blank.html" in str(info.value)


# ---------------------------------------------------------------- publication date order


TODAY = date.today()


@pytest.mark.parametrize("kwargs, expected", [
    # manifest > html > text > url
    (dict(given="2025-03-01", html_date="2025-03-02", header="2025-03-03",
          stamps=["20:51 04.03.2025"], text="LINDENPORT, March 6, 2025 (Valdor News) - x",
          url="https://x.example/2025/03/07/a"), (date(2025, 3, 1), "manifest")),
    (dict(given=None, html_date="2025-03-02", header="2025-03-03", stamps=["20:51 04.03.2025"],
          text="", url="https://x.example/2025/03/07/a"), (date(2025, 3, 2), "html")),
    # an unreadable or implausible given date falls through
    (dict(given="soon", html_date="2025-03-02", header=None, stamps=[], text="", url=None),
     (date(2025, 3, 2), "html")),
    (dict(given="2099-01-01", html_date=None, header="2025-03-03", stamps=[], text="", url=None),
     (date(2025, 3, 3), "text")),
    (dict(given="1985-06-01", html_date=None, header=None, stamps=[], text="",
          url="https://x.example/2025/03/07/a"), (date(2025, 3, 7), "url")),
    # header > timestamp line > inline stamp
    (dict(given=None, html_date=None, header="2025-03-03", stamps=["20:51 04.03.2025"],
          text="00:21 GMT 05.03.2025 x", url=None), (date(2025, 3, 3), "text")),
    (dict(given=None, html_date=None, header=None, stamps=["20:51 21.11.2025"],
          text="00:21 GMT 05.03.2025 x", url=None), (date(2025, 11, 21), "text")),
    (dict(given=None, html_date=None, header=None, stamps=["00:21 GMT 06.12.2025"], text="x", url=None),
     (date(2025, 12, 6), "text")),
    (dict(given=None, html_date=None, header=None, stamps=[],
          text="Lindenport. 00:21 GMT 06.12.2025 The talks went on.", url=None),
     (date(2025, 12, 6), "text")),
    # a dateline with a year beats the URL; without a year it gives nothing
    (dict(given=None, html_date=None, header=None, stamps=[],
          text="LINDENPORT, March 6, 2025 (Valdor News) - The talks.", url="https://x.example/2025/03/07/a"),
     (date(2025, 3, 6), "text")),
    (dict(given=None, html_date=None, header=None, stamps=[],
          text="LINDENPORT, Dec. 4 (UPI) -- The talks.", url="https://x.example/2025/03/07/a"),
     (date(2025, 3, 7), "url")),
    (dict(given=None, html_date=None, header=None, stamps=[],
          text="LINDENPORT, Dec. 4 (UPI) -- The talks.", url=None), (None, "unknown")),
    # URL forms
    (dict(given=None, html_date=None, header=None, stamps=[], text="x",
          url="https://x.example/news/20250305-talks"), (date(2025, 3, 5), "url")),
    (dict(given=None, html_date=None, header=None, stamps=[], text="x",
          url="https://x.example/a?ts=1741132800"), (date(2025, 3, 5), "url")),
    # future stamps are not publication dates
    (dict(given=None, html_date=None, header="2099-03-05", stamps=["20:51 21.11.2099"], text="x", url=None),
     (None, "unknown")),
    (dict(given=None, html_date=None, header=None, stamps=[], text="Nothing dated here.", url=None),
     (None, "unknown")),
])
def test_publication_date_order(kwargs, expected):
    assert metadata.publication_date(**kwargs) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://x.example/2025/03/05/talks", date(2025, 3, 5)),
    ("https://x.example/2025-03-05-talks", date(2025, 3, 5)),
    ("https://x.example/news/20250305", date(2025, 3, 5)),
    ("https://x.example/2025/mar/05/talks", date(2025, 3, 5)),
    ("https://x.example/talks-03-05-2025", date(2025, 3, 5)),
    ("https://x.example/story?t=1741132800", date(2025, 3, 5)),
    ("https://x.example/2025/02/30/impossible", None),
    ("https://x.example/2099/03/05/future", None),
    ("https://x.example/story/12345", None),
    ("https://x.example/story/1741132800123", None),  # a millisecond stamp is not seconds
    (None, None),
])
def test_date_from_url(url, expected):
    assert metadata.date_from_url(url) == expected


@pytest.mark.parametrize("text, expected", [
    ("2025-03-05", date(2025, 3, 5)),
    ("2025-03-05T10:00:00+02:00", date(2025, 3, 5)),
    ("March 5, 2025", date(2025, 3, 5)),
    ("Wed, 05 Mar 2025 10:00:00 GMT", date(2025, 3, 5)),
    ("5 березня 2025", date(2025, 3, 5)),
    ("2025-02-30", None),
    ("2099-01-01", None),
    ("1989-12-31", None),
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_parse_date_string(text, expected):
    assert metadata.parse_date_string(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("LINDENPORT, Dec. 4 (UPI) -- The ministers met.", (None, (12, 4))),
    ("Dec. 4 (UPI) -- The ministers met.", (None, (12, 4))),
    ("OSTRAVA, Nov 21: The ministers met.", (None, (11, 21))),
    ("LINDENPORT, March 5, 2025 (Valdor News) - The ministers met.", (date(2025, 3, 5), None)),
    ("The ministers met on Dec. 4 in Lindenport.", (None, None)),
])
def test_date_from_dateline(text, expected):
    assert metadata.date_from_dateline(text) == expected


def test_clean_text_header_date():
    article = clean(text_doc(f" date 2025-03-05 Valdoria and Ostrava resume talks\n{LEDE}\n",
                             url="https://x.example/2024/01/01/talks"))
    assert (article.published, article.published_source) == (date(2025, 3, 5), "text")
    assert article.title == "Valdoria and Ostrava resume talks"


def test_clean_timestamp_line_date():
    article = clean(text_doc(f"20:51 21.11.2025\n{LEDE}\n"))
    assert (article.published, article.published_source) == (date(2025, 11, 21), "text")
    assert "20:51" not in article.text


def test_clean_inline_gmt_stamp_date():
    article = clean(text_doc(f"Valdoria talks\nLindenport, 00:21 GMT 06.12.2025. {LEDE}\n"))
    assert (article.published, article.published_source) == (date(2025, 12, 6), "text")


def test_clean_given_date_beats_text():
    article = clean(text_doc(f" date 2025-03-05 Talks\n{LEDE}\n", published="2025-03-01"))
    assert (article.published, article.published_source) == (date(2025, 3, 1), "manifest")


def test_clean_yearless_dateline_gives_no_date_and_never_today():
    article = clean(text_doc(f"Talks resume\nLINDENPORT, Dec. 4 (UPI) -- {LEDE}\n"))
    assert article.published is None
    assert article.published_source == "unknown"
    assert article.published != TODAY


def test_clean_yearless_dateline_then_url():
    article = clean(text_doc(f"Talks resume\nLINDENPORT, Dec. 4 (UPI) -- {LEDE}\n",
                             url="https://x.example/world/20250305/talks"))
    assert (article.published, article.published_source) == (date(2025, 3, 5), "url")


def test_clean_nothing_dated():
    article = clean(text_doc(f"{LEDE}\n{FILLER}\n"))
    assert (article.published, article.published_source) == (None, "unknown")


def test_infer_publication_uses_yearless_dateline_with_reference():
    text = f"LINDENPORT, Dec. 4 (UPI) -- {LEDE}"
    assert metadata.infer_publication(text, "en", date(2025, 11, 20)) == date(2025, 12, 4)
    assert metadata.infer_publication(text, "en", date(2025, 1, 20)) == date(2024, 12, 4)


# ---------------------------------------------------------------- language


RUSSIAN = ("Министры иностранных дел Валдории и Остравы встретились во вторник в портовом городе "
           "Линденпорт, чтобы обсудить пограничный договор. Переговоры прошли конструктивно.")
UKRAINIAN = ("Міністри закордонних справ Валдорії та Острави зустрілися у вівторок у портовому місті "
             "Лінденпорт, щоб обговорити прикордонний договір. Переговори пройшли конструктивно.")


def test_cyrillic_text_declared_english_is_detected():
    article = clean(text_doc(RUSSIAN, language="en"))
    assert article.language in ("ru", "uk")
    assert article.language_source.startswith("detected")
    assert "en" in article.language_source


def test_declared_language_agreeing_with_detection():
    article = clean(text_doc(f"{LEDE}\n{FILLER}\n", language="en"))
    assert (article.language, article.language_source) == ("en", "declared")
    assert article.paragraph_languages == ("en", "en")


def test_declared_language_code_is_normalised():
    article = clean(text_doc(UKRAINIAN, language="ua"))
    assert article.language == "uk"
    assert article.language_source == "declared"


def test_undeclared_language_is_detected():
    article = clean(text_doc(UKRAINIAN))
    assert article.language in ("uk", "ru")
    assert article.language_source == "detected"


def test_paragraph_languages_of_a_mixed_text():
    article = clean(text_doc(f"{LEDE}\n{RUSSIAN}\n", language="en"))
    assert len(article.paragraph_languages) == 2
    assert article.paragraph_languages[0] == "en"
    assert article.paragraph_languages[1] in ("ru", "uk")


@pytest.mark.parametrize("code, expected", [
    ("ua", "uk"), ("UKR", "uk"), ("rus", "ru"), ("en-GB", "en"), ("pt_BR", "pt"), ("", None), (None, None)])
def test_normalize_language_code(code, expected):
    assert language_stage.normalize_code(code) == expected
