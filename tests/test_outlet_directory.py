"""The bundled outlet directory (data/outlet_directory.yaml) is well formed and covers the world.

Fast and offline: reads the YAML file once, no network, no store.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pycountry
import pytest
import yaml

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


def test_state_affiliated_is_true_and_only_on_state_outlets(outlets):
    for o in outlets:
        if "state_affiliated" in o:
            assert o["state_affiliated"] is True, o["name"]
            assert o["ownership"] == "state", o["name"]


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
