"""Seeding from the bundled data and topping up a store an older bundle seeded (fake ports)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
from conftest import bars_frame
from fake_prices import FakePrices

from bot.domain.series import StoredEnd
from bot.services.seeding import ensure_seeded, series_to_top_up

BUNDLE = {
    "^GSPC": {"2026-01-02": 100.0, "2026-01-05": 101.0, "2026-01-06": 102.0},
    "IWM": {"2026-01-05": 50.0, "2026-01-06": 51.0},
}


class FakeBundle:
    """A bundled reader: bars, and each series' last session from its manifest."""

    name = "bundled data"

    def __init__(self, closes: Mapping[str, Mapping[str, float]]) -> None:
        self.frames = {sym: bars_frame(c) for sym, c in closes.items()}
        self.reads: list[tuple[tuple[str, ...], date | None]] = []

    def symbols(self) -> list[str]:
        return sorted(self.frames)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        self.reads.append((tuple(symbols), start))
        return {
            s: self.frames[s] if start is None else self.frames[s][self.frames[s].index >= pd.Timestamp(start)]
            for s in symbols if s in self.frames
        }

    def last_dates(self) -> dict[str, date]:
        return {s: df.index[-1].date() for s, df in self.frames.items()}


def stored(store: FakePrices) -> dict[str, list[str]]:
    return {s: [f"{d:%Y-%m-%d}" for d in df.index] for s, df in sorted(store.frames.items())}


def test_an_empty_store_is_seeded_whole() -> None:
    store, bundle = FakePrices(), FakeBundle(BUNDLE)
    ensure_seeded(store, bundle, bundle.last_dates())
    assert stored(store) == {s: sorted(c) for s, c in sorted(BUNDLE.items())}
    assert set(store.sources.values()) == {"bundled data"}


def test_a_store_an_older_bundle_seeded_gets_only_the_later_sessions() -> None:
    older = {"^GSPC": bars_frame({"2026-01-02": 100.0})}
    store, bundle = FakePrices(older, source="bundled data"), FakeBundle(BUNDLE)
    ensure_seeded(store, bundle, bundle.last_dates())
    assert stored(store) == {"IWM": ["2026-01-05", "2026-01-06"],
                             "^GSPC": ["2026-01-02", "2026-01-05", "2026-01-06"]}
    assert bundle.reads == [(("IWM",), None), (("^GSPC",), date(2026, 1, 3))]


def test_nothing_is_read_when_the_store_is_level_with_the_bundle() -> None:
    bundle = FakeBundle(BUNDLE)
    store = FakePrices(dict(bundle.frames), source="bundled data")
    ensure_seeded(store, bundle, bundle.last_dates())
    assert bundle.reads == []
    assert store.writes == []


def test_a_store_filled_some_other_way_is_left_as_it_is() -> None:
    store = FakePrices({"^GSPC": bars_frame({"2026-01-02": 100.0})}, source="Yahoo Finance")
    bundle = FakeBundle(BUNDLE)
    ensure_seeded(store, bundle, bundle.last_dates())
    assert stored(store) == {"^GSPC": ["2026-01-02"]}
    assert bundle.reads == []


def test_without_last_dates_only_an_empty_store_is_seeded() -> None:
    store = FakePrices({"^GSPC": bars_frame({"2026-01-02": 100.0})}, source="bundled data")
    bundle = FakeBundle(BUNDLE)
    ensure_seeded(store, bundle)
    assert bundle.reads == []
    empty = FakePrices()
    ensure_seeded(empty, bundle)
    assert sorted(empty.frames) == ["IWM", "^GSPC"]


def test_series_to_top_up_only_for_the_source_that_seeded_the_store() -> None:
    last = {"^GSPC": date(2026, 1, 6), "IWM": date(2026, 1, 6)}
    ends = {"^GSPC": StoredEnd("bundled data", date(2026, 1, 5))}
    assert series_to_top_up(ends, "bundled data", last) == ["IWM", "^GSPC"]
    assert series_to_top_up(ends, "Yahoo Finance", last) == []
    level = {"^GSPC": StoredEnd("bundled data", date(2026, 1, 6)),
             "IWM": StoredEnd("Yahoo Finance", date(2026, 1, 7))}
    assert series_to_top_up(level, "bundled data", last) == []
