"""Chaos check of the daily post: no duplicates, no misses, no false "done", on PostgreSQL.

Each trial makes a fresh PostgreSQL schema with ``--channels`` subscribed channels and runs
real ``streakbot post-daily`` processes (one or two at once) against the fake Slack of
``tests/fakeslack.py``, with randomized faults on ``chat.postMessage``: 429 with Retry-After,
500 before or after Slack took the message, stalls past the client's timeout, connections
dropped after the request, failing history reads -- and ``kill -9`` of a sender at a random
moment or right when its post reaches Slack. Then ``post-daily`` is rerun (faults cleared)
until it exits 0, at most ``MAX_RERUNS`` times.

Counted from the fake Slack's channels, per channel and session:

* duplicate: more than one message carrying the post's key;
* miss: none after the reruns;
* false success: a process exited 0 while some channel had no message yet.

    python -m benchmarks.chaos_post                 # 30 trials
    python -m benchmarks.chaos_post --trials 3 --seed 7

Prints one line per trial and a summary; exits 1 on any duplicate, miss or false success,
2 when PostgreSQL is not reachable. Every wait is bounded in count and time.
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path

import sqlalchemy as sa

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from fakeslack import FakeSlack  # noqa: E402
from isolation import console_script as installed_script  # noqa: E402
from isolation import subprocess_env  # noqa: E402
from pgschema import PG_BASE_URL, admin_engine  # noqa: E402
from slack_harness import BOT_TOKEN  # noqa: E402
from slack_stack import make_data_dir  # noqa: E402

from bot.adapters.slack_history import EVENT_TYPE  # noqa: E402
from bot.store.db import make_engine  # noqa: E402
from bot.store.subscriptions import SubscriptionStore  # noqa: E402

SESSION = "2025-12-31"
TEAM = "T0FAKE"
MAX_RERUNS = 6
PROCESS_TIMEOUT = 120.0  # seconds, per process
POST_FAULTS = ("429", "500", "500-taken", "stall", "drop")
HISTORY_FAULTS = ("history-500", "history-429")


@dataclass
class Plan:
    processes: int
    faults: list[str]
    kill: str | None  # None, "mid-post" (when a post reaches Slack) or "random"
    kill_after: float = 0.0  # seconds after start, for "random"


@dataclass
class TrialResult:
    duplicates: int = 0
    misses: int = 0
    false_success: int = 0
    reruns: int = 0
    killed: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    exits: list[int] = field(default_factory=list)


@dataclass
class Summary:
    trials: int = 0
    posts: int = 0
    duplicates: int = 0
    misses: int = 0
    false_success: int = 0
    killed: int = 0
    reruns: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.duplicates == self.misses == self.false_success == 0

    def add(self, r: TrialResult, channels: int) -> None:
        self.trials += 1
        self.posts += channels
        self.duplicates += r.duplicates
        self.misses += r.misses
        self.false_success += r.false_success
        self.killed += r.killed
        self.reruns += r.reruns
        self.faults += r.faults

    def line(self) -> str:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items())) or "none"
        return (
            f"chaos_post: {self.trials} trials, {self.posts} channel posts: {self.duplicates} duplicates, "
            f"{self.misses} misses, {self.false_success} false successes; {self.killed} senders killed, "
            f"{self.reruns} reruns; faults: {faults}; {self.seconds:.0f} s"
        )


def make_plan(rng: random.Random, index: int, timeout: float) -> Plan:
    """The first trials cover the named cases; the rest are random."""
    fixed = [
        Plan(1, ["stall"], "mid-post"),  # killed while Slack holds the taken post
        # two senders at once; a 5xx after Slack took it, a timeout, a 429, a dropped answer
        Plan(2, ["500-taken", "stall", "429", "drop"], None),
        Plan(1, ["drop", "history-500"], "mid-post"),
    ]
    if index < len(fixed):
        return fixed[index]
    faults = [rng.choice(POST_FAULTS) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.3:
        faults.append(rng.choice(HISTORY_FAULTS))
    kill = rng.choice([None, "mid-post", "random"])
    return Plan(rng.choice([1, 1, 2]), faults, kill, kill_after=rng.uniform(0.5, 3.0 + 2 * timeout))


def inject(fake: FakeSlack, faults: list[str], rng: random.Random, timeout: float) -> None:
    for f in faults:
        if f == "429":
            fake.fail_next("chat.postMessage", retry_after=rng.choice([0, 1]))
        elif f == "500":
            fake.fail_next("chat.postMessage", status=500)
        elif f == "500-taken":
            fake.fail_next("chat.postMessage", status=500, accepted=True)
        elif f == "stall":
            fake.stall_next("chat.postMessage", timeout * rng.uniform(1.5, 3.0))
        elif f == "drop":
            fake.drop_next("chat.postMessage")
        elif f == "history-500":
            fake.fail_next("conversations.history", status=500)
        elif f == "history-429":
            fake.fail_next("conversations.history", retry_after=0)


def console_script() -> Path:
    try:
        return installed_script()
    except FileNotFoundError as exc:
        raise SystemExit(f"chaos_post: {exc}") from None


def process_env(db_url: str, fake: FakeSlack, data_dir: Path, home: Path, timeout: float) -> dict[str, str]:
    env = subprocess_env(home)
    env.update(DATABASE_URL=db_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url,
               STREAKBOT_DATA_DIR=str(data_dir), STREAKBOT_SLACK_TIMEOUT=str(int(timeout)))
    return env


def _start(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(console_script()), "post-daily", "--session", SESSION], env=env,
                            cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def keyed_messages(fake: FakeSlack, channel: str) -> int:
    n = 0
    for m in fake.messages(channel):
        meta = m.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == EVENT_TYPE and payload.get("session") == SESSION:
            n += 1
    return n


def run_trial(fake: FakeSlack, admin: sa.Engine, data_dir: Path, work: Path, plan: Plan,
              channels: list[str], rng: random.Random, timeout: float) -> TrialResult:
    result = TrialResult(faults=Counter(plan.faults))
    schema = f"chaos_{uuid.uuid4().hex}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_BASE_URL}?options=-csearch_path%3D{schema}&connect_timeout=5"
    try:
        engine = make_engine(url)
        store = SubscriptionStore(engine)
        for ch in channels:
            store.subscribe(TEAM, ch, dtime(16, 30), "U0TRADER", datetime(2025, 12, 1, tzinfo=UTC))
        engine.dispose()
        fake.reset()
        inject(fake, plan.faults, rng, timeout)
        env = process_env(url, fake, data_dir, work, timeout)

        procs = [_start(env, work) for _ in range(plan.processes)]
        started = time.monotonic()
        victim = rng.choice(procs) if plan.kill else None
        done: set[int] = set()
        deadline = started + PROCESS_TIMEOUT
        while len(done) < len(procs) and time.monotonic() < deadline:
            if victim is not None and victim.poll() is None and (
                (plan.kill == "mid-post" and fake.calls("chat.postMessage"))
                or (plan.kill == "random" and time.monotonic() - started >= plan.kill_after)
            ):
                victim.send_signal(signal.SIGKILL)
                result.killed += 1
                victim = None
            for i, p in enumerate(procs):
                if i in done or p.poll() is None:
                    continue
                done.add(i)
                result.exits.append(p.returncode)
                if p.returncode == 0 and any(keyed_messages(fake, ch) == 0 for ch in channels):
                    result.false_success += 1
            time.sleep(0.02)
        for p in procs:  # bounded above; a process still running is a hang: stop it
            if p.poll() is None:
                p.kill()
            p.wait(timeout=30)

        fake.clear_faults()
        for _ in range(MAX_RERUNS):
            result.reruns += 1
            p = _start(env, work)
            try:
                rc = p.wait(timeout=PROCESS_TIMEOUT)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=30)
                rc = -1
            if rc == 0:
                if any(keyed_messages(fake, ch) == 0 for ch in channels):
                    result.false_success += 1
                break
        for ch in channels:
            n = keyed_messages(fake, ch)
            result.duplicates += max(n - 1, 0)
            result.misses += n == 0
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    return result


def run(trials: int, *, channels: int = 3, seed: int = 1, timeout: float = 1.0,
        verbose: bool = True) -> Summary:
    """Run ``trials`` trials; raises ``ConnectionError`` when PostgreSQL is not reachable."""
    rng = random.Random(seed)
    admin = admin_engine()  # ConnectionError when the server is not reachable
    summary = Summary()
    t0 = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="chaos_post_") as tmp, FakeSlack() as fake:
            work = Path(tmp)
            data_dir = make_data_dir(work / "closes")
            names = [f"C{i + 1}" for i in range(channels)]
            for i in range(trials):
                plan = make_plan(rng, i, timeout)
                r = run_trial(fake, admin, data_dir, work, plan, names, rng, timeout)
                summary.add(r, channels)
                if verbose:
                    print(
                        f"trial {i + 1}: {plan.processes} sender(s), kill {plan.kill or 'none'}, "
                        f"faults {','.join(plan.faults) or 'none'}: exits {r.exits}, reruns {r.reruns}, "
                        f"duplicates {r.duplicates}, misses {r.misses}, false successes {r.false_success}",
                        flush=True,
                    )
    finally:
        admin.dispose()
    summary.seconds = time.monotonic() - t0
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=1, help="STREAKBOT_SLACK_TIMEOUT of the senders (s)")
    args = ap.parse_args(argv)
    try:
        summary = run(args.trials, channels=args.channels, seed=args.seed, timeout=args.timeout)
    except ConnectionError as exc:
        print(f"chaos_post: {exc}", file=sys.stderr)
        return 2
    print(summary.line())
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
