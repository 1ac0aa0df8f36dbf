"""``fused_pair_streaks`` (one walk per pair) equals the tail-window and full scans.

The walk runs as plain Python everywhere, and compiled where Numba is installed (the
``fast`` extra, part of ``dev``); both must give the full-history loop reference's
answer for every pair.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from numpy.typing import NDArray
from test_runs_property import as_tuples
from test_tail_scan import SETTINGS, pair_cases, reference

from analytics.fused_scan import fused_pair_streaks, jit_seconds, numba_available
from analytics.tail_scan import pair_streaks

Case = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]
needs_numba = pytest.mark.skipif(not numba_available(), reason="numba is not installed")


@SETTINGS
@given(pair_cases())
def test_python_walk_matches_full_scan(case: Case) -> None:
    a, b, ia, ib = case
    assert as_tuples(fused_pair_streaks(a, b, ia, ib, compiled=False)) == reference(a, b, ia, ib)


@needs_numba
@SETTINGS
@given(pair_cases())
def test_compiled_walk_matches_full_scan(case: Case) -> None:
    a, b, ia, ib = case
    got = fused_pair_streaks(a, b, ia, ib)
    assert as_tuples(got) == reference(a, b, ia, ib)
    assert got.sign.dtype == np.int8


@needs_numba
def test_compiled_walk_on_a_long_market_matches_tail_scan() -> None:
    # 3,000 sessions of random walks with ties (flat days on both sides) and gaps.
    rng = np.random.default_rng(7)
    logret = rng.standard_normal((3000, 40)) * 0.01
    logret[rng.random(logret.shape) < 0.02] = 0.0
    closes = 100.0 * np.exp(np.cumsum(logret, axis=0))
    closes[rng.integers(0, 3000, 200), rng.integers(0, 40, 200)] = np.nan
    ia, ib = np.triu_indices(40, 1)
    got = fused_pair_streaks(closes, closes, ia, ib)
    assert as_tuples(got) == as_tuples(pair_streaks(closes, closes, ia, ib))
    assert (got.since_start >= 0).any() and (got.since_start < 0).any()
    seconds = jit_seconds()
    assert seconds is not None and seconds > 0


@pytest.mark.parametrize("compiled", [False, pytest.param(True, marks=needs_numba)])
def test_zero_close_gives_an_infinite_return_not_an_error(compiled: bool) -> None:
    a = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0]])
    # returns: col 0: -1 then inf; col 1: 0, 0 -> signs 0 - +
    got = fused_pair_streaks(a, a, np.array([0]), np.array([1]), compiled=compiled)
    assert as_tuples(got) == [(1, 1, 2, -1, -1)]
    assert as_tuples(pair_streaks(a, a, np.array([0]), np.array([1]))) == [(1, 1, 2, -1, -1)]
