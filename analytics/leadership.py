"""Year-to-date and one-session leadership.

Definitions
-----------
* YTD return on session ``t`` of year Y: ``C_t / C_base - 1`` where ``C_base`` is the
  close of the last session of year Y-1 in the data. Without a prior-year close (the
  series starts in Y) the YTD return is undefined.
* *YTD leadership*: on how many sessions of Y, up to as-of, A's YTD return was strictly
  above B's, out of the sessions where both are defined.
* *Session move*: the daily return ``C_t / C_(t-1) - 1`` with ``t-1`` the previous row.
* *Consecutive move*: the same return with ``t-1`` the previous session of a grid (the
  series' dates plus the exchange sessions when given); undefined when that session's
  close is missing, so a gap is never bridged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.errors import OutOfRangeError
from analytics.returns import session_grid
from analytics.streaks import as_of_position


def ytd_returns(closes: pd.Series, year: int) -> pd.Series:
    """YTD return on each session of ``year`` (empty if no prior-year close exists)."""
    idx = pd.DatetimeIndex(closes.index)
    before = closes[idx.year < year]
    if before.empty:
        return closes.iloc[:0].astype(float)
    base = float(before.iloc[-1])
    in_year = closes[idx.year == year]
    return (in_year / base - 1.0).astype(float)


@dataclass(frozen=True)
class YtdLeadership:
    """YTD comparison of A and B in one year up to an as-of session."""

    year: int
    as_of: pd.Timestamp
    return_a: float
    return_b: float
    sessions: int  # sessions of the year where both YTD returns are defined
    sessions_a_ahead: int
    a_ahead_every_session: bool
    b_ahead_every_session: bool


def ytd_leadership(
    a: pd.Series, b: pd.Series, as_of: pd.Timestamp | None = None
) -> YtdLeadership:
    """Compare A's and B's YTD returns over the as-of year, session by session."""
    grid = session_grid(a, b)
    pos = as_of_position(grid, as_of)
    as_of_ts = grid[pos]
    year = as_of_ts.year
    ya = ytd_returns(a, year)
    yb = ytd_returns(b, year)
    if ya.empty or yb.empty:
        raise OutOfRangeError(f"no close before {year} to measure year-to-date returns from")
    both = pd.concat([ya, yb], axis=1, join="inner")
    both = both[both.index <= as_of_ts]
    ra = both.iloc[:, 0].to_numpy()
    rb = both.iloc[:, 1].to_numpy()
    ahead = ra > rb
    behind = ra < rb
    n = int(ra.size)
    return YtdLeadership(
        year=year,
        as_of=as_of_ts,
        return_a=float(ra[-1]) if n else float("nan"),
        return_b=float(rb[-1]) if n else float("nan"),
        sessions=n,
        sessions_a_ahead=int(ahead.sum()),
        a_ahead_every_session=bool(n and ahead.all()),
        b_ahead_every_session=bool(n and behind.all()),
    )


def session_move(closes: pd.Series, session: pd.Timestamp) -> float | None:
    """Return on ``session`` versus the previous row; ``None`` if it is not in the data."""
    idx = pd.DatetimeIndex(closes.index)
    pos = int(idx.searchsorted(pd.Timestamp(session)))
    if pos >= len(idx) or idx[pos] != pd.Timestamp(session) or pos == 0:
        return None
    values = closes.to_numpy(dtype=np.float64)
    return float(values[pos] / values[pos - 1] - 1.0)


@dataclass(frozen=True)
class ConsecutiveMove:
    """A one-session move measured against the previous grid session.

    Attributes
    ----------
    session : Timestamp
        The session of the move.
    close : float
        The close on ``session``.
    previous_session : Timestamp or None
        The grid session just before ``session`` (``None`` at the start of the grid).
    previous_close : float or None
        The close on ``previous_session``; ``None`` if the series has no row for it.
    change : float or None
        ``close / previous_close - 1``; ``None`` when ``previous_close`` is.
    """

    session: pd.Timestamp
    close: float
    previous_session: pd.Timestamp | None
    previous_close: float | None
    change: float | None


def consecutive_move(
    closes: pd.Series, session: pd.Timestamp, sessions: pd.DatetimeIndex | None = None
) -> ConsecutiveMove | None:
    """The move on ``session`` against the previous session, never bridging a gap.

    Parameters
    ----------
    closes : Series of closes indexed by session date (ascending, unique, no NaN)
    session : Timestamp
        The session of the move.
    sessions : DatetimeIndex, optional
        Exchange sessions. The previous session is the last date before ``session`` in
        the union of ``sessions`` and the series' own dates; without ``sessions`` it is
        the series' previous row (as in :func:`session_move`).

    Returns
    -------
    ConsecutiveMove or None
        ``None`` when the series has no close on ``session``. ``change`` is ``None``
        when the previous session's close is missing (or there is no previous session).
    """
    ts = pd.Timestamp(session)
    idx = pd.DatetimeIndex(closes.index)
    pos = int(idx.searchsorted(ts))
    if pos >= len(idx) or idx[pos] != ts:
        return None
    values = closes.to_numpy(dtype=np.float64)
    close = float(values[pos])
    grid = idx if sessions is None else idx.union(pd.DatetimeIndex(sessions))
    gpos = int(grid.searchsorted(ts))
    if gpos == 0:
        return ConsecutiveMove(ts, close, None, None, None)
    prev_ts = pd.Timestamp(grid[gpos - 1])
    if pos == 0 or idx[pos - 1] != prev_ts or np.isnan(values[pos - 1]):
        return ConsecutiveMove(ts, close, prev_ts, None, None)
    prev_close = float(values[pos - 1])
    return ConsecutiveMove(ts, close, prev_ts, prev_close, close / prev_close - 1.0)
