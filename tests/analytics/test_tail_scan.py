"""``pair_streaks`` (tail windows over closes) equals the full-history scan, pair by pair.

The reference is the obvious path: ``daily_returns`` on every row, ``comparison_signs``
on the pair's two columns, then the plain-loop ``ref_current_streaks`` of
``test_runs_property``. Closes are built from multipliers in {0.5, 1, 1.25, 2} so that
exact ties, flat (all-equal) series and long runs are common, with NaN gaps sprinkled
in; the tail-window sizes are shrunk so that small arrays go through every stage.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from test_runs_property import CurTuple, as_tuples, ref_current_streaks

import analytics.tail_scan as tail_mod
from analytics.returns import daily_returns
from analytics.runs import comparison_signs
from analytics.tail_scan import pair_streaks

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FACTORS = (0.5, 1.0, 1.25, 2.0)


def reference(
    a: NDArray[np.float64], b: NDArray[np.float64], ia: NDArray[np.int64], ib: NDArray[np.int64]
) -> list[CurTuple]:
    ra, rb = daily_returns(a), daily_returns(b)
    return ref_current_streaks(comparison_signs(ra[:, ia], rb[:, ib]))


@st.composite
def close_matrices(draw: st.DrawFn, n_rows: int, max_cols: int = 6) -> NDArray[np.float64]:
    """``(n_rows, k)`` closes: products of runs of one multiplier, with NaN gaps."""
    n_cols = draw(st.integers(1, max_cols))
    cols = []
    for _ in range(n_cols):
        pieces = draw(
            st.lists(st.tuples(st.sampled_from(FACTORS), st.integers(1, 30)), min_size=1)
        )
        factors = [f for f, n in pieces for _ in range(n)]
        factors = (factors * (n_rows // len(factors) + 1))[:n_rows]
        col = 100.0 * np.cumprod(factors)
        if n_rows:
            col[draw(st.lists(st.integers(0, n_rows - 1), max_size=4))] = np.nan
        cols.append(col)
    return np.array(cols).T.copy()


@st.composite
def pair_cases(
    draw: st.DrawFn,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    n_rows = draw(st.sampled_from([0, 1, 2, 3]) | st.integers(0, 150))
    a = draw(close_matrices(n_rows))
    b = a if draw(st.booleans()) else draw(close_matrices(n_rows))
    n_pairs = draw(st.integers(0, 12))
    ia = np.array(draw(st.lists(st.integers(0, a.shape[1] - 1), min_size=n_pairs, max_size=n_pairs)))
    ib = np.array(draw(st.lists(st.integers(0, b.shape[1] - 1), min_size=n_pairs, max_size=n_pairs)))
    if draw(st.booleans()):
        a = np.asfortranarray(a)
    return a, b, ia.astype(np.int64), ib.astype(np.int64)


windows = st.sampled_from([None, (1, 2), (2, 2), (3, 2), (4, 8), (8, 2)])


@SETTINGS
@given(pair_cases(), windows, st.sampled_from([None, 1, 7]))
def test_pair_streaks_match_full_scan(
    case: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]],
    window: tuple[int, int] | None,
    chunk: int | None,
) -> None:
    a, b, ia, ib = case
    first, growth = window or (tail_mod._FIRST_WINDOW, tail_mod._GROWTH)
    with (
        mock.patch.object(tail_mod, "_FIRST_WINDOW", first),
        mock.patch.object(tail_mod, "_GROWTH", growth),
        mock.patch.object(tail_mod, "_CHUNK_CELLS", chunk or tail_mod._CHUNK_CELLS),
    ):
        got = pair_streaks(a, b, ia, ib)
    assert as_tuples(got) == reference(a, b, ia, ib)
    assert got.sign.dtype == np.int8
    assert got.length.dtype == got.since_start.dtype == np.int64


def test_hand_computed_pairs() -> None:
    nan = np.nan
    a = np.array(
        [
            # rising, flat, rising with a gap two rows before the end
            [1.0, 5.0, 1.0],
            [2.0, 5.0, 2.0],
            [1.0, 5.0, 4.0],
            [2.0, 5.0, nan],
            [4.0, 5.0, 8.0],
            [8.0, 5.0, 16.0],
        ]
    )
    # returns: col 0: 1, -0.5, 1, 1, 1; col 1: 0 every day; col 2: 1, 1, gap, gap, 1
    got = pair_streaks(a, a, np.array([0, 1, 2, 1]), np.array([1, 1, 1, 0]))
    assert as_tuples(got) == [
        (1, 3, 3, -1, -1),  # signs 0 + - + + +: 3 up sessions, longer than any before
        (0, 0, -1, -1, -1),  # a flat series against itself: a tie every session
        (1, 1, 5, 1, 2),  # signs 0 + + 0 0 +: the gap ends rows 1-2, which is longest since
        (-1, 3, 3, -1, -1),  # the mirror of the first pair
    ]


def test_default_pairs_against_one_benchmark() -> None:
    closes = np.array([[10.0, 10.0], [11.0, 9.0], [12.1, 9.9], [13.31, 10.89]])
    bench = np.array([100.0, 100.0, 100.0, 100.0])
    got = pair_streaks(closes, bench)
    # column 0 rises 10% a day against a flat benchmark: 3 up sessions, the longest;
    # column 1: down, up, up -> current streak of 2 ups, no earlier up run.
    assert as_tuples(got) == [(1, 3, 1, -1, -1), (1, 2, 2, -1, -1)]


@pytest.mark.parametrize(
    ("first_cols", "second_cols", "message"),
    [
        (np.array([0]), None, "give both"),
        (np.array([0, 1]), np.array([0]), "2 first columns for 1"),
        (np.array([2]), np.array([0]), r"first_cols must lie in \[0, 2\)"),
    ],
)
def test_bad_pairs_say_why(
    first_cols: NDArray[np.int64], second_cols: NDArray[np.int64] | None, message: str
) -> None:
    closes = np.ones((3, 2))
    with pytest.raises(ValueError, match=message):
        pair_streaks(closes, closes, first_cols, second_cols)
