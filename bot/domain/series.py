"""What the store holds per symbol, and which stored series are behind a source.

No pandas here: the light one-shot start asks :func:`behind` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class SeriesInfo:
    """What the store holds for one symbol."""

    symbol: str
    source: str
    first_date: date | None
    last_date: date | None
    rows: int
    updated_at: datetime


class SeriesEnd(Protocol):
    """Who wrote a stored series last, and its last session (a :class:`SeriesInfo` is one)."""

    @property
    def source(self) -> str: ...

    @property
    def last_date(self) -> date | None: ...


@dataclass(frozen=True)
class StoredEnd:
    """A :class:`SeriesEnd` read without the rest of the series row."""

    source: str
    last_date: date | None


def behind(stored: Mapping[str, date | None], last_dates: Mapping[str, date]) -> list[str]:
    """Symbols of ``last_dates`` that ``stored`` lacks or that end earlier there."""
    return sorted(
        sym for sym, last in last_dates.items()
        if (have := stored.get(sym)) is None or have < last
    )


@dataclass(frozen=True)
class InstrumentInfo:
    """What Yahoo says an instrument is (its chart metadata), stored when it is first added."""

    symbol: str
    name: str
    kind: str  # Yahoo's instrumentType: EQUITY, ETF, INDEX, MUTUALFUND, CRYPTOCURRENCY, ...
    currency: str
    exchange: str
    timezone: str  # the exchange's IANA zone, e.g. America/New_York


# Kinds that trade outside NYSE sessions (around the clock, or on other days).
OFF_CALENDAR_KINDS = frozenset({"CRYPTOCURRENCY", "CURRENCY", "FUTURE", "OPTION"})
NYSE_ZONE = "America/New_York"


def calendar_refusal(info: InstrumentInfo) -> str | None:
    """Why ``info`` cannot be compared session by session with the NYSE, or None.

    Streaks here count NYSE sessions, so a symbol is added only when it trades on them: a
    US-listed instrument (New York time) of a kind with a daily close. Crypto and
    currencies trade around the clock and every day; a foreign listing trades on another
    exchange's calendar (its holidays differ), so a "straight session" would not mean the
    same thing. Those are refused with the reason.
    """
    if info.kind.upper() in OFF_CALENDAR_KINDS:
        return f"{info.symbol} is a {info.kind.lower()} instrument that trades outside NYSE sessions"
    if info.timezone != NYSE_ZONE:
        where = info.exchange or info.timezone or "another exchange"
        return f"{info.symbol} trades on {where} ({info.timezone or 'unknown time zone'}), not on the NYSE calendar"
    return None
