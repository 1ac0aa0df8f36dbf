"""Record closes (all-time closing highs).

Definitions
-----------
* A session is a *record close* when its close is strictly above every earlier close of
  the series (its full history in the data). The first close of the data is the
  baseline, not a record: there is nothing before it to beat.
* The *Nth record of year Y* is the Nth record session dated in year Y.
* *Sessions since* a record counts the series' rows after it up to the session in
  question (the record session itself is 0 sessions ago).
* *Distance below the record*: ``1 - C_t / max(C_0..C_t)`` as a fraction, 0 on a record
  close or when the close equals the high-water mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from analytics.returns import DayArray, FloatArray, index_days
from analytics.streaks import as_of_position, to_datetime

if TYPE_CHECKING:  # pandas is imported only by the functions over pandas series
    import pandas as pd


def record_mask(closes: NDArray[np.float64]) -> NDArray[np.bool_]:
    """True where ``closes[t] > max(closes[:t])`` strictly; False at position 0.

    Examples
    --------
    >>> record_mask(np.array([10.0, 11.0, 11.0, 10.5, 12.0])).tolist()
    [False, True, False, False, True]
    """
    if closes.size == 0:
        return np.zeros(0, dtype=bool)
    prior_max = np.empty_like(closes)
    prior_max[0] = np.inf
    prior_max[1:] = np.maximum.accumulate(closes)[:-1]
    return closes > prior_max


def record_closes(closes: pd.Series) -> pd.Series:
    """The record sessions of a close series (dates and closes)."""
    return closes[record_mask(closes.to_numpy(dtype=np.float64))]


def records_per_year(closes: pd.Series) -> pd.Series:
    """Number of record closes per calendar year, every year of the data included."""
    import pandas as pd  # noqa: PLC0415 (the light CLI path runs these scans on numpy alone)

    mask = record_mask(closes.to_numpy(dtype=np.float64))
    years = pd.DatetimeIndex(closes.index).year
    counts = pd.Series(mask.astype(np.int64), index=years).groupby(level=0).sum()
    counts.index.name = "year"
    return counts


@dataclass(frozen=True)
class RecordPoint:
    """One record close and how it sits relative to the as-of session."""

    date: datetime  # naive midnight
    close: float
    sessions_ago: int  # rows of the series after it up to as_of


@dataclass(frozen=True)
class RecordSummary:
    """Record-close facts for one series as of one session.

    Attributes
    ----------
    as_of : datetime
        The session used (last one on or before the requested date).
    close : float
        The as-of close.
    year : int
        The year counted (default: the as-of year).
    count : int
        Record closes in ``year`` up to and including ``as_of``.
    dates : tuple of datetime
        Those record sessions.
    is_record : bool
        The as-of close is a record.
    nth_of_year : int or None
        When ``is_record``: its rank among the as-of year's records.
    last_record, previous_record : RecordPoint or None
        The latest record on or before ``as_of`` and the record before it.
    gap_sessions : int or None
        Sessions from ``previous_record`` to ``last_record``.
    high_water : float
        The highest close up to ``as_of``.
    pct_below_record : float
        ``1 - close / high_water`` (a fraction, 0 at a record).
    data_start : datetime
        First session of the series.
    """

    as_of: datetime
    close: float
    year: int
    count: int
    dates: tuple[datetime, ...]
    is_record: bool
    nth_of_year: int | None
    last_record: RecordPoint | None
    previous_record: RecordPoint | None
    gap_sessions: int | None
    high_water: float
    pct_below_record: float
    data_start: datetime


def record_summary(
    closes: pd.Series, as_of: date | None = None, year: int | None = None
) -> RecordSummary:
    """Summarise record closes of ``closes`` as of a session (see module definitions)."""
    return record_summary_days(
        index_days(closes.index), closes.to_numpy(dtype=np.float64), as_of, year
    )


def record_summary_days(
    days: DayArray, closes: FloatArray, as_of: date | None = None, year: int | None = None
) -> RecordSummary:
    """:func:`record_summary` of closes dated ``days`` (``datetime64[D]``), without pandas."""
    pos = as_of_position(days, as_of)
    values = np.asarray(closes, dtype=np.float64)[: pos + 1]
    d = days[: pos + 1]
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    mask = record_mask(values)
    as_of_dt = to_datetime(d[pos])
    yr = as_of_dt.year if year is None else int(year)
    in_year = mask & (years == yr)
    rec_pos = np.flatnonzero(mask)

    def point(p: int) -> RecordPoint:
        return RecordPoint(to_datetime(d[p]), float(values[p]), pos - p)

    last = point(int(rec_pos[-1])) if rec_pos.size else None
    prev = point(int(rec_pos[-2])) if rec_pos.size >= 2 else None
    is_record = bool(mask[pos])
    nth = None
    if is_record:
        nth = int(np.count_nonzero(mask & (years == as_of_dt.year)))
    high = float(values.max())
    return RecordSummary(
        as_of=as_of_dt,
        close=float(values[pos]),
        year=yr,
        count=int(in_year.sum()),
        dates=tuple(to_datetime(x) for x in d[in_year]),
        is_record=is_record,
        nth_of_year=nth,
        last_record=last,
        previous_record=prev,
        gap_sessions=(int(rec_pos[-1] - rec_pos[-2]) if rec_pos.size >= 2 else None),
        high_water=high,
        pct_below_record=float(1.0 - values[pos] / high),
        data_start=to_datetime(d[0]),
    )
