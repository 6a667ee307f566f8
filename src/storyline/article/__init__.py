"""Per-article stages: one article in, its Analysis out; nothing here touches the store.

clean -> metadata -> language -> nlp / nlp_slavic (parse records, parsed.py) -> roles, timex
(dates; date_rules.py) -> events -> fingerprint, chained by analyze.py under the per-article budget.
"""
