"""The Slack endpoint benchmark runs at a smoke size against the real ``streakbot serve``,
prints every target and the workers' memory, and answers every request."""

from __future__ import annotations

import re

import pytest

from benchmarks import bench_slack_http
from bot.slack.background import ANSWER_THREADS

pytestmark = pytest.mark.e2e  # runs the real `streakbot serve` (gunicorn) in a subprocess


def test_slack_benchmark_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_slack_http.main(["--requests", "12", "--concurrency", "4", "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert out.count("(< 50: ") == 2 and out.count("(< 300: ") == 2
    assert "target < 50 ms met in" in out and "target < 300 ms met in" in out
    workers = re.search(r"workers (pid \d+ [\d.]+ MB), (pid \d+ [\d.]+ MB);", out)
    assert workers is not None, out
    # pooled keep-alive: a connection is reused, so the 24 timed answers (after 8 warm-up
    # ones) arrive on at most one new connection per answer thread (2 workers). The
    # bound is not the concurrency: an ack returns before its answer is sent, so more than
    # 4 answers can be in flight at once.
    new = [int(n) for n in re.findall(r"12 answers over (\d+) new connections", out)]
    assert len(new) == 2 and sum(new) <= 2 * ANSWER_THREADS, out
