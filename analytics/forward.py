"""What happened next: forward returns after earlier streaks as long as the current one.

Definitions
-----------
* The *current streak* as of session ``t`` is the streak of :mod:`analytics.streaks`
  containing ``t``, cut at ``t``; call its length ``N`` and its leader (sign) ``s``.
* An *episode* is an earlier streak with the same sign ``s`` whose length is at least
  ``N`` (it *reached* ``N`` sessions) and that ended before the current one started.
  Its *reached* session is the ``N``-th session of that streak: position
  ``p = start + N - 1`` on the session grid.
* The *forward return* of one side over ``h`` sessions is ``C_(p+h) / C_p - 1``: from
  the close of the reached session to the close ``h`` grid sessions later, counting
  sessions, never calendar days. It is ``None`` when ``p + h`` is past the as-of
  session (the data ends, or an answer as of a past date must not look ahead) or when
  either close at ``p + h`` is missing (a gap).
* The *spread* is the leader's forward return minus the laggard's (the leader and the
  laggard of the episode, which are those of the current streak).
* One series (its up or down days): the episodes are its earlier winning (or losing)
  streaks that reached ``N``; its forward return is the leader's, the laggard's is 0
  (against no change), so the spread is its own return and ``share_positive`` the
  fraction of episodes after which it was higher.
* The *summary* of a horizon ``h`` is over the episodes with a spread at ``h``: ``n``
  such episodes, the median and the mean spread, and ``share_positive``, the fraction
  with a spread strictly above 0 (the leader kept outperforming). With ``n == 0``
  the three figures are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from analytics.errors import AnalyticsError
from analytics.returns import FloatArray
from analytics.runs import find_runs
from analytics.streaks import (
    Aligned,
    Streak,
    StreakReport,
    as_days,
    as_of_position,
    streak_report,
)

HORIZONS: tuple[int, ...] = (5, 21, 63, 126, 252)


class NotAPairError(AnalyticsError):
    """Kept for callers that refuse one series; :func:`forward_report` takes one or two."""


@dataclass(frozen=True)
class ForwardReturns:
    """Each side's forward return over one horizon, and the spread (leader minus laggard)."""

    leader: float
    laggard: float
    spread: float


@dataclass(frozen=True)
class Episode:
    """An earlier streak that reached the current length.

    Attributes
    ----------
    reached : datetime
        The session on which the streak reached the current length ``N``.
    start, end : datetime
        First and last session of the whole earlier streak.
    length : int
        Its final length in sessions (at least ``N``).
    forward : dict
        Horizon (sessions) -> :class:`ForwardReturns`, or ``None`` where the data (up to
        the as-of session) ends first or a close is missing.
    """

    reached: datetime
    start: datetime
    end: datetime
    length: int
    forward: dict[int, ForwardReturns | None]


@dataclass(frozen=True)
class HorizonSummary:
    """The spreads at one horizon over the episodes that have one."""

    n: int
    median_spread: float | None
    mean_spread: float | None
    share_positive: float | None


@dataclass(frozen=True)
class ForwardReport:
    """What followed the earlier streaks as long as the current one, as of a session.

    ``current`` is ``None`` when no streak is in progress (a tie, a gap or the first
    session): then there are no episodes. ``horizons`` are the horizons computed, in
    sessions; ``summary`` has one entry for each.
    """

    as_of: datetime
    current: Streak | None
    episodes: tuple[Episode, ...]
    summary: dict[int, HorizonSummary]
    horizons: tuple[int, ...]
    data_start: datetime


def summarize(spreads: list[float]) -> HorizonSummary:
    """``n``, median, mean and share of strictly positive values of ``spreads``."""
    if not spreads:
        return HorizonSummary(0, None, None, None)
    arr = np.asarray(spreads, dtype=np.float64)
    return HorizonSummary(
        n=int(arr.size),
        median_spread=float(np.median(arr)),
        mean_spread=float(np.mean(arr)),
        share_positive=float(np.count_nonzero(arr > 0.0) / arr.size),
    )


def _datetimes(days: np.ndarray) -> list[datetime]:
    """Sessions (``datetime64``) as naive midnight ``datetime`` s, as :func:`to_datetime`."""
    return list(days.astype("datetime64[D]").astype("datetime64[us]").tolist())


def forward_report(
    frame: Aligned,
    as_of: date | None = None,
    horizons: tuple[int, ...] = HORIZONS,
    *,
    report: StreakReport | None = None,
) -> ForwardReport:
    """The episodes and per-horizon summary for the streak in progress at ``as_of``.

    Parameters
    ----------
    frame : Aligned
        Two series on the session grid, or one (``close_b`` None: its up/down streaks).
    as_of : date, optional
        The last session on or before it is used (default: the last session).
    horizons : tuple of int
        Forward horizons in sessions.
    report : StreakReport, optional
        ``streak_report(frame, as_of)`` when the caller has it already.

    Raises
    ------
    OutOfRangeError
        If ``as_of`` is outside the data.
    """
    days = as_days(frame.dates)
    pos = as_of_position(days, as_of)
    rep = report if report is not None else streak_report(frame, as_of)
    cur = rep.current
    summary_empty = {h: summarize([]) for h in horizons}
    if cur is None:
        return ForwardReport(rep.as_of, None, (), summary_empty, horizons, rep.data_start)
    n = cur.length
    cur_start = pos - n + 1
    runs = find_runs(frame.signs[: pos + 1])
    sel = np.flatnonzero((runs.sign == cur.sign) & (runs.length >= n) & (runs.end < cur_start))
    if frame.close_b is None:  # one series: its own return, against no change
        lead, lag = frame.close_a, np.ones_like(frame.close_a)
    else:
        lead, lag = (frame.close_a, frame.close_b) if cur.sign > 0 else (frame.close_b, frame.close_a)
    starts, ends = runs.start[sel], runs.end[sel]
    reached = starts + n - 1
    # Each horizon for every episode at once: the close h sessions after the reached one,
    # where that is on or before the as-of session and both closes are there.
    forward: dict[int, tuple[np.ndarray, FloatArray, FloatArray]] = {}
    for h in horizons:
        q = reached + h
        inside = q <= pos
        qc = np.where(inside, q, reached)
        with np.errstate(invalid="ignore", divide="ignore"):
            rl = lead[qc] / lead[reached] - 1.0
            rg = lag[qc] / lag[reached] - 1.0
        forward[h] = (inside & ~np.isnan(rl) & ~np.isnan(rg), rl, rg)
    # Python values for every episode at once (``tolist`` in C): a short streak has
    # thousands of earlier ones, and a NumPy scalar read per field took most of the time.
    reached_at, start_at, end_at = (_datetimes(days[ix]) for ix in (reached, starts, ends))
    lengths = (ends - starts + 1).tolist()
    columns = [(h, ok.tolist(), rl.tolist(), rg.tolist()) for h, (ok, rl, rg) in forward.items()]
    episodes = [
        Episode(
            reached=reached_at[i],
            start=start_at[i],
            end=end_at[i],
            length=lengths[i],
            forward={
                h: ForwardReturns(rl[i], rg[i], rl[i] - rg[i]) if ok[i] else None
                for h, ok, rl, rg in columns
            },
        )
        for i in range(reached.size)
    ]
    summary = {
        h: summarize([float(a) - float(b) for a, b in zip(rl[ok], rg[ok], strict=True)])
        for h, (ok, rl, rg) in forward.items()
    }
    return ForwardReport(rep.as_of, cur, tuple(episodes), summary, horizons, rep.data_start)
