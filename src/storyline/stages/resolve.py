"""Cross-document entity resolution: mentions -> entities.

Mentions are first grouped into *forms* (one per normalised lemma), each with
its label votes, roles and articles.  Forms then merge into entities through
blocking keys, never by comparing every pair:

- places by the gazetteer place they resolve to (Kiev -> Kyiv), else by key;
- organisations by a core key ("Armed Forces of Ukraine" = "Ukrainian Armed
  Forces"), and acronyms by the initials of a unique expansion (NSDC);
- people by surname key, then compatible given names (Steve/Stephen,
  Andriy/Andrii/Андрій); surnames one letter apart (Hnatov/Ignatov,
  Trump/Трамп) are found through a deletion index, so the cost stays linear;
- a surname alone joins the full name it co-occurs with in its article, else
  the corpus's most frequent bearer of that surname.

Types are decided per entity from all its mentions' votes and the gazetteer,
not per mention.  A user alias file can force or forbid merges on top.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..models import Analysis, Entity, EntityMentionRef
from .gazetteer import Place, gazetteer
from .names import (
    acronym,
    consonants,
    first_names_compatible,
    fold,
    is_cyrillic,
    is_latin,
    latin_variants,
    name_key,
    token_key,
    tokens,
)
from .roles import country_in_phrase, org_words, strip_honorifics

VERSION = "resolve-4"
# Below this many letters a surname key is too common to match one letter off.
FUZZY_MIN = 5
# A word longer than this is never (part of) a name: such "names" (a 200,000-letter word the model
# took for a person) are left out, and the one-letter-off index of a surname of n letters, n keys of
# n - 1 letters, stays small.
MAX_NAME_WORD = 60


@dataclass
class MentionRecord:
    article: str
    index: int
    text: str
    lemma: str
    label: str
    start: int
    end: int
    sentence: int
    role: str = ""
    hint: str = ""
    language: str = "en"


@dataclass
class Form:
    key: str  # folded lemma without honorifics
    surfaces: Counter = field(default_factory=Counter)
    lemmas: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    mentions: list[MentionRecord] = field(default_factory=list)
    place: Place | None = None
    place_quality: int = -1

    # read only once all mentions are in: the form's display name and its words
    @cached_property
    def display(self) -> str:
        return self.lemmas.most_common(1)[0][0]

    @cached_property
    def words(self) -> list[str]:
        return tokens(self.display)

    # asked again for every pair of forms of one surname: known once
    @cached_property
    def surname(self) -> str:
        return token_key(self.words[-1]) if self.words else ""

    @cached_property
    def given(self) -> list[str]:
        return [w for w in self.words[:-1] if w.rstrip(".")]

    @cached_property
    def cyrillic(self) -> bool:
        return is_cyrillic(self.display)

    @cached_property
    def role_words(self) -> set[str]:
        return _role_words(self)


@dataclass
class Resolution:
    entities: list[Entity]
    mention_entity: dict[tuple[str, int], str]
    by_id: dict[str, Entity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entities}


class _UnionFind:
    """Union-find whose unions never join a forbidden pair (the user's 'separate' list)."""

    def __init__(self, forbidden: list[tuple[str, str]] | None = None) -> None:
        self.parent: dict[str, str] = {}
        self.forbidden = forbidden or []

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        for x, y in self.forbidden:
            if {self.find(x), self.find(y)} == {ra, rb}:
                return
        self.parent[max(ra, rb)] = min(ra, rb)


def records_from(analyses: list[tuple[Analysis, str]]) -> list[MentionRecord]:
    """Mention records.  An inflected name's base form is chosen among its candidates: one whose
    transliteration key matches a name written in Latin script ("Дунка" for "Dunca"), else the
    dictionary's lemma, unless nobody writes it and another article writes a candidate as it is
    ("Солтмир" for "Солтмире")."""
    written = Counter()
    latin_keys: set[str] = set()
    for analysis, _ in analyses:
        for mention in analysis.mentions:
            written[fold(mention.text)] += 1
            if is_latin(mention.text):
                latin_keys.update(token_key(w) for w in mention.text.split())
    records = []
    for analysis, language in analyses:
        for index, mention in enumerate(analysis.mentions):
            if mention.label == "NORP":
                continue
            lemma = mention.lemma or mention.text
            if mention.variants:
                lemma = _choose_base_form(mention, lemma, written, latin_keys)
            records.append(MentionRecord(analysis.article_id, index, mention.text, lemma,
                                         mention.label, mention.start, mention.end, mention.sentence,
                                         mention.role, mention.affiliation_hint, language))
    return records


def _choose_base_form(mention, lemma: str, written: Counter, latin_keys: set[str]) -> str:
    def latin_match(variant: str) -> bool:
        words = variant.split()
        return bool(words) and token_key(words[-1]) in latin_keys

    if latin_match(lemma):
        return lemma
    for variant in mention.variants:
        if latin_match(variant):
            return variant
    if written.get(fold(lemma)):
        return lemma
    own = fold(mention.text)
    elsewhere = [v for v in mention.variants if fold(v) != own and written.get(fold(v))]
    return max(elsewhere, key=lambda v: written[fold(v)]) if elsewhere else lemma


def _form_key(text: str) -> str:
    stripped, _ = strip_honorifics(text)
    folded = fold(stripped)
    folded = re.sub(r"^the\s+", "", folded)
    return re.sub(r"[^\w\s\-&']", "", folded).strip()


def _place_rank_ok(place: Place, form: Form) -> bool:
    """Does the gazetteer hit outweigh the model's votes for this form?

    Places the model calls people are common ("Kiev" as a PERSON), but so are
    people who share a small town's name, so a town must be big to win.  A
    code ("AP") or a foreign alternate name ("White House" is one of
    Casablanca's) counts only when the model also saw a place there.
    """
    total = sum(form.votes.values())
    place_votes = form.votes.get("PLACE", 0)
    person_votes = form.votes.get("PERSON", 0)
    minor_place = form.place_quality in (3, 1) and place.kind not in ("country", "state", "continent")
    if minor_place and place_votes * 2 < total and not (place.population >= 1_000_000 and len(form.words) == 1):
        return False
    if form.place_quality == 3:
        return place_votes * 2 >= total
    if place_votes * 2 >= total:
        return True
    if place.kind in ("country", "continent", "state"):
        return person_votes * 2 < total or len(form.words) == 1
    if person_votes * 2 < total:  # the model said ORG: a city of some size is the better bet
        return place.population >= 50_000
    return place.population >= 1_000_000 and len(form.words) == 1


def _vote_type(votes: Counter) -> str:
    usable = {k: v for k, v in votes.items() if k in ("PERSON", "ORG", "PLACE")}
    if votes.get("FAC"):
        usable["PLACE"] = usable.get("PLACE", 0) + votes["FAC"]
    if not usable:
        return "UNKNOWN"
    return max(usable, key=lambda k: (usable[k], {"PERSON": 2, "PLACE": 1, "ORG": 0}[k]))


def _given_name_evidence(forms: dict[str, Form]) -> tuple[set[str], set[str]]:
    """Given names and surnames learnt from the corpus: the words of forms the model mostly calls people."""
    given, surnames = set(), set()
    for form in forms.values():
        words = form.words
        if form.votes.get("PERSON", 0) * 2 <= sum(form.votes.values()):
            continue
        if 2 <= len(words) <= 4:
            given.add(token_key(words[0]))
        if len(words) == 1 and form.place is None:
            surnames.add(token_key(words[0]))
    return given, surnames


def _looks_personal(form: Form, evidence: tuple[set[str], set[str]]) -> bool:
    """'Rustem Umerov' tagged ORG inside a title span: a known given name or surname, name-like words."""
    given, surnames = evidence
    words = form.words
    if not 2 <= len(words) <= 3:
        return False
    titled = any(r.role for r in form.mentions)  # "negotiator Mirela Dunca"
    if token_key(words[0]) not in given and token_key(words[-1]) not in surnames and not titled:
        return False
    display_words = form.display.split()
    if not all(w[:1].isupper() for w in display_words):
        return False
    return fold(display_words[-1]) not in org_words("en")


def _unbacked_surnames_to_places(forms: dict[str, Form], form_type: dict[str, str]) -> None:
    """A one-word 'person' that never appears with a given name but is a sizeable city is the city."""
    surnames = {_surname(f) for k, f in forms.items() if form_type[k] == "PERSON" and len(f.words) >= 2}
    for key, form in forms.items():
        if (form_type[key] == "PERSON" and len(form.words) == 1 and form.place is not None
                and _surname(form) not in surnames and form.place_quality >= 1
                and (form.place.kind != "city" or form.place.population >= 100_000)):
            form_type[key] = "PLACE"


def _deletions(key: str) -> set[str]:
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


def _surname(form: Form) -> str:
    return form.surname


def _given(form: Form) -> list[str]:
    return form.given


def _org_core(display: str) -> tuple[str, str | None]:
    """('armed forces', 'Ukraine') for both 'Armed Forces of Ukraine' and 'Ukrainian Armed Forces'."""
    gaz = gazetteer()
    words = display.split()
    country = None
    # (?<!\s): "of" is looked for after whole runs of spaces only, not from each space of a long run
    match = re.match(r"^(.*?)(?<!\s)\s+of\s+(?:the\s+)?(.+)$", display, re.IGNORECASE)
    if match:
        place = gaz.lookup(match.group(2))
        if place is not None and place.kind == "country":
            country, display = place.name, match.group(1)
            words = display.split()
    if words and country is None:
        demonym = gaz.country_of_demonym(words[0]) if words[0][:1].isupper() else None
        if demonym is not None and len(words) > 1:
            country, display = demonym.name, " ".join(words[1:])
    return name_key(display), country


def resolve(analyses: list[tuple[Analysis, str]], aliases: dict | None = None,
            outlets: set[str] | None = None) -> Resolution:
    """Resolve the mentions of many analysed articles (each with its language) into entities.

    ``outlets`` are the names of the outlets that published the articles: a name that is an
    outlet's is an organisation, whatever the model said ("SALTMERE (Harbour Wire)").
    """
    outlet_keys = {fold(o) for o in outlets or () if o}
    records = records_from(analyses)
    acronym_links = [(fact.value, fact.text) for analysis, _ in analyses for fact in analysis.facts
                     if fact.attribute == "acronym"]
    gaz = gazetteer()
    forms: dict[str, Form] = {}
    for record in records:
        key = _form_key(record.lemma)
        if not key or not any(ch.isalpha() for ch in key) or any(len(w) > MAX_NAME_WORD for w in key.split()):
            continue
        if (len(key.split()) == 1 and gaz.country_of_demonym(record.lemma) is not None
                and fold(record.lemma) in gaz.demonyms):
            continue  # "Ukrainian", "Russians": an adjective of a country, not an entity
        form = forms.setdefault(key, Form(key))
        form.surfaces[record.text] += 1
        form.lemmas[strip_honorifics(record.lemma)[0]] += 1
        form.votes[record.label] += 1
        form.mentions.append(record)
    for form in forms.values():
        found = gaz.lookup_quality(form.display, None)
        if found:
            form.place, form.place_quality = found
    given_names = _given_name_evidence(forms)

    by_norm = {fold(f.display): k for k, f in forms.items()}
    forbidden = []
    for pair in (aliases or {}).get("separate", []) or []:
        keys = [by_norm.get(fold(name)) for name in pair]
        if len(keys) == 2 and all(keys):
            forbidden.append((keys[0], keys[1]))
    uf = _UnionFind(forbidden)
    form_type: dict[str, str] = {}
    for key, form in forms.items():
        voted = _vote_type(form.votes)
        if form.place is not None and (_place_rank_ok(form.place, form)
                                       or voted == "UNKNOWN" and form.place_quality >= 2):
            form_type[key] = "PLACE"
        elif fold(form.display) in outlet_keys:
            form_type[key] = "ORG"
        elif voted in ("ORG", "UNKNOWN", "PLACE") and _looks_personal(form, given_names):
            form_type[key] = "PERSON"
        else:
            form_type[key] = voted
        uf.find(key)
    _unbacked_surnames_to_places(forms, form_type)

    _merge_places(forms, form_type, uf)
    _merge_orgs(forms, form_type, uf, acronym_links)
    surname_owner = _merge_people(forms, form_type, uf)
    _apply_alias_file(forms, uf, aliases or {})

    # Surname-only and unknown single words: attach per mention, preferring a bearer in the same article.
    per_article_people: dict[str, set[str]] = defaultdict(set)
    for key, form in forms.items():
        if form_type[key] == "PERSON" and len(form.words) >= 2:
            for record in form.mentions:
                per_article_people[record.article].add(uf.find(key))
    mention_root: dict[tuple[str, int], str] = {}
    # per surname and article, the first bearer named in the article; per surname, how many bearers:
    # once, not again for each mention of the surname (hundreds of bearers in a list of names)
    first_local: dict[tuple[str, str], str | None] = {}
    bearer_count: dict[str, int] = {}
    for key, form in forms.items():
        for record in form.mentions:
            root = uf.find(key)
            if len(form.words) == 1 and not (form.place is not None and form_type[key] == "PLACE"):
                surname = _surname(form)
                candidates = surname_owner.get(surname, [])
                if (surname, record.article) not in first_local:
                    people = per_article_people[record.article]
                    first_local[(surname, record.article)] = next((c for c in candidates if uf.find(c) in people), None)
                if surname not in bearer_count:
                    bearer_count[surname] = len({uf.find(c) for c in candidates})
                local = first_local[(surname, record.article)]
                if local is not None:
                    root = uf.find(local)
                elif candidates and (form_type[key] != "ORG" or form.votes.get("PERSON", 0) or (
                        bearer_count[surname] == 1 and not form.display.isupper()
                        and fold(form.display) not in org_words("en"))):
                    # an "ORG" that is exactly the surname of the corpus's only bearer is that person
                    root = uf.find(candidates[0])
            mention_root[(record.article, record.index)] = root

    groups: dict[str, list[MentionRecord]] = defaultdict(list)
    for form in forms.values():
        for record in form.mentions:
            groups[mention_root[(record.article, record.index)]].append(record)
    entities: list[Entity] = []
    mention_entity: dict[tuple[str, int], str] = {}
    built: list[tuple[Entity, list[MentionRecord]]] = []
    for root, members in groups.items():
        entity = _build_entity(root, members, forms, form_type)
        if entity is not None:
            built.append((entity, members))
    _unique_ids([entity for entity, _ in built])
    for entity, members in built:
        entities.append(entity)
        for record in members:
            mention_entity[(record.article, record.index)] = entity.id
    _add_surname_aliases(entities)
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return Resolution(entities, mention_entity)


def _unique_ids(entities: list[Entity]) -> None:
    """Two entities kept apart (two people with one name, "separate" in the alias file) would get
    one id from their name: the one with most mentions keeps it, the others take their first mention's."""
    by_id: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        by_id[entity.id].append(entity)
    for same in by_id.values():
        if len(same) < 2:
            continue
        same.sort(key=lambda e: (-len(e.mentions),
                                 min((m.article, m.start) for m in e.mentions) if e.mentions else ("", 0)))
        for entity in same[1:]:
            first = min((m.article, m.start) for m in entity.mentions) if entity.mentions else ("", 0)
            entity.id = entity_id(entity.type, f"{entity.name}#{first[0]}:{first[1]}")


def _add_surname_aliases(entities: list[Entity]) -> None:
    """News calls people by their surname: it is an alias of a person whose full name is known,
    unless another person here bears the same surname."""
    bearers: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        if entity.type != "PERSON":
            continue
        for alias in entity.aliases:
            words = alias.split()
            if len(words) >= 2:
                bearers[token_key(words[-1])].add(entity.id)
    for entity in entities:
        if entity.type != "PERSON":
            continue
        known = set(entity.aliases)
        for alias in list(entity.aliases):
            words = alias.split()
            if len(words) >= 2 and len(bearers[token_key(words[-1])]) == 1 and words[-1] not in known \
                    and words[-1][:1].isupper() and len(words[-1]) >= 3:
                entity.aliases.append(words[-1])
                entity.derived_aliases.append(words[-1])
                known.add(words[-1])
        entity.aliases.sort()


def _merge_places(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind) -> None:
    by_place: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for key, form in forms.items():
        if form_type[key] != "PLACE":
            continue
        if form.place is not None:
            anchor = by_place.setdefault(form.place.id, key)
        else:
            anchor = by_key.setdefault(name_key(form.display), key)
        uf.union(anchor, key)


def _merge_orgs(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind,
               acronym_links: list[tuple[str, str]] = ()) -> None:
    cores: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    acronyms: dict[str, list[str]] = defaultdict(list)
    short_forms: dict[str, str] = {}
    for key, form in forms.items():
        if form_type[key] != "ORG":
            continue
        display = form.display
        if display.isupper() and 2 <= len(display) <= 6 and " " not in display:
            short_forms[display] = key
            continue
        core, country = _org_core(display)
        if core:
            cores[core].append((key, country))
        if len(display.split()) >= 2:
            acronyms[acronym(display)].append(key)
            if country:
                acronyms[acronym(re.sub(r"(?<!\s)\s+of\s+(?:the\s+)?\S+$", "", display))].append(key)
    for members in cores.values():
        countries = {c for _, c in members if c}
        if len(countries) <= 1:  # "NSDC of Ukraine" and plain "NSDC": one body unless two countries claim it
            for key, _ in members[1:]:
                uf.union(members[0][0], key)
    for short, key in short_forms.items():
        expansions = {uf.find(k) for k in acronyms.get(short, [])}
        if len(expansions) == 1:
            uf.union(next(iter(expansions)), key)
    # "CBS" and "CBS News": an acronym and the same acronym plus a media word
    for key, form in forms.items():
        words = form.display.split()
        if form_type[key] == "ORG" and len(words) >= 2 and words[0] in short_forms and all(
                fold(w) in _MEDIA_WORDS for w in words[1:]):
            uf.union(short_forms[words[0]], key)
    # "National Security and Defense Council (NSDC)": the text itself says they are one
    linked = defaultdict(set)
    for short, expansion in acronym_links:
        linked[short].add(_form_key(expansion))
    for short, expansions in linked.items():
        short_key = _form_key(short)
        targets = {uf.find(k) for k in expansions if k in forms and form_type[k] == "ORG"}
        if short_key in forms and len(targets) == 1:
            uf.union(next(iter(targets)), short_key)


_MEDIA_WORDS = {"news", "media", "tv", "radio", "agency", "network", "channel", "group", "online", "digital", "wire"}


def _merge_people(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind) -> dict[str, list[str]]:
    """Merge full names; return surname key -> full-name form keys, most mentioned first."""
    person_surnames = {_surname(f) for k, f in forms.items() if form_type[k] == "PERSON"}
    # an unlabelled capitalised run ("Volodimir Zelenski" in a language without a model)
    # counts when its last word is the surname of someone the model did recognise
    for key, form in forms.items():
        if form_type[key] == "UNKNOWN" and 2 <= len(form.words) <= 3 and (
                _surname(form) in person_surnames or any(v in person_surnames for v in _deletions(_surname(form))
                                                        if len(_surname(form)) >= FUZZY_MIN)):
            form_type[key] = "PERSON"
    full = [k for k, f in forms.items() if form_type[k] in ("PERSON", "UNKNOWN") and len(f.words) >= 2
            and (form_type[k] == "PERSON" or f.votes.get("PERSON"))]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key in full:
        surname = _surname(forms[key])
        if surname:
            by_surname[surname].append(key)
    # Surname keys one edit apart (Hnatov/Ignatov, Trump/Трамп) through a deletion index.
    deletion_index: dict[str, set[str]] = defaultdict(set)
    for surname in by_surname:
        if len(surname) >= FUZZY_MIN:
            for variant in _deletions(surname):
                deletion_index[variant].add(surname)
    # surname keys one edit apart (Hnatov/Ignatov): neighbours, never chained transitively
    near: dict[str, set[str]] = {surname: {surname} for surname in by_surname}
    for group in deletion_index.values():
        for a in group:
            near[a].update(group)
    for surname, keys in sorted(by_surname.items()):
        keys.sort(key=lambda k: (-len(forms[k].mentions), k))
        for other in sorted(near[surname]):
            if other < surname:
                continue  # each pair of surname groups once
            others = keys if other == surname else sorted(by_surname[other], key=lambda k: (-len(forms[k].mentions), k))
            bearers = keys if other == surname else keys + others
            scripts = Counter(forms[k].cyrillic for k in bearers)  # once per group, not once per pair
            if not uf.forbidden:
                # the same merges without testing every pair: see _link_people
                _link_people(keys, others, surname, other, scripts, forms, uf)
                continue
            for i, a in enumerate(keys):
                for b in (keys[i + 1:] if other == surname else others):
                    # (the test first: it is pure, and mostly false among many bearers of one surname)
                    if _same_person(forms[a], forms[b], bearers, forms, scripts) and uf.find(a) != uf.find(b):
                        uf.union(a, b)
    owner: dict[str, list[str]] = defaultdict(list)
    for surname in by_surname:
        for other in sorted(near[surname]):
            for key in by_surname[other]:
                if key not in owner[surname]:
                    owner[surname].append(key)
    weight_of_root: Counter = Counter()
    for key, form in forms.items():
        weight_of_root[uf.find(key)] += len(form.mentions)
    for surname in owner:
        owner[surname].sort(key=lambda k: (-weight_of_root[uf.find(k)], k))
    # single-token forms whose key is a surname one edit away from a known one
    for key, form in forms.items():
        if len(form.words) == 1 and form_type[key] in ("PERSON", "UNKNOWN", "ORG"):
            surname = _surname(form)
            if surname in owner or len(surname) < FUZZY_MIN:
                continue
            near = {s for v in _deletions(surname) for s in deletion_index.get(v, ())}
            if len(near) == 1:
                owner[surname] = owner[next(iter(near))]
    # surnames nobody bears in full: group single forms by key
    singles: dict[str, str] = {}
    for key, form in forms.items():
        if len(form.words) == 1 and form_type[key] == "PERSON" and _surname(form) not in owner:
            anchor = singles.setdefault(_surname(form), key)
            uf.union(anchor, key)
    return owner


def _link_people(keys: list[str], others: list[str], surname: str, other: str, scripts: Counter,
                 forms: dict[str, Form], uf: _UnionFind) -> None:
    """Union what testing ``_same_person`` on every pair (a of ``keys``, b of ``others``; b after a
    when both are ``keys``) would union, without testing every pair.

    A list of thousands of names gives a surname a hundred bearers and each pair of bearers was
    tested, at every rebuild: tens of seconds for one article.  Without a "separate" list the order
    of unions does not matter (a group's root is its smallest key), so only the groups are needed.
    ``_same_person`` holds for a pair when (1) one has no given name, or (2) the given names are
    compatible and the surnames equal or one letter apart, or, with one surname, (3) their roles
    agree or (4) the two are in different scripts and the first is the only bearer in its script.
    Pairs for (2) come from an index of the given names (``_compatible_given``); a given name
    stands for all its bearers.
    """
    same = other == surname
    def join(members) -> None:
        members = list(members)
        for member in members[1:]:
            uf.union(members[0], member)

    # (1)
    if same:
        if len(keys) >= 2 and any(not forms[k].given for k in keys):
            join(keys)
    else:
        if others and any(not forms[k].given for k in keys):
            join([k for k in keys if not forms[k].given] + others)
        if keys and any(not forms[k].given for k in others):
            join([k for k in others if not forms[k].given] + keys)
    # (2)
    if same or (len(surname) >= FUZZY_MIN and _edit_ok(surname, other)):
        mine: dict[str, list[str]] = defaultdict(list)
        theirs: dict[str, list[str]] = defaultdict(list)
        for k in keys:
            if forms[k].given:
                mine[forms[k].given[0]].append(k)
        for k in others:
            if forms[k].given:
                theirs[forms[k].given[0]].append(k)
        linked_mine: set[str] = set()
        linked_theirs: set[str] = set()
        for name, bearers in mine.items():
            for match in _compatible_given(name, theirs):
                if same and match == name and len(bearers) < 2:
                    continue  # one bearer of the name: no pair
                uf.union(bearers[0], theirs[match][0])
                linked_mine.add(name)
                linked_theirs.add(match)
        # every bearer of a linked name is linked to the bearers of its match
        for name in linked_mine:
            join(mine[name])
        for name in linked_theirs:
            join(theirs[name])
    if not same:
        return
    # (3)
    titled = [k for k in keys if len(forms[k].role_words) >= 2]
    for i, a in enumerate(titled):
        for b in titled[i + 1:]:
            if _roles_agree(forms[a], forms[b]):
                uf.union(a, b)
    # (4)
    if scripts[True] and scripts[False]:
        for i, a in enumerate(keys):
            if scripts[forms[a].cyrillic] == 1:
                for b in keys[i + 1:]:
                    if forms[b].cyrillic != forms[a].cyrillic:
                        uf.union(a, b)


def _compatible_given(name: str, names: dict[str, list[str]]) -> list[str]:
    """The names of ``names`` that ``first_names_compatible`` accepts with ``name``, found through an
    index of their keys rather than by testing them all.  Compatible keys are empty, one a prefix of
    the other, one edit apart, share four first letters or share their consonants; each of those is
    a lookup here, and the candidates are then tested."""
    index = _given_index(tuple(names))
    key = token_key(name)
    if not key:
        return list(names)
    candidates = set(index.get(("", ""), ()))  # names with an empty key
    candidates.update(index.get(("prefix-of", key), ()))  # names starting with the key (or equal)
    for end in range(1, len(key) + 1):
        candidates.update(index.get(("key", key[:end]), ()))  # names that are a prefix of the key
    if len(key) >= 4:
        candidates.update(index.get(("four", key[:4]), ()))
        for variant in _deletions(key):
            candidates.update(index.get(("deletion", variant), ()))
    candidates.update(index.get(("consonants", consonants(key)), ()))
    return [other for other in names if other in candidates and first_names_compatible(name, other)]


@lru_cache(maxsize=64)
def _given_index(names: tuple[str, ...]) -> dict[tuple[str, str], list[str]]:
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in names:
        key = token_key(name)
        if not key:
            index[("", "")].append(name)
            continue
        index[("key", key)].append(name)
        for end in range(1, len(key) + 1):
            index[("prefix-of", key[:end])].append(name)
        if len(key) >= 4:
            index[("four", key[:4])].append(name)
            for variant in _deletions(key):
                index[("deletion", variant)].append(name)
        index[("consonants", consonants(key))].append(name)
    return dict(index)


def _same_person(a: Form, b: Form, cluster: list[str], forms: dict[str, Form], scripts: Counter | None = None) -> bool:
    """``scripts``: how many of ``cluster`` are written in Cyrillic (True) and not (False)."""
    given_a, given_b = _given(a), _given(b)
    if not given_a or not given_b:
        return True
    if first_names_compatible(given_a[0], given_b[0]):
        if _surname(a) == _surname(b):
            return True
        return len(_surname(a)) >= FUZZY_MIN and _edit_ok(_surname(a), _surname(b))
    if _surname(a) == _surname(b) and _roles_agree(a, b):
        return True  # one outlet's wrong given name ("Oksana"/"Olga") for the same ambassador
    # Across scripts and languages given names change (Volodymyr/Владимир): trust
    # the surname when only one person of each script bears it here.
    scripts_differ = a.cyrillic != b.cyrillic
    if scripts_differ and _surname(a) == _surname(b):
        if scripts is None:
            scripts = Counter(forms[k].cyrillic for k in cluster)
        return bool(scripts[True] and scripts[False]) and scripts[a.cyrillic] == 1
    return False


_ROLE_STOP = {"the", "of", "to", "a", "an", "and", "for", "in", "s", "former", "new", "us", "u"}


def _role_words(form: Form) -> set[str]:
    words = set()
    for record in form.mentions:
        for word in re.findall(r"\w+", fold(record.role)):
            if word not in _ROLE_STOP and len(word) > 2:
                words.add(word)
    return words


def _roles_agree(a: Form, b: Form) -> bool:
    wa, wb = a.role_words, b.role_words
    if len(wa) < 2 or len(wb) < 2:
        return False
    return len(wa & wb) / len(wa | wb) >= 0.5


def _edit_ok(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _apply_alias_file(forms: dict[str, Form], uf: _UnionFind, aliases: dict) -> None:
    """User aliases: ``merge: [[a, b, ...]]`` forces merges (``separate`` is enforced by the union-find)."""
    by_norm = {fold(f.display): k for k, f in forms.items()}
    for group in aliases.get("merge", []) or []:
        keys = [by_norm.get(fold(name)) for name in group]
        keys = [k for k in keys if k]
        for other in keys[1:]:
            uf.union(keys[0], other)


def entity_id(type_: str, name: str) -> str:
    return "e" + hashlib.sha1(f"{type_}:{fold(name)}".encode()).hexdigest()[:10]


def _build_entity(root: str, members: list[MentionRecord], forms: dict[str, Form],
                  form_type: dict[str, str]) -> Entity | None:
    votes = Counter()
    surfaces = Counter()
    places = Counter()
    for record in members:
        votes[record.label] += 1
        surfaces[record.text] += 1
    member_forms = {_form_key(r.lemma) for r in members}
    for key in member_forms:
        form = forms.get(key)
        if form and form.place is not None and form_type.get(key) == "PLACE":
            places[form.place.id] += len(form.mentions)
    type_votes = Counter()
    for key in member_forms:
        if key in form_type:
            type_votes[form_type[key]] += len(forms[key].mentions)
    chosen = _vote_type(type_votes)
    if chosen == "UNKNOWN":
        chosen = _vote_type(votes)
    if chosen == "UNKNOWN":
        return None  # capitalised words nobody recognised as a name
    # Canonical name: the commonest full form in Latin script, else the commonest form.
    lemmas = Counter()
    for record in members:
        lemmas[strip_honorifics(record.lemma)[0]] += 1
    def preference(item):
        name, count = item
        return (not is_cyrillic(name), len(tokens(name)) >= 2 if chosen == "PERSON" else True, count, len(name))
    name = max(lemmas.items(), key=preference)[0]
    place = None
    if chosen == "PLACE" and places:
        place = gazetteer().places[places.most_common(1)[0][0]]
    aliases = sorted(set(surfaces) | set(lemmas))
    derived: list[str] = []
    if place is not None:
        # the user reads English: a place goes by its gazetteer name
        if place.name not in aliases:
            derived.append(place.name)
        name = place.name
    elif is_cyrillic(name):
        # Latin spellings help a reader search, but none is attested here: the name stays as sources write it
        languages = Counter(r.language for r in members)
        derived.extend(v for v in latin_variants(name, languages.most_common(1)[0][0]) if v not in aliases)
    roles: list[tuple[str, str]] = []
    seen_roles = set()
    hints = Counter()
    for record in members:
        if record.role and fold(record.role) not in seen_roles:
            seen_roles.add(fold(record.role))
            roles.append((record.role, record.article))
        if record.hint:
            hints[record.hint] += 1
    affiliation = None
    inferred = True
    if chosen == "PLACE" and place is not None:
        affiliation = place.country or place.name
        inferred = False
    elif hints:
        affiliation = hints.most_common(1)[0][0]
    elif chosen == "ORG":
        _, country = _org_core(name)
        affiliation = country
    ident = entity_id(chosen, place.id if place else name)
    mentions = [EntityMentionRef(r.article, r.text, r.start, r.end, r.sentence)
                for r in sorted(members, key=lambda r: (r.article, r.start))]
    return Entity(ident, name, chosen, sorted(set(aliases) | set(derived)), mentions, roles, affiliation, inferred,
                  external_id=place.id if place else None, derived_aliases=derived)


def infer_affiliations(resolution: Resolution, cooccurrence: dict[str, Counter]) -> None:
    """People without a role-derived side take the country they co-occur with most (marked inferred)."""
    for entity in resolution.entities:
        if entity.affiliation or entity.type != "PERSON":
            continue
        counts = cooccurrence.get(entity.id)
        if counts:
            country, count = counts.most_common(1)[0]
            if count >= 2:
                entity.affiliation = country
                entity.affiliation_inferred = True


def role_country(role: str) -> str | None:
    return country_in_phrase(role) if role else None


__all__ = ["resolve", "Resolution", "entity_id", "org_words"]
