"""Cross-document entity resolution: mentions -> entities.

Mentions are first grouped into *forms* (one per normalised lemma), each with
its label votes, roles and articles.  Forms then merge into entities through
blocking keys, never by comparing every pair:

- places by the gazetteer place they resolve to (Kiev -> Kyiv), else by key;
- organisations by a core key ("Armed Forces of Ukraine" = "Ukrainian Armed
  Forces"), and acronyms by the initials of a unique expansion (NSDC);
- people by surname key, then compatible given names (Steve/Stephen,
  Andriy/Andrii/Андрій); surnames one letter apart (Holmsen/Holmson,
  Vrastek/Врастик) are found through a deletion index, so the cost stays linear;
- a surname alone joins the full name it co-occurs with in its article, else
  the corpus's most frequent bearer of that surname.

Types are decided per entity from all its mentions' votes and the gazetteer,
not per mention.  A user alias file can force or forbid merges on top.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from rapidfuzz.distance import Levenshtein

from storyline.article.roles import country_in_phrase, is_facility, is_role_word, org_words, strip_honorifics
from storyline.common.gazetteer import Gazetteer, Place, gazetteer
from storyline.common.names import (
    PARTICLES,
    acronym,
    acronym_of,
    consonants,
    first_names_compatible,
    fold,
    hyphen_pair,
    is_cyrillic,
    is_latin,
    latin_variants,
    name_key,
    token_key,
    tokens,
)
from storyline.common.palladius import palladius
from storyline.lang import rulefiles
from storyline.models import Analysis, Entity, EntityMentionRef

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


# Cyrillic case endings a place's name takes before a person's name ("посланник Кестланда Томас Эббинг")
_CYRILLIC_ENDINGS = ("ии", "ой", "ей", "ом", "ем", "ью", "а", "я", "ы", "и", "у", "ю", "е")


def _without_place_genitives(records: list[MentionRecord]) -> list[MentionRecord]:
    """A person's name read together with the place or the person before it ("Кестланда Томас Эббинг": the
    envoy of Kestland; "Врастека Томас Эббинг": Vrastek's aide) loses that name: its first word is dropped
    when it is, less a case ending, the key of a place or a surname the corpus names in one word (or of a
    country), and two words are left."""
    place_keys = {token_key(r.lemma) for r in records if r.label in ("PLACE", "LOC", "GPE") and " " not in r.lemma}
    # and a person's surname before another's name ("помічник Врастека Томас Еббінг": the aide of Vrastek)
    place_keys |= {token_key(r.lemma) for r in records if r.label in ("PERSON", "PER") and " " not in r.lemma
                   and len(r.lemma) >= 4}
    gaz = gazetteer()
    out = []
    for record in records:
        words = record.lemma.split()
        if record.label in ("PERSON", "PER") and len(words) >= 3 and is_cyrillic(words[0]):
            stems = [words[0]] + [words[0][:-len(e)] for e in _CYRILLIC_ENDINGS if words[0].lower().endswith(e)]
            if any(token_key(stem) in place_keys or _country_word(gaz, stem) for stem in stems if len(stem) >= 3):
                cut = record.text.find(words[1])
                if cut > 0:
                    record = replace(record, text=record.text[cut:], lemma=" ".join(words[1:]),
                                     start=record.start + cut)
        out.append(record)
    return out


def _country_word(gaz: Gazetteer, word: str) -> bool:
    place = gaz.lookup(word)
    return place is not None and place.kind == "country"


def _choose_base_form(mention, lemma: str, written: Counter, latin_keys: set[str]) -> str:
    def latin_match(variant: str) -> bool:
        words = variant.split()
        return bool(words) and token_key(words[-1]) in latin_keys

    if is_latin(mention.text):
        # a name in Latin letters with case endings ("Məmmədovla"): the form without one that the corpus
        # writes elsewhere, before the form as written (whose own key is among the Latin ones)
        for variant in mention.variants:
            if latin_match(variant):
                return variant
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


@lru_cache(maxsize=1 << 17)  # every mention asks, twice a rebuild; the same few thousand names recur
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
    """'Anna Varga' tagged ORG inside a title span: a known given name or surname, name-like words."""
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

    The steps: mentions become forms (``_collect_forms``), each form gets a type
    (``_type_forms``), forms of one type merge by their blocking keys (places, organisations,
    people, then the user's alias file), each mention is given its group (``_mention_roots``: a
    surname alone joins a bearer), and each group becomes an entity (``_entities_from``).
    """
    outlet_keys = {fold(o) for o in outlets or () if o}
    acronym_links = [(fact.value, fact.text) for analysis, _ in analyses for fact in analysis.facts
                     if fact.attribute == "acronym"]
    forms = _collect_forms(_without_place_genitives(records_from(analyses)))
    uf = _UnionFind(_forbidden_pairs(forms, aliases or {}))
    for key in forms:
        uf.find(key)
    form_type = _type_forms(forms, outlet_keys)

    _merge_places(forms, form_type, uf)
    _merge_orgs(forms, form_type, uf, acronym_links)
    surname_owner = _merge_people(forms, form_type, uf)
    _link_palladius_renderings(forms, form_type, uf)
    _apply_alias_file(forms, uf, aliases or {})

    mention_root = _mention_roots(forms, form_type, uf, surname_owner)
    return _entities_from(forms, form_type, mention_root)


def _is_name_key(key: str, lemma: str, gaz: Gazetteer) -> bool:
    """Can a mention with this form key name an entity?  Not without a letter, not with a word too
    long to be a name (``MAX_NAME_WORD``), and not when it is a country's adjective alone
    ("Ukrainian", "Russians"): that describes an entity, it is not one."""
    if not key or not any(ch.isalpha() for ch in key) or any(len(w) > MAX_NAME_WORD for w in key.split()):
        return False
    return not (len(key.split()) == 1 and gaz.country_of_demonym(lemma) is not None
                and fold(lemma) in gaz.demonyms)


def _collect_forms(records: list[MentionRecord]) -> dict[str, Form]:
    """Group the mentions into forms, one per form key (the folded lemma without honorifics), and
    look each form's display name up in the gazetteer once: every later decision is per form, so a
    name written a thousand times is weighed once, with all its votes."""
    gaz = gazetteer()
    forms: dict[str, Form] = {}
    for record in records:
        key = _form_key(record.lemma)
        if not _is_name_key(key, record.lemma, gaz):
            continue
        form = forms.setdefault(key, Form(key))
        form.surfaces[record.text] += 1
        form.lemmas[strip_honorifics(record.lemma)[0]] += 1
        form.votes[record.label] += 1
        form.mentions.append(record)
    for form in forms.values():
        found = gaz.lookup_quality(form.display, None)
        if found:
            form.place, form.place_quality = found
    return forms


def _forbidden_pairs(forms: dict[str, Form], aliases: dict) -> list[tuple[str, str]]:
    """The form keys of the user's ``separate`` pairs: the union-find never joins them.  A pair
    naming a form the corpus does not have forbids nothing."""
    by_norm = {fold(f.display): k for k, f in forms.items()}
    forbidden = []
    for pair in aliases.get("separate", []) or []:
        keys = [by_norm.get(fold(name)) for name in pair]
        if len(keys) == 2 and all(keys):
            forbidden.append((keys[0], keys[1]))
    return forbidden


def _type_forms(forms: dict[str, Form], outlet_keys: set[str]) -> dict[str, str]:
    """Each form's type (``_form_type``), then one-word "people" that never appear with a given name
    but are sizeable cities become places (``_unbacked_surnames_to_places``): types are decided
    before any merge, because merges are blocked by type."""
    given_names = _given_name_evidence(forms)
    form_type = {key: _form_type(form, outlet_keys, given_names) for key, form in forms.items()}
    _unbacked_surnames_to_places(forms, form_type)
    _surnames_of_full_names_to_people(forms, form_type)
    _not_names(forms, form_type)
    _places_by_agreement(forms, form_type)
    return form_type


def _places_by_agreement(forms: dict[str, Form], form_type: dict[str, str]) -> None:
    """A one-word "person" no given name goes with, written in one script, whose key is a place's written in
    another that is named at least as often ("Вальдория" beside "Valdoria"), is that place: the corpus's
    mentions agree across scripts, whatever the model said of the few."""
    places: dict[str, list[tuple[bool, int]]] = defaultdict(list)  # key -> (Cyrillic, mentions) of place forms
    for key, form in forms.items():
        if form_type[key] == "PLACE" and len(form.words) == 1:
            places[token_key(form.words[0])].append((form.cyrillic, len(form.mentions)))
    if not places:
        return
    for key, form in forms.items():
        if form_type[key] not in ("PERSON", "UNKNOWN") or len(form.words) != 1:
            continue
        found = places.get(token_key(form.words[0]), ())
        if any(cyrillic != form.cyrillic and count >= len(form.mentions) for cyrillic, count in found):
            form_type[key] = "PLACE"


# The type of a form that names nothing: a title alone ("Спецпосланник"), two names joined by a hyphen
# ("Smith-Jones talks" read as one name).  Its mentions make no entity.
NOT_A_NAME = "NONE"


def _person_words(forms: dict[str, Form], form_type: dict[str, str]) -> tuple[set[str], set[str]]:
    """The surname keys and the other word keys of the full names (two words or more) typed PERSON."""
    surnames, others = set(), set()
    for key, form in forms.items():
        if form_type[key] == "PERSON" and len(form.words) >= 2 and not hyphen_pair(form.display):
            surnames.add(form.surname)
            others.update(token_key(w) for w in form.words[:-1] if len(w.rstrip(".")) >= 2)
    return surnames, others


def _major_place(form: Form) -> bool:
    place = form.place
    return place is not None and form.place_quality >= 1 and (
        place.kind in ("country", "state", "continent") or place.population >= 100_000)


def _surnames_of_full_names_to_people(forms: dict[str, Form], form_type: dict[str, str]) -> None:
    """Agreement across the corpus: a single word that is the surname of a person the corpus names in
    full is that person's name, whatever the model called some of its mentions ("Smith" tagged ORG
    most of the time, or a hamlet's name) -- unless it is an acronym, an organisation word, or a
    sizeable place."""
    surnames, _ = _person_words(forms, form_type)
    for key, form in forms.items():
        if form_type[key] == "PERSON" or len(form.words) != 1 or form.surname not in surnames:
            continue
        if form.display.isupper() or fold(form.display) in org_words("en") or _major_place(form):
            continue
        if form_type[key] == "ORG" and not form.votes.get("PERSON"):
            continue  # never once seen as a person: a company named after its founder
        form_type[key] = "PERSON"


def _not_names(forms: dict[str, Form], form_type: dict[str, str]) -> None:
    """Forms that name nothing (``NOT_A_NAME``): a title or role word alone, in any language, and two
    names joined by a hyphen, each of which the corpus knows as a name of its own."""
    surnames, others = _person_words(forms, form_type)
    known = surnames | others | {f.surname for k, f in forms.items() if len(f.words) == 1
                                 and form_type[k] in ("PERSON", "PLACE")}
    for key, form in forms.items():
        display = form.display
        if len(form.words) == 1 and form.mentions and all(
                is_role_word(display, r.language) for r in form.mentions[:3]):
            form_type[key] = NOT_A_NAME
            continue
        pair = hyphen_pair(display)
        if pair and all(token_key(part) in known for part in pair):
            form_type[key] = NOT_A_NAME


def _form_type(form: Form, outlet_keys: set[str], given_names: tuple[set[str], set[str]]) -> str:
    """One form's type.  A gazetteer place wins when it outweighs the model's votes
    (``_place_rank_ok``), or when the model had no opinion and the hit is good; an outlet's own name
    is an organisation; a name-like run the model called something else is a person when the corpus
    knows its given name or surname (``_looks_personal``); otherwise the model's votes decide."""
    voted = _vote_type(form.votes)
    if form.place is not None and (_place_rank_ok(form.place, form)
                                   or voted == "UNKNOWN" and form.place_quality >= 2):
        return "PLACE"
    if fold(form.display) in outlet_keys:
        return "ORG"
    if voted in ("ORG", "UNKNOWN", "PLACE") and _looks_personal(form, given_names):
        return "PERSON"
    if voted in ("ORG", "UNKNOWN") and is_facility(form.display):
        return "PLACE"  # a venue ("... Convention Centre", "... Airport") is where things happen
    return voted


def _full_names_by_article(forms: dict[str, Form], form_type: dict[str, str],
                           uf: _UnionFind) -> dict[str, set[str]]:
    """Per article, the groups of the people it names in full (two words or more)."""
    per_article_people: dict[str, set[str]] = defaultdict(set)
    for key, form in forms.items():
        if form_type[key] == "PERSON" and len(form.words) >= 2:
            for record in form.mentions:
                per_article_people[record.article].add(uf.find(key))
    return per_article_people


class _SurnameBearers:
    """Who a surname alone can stand for.  Both answers are asked once per surname (and article),
    not again for each mention of the surname: a list of names can give a surname hundreds of
    bearers.  All merges are done by then, so the answers never change."""

    def __init__(self, forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind,
                 owner: dict[str, list[str]]) -> None:
        self.uf = uf
        self.owner = owner
        self.people_in = _full_names_by_article(forms, form_type, uf)
        self._local: dict[tuple[str, str], str | None] = {}
        self._count: dict[str, int] = {}

    def local(self, surname: str, article: str) -> str | None:
        """The first of the surname's bearers (most mentioned first) that the article names in full."""
        if (surname, article) not in self._local:
            people = self.people_in[article]
            self._local[(surname, article)] = next(
                (c for c in self.owner.get(surname, []) if self.uf.find(c) in people), None)
        return self._local[(surname, article)]

    def count(self, surname: str) -> int:
        """How many different people (merged groups) bear the surname in the corpus."""
        if surname not in self._count:
            self._count[surname] = len({self.uf.find(c) for c in self.owner.get(surname, [])})
        return self._count[surname]


def _mention_roots(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind,
                   surname_owner: dict[str, list[str]]) -> dict[tuple[str, int], str]:
    """The group each mention joins: its form's group, except that a single word which is not a place
    (a surname alone, an unknown word) is attached per mention, preferring a bearer in the same
    article (``_single_word_root``): "Smith" is whichever Smith that article names."""
    bearers = _SurnameBearers(forms, form_type, uf, surname_owner)
    by_other_word = _SurnameBearers(forms, form_type, uf, _other_word_owners(forms, form_type, uf))
    mention_root: dict[tuple[str, int], str] = {}
    for key, form in forms.items():
        single = len(form.words) == 1 and not (form.place is not None and form_type[key] == "PLACE") \
            and form_type[key] != NOT_A_NAME
        for record in form.mentions:
            attached = _single_word_root(form, form_type[key], record.article, bearers) if single else None
            if attached is None and single and form_type[key] == "PERSON":
                attached = _other_word_root(form, record.article, by_other_word)
            mention_root[(record.article, record.index)] = attached if attached is not None else uf.find(key)
    return mention_root


def _single_word_root(form: Form, type_: str, article: str, bearers: _SurnameBearers) -> str | None:
    """The group a single word joins in one article, or None to keep its form's own group.

    The bearer of the surname the article itself names in full comes first; else the corpus's most
    mentioned bearer, unless the model called the word an organisation: then only if some mention was
    voted a person, or if the corpus has one bearer and the word is neither written in capitals nor
    an organisation word ("Reuters" stays an organisation, "Dunca" tagged ORG is the negotiator)."""
    surname = _surname(form)
    local = bearers.local(surname, article)
    if local is not None:
        return bearers.uf.find(local)
    candidates = bearers.owner.get(surname, [])
    if candidates and (type_ != "ORG" or form.votes.get("PERSON", 0) or (
            bearers.count(surname) == 1 and not form.display.isupper()
            and fold(form.display) not in org_words("en"))):
        # an "ORG" that is exactly the surname of the corpus's only bearer is that person
        return bearers.uf.find(candidates[0])
    return None


def _other_word_owners(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind) -> dict[str, list[str]]:
    """Word key -> the full names (typed PERSON) that hold it before their last word, most mentioned
    first: where the family name comes first ("Park" of "Park Min-jun") or a person goes by a given
    name ("Ahmad" of "Ahmad Rahimi"), a single word stands for the name it starts."""
    weight_of_root: Counter = Counter()
    for key, form in forms.items():
        weight_of_root[uf.find(key)] += len(form.mentions)
    owners: dict[str, list[str]] = defaultdict(list)
    for key, form in forms.items():
        if form_type[key] != "PERSON" or len(form.words) < 2 or hyphen_pair(form.display):
            continue
        for word in form.words[:-1]:
            if len(word.rstrip(".")) >= 2 and fold(word) not in PARTICLES:
                owners[token_key(word)].append(key)
    for keys in owners.values():
        keys.sort(key=lambda k: (-weight_of_root[uf.find(k)], k))
    return owners


def _other_word_root(form: Form, article: str, bearers: _SurnameBearers) -> str | None:
    """A single word that no one bears as a surname but some full names hold as another word: the one its
    article names in full, else the corpus's only person holding it (two are ambiguous)."""
    word = form.surname  # the key of its one word
    local = bearers.local(word, article)
    if local is not None:
        return bearers.uf.find(local)
    if bearers.count(word) == 1:
        return bearers.uf.find(bearers.owner[word][0])
    return None


def _entities_from(forms: dict[str, Form], form_type: dict[str, str],
                   mention_root: dict[tuple[str, int], str]) -> Resolution:
    """Build one entity per group of mentions (groups nobody recognised as a name are dropped), give
    entities that would share an id their own (``_unique_ids``), add surnames as aliases, and order
    the entities by mentions, most first."""
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
    _merge_acronyms(forms, form_type, uf, short_forms, acronyms)
    _merge_by_directory(forms, form_type, uf)
    _merge_generic_suffix(forms, form_type, uf)
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


def _merge_acronyms(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind, short_forms: dict[str, str],
                    acronyms: dict[str, list[str]]) -> None:
    """An acronym joins its expansion when the corpus has one: by plain initials ("NSDC"), else by
    letters taken further into the words ("ASEAN", "APEC"), among the names starting with its letter."""
    by_initial: dict[str, list[str]] = defaultdict(list)
    shorts = set(short_forms.values())
    for key, form in forms.items():
        if form_type[key] == "ORG" and len(form.display.split()) >= 2 and key not in shorts:
            by_initial[fold(form.display)[:1]].append(key)
    for short, key in short_forms.items():
        expansions = {uf.find(k) for k in acronyms.get(short, [])}
        if not expansions and fold(short) not in _directory()[0]:  # an agency the directory knows is its own
            expansions = {uf.find(k) for k in by_initial.get(fold(short)[:1], [])
                          if acronym_of(short, forms[k].display)}
        if len(expansions) == 1:
            uf.union(next(iter(expansions)), key)


@lru_cache(maxsize=1)
def _directory() -> tuple[dict[str, str], dict[str, list[str]]]:
    """The outlet directory (data/outlet_directory.yaml) as (folded name or alias -> outlet, outlet -> its
    names): an agency's acronym and its full name are one organisation ("AFP", "Agence France-Presse").
    A name two outlets share says nothing."""
    owners: dict[str, set[str]] = defaultdict(set)
    names: dict[str, list[str]] = {}
    for outlet in rulefiles.load("outlet_directory.yaml")["outlets"]:
        names[outlet["name"]] = [outlet["name"], *outlet.get("aliases", [])]
        for name in names[outlet["name"]]:
            owners[fold(name)].add(outlet["name"])
    return {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}, names


def _merge_by_directory(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind) -> None:
    """Organisations the outlet directory names as one outlet are one."""
    index, _ = _directory()
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for key, form in forms.items():
        outlet = index.get(fold(form.display)) if form_type[key] == "ORG" else None
        if outlet:
            by_outlet[outlet].append(key)
    for members in by_outlet.values():
        _join(uf, members)


def _merge_generic_suffix(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind) -> None:
    """"Acme Motor Group" and "Acme Motor", "Acme News" and "Acme": an organisation's name plus a word that
    only says what kind of body it is (group, news, agency, ...) is the same organisation, when the
    shorter name is itself a known organisation."""
    orgs = {fold(f.display): k for k, f in forms.items() if form_type[k] == "ORG"}
    for key, form in forms.items():
        words = form.display.split()
        if form_type[key] != "ORG" or len(words) < 2 or fold(words[-1]) not in _MEDIA_WORDS:
            continue
        shorter = orgs.get(fold(" ".join(words[:-1])))
        if shorter is not None:
            uf.union(shorter, key)


_MEDIA_WORDS = {"news", "media", "tv", "radio", "agency", "network", "channel", "group", "online", "digital", "wire"}


def _merge_people(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind) -> dict[str, list[str]]:
    """Merge full names; return surname key -> full-name form keys, most mentioned first.

    The steps: unlabelled runs ending in a known surname become people
    (``_promote_unlabelled_names``); full names are grouped by surname (``_full_names_by_surname``)
    and surnames one letter apart found (``_near_surnames``); each group is linked with itself and
    its near groups (``_link_surname_groups``); then every surname gets its bearers
    (``_surname_owners``, ``_adopt_near_surnames``), and surnames nobody bears in full group by key
    (``_group_unborne_surnames``).
    """
    _promote_unlabelled_names(forms, form_type)
    by_surname = _full_names_by_surname(forms, form_type)
    deletion_index, near = _near_surnames(by_surname)
    _link_surname_groups(forms, by_surname, near, uf)
    owner = _surname_owners(forms, by_surname, near, uf)
    _adopt_near_surnames(forms, form_type, owner, deletion_index)
    _group_unborne_surnames(forms, form_type, owner, uf)
    return owner


def _promote_unlabelled_names(forms: dict[str, Form], form_type: dict[str, str]) -> None:
    """An unlabelled capitalised run ("Pavol Vrastek" in a language without a model) of two or
    three words is a person when its last word is the surname (or, for long surnames, one letter off
    the surname) of someone the model did recognise."""
    person_surnames = {_surname(f) for k, f in forms.items() if form_type[k] == "PERSON"}
    for key, form in forms.items():
        if form_type[key] == "UNKNOWN" and 2 <= len(form.words) <= 3 and (
                _surname(form) in person_surnames or any(v in person_surnames for v in _deletions(_surname(form))
                                                        if len(_surname(form)) >= FUZZY_MIN)):
            form_type[key] = "PERSON"


def _full_names_by_surname(forms: dict[str, Form], form_type: dict[str, str]) -> dict[str, list[str]]:
    """Surname key -> the forms of two words or more that are people, or unknown with a person vote:
    the blocks within which full names are compared."""
    full = [k for k, f in forms.items() if form_type[k] in ("PERSON", "UNKNOWN") and len(f.words) >= 2
            and (form_type[k] == "PERSON" or f.votes.get("PERSON"))]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key in full:
        surname = _surname(forms[key])
        if surname:
            by_surname[surname].append(key)
    return by_surname


def _near_surnames(by_surname: dict[str, list[str]]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Surname keys one edit apart (Holmsen/Holmson, Vrastek/Врастик), found through a deletion index so
    the cost stays linear: the index (deletion -> surnames, for surnames of ``FUZZY_MIN`` letters or
    more) and each surname's neighbours, itself included, never chained transitively."""
    deletion_index: dict[str, set[str]] = defaultdict(set)
    for surname in by_surname:
        if len(surname) >= FUZZY_MIN:
            for variant in _deletions(surname):
                deletion_index[variant].add(surname)
    near: dict[str, set[str]] = {surname: {surname} for surname in by_surname}
    for group in deletion_index.values():
        for a in group:
            near[a].update(group)
    return deletion_index, near


def _by_mentions(keys: list[str], forms: dict[str, Form]) -> list[str]:
    return sorted(keys, key=lambda k: (-len(forms[k].mentions), k))


def _link_surname_groups(forms: dict[str, Form], by_surname: dict[str, list[str]], near: dict[str, set[str]],
                         uf: _UnionFind) -> None:
    """Union the full names that are one person, each surname group with itself and with each near
    group once, bearers most mentioned first (each group is sorted so, in place).  Without a
    "separate" list the order of unions does not matter and ``_link_people`` finds the same merges
    without testing every pair; with one, each pair is tested in order (``_link_pairwise``)."""
    for surname, keys in sorted(by_surname.items()):
        keys.sort(key=lambda k: (-len(forms[k].mentions), k))
        for other in sorted(near[surname]):
            if other < surname:
                continue  # each pair of surname groups once
            others = keys if other == surname else _by_mentions(by_surname[other], forms)
            bearers = keys if other == surname else keys + others
            scripts = Counter(forms[k].cyrillic for k in bearers)  # once per group, not once per pair
            if not uf.forbidden:
                _link_people(keys, others, surname, other, scripts, forms, uf)
            else:
                _link_pairwise(keys, others, other == surname, bearers, scripts, forms, uf)


def _link_pairwise(keys: list[str], others: list[str], same: bool, bearers: list[str], scripts: Counter,
                   forms: dict[str, Form], uf: _UnionFind) -> None:
    """Test ``_same_person`` on every pair (a of ``keys``, b of ``others``; b after a when ``same``)
    and union those it accepts, in order: a "separate" list blocks a union depending on what was
    joined before, so the order is kept."""
    for i, a in enumerate(keys):
        for b in (keys[i + 1:] if same else others):
            # (the test first: it is pure, and mostly false among many bearers of one surname)
            if _same_person(forms[a], forms[b], bearers, forms, scripts) and uf.find(a) != uf.find(b):
                uf.union(a, b)


def _surname_owners(forms: dict[str, Form], by_surname: dict[str, list[str]], near: dict[str, set[str]],
                    uf: _UnionFind) -> dict[str, list[str]]:
    """Surname -> the full-name forms bearing it or a surname one letter off, ordered by the mentions
    of the person each belongs to (after the merges), most first: a surname alone that its article
    does not explain goes to the corpus's most mentioned bearer."""
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
    return owner


def _adopt_near_surnames(forms: dict[str, Form], form_type: dict[str, str], owner: dict[str, list[str]],
                         deletion_index: dict[str, set[str]]) -> None:
    """A single word nobody bears in full whose key is one edit from exactly one known surname
    ("Holmson" alone, "Holmsen" in full) shares that surname's bearers; with two candidates it is
    ambiguous and stays alone."""
    for key, form in forms.items():
        if len(form.words) == 1 and form_type[key] in ("PERSON", "UNKNOWN", "ORG"):
            surname = _surname(form)
            if surname in owner or len(surname) < FUZZY_MIN:
                continue
            near = {s for v in _deletions(surname) for s in deletion_index.get(v, ())}
            if len(near) == 1:
                owner[surname] = owner[next(iter(near))]


def _group_unborne_surnames(forms: dict[str, Form], form_type: dict[str, str], owner: dict[str, list[str]],
                            uf: _UnionFind) -> None:
    """Surnames nobody here bears in full: the single-word people of one key are one person."""
    singles: dict[str, str] = {}
    for key, form in forms.items():
        if len(form.words) == 1 and form_type[key] == "PERSON" and _surname(form) not in owner:
            anchor = singles.setdefault(_surname(form), key)
            uf.union(anchor, key)


def _join(uf: _UnionFind, members) -> None:
    """Union all of ``members`` with the first."""
    members = list(members)
    for member in members[1:]:
        uf.union(members[0], member)


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
    _link_without_given(keys, others, same, forms, uf)  # (1)
    if same or (len(surname) >= FUZZY_MIN and _edit_ok(surname, other)):
        _link_compatible_given(keys, others, same, forms, uf)  # (2)
    if not same:
        return
    _link_same_roles(keys, forms, uf)  # (3)
    _link_across_scripts(keys, scripts, forms, uf)  # (4)


def _link_without_given(keys: list[str], others: list[str], same: bool, forms: dict[str, Form],
                        uf: _UnionFind) -> None:
    """Rule (1) of ``_link_people``: a bearer with no given name matches every other bearer, so all
    of them join it (within one group, or the given-name-less of each group with the whole other)."""
    if same:
        if len(keys) >= 2 and any(not forms[k].given for k in keys):
            _join(uf, keys)
        return
    if others and any(not forms[k].given for k in keys):
        _join(uf, [k for k in keys if not forms[k].given] + others)
    if keys and any(not forms[k].given for k in others):
        _join(uf, [k for k in others if not forms[k].given] + keys)


def _bearers_by_given(keys: list[str], forms: dict[str, Form]) -> dict[str, list[str]]:
    """First given name -> the bearers of ``keys`` that have it, in order."""
    by_given: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        if forms[k].given:
            by_given[forms[k].given[0]].append(k)
    return by_given


def _link_compatible_given(keys: list[str], others: list[str], same: bool, forms: dict[str, Form],
                           uf: _UnionFind) -> None:
    """Rule (2) of ``_link_people``: bearers with compatible first given names (Steve/Stephen) are
    one person.  The given names are compared, not the bearers: a name stands for all its bearers,
    so one union per compatible pair of names, then every bearer of a linked name joins the others."""
    mine = _bearers_by_given(keys, forms)
    theirs = _bearers_by_given(others, forms)
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
        _join(uf, mine[name])
    for name in linked_theirs:
        _join(uf, theirs[name])


def _link_same_roles(keys: list[str], forms: dict[str, Form], uf: _UnionFind) -> None:
    """Rule (3) of ``_link_people``: bearers of one surname whose roles agree are one person, whatever
    their given names (one outlet's wrong "Oksana" for the ambassador "Olga")."""
    titled = [k for k in keys if len(forms[k].role_words) >= 2]
    for i, a in enumerate(titled):
        for b in titled[i + 1:]:
            if _roles_agree(forms[a], forms[b]):
                uf.union(a, b)


def _link_across_scripts(keys: list[str], scripts: Counter, forms: dict[str, Form], uf: _UnionFind) -> None:
    """Rule (4) of ``_link_people``: given names change across scripts (Volodymyr/Владимир), so the
    only bearer of a surname in one script is the same person as its bearers in the other."""
    if not (scripts[True] and scripts[False]):
        return
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
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _link_palladius_renderings(forms: dict[str, Form], form_type: dict[str, str], uf: _UnionFind) -> None:
    """A Chinese name in Latin letters and its Russian or Ukrainian rendering by syllables ("Zhou Meiling",
    "Чжоу Мэйлин"; common/palladius.py) are one person: letter by letter their keys differ.  A rendering of
    the name's last word alone joins too when that word has two syllables or more ("Мэйлин"), as the
    Latin word alone does."""
    cyrillic: dict[str, list[str]] = defaultdict(list)
    for key, form in forms.items():
        if form_type[key] == "PERSON" and is_cyrillic(form.display):
            cyrillic[name_key(form.display)].append(key)
    if not cyrillic:
        return
    for key, form in forms.items():
        if form_type[key] != "PERSON" or len(form.words) < 2 or not is_latin(form.display):
            continue
        rendering = palladius(form.display)
        if not rendering:
            continue
        keys = [name_key(rendering)]
        last = palladius(form.display.split()[-1])  # None for one syllable ("Zhou")
        if last:
            keys.append(name_key(last))
        for other in (k for found in keys for k in cyrillic.get(found, ())):
            uf.union(key, other)


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
    """The entity of one group of mentions, or None when nobody recognised it as a name.

    Its type (``_entity_type``), then its place (``_entity_place``), its name (a place's gazetteer
    name, else ``_canonical_name``), aliases and derived spellings (``_derived_aliases``), roles
    (``_roles_and_hints``) and side (``_entity_affiliation``).
    """
    member_forms = {_form_key(r.lemma) for r in members}
    chosen = _entity_type(members, member_forms, forms, form_type)
    if chosen == "UNKNOWN":
        return None  # capitalised words nobody recognised as a name
    lemmas = Counter()
    for record in members:
        lemmas[strip_honorifics(record.lemma)[0]] += 1
    place = _entity_place(member_forms, forms, form_type) if chosen == "PLACE" else None
    # the user reads English: a place goes by its gazetteer name
    name = place.name if place is not None else _canonical_name(lemmas, chosen)
    aliases = sorted({r.text for r in members} | set(lemmas))
    derived = _derived_aliases(name, place, aliases, members, chosen)
    roles, hints = _roles_and_hints(members)
    affiliation, inferred = _entity_affiliation(chosen, place, hints, name)
    ident = entity_id(chosen, place.id if place else name)
    mentions = [EntityMentionRef(r.article, r.text, r.start, r.end, r.sentence)
                for r in sorted(members, key=lambda r: (r.article, r.start))]
    return Entity(ident, name, chosen, sorted(set(aliases) | set(derived)), mentions, roles, affiliation, inferred,
                  external_id=place.id if place else None, derived_aliases=derived)


def _entity_type(members: list[MentionRecord], member_forms: set[str], forms: dict[str, Form],
                 form_type: dict[str, str]) -> str:
    """The types of the group's forms, each weighted by its mentions (they already weigh the gazetteer
    and the corpus's evidence); when they say nothing, the model's labels of the mentions themselves;
    UNKNOWN when neither decides."""
    type_votes = Counter()
    if member_forms and all(form_type.get(key) == NOT_A_NAME for key in member_forms):
        return "UNKNOWN"
    for key in member_forms:
        if key in form_type:
            type_votes[form_type[key]] += len(forms[key].mentions)
    chosen = _vote_type(type_votes)
    if chosen == "UNKNOWN":
        chosen = _vote_type(Counter(record.label for record in members))
    return chosen


def _entity_place(member_forms: set[str], forms: dict[str, Form], form_type: dict[str, str]) -> Place | None:
    """The gazetteer place most of a place's mentions resolve to (through their forms typed PLACE)."""
    places = Counter()
    for key in member_forms:
        form = forms.get(key)
        if form and form.place is not None and form_type.get(key) == "PLACE":
            places[form.place.id] += len(form.mentions)
    return gazetteer().places[places.most_common(1)[0][0]] if places else None


def _canonical_name(lemmas: Counter, type_: str) -> str:
    """The commonest full form in Latin script, else the commonest form (a person's full name beats
    a surname alone; then the longer)."""
    def preference(item):
        name, count = item
        return (not is_cyrillic(name), len(tokens(name)) >= 2 if type_ == "PERSON" else True, count, len(name))
    return max(lemmas.items(), key=preference)[0]


def _derived_aliases(name: str, place: Place | None, aliases: list[str], members: list[MentionRecord],
                     type_: str = "") -> list[str]:
    """Names no source wrote, added so that a reader can find the entity: a place's gazetteer name,
    or the Latin spellings of a Cyrillic name (in its mentions' commonest language); the name itself
    stays as sources write it."""
    if place is not None:
        return [place.name] if place.name not in aliases else []
    index, names = _directory()
    outlets = {index[fold(a)] for a in [name, *aliases] if fold(a) in index} if type_ == "ORG" else set()
    if len(outlets) == 1:  # an outlet the directory knows: its other names too ("AP", "Associated Press")
        return [n for n in names[next(iter(outlets))] if n not in aliases and n != name]
    if is_cyrillic(name):
        languages = Counter(r.language for r in members)
        return [v for v in latin_variants(name, languages.most_common(1)[0][0]) if v not in aliases]
    return []


def _roles_and_hints(members: list[MentionRecord]) -> tuple[list[tuple[str, str]], Counter]:
    """The roles the mentions give (each once, with the first article giving it) and the counts of
    the affiliation hints found beside them."""
    roles: list[tuple[str, str]] = []
    seen_roles = set()
    hints = Counter()
    for record in members:
        if record.role and fold(record.role) not in seen_roles:
            seen_roles.add(fold(record.role))
            roles.append((record.role, record.article))
        if record.hint:
            hints[record.hint] += 1
    return roles, hints


def _entity_affiliation(type_: str, place: Place | None, hints: Counter, name: str) -> tuple[str | None, bool]:
    """The entity's side and whether it is inferred: a place belongs to its country (stated); else
    the commonest hint beside its mentions; else an organisation's country in its name
    ("Armed Forces of Ukraine")."""
    if type_ == "PLACE" and place is not None:
        return place.country or place.name, False
    if hints:
        return hints.most_common(1)[0][0], True
    if type_ == "ORG":
        _, country = _org_core(name)
        return country, True
    return None, True


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
