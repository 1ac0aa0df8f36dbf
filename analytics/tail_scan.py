"""Current streaks straight from closes, reading only the recent tail of each series.

:func:`pair_streaks` answers, for many pairs of close series at once, what
``current_streaks(comparison_signs(daily_returns(A)[:, i], daily_returns(B)[:, j]))``
answers from the whole history, with the same definitions:

* ``r_t = C_t / C_{t-1} - 1`` on consecutive rows; row 0, and any row where either
  close is NaN, has no return (a gap);
* the pair's sign on a row is +1 when ``r_A > r_B`` strictly, -1 when ``r_A < r_B``,
  0 on a tie or a gap; a 0 ends a run and is never bridged;
* the current streak is the run that ends on the last row; its "longest since" is the
  most recent earlier run of the same sign at least as long (none: it is the longest
  in the data).

An answer only depends on the rows back to the start of that "longest since" run, and
for most pairs that is a few dozen sessions. So returns and signs are computed on a
window at the end, and the window grows only for the pairs whose answer it cannot
settle yet (see ``analytics.runs._settle_window``). The result is identical to the full
scan for every pair; only the cost differs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from analytics.returns import FloatArray, daily_returns
from analytics.runs import CurrentStreaks, IntArray, _settle_window, comparison_signs

# The first window is _FIRST_WINDOW rows, then x _GROWTH for the pairs not settled yet.
_FIRST_WINDOW = 32
_GROWTH = 4
# Pairs are compared this many at a time, so a window's signs stay a few MB.
_CHUNK_CELLS = 1 << 21


def pair_streaks(
    first: FloatArray,
    second: FloatArray,
    first_cols: NDArray[np.integer] | None = None,
    second_cols: NDArray[np.integer] | None = None,
) -> CurrentStreaks:
    """Current streak and "longest since" of each pair (first column, second column).

    Parameters
    ----------
    first, second : float arrays, shape ``(n, ka)`` and ``(n, kb)`` (or ``(n,)``)
        Closes on one session grid (rows are sessions, the last row is the as-of
        session); NaN marks a missing close. Any memory layout.
    first_cols, second_cols : int arrays of the same length, optional
        Pair ``p`` compares column ``first_cols[p]`` of ``first`` with column
        ``second_cols[p]`` of ``second``. Default: every column of ``first`` against
        the single column of ``second`` when it has one, else column ``j`` against
        column ``j``.

    Returns
    -------
    CurrentStreaks
        One entry per pair, equal to ``current_streaks`` of the pair's full-history
        comparison signs (row positions count from row 0 of the inputs).
    """
    a = first.reshape(-1, 1) if first.ndim == 1 else first
    b = second.reshape(-1, 1) if second.ndim == 1 else second
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"first has {a.shape[0]} rows, second has {b.shape[0]}")
    ia, ib = _pairs(a.shape[1], b.shape[1], first_cols, second_cols)
    n_rows, n_pairs = a.shape[0], ia.size
    out = CurrentStreaks(
        sign=np.zeros(n_pairs, dtype=np.int8),
        length=np.zeros(n_pairs, dtype=np.int64),
        start=np.full(n_pairs, -1, dtype=np.int64),
        since_start=np.full(n_pairs, -1, dtype=np.int64),
        since_end=np.full(n_pairs, -1, dtype=np.int64),
    )
    todo = np.arange(n_pairs, dtype=np.int64)
    window = _FIRST_WINDOW
    while todo.size and n_rows:
        # A window over a quarter of the rows is not worth it: take every row.
        lo = 0 if window * 4 > n_rows else n_rows - window
        (ra, row_a), (rb, row_b) = _tail_returns(a, lo, ia[todo]), _tail_returns(b, lo, ib[todo])
        step = max(1, _CHUNK_CELLS // (n_rows - lo))
        settled = np.empty(todo.size, dtype=np.bool_)
        for s in range(0, todo.size, step):
            part = slice(s, s + step)
            # Rows are pairs, columns the window's sessions: C-contiguous int8.
            signs = comparison_signs(ra.take(row_a[part], axis=0), rb.take(row_b[part], axis=0))
            settled[part] = _settle_tail(signs, lo, todo[part], out)
        todo = todo[~settled]
        window *= _GROWTH
    return out


def _pairs(
    ka: int,
    kb: int,
    first_cols: NDArray[np.integer] | None,
    second_cols: NDArray[np.integer] | None,
) -> tuple[IntArray, IntArray]:
    if (first_cols is None) != (second_cols is None):
        raise ValueError("give both first_cols and second_cols, or neither")
    if first_cols is not None and second_cols is not None:
        ia = np.asarray(first_cols, dtype=np.int64).ravel()
        ib = np.asarray(second_cols, dtype=np.int64).ravel()
        if ia.size != ib.size:
            raise ValueError(f"{ia.size} first columns for {ib.size} second columns")
        for cols, k, name in ((ia, ka, "first"), (ib, kb, "second")):
            if cols.size and (cols.min() < 0 or cols.max() >= k):
                raise ValueError(f"{name}_cols must lie in [0, {k})")
        return ia, ib
    if kb == 1:
        return np.arange(ka, dtype=np.int64), np.zeros(ka, dtype=np.int64)
    if ka == kb:
        return np.arange(ka, dtype=np.int64), np.arange(ka, dtype=np.int64)
    raise ValueError(f"cannot pair {ka} columns with {kb}: give first_cols, second_cols")


def _tail_returns(closes: FloatArray, lo: int, needed: IntArray) -> tuple[FloatArray, IntArray]:
    """Returns of rows ``lo:`` of the series in ``needed``, one row per distinct series.

    Returns ``(rets, row)``: ``rets`` is ``(distinct series, n - lo)`` C-contiguous, and
    ``rets[row[i]]`` holds the returns of series ``needed[i]``. Row ``lo`` uses the close
    before it (``lo - 1``), so the window's returns equal the full-history ones, and
    row 0 is NaN as in :func:`daily_returns`.
    """
    cols, row = np.unique(needed, return_inverse=True)
    src = closes[max(lo - 1, 0) :].take(cols, axis=1)
    rets = daily_returns(src)[1:] if lo else daily_returns(src)
    return np.ascontiguousarray(rets.T), row.astype(np.int64, copy=False)


def _settle_tail(
    signs: NDArray[np.int8], lo: int, which: IntArray, out: CurrentStreaks
) -> NDArray[np.bool_]:
    """``_settle_window`` for the pairs whose last sign is non-zero; the others are done.

    A pair ending on a tie or a gap has no current streak: its entry in ``out`` keeps
    the "no streak" values it was created with.
    """
    live: NDArray[np.bool_] = signs[:, -1] != 0
    settled = ~live
    if live.any():
        idx = np.flatnonzero(live)
        settled[idx] = _settle_window(np.ascontiguousarray(signs[idx]), lo, which[idx], out)
    return settled
