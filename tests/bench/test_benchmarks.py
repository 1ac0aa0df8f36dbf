"""The streak benchmarks run at smoke sizes, pass their own checks, print every target,
and count the bytes of their bound as documented."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.runs import CurrentStreaks
from benchmarks import bench_cli, bench_streak_scan, bench_universe_scan


def test_needed_rows_per_answer() -> None:
    cur = CurrentStreaks(
        sign=np.array([0, 1, 1, -1], dtype=np.int8),
        length=np.array([0, 2, 3, 4]),
        start=np.array([-1, 8, 7, 6]),
        since_start=np.array([-1, 5, -1, 1]),
        since_end=np.array([-1, 6, -1, 4]),
    )
    # tie/gap: the last 2 closes; since at row 5: rows 3..9; none: all 10; since at row 1: all
    assert bench_streak_scan.needed_rows(cur, 10).tolist() == [2, 7, 10, 10]


def test_touched_lines_counts_distinct_cache_lines() -> None:
    buf = np.zeros(4 * 16 + 8)
    off = (-buf.ctypes.data % 64) // 8
    arr = buf[off : off + 64].reshape(4, 16)  # rows of 128 bytes, starting on a line
    rows = np.zeros(16, dtype=np.int64)
    rows[0], rows[1], rows[15] = 1, 1, 2
    # columns 0 and 1 of row 3 share line 6; column 15 of rows 2 and 3: lines 5 and 7
    assert bench_streak_scan.touched_lines(arr, rows) == 3


def test_streak_scan_benchmark_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_streak_scan.main(["--quick", "--tail-repeats", "3"]) == 0
    out = capsys.readouterr().out
    assert "check: tail and fused scans identical to the full scan" in out
    assert out.count("target <= 3x the bound:") == 2
    assert "bound: " in out and "must read: " in out


def test_universe_benchmark_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_universe_scan.main(["--quick", "--synthetic", "20", "--sample", "30"]) == 0
    out = capsys.readouterr().out
    assert "check: tail scan = naive full scan on 30 random pairs" in out
    assert out.count("target < 2 s:") == 2


@pytest.mark.e2e
def test_cli_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:

    assert bench_cli.main(["--repeats", "1", "--first-use-repeats", "1",
                           "--commands", "streak SPX", "records SPX --json"]) == 0
    out = capsys.readouterr().out
    assert "baseline  python -c 'import pandas'" in out
    assert out.count("target warm ") == 4  # time and memory, per command
    assert out.count("target first use ") == 2
    assert "min " in out and "median " in out and "max RSS " in out


@pytest.mark.e2e
@pytest.mark.postgres
def test_cli_benchmark_on_postgres_reports_first_use_only(
    capsys: pytest.CaptureFixture[str], pg_url: str
) -> None:
    """Each first use on a new schema (built, seeded by COPY); the pandas target is the
    embedded default's, so here it is information."""
    assert bench_cli.main(["--postgres", "--repeats", "1", "--first-use-repeats", "1",
                           "--commands", "streak SPX"]) == 0
    out = capsys.readouterr().out
    assert "store: PostgreSQL at 127.0.0.1:5432" in out
    assert out.count("target first use 'streak SPX'") == 1 and "target warm" not in out
    assert "info warm 'streak SPX' on PostgreSQL (full start)" in out
