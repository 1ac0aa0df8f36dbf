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
        gt = np.asarray(np.greater(first, second))
        lt = np.asarray(np.less(first, second))
    # A bool array is one byte of 0 or 1 per element: reinterpret both as int8 and
    # subtract in place, instead of two casting copies and a third array.
    out = gt.view(np.int8)
    np.subtract(out, lt.view(np.int8), out=out)
    if out.ndim == 0:
        return out[()]  # type: ignore[no-any-return]  # a scalar in, a scalar out
    return out


def _columns_int8(mat_t: NDArray[np.generic]) -> SignArray:
    """``mat_t`` (columns x sessions) as a C-contiguous int8 array.

    No copy when it already is one (an int8 1-D input, or an F-ordered int8 matrix);
    otherwise one copy, cast to int8 exactly like assigning into an int8 array.
    """
    if mat_t.dtype == np.int8 and mat_t.flags.c_contiguous:
        return mat_t  # type: ignore[return-value]
    out = np.empty(mat_t.shape, dtype=np.int8)
    out[...] = mat_t
    return out


def _run_bounds(
    cols: SignArray, is_start: NDArray[np.bool_], is_end: NDArray[np.bool_]
) -> tuple[IntArray, IntArray, SignArray, IntArray, IntArray]:
    """Runs of ``cols`` from C-contiguous ``(k, n)`` masks of their first and last cells.

    Returns ``(counts, column, sign, start, end)``: the number of runs per row, then one
    entry per run sorted by (row, start), ``start``/``end`` being positions in the row.
    """
    k, n = is_start.shape
    counts = np.count_nonzero(is_start, axis=1).astype(np.int64, copy=False)
    starts = np.flatnonzero(is_start)
    ends = np.flatnonzero(is_end)
    sign = cols.ravel()[starts]
    # Starts are sorted, so each row's runs are one contiguous block of ``counts``.
    column = np.repeat(np.arange(k, dtype=np.int64), counts)
    offset = np.repeat(np.arange(0, k * n, n, dtype=np.int64), counts)
    starts -= offset
    ends -= offset
    return counts, column, sign, starts, ends


def _rle(cols: SignArray) -> tuple[IntArray, SignArray, IntArray, IntArray]:
    """Run-length encode each row of a C-contiguous int8 ``(k, n)`` array.

    Returns ``(column, sign, start, end)``, one entry per run sorted by (row, start).
    Rows are encoded separately by construction, so no sentinel padding is needed.
    """
    k, n = cols.shape
    nonzero = cols != 0
    differs = cols[:, 1:] != cols[:, :-1]
    is_start = np.empty((k, n), dtype=np.bool_)
    is_start[:, 0] = nonzero[:, 0]
    np.logical_and(nonzero[:, 1:], differs, out=is_start[:, 1:])
    is_end = np.empty((k, n), dtype=np.bool_)
    is_end[:, -1] = nonzero[:, -1]
    np.logical_and(nonzero[:, :-1], differs, out=is_end[:, :-1])
    _, column, sign, starts, ends = _run_bounds(cols, is_start, is_end)
    return column, sign, starts, ends


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
    # Column-major work keeps each column contiguous; rows of the transposed array are
    # encoded separately, so no run crosses from one column into the next.
    column, sign, start, end = _rle(_columns_int8(mat.T))
    return Runs(column=column, sign=sign, start=start, end=end)


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


# current_streaks reads the last _FIRST_WINDOW rows first, then x _GROWTH as needed.
_FIRST_WINDOW = 256
_GROWTH = 8


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

    Notes
    -----
    Only the recent past matters, so the scan starts on the last ``_FIRST_WINDOW``
    rows and widens (x ``_GROWTH``, then every row once the window would exceed a
    quarter of them) only for the columns whose answer is not settled inside the
    window yet. A column whose current streak is its longest ever is settled by the
    full-length pass, so the worst case costs under 1.3 full scans. The result is
    exactly the same as scanning every row at once.
    """
    mat = signs.reshape(-1, 1) if signs.ndim == 1 else signs
    n_rows, n_cols = mat.shape
    sign = np.zeros(n_cols, dtype=np.int8)
    length = np.zeros(n_cols, dtype=np.int64)
    start = np.full(n_cols, -1, dtype=np.int64)
    since_start = np.full(n_cols, -1, dtype=np.int64)
    since_end = np.full(n_cols, -1, dtype=np.int64)
    out = CurrentStreaks(sign, length, start, since_start, since_end)
    if n_rows == 0 or n_cols == 0:
        return out

    last = np.empty(n_cols, dtype=np.int8)
    last[...] = mat[-1]
    # Columns ending on a tie or a gap are done: no current streak, no "longest since".
    todo = np.flatnonzero(last).astype(np.int64, copy=False)  # columns not settled yet
    window = _FIRST_WINDOW
    while todo.size:
        # A window over a quarter of the rows is not worth it: take every row.
        first = 0 if window * 4 > n_rows else n_rows - window
        tail = mat[first:].T
        cols = _columns_int8(tail if todo.size == n_cols else tail[todo])
        settled = _settle_window(cols, first, todo, out)
        todo = todo[~settled]
        window *= _GROWTH
    return out


def _settle_window(
    cols: SignArray, first: int, which: IntArray, out: CurrentStreaks
) -> NDArray[np.bool_]:
    """Answer ``current_streaks`` from the rows ``first:`` of some columns.

    ``cols`` holds those rows for the columns ``which`` (one row of ``cols`` each), all
    of them with a non-zero last row. A column is settled when nothing before ``first``
    can change its answer: its current run and its latest candidate both start after
    ``first`` (so neither is cut by the window), or the window is every row. Settled
    columns are written into ``out``; the returned mask tells which they are.
    """
    m, w = cols.shape
    # Only runs with the sign of the column's current run matter: encode just those.
    csign = cols[:, -1]
    same = cols == csign[:, None]
    is_start = np.empty((m, w), dtype=np.bool_)
    is_start[:, 0] = same[:, 0]
    np.greater(same[:, 1:], same[:, :-1], out=is_start[:, 1:])  # a & ~b, for bools
    is_end = np.empty((m, w), dtype=np.bool_)
    is_end[:, -1] = same[:, -1]
    np.greater(same[:, :-1], same[:, 1:], out=is_end[:, :-1])
    counts, column, _, rstart, rend = _run_bounds(cols, is_start, is_end)
    cur_idx = np.cumsum(counts) - 1  # the current run closes each column's block
    cstart = rstart[cur_idx]
    clen = w - cstart

    # Candidates: earlier runs (of that sign) at least as long as the current one.
    cand = rend - rstart + 1 >= clen[column]
    cand[cur_idx] = False
    found = np.zeros(m, dtype=np.bool_)
    sstart = np.full(m, -1, dtype=np.int64)
    send = np.full(m, -1, dtype=np.int64)
    idx = np.flatnonzero(cand)
    if idx.size:
        # Runs are sorted by (column, start): the last candidate of each column's block
        # is its most recent one. Keep the positions where the column changes next.
        ccol = column[idx]
        last = np.empty(idx.size, dtype=np.bool_)
        last[-1] = True
        np.not_equal(ccol[1:], ccol[:-1], out=last[:-1])
        best, bcol = idx[last], ccol[last]
        found[bcol] = True
        sstart[bcol] = rstart[best]
        send[bcol] = rend[best]

    # A candidate that starts after row 0 is whole, and so is the later current run.
    settled = np.ones(m, dtype=np.bool_) if first == 0 else found & (sstart > 0)
    dst = which[settled]
    found_s = found[settled]
    out.sign[dst] = csign[settled]
    out.length[dst] = clen[settled]
    out.start[dst] = cstart[settled] + first
    out.since_start[dst] = np.where(found_s, sstart[settled] + first, -1)
    out.since_end[dst] = np.where(found_s, send[settled] + first, -1)
    return settled
