"""Error lines: one line each, naming the file or item in at most 200 characters."""
from storyline.errors import MAX_NAME_CHARS, E, StorylineError, elide


def test_a_long_name_is_elided_in_the_middle_and_stays_distinguishable():
    link = "https://feeds.example.org/item?id=" + "x" * 5000 + "&end=1"
    other = "https://feeds.example.org/item?id=" + "x" * 2000 + "y" + "x" * 2999 + "&end=1"
    line = str(StorylineError(E.BAD_FEED, link, "unexpected end"))
    name = line.split(": feed cannot be parsed")[0]
    assert len(name) == MAX_NAME_CHARS
    assert name.startswith("https://feeds.example.org/item?id=") and name.endswith("&end=1")
    assert elide(link) != elide(other)  # what was cut out is marked by its hash
    assert "\n" not in line and len(line) < 600


def test_short_names_are_untouched_and_control_characters_escaped():
    assert elide("a/b.txt") == "a/b.txt"
    line = str(StorylineError(E.EMPTY, "bad\nname.txt"))
    assert line == "bad\\nname.txt: empty file: no article text [S003]"
    escaped = str(StorylineError(E.EMPTY, "\x00" * 1000))
    assert len(escaped.split(": empty file")[0]) == MAX_NAME_CHARS  # escaped first, then cut


def test_every_error_line_of_the_catalogue_has_a_unique_code():
    codes = [kind.code for kind in E]
    assert len(codes) == len(set(codes))
