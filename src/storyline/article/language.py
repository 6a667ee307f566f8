"""Language identification per article and per paragraph (py3langid)."""
from __future__ import annotations

from functools import lru_cache

# Below this probability a detection does not overrule what the source declared.
CONFIDENT = 0.95
# Paragraphs shorter than this are too short to identify on their own.
MIN_PARAGRAPH = 40


@lru_cache(maxsize=1)
def _identifier():
    # py3langid's documented loader: the bundled model, probabilities normalised to 0..1
    # deferred: loading the model takes a second, once per process, when a language is first asked for
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    if not text.strip():
        return "und", 0.0
    language, probability = _identifier().classify(text[:5000])
    return str(language), float(probability)


def normalize_code(code: str | None) -> str | None:
    if not code:
        return None
    code = str(code).strip().lower().replace("_", "-").split("-")[0]
    return {"ua": "uk", "rus": "ru", "ukr": "uk", "eng": "en"}.get(code, code) or None


def identify(text: str, given: str | None = None) -> tuple[str, str, tuple[str, ...]]:
    """(language, where it came from, language of each paragraph)."""
    detected, probability = detect(text)
    declared = normalize_code(given)
    if declared and (declared == detected or probability < CONFIDENT):
        language, source = declared, "declared"
    else:
        language, source = detected, "detected" if not declared else f"detected (declared {declared})"
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) < MIN_PARAGRAPH:
            paragraphs.append(language)
            continue
        found, confidence = detect(paragraph)
        paragraphs.append(found if confidence >= CONFIDENT else language)
    return language, source, tuple(paragraphs)
