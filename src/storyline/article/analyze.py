"""The per-article stage: one Article in, one Analysis out, no store involved.

Runs the language's NLP backend, attaches roles to people, finds and
resolves date expressions, then extracts event mentions, facts and quotes.
``analyze_batch`` runs the model over a batch at once (spaCy's ``nlp.pipe``).
"""
from __future__ import annotations

import base64
import bisect
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from storyline.article import events as events_stage
from storyline.article import nlp, roles, timex
from storyline.article.clean import clean
from storyline.article.fingerprint import minhash, paragraph_hashes, signature_bytes
from storyline.article.script_places import SentenceFinder, places_in_script
from storyline.budget import OverBudget, time_budget
from storyline.common.encoder import embed, embedding_bytes, lede
from storyline.common.gazetteer import gazetteer
from storyline.common.names import name_key, token_key, tokens
from storyline.common.words import content_words
from storyline.models import Analysis, Article, Mention, RawDoc

VERSION = "analyze-15"


def _with_roles(text: str, parsed: nlp.Parsed, language: str) -> list[Mention]:
    tokens = sorted(parsed.tokens, key=lambda t: t.start)  # stable: of two tokens at one offset the last wins
    starts = [t.start for t in tokens]
    sentences = {s.index: s for s in parsed.sentences}
    local: dict[int, tuple[str, dict[int, str]]] = {}  # sentence index -> (text, lemmas by offset), built once

    def sentence_view(sentence) -> tuple[str, dict[int, str]]:
        if sentence.index not in local:
            low, high = bisect.bisect_left(starts, sentence.start), bisect.bisect_left(starts, sentence.end)
            local[sentence.index] = (text[sentence.start:sentence.end],
                                     {t.start - sentence.start: t.lemma for t in tokens[low:high]})
        return local[sentence.index]

    out = []
    for mention in parsed.mentions:
        # the model often calls a titled person an ORG: their title is evidence of a person
        if mention.label not in ("PERSON", "ORG", "UNKNOWN") or len(mention.text.split()) > 4:
            out.append(mention)
            continue
        sentence = sentences.get(mention.sentence)
        if sentence is None:
            out.append(mention)
            continue
        sentence_text, local_lemmas = sentence_view(sentence)
        role = roles.roles_for(sentence_text, mention.start - sentence.start, mention.end - sentence.start,
                               language, local_lemmas)
        hint = roles.country_in_phrase(role) if role else None
        out.append(replace(mention, role=role, affiliation_hint=hint or ""))
    return out


def name_features(mentions: list[Mention]) -> list[str]:
    """Language-independent keys of the names an article mentions (for story clustering)."""
    gaz = gazetteer()
    keys = []
    for mention in mentions:
        base = mention.lemma or mention.text
        if mention.label == "NORP":
            country = gaz.lookup(mention.lemma) if mention.lemma else gaz.country_of_demonym(mention.text)
            if country is not None:
                keys.append(country.id)
            continue
        if mention.label in ("PLACE", "FAC", "UNKNOWN"):
            place = gaz.lookup(mention.text, mention.lemma or None)
            if place is not None:
                keys.append(place.id)
                continue
        words = tokens(base)
        if not words:
            continue
        key = token_key(words[-1]) if mention.label in ("PERSON", "UNKNOWN") else name_key(base)
        if len(key) >= 3:
            keys.append(key)
    return keys


def article_features(article: Article, parsed: nlp.Parsed, mentions: list[Mention]) -> dict:
    return {
        "names": name_features(mentions),
        "words": content_words([t.lemma for t in parsed.tokens], article.language),
        "minhash": signature_bytes(minhash(article.text)),
        "paragraphs": paragraph_hashes(article.text),
    }


# An article's share of the corpus work grows with the names it holds: a list of 10,000 names would make
# 10,000 entities to resolve at every rebuild.  No report names this many; past it the rest is left out
# and the analysis says so (recorded as a problem).
MAX_MENTIONS = 1_000


def analyze_parsed(article: Article, parsed: nlp.Parsed, reference: date | None = None) -> Analysis:
    language = article.language
    limited = ""
    if len(parsed.mentions) > MAX_MENTIONS:
        limited = (f"names {len(parsed.mentions):,} people, places or organisations: only the first "
                   f"{MAX_MENTIONS:,} were kept")
        parsed.mentions = sorted(parsed.mentions, key=lambda m: m.start)[:MAX_MENTIONS]
    mentions = _with_roles(article.text, parsed, language)
    spans = [(s.start, s.end) for s in parsed.sentences]
    # the models read no Chinese, Japanese, Korean, Arabic or Hebrew names: places come from the gazetteer
    mentions += places_in_script(article.text, language, mentions, SentenceFinder(parsed.sentences).of)
    parsed.mentions = mentions
    times = timex.find_times(article.text, language, article.published, spans, reference=reference)
    found_events = events_stage.extract_events(article.text, parsed, times, language, article.published)
    return Analysis(
        article_id=article.id, sentences=tuple(parsed.sentences), mentions=tuple(mentions), times=tuple(times),
        events=tuple(found_events), quotes=tuple(events_stage.extract_quotes(parsed, article.text)),
        facts=tuple(events_stage.extract_facts(parsed, article.text)), version=VERSION, limited=limited)


# one short article per language: analysing it loads every model and table that language's analysis uses
WARM_UP = {
    "en": "Tomas Ebbing met Pavel Vrastek in Saltmere on Monday, the foreign ministry said.",
    "ru": "Томас Эббинг встретился с Павлом Врастеком в Солтмире в понедельник, сообщил МИД.",
    "uk": "Томас Еббінг зустрівся з Павлом Врастеком у Солтмірі в понеділок, повідомило МЗС.",
}
_warmed: set[str] = set()  # languages whose models this process has loaded


def warm_up(languages: Iterable[str] = ("en",)) -> list[str]:
    """Load what the analysis of these languages uses, by analysing a sentence in each (models stay loaded
    for the life of the process); returns the languages loaded now."""
    wanted = sorted(set(languages) - _warmed)
    if wanted:
        articles = [clean(RawDoc(source=f"warm-up:{language}", content=WARM_UP.get(language, WARM_UP["en"]),
                                 kind="text", doc_id=f"warm-up-{language}", published="2014-03-03", language=language))
                    for language in wanted]
        analyze_batch(articles)
        _warmed.update(wanted)
    return wanted


def analyze_batch(articles: list[Article], reference: date | None = None,
                  budget: float = 0.0) -> list[tuple[Analysis, dict]]:
    """(analysis, clustering and dedup features) for each article of a batch.

    The model parses the batch at once (linear in its text); what follows runs article by article
    within ``budget`` seconds each: an article over it gets an empty analysis that says so.  Models
    are loaded first, outside any budget: loading them is no article's work.
    """
    if budget > 0:
        warm_up({a.language for a in articles})
    parsed = nlp.parse([a.text for a in articles], [a.language for a in articles])
    out = []
    for article, parse in zip(articles, parsed, strict=False):
        try:
            with time_budget(budget):
                out.append(_analyze_one(article, parse, reference))
        except OverBudget as over:
            out.append(skipped_analysis(article, f"analysis took more than its time budget of {over.budget:g} s"))
    return out


def _analyze_one(article: Article, parse: nlp.Parsed, reference: date | None) -> tuple[Analysis, dict]:
    analysis = analyze_parsed(article, parse, reference)
    # The lede and the quotes are encoded now, once: quote vectors let quotes be matched across
    # languages at every rebuild without running the encoder again.
    vectors = embed([lede(article.title, article.text)] + [q.text for q in analysis.quotes])
    if analysis.quotes:
        analysis = replace(analysis, quotes=tuple(
            replace(q, meaning=base64.b64encode(embedding_bytes(vector)).decode("ascii"))
            for q, vector in zip(analysis.quotes, vectors[1:], strict=False)))
    features = article_features(article, parse, list(analysis.mentions))
    features["meaning"] = embedding_bytes(vectors[0])
    return analysis, features


def skipped_analysis(article: Article, reason: str) -> tuple[Analysis, dict]:
    """An article the per-article stages left out: nothing derived from it, so no later stage works on it."""
    return (Analysis(article_id=article.id, version=VERSION, skipped=reason),
            {"names": [], "words": [], "minhash": b"", "paragraphs": [], "meaning": None})


def analyze(article: Article, reference: date | None = None) -> Analysis:
    return analyze_batch([article], reference)[0][0]
