"""The bundled data's manifest: each series' range, readable without pandas.

``MANIFEST.json`` is written by :mod:`bot.adapters.rebuild_bundled` next to the bundled files.
It lets a start-up tell cheaply whether a store seeded by an older release is behind the
bundle (:func:`behind`), on the light one-shot path too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from importlib import resources

MANIFEST_NAME = "MANIFEST.json"
BUNDLED_SOURCE = "bundled data"  # the ``series.source`` of rows the bundle seeded


def bundled_last_dates() -> dict[str, date]:
    """The last session of every bundled series."""
    root = resources.files("bot") / "data" / "bundled"
    manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    return {sym: date.fromisoformat(entry["last"]) for sym, entry in manifest.items()}


def behind(stored: Mapping[str, date | None], last_dates: Mapping[str, date]) -> list[str]:
    """Symbols of ``last_dates`` that ``stored`` lacks or that end earlier there."""
    return sorted(
        sym for sym, last in last_dates.items()
        if (have := stored.get(sym)) is None or have < last
    )
