"""Losing (falling) streaks: one symbol's down sessions, and a pair's laggard.

Definitions (README, "Definitions"; :mod:`analytics.periods`): a losing streak of one
symbol is a run of consecutive sessions with ``r_t < 0`` strictly (an unchanged close or a
gap ends it). For a pair, the laggard's losing streak is a run of sessions with
``r_A < r_B`` strictly, A being the laggard. Each side's return over a run is
``C_end / C_(start-1) - 1``. "Longest since": the most recent earlier run at least as long
as the current one; none means the longest in the data. The longest run is the earliest
on ties; ``since`` restricts it to runs that start on or after that date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from analytics.errors import AnalyticsError
from analytics.periods import SignRun, longest_run, longest_since, sign_runs
from analytics.returns import AlignedDays, as_date
from analytics.streaks import as_of_position
from bot.domain.errors import UserError
from bot.services.answers import Freshness
from bot.services.market import Market, NoDataError
from bot.services.spans import freshness

__all__ = ["DownRun", "LosingStreaks", "losing_streaks", "relative_losing_streaks"]


@dataclass(frozen=True)
class DownRun:
    """One losing run: first and last session, length, each side's return over it."""

    start: date
    end: date
    length: int
    return_a: float  # the symbol (or the laggard) over the run
    return_b: float | None  # the leader over the run (pairs only)


@dataclass(frozen=True)
class LosingStreaks:
    """Losing streaks of ``symbol`` (alone, or against ``against``) as of one session.

    Attributes
    ----------
    current : DownRun or None
        The run in progress at ``as_of`` (``None``: ``as_of`` was not a losing session).
    as_of_status : "down", "up", "flat", "gap" or "start"
        How ``as_of`` compares: ``up`` (rose / beat), ``flat`` (unchanged / tie), ``gap``
        (a close missing), ``start`` (first session of the data).
    longest_since : DownRun or None
        The most recent earlier run at least as long as ``current`` (``None`` with a
        current run: the longest in the data).
    last : DownRun or None
        The latest run ending before ``as_of`` when there is no current one.
    longest : DownRun or None
        The longest run up to ``as_of`` (from ``since`` when given).
    """

    symbol: str
    against: str | None
    as_of: date
    as_of_status: str
    current: DownRun | None
    longest_since: DownRun | None
    last: DownRun | None
    longest: DownRun | None
    since: date | None
    data_start: date
    preceded_by_gap: bool
    freshness: Freshness
    source: str


def _run(al: AlignedDays, r: SignRun, flip: bool) -> DownRun:
    ca, cb = (al.close_b, al.close_a) if flip else (al.close_a, al.close_b)
    assert ca is not None
    rb = None if cb is None else float(cb[r.end] / cb[r.start - 1] - 1.0)
    return DownRun(
        as_date(al.dates[r.start]), as_date(al.dates[r.end]), r.length,
        float(ca[r.end] / ca[r.start - 1] - 1.0), rb,
    )


def _report(
    market: Market,
    al: AlignedDays,
    symbol: str,
    against: str | None,
    flip: bool,
    as_of: date | None,
    since: date | None,
    now: datetime | None,
) -> LosingStreaks:
    try:
        pos = as_of_position(al.dates, as_of)
    except AnalyticsError as exc:
        raise UserError(str(exc)) from None
    signs = al.signs[: pos + 1]
    down = -1 if not flip else 1  # A losing: sign -1; B (flipped) losing: sign +1
    runs = sign_runs(signs, down)
    cur_run = runs[-1] if runs and runs[-1].end == pos else None
    s = int(signs[pos]) * (1 if not flip else -1)
    status = "down" if s < 0 else "up" if s > 0 else ("start" if pos == 0 else "gap" if al.gap[pos] else "flat")
    pool = runs if since is None else [
        r for r in runs if al.dates[r.start] >= np.datetime64(since.isoformat(), "D")
    ]
    best = longest_run(pool)
    since_run = longest_since(runs, cur_run) if cur_run else None
    last = runs[-1] if runs and cur_run is None else None
    symbols = [symbol] + ([against] if against else [])
    return LosingStreaks(
        symbol=symbol,
        against=against,
        as_of=as_date(al.dates[pos]),
        as_of_status=status,
        current=_run(al, cur_run, flip) if cur_run else None,
        longest_since=_run(al, since_run, flip) if since_run else None,
        last=_run(al, last, flip) if last else None,
        longest=_run(al, best, flip) if best else None,
        since=since,
        data_start=as_date(al.dates[0]),
        preceded_by_gap=bool(cur_run and cur_run.start >= 1 and al.gap[cur_run.start - 1]),
        freshness=freshness(market, symbols, as_of is not None, now),
        source=market.origin,
    )


def losing_streaks(
    market: Market,
    text: str,
    *,
    as_of: date | None = None,
    since: date | None = None,
    now: datetime | None = None,
) -> LosingStreaks:
    """The current losing streak of one symbol, its "longest since" and the longest.

    Raises
    ------
    UserError
        For an unknown symbol or an as-of date outside the data.
    """
    sym = market.resolve(text)
    try:
        al = market.aligned(sym)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(str(exc)) from None
    return _report(market, al, sym, None, False, as_of, since, now)


def relative_losing_streaks(
    market: Market,
    laggard_text: str,
    leader_text: str,
    *,
    as_of: date | None = None,
    since: date | None = None,
    now: datetime | None = None,
) -> LosingStreaks:
    """Sessions where the laggard's return is strictly below the leader's, as runs.

    ``symbol`` of the answer is the laggard, ``against`` the leader; ``return_a`` of each
    run is the laggard's, ``return_b`` the leader's.

    Raises
    ------
    UserError
        For an unknown symbol, the same one twice, or an as-of date outside the data.
    """
    lag, lead = market.resolve(laggard_text), market.resolve(leader_text)
    if lag == lead:
        raise UserError(f"Both symbols resolve to {lag}: name two different ones, e.g. RUT SPX.")
    # The pair frame is cached in (a, b) order: reuse it whichever way it is asked.
    a, b = sorted((lag, lead))
    try:
        al = market.aligned(a, b)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(str(exc)) from None
    return _report(market, al, lag, lead, lag != a, as_of, since, now)
