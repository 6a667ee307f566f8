"""Online story clustering: each new article joins a story or opens one.

An article is a sparse vector of *name* features (people by surname key,
places by gazetteer id, organisations by key: these work across languages
and scripts) and *word* features (content lemmas), weighted by an idf that
is updated as articles arrive.  It joins the most similar story (cosine to
the story's centroid, damped when the story is weeks away in time) above a
threshold, else opens a new story.  Candidate stories come from an inverted
index over each article's rarest features, so the cost per article does not
grow with the store.  After each update a story that has become as similar
to another as a member is to its own story is merged into it.

Processing one article at a time gives exactly the stories a batch gives:
the batch is the same sequence of single steps.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

VERSION = "cluster-3"
NAME_WEIGHT = 3.0
MAX_FEATURES = 150  # per article, by weight
CANDIDATE_FEATURES = 12  # rarest features used to look up candidate stories
DAYS_SCALE = 21.0  # similarity halves for every this many days between article and story


@dataclass
class StoryState:
    id: str
    centroid: Counter = field(default_factory=Counter)
    members: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None

    def norm(self) -> float:
        return math.sqrt(sum(v * v for v in self.centroid.values())) or 1.0


def article_features(names: list[str], words: list[str]) -> Counter:
    """Raw counts: 'n:<key>' for names, 'w:<lemma>' for words."""
    features = Counter()
    for name in names:
        features[f"n:{name}"] += 1
    for word in words:
        features[f"w:{word}"] += 1
    return features


@dataclass
class Clusterer:
    threshold: float = 0.15
    merge_threshold: float = 0.55
    stories: dict[str, StoryState] = field(default_factory=dict)
    df: Counter = field(default_factory=Counter)
    docs: int = 0
    index: dict[str, set[str]] = field(default_factory=dict)  # feature -> story ids
    assignments: dict[str, str] = field(default_factory=dict)  # article -> story
    next_id: int = 1

    def _weights(self, raw: Counter) -> dict[str, float]:
        weighted = {}
        for feature, count in raw.items():
            idf = math.log((self.docs + 1) / (self.df.get(feature, 0) + 1)) + 1.0
            boost = NAME_WEIGHT if feature.startswith("n:") else 1.0
            weighted[feature] = (1 + math.log(count)) * idf * boost
        top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_FEATURES]
        norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
        return {k: v / norm for k, v in top}

    def _similarity(self, vector: dict[str, float], story: StoryState, when: date | None) -> float:
        dot = sum(weight * story.centroid.get(feature, 0.0) for feature, weight in vector.items())
        similarity = dot / story.norm()
        if when and story.first and story.last:
            gap = max((story.first - when).days, (when - story.last).days, 0)
            similarity *= 0.5 ** (gap / DAYS_SCALE)
        return similarity

    @staticmethod
    def _gap_factor(a: StoryState, b: StoryState) -> float:
        if not (a.first and a.last and b.first and b.last):
            return 1.0
        gap = max((a.first - b.last).days, (b.first - a.last).days, 0)
        return 0.5 ** (gap / DAYS_SCALE)

    def _candidates(self, vector: dict[str, float]) -> set[str]:
        # the rarest features some story already has: they point at the few stories worth scoring
        known = [f for f in vector if f in self.index and self.index[f]]
        rare = sorted(known, key=lambda f: (self.df.get(f, 0), f))[:CANDIDATE_FEATURES]
        found: set[str] = set()
        for feature in rare:
            found |= self.index.get(feature, set())
        return found

    def add(self, article_id: str, raw: Counter, when: date | None) -> str:
        """Assign one article; returns its story id."""
        if article_id in self.assignments:
            return self.assignments[article_id]
        self.docs += 1
        for feature in raw:
            self.df[feature] += 1
        vector = self._weights(raw)
        best, best_score = None, 0.0
        for story_id in sorted(self._candidates(vector)):
            score = self._similarity(vector, self.stories[story_id], when)
            if score > best_score:
                best, best_score = story_id, score
        if best is None or best_score < self.threshold:
            best = f"s{self.next_id}"
            self.next_id += 1
            self.stories[best] = StoryState(best)
        story = self.stories[best]
        self._absorb(story, article_id, vector, when)
        self.assignments[article_id] = best
        self._maybe_merge(story)
        return self.assignments[article_id]

    def attach(self, article_id: str, story_id: str, when: date | None) -> str:
        """Put a copy in its original's story without letting it weigh twice."""
        if article_id in self.assignments or story_id not in self.stories:
            return self.assignments.get(article_id, story_id)
        story = self.stories[story_id]
        story.members.append(article_id)
        if when:
            story.first = min(filter(None, (story.first, when)))
            story.last = max(filter(None, (story.last, when)))
        self.assignments[article_id] = story_id
        return story_id

    def _absorb(self, story: StoryState, article_id: str, vector: dict[str, float], when: date | None) -> None:
        story.members.append(article_id)
        for feature, weight in vector.items():
            story.centroid[feature] += weight
            self.index.setdefault(feature, set()).add(story.id)
        if when:
            story.first = min(filter(None, (story.first, when)))
            story.last = max(filter(None, (story.last, when)))

    def _maybe_merge(self, story: StoryState) -> None:
        probe = {k: v / story.norm() for k, v in story.centroid.most_common(MAX_FEATURES)}
        for other_id in sorted(self._candidates(probe)):
            if other_id == story.id or other_id not in self.stories:
                continue
            other = self.stories[other_id]
            score = self._similarity(probe, other, None) * self._gap_factor(story, other)
            if score >= self.merge_threshold:
                keep, gone = (other, story) if other_id < story.id else (story, other)
                for feature, weight in gone.centroid.items():
                    keep.centroid[feature] += weight
                    self.index.setdefault(feature, set()).discard(gone.id)
                    self.index[feature].add(keep.id)
                for member in gone.members:
                    self.assignments[member] = keep.id
                keep.members.extend(gone.members)
                keep.first = min(filter(None, (keep.first, gone.first)), default=None)
                keep.last = max(filter(None, (keep.last, gone.last)), default=None)
                del self.stories[gone.id]
                return

    # ------------------------------------------------------------ persistence
    def to_dict(self) -> dict:
        return {
            "threshold": self.threshold, "merge_threshold": self.merge_threshold, "docs": self.docs,
            "next_id": self.next_id, "df": dict(self.df), "assignments": self.assignments,
            "stories": {sid: {"centroid": dict(s.centroid), "members": s.members,
                              "first": s.first.isoformat() if s.first else None,
                              "last": s.last.isoformat() if s.last else None} for sid, s in self.stories.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Clusterer":
        clusterer = cls(threshold=data["threshold"], merge_threshold=data["merge_threshold"])
        clusterer.docs = data["docs"]
        clusterer.next_id = data["next_id"]
        clusterer.df = Counter(data["df"])
        clusterer.assignments = dict(data["assignments"])
        for sid, raw in data["stories"].items():
            story = StoryState(sid, Counter(raw["centroid"]), list(raw["members"]),
                               date.fromisoformat(raw["first"]) if raw["first"] else None,
                               date.fromisoformat(raw["last"]) if raw["last"] else None)
            clusterer.stories[sid] = story
            for feature in story.centroid:
                clusterer.index.setdefault(feature, set()).add(sid)
        return clusterer


_STOP_WORDS_CACHE: dict[str, frozenset[str]] = {}


def stop_words(language: str) -> frozenset[str]:
    if language not in _STOP_WORDS_CACHE:
        try:
            from spacy.util import get_lang_class

            words = get_lang_class(language).Defaults.stop_words
        except Exception:  # spaCy has no stop list for this language code
            words = set()
        _STOP_WORDS_CACHE[language] = frozenset(w.lower() for w in words)
    return _STOP_WORDS_CACHE[language]


_CONTENT_WORD = re.compile(r"^[^\W\d_]{4,}$")


def content_words(lemmas: list[str], language: str) -> list[str]:
    stops = stop_words(language)
    return [w for w in (l.lower() for l in lemmas) if _CONTENT_WORD.match(w) and w not in stops]
