"""Market's caches: aligned pair frames and memoised answers, dropped when the data changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import MakeServices

from bot.adapters.calendar import NyseCalendar
from bot.services.market import FRAME_CACHE_SIZE, MEMO_SIZE, Market

DATES = ["2025-12-22", "2025-12-23", "2025-12-24", "2025-12-26", "2025-12-29"]


def frame(closes: Sequence[float]) -> pd.DataFrame:
    idx = pd.DatetimeIndex([pd.Timestamp(d) for d in DATES[: len(closes)]], name="date")
    return pd.DataFrame({"close": [float(c) for c in closes]}, index=idx)


class Source:
    name = "test source"

    def __init__(self) -> None:
        self.data = {"^GSPC": frame([100, 101, 102, 101, 103]), "^RUT": frame([50, 50.1, 51.5, 51, 50])}
        self.reads = 0

    def symbols(self) -> list[str]:
        return sorted(self.data)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        self.reads += 1
        return {s: self.data[s] for s in symbols if s in self.data}


@pytest.fixture
def source() -> Source:
    return Source()


@pytest.fixture
def version() -> list[int]:
    return [1]


@pytest.fixture
def market(source: Source, calendar: NyseCalendar, version: list[int]) -> Market:
    return Market(source, calendar, version=lambda: version[0])


def test_pair_and_single_frames_are_cached(market: Market) -> None:
    pair = market.pair("^RUT", "^GSPC")
    assert market.pair("^RUT", "^GSPC") is pair
    assert market.pair("^GSPC", "^RUT") is not pair  # the order matters (signs flip)
    single = market.single("^GSPC")
    assert market.single("^GSPC") is single
    assert list(pair.signs[1:]) == [-1, 1, 1, -1]


def test_a_new_version_drops_frames_and_memos(market: Market, source: Source, version: list[int]) -> None:
    pair = market.pair("^RUT", "^GSPC")
    assert market.memo("k", lambda: "old") == "old"
    source.data["^RUT"] = frame([50, 49, 48, 47, 46])
    assert market.pair("^RUT", "^GSPC") is pair  # same version: still cached
    version[0] = 2
    fresh = market.pair("^RUT", "^GSPC")
    assert fresh is not pair
    assert list(fresh.signs[1:]) == [-1, -1, -1, -1]
    assert market.memo("k", lambda: "new") == "new"


def test_refresh_drops_everything(market: Market) -> None:
    pair = market.pair("^RUT", "^GSPC")
    market.memo("k", lambda: 1)
    market.refresh()
    assert market.pair("^RUT", "^GSPC") is not pair
    assert market.memo("k", lambda: 2) == 2


def test_memo_caches_values_not_exceptions(market: Market) -> None:
    calls: list[int] = []

    def build() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("first try fails")
        return 42

    with pytest.raises(ValueError):
        market.memo(("q", 1), build)
    assert market.memo(("q", 1), build) == 42
    assert market.memo(("q", 1), build) == 42
    assert len(calls) == 2


def test_memo_is_bounded_lru(market: Market) -> None:
    for i in range(MEMO_SIZE):
        market.memo(i, lambda i=i: i)  # type: ignore[misc]  # mypy cannot type a lambda's default argument
    market.memo(0, lambda: -1)  # touch 0: now the most recently used
    market.memo("new", lambda: "x")  # evicts 1, the least recently used
    assert market.memo(0, lambda: -1) == 0
    assert market.memo(1, lambda: "rebuilt") == "rebuilt"


def test_frame_cache_is_bounded(market: Market, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.services.market.FRAME_CACHE_SIZE", 2)
    first = market.pair("^RUT", "^GSPC")
    market.single("^GSPC")
    market.single("^RUT")  # third entry: the pair, least recently used, is dropped
    assert market.pair("^RUT", "^GSPC") is not first
    assert FRAME_CACHE_SIZE >= 16


def test_closes_from_the_store_s_close_column_equal_its_bars(
    tmp_path: Path, seeded_db: Path, calendar: NyseCalendar, make_services: MakeServices
) -> None:
    """``closes`` reads ``date, close`` over the raw cursor; it must be the bars' close."""
    svc = make_services(tmp_path, calendar)
    symbols = ["^GSPC", "^RUT", "^VIX", "RSP", "XLRE"]
    frames = svc.price_store.bars(symbols)
    for sym in symbols:
        got = svc.market.closes(sym)
        pd.testing.assert_series_equal(got, frames[sym]["close"].dropna().rename(sym), check_freq=True)
    spx = svc.market.closes("^GSPC")
    assert spx.index.name == "date" and str(spx.index.dtype) == "datetime64[ns]"
    assert spx.loc["2026-01-22"] == 6913.35
