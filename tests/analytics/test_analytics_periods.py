"""Pure period helpers: bounds, returns across gaps, records per year, runs."""

from __future__ import annotations

import doctest
from datetime import date

import numpy as np

from analytics import periods
from analytics.periods import (
    PeriodBounds,
    SignRun,
    longest_run,
    longest_since,
    period_bounds,
    period_return,
    records_per_year_days,
    sign_runs,
)

DAYS = np.array(["2025-12-30", "2025-12-31", "2026-01-02", "2026-01-05", "2026-01-06"], dtype="datetime64[D]")


def test_doctests() -> None:
    assert doctest.testmod(periods).failed == 0


def test_bounds_and_return() -> None:
    b = period_bounds(DAYS, date(2026, 1, 1), date(2026, 1, 5))
    assert b == PeriodBounds(1, 2, 3) and b.sessions == 2
    closes = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert period_return(closes, b) == 4.0 / 2.0 - 1
    assert period_bounds(DAYS, date(2026, 1, 3), date(2026, 1, 4)).empty
    assert period_return(closes, period_bounds(DAYS, date(2025, 1, 1), date(2025, 12, 30))) is None  # no base
    gap = np.array([1.0, 2.0, np.nan, 4.0, 5.0])
    assert period_return(gap, b) is None  # never bridged
    assert period_return(gap, period_bounds(DAYS, date(2026, 1, 6), date(2026, 1, 6))) == 5.0 / 4.0 - 1


def test_records_per_year_counts_strict_highs_and_keeps_empty_years() -> None:
    years, counts = records_per_year_days(DAYS, np.array([10.0, 10.0, 11.0, 11.0, 12.0]))
    assert years.tolist() == [2025, 2026] and counts.tolist() == [0, 2]  # a tie is no record


def test_runs_longest_and_longest_since() -> None:
    signs = np.array([0, -1, -1, 1, -1, 0, -1, -1, -1, 1, -1, -1], dtype=np.int8)
    runs = sign_runs(signs, -1)
    assert runs == [SignRun(1, 2), SignRun(4, 4), SignRun(6, 8), SignRun(10, 11)]
    assert longest_run(runs) == SignRun(6, 8)
    assert longest_since(runs, runs[-1]) == SignRun(6, 8)
    assert longest_since(runs, runs[2]) is None
    assert longest_run([]) is None
