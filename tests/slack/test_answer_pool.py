"""The answer pool's barrier: :func:`drain` returns once the work submitted so far is done."""

from __future__ import annotations

import threading
from functools import partial

from bot.slack.background import drain, run_in_background


def test_drain_waits_for_every_answer_started() -> None:
    release = threading.Event()
    done: list[int] = []

    def work(i: int) -> None:
        release.wait(timeout=30)
        done.append(i)

    for i in range(3):
        run_in_background(partial(work, i), "a test")
    assert not drain(timeout=0.05)  # all three still held
    release.set()
    assert drain(timeout=15)
    assert sorted(done) == [0, 1, 2]


def test_a_failing_answer_is_logged_and_drained() -> None:
    def boom() -> None:
        raise RuntimeError("boom")

    future = run_in_background(boom, "a failing test")
    assert drain(timeout=15)
    assert future.exception() is None  # logged by the pool, never left on the future
