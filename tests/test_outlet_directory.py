"""The bundled outlet directory (data/outlet_directory.yaml) is well formed and covers the world, and
outlets are looked up in it (and in a user's file) by domain and name, never guessed from a domain.

Fast and offline: reads the YAML files, no network, no store.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pycountry
import pytest
import yaml

from storyline.common.outlets import load_directory
from storyline.errors import StorylineError

PATH = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "outlet_directory.yaml"

OWNERSHIP = {"state", "public", "private"}
KINDS = {"agency", "broadcaster", "newspaper", "online", "magazine", "aggregator"}
KEYS = {"name", "aliases", "domains", "country", "ownership", "state_affiliated", "group", "kind", "languages"}
DOMAIN = re.compile(r"^(?!www\.)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")

# Each region needs at least one outlet from one of these countries...
REGIONS = {
    "North America": {"US", "CA"},
    "Latin America": {"MX", "BR", "AR", "CL", "CO", "PE", "VE", "CU"},
    "UK and Ireland": {"GB", "IE"},
    "Western Europe": {"FR", "DE", "NL", "BE", "LU", "AT", "CH"},
    "Northern Europe": {"SE", "NO", "DK", "FI", "IS", "EE", "LV", "LT"},
    "Southern Europe": {"IT", "ES", "PT", "GR", "CY", "MT"},
    "Central Europe": {"PL", "CZ", "SK", "HU"},
    "Eastern Europe": {"RO", "BG", "MD"},
    "Balkans": {"RS", "HR", "SI", "BA", "ME", "MK", "AL"},
    "Russia": {"RU"},
    "Ukraine": {"UA"},
    "Belarus": {"BY"},
    "Caucasus": {"AM", "AZ", "GE"},
    "Turkey": {"TR"},
    "Middle East": {"IL", "IR", "QA", "SA", "AE", "EG", "JO", "LB", "IQ"},
    "South Asia": {"IN", "PK", "BD", "LK"},
    "Southeast Asia": {"MY", "SG", "TH", "KH", "VN", "ID", "PH"},
    "East Asia": {"CN", "HK", "TW", "JP", "KR"},
    "Africa": {"ZA", "NG", "KE", "EG", "ET", "GH", "MA"},
    "Oceania": {"AU", "NZ"},
}
# ...and each of these countries, named in the coverage brief, needs one of its own.
NAMED_COUNTRIES = {
    "US", "CA", "BR", "GB", "IE", "CH", "AT", "DE", "FR", "IT", "ES", "PT", "PL", "RO", "GR",
    "EE", "LV", "LT", "SE", "NO", "DK", "FI", "RU", "UA", "BY", "AM", "AZ", "GE", "TR", "IL",
    "IR", "IN", "PK", "BD", "LK", "MY", "SG", "TH", "KH", "VN", "ID", "PH", "CN", "HK", "TW",
    "JP", "KR", "AU", "NZ", "ZA", "NG", "KE",
}


@pytest.fixture(scope="module")
def directory() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with PATH.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


@pytest.fixture(scope="module")
def outlets(directory) -> list[dict]:
    return directory["outlets"]


def test_file_loads_with_version_1(directory):
    assert isinstance(directory, dict)
    assert directory.get("version") == 1
    assert isinstance(directory.get("outlets"), list)


def test_at_least_450_outlets(outlets):
    assert len(outlets) >= 450


def test_every_outlet_has_the_required_keys_and_no_unknown_ones(outlets):
    for o in outlets:
        assert isinstance(o, dict), o
        missing = {"name", "country", "ownership", "kind"} - o.keys()
        assert not missing, (o.get("name"), missing)
        assert not o.keys() - KEYS, (o["name"], o.keys() - KEYS)
        assert isinstance(o["name"], str) and o["name"].strip() == o["name"] and o["name"], o
        for key in ("aliases", "domains", "languages"):
            if key in o:
                assert isinstance(o[key], list) and o[key], (o["name"], key)
                assert all(isinstance(v, str) and v.strip() == v and v for v in o[key]), (o["name"], key)
        if "group" in o:
            assert isinstance(o["group"], str) and o["group"].strip(), o["name"]


def test_country_is_an_iso_alpha_2_code(outlets):
    for o in outlets:
        code = o["country"]
        # An unquoted NO would load as False: the code must come back as a two-letter string.
        assert isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code), (o["name"], code)
        assert pycountry.countries.get(alpha_2=code) is not None, (o["name"], code)


def test_ownership_and_kind_come_from_the_vocabulary(outlets):
    for o in outlets:
        assert o["ownership"] in OWNERSHIP, (o["name"], o["ownership"])
        assert o["kind"] in KINDS, (o["name"], o["kind"])


def test_state_affiliated_is_true_and_only_on_state_or_private_outlets(outlets):
    # a privately owned network run for a government (the Pravda network) is state-affiliated too
    for o in outlets:
        if "state_affiliated" in o:
            assert o["state_affiliated"] is True, o["name"]
            assert o["ownership"] in ("state", "private"), o["name"]


def test_a_state_affiliated_private_network_counts_on_the_state_side():
    from storyline.common.outlets import load_directory  # defer: the directory is read once per test

    directory = load_directory()
    info, _ = directory.find("Pravda EN", ["https://pravda-en.com/world/1.html"])
    assert (info.ownership, info.state_affiliated, info.side) == ("private", True, "state")


def test_languages_are_iso_639_1_codes(outlets):
    for o in outlets:
        for code in o.get("languages", []):
            assert isinstance(code, str) and re.fullmatch(r"[a-z]{2}", code), (o["name"], code)
            assert pycountry.languages.get(alpha_2=code) is not None, (o["name"], code)


def test_domains_look_like_domains(outlets):
    for o in outlets:
        for d in o.get("domains", []):
            assert d == d.lower(), (o["name"], d)
            assert "://" not in d and "/" not in d, (o["name"], d)
            assert not d.startswith("www."), (o["name"], d)
            assert DOMAIN.fullmatch(d), (o["name"], d)


def test_names_aliases_and_domains_are_unique(outlets):
    """No outlet's name, alias or domain claims another outlet's (after case-folding)."""
    labels: dict[str, str] = {}   # case-folded name or alias -> outlet name
    domains: dict[str, str] = {}  # domain -> outlet name
    clashes = []
    for o in outlets:
        own_labels = [o["name"], *o.get("aliases", [])]
        folded = [x.casefold() for x in own_labels]
        clashes += [(x, o["name"], o["name"]) for x, n in Counter(folded).items() if n > 1]
        for label in set(folded):
            if label in labels:
                clashes.append((label, labels[label], o["name"]))
            labels[label] = o["name"]
        for d in o.get("domains", []):
            d = d.casefold()
            if d in domains:
                clashes.append((d, domains[d], o["name"]))
            domains[d] = o["name"]
    # a name or alias spelled like a domain must not name another outlet's domain
    for label, owner in labels.items():
        if label in domains and domains[label] != owner:
            clashes.append((label, owner, domains[label]))
    assert not clashes, clashes


def test_covers_thirty_countries_and_every_region(outlets):
    countries = Counter(o["country"] for o in outlets)
    assert len(countries) >= 30, len(countries)
    empty = [region for region, codes in REGIONS.items() if not codes & countries.keys()]
    assert not empty, empty
    missing = sorted(NAMED_COUNTRIES - countries.keys())
    assert not missing, missing


def test_at_least_60_state_and_60_public_outlets(outlets):
    ownership = Counter(o["ownership"] for o in outlets)
    assert ownership["state"] >= 60, ownership
    assert ownership["public"] >= 60, ownership
    assert ownership["private"] > 0, ownership


def test_national_editions_carry_the_owners_country(outlets):
    by_name = {o["name"]: o for o in outlets}
    expected = {
        "Reuters": ("GB", "private"),
        "Associated Press": ("US", "private"),
        "Xinhua": ("CN", "state"),
        "RT": ("RU", "state"),
        "Sputnik Brasil": ("RU", "state"),
        "RT DE": ("RU", "state"),
        "BBC Russian": ("GB", "public"),
        "DW Russian": ("DE", "public"),
        "Radio Svoboda (Ukrainian service)": ("US", "state"),
        "Suspilne": ("UA", "public"),
        "Ukrinform": ("UA", "state"),
    }
    for name, (country, ownership) in expected.items():
        assert name in by_name, name
        assert (by_name[name]["country"], by_name[name]["ownership"]) == (country, ownership), name


# ---------------------------------------------------------------- looking outlets up (common/outlets.py)

@pytest.fixture(scope="module")
def bundled():
    return load_directory()


@pytest.mark.parametrize(("outlet", "url", "expected"), [
    # a national edition on a country-code domain carries its owner's country, never the domain's
    ("Sputnik Brasil", "https://noticiabrasil.net.br/amp/20251220/x.html", ("Sputnik Brasil", "RU", "state")),
    ("Rossiyskaya Gazeta", "https://rg.ru/amp/2025/12/22/x.html", ("Rossiyskaya Gazeta", "RU", "state")),
    ("TRT World", "https://www.trtworld.com:443/article/x", ("TRT World", "TR", "state")),
    ("Pravda network (news-pravda.com)", "https://estonia.news-pravda.com/en/x", ("Pravda network hub", "RU",
                                                                                   "private")),
    # the domain decides between two outlets a name could mean
    ("SBS News", "https://news.sbs.co.kr/news/endPage.do?news_id=1", ("SBS (South Korea)", "KR", "private")),
    ("SBS News", None, ("SBS (Australia)", "AU", "public")),
    # by name: case, accents, a leading "The" and a trailing part in parentheses aside
    ("Korea Herald", None, ("The Korea Herald", "KR", "private")),
    ("Gazeta.ru (gazeta.press mirror)", "https://www.gazeta.press/amp/x", ("Gazeta.ru", "RU", "state")),
    ("The Spokesman-Review (Los Angeles Times)", "https://www.spokesman.com/stories/x", ("The Spokesman-Review",
                                                                                        "US", "private")),
    ("watson.ch", None, ("watson (Switzerland)", "CH", "private")),
    # an aggregator's domain yields to an outlet of its own
    ("Reuters", "https://www.msn.com/en-us/news/world/x", ("Reuters", "GB", "private")),
])
def test_outlets_are_found_by_domain_then_name(bundled, outlet, url, expected):
    info, _ = bundled.find(outlet, [url])
    assert info is not None, outlet
    assert (info.name, info.country_code, info.ownership) == expected


@pytest.mark.parametrize(("outlet", "url"), [
    ("Some Portal", "https://portal.example.com.br/a"), ("Tycoon Herald", "https://tycoonherald.com/?p=1"),
    ("Overview Press (The Korea Herald)", "https://overviewpress.com/x"),  # the parenthesis names the source
    ("", None)])
def test_an_outlet_the_directory_does_not_know_is_unknown(bundled, outlet, url):
    assert bundled.find(outlet, [url]) == (None, None)


def test_a_users_file_in_the_directory_layout_replaces_and_adds(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("version: 1\noutlets:\n"
                    "  - name: Pravda network hub\n    country: RU\n    ownership: state\n    group: my reading\n"
                    "    domains: [news-pravda.com]\n"
                    "  - name: Harbour Wire\n    aliases: [HW]\n    domains: [harbourwire.example]\n"
                    "    country: GB\n    ownership: public\n", encoding="utf-8")
    directory = load_directory(path)
    pravda, how = directory.find("Pravda", ["https://news-pravda.com/x"])
    assert (pravda.ownership, pravda.state_affiliated, pravda.group, pravda.source, how) == (
        "state", True, "my reading", str(path), "domain")
    wire, how = directory.find("HW", [])
    assert (wire.name, wire.country, wire.ownership, how) == ("Harbour Wire", "United Kingdom", "public", "name")
    assert len(directory) == len(load_directory()) + 1


def test_a_users_file_keyed_by_name_or_domain_changes_only_what_it_gives(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("outlets:\n  reuters.com:\n    notes: checked\n  Example Gazette:\n    country: Freedonia\n"
                    "    state_affiliated: false\n  example.org:\n    name: Example Broadcaster\n"
                    "    state_affiliated: true\n", encoding="utf-8")
    directory = load_directory(path)
    reuters, _ = directory.find("Reuters", [])
    assert (reuters.country_code, reuters.ownership, reuters.group, reuters.notes) == (
        "GB", "private", "Thomson Reuters", "checked")
    gazette, _ = directory.find("example gazette", [])
    assert (gazette.country, gazette.country_code, gazette.ownership, gazette.side) == (
        "Freedonia", None, "unknown", "independent")
    broadcaster, how = directory.find("Anything", ["https://news.example.org/1"])
    assert (broadcaster.name, broadcaster.ownership, how) == ("Example Broadcaster", "state", "domain")


@pytest.mark.parametrize(("text", "message"), [
    ("outlets: 3\n", "'outlets' must be"),
    ("outlet:\n  - name: X\n", "unknown key 'outlet'"),
    ("outlets:\n  - country: GB\n", "needs a name"),
    ("outlets:\n  - name: X\n    ownership: government\n", "ownership must be one of"),
    ("outlets:\n  X:\n    owner: me\n", "unknown key 'owner'"),
    ("outlets: [\n", "not valid YAML"),
])
def test_a_bad_users_file_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "outlets.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StorylineError, match=message):
        load_directory(path)
