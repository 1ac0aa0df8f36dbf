"""Market's caches: aligned pair frames and memoised answers, dropped when the data changes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
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


def _wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.001)


def test_callers_of_a_key_being_built_wait_for_that_build(market: Market) -> None:
    release, calls = threading.Event(), []
    results: list[object] = []

    def build() -> object:
        calls.append(threading.current_thread().name)
        release.wait(timeout=10)
        return {"answer": 42}

    def ask() -> None:
        results.append(market.memo(("/streak", "^RUT", "^GSPC"), build))

    owner = threading.Thread(target=ask, name="owner")
    owner.start()
    _wait_until(lambda: calls == ["owner"])
    waiters = [threading.Thread(target=ask, name=f"w{i}") for i in range(7)]
    for t in waiters:
        t.start()
    building = market._building[("/streak", "^RUT", "^GSPC")]
    _wait_until(lambda: len(building._cond._waiters) == 7)  # type: ignore[attr-defined]
    release.set()
    for t in (owner, *waiters):
        t.join(timeout=10)
    assert calls == ["owner"]  # one build for eight callers
    assert len(results) == 8 and all(r is results[0] for r in results)
    assert market._building == {}


def test_when_the_build_fails_a_waiter_builds_it_again(market: Market) -> None:
    release, calls = threading.Event(), []
    results: list[object] = []

    def build() -> int:
        calls.append(1)
        if len(calls) == 1:
            release.wait(timeout=10)
            raise ValueError("the first build fails")
        return 7

    def ask() -> None:
        try:
            results.append(market.memo("k", build))
        except ValueError as exc:
            results.append(str(exc))

    first = threading.Thread(target=ask)
    first.start()
    _wait_until(lambda: len(calls) == 1)
    second = threading.Thread(target=ask)
    second.start()
    _wait_until(lambda: len(market._building["k"]._cond._waiters) == 1)  # type: ignore[attr-defined]
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert sorted(map(str, results)) == ["7", "the first build fails"]
    assert market.memo("k", build) == 7 and len(calls) == 2  # the waiter's build was kept
