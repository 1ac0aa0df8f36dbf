"""Benchmark: ``/streak`` through the real ``streakbot serve`` (gunicorn), on loopback.

Starts the in-repo fake Slack (``tests/fakeslack.py``) and ``streakbot serve`` in a
subprocess with ``STREAKBOT_DATA_DIR`` holding the real bundled closes, then sends signed
``/streak`` slash commands at a fixed concurrency from :mod:`benchmarks.http_load` (a
single-threaded closed loop in its own process), each with its own ``response_url``
served by the fake. Per request it measures

* **ack**: send -> HTTP response from the app (Slack gives up after 3 s);
* **answer**: send -> the answer's arrival at the fake's ``response_url``
  (``Call.time``; both ``time.monotonic()``, one clock for every process on Linux).

Each of ``--runs`` timed runs (after an untimed warm-up) reports its percentiles against
the targets (reported, never asserted): ack p99 < 50 ms, answer p99 < 300 ms; then the
spread of the p99s over the runs, and the resident memory (``VmRSS``) of each gunicorn
worker at the end. The fake counts the connections the answers came on (pooled
keep-alive connections: far fewer than answers). Nothing leaves 127.0.0.1; the server is
stopped (SIGTERM, then SIGKILL) on exit.

Run from the repository root::

    python -m benchmarks.bench_slack_http --concurrency 20   # 3 runs of 500 requests
    python -m benchmarks.bench_slack_http --concurrency 50
    python -m benchmarks.bench_slack_http --requests 40 --runs 1   # quicker
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from fakeslack import FakeSlack  # noqa: E402
from isolation import PROXY_VARS  # noqa: E402
from slack_harness import command_body, sign  # noqa: E402
from slack_stack import ServerProcess, free_port, make_data_dir, serve_process, server_env  # noqa: E402

from bot.slack.background import ANSWER_THREADS  # noqa: E402
from bot.slack.serve import REQUEST_THREADS  # noqa: E402

TARGET_ACK_P99_MS = 50.0
TARGET_ANSWER_P99_MS = 300.0
TEXTS = ("RUT SPX", "COMP SPX", "DJIA RUT", "SPX", "SPX DJIA", "COMP RUT", "RUT", "DJIA COMP")
WARMUP_ROUNDS = 4  # untimed requests per connection first: every worker answers each text (its first answer to one costs 15-35 ms)


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


def raw_request(job: Job, host: str) -> str:
    """``job`` as the bytes of one HTTP/1.1 POST (latin-1 text), built before the clock starts."""
    head = ["POST /slack/events HTTP/1.1", f"Host: {host}", f"Content-Length: {len(job.body)}",
            *(f"{k}: {v}" for k, v in job.headers.items())]
    return "\r\n".join(head) + "\r\n\r\n" + job.body.decode("latin-1")


def send_all(base_url: str, jobs: list[Job], concurrency: int) -> tuple[list[Sample], float]:
    """Send ``jobs`` through :mod:`benchmarks.http_load` in its own process (closed loop,
    ``concurrency`` keep-alive connections); the samples and that process's CPU seconds."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    by_name = {job.name: job for job in jobs}
    with subprocess.Popen(
        [sys.executable, "-m", "benchmarks.http_load", host, str(port), str(concurrency)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1],
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(json.dumps([[j.name, raw_request(j, f"{host}:{port}")] for j in jobs]) + "\n")
        proc.stdin.flush()
        if proc.stderr.readline().strip() != "ready":
            raise RuntimeError(f"the load generator did not start: {proc.stderr.read()[-2000:]}")
        proc.stdin.write("go\n")
        proc.stdin.close()
        out = json.loads(proc.stdout.read())
    samples = [Sample(name, by_name[name].text, sent, ack_s, status, body.encode("latin-1"))
               for name, sent, ack_s, status, body in out["samples"]]
    return samples, float(out["cpu_s"])


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: children of the master process (Linux ``/proc``)."""
    pids: list[int] = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == master:  # field 4 of stat: ppid
            pids.append(int(pid))
    return sorted(pids)


def rss_mb(pid: int) -> float | None:
    """``VmRSS`` of ``pid`` in MB (from ``/proc/<pid>/status``), or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Round:
    acks: list[float]
    answers: list[float]
    failures: list[str]
    sent_s: float
    total_s: float
    server_cpu_ms: float | None  # per request
    load_cpu_ms: float  # per request: the load generator's process
    fake_cpu_ms: float  # per request: this process (the fake Slack)
    connections: int  # new TCP connections the fake accepted (all of them response_url)

    def p(self, which: str, q: float) -> float:
        values = self.acks if which == "ack" else self.answers
        return percentile(values, q) * 1000 if values else math.inf


def timed_round(fake: FakeSlack, base_url: str, server_pid: int, requests: int, concurrency: int,
                timeout: float, tag: str) -> Round:
    jobs = [make_job(fake, f"{tag}-{i}", text) for i, text in zip(range(requests), itertools.cycle(TEXTS))]
    server_cpu0 = group_cpu_seconds(server_pid)
    own_cpu0 = time.process_time()
    connections0 = fake.connections()
    t0 = time.monotonic()
    samples, load_cpu = send_all(base_url, jobs, concurrency)
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
    server_cpu1 = group_cpu_seconds(server_pid)
    server_cpu = (
        (server_cpu1 - server_cpu0) / requests * 1000
        if server_cpu0 is not None and server_cpu1 is not None else None
    )
    return Round([s.ack_s for s in samples], answers, failures, sent_s, total_s, server_cpu,
                 load_cpu / requests * 1000, (time.process_time() - own_cpu0) / requests * 1000,
                 fake.connections() - connections0)


def wait_for_workers(server: ServerProcess, workers: int, timeout: float = 60.0) -> None:
    """Until every worker has logged that its app is loaded. Each listens on its own
    ``SO_REUSEPORT`` socket from its fork on, so a connection the kernel hands to a worker
    still loading its app waits for it: the first /healthz answer says one worker is up."""
    deadline = time.monotonic() + timeout
    while len(re.findall(r"worker \d+ ready", server.output())) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"not every worker got ready within {timeout:.0f} s:\n{server.output()[-2000:]}")
        time.sleep(0.05)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report_round(n: int, r: Round) -> None:
    ack50, ack99, ans50, ans99 = r.p("ack", 50), r.p("ack", 99), r.p("answer", 50), r.p("answer", 99)
    cpu = f"server {r.server_cpu_ms:.1f} ms" if r.server_cpu_ms is not None else "server ?"
    print(f"run {n}: ack p50 {ack50:6.1f} ms  p99 {ack99:6.1f} ms (< {TARGET_ACK_P99_MS:.0f}: "
          f"{verdict(ack99 < TARGET_ACK_P99_MS)});  answer p50 {ans50:6.1f} ms  p99 {ans99:6.1f} ms "
          f"(< {TARGET_ANSWER_P99_MS:.0f}: {verdict(ans99 < TARGET_ANSWER_P99_MS and not r.failures)})")
    print(f"       sent in {r.sent_s:.2f} s, answered in {r.total_s:.2f} s; max ack {max(r.acks) * 1000:.1f} ms, "
          f"max answer {max(r.answers, default=math.inf) * 1000:.1f} ms; CPU per request: {cpu}, "
          f"load generator {r.load_cpu_ms:.2f} ms, fake Slack {r.fake_cpu_ms:.1f} ms; {len(r.answers)} answers over "
          f"{r.connections} new connections; load avg {load_average()}")


def spread(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[0]:.1f} / {ordered[len(ordered) // 2]:.1f} / {ordered[-1]:.1f} ms"


def run(requests: int, concurrency: int, workers: int, threads: int | None, timeout: float, runs: int) -> int:
    for var in PROXY_VARS:  # slack_sdk and urllib3 would route loopback calls through a proxy
        os.environ.pop(var, None)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"load avg {load_average()}")
    rounds: list[Round] = []
    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp_name, FakeSlack() as fake:
        tmp = Path(tmp_name)
        data_dir = make_data_dir(tmp / "data")
        (tmp / "home").mkdir()
        env = server_env(fake.base_url, free_port(), data_dir, tmp / "home")
        threads = threads or REQUEST_THREADS
        args = ["--workers", str(workers), "--threads", str(threads)]
        t_start = time.monotonic()
        with serve_process(env, tmp / "log", args=args) as server:
            wait_for_workers(server, workers)
            print(f"streakbot serve up in {time.monotonic() - t_start:.1f} s, every worker ready "
                  f"(gunicorn gthread, {workers} workers x {threads} request threads, "
                  f"{ANSWER_THREADS} answer threads each)")
            warm = [
                make_job(fake, f"warm{i}", text)
                for i, text in zip(range(WARMUP_ROUNDS * concurrency), itertools.cycle(TEXTS))
            ]
            send_all(server.base_url, warm, concurrency)
            for job in warm:
                fake.wait_for_response(job.name, timeout=timeout)
            print(f"{runs} run(s) of {requests} signed /streak requests at concurrency {concurrency} "
                  f"(texts: {', '.join(TEXTS)}; after {WARMUP_ROUNDS * concurrency} untimed warm-up "
                  f"requests); targets: ack p99 < {TARGET_ACK_P99_MS:.0f} ms, "
                  f"answer p99 < {TARGET_ANSWER_P99_MS:.0f} ms")
            for n in range(1, runs + 1):
                rounds.append(timed_round(fake, server.base_url, server.proc.pid, requests, concurrency, timeout, f"b{n}"))
                report_round(n, rounds[-1])
            workers_rss = [(pid, rss_mb(pid)) for pid in worker_pids(server.proc.pid)]
            master_rss = rss_mb(server.proc.pid)
        server_log = server.output()

    rss = ", ".join(f"pid {pid} {mb:.1f} MB" for pid, mb in workers_rss if mb is not None)
    print(f"memory (VmRSS at the end): workers {rss or '?'}; master {master_rss or 0:.1f} MB")
    ack99s = [r.p("ack", 99) for r in rounds]
    ans99s = [r.p("answer", 99) for r in rounds]
    failures = [f for r in rounds for f in r.failures]
    met_ack = sum(v < TARGET_ACK_P99_MS for v in ack99s)
    met_ans = sum(v < TARGET_ANSWER_P99_MS for v, r in zip(ans99s, rounds, strict=True) if not r.failures)
    print(f"ack p99 over {runs} run(s), min / median / max: {spread(ack99s)}; "
          f"target < {TARGET_ACK_P99_MS:.0f} ms met in {met_ack} of {runs}")
    print(f"answer p99 over {runs} run(s), min / median / max: {spread(ans99s)}; "
          f"target < {TARGET_ANSWER_P99_MS:.0f} ms met in {met_ans} of {runs}")
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
    p.add_argument("--requests", type=int, default=500, help="requests per run (default 500)")
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (streakbot serve default: 2)")
    p.add_argument("--threads", type=int, default=None,
                   help="request threads per worker (default: streakbot serve's own)")
    p.add_argument("--runs", type=int, default=3, help="timed runs against the same server (default 3)")
    p.add_argument("--timeout", type=float, default=60.0, help="give up waiting for answers after this")
    a = p.parse_args(argv)
    return run(a.requests, a.concurrency, a.workers, a.threads, a.timeout, a.runs)


if __name__ == "__main__":
    sys.exit(main())
