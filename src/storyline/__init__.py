"""storyline: news articles from many outlets in, a sourced, cross-checked record of a story out.

The Python API (see storyline/api.py and README.md)::

    import storyline

    store = storyline.open_store("talks.db")
    storyline.run(["articles/"], store)
    document = storyline.export(store)

The package map is in ARCHITECTURE.md.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"  # also in pyproject.toml; tests/test_layout.py checks that they agree

__all__ = ["__version__", "open_store", "run", "export", "write_export", "Settings", "Store"]


def __getattr__(name: str) -> Any:
    # Deferred on purpose: the API pulls in the whole pipeline (spaCy, the encoder, SQLAlchemy), and
    # every submodule import (``storyline.errors`` in a worker, the CLI's start-up) runs this file first.
    if name in __all__:
        from storyline import api

        return getattr(api, name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
