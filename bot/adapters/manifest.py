"""The bundled data's manifest: each series' range, readable without pandas.

``MANIFEST.json`` is written by :mod:`bot.adapters.rebuild_bundled` next to the bundled files.
It lets a start-up tell cheaply whether a store seeded by an older release is behind the
bundle (:func:`bot.services.seeding.series_to_top_up`), on the light one-shot path too.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

MANIFEST_NAME = "MANIFEST.json"
BUNDLED_SOURCE = "bundled data"  # the ``series.source`` of rows the bundle seeded


def bundled_manifest() -> dict[str, dict[str, str | int]]:
    """Every bundled series' entry: ``file`` (under ``bundled/``), ``first``, ``last``, ``rows``."""
    root = resources.files("bot") / "data" / "bundled"
    manifest: dict[str, dict[str, str | int]] = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    return manifest


def bundled_last_dates() -> dict[str, date]:
    """The last session of every bundled series."""
    return {sym: date.fromisoformat(str(entry["last"])) for sym, entry in bundled_manifest().items()}
