"""Seeding the price store from the bundled data, and topping up a store an older bundle seeded.

The store is seeded once, on first use; a store that an older release of the bundle seeded
gets the sessions the newer bundle has after its series' last ones. A store filled some
other way (Yahoo's series, a test's own, a hand-made one) is never the bundle's to extend.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.domain.ports import PriceReader, SeedableStore
from bot.domain.series import SeriesEnd, behind


def series_to_top_up(
    stored: Mapping[str, SeriesEnd], source_name: str, last_dates: Mapping[str, date]
) -> list[str]:
    """The symbols a store seeded by ``source_name`` lacks or holds to an earlier session.

    Empty when no stored series came from ``source_name``: only a store that source seeded
    is its to extend.
    """
    if not any(s.source == source_name for s in stored.values()):
        return []
    return behind({sym: s.last_date for sym, s in stored.items()}, last_dates)


def ensure_seeded(
    store: SeedableStore, source: PriceReader, last_dates: Mapping[str, date] | None = None
) -> None:
    """Seed the store from ``source`` on first use (when it holds no series yet).

    With ``last_dates`` (the source's per-series last session), also bring a store seeded
    by an older release of ``source`` up to it. One cheap query when nothing is behind.
    """
    if last_dates is None:
        if store.is_empty():
            store.seed_from(source)
        return
    info = store.info()  # one query answers both "empty?" and "behind?"
    if not info:
        store.seed_from(source)
        return
    if series_to_top_up(info, source.name, last_dates):
        store.top_up_from(source, last_dates)
