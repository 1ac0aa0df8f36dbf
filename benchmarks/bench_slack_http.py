"""Benchmark: ``/streak`` through the real ``streakbot serve`` (gunicorn), on loopback.

Starts the in-repo fake Slack (``tests/fakeslack.py``) and ``streakbot serve`` in a
subprocess with ``STREAKBOT_DATA_DIR`` holding the real bundled closes, then sends signed
``/streak`` slash commands at a fixed concurrency, each with its own ``response_url``
served by the fake. Per request it measures

* **ack**: send -> HTTP response from the app (Slack gives up after 3 s);
* **answer**: send -> the answer's arrival at the fake's ``response_url``
  (``Call.time``, ``time.monotonic()`` in this process, like the send time).

Targets (reported, never asserted): ack p99 < 100 ms, answer p99 < 500 ms.
Nothing leaves 127.0.0.1; the server is stopped (SIGTERM, then SIGKILL) on exit.

Run from the repository root::

    python -m benchmarks.bench_slack_http                 # 200 requests, concurrency 20
    python -m benchmarks.bench_slack_http --requests 40   # quicker
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from fakeslack import FakeSlack  # noqa: E402
from slack_harness import command_body, sign  # noqa: E402
from slack_stack import PROXY_VARS, free_port, make_data_dir, serve_process, server_env  # noqa: E402

TARGET_ACK_P99_MS = 100.0
TARGET_ANSWER_P99_MS = 500.0
TEXTS = ("RUT SPX", "COMP SPX", "DJIA RUT", "SPX", "SPX DJIA", "COMP RUT", "RUT", "DJIA COMP")
WARMUP_ROUNDS = 2  # untimed requests per client thread first (connections, caches, code paths)


@dataclass
class Sample:
    name: str
    text: str
    sent: float  # time.monotonic()
    ack_s: float
    status: int
    body: bytes


def group_cpu_seconds(pgid: int) -> float | None:
    """CPU time (user + system) of every live process in process group ``pgid`` (Linux)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return None
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:  # field 5 of stat: pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Job:
    name: str
    text: str
    body: bytes
    headers: dict[str, str]


def make_job(fake: FakeSlack, name: str, text: str) -> Job:
    """A signed ``/streak`` request (built before the clock starts: the client's own work
    is not what is measured)."""
    body = command_body("/streak", text, fake.response_url(name))
    headers = {**sign(body), "Content-Type": "application/x-www-form-urlencoded"}
    return Job(name, text, body.encode(), headers)


class Client:
    """POSTs to the app, one keep-alive HTTP/1.1 connection per client thread (as a
    load balancer or Slack's own senders would reuse connections)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def send(self, job: Job) -> Sample:
        sent = time.monotonic()
        try:
            conn = self._connection()
            conn.request("POST", "/slack/events", body=job.body, headers=job.headers)
            resp = conn.getresponse()
            status, answer = resp.status, resp.read()
            if resp.will_close:
                self._drop()
        except (OSError, http.client.HTTPException) as exc:  # a failed request, not a crash
            self._drop()
            status, answer = -1, f"{type(exc).__name__}: {exc}".encode()
        return Sample(job.name, job.text, sent, time.monotonic() - sent, status, answer)


def run(requests: int, concurrency: int, workers: int, threads: int, timeout: float) -> int:
    for var in PROXY_VARS:  # slack_sdk and urllib would route loopback calls through a proxy
        os.environ.pop(var, None)
    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp_name, FakeSlack() as fake:
        tmp = Path(tmp_name)
        data_dir = make_data_dir(tmp / "data")
        (tmp / "home").mkdir()
        env = server_env(fake.base_url, free_port(), data_dir, tmp / "home")
        args = ["--workers", str(workers), "--threads", str(threads)]
        t_start = time.monotonic()
        with serve_process(env, tmp / "log", args=args) as server:
            print(f"streakbot serve up in {time.monotonic() - t_start:.1f} s "
                  f"(gunicorn gthread, {workers} workers x {threads} threads)")
            client = Client(server.base_url)

            warm = [
                make_job(fake, f"warm{i}", text)
                for i, text in zip(range(WARMUP_ROUNDS * concurrency), itertools.cycle(TEXTS))
            ]
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                list(pool.map(client.send, warm))
            for job in warm:
                fake.wait_for_response(job.name, timeout=timeout)

            jobs = [make_job(fake, f"b{i}", text) for i, text in zip(range(requests), itertools.cycle(TEXTS))]
            server_cpu0 = group_cpu_seconds(server.proc.pid)
            own_cpu0 = time.process_time()
            t0 = time.monotonic()
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                samples = list(pool.map(client.send, jobs))
            sent_s = time.monotonic() - t0

            failures: list[str] = []
            answers: list[float] = []
            deadline = time.monotonic() + timeout
            for s in samples:
                if s.status != 200 or s.body:
                    failures.append(f"{s.name} {s.text!r}: ack {s.status} {s.body[:80]!r}")
                    continue
                try:
                    calls = fake.wait_for_response(s.name, timeout=max(0.0, deadline - time.monotonic()))
                except AssertionError:
                    failures.append(f"{s.name} {s.text!r}: no answer within {timeout:.0f} s")
                    continue
                call = calls[0]
                payload = call.json or {}
                if call.status != 200 or payload.get("response_type") != "in_channel":
                    failures.append(f"{s.name} {s.text!r}: answer {call.status} {json.dumps(payload)[:120]}")
                    continue
                answers.append(call.time - s.sent)
            total_s = time.monotonic() - t0
            server_cpu1 = group_cpu_seconds(server.proc.pid)
            own_cpu = time.process_time() - own_cpu0
        server_log = server.output()

    acks = [s.ack_s for s in samples]
    ack50, ack99 = percentile(acks, 50) * 1000, percentile(acks, 99) * 1000
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{requests} signed /streak requests at concurrency {concurrency} "
          f"(texts: {', '.join(TEXTS)}; after {WARMUP_ROUNDS * concurrency} untimed warm-up requests); "
          f"all sent in {sent_s:.2f} s, all answered in {total_s:.2f} s")
    if server_cpu0 is not None and server_cpu1 is not None:
        print(f"CPU per request: server {(server_cpu1 - server_cpu0) / requests * 1000:.1f} ms, "
              f"this process (clients + fake Slack) {own_cpu / requests * 1000:.1f} ms; "
              f"load average {os.getloadavg()[0]:.2f}")
    print(f"ack    (HTTP 200 from the app):        p50 {ack50:7.1f} ms   p99 {ack99:7.1f} ms   "
          f"max {max(acks) * 1000:7.1f} ms")
    if answers:
        ans50, ans99 = percentile(answers, 50) * 1000, percentile(answers, 99) * 1000
        print(f"answer (response_url POST at the fake): p50 {ans50:7.1f} ms   p99 {ans99:7.1f} ms   "
              f"max {max(answers) * 1000:7.1f} ms")
    else:
        ans99 = math.inf
        print("answer: none arrived")
    ok_ack = ack99 < TARGET_ACK_P99_MS
    ok_answer = ans99 < TARGET_ANSWER_P99_MS and not failures
    print(f"target ack p99 < {TARGET_ACK_P99_MS:.0f} ms: {'met' if ok_ack else 'NOT met'}")
    print(f"target answer p99 < {TARGET_ANSWER_P99_MS:.0f} ms: {'met' if ok_answer else 'NOT met'}")
    if failures:
        print(f"{len(failures)} request(s) failed:")
        for line in failures[:10]:
            print(f"  {line}")
        if "Traceback" in server_log:
            print(server_log[-3000:])
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (streakbot serve default: 2)")
    p.add_argument("--threads", type=int, default=16, help="threads per worker (streakbot serve default: 16)")
    p.add_argument("--timeout", type=float, default=60.0, help="give up waiting for answers after this")
    a = p.parse_args(argv)
    return run(a.requests, a.concurrency, a.workers, a.threads, a.timeout)


if __name__ == "__main__":
    sys.exit(main())
