"""A requested period, resolved on a symbol's (or a pair's) session grid.

Shared by the period answers (:mod:`bot.services.performance`, :mod:`bot.services.day_move`,
:mod:`bot.services.record_queries`, :mod:`bot.services.losing_streaks`). Definitions are in
:mod:`analytics.periods`: a period ``[start, end]`` covers the grid sessions inside it and
is measured from the base, the last session before its first one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from analytics.periods import PeriodBounds, period_bounds
from analytics.returns import DayArray, FloatArray, as_date
from bot.domain.dates import fmt_date
from bot.domain.errors import UserError
from bot.services.answers import Freshness
from bot.services.market import Market

__all__ = ["Span", "freshness", "span_on"]


@dataclass(frozen=True)
class Span:
    """A period resolved on a grid.

    Attributes
    ----------
    start, end : date
        The period as asked (``end`` may lie after the data; ``start == end`` for one day).
    base : date or None
        The session the period is measured from (the last one before ``first``).
    first, last : date
        The first and last grid sessions in the period; ``last`` is the as-of session.
    sessions : int
        Grid sessions from ``first`` to ``last``.
    gaps : tuple of date
        Sessions from ``base`` to ``last`` with a close missing (on either side of a pair).
    open_end : bool
        The period runs past the data (no end asked, or an end after it): "so far".
    """

    start: date
    end: date
    base: date | None
    first: date
    last: date
    sessions: int
    gaps: tuple[date, ...]
    open_end: bool = False


def span_on(
    days: DayArray,
    closes: Sequence[FloatArray],
    start: date | None,
    end: date | None,
    *,
    name: str,
) -> tuple[Span, PeriodBounds]:
    """Resolve ``[start, end]`` on the grid ``days`` (closes NaN where missing).

    ``end`` ``None``: the last session of the grid. ``start`` ``None``: the one session
    ``end`` resolves to (the last session on or before it). ``name`` words the errors.

    Raises
    ------
    UserError
        When the period ends before the data starts, starts after it ends, or holds no
        session.
    """
    if days.size == 0:
        raise UserError(f"There is no data for {name}.")
    first_day, last_day = as_date(days[0]), as_date(days[-1])
    stop = last_day if end is None or end > last_day else end
    if stop < first_day:
        raise UserError(f"{fmt_date(stop)} is before the data for {name} starts ({fmt_date(first_day)}).")
    single = start is None
    if start is None:
        b = period_bounds(days, first_day, stop)
        b = PeriodBounds(b.last - 1, b.last, b.last)
        start = as_date(days[b.last])
        asked_end = start if end is None else end
    else:
        if start > last_day:
            raise UserError(
                f"{fmt_date(start)} is after the last close in the data for {name} ({fmt_date(last_day)})."
            )
        b = period_bounds(days, start, stop)
        asked_end = end if end is not None else last_day
    if b.empty:
        raise UserError(
            f"There is no NYSE session between {fmt_date(start)} and {fmt_date(stop)} in the data for {name}."
        )
    lo = max(b.base, 0)
    gaps: list[date] = []
    for c in closes:
        missing = np.flatnonzero(np.isnan(c[lo : b.last + 1])) + lo
        gaps.extend(as_date(days[i]) for i in missing)
    span = Span(
        start=start,
        end=asked_end,
        base=as_date(days[b.base]) if b.base >= 0 else None,
        first=as_date(days[b.first]),
        last=as_date(days[b.last]),
        sessions=b.sessions,
        gaps=tuple(sorted(set(gaps))),
        open_end=not single and (end is None or end > last_day),
    )
    return span, b


def freshness(market: Market, symbols: Sequence[str], as_of_given: bool, now: datetime | None) -> Freshness:
    """Stale-data facts: the earliest last session of ``symbols`` against the last
    completed NYSE session at ``now`` (none when a date was asked for or ``now`` is None)."""
    last = min(market.last_date(s) for s in symbols)
    expected = market.expected_session(now) if (now is not None and not as_of_given) else None
    return Freshness(last, expected)

