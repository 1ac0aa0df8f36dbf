"""Answer work off Bolt's listener threads, so that acknowledgements never queue behind it.

Bolt (``process_before_response=False``) runs each listener on a small executor (5
threads) and holds the HTTP request until that listener calls ``ack()``. A listener that
acks and then keeps its thread to compute the answer, POST it to ``response_url`` and
maybe render and upload a chart makes the *next* requests' acks wait for a free thread:
under a burst, acks took hundreds of milliseconds. Listeners therefore ack and hand the
rest to :func:`run_in_background`, a separate pool sized for the answer work.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

log = logging.getLogger(__name__)

# Per process. Answers are mostly CPU under the GIL plus one pooled HTTP POST, and they
# share the GIL with the acks: more threads answer a burst sooner but slow its acks. At
# concurrency 20 and 50 on 2 cores (benchmarks/bench_slack_http.py, 2 workers): with 16
# request threads, 4 answer threads queued answers (p99 240-330 ms at 20) and 16 pushed the
# ack p99 to 90-190 ms, so 8 was kept; with 2 request threads (bot/slack/serve.py) the
# acks no longer pile up behind each other, and at 50 4 answer threads gave ack p99 41-70
# ms in 6 runs against 54-90 ms in 5 of 6 with 8 (one 421), answers p99 73-160 ms (target 300).
#
# Bolt's idiom for the same job is a lazy listener (``ack=`` + ``lazy=[...]``) on its
# ``listener_executor``. Measured against this pool (``/streak`` as ack + lazy answer on a
# ThreadPoolExecutor of 8; ``bench_slack_http --concurrency 20``, 3 runs of 500 requests,
# four alternating pairs on the shared 2 cores, load average 3-8), median p99 per pair,
# pool vs lazy: ack 167 / 171, 76 / 117, 40 / 52, 58 / 54 ms; answer 424 / 262, 112 / 287,
# 68 / 120, 160 / 124 ms. The lazy acks were slower in three pairs of four and the answers
# no better: before each lazy run Bolt deep-copies the request and re-parses its body and
# context, on the request thread. No loss was shown, so the pool stays.
ANSWER_THREADS = 4


class _Pool:
    """The process's answer pool, created on first use (and again after a fork)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._pid: int | None = None
        self._running: set[Future[None]] = set()

    def get(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(
                    max_workers=ANSWER_THREADS, thread_name_prefix="streakbot-answer"
                )
                self._pid = os.getpid()
                self._running = set()
            return self._executor

    def submit(self, fn: Callable[[], None], what: str) -> Future[None]:
        future = self.get().submit(_logged, fn, what)
        with self._lock:
            self._running.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._running.discard(future)

    def drain(self, timeout: float) -> bool:
        with self._lock:
            running = set(self._running)
        return not wait(running, timeout=timeout).not_done


_POOL = _Pool()


def _logged(fn: Callable[[], None], what: str) -> None:
    try:
        fn()
    except Exception:  # nobody waits for the future: log here
        log.exception("background work for %s failed", what)


def run_in_background(fn: Callable[[], None], what: str = "a command") -> Future[None]:
    """Run ``fn()`` on the answer pool; exceptions are logged, never lost silently."""
    return _POOL.submit(fn, what)


def drain(timeout: float = 15.0) -> bool:
    """Wait until every answer submitted so far has finished; False if some still run
    after ``timeout`` seconds.

    A barrier: once it returns True, an answer that was going to reach Slack has reached it.
    """
    return _POOL.drain(timeout)


__all__ = ["ANSWER_THREADS", "drain", "run_in_background"]
