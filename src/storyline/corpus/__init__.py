"""Corpus stages, over many stored articles after each batch: dedup (copies), stories (online
clustering), resolve (entities), scan (known names in text), anchor (dates for undated articles),
event_merge (one event per happening), claims (corroborated, contested, superseded); build.py runs
them and writes the results to the store."""
