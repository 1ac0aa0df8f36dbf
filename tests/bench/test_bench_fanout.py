"""``benchmarks/bench_fanout.py`` at smoke size: it runs, checks exactly once, prints its target."""

from __future__ import annotations

import re

import pytest

from benchmarks import bench_fanout


def test_fanout_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--channels", "12", "--baseline-channels", "4", "--runs", "2", "--latency", "0.01"]
    assert bench_fanout.main(argv) == 0
    out = capsys.readouterr().out
    assert "baseline extrapolated to 12 channels: " in out
    runs = re.findall(r"run \d: 12 channels at concurrency 8: .*?(\d+) duplicates, (\d+) misses", out)
    assert runs == [("0", "0"), ("0", "0")]
    assert out.count("target <= 10 s: ") == 2
    assert "1.25 Slack calls per channel (15 in all)" in out  # 12 posts + one 3-call chart upload
    assert "exactly once: every channel has exactly one post" in out
