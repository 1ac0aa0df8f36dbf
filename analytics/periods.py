"""Periods on a session grid: where a period starts and ends, its return, records and runs.

Definitions
-----------
* A *period* ``[start, end]`` (calendar dates) covers the grid sessions ``s`` with
  ``start <= s <= end``. Its *base* is the last grid session before the first of them:
  the period return is ``C_end / C_base - 1`` (YTD 2026 starts from the Dec 31, 2025
  close). A period whose first session is the first row of the grid has no base.
* A *gap* inside a period is a grid session from the base to the end session with no
  close: the period return is then undefined (never bridged).
* *Record close*: ``C_t > max(C_0..C_{t-1})`` strictly over the full history
  (:func:`analytics.records.record_mask`); the first close is the baseline.
* A *down run* is a maximal block of consecutive grid sessions with comparison sign -1
  (``r_t < 0`` strictly for one series, ``r_A < r_B`` for a pair); a 0 (tie, unchanged
  or gap) ends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from analytics.records import record_mask
from analytics.returns import DayArray, FloatArray
from analytics.runs import SignArray, find_runs

__all__ = [
    "PeriodBounds",
    "SignRun",
    "longest_run",
    "longest_since",
    "period_bounds",
    "period_return",
    "records_per_year_days",
    "sign_runs",
]


def _day(d: date) -> np.datetime64:
    return np.datetime64(date(d.year, d.month, d.day).isoformat(), "D")


@dataclass(frozen=True)
class PeriodBounds:
    """Grid positions of a period.

    Attributes
    ----------
    base : int
        The last grid position before the period's first session; -1 when there is none.
    first, last : int
        The first and last grid positions inside ``[start, end]``; ``last < first``
        when no session of the grid falls in the period.
    """

    base: int
    first: int
    last: int

    @property
    def empty(self) -> bool:
        return self.last < self.first

    @property
    def sessions(self) -> int:
        """Sessions in the period (``last - first + 1``, 0 when empty)."""
        return max(0, self.last - self.first + 1)


def period_bounds(days: DayArray, start: date, end: date) -> PeriodBounds:
    """Positions of ``[start, end]`` on the ascending grid ``days`` (``datetime64[D]``).

    ``first`` is the first position with ``days >= start``, ``last`` the last with
    ``days <= end``, ``base = first - 1`` (-1 at the start of the grid).

    Examples
    --------
    >>> d = np.array(["2025-12-30", "2025-12-31", "2026-01-02", "2026-01-05"], dtype="datetime64[D]")
    >>> period_bounds(d, date(2026, 1, 1), date(2026, 12, 31))
    PeriodBounds(base=1, first=2, last=3)
    """
    first = int(np.searchsorted(days, _day(start), side="left"))
    last = int(np.searchsorted(days, _day(end), side="right")) - 1
    return PeriodBounds(first - 1, first, last)


def period_return(closes: FloatArray, bounds: PeriodBounds) -> float | None:
    """``C_last / C_base - 1``; ``None`` without a base, for an empty period, or when any
    close from the base to the last session is NaN (a gap is never bridged)."""
    if bounds.base < 0 or bounds.empty:
        return None
    window = closes[bounds.base : bounds.last + 1]
    if np.isnan(window).any():
        return None
    return float(closes[bounds.last] / closes[bounds.base] - 1.0)


def records_per_year_days(days: DayArray, closes: FloatArray) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Record closes per calendar year, for every year the data has a session in.

    Returns
    -------
    (years, counts) : int64 arrays
        Ascending years of ``days`` and the number of record sessions
        (:func:`analytics.records.record_mask` over the full series) dated in each.

    Examples
    --------
    >>> d = np.array(["2020-12-31", "2021-01-04", "2021-01-05", "2022-01-03"], dtype="datetime64[D]")
    >>> [a.tolist() for a in records_per_year_days(d, np.array([1.0, 2.0, 3.0, 2.5]))]
    [[2020, 2021, 2022], [0, 2, 0]]
    """
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    mask = record_mask(np.asarray(closes, dtype=np.float64))
    uniq, inverse = np.unique(years, return_inverse=True)
    counts = np.bincount(inverse, weights=mask.astype(np.float64), minlength=uniq.size)
    return uniq.astype(np.int64), counts.astype(np.int64)


@dataclass(frozen=True)
class SignRun:
    """One run of equal comparison signs: grid positions (``end`` inclusive)."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def sign_runs(signs: SignArray, sign: int) -> list[SignRun]:
    """Every maximal run of ``sign`` (+1 or -1) in a 1-D sign array, in date order."""
    runs = find_runs(signs)
    sel = np.flatnonzero(runs.sign == sign)
    return [SignRun(int(runs.start[i]), int(runs.end[i])) for i in sel]


def longest_run(runs: list[SignRun]) -> SignRun | None:
    """The longest run, the earliest on ties; ``None`` for no runs."""
    best: SignRun | None = None
    for r in runs:
        if best is None or r.length > best.length:
            best = r
    return best


def longest_since(runs: list[SignRun], current: SignRun) -> SignRun | None:
    """The most recent run ending before ``current`` starts with ``length >= current.length``.

    ``None`` means ``current`` is the longest in ``runs`` (the data).
    """
    for r in reversed(runs):
        if r.end < current.start and r.length >= current.length:
            return r
    return None
