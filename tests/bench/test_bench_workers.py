"""``benchmarks/bench_workers.py`` at smoke size: both runs post every channel once."""

from __future__ import annotations

import re

import pytest

from benchmarks import bench_workers


@pytest.mark.postgres
@pytest.mark.e2e
def test_workers_benchmark_smoke(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # pg_url: skips with the reason when PostgreSQL is absent (the runs make their own schemas)
    assert bench_workers.main(["--channels", "12", "--runs", "1", "--latency", "0.01"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"run 1: 1 process [\d.]+ s, 3 processes [\d.]+ s: [\d.]+x faster; exactly once: yes", out)
    assert "speed-up over 1 runs: " in out
