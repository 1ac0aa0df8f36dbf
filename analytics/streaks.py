"""Relative-performance streaks (A vs B) and up/down streaks of one series.

Definitions
-----------
* A *outperformed* B on a session when ``r_A > r_B`` strictly (see
  :mod:`analytics.returns`). A tie, or a session where either return is undefined (a
  gap), ends a streak. A can outperform while falling.
* A *streak* is a maximal run of consecutive grid sessions with the same leader. Its
  length counts sessions, never calendar days.
* Each side's return over a streak is ``C_end / C_(start-1) - 1``: from the close
  before the streak began to its last close.
* The *current* streak as of session ``t`` is the run containing ``t``, cut at ``t``.
* *Longest since*: the most recent earlier streak with the same leader whose length is
  at least the current one's. ``None`` means the current streak is the longest in the
  data (which starts at ``PairFrame.dates[0]``).
* The *record* streak for a leader is its longest streak up to the as-of session
  (the earliest one when several share the maximum length).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from analytics.errors import OutOfRangeError
from analytics.returns import DayArray, FloatArray
from analytics.runs import Runs, SignArray, current_streaks, find_runs

if TYPE_CHECKING:  # pandas is imported only by streak_table
    import pandas as pd

Status = Literal["streak", "tie", "gap", "start"]


@dataclass(frozen=True)
class Streak:
    """One streak. ``sign`` is +1 (first side led / up days) or -1."""

    sign: int
    start: datetime  # naive midnight: the session's date
    end: datetime
    length: int
    return_a: float
    return_b: float | None


@dataclass(frozen=True)
class StreakReport:
    """Everything an answer about the streak as of one session needs.

    Attributes
    ----------
    as_of : datetime
        The session used: the last grid session on or before the requested date
        (naive midnight, like every date here).
    status : "streak", "tie", "gap" or "start"
        "tie": both returns were equal on ``as_of``; "gap": a close needed for the
        ``as_of`` return is missing; "start": ``as_of`` is the first session of the data,
        so there is no return yet.
    current : Streak or None
        The streak in progress (``None`` unless status is "streak").
    longest_since : Streak or None
        The most recent earlier streak of the same sign at least as long.
    record : Streak or None
        The longest streak with the current leader (the current one included).
    records : dict
        The longest streak for each sign (+1 and -1), ``None`` if that side never led.
    data_start : datetime
        First session of the grid (the first comparison is on the next session).
    preceded_by_gap : bool
        True when the session just before the current streak is a gap, so the streak
        may have started earlier than the data can show.
    gaps : tuple of datetime
        Grid sessions up to ``as_of`` where no comparison was possible.
    """

    as_of: datetime
    status: Status
    current: Streak | None
    longest_since: Streak | None
    record: Streak | None
    records: dict[int, Streak | None]
    data_start: datetime
    preceded_by_gap: bool
    gaps: tuple[datetime, ...]


class Aligned(Protocol):
    """A :class:`~analytics.returns.PairFrame` or :class:`~analytics.returns.AlignedDays`."""

    @property
    def dates(self) -> Any: ...  # DatetimeIndex or datetime64[D] array
    @property
    def close_a(self) -> FloatArray: ...
    @property
    def close_b(self) -> FloatArray | None: ...
    @property
    def signs(self) -> SignArray: ...
    @property
    def gap(self) -> NDArray[np.bool_]: ...


def as_days(dates: Any) -> DayArray:
    """Session dates (a DatetimeIndex or datetime64 array) as ``datetime64[D]``."""
    if isinstance(dates, np.ndarray) and dates.dtype == np.dtype("datetime64[D]"):
        return dates
    return np.asarray(dates.to_numpy(dtype="datetime64[ns]")).astype("datetime64[D]")


def to_datetime(day: np.datetime64) -> datetime:
    """A ``datetime64`` session as a naive midnight ``datetime``."""
    d: date = day.astype("datetime64[D]").item()
    return datetime(d.year, d.month, d.day)


def _day(d: date) -> np.datetime64:
    return np.datetime64(date(d.year, d.month, d.day).isoformat(), "D")


def as_of_position(dates: Any, as_of: date | None) -> int:
    """Position of the last session on or before ``as_of`` (the last one if ``None``).

    ``dates``: a DatetimeIndex or ``datetime64`` array; ``as_of``: a date, a datetime or
    a ``pd.Timestamp`` (its date is used).

    Raises
    ------
    OutOfRangeError
        If ``as_of`` is before the first or after the last session of ``dates``.
    """
    days = as_days(dates)
    if len(days) == 0:
        raise OutOfRangeError("there is no data")
    if as_of is None:
        return len(days) - 1
    day = _day(as_of)
    if day < days[0]:
        raise OutOfRangeError(
            f"{as_of:%Y-%m-%d} is before the data starts ({to_datetime(days[0]):%Y-%m-%d})"
        )
    if day > days[-1]:
        raise OutOfRangeError(
            f"{as_of:%Y-%m-%d} is after the last close in the data "
            f"({to_datetime(days[-1]):%Y-%m-%d})"
        )
    return int(np.searchsorted(days, day, side="right")) - 1


def _side_return(closes: np.ndarray, start: int, end: int) -> float:
    return float(closes[end] / closes[start - 1] - 1.0)


def _streak(frame: Aligned, days: DayArray, sign: int, start: int, end: int) -> Streak:
    rb = None if frame.close_b is None else _side_return(frame.close_b, start, end)
    return Streak(
        sign=sign,
        start=to_datetime(days[start]),
        end=to_datetime(days[end]),
        length=end - start + 1,
        return_a=_side_return(frame.close_a, start, end),
        return_b=rb,
    )


def streak_table(frame: Aligned, as_of: date | None = None) -> pd.DataFrame:
    """Every streak up to ``as_of`` (the last one cut there).

    Returns
    -------
    DataFrame
        Columns ``sign`` (+1: A led / up, -1: B led / down), ``start``, ``end``,
        ``length`` (sessions), ``return_a``, ``return_b`` (NaN for a single series),
        one row per streak in date order.
    """
    pos = as_of_position(frame.dates, as_of)
    runs = find_runs(frame.signs[: pos + 1])
    ca = frame.close_a
    ret_a = ca[runs.end] / ca[runs.start - 1] - 1.0
    if frame.close_b is None:
        ret_b = np.full(len(runs), np.nan)
    else:
        cb = frame.close_b
        ret_b = cb[runs.end] / cb[runs.start - 1] - 1.0
    import pandas as pd  # noqa: PLC0415 (the light CLI path runs these scans on numpy alone)

    return pd.DataFrame(
        {
            "sign": runs.sign.astype(int),
            "start": pd.DatetimeIndex(frame.dates)[runs.start],
            "end": pd.DatetimeIndex(frame.dates)[runs.end],
            "length": runs.length,
            "return_a": ret_a,
            "return_b": ret_b,
        }
    )


def _record(frame: Aligned, days: DayArray, runs: Runs, sign: int) -> Streak | None:
    sel = np.flatnonzero(runs.sign == sign)
    if sel.size == 0:
        return None
    best = sel[int(np.argmax(runs.length[sel]))]  # argmax: the earliest on ties
    return _streak(frame, days, sign, int(runs.start[best]), int(runs.end[best]))


def streak_report(frame: Aligned, as_of: date | None = None) -> StreakReport:
    """The current streak, its "longest since" and the records, as of a session."""
    days = as_days(frame.dates)
    pos = as_of_position(days, as_of)
    signs = frame.signs[: pos + 1]
    runs = find_runs(signs)
    cur = current_streaks(signs)
    records = {s: _record(frame, days, runs, s) for s in (1, -1)}
    gaps = tuple(to_datetime(d) for d in days[: pos + 1][frame.gap[: pos + 1]])
    sign = int(cur.sign[0])
    if sign == 0:
        status: Status = "start" if pos == 0 else ("gap" if frame.gap[pos] else "tie")
        return StreakReport(
            as_of=to_datetime(days[pos]),
            status=status,
            current=None,
            longest_since=None,
            record=None,
            records=records,
            data_start=to_datetime(days[0]),
            preceded_by_gap=False,
            gaps=gaps,
        )
    start = int(cur.start[0])
    current = _streak(frame, days, sign, start, pos)
    since = None
    if cur.since_start[0] >= 0:
        since = _streak(frame, days, sign, int(cur.since_start[0]), int(cur.since_end[0]))
    return StreakReport(
        as_of=to_datetime(days[pos]),
        status="streak",
        current=current,
        longest_since=since,
        record=records[sign],
        records=records,
        data_start=to_datetime(days[0]),
        preceded_by_gap=bool(frame.gap[start - 1]) if start >= 1 else False,
        gaps=gaps,
    )


# --------------------------------------------------------------------------- milestones
MilestoneKind = Literal["longest_since", "tie_record", "record"]


@dataclass(frozen=True)
class Milestone:
    """A length the current streak would reach, and what it would mean.

    Attributes
    ----------
    length : int
        The streak's length at the milestone (sessions).
    sessions_to_go : int
        ``length`` minus the current length (at least 1).
    kind : "longest_since", "tie_record" or "record"
        "longest_since": at ``length`` the streak would pass the current "longest since"
        comparison and be the longest since ``compared``, the most recent earlier streak
        with this leader at least ``length`` long. "tie_record": it would equal the
        record, ``compared``. "record": it would be longer than every earlier streak with
        this leader (``compared`` is the record it would pass).
    compared : Streak
        The earlier streak the milestone is measured against.
    """

    length: int
    sessions_to_go: int
    kind: MilestoneKind
    compared: Streak


def streak_milestones(frame: Aligned, as_of: date | None = None) -> tuple[Milestone, ...]:
    """The next thresholds of the streak in progress at ``as_of``, nearest first.

    At most three: the next rung of the "longest since" ladder (when it comes before the
    record), tying the record and setting a new one, all among the earlier streaks with
    the same leader (those that ended before the current one started). Empty when there
    is no streak in progress or when it is already longer than every earlier one.
    """
    days = as_days(frame.dates)
    pos = as_of_position(days, as_of)
    signs = frame.signs[: pos + 1]
    cur = current_streaks(signs)
    sign = int(cur.sign[0])
    if sign == 0:
        return ()
    start = int(cur.start[0])
    n = pos - start + 1
    runs = find_runs(signs)
    earlier = np.flatnonzero((runs.sign == sign) & (runs.end < start))
    if earlier.size == 0:
        return ()
    lengths = runs.length[earlier]
    best = earlier[int(np.argmax(lengths))]  # the earliest on ties, like the record
    rec_len = int(runs.length[best])
    if n > rec_len:
        return ()
    record = _streak(frame, days, sign, int(runs.start[best]), int(runs.end[best]))
    out: list[Milestone] = []
    at_least_n = earlier[lengths >= n]
    since_len = int(runs.length[at_least_n[-1]])  # the current "longest since" comparison
    rung = since_len + 1
    if rung < rec_len:
        beyond = earlier[lengths >= rung][-1]
        passed = _streak(frame, days, sign, int(runs.start[beyond]), int(runs.end[beyond]))
        out.append(Milestone(rung, rung - n, "longest_since", passed))
    if n < rec_len:
        out.append(Milestone(rec_len, rec_len - n, "tie_record", record))
    out.append(Milestone(rec_len + 1, rec_len + 1 - n, "record", record))
    return tuple(out)


def session_returns(frame: Aligned, as_of: date | None = None) -> tuple[float, float | None]:
    """``(r_A, r_B)`` on the as-of session (``r_B`` ``None`` for one series; NaN at a gap)."""
    pos = as_of_position(frame.dates, as_of)
    if pos == 0:
        return float("nan"), (None if frame.close_b is None else float("nan"))
    ra = float(frame.close_a[pos] / frame.close_a[pos - 1] - 1.0)
    if frame.close_b is None:
        return ra, None
    return ra, float(frame.close_b[pos] / frame.close_b[pos - 1] - 1.0)


def close_calls(frame: Aligned, as_of: date | None, length: int, margin: float) -> int:
    """How many of the ``length`` sessions up to ``as_of`` were decided by less than ``margin``.

    A session's margin is ``|r_A - r_B|`` (``|r_A|`` for one series, against no change);
    an exact tie (0) is not counted, and neither is a gap. Touches only the tail window.
    """
    pos = as_of_position(frame.dates, as_of)
    lo = max(pos - length + 1, 1)
    if length <= 0 or lo > pos:
        return 0
    a = frame.close_a[lo - 1 : pos + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        ra = a[1:] / a[:-1] - 1.0
        if frame.close_b is None:
            m = np.abs(ra)
        else:
            b = frame.close_b[lo - 1 : pos + 1]
            m = np.abs(ra - (b[1:] / b[:-1] - 1.0))
    return int(np.count_nonzero((m > 0.0) & (m < margin)))
