"""Libraries shared by the stages: name keys and transliteration (names), places (gazetteer), the
sentence encoder (encoder) and stop words (words).  Nothing here reads the store or runs a stage."""
