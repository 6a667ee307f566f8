"""The outlet directory: each outlet's country, ownership (state, public, private) and parent group.

The bundled directory is ``data/outlet_directory.yaml`` (checked by ``lang/rulefiles.py``); the user's
file (the ``outlets`` setting, ``--outlets FILE``) extends and overrides it.  ``Directory.find`` looks an
outlet up by the web addresses of its articles (the longest listed domain suffix of their hosts), else
by its name or an alias; an outlet found neither way is unknown.  Nothing is guessed from a
country-code domain: Sputnik Brasil publishes under a .br domain and is Russian state media.

The user's file takes either layout, or both in one file::

    outlets:                      # a list: entries in the directory's own layout
      - name: Example Gazette     # an entry named like a bundled one replaces it
        country: XX
        ownership: private        # state | public | private | unknown
        group: Example Media
        domains: [example-gazette.org]

    outlets:                      # a mapping keyed by outlet name or domain (the profile layout)
      example.org:
        name: Example Broadcaster
        country: XX
        state_affiliated: true    # true means ownership "state"
        notes: state broadcaster

A key of the mapping that names a bundled outlet (by name, alias or domain) overrides only the fields
it gives.  ``defaults`` and ``tld`` (keys of the old profile layout) are accepted and ignored.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from storyline.common.names import fold
from storyline.errors import E, StorylineError
from storyline.lang import rulefiles

OWNERSHIPS = ("state", "public", "private", "unknown")
# the two sides the framing view compares: state-owned against independent (public service and private)
SIDES = {"state": "state", "public": "independent", "private": "independent", "unknown": "unknown"}
KINDS = ("agency", "broadcaster", "newspaper", "online", "magazine", "aggregator")
_KEYS = {"name", "aliases", "domains", "country", "ownership", "state_affiliated", "group", "kind", "languages",
         "notes"}
_TOP_KEYS = {"version", "outlets", "defaults", "tld"}
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
# countries whose ISO name reads badly in a label ("Russian Federation", "Palestine, State of")
_COUNTRY_NAMES = {"RU": "Russia", "PS": "Palestine", "CD": "DR Congo", "CG": "Congo", "BN": "Brunei",
                  "VA": "Vatican City", "FM": "Micronesia", "MO": "Macao", "XK": "Kosovo"}


@dataclass(frozen=True, slots=True)
class OutletInfo:
    """What the directory says of one outlet; ``source`` is "directory" or the path of the user's file."""

    name: str
    country: str | None = None  # a display name ("Russia"), or as the user's file gave it ("Freedonia")
    country_code: str | None = None  # ISO 3166-1 alpha-2, when the country is one
    ownership: str = "unknown"
    group: str | None = None
    kind: str | None = None
    state_affiliated: bool | None = None
    notes: str = ""
    source: str = "directory"

    @property
    def side(self) -> str:
        """"state" (state-owned, or privately owned and state-affiliated: a network run for a government),
        "independent" (public or private, or said not to be state-affiliated) or "unknown"."""
        if self.state_affiliated:
            return "state"
        if self.ownership == "unknown" and self.state_affiliated is False:
            return "independent"
        return SIDES.get(self.ownership, "unknown")


def country(value: Any) -> tuple[str | None, str | None]:
    """(display name, ISO alpha-2 code) of a country given as a code or a name; unknown names are kept as given."""
    if value is False:
        value = "NO"  # YAML 1.1 reads an unquoted `country: NO` (Norway) as false
    if value in (None, "") or value is True:
        return None, None
    import pycountry  # deferred: its country tables load only when a directory is built

    text = str(value).strip()
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        if text.upper() in _COUNTRY_NAMES:
            return _COUNTRY_NAMES[text.upper()], text.upper()
        return text, None
    code = found.alpha_2
    return _COUNTRY_NAMES.get(code) or getattr(found, "common_name", None) or found.name, code


def host(url: str | None) -> str | None:
    """The lower-case host name of a URL, or None."""
    if not url:
        return None
    try:
        name = urlsplit(url).hostname
    except ValueError:
        return None
    return name.lower().rstrip(".") if name else None


def _loose(name: str) -> str:
    """A name without case, accents, punctuation or a leading "The": "The Kyiv Independent" ~ "Kyiv Independent"."""
    words = re.sub(r"[\W_]+", " ", fold(name)).split()
    if len(words) > 1 and words[0] in ("the", "la", "le", "el", "die", "der"):
        words = words[1:]
    return " ".join(words)


class Directory:
    """Outlets by domain and by name; build one with ``load_directory``."""

    def __init__(self, entries: list[tuple[OutletInfo, list[str], list[str]]]):
        """``entries``: (info, names and aliases, domains), later entries winning a name or domain."""
        self.entries = [info for info, _, _ in entries]
        self.domains: dict[str, int] = {}
        self.names: dict[str, int] = {}
        loose: dict[str, set[int]] = {}
        for index, (_, names, domains) in enumerate(entries):
            for domain in domains:
                self.domains[domain.lower().removeprefix("www.")] = index
            for name in names:
                self.names[name.casefold().strip()] = index
                loose.setdefault(_loose(name), set()).add(index)
        # a loose form two outlets share says nothing ("The Nation (US)", "The Nation (Thailand)" do not share)
        self.loose = {key: next(iter(found)) for key, found in loose.items() if key and len(found) == 1}

    def __len__(self) -> int:
        return len(self.entries)

    def by_domain(self, hostname: str | None) -> OutletInfo | None:
        """The outlet of the longest listed domain suffix of a host ("actualidad.rt.com" before "rt.com")."""
        index = self._domain_index(hostname)
        return None if index is None else self.entries[index]

    def _domain_index(self, hostname: str | None) -> int | None:
        if not hostname:
            return None
        parts = hostname.lower().rstrip(".").split(".")
        for i in range(len(parts) - 1):
            index = self.domains.get(".".join(parts[i:]))
            if index is not None:
                return index
        return None

    def _name_index(self, outlet: str) -> int | None:
        """By name or alias, exactly (case aside) or loosely; then the name without a trailing part in
        parentheses ("Gazeta.ru (gazeta.press mirror)"), never by that part alone (it may name the
        original source: "The Spokesman-Review (Los Angeles Times)"); then the name read as a domain."""
        name = " ".join(outlet.split())
        candidates = [name]
        head = name.split("(", 1)[0].rstrip()  # (a split, not a pattern: "\s*\(.*$" was quadratic on spaces)
        if head and head != name:
            candidates.append(head)
        for candidate in candidates:
            index = self.names.get(candidate.casefold())
            if index is None:
                index = self.loose.get(_loose(candidate))
            if index is None and _DOMAIN.match(candidate.lower()):
                index = self._domain_index(candidate.lower())
            if index is not None:
                return index
        return None

    def find(self, outlet: str, urls: Iterable[str | None] = ()) -> tuple[OutletInfo | None, str | None]:
        """(the outlet's entry, "domain" or "name"), or (None, None) when the directory does not know it.

        The domain of its articles decides ("SBS News" on sbs.co.kr is Korea's SBS, not Australia's),
        unless it is an aggregator's and the name is an outlet of its own (Reuters on msn.com)."""
        index, how = self.find_index(outlet, urls)
        return (None, None) if index is None else (self.entries[index], how)

    def find_index(self, outlet: str, urls: Iterable[str | None] = ()) -> tuple[int | None, str | None]:
        """As ``find``, with the entry's position in ``entries``."""
        votes = Counter(i for i in (self._domain_index(host(u)) for u in urls) if i is not None)
        by_domain = votes.most_common(1)[0][0] if votes else None
        by_name = self._name_index(outlet or "")
        if by_domain is not None and by_name is not None and by_name != by_domain \
                and self.entries[by_domain].kind == "aggregator":
            return by_name, "name"
        if by_domain is not None:
            return by_domain, "domain"
        if by_name is not None:
            return by_name, "name"
        return None, None


# ---------------------------------------------------------------- building


def _bundled_entry(raw: dict) -> tuple[OutletInfo, list[str], list[str]]:
    name, code = country(raw["country"])
    affiliated = raw.get("state_affiliated")
    info = OutletInfo(raw["name"], name, code, raw["ownership"], raw.get("group"), raw.get("kind"),
                      raw["ownership"] == "state" if affiliated is None else affiliated)
    return info, [raw["name"], *raw.get("aliases", [])], list(raw.get("domains", []))


def _problem(where: str, message: str) -> StorylineError:
    return StorylineError(E.BAD_PROFILE_FILE, where, message)


def read_user_mapping(path: str | Path) -> dict:
    """A user's YAML file (outlets, framing lexicon) holding a mapping; a missing, unreadable or other file is
    one error naming it."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise StorylineError(E.NOT_FOUND, str(path), exc.strerror) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _problem(str(path), f"not valid YAML: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise _problem(str(path), "expected a mapping at the top level")
    return data


def _read_user_file(path: str | Path) -> dict:
    data = read_user_mapping(path)
    unknown = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if unknown:
        raise _problem(str(path), f"unknown key {unknown[0]!r}; use 'outlets'")
    if not isinstance(data.get("outlets") or {}, dict | list):
        raise _problem(str(path), "'outlets' must be a list of outlets or a mapping keyed by name or domain")
    return data


def _strings(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _problem(where, f"{key!r} must be a list of names")
    return [v.strip() for v in value]


def _user_fields(entry: Any, where: str, label: str) -> dict:
    """The fields one entry of the user's file gives, checked."""
    if entry is None:
        return {}
    if not isinstance(entry, dict):
        raise _problem(where, f"outlet {label!r} must be a mapping")
    unknown = sorted(str(k) for k in entry if k not in _KEYS)
    if unknown:
        raise _problem(where, f"outlet {label!r}: unknown key {unknown[0]!r}")
    fields = dict(entry)
    if "ownership" in fields and fields["ownership"] not in OWNERSHIPS:
        raise _problem(where, f"outlet {label!r}: ownership must be one of {', '.join(OWNERSHIPS)}")
    if fields.get("state_affiliated") not in (None, True, False):
        raise _problem(where, f"outlet {label!r}: state_affiliated must be true, false or empty")
    if "kind" in fields and fields["kind"] not in (None, *KINDS):
        raise _problem(where, f"outlet {label!r}: kind must be one of {', '.join(KINDS)}")
    for key in ("aliases", "domains"):
        fields[key] = _strings(fields.get(key), where, f"{label}.{key}")
    return fields


def _apply(info: OutletInfo, fields: dict, where: str) -> OutletInfo:
    """An entry with the user's fields over it: ownership and state affiliation kept consistent."""
    changes: dict[str, Any] = {"source": where}
    if "name" in fields and fields["name"]:
        changes["name"] = str(fields["name"]).strip()
    if "country" in fields:
        changes["country"], changes["country_code"] = country(fields["country"])
    for key in ("group", "kind"):
        if key in fields:
            changes[key] = str(fields[key]).strip() if fields[key] else None
    if "notes" in fields:
        changes["notes"] = str(fields["notes"] or "")
    ownership = fields.get("ownership")
    state = fields.get("state_affiliated")
    if ownership is None and state is not None:
        # "state_affiliated: false" says the outlet is independent, not whether public or private
        ownership = "state" if state else (info.ownership if info.ownership in ("public", "private") else "unknown")
    if ownership is not None:
        changes["ownership"] = ownership
        changes["state_affiliated"] = True if ownership == "state" else (
            False if ownership in ("public", "private") or state is False else None)
    return replace(info, **changes)


class _Builder:
    """The bundled entries, then the user's over them."""

    def __init__(self) -> None:
        self.entries: list[tuple[OutletInfo, list[str], list[str]]] = []
        self.by_name: dict[str, int] = {}

    def add(self, info: OutletInfo, names: list[str], domains: list[str]) -> None:
        key = info.name.casefold()
        if key in self.by_name:  # the user's entry of a bundled outlet replaces it
            self.entries[self.by_name[key]] = (info, names, domains)
        else:
            self.by_name[key] = len(self.entries)
            self.entries.append((info, names, domains))

    def index_of(self, key: str) -> int | None:
        """The entry a key of the user's mapping names: by name or alias, or as a domain."""
        urls = [f"https://{key.lower()}/"] if _DOMAIN.match(key.lower()) else []
        return Directory(self.entries).find_index(key, urls)[0]

    def user_list(self, items: list, where: str) -> None:
        for item in items:
            label = item.get("name") if isinstance(item, dict) else item
            fields = _user_fields(item, where, str(label))
            if not isinstance(fields.get("name"), str) or not fields["name"].strip():
                raise _problem(where, f"outlet {label!r}: every outlet of the list needs a name")
            info = _apply(OutletInfo(fields["name"].strip()), fields, where)
            self.add(info, [info.name, *fields["aliases"]], fields["domains"])

    def user_mapping(self, items: dict, where: str) -> None:
        for key, entry in items.items():
            key = str(key).strip()
            fields = _user_fields(entry, where, key)
            index = self.index_of(key)
            if index is not None:  # a bundled outlet, by name, alias or domain: only the given fields change
                info, names, domains = self.entries[index]
                self.entries[index] = (_apply(info, fields, where), names + [key] + fields["aliases"],
                                       domains + fields["domains"])
                continue
            domains = [key.lower()] if _DOMAIN.match(key.lower()) else []
            info = _apply(OutletInfo(str(fields.get("name") or key).strip()), fields, where)
            self.add(info, [key, info.name, *fields["aliases"]], domains + fields["domains"])


@lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[OutletInfo, list[str], list[str]], ...]:
    return tuple(_bundled_entry(raw) for raw in rulefiles.load("outlet_directory.yaml")["outlets"])


def _build(path: str | Path | None) -> Directory:
    builder = _Builder()
    for info, names, domains in _bundled():
        builder.add(info, list(names), list(domains))
    if path:
        where = str(path)
        items = _read_user_file(path).get("outlets") or []
        if isinstance(items, list):
            builder.user_list(items, where)
        else:
            builder.user_mapping(items, where)
    return Directory(builder.entries)


def load_directory(path: str | Path | None = None) -> Directory:
    """The bundled directory, extended and overridden by the user's file at ``path`` (if any)."""
    return _build(path) if path else bundled_directory()


@lru_cache(maxsize=1)
def bundled_directory() -> Directory:
    """The bundled directory alone (cached: treat it as read-only)."""
    return _build(None)
