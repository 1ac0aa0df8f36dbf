"""Run-length encoding of daily comparison signs, vectorised over many columns.

A *comparison sign* is +1, -1 or 0 for each session: +1 when the first side beat the
second, -1 when it lagged, 0 when neither (a tie, or a session where a return is
undefined because of a gap). A *run* is a maximal block of consecutive sessions with
the same non-zero sign; a 0 always ends a run and never belongs to one.

Everything here is NumPy work over whole arrays: no Python loop per session.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
SignArray = NDArray[np.int8]


@dataclass(frozen=True)
class Runs:
    """Columnar table of runs, sorted by ``(column, start)``.

    Attributes
    ----------
    column : int64 array
        Column of the sign matrix the run belongs to (always 0 for a 1-D input).
    sign : int8 array
        +1 or -1: which side led during the run.
    start, end : int64 arrays
        Row positions of the first and last session of the run (``end`` inclusive).
    """

    column: IntArray
    sign: SignArray
    start: IntArray
    end: IntArray

    @property
    def length(self) -> IntArray:
        """Number of sessions in each run (``end - start + 1``)."""
        return self.end - self.start + 1

    def __len__(self) -> int:
        return int(self.start.size)

    def take(self, mask: NDArray[np.bool_] | IntArray) -> Runs:
        """Return the runs selected by a boolean mask or an index array."""
        return Runs(self.column[mask], self.sign[mask], self.start[mask], self.end[mask])


def comparison_signs(first: NDArray[np.float64], second: NDArray[np.float64]) -> SignArray:
    """Sign of ``first - second`` element-wise, 0 where either side is NaN.

    Parameters
    ----------
    first, second : float arrays of the same shape
        Daily returns. NaN marks a session whose return is undefined (a gap).

    Returns
    -------
    int8 array
        +1 where ``first > second`` strictly, -1 where ``first < second``, else 0
        (a tie, or NaN on either side).
    """
    with np.errstate(invalid="ignore"):
        gt = first > second
        lt = first < second
    out = gt.astype(np.int8)
    out -= lt.astype(np.int8)
    return out


def find_runs(signs: NDArray[np.int8]) -> Runs:
    """Run-length encode a 1-D or 2-D (sessions x columns) sign array.

    Parameters
    ----------
    signs : int8 array, shape ``(n,)`` or ``(n, k)``
        Comparison signs per session (rows) and per column.

    Returns
    -------
    Runs
        Every maximal block of equal non-zero signs within one column, sorted by column
        then start row.
    """
    mat = signs.reshape(-1, 1) if signs.ndim == 1 else signs
    n_rows, n_cols = mat.shape
    if n_rows == 0 or n_cols == 0:
        empty = np.empty(0, dtype=np.int64)
        return Runs(empty, np.empty(0, dtype=np.int8), empty, empty)
    # Column-major flattening keeps each column contiguous; a sentinel 0 row between
    # columns makes sure no run crosses from one column into the next.
    padded = np.zeros((n_rows + 1, n_cols), dtype=np.int8)
    padded[:n_rows] = mat
    flat = padded.T.ravel()
    prev = np.empty_like(flat)
    prev[0] = 0
    prev[1:] = flat[:-1]
    nxt = np.empty_like(flat)
    nxt[-1] = 0
    nxt[:-1] = flat[1:]
    starts = np.flatnonzero((flat != 0) & (flat != prev))
    ends = np.flatnonzero((flat != 0) & (flat != nxt))
    stride = n_rows + 1
    return Runs(
        column=(starts // stride).astype(np.int64),
        sign=flat[starts].astype(np.int8),
        start=(starts % stride).astype(np.int64),
        end=(ends % stride).astype(np.int64),
    )


@dataclass(frozen=True)
class CurrentStreaks:
    """Per column: the streak in progress at the last row, and its "longest since".

    ``sign`` is 0 and ``length`` 0 where the last row is a tie or a gap. The
    ``since_*`` fields describe the most recent earlier run of the same sign that is at
    least as long as the current one; ``since_start`` is -1 where there is none.
    """

    sign: SignArray
    length: IntArray
    start: IntArray
    since_start: IntArray
    since_end: IntArray


def current_streaks(signs: NDArray[np.int8]) -> CurrentStreaks:
    """Current streak and "longest since" for every column at the last row.

    Parameters
    ----------
    signs : int8 array, shape ``(n,)`` or ``(n, k)``
        Comparison signs; the last row is the as-of session.

    Returns
    -------
    CurrentStreaks
        Arrays of length ``k`` (1 for a 1-D input). The current streak of a column is
        the run that ends on the last row. Its "longest since" is the run of the same
        sign, ending before the current run starts, with ``length >= current length``
        and the latest start among those.
    """
    mat = signs.reshape(-1, 1) if signs.ndim == 1 else signs
    n_rows, n_cols = mat.shape
    runs = find_runs(mat)
    sign = np.zeros(n_cols, dtype=np.int8)
    length = np.zeros(n_cols, dtype=np.int64)
    start = np.full(n_cols, -1, dtype=np.int64)
    since_start = np.full(n_cols, -1, dtype=np.int64)
    since_end = np.full(n_cols, -1, dtype=np.int64)
    if len(runs) == 0:
        return CurrentStreaks(sign, length, start, since_start, since_end)

    is_current = runs.end == n_rows - 1
    cur = runs.take(is_current)
    sign[cur.column] = cur.sign
    length[cur.column] = cur.length
    start[cur.column] = cur.start

    # Candidates: earlier runs of the same sign at least as long as the column's current.
    col = runs.column
    cand = (~is_current) & (runs.sign == sign[col]) & (runs.length >= length[col]) & (
        sign[col] != 0
    )
    if cand.any():
        c = runs.take(cand)
        # Runs are sorted by (column, start): the last candidate of each column is the
        # most recent one. np.maximum.at on positions picks it without a Python loop.
        pos = np.flatnonzero(cand)
        best = np.full(n_cols, -1, dtype=np.int64)
        np.maximum.at(best, c.column, pos)
        has = best >= 0
        since_start[has] = runs.start[best[has]]
        since_end[has] = runs.end[best[has]]
    return CurrentStreaks(sign, length, start, since_start, since_end)
