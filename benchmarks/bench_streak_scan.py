"""Benchmark: current streak + "longest since" for many symbols against one benchmark.

Compares the shipped vectorised path (``daily_returns`` -> ``comparison_signs`` ->
``current_streaks`` over a whole sessions x symbols matrix) with a plain pandas
implementation written per symbol in a Python loop. Both are checked to give identical
results for every symbol before anything is timed; a mismatch exits with status 1.

Targets (reported, never asserted): vectorised path under 100 ms end to end, and at
least 20x faster than the plain version.

Run from the repository root::

    python -m benchmarks.bench_streak_scan            # 500 symbols x 10,000 sessions
    python -m benchmarks.bench_streak_scan --quick    # smoke run, small sizes
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analytics.fused_scan import fused_pair_streaks, jit_seconds, numba_available
from analytics.returns import daily_returns
from analytics.runs import CurrentStreaks, comparison_signs, current_streaks, find_runs
from analytics.tail_scan import pair_streaks

TARGET_MS = 100.0
TARGET_SPEEDUP = 20.0
TARGET_BOUND_RATIO = 3.0
CACHE_LINE = 64
FIELDS = ("sign", "length", "start", "since_start", "since_end")

T = TypeVar("T")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Market:
    """Synthetic closes: ``closes`` is (sessions, symbols), ``bench`` is (sessions,)."""

    dates: pd.DatetimeIndex
    symbols: list[str]
    closes: NDArray[np.float64]
    bench: NDArray[np.float64]
    n_ties: int
    n_nan: int


def make_market(n_sessions: int, n_symbols: int, seed: int) -> Market:
    """Deterministic lognormal random walks with exact ties and NaN gaps sprinkled in.

    * Exact ties: on a few sessions the benchmark's log-return is exactly 0 and so is
      that of a random ~5% of symbols, so both simple returns are exactly 0.0 (the
      cumulative sum does not change when 0.0 is added, so the closes repeat bit for
      bit). The last session is one of them, so some symbols end on a tie.
    * NaN gaps: isolated missing closes, a few short holes of 2-4 sessions, a few
      symbols that only start trading later (NaN prefix), a few missing benchmark
      closes (which blank the comparison for every symbol), and a few symbols whose
      last close is missing.
    """
    rng = np.random.default_rng(seed)
    n_cols = n_symbols + 1  # last column is the benchmark
    drift = rng.normal(0.0002, 0.0002, size=n_cols)
    vol = rng.uniform(0.008, 0.03, size=n_cols)
    logret = rng.standard_normal((n_sessions, n_cols)) * vol + drift

    # Exact ties (both returns exactly 0.0).
    n_tie_sessions = max(3, n_sessions // 500)
    tie_rows = rng.choice(np.arange(1, n_sessions - 1), size=n_tie_sessions - 1, replace=False)
    tie_rows = np.append(tie_rows, n_sessions - 1)
    n_ties = 0
    for t in tie_rows:
        logret[t, -1] = 0.0
        flat = rng.random(n_symbols) < 0.05
        logret[t, :n_symbols][flat] = 0.0
        n_ties += int(flat.sum())

    start_px = rng.uniform(5.0, 500.0, size=n_cols)
    closes_all = start_px * np.exp(np.cumsum(logret, axis=0))
    closes = np.ascontiguousarray(closes_all[:, :n_symbols])
    bench = np.ascontiguousarray(closes_all[:, -1])

    # NaN gaps.
    n_single = max(5, n_sessions * n_symbols // 5000)
    closes[rng.integers(0, n_sessions, n_single), rng.integers(0, n_symbols, n_single)] = np.nan
    for _ in range(max(2, n_symbols // 20)):
        t = int(rng.integers(0, n_sessions - 4))
        closes[t : t + int(rng.integers(2, 5)), int(rng.integers(0, n_symbols))] = np.nan
    for j in rng.choice(n_symbols, size=max(1, n_symbols // 100), replace=False):
        closes[: int(rng.integers(1, n_sessions // 2)), j] = np.nan
    bench[rng.choice(np.arange(1, n_sessions - 2), size=3, replace=False)] = np.nan
    closes[-1, rng.choice(n_symbols, size=max(1, n_symbols // 100), replace=False)] = np.nan
    n_nan = int(np.isnan(closes).sum() + np.isnan(bench).sum())

    dates = pd.bdate_range("1990-01-02", periods=n_sessions)
    symbols = [f"S{j:04d}" for j in range(n_symbols)]
    return Market(dates, symbols, closes, bench, n_ties, n_nan)


# --------------------------------------------------------------------------- the two paths


def vectorised(closes: NDArray[np.float64], bench: NDArray[np.float64]) -> CurrentStreaks:
    """What we ship: whole-matrix returns, signs and run scan."""
    r = daily_returns(closes)
    b = daily_returns(bench)
    signs = comparison_signs(r, b[:, None])
    return current_streaks(signs)


def plain_pandas(frame: pd.DataFrame, bench: pd.Series) -> dict[str, NDArray[np.int64]]:
    """The obvious per-symbol pandas version: one Series at a time, groupby on runs."""
    n = len(frame.columns)
    out = {f: np.full(n, -1, dtype=np.int64) for f in FIELDS}
    out["sign"][:] = 0
    out["length"][:] = 0
    rb = bench.pct_change(fill_method=None)
    pos = pd.Series(np.arange(len(frame)), index=frame.index)
    for i, sym in enumerate(frame.columns):
        ra = frame[sym].pct_change(fill_method=None)
        # NaN compares False both ways, so a gap gives 0 like a tie.
        sign = (ra > rb).astype(int) - (ra < rb).astype(int)
        run_id = (sign != sign.shift()).cumsum()
        g = pos.groupby(run_id)
        runs = pd.DataFrame(
            {"sign": sign.groupby(run_id).first(), "start": g.min(), "end": g.max()}
        )
        runs["length"] = runs["end"] - runs["start"] + 1
        cur = runs.iloc[-1]
        if cur["sign"] == 0:
            continue
        out["sign"][i] = cur["sign"]
        out["length"][i] = cur["length"]
        out["start"][i] = cur["start"]
        earlier = runs.iloc[:-1]
        hits = earlier[(earlier["sign"] == cur["sign"]) & (earlier["length"] >= cur["length"])]
        if len(hits):
            out["since_start"][i] = hits["start"].iloc[-1]
            out["since_end"][i] = hits["end"].iloc[-1]
    return out


# --------------------------------------------------------------------------- harness


def best_of(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Best wall time in seconds over ``repeats`` calls, and the last result."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    assert result is not None
    return best, result


def timings(fn: Callable[[], T], repeats: int) -> tuple[list[float], T]:
    """Wall time in seconds of each of ``repeats`` calls, and the last result."""
    ts = []
    result: T | None = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        ts.append(time.perf_counter() - t0)
    assert result is not None
    return ts, result


def spread(ts: list[float], unit: str) -> str:
    """``best X (median Y, worst Z) of N`` in ``unit`` ("s", "ms" or "us")."""
    k = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    return (
        f"best {min(ts) * k:.3g} {unit} (median {float(np.median(ts)) * k:.3g}, "
        f"worst {max(ts) * k:.3g}) of {len(ts)}"
    )


def check_equal(vec: CurrentStreaks, ref: dict[str, NDArray[np.int64]], symbols: list[str]) -> int:
    """Print every mismatch; return how many (symbol, field) pairs differ."""
    bad = 0
    for f in FIELDS:
        v = np.asarray(getattr(vec, f), dtype=np.int64)
        diff = np.flatnonzero(v != ref[f])
        for i in diff[:10]:
            print(f"  MISMATCH {symbols[i]} {f}: vectorised={v[i]} plain={ref[f][i]}")
        bad += int(diff.size)
    return bad


def runtime_info() -> str:
    parts = [
        f"python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"pandas {pd.__version__}",
        f"cpus {os.cpu_count()}",
        "load avg " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415 (optional: reported when installed)

        pools = [f"{p['internal_api']}:{p['num_threads']}" for p in threadpool_info()]
        parts.append("threadpools " + (", ".join(pools) or "none"))
    except ImportError:
        parts.append("threadpoolctl not installed")
    env = {
        k: v
        for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        if (v := os.environ.get(k))
    }
    if env:
        parts.append(" ".join(f"{k}={v}" for k, v in env.items()))
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--symbols", type=int, default=None)
    ap.add_argument("--sessions", type=int, default=None)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--repeats", type=int, default=None, help="vectorised repeats (default 7)")
    ap.add_argument("--baseline-repeats", type=int, default=None, help="default 3")
    ap.add_argument("--tail-repeats", type=int, default=None, help="tail scans, default 200")
    args = ap.parse_args(argv)

    n_symbols = args.symbols or (50 if args.quick else 500)
    n_sessions = args.sessions or (1000 if args.quick else 10_000)
    repeats = args.repeats or (3 if args.quick else 7)
    base_repeats = args.baseline_repeats or (1 if args.quick else 3)

    print(runtime_info())
    mk = make_market(n_sessions, n_symbols, args.seed)
    print(
        f"sizes: {n_symbols} symbols + 1 benchmark x {n_sessions} sessions "
        f"(seed {args.seed}; {mk.n_ties} exact ties, {mk.n_nan} NaN closes)"
    )
    frame = pd.DataFrame(mk.closes, index=mk.dates, columns=mk.symbols)
    bench_s = pd.Series(mk.bench, index=mk.dates, name="BENCH")

    # Correctness first: identical results for every symbol, or exit non-zero.
    vec = vectorised(mk.closes, mk.bench)
    ref = plain_pandas(frame, bench_s)
    bad = check_equal(vec, ref, mk.symbols)
    if bad:
        print(f"FAIL: {bad} (symbol, field) values differ between vectorised and plain pandas")
        return 1
    n_streak = int(np.count_nonzero(vec.sign))
    n_since = int(np.count_nonzero(vec.since_start >= 0))
    print(
        f"check: identical for all {n_symbols} symbols ({n_streak} in a streak, "
        f"{n_symbols - n_streak} on a tie/gap, {n_since} with a 'longest since', "
        f"longest current {int(vec.length.max(initial=0))})"
    )

    t_vec, _ = best_of(lambda: vectorised(mk.closes, mk.bench), repeats)
    t_base, _ = best_of(lambda: plain_pandas(frame, bench_s), base_repeats)
    ratio = t_base / t_vec
    print(f"vectorised (returns + signs + scan): {t_vec * 1e3:9.2f} ms  (best of {repeats})")
    print(f"plain pandas, per-symbol loop:      {t_base * 1e3:9.2f} ms  (best of {base_repeats})")
    print(f"ratio plain / vectorised:           {ratio:9.1f}x")
    ok_ms = t_vec * 1e3 < TARGET_MS
    ok_x = ratio >= TARGET_SPEEDUP
    print(f"target vectorised < {TARGET_MS:.0f} ms: {'met' if ok_ms else 'NOT met'}")
    print(f"target >= {TARGET_SPEEDUP:.0f}x faster than plain: {'met' if ok_x else 'NOT met'}")
    if args.quick:
        print("(quick sizes: targets are for 500 x 10,000)")
    print_breakdown(mk, repeats)
    return tail_and_bound(mk, vec, args.tail_repeats or (20 if args.quick else 200))


def print_breakdown(mk: Market, repeats: int) -> None:
    """Informational: where the vectorised time goes, and the scan's worst case."""
    r = daily_returns(mk.closes)
    b = daily_returns(mk.bench)
    signs = comparison_signs(r, b[:, None])
    t_ret, _ = best_of(lambda: (daily_returns(mk.closes), daily_returns(mk.bench)), repeats)
    t_sig, _ = best_of(lambda: comparison_signs(r, b[:, None]), repeats)
    t_cur, _ = best_of(lambda: current_streaks(signs), repeats)
    t_all, runs = best_of(lambda: find_runs(signs), repeats)
    # Worst case for current_streaks: every column's current streak is its longest
    # ever, so no "longest since" exists and every row of every column is read.
    worst = signs.copy()
    tail = max(64, int(worst.shape[0] ** 0.5))
    worst[-tail:] = np.where(worst[-1] == 0, 1, worst[-1])
    t_worst, cur = best_of(lambda: current_streaks(worst), repeats)
    n_none = int(np.count_nonzero(cur.since_start < 0))
    print(
        f"breakdown: returns {t_ret * 1e3:.2f} ms, signs {t_sig * 1e3:.2f} ms, "
        f"current_streaks {t_cur * 1e3:.2f} ms (best of {repeats} each)"
    )
    print(
        f"info: find_runs over every row ({len(runs)} runs) {t_all * 1e3:.2f} ms; "
        f"current_streaks worst case ({n_none}/{worst.shape[1]} columns with no 'longest since') "
        f"{t_worst * 1e3:.2f} ms"
    )


def needed_rows(cur: CurrentStreaks, n_rows: int) -> NDArray[np.int64]:
    """Per column, how many of the last closes its answer depends on.

    A tie or gap on the last row needs the last two closes. A streak whose "longest
    since" starts on row ``s`` needs the closes from row ``s - 2`` on: the sign of row
    ``s - 1`` shows that the run starts at ``s``. Without one, every close is needed.
    """
    with_since = n_rows - np.maximum(cur.since_start - 2, 0)
    rows = np.where(cur.since_start >= 0, with_since, n_rows)
    return np.where(cur.sign == 0, min(2, n_rows), rows).astype(np.int64)


def touched_lines(arr: NDArray[np.float64], rows: NDArray[np.int64]) -> int:
    """Distinct cache lines holding the last ``rows[j]`` values of each column ``j``."""
    n, k = arr.shape
    col = np.repeat(np.arange(k), rows)
    # row index of each needed value: n - rows[j] .. n - 1 for column j
    first = np.repeat(n - rows, rows)
    within = np.arange(col.size) - np.repeat(np.cumsum(rows) - rows, rows)
    byte = arr.ctypes.data + (first + within) * arr.strides[0] + col * arr.strides[1]
    return int(np.unique(byte // CACHE_LINE).size)


def tail_and_bound(mk: Market, full: CurrentStreaks, repeats: int) -> int:
    """The scans that read only the tail, against the time to read what they must."""
    n = mk.closes.shape[0]
    tail = pair_streaks(mk.closes, mk.bench)
    results = [("numpy tail windows (pair_streaks)", tail)]
    if numba_available():
        fused = fused_pair_streaks(mk.closes, mk.bench)
        print(f"fused: numba cold JIT {jit_seconds():.2f} s (first call in this process)")
        results.append(("fused walk (fused_pair_streaks)", fused))
    else:
        print("fused: numba not installed (pip install -e '.[fast]'); numpy tail only")
    for label, got in results:
        if any(not np.array_equal(getattr(got, f), getattr(full, f)) for f in FIELDS):
            print(f"FAIL: {label} differs from the full scan")
            return 1
    print("check: tail and fused scans identical to the full scan for every symbol")

    # The bytes the answer depends on, and the time to read that many at the speed
    # numpy sums the whole close matrix (a read bandwidth measured here, now).
    rows = needed_rows(full, n)
    bench_rows = int(rows.max(initial=0))
    values = int(rows.sum()) + bench_rows
    lines = touched_lines(mk.closes, rows) + touched_lines(mk.bench[:, None], np.array([bench_rows]))
    line_bytes = lines * CACHE_LINE
    flat = mk.closes.ravel()
    t_read, _ = best_of(lambda: np.add.reduce(flat), 20)
    bandwidth = flat.nbytes / t_read
    bound = line_bytes / bandwidth
    value_bound = values * 8 / bandwidth
    hot = flat[: line_bytes // 8]
    t_hot, _ = best_of(lambda: np.add.reduce(hot), 200)
    print(
        f"must read: {values} closes ({values * 8 / 1e3:.1f} kB; mean {rows.mean():.1f} rows "
        f"per symbol, deepest {bench_rows}) in {lines} cache lines ({line_bytes / 1e3:.1f} kB)"
    )
    print(
        f"read bandwidth: np.add.reduce over the {flat.nbytes / 1e6:.1f} MB close matrix "
        f"{t_read * 1e3:.2f} ms = {bandwidth / 1e9:.1f} GB/s (best of 20)"
    )
    print(
        f"bound: {bound * 1e6:.1f} us for {line_bytes / 1e3:.1f} kB "
        f"(info: summing {line_bytes / 1e3:.1f} kB already in cache takes {t_hot * 1e6:.1f} us)"
    )
    ts_full, _ = timings(lambda: vectorised(mk.closes, mk.bench), max(3, repeats // 20))
    print(f"full scan (returns + signs + current_streaks, every row): {spread(ts_full, 'ms')}")
    fns = [("numpy tail windows", lambda: pair_streaks(mk.closes, mk.bench))]
    if numba_available():
        fns.append(("fused walk", lambda: fused_pair_streaks(mk.closes, mk.bench)))
    for label, fn in fns:
        ts, _ = timings(fn, repeats)
        best = min(ts)
        ratio = best / bound
        print(
            f"{label}: {spread(ts, 'us')}; {min(ts_full) / best:.0f}x faster than the full "
            f"scan; = {ratio:.1f}x the bound ({best / value_bound:.1f}x the time to read "
            f"only the {values * 8 / 1e3:.1f} kB of values); target <= "
            f"{TARGET_BOUND_RATIO:.0f}x the bound: "
            f"{'met' if ratio <= TARGET_BOUND_RATIO else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
