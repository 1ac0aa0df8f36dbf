"""Caches behind the Slack answers: ``/leaders`` once per session and data version, and the
bounded close-series cache of :class:`Market`. Counted, never timed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import pandas as pd
import pytest

import bot.services.market
from bot.adapters.calendar import NyseCalendar
from bot.daily.commands import SUMMARY_SYMBOLS
from bot.render.messages import Message
from bot.services.market import Market
from bot.slack.listeners.leaders import cached_now_message

DATES = ["2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17"]
MONDAY = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)  # last completed session: Fri Sep 18
TUESDAY = datetime(2026, 9, 22, 21, 0, tzinfo=UTC)  # after Tuesday's close: Sep 22


class Source:
    name = "test source"

    def __init__(self, symbols: Sequence[str]) -> None:
        idx = pd.DatetimeIndex([pd.Timestamp(d) for d in DATES], name="date")
        self.data = {s: pd.DataFrame({"close": [100.0, 101.0, 102.0, 103.0]}, index=idx) for s in symbols}
        self.reads: list[str] = []

    def symbols(self) -> list[str]:
        return sorted(self.data)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        self.reads.extend(symbols)
        return {s: self.data[s] for s in symbols if s in self.data}


class CountingBuilder:
    def __init__(self) -> None:
        self.builds: list[datetime] = []

    def __call__(self, now: datetime) -> Message:
        self.builds.append(now)
        return Message(f"summary #{len(self.builds)}", [])


def test_leaders_summary_is_built_once_per_session_and_data_version(calendar: NyseCalendar) -> None:
    version = [1]
    market = Market(Source(["^GSPC"]), calendar, version=lambda: version[0])
    build = CountingBuilder()

    first = cached_now_message(market, MONDAY, build)
    later_same_session = cached_now_message(market, MONDAY.replace(hour=19), build)  # 15:00 in New York
    assert later_same_session is first
    assert build.builds == [MONDAY]

    next_session = cached_now_message(market, TUESDAY, build)  # a new "data as of" note
    assert next_session.text == "summary #2"
    assert cached_now_message(market, TUESDAY, build) is next_session

    version[0] = 2  # another process updated the store
    assert cached_now_message(market, TUESDAY, build).text == "summary #3"
    assert build.builds == [MONDAY, TUESDAY, TUESDAY]


def test_close_cache_drops_the_least_recently_used_series(
    calendar: NyseCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.services.market, "CLOSE_CACHE_SIZE", 2)
    source = Source(["A", "B", "C"])
    market = Market(source, calendar)
    market.closes("A")
    market.closes("B")
    market.closes("A")  # A is now the most recently used
    assert source.reads == ["A", "B"]
    market.closes("C")  # evicts B
    assert source.reads == ["A", "B", "C"]
    market.closes("A")
    market.closes("C")
    assert source.reads == ["A", "B", "C"]  # both still cached
    assert list(market.closes("B")) == [100.0, 101.0, 102.0, 103.0]
    assert source.reads == ["A", "B", "C", "B"]  # B was evicted and read again


def test_the_close_cache_size_is_above_what_the_daily_summary_reads() -> None:
    assert len(SUMMARY_SYMBOLS) < bot.services.market.CLOSE_CACHE_SIZE
