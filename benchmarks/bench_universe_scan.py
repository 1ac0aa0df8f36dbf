"""Benchmark: notable current streaks for every pair of the whole universe.

The universe is every bundled series (``bot/data/bundled/*.csv.gz`` and
``bot/data/bundled/etf_adjusted/*.csv.gz``, whatever is there) plus 500 synthetic ones,
and every unordered pair of them (A vs B; B vs A is the same streak mirrored): about
130,000 pairs. For each pair it finds the current streak and its "longest since"
(definitions in ``analytics.tail_scan``), then keeps the notable ones.

* **Grid**: every date any bundled series has, up to the earliest last date among them
  (the as-of session, so that no bundled series ends on a gap). A series has NaN where
  it has no close (before it starts, or a missing day): a gap, never bridged.
* **Synthetic series**: the random walks of ``bench_streak_scan`` (exact ties, NaN
  holes, late starts, missing last closes) on the same grid.
* **Notable**: a current streak (not a tie or a gap on the as-of session) that is at
  least ``--min-length`` (default 5) sessions long, or whose "longest since" ended at
  least 365 days before the as-of session, or that has none (the longest in the data).

Timed: ``fused_pair_streaks`` (compiled, if Numba is installed) and ``pair_streaks``
(NumPy tail windows) over all pairs, plus the notable filter, from the aligned close
matrix. Baseline, measured in the same run: the naive use of the full-history functions
per pair (``daily_returns`` of both columns, ``comparison_signs``, ``current_streaks``)
on a random sample of pairs, extrapolated to all of them. Before timing, both scans must
equal that baseline on the sample and each other on every pair, or the script exits 1.

Target (reported, never asserted): all pairs in under 2 s.

Run from the repository root::

    python -m benchmarks.bench_universe_scan            # bundled + 500 synthetic series
    python -m benchmarks.bench_universe_scan --quick    # bundled + 50 synthetic
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analytics.fused_scan import fused_pair_streaks, jit_seconds, numba_available
from analytics.returns import daily_returns
from analytics.runs import CurrentStreaks, comparison_signs, current_streaks
from analytics.tail_scan import pair_streaks
from benchmarks.bench_streak_scan import FIELDS, make_market, runtime_info, spread, timings

BUNDLED = Path(__file__).resolve().parents[1] / "bot" / "data" / "bundled"
TARGET_S = 2.0


def load_bundled() -> pd.DataFrame:
    """Closes of every bundled file, one column each, on the grid described above."""
    files = sorted(BUNDLED.glob("*.csv.gz")) + sorted(BUNDLED.glob("etf_adjusted/*.csv.gz"))
    closes = {}
    for f in files:
        df = pd.read_csv(f, usecols=["date", "close"], parse_dates=["date"], index_col="date")
        closes[f.name.removesuffix(".csv.gz")] = df["close"].astype(np.float64).dropna()
    if not closes:
        raise SystemExit(f"no bundled files under {BUNDLED}")
    as_of = min(s.index[-1] for s in closes.values())
    frame = pd.DataFrame(closes).sort_index()
    return frame.loc[:as_of]


def notable(cur: CurrentStreaks, dates: pd.DatetimeIndex, min_length: int) -> NDArray[np.bool_]:
    """The pairs whose current streak is notable (see the module docstring)."""
    year_ago = dates[-1] - pd.Timedelta(days=365)
    since_end = dates.to_numpy()[np.maximum(cur.since_end, 0)]
    old_since = (cur.since_start < 0) | (since_end <= year_ago.to_datetime64())
    mask: NDArray[np.bool_] = (cur.sign != 0) & ((cur.length >= min_length) | old_since)
    return mask


def naive(closes: NDArray[np.float64], i: int, j: int) -> CurrentStreaks:
    """The full-history functions, used as they are for one pair."""
    ra = daily_returns(closes[:, i])
    rb = daily_returns(closes[:, j])
    return current_streaks(comparison_signs(ra, rb))


def differences(got: CurrentStreaks, ref: dict[str, NDArray[np.int64]], label: str) -> int:
    bad = 0
    for f in FIELDS:
        diff = np.flatnonzero(np.asarray(getattr(got, f), dtype=np.int64) != ref[f])
        for k in diff[:5]:
            print(f"  MISMATCH {label} pair #{k} {f}: {getattr(got, f)[k]} != {ref[f][k]}")
        bad += int(diff.size)
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="50 synthetic series, fewer repeats")
    ap.add_argument("--synthetic", type=int, default=None, help="default 500")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--repeats", type=int, default=None, help="default 5")
    ap.add_argument("--sample", type=int, default=None, help="baseline pairs, default 400")
    ap.add_argument("--min-length", type=int, default=5)
    args = ap.parse_args(argv)
    n_syn = args.synthetic if args.synthetic is not None else (50 if args.quick else 500)
    repeats = args.repeats or (2 if args.quick else 5)
    n_sample = args.sample or (100 if args.quick else 400)

    print(runtime_info())
    t0 = time.perf_counter()
    real = load_bundled()
    t_load = time.perf_counter() - t0
    dates = pd.DatetimeIndex(real.index)
    syn = make_market(len(dates), max(n_syn, 1), args.seed).closes[:, :n_syn]
    closes = np.ascontiguousarray(np.hstack([real.to_numpy(dtype=np.float64), syn]))
    names = [*real.columns, *(f"S{j:04d}" for j in range(n_syn))]
    ia, ib = np.triu_indices(len(names), 1)
    print(
        f"universe: {real.shape[1]} bundled series ({', '.join(real.columns)}) + {n_syn} "
        f"synthetic, {len(dates)} sessions {dates[0]:%Y-%m-%d} .. {dates[-1]:%Y-%m-%d} "
        f"(as of), {ia.size} pairs; {np.isnan(closes).mean():.1%} of closes NaN; "
        f"bundled files read in {t_load:.2f} s"
    )

    # Correctness first: both scans against the naive full scan on a sample of pairs,
    # then against each other on every pair.
    # The sample: random pairs (timed, for the baseline) and every bundled pair.
    rng = np.random.default_rng(args.seed)
    timed = rng.choice(ia.size, size=min(n_sample, ia.size), replace=False)
    both_real = np.flatnonzero(ib < real.shape[1])
    sample = np.concatenate([timed, np.setdiff1d(both_real, timed)])
    t0 = time.perf_counter()
    ref_rows = [naive(closes, int(ia[k]), int(ib[k])) for k in timed]
    t_naive = (time.perf_counter() - t0) / timed.size
    ref_rows += [naive(closes, int(ia[k]), int(ib[k])) for k in sample[timed.size :]]
    ref = {f: np.array([int(getattr(r, f)[0]) for r in ref_rows]) for f in FIELDS}
    tail = pair_streaks(closes, closes, ia, ib)
    bad = differences(CurrentStreaks(*(getattr(tail, f)[sample] for f in FIELDS)), ref, "tail")
    use_fused = numba_available()
    if use_fused:
        fused = fused_pair_streaks(closes, closes, ia, ib)
        print(f"fused: numba cold JIT {jit_seconds():.2f} s (first call in this process)")
        bad += differences(fused, {f: getattr(tail, f) for f in FIELDS}, "fused vs tail")
    else:
        print("fused: numba not installed (pip install -e '.[fast]'); NumPy tail scan only")
    if bad:
        print(f"FAIL: {bad} values differ")
        return 1
    mask = notable(tail, dates, args.min_length)
    print(
        f"check: tail scan = naive full scan on {timed.size} random pairs and all "
        f"{both_real.size} bundled pairs"
        + (", fused = tail scan on every pair" if use_fused else "")
        + f"; {int(np.count_nonzero(tail.sign))} pairs in a streak, {int(mask.sum())} notable, "
        f"longest current {int(tail.length.max(initial=0))}"
    )
    real_pairs = both_real[np.argsort(-tail.length[both_real], kind="stable")[:3]]
    top = np.argsort(-tail.length, kind="stable")[:2]
    for k in dict.fromkeys([*top.tolist(), *real_pairs.tolist()]):
        a, b = names[ia[k]], names[ib[k]]
        lead, lag = (a, b) if tail.sign[k] > 0 else (b, a)
        since = (
            f"longest since {dates[tail.since_start[k]]:%Y-%m-%d}"
            if tail.since_start[k] >= 0
            else "longest in the data"
        )
        print(f"  e.g. {lead} over {lag}: {tail.length[k]} sessions, {since}")

    base_s = t_naive * ia.size
    print(
        f"baseline: naive full scan per pair {t_naive * 1e3:.3f} ms x {ia.size} pairs "
        f"= {base_s:.1f} s (extrapolated from {timed.size} random pairs)"
    )
    paths: list[tuple[str, Callable[[], CurrentStreaks]]] = [
        ("numpy tail windows", lambda: pair_streaks(closes, closes, ia, ib))
    ]
    if use_fused:
        paths.insert(0, ("fused (numba)", lambda: fused_pair_streaks(closes, closes, ia, ib)))
    for label, scan in paths:
        ts, _ = timings(lambda scan=scan: notable(scan(), dates, args.min_length), repeats)  # type: ignore[misc]
        best = min(ts)
        ok = best < TARGET_S
        print(
            f"{label}: all pairs + notable filter {spread(ts, 's')}; "
            f"ratio naive / this {base_s / best:,.0f}x; "
            f"target < {TARGET_S:.0f} s: {'met' if ok else 'NOT met'}"
        )
    if args.quick:
        print("(quick sizes: the target is for the bundled series + 500 synthetic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
