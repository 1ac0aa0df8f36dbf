"""One pass per pair, straight from closes: the compiled twin of :func:`pair_streaks`.

:func:`fused_pair_streaks` answers exactly what :func:`analytics.tail_scan.pair_streaks`
answers (same definitions, same result for every pair), but walks each pair back from
the last row one session at a time, computing each return and sign as it goes, and
stops on the row that settles the answer: the row before the start of the "longest
since" run (or row 0 when there is none). So it reads only the closes the answer
depends on, once.

The walk is compiled with Numba, an optional dependency (``pip install
streakbot[fast]``); the first call in a process compiles it (half a second to a second and a
half, see :func:`jit_seconds`). Without Numba, use ``pair_streaks``, which is plain
NumPy. ``_scan`` itself is plain Python and gives the same result uncompiled, only
slowly.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from analytics.returns import FloatArray
from analytics.runs import CurrentStreaks
from analytics.tail_scan import _pairs

F = TypeVar("F", bound=Callable[..., Any])


def numba_available() -> bool:
    """True when Numba can be imported, so :func:`fused_pair_streaks` can run."""
    try:
        import numba  # noqa: F401, PLC0415 (optional extra: is it installed?)
    except ImportError:
        return False
    return True


def fused_pair_streaks(
    first: FloatArray,
    second: FloatArray,
    first_cols: NDArray[np.integer] | None = None,
    second_cols: NDArray[np.integer] | None = None,
    *,
    compiled: bool = True,
) -> CurrentStreaks:
    """Same parameters and result as :func:`analytics.tail_scan.pair_streaks`.

    ``compiled=False`` runs the walk as plain Python (no Numba needed; slow).

    Raises
    ------
    ImportError
        ``compiled`` is true and Numba is not installed.
    """
    a = np.asarray(first, dtype=np.float64)
    b = np.asarray(second, dtype=np.float64)
    a = a.reshape(-1, 1) if a.ndim == 1 else a
    b = b.reshape(-1, 1) if b.ndim == 1 else b
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"first has {a.shape[0]} rows, second has {b.shape[0]}")
    ia, ib = _pairs(a.shape[1], b.shape[1], first_cols, second_cols)
    res = np.empty((5, ia.size), dtype=np.int64)
    if compiled:
        _compile()[0](a, b, ia, ib, res)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            _scan(a, b, ia, ib, res)
    return CurrentStreaks(
        sign=res[0].astype(np.int8), length=res[1], start=res[2], since_start=res[3], since_end=res[4]
    )


def jit_seconds() -> float | None:
    """Seconds this process spent compiling the walk (``None`` if not compiled yet)."""
    return _compile()[1] if _compile.cache_info().currsize else None


@functools.cache
def _compile() -> tuple[Callable[..., Any], float]:
    """The compiled walk (once per process), and the seconds compiling it took."""
    import numba  # noqa: PLC0415 (optional and slow to import: only when the fused walk runs)

    t0 = time.perf_counter()
    # error_model="numpy": x / 0.0 is inf (as in daily_returns), not an exception.
    fn = numba.njit(nogil=True, error_model="numpy")(_scan)
    probe, one = np.ones((2, 1)), np.zeros(1, dtype=np.int64)
    fn(probe, probe, one, one, np.empty((5, 1), dtype=np.int64))
    return fn, time.perf_counter() - t0


def _jitable(fn: F) -> F:
    """Let compiled code call ``fn`` (inlined), while Python calls it as it is."""
    try:
        from numba.extending import register_jitable  # noqa: PLC0415 (optional extra, see above)
    except ImportError:
        return fn
    jitted: F = register_jitable(fn)
    return jitted


@_jitable
def _ret(x: Any, j: int, t: int) -> float:
    """``x[t, j] / x[t - 1, j] - 1``: the return of series ``j`` on row ``t >= 1``."""
    r: float = x[t, j] / x[t - 1, j] - 1.0
    return r


def _scan(a: Any, b: Any, ia: Any, ib: Any, out: Any) -> None:
    """Write ``(sign, length, start, since_start, since_end)`` of pair ``p`` to ``out[:, p]``.

    Row ``t`` (``t >= 1``) has sign +1 when ``r_a > r_b``, -1 when ``r_a < r_b``, else
    0 (a tie, or NaN on either side); row 0 has no return, so its sign is 0.
    """
    n = a.shape[0]
    for p in range(ia.size):
        ja = ia[p]
        jb = ib[p]
        s = 0
        if n >= 2:
            ra = _ret(a, ja, n - 1)
            rb = _ret(b, jb, n - 1)
            s = int(ra > rb) - int(ra < rb)
        if s == 0:
            out[0, p] = 0
            out[1, p] = 0
            out[2, p] = -1
            out[3, p] = -1
            out[4, p] = -1
            continue
        # The current run: back while the sign stays s.
        t = n - 2
        while t >= 1:
            ra = _ret(a, ja, t)
            rb = _ret(b, jb, t)
            if int(ra > rb) - int(ra < rb) != s:
                break
            t -= 1
        length = n - 1 - t
        out[0, p] = s
        out[1, p] = length
        out[2, p] = t + 1
        # Row t ended the current run. Before it: count the rows of sign s in a row;
        # the first run of at least ``length`` to end (going back) is the answer.
        t -= 1
        count = 0
        while t >= 1:
            ra = _ret(a, ja, t)
            rb = _ret(b, jb, t)
            same = int(ra > rb) - int(ra < rb) == s
            if count >= length and not same:
                break
            count = (count + 1) * same  # branch-free: the signs are unpredictable
            t -= 1
        if count >= length:
            out[3, p] = t + 1
            out[4, p] = t + count
        else:
            out[3, p] = -1
            out[4, p] = -1
