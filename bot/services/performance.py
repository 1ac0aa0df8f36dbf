"""Performance over a period: a pair's returns and who led, one symbol's (YTD) return,
and the sector SPDRs ranked.

Definitions (see :mod:`analytics.periods`): the return over ``[start, end]`` is
``C_last / C_base - 1``, ``base`` being the last session before the period's first one
(YTD 2026 is measured from the Dec 31, 2025 close). A missing close from the base to the
last session (a gap) leaves the return undefined: it is reported, never bridged. A leads
B over the period when its return is strictly higher. The ETFs' closes are
dividend-adjusted, so their returns are total returns.

Every function returns frozen data; :mod:`bot.render.period_answers` puts it in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import numpy as np

from analytics.errors import AnalyticsError
from analytics.periods import PeriodBounds, period_bounds, period_return
from analytics.returns import DayArray, as_date
from bot.domain.dates import fmt_date
from bot.domain.errors import UserError
from bot.domain.symbols import SECTOR_ETFS
from bot.services.answers import Freshness
from bot.services.market import Market, NoDataError
from bot.services.spans import Span, freshness, span_on

__all__ = [
    "LeftOut",
    "LeftOutReason",
    "PairPerformance",
    "PeriodReturn",
    "SectorLeadership",
    "SideReturn",
    "pair_performance",
    "period_change",
    "sector_leadership",
    "ytd_return",
]


@dataclass(frozen=True)
class SideReturn:
    """One symbol over a period: the base and last closes and the return (``None``: a gap)."""

    symbol: str
    base_close: float | None
    close: float
    change: float | None


def _side(symbol: str, closes: np.ndarray, b: PeriodBounds) -> SideReturn:
    base = float(closes[b.base]) if b.base >= 0 and not np.isnan(closes[b.base]) else None
    return SideReturn(symbol, base, float(closes[b.last]), period_return(closes, b))


@dataclass(frozen=True)
class PairPerformance:
    """A vs B over one period."""

    a: SideReturn
    b: SideReturn
    span: Span
    freshness: Freshness
    source: str
    last_sessions: int | None = None  # asked as "the last N sessions": N

    @property
    def leader(self) -> str | None:
        """The side with the strictly higher return (``None``: a tie or a gap)."""
        ra, rb = self.a.change, self.b.change
        if ra is None or rb is None or ra == rb:
            return None
        return self.a.symbol if ra > rb else self.b.symbol

    @property
    def laggard(self) -> str | None:
        lead = self.leader
        if lead is None:
            return None
        return self.b.symbol if lead == self.a.symbol else self.a.symbol

    @property
    def margin(self) -> float | None:
        """Leader's return minus laggard's (a fraction, ``>= 0``), ``None`` without both."""
        ra, rb = self.a.change, self.b.change
        if ra is None or rb is None:
            return None
        return abs(ra - rb)


def _last_sessions_start(days: DayArray, n: int, end: date | None, name: str) -> date:
    """The first of the last ``n`` grid sessions up to ``end`` (None: the grid's last), so
    that the period is measured from the close of the session before it."""
    stop = days.size - 1 if end is None else int(np.searchsorted(days, _day64(end), side="right")) - 1
    if n < 1:
        raise UserError("Name at least one session.")
    if stop - n < 0:
        have = max(stop, 0)
        raise UserError(
            f"The data for {name} has {_plural_sessions(have)} before its last close: "
            f"it cannot measure the last {n:,}."
        )
    return as_date(days[stop - n + 1])


def _plural_sessions(n: int) -> str:
    return f"{n:,} session" + ("" if n == 1 else "s")


def _day64(d: date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "D")


def _no_base(span: Span, name: str) -> UserError:
    return UserError(
        f"There is no close before {fmt_date(span.first)} to measure from: the data for "
        f"{name} starts on that day."
    )


def pair_performance(
    market: Market,
    a_text: str,
    b_text: str,
    start: date | None,
    end: date | None = None,
    *,
    sessions: int | None = None,
    now: datetime | None = None,
) -> PairPerformance:
    """Each side's return over ``[start, end]`` and who led (``start`` None: one session).

    ``end`` None: up to the last session both series have. The grid is the NYSE sessions
    both series cover, so a close missing on either side is a gap. ``sessions``: over the
    last that many sessions of the grid up to ``end`` (``start`` is then ignored),
    measured from the close of the session before them.

    Raises
    ------
    UserError
        For an unknown symbol, the same one twice, or a period outside the data.
    """
    a, b = market.resolve(a_text), market.resolve(b_text)
    if a == b:
        raise UserError(f"Both symbols resolve to {a}: name two different ones, e.g. RUT SPX.")
    try:
        al = market.aligned(a, b)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(str(exc)) from None
    assert al.close_b is not None
    if sessions is not None:
        start = _last_sessions_start(al.dates, sessions, end, f"{a} and {b}")
    span, bounds = span_on(al.dates, [al.close_a, al.close_b], start, end, name=f"{a} and {b}")
    if bounds.base < 0:
        raise _no_base(span, f"{a} and {b}")
    fresh = freshness(market, [a, b], end is not None, now)
    return PairPerformance(
        _side(a, al.close_a, bounds), _side(b, al.close_b, bounds), span, fresh, market.origin,
        sessions,
    )


@dataclass(frozen=True)
class PeriodReturn:
    """One symbol's return over a period; ``ytd`` is the year when it is a YTD return."""

    side: SideReturn
    span: Span
    ytd: int | None
    freshness: Freshness
    source: str
    last_sessions: int | None = None  # asked as "the last N sessions": N


def period_change(
    market: Market,
    text: str,
    start: date | None,
    end: date | None = None,
    *,
    sessions: int | None = None,
    now: datetime | None = None,
) -> PeriodReturn:
    """One symbol's return over ``[start, end]`` (``start`` None: one session);
    ``sessions``: over its last that many sessions up to ``end`` (``start`` ignored).

    Raises
    ------
    UserError
        For an unknown symbol or a period outside the data.
    """
    sym = market.resolve(text)
    try:
        al = market.aligned(sym)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(str(exc)) from None
    if sessions is not None:
        start = _last_sessions_start(al.dates, sessions, end, sym)
    span, bounds = span_on(al.dates, [al.close_a], start, end, name=sym)
    if bounds.base < 0:
        raise _no_base(span, sym)
    fresh = freshness(market, [sym], end is not None, now)
    return PeriodReturn(_side(sym, al.close_a, bounds), span, None, fresh, market.origin, sessions)


def ytd_return(
    market: Market,
    text: str,
    *,
    year: int | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
) -> PeriodReturn:
    """``C_t / C_(last session of the previous year) - 1`` (README, "YTD return").

    ``year`` None: the year of the as-of session (the last session on or before
    ``as_of``, else the last one). A past ``year`` without ``as_of``: that whole year.

    Raises
    ------
    UserError
        For an unknown symbol, a year outside the data, or a series starting that year.
    """
    sym = market.resolve(text)
    try:
        al = market.aligned(sym)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(str(exc)) from None
    days = al.dates
    last = as_date(days[-1])
    end = as_of
    if year is None:
        # The year of the as-of session: the last session on or before ``as_of``.
        stop = last if as_of is None or as_of >= last else as_date(days[max(0, period_bounds(days, as_of, as_of).last)])
        year = stop.year
        end = None if as_of is None else stop
    elif end is None:
        end = date(year, 12, 31)
    if end is not None and end.year != year:
        raise UserError(f"{fmt_date(end)} is not in {year}.")
    span, bounds = span_on(days, [al.close_a], date(year, 1, 1), end, name=sym)
    if bounds.base < 0 or (span.base is not None and span.base.year != year - 1):
        raise UserError(
            f"The data for {sym} starts on {fmt_date(as_date(days[0]))}: there is no close "
            f"of {year - 1} to measure {year} from."
        )
    if span.last.year != year:
        raise UserError(f"The data for {sym} has no session in {year}.")
    fresh = freshness(market, [sym], as_of is not None or end is not None, now)
    return PeriodReturn(_side(sym, al.close_a, bounds), span, year, fresh, market.origin)


LeftOutReason = Literal["ends_before", "starts_after", "gap"]


@dataclass(frozen=True)
class LeftOut:
    """A sector ETF not ranked, and why: its data ends before the period's last session,
    starts after the period's base, or misses a close inside the period."""

    symbol: str
    last_date: date
    reason: LeftOutReason


@dataclass(frozen=True)
class SectorLeadership:
    """The sector SPDRs ranked by total return over one period, best first."""

    ranked: tuple[SideReturn, ...]
    left_out: tuple[LeftOut, ...]
    span: Span
    freshness: Freshness
    source: str


def sector_leadership(
    market: Market,
    start: date | None,
    end: date | None = None,
    *,
    now: datetime | None = None,
) -> SectorLeadership:
    """Rank the sector SPDRs in the data by return over ``[start, end]``.

    The as-of session is the latest session any sector ETF reaches (on or before
    ``end``); an ETF whose data stops before it, or that has no close before the period,
    is left out (named with its last date), never ranked on older closes.

    Raises
    ------
    UserError
        When no sector ETF is in the data or none covers the period.
    """
    have = [s for s in SECTOR_ETFS if s in market.available()]
    if not have:
        raise UserError("There are no sector ETFs in the data.")
    lasts = {s: market.last_date(s) for s in have}
    ref = max(have, key=lambda s: (lasts[s] if end is None else min(lasts[s], end), -have.index(s)))
    ref_al = market.aligned(ref)
    span, _ = span_on(ref_al.dates, [ref_al.close_a], start, end, name="the sector ETFs")
    ranked: list[SideReturn] = []
    left: list[LeftOut] = []
    for sym in have:
        al = market.aligned(sym)
        b = period_bounds(al.dates, span.first, span.last)
        if b.empty or as_date(al.dates[b.last]) != span.last:
            left.append(LeftOut(sym, lasts[sym], "ends_before"))
            continue
        if b.base < 0 or as_date(al.dates[b.base]) != span.base:
            left.append(LeftOut(sym, lasts[sym], "starts_after"))
            continue
        side = _side(sym, al.close_a, b)
        if side.change is None:
            left.append(LeftOut(sym, lasts[sym], "gap"))
            continue
        ranked.append(side)
    if not ranked:
        raise UserError("No sector ETF in the data covers that period.")
    ranked.sort(key=lambda s: -(s.change or 0.0))
    fresh = freshness(market, [s.symbol for s in ranked], end is not None, now)
    return SectorLeadership(tuple(ranked), tuple(left), span, fresh, market.origin)

