"""The per-article stage: one Article in, one Analysis out, no store involved.

Runs the language's NLP backend, attaches roles to people, finds and
resolves date expressions, then extracts event mentions, facts and quotes.
``analyze_batch`` runs the model over a batch at once (spaCy's ``nlp.pipe``).
"""
from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date

from ..models import Analysis, Article, Mention
from . import events as events_stage
from . import nlp, roles, timex
from .cluster import content_words, embed, embedding_bytes, lede
from .dedup import minhash, paragraph_hashes, signature_bytes
from .gazetteer import gazetteer
from .names import name_key, token_key, tokens

VERSION = "analyze-8"


def _with_roles(text: str, parsed: nlp.Parsed, language: str) -> list[Mention]:
    lemmas = {t.start: t.lemma for t in parsed.tokens}
    sentences = {s.index: s for s in parsed.sentences}
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
        local_lemmas = {start - sentence.start: lemma for start, lemma in lemmas.items()
                        if sentence.start <= start < sentence.end}
        role = roles.roles_for(text[sentence.start:sentence.end], mention.start - sentence.start,
                               mention.end - sentence.start, language, local_lemmas)
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
        if mention.label in ("PERSON", "UNKNOWN"):
            key = token_key(words[-1])
        else:
            key = name_key(base)
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


def analyze_parsed(article: Article, parsed: nlp.Parsed, reference: date | None = None) -> Analysis:
    language = article.language
    mentions = _with_roles(article.text, parsed, language)
    parsed.mentions = mentions
    spans = [(s.start, s.end) for s in parsed.sentences]
    times = timex.find_times(article.text, language, article.published, spans, reference=reference)
    found_events = events_stage.extract_events(article.text, parsed, times, language, article.published)
    return Analysis(
        article_id=article.id, sentences=tuple(parsed.sentences), mentions=tuple(mentions), times=tuple(times),
        events=tuple(found_events), quotes=tuple(events_stage.extract_quotes(parsed, article.text)),
        facts=tuple(events_stage.extract_facts(parsed, article.text)), version=VERSION)


def analyze_batch(articles: list[Article], reference: date | None = None) -> list[tuple[Analysis, dict]]:
    """(analysis, clustering and dedup features) for each article of a batch."""
    parsed = nlp.parse([a.text for a in articles], [a.language for a in articles])
    analyses = [analyze_parsed(article, p, reference) for article, p in zip(articles, parsed)]
    quote_texts = [q.text for analysis in analyses for q in analysis.quotes]
    # One encoder call for ledes and quotes: the quote vectors let quotes be matched across
    # languages at every rebuild without running the encoder again.
    vectors = embed([lede(a.title, a.text) for a in articles] + quote_texts)
    meanings, quote_vectors = vectors[:len(articles)], iter(vectors[len(articles):])
    out = []
    for article, p, analysis, meaning in zip(articles, parsed, analyses, meanings):
        if analysis.quotes:
            analysis = replace(analysis, quotes=tuple(
                replace(q, meaning=base64.b64encode(embedding_bytes(next(quote_vectors))).decode("ascii"))
                for q in analysis.quotes))
        features = article_features(article, p, list(analysis.mentions))
        features["meaning"] = embedding_bytes(meaning)
        out.append((analysis, features))
    return out


def analyze(article: Article, reference: date | None = None) -> Analysis:
    return analyze_batch([article], reference)[0][0]
