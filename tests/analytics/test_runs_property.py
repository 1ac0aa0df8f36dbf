"""Property tests: the vectorised run-length code equals plain Python loops.

``find_runs``, ``current_streaks`` and ``comparison_signs`` (``analytics.runs``) are
checked against reference implementations written here the slow, obvious way, on random
int8 sign matrices (1-D and 2-D; 0 rows, 1 row, many columns; C, Fortran and strided
layouts) and random float arrays with NaNs, infinities and ties.

``current_streaks`` first scans a tail window of rows and widens it only for columns it
could not settle; the windowed tests shrink that window (``_FIRST_WINDOW``/``_GROWTH``)
so that small arrays go through every stage, including runs cut by a window edge.
"""

from __future__ import annotations

import math
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.typing import NDArray

import analytics.runs as runs_mod
from analytics.runs import CurrentStreaks, comparison_signs, current_streaks, find_runs

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

RunTuple = tuple[int, int, int, int]  # (column, sign, start, end)
CurTuple = tuple[int, int, int, int, int]  # (sign, length, start, since_start, since_end)


def as_tuples(cur: CurrentStreaks) -> list[CurTuple]:
    """``(sign, length, start, since_start, since_end)`` per column."""
    return list(
        zip(
            cur.sign.tolist(),
            cur.length.tolist(),
            cur.start.tolist(),
            cur.since_start.tolist(),
            cur.since_end.tolist(),
            strict=True,
        )
    )


# --------------------------------------------------------------------------- references


def as_matrix(signs: NDArray[Any]) -> NDArray[Any]:
    return signs.reshape(-1, 1) if signs.ndim == 1 else signs


def ref_find_runs(signs: NDArray[Any]) -> list[RunTuple]:
    """Walk each column row by row; a run is a maximal block of one non-zero value."""
    mat = as_matrix(signs)
    n_rows, n_cols = mat.shape
    out: list[RunTuple] = []
    for c in range(n_cols):
        r = 0
        while r < n_rows:
            v = int(mat[r, c])
            if v == 0:
                r += 1
                continue
            s = r
            while r + 1 < n_rows and int(mat[r + 1, c]) == v:
                r += 1
            out.append((c, v, s, r))
            r += 1
    return out


def ref_current_streaks(signs: NDArray[Any]) -> list[CurTuple]:
    """Per column: walk back from the last row, then scan earlier runs newest first."""
    mat = as_matrix(signs)
    n_rows, n_cols = mat.shape
    all_runs = ref_find_runs(mat)
    out: list[CurTuple] = []
    for c in range(n_cols):
        if n_rows == 0 or int(mat[-1, c]) == 0:
            out.append((0, 0, -1, -1, -1))
            continue
        s = int(mat[-1, c])
        i = n_rows - 1
        while i >= 0 and int(mat[i, c]) == s:
            i -= 1
        start = i + 1
        length = n_rows - start
        since = (-1, -1)
        for col, sign, r_start, r_end in reversed(all_runs):
            if col != c or r_end >= start:
                continue
            if sign == s and r_end - r_start + 1 >= length:
                since = (r_start, r_end)
                break
        out.append((s, length, start, *since))
    return out


def ref_comparison_signs(first: NDArray[np.float64], second: NDArray[np.float64]) -> list[int]:
    a, b = np.broadcast_arrays(first, second)
    out = []
    for x, y in zip(a.ravel().tolist(), b.ravel().tolist(), strict=True):
        out.append(1 if x > y else (-1 if x < y else 0))  # NaN: both False -> 0
    return out


# --------------------------------------------------------------------------- strategies

sign_elems = st.integers(min_value=-1, max_value=1)


@st.composite
def sign_matrices(draw: st.DrawFn, max_rows: int = 60, max_cols: int = 40) -> NDArray[np.int8]:
    """2-D int8 signs, with a layout that is C, Fortran or a strided view."""
    n_rows = draw(st.sampled_from([0, 1, 2]) | st.integers(0, max_rows))
    n_cols = draw(st.sampled_from([0, 1, max_cols]) | st.integers(0, max_cols))
    # ``arrays`` fills much of the array with one value, so long runs are common.
    mat = draw(arrays(np.int8, (n_rows, n_cols), elements=sign_elems))
    layout = draw(st.sampled_from(["c", "f", "strided"]))
    if layout == "f":
        return np.asfortranarray(mat)
    if layout == "strided":
        big = np.zeros((2 * n_rows, 2 * n_cols), dtype=np.int8)
        big[::2, ::2] = mat
        return big[::2, ::2]
    return mat


@st.composite
def run_matrices(draw: st.DrawFn) -> NDArray[np.int8]:
    """Longer columns built from explicit runs, so streaks of many rows show up."""
    n_cols = draw(st.integers(1, 6))
    cols = []
    for _ in range(n_cols):
        pieces = draw(
            st.lists(st.tuples(sign_elems, st.integers(1, 40)), min_size=1, max_size=25)
        )
        cols.append([v for v, n in pieces for _ in range(n)])
    n_rows = min(len(c) for c in cols)
    return np.array([c[-n_rows:] for c in cols], dtype=np.int8).T.copy()


# tail-window parameters for current_streaks: the shipped ones, then tiny ones
windows = st.sampled_from([None, (1, 2), (2, 2), (3, 2), (4, 8), (8, 2)])


def check_runs(signs: NDArray[Any]) -> None:
    runs = find_runs(signs)
    assert runs.column.dtype == np.int64
    assert runs.sign.dtype == np.int8
    assert runs.start.dtype == np.int64
    assert runs.end.dtype == np.int64
    got = list(
        zip(
            runs.column.tolist(),
            runs.sign.tolist(),
            runs.start.tolist(),
            runs.end.tolist(),
            strict=True,
        )
    )
    assert got == ref_find_runs(signs)
    assert runs.length.tolist() == [e - s + 1 for _, _, s, e in got]


def check_current(signs: NDArray[Any], window: tuple[int, int] | None) -> None:
    if window is None:
        cur = current_streaks(signs)
    else:
        with (
            mock.patch.object(runs_mod, "_FIRST_WINDOW", window[0]),
            mock.patch.object(runs_mod, "_GROWTH", window[1]),
        ):
            cur = current_streaks(signs)
    n_cols = as_matrix(signs).shape[1]
    for name, dtype in (
        ("sign", np.int8),
        ("length", np.int64),
        ("start", np.int64),
        ("since_start", np.int64),
        ("since_end", np.int64),
    ):
        arr = getattr(cur, name)
        assert arr.dtype == dtype, name
        assert arr.shape == (n_cols,), name
    assert as_tuples(cur) == ref_current_streaks(signs)


# --------------------------------------------------------------------------- find_runs


@SETTINGS
@given(sign_matrices())
def test_find_runs_2d_matches_loop(signs: NDArray[np.int8]) -> None:
    check_runs(signs)


@SETTINGS
@given(arrays(np.int8, st.integers(0, 200), elements=sign_elems))
def test_find_runs_1d_matches_loop(signs: NDArray[np.int8]) -> None:
    check_runs(signs)


@SETTINGS
@given(run_matrices())
def test_find_runs_long_runs_match_loop(signs: NDArray[np.int8]) -> None:
    check_runs(signs)


# --------------------------------------------------------------------------- current_streaks


@SETTINGS
@given(sign_matrices(), windows)
def test_current_streaks_2d_matches_loop(
    signs: NDArray[np.int8], window: tuple[int, int] | None
) -> None:
    check_current(signs, window)


@SETTINGS
@given(arrays(np.int8, st.integers(0, 200), elements=sign_elems), windows)
def test_current_streaks_1d_matches_loop(
    signs: NDArray[np.int8], window: tuple[int, int] | None
) -> None:
    check_current(signs, window)


@SETTINGS
@given(run_matrices(), windows)
def test_current_streaks_long_runs_match_loop(
    signs: NDArray[np.int8], window: tuple[int, int] | None
) -> None:
    check_current(signs, window)


@pytest.mark.parametrize("n_rows", [1023, 1024, 1025, 2048, 8192, 8193, 12_000])
def test_current_streaks_shipped_windows_at_their_edges(n_rows: int) -> None:
    # Real-size columns that need each stage of the shipped window (256, 2048, all):
    # current streaks of many lengths, some the longest in their column.
    rng = np.random.default_rng(n_rows)
    mat = rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_rows, 24))
    lengths = [0, 1, 2, 5, 9, 200, 255, 256, 257, 2047, 2048, 2049, n_rows]
    for c, n in enumerate(lengths):
        mat[n_rows - min(n, n_rows) :, c] = mat[-1, c]
    mat[-1, len(lengths)] = 0
    mat[: n_rows // 2, len(lengths) + 1] = 1
    mat[n_rows // 2 :, len(lengths) + 1] = -1
    check_current(mat, None)


# --------------------------------------------------------------------------- comparison_signs

float_elems = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-300, math.nan, math.inf, -math.inf]),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
)


@st.composite
def float_pairs(draw: st.DrawFn) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    shape = draw(st.tuples(st.integers(0, 30), st.integers(0, 12)))
    first = draw(arrays(np.float64, shape, elements=float_elems))
    if draw(st.booleans()):
        # one benchmark column against many: broadcast (n, 1) against (n, k)
        second = draw(arrays(np.float64, (shape[0], 1), elements=float_elems))
    else:
        second = draw(arrays(np.float64, shape, elements=float_elems))
        # make some exact ties
        tie = draw(arrays(np.bool_, shape))
        second = np.where(tie, first, second)
    return first, second


@SETTINGS
@given(float_pairs())
def test_comparison_signs_matches_loop(pair: tuple[NDArray[np.float64], ...]) -> None:
    first, second = pair
    out = comparison_signs(first, second)
    assert out.dtype == np.int8
    assert out.shape == np.broadcast_shapes(first.shape, second.shape)
    assert out.ravel().tolist() == ref_comparison_signs(first, second)


@SETTINGS
@given(arrays(np.float64, st.integers(0, 100), elements=float_elems), st.data())
def test_comparison_signs_1d_matches_loop(first: NDArray[np.float64], data: st.DataObject) -> None:
    second = data.draw(arrays(np.float64, first.shape, elements=float_elems))
    out = comparison_signs(first, second)
    assert out.dtype == np.int8
    assert out.tolist() == ref_comparison_signs(first, second)
