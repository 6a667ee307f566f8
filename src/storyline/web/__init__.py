"""The web app: HTML pages and a JSON API over a store, read-only (``storyline serve``)."""
from storyline.web.app import create_app

__all__ = ["create_app"]
