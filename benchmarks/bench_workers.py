"""``post-daily --workers N`` against one process: 300 channels in 3 workspaces on PostgreSQL.

Each run makes a fresh PostgreSQL schema, subscribes ``--channels`` channels spread over 3
teams, and runs the real ``streakbot post-daily --session 2025-12-31`` process once with
``--workers 1`` and once with ``--workers N`` (alternating which goes first), against the
fake Slack answering every call after ``--latency`` seconds, ``--concurrency`` senders per
process. Printed per run: both wall times (process start to exit, start-up included), the
ratio, and the exactly-once check (one keyed message per channel, each run on its own
schema and its own fake). Exits 1 on a duplicate or missing post, 2 without PostgreSQL.

    python -m benchmarks.bench_workers                       # 300 channels, 3 workers, 3 runs
    python -m benchmarks.bench_workers --channels 60 --runs 1   # smoke
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path

import sqlalchemy as sa

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from fakeslack import FakeSlack  # noqa: E402
from isolation import console_script, subprocess_env  # noqa: E402
from pgschema import admin_engine, fresh_schema  # noqa: E402
from slack_harness import BOT_TOKEN  # noqa: E402
from slack_stack import make_data_dir  # noqa: E402

from benchmarks.chaos_post import SESSION, keyed_messages  # noqa: E402
from bot.store.db import make_engine  # noqa: E402
from bot.store.subscriptions import SubscriptionStore  # noqa: E402

TEAMS = ("T0ALPHA", "T0BETA", "T0GAMMA")


def one_run(admin: sa.Engine, work: Path, data_dir: Path, channels: int, workers: int, latency: float,
            concurrency: int) -> tuple[float, bool]:
    """Seconds for one ``post-daily --workers N`` process, and whether each channel got one post."""
    with fresh_schema(admin, "bench", connect_timeout=5) as url:
        engine = make_engine(url)
        store = SubscriptionStore(engine)
        names = [(TEAMS[i % len(TEAMS)], f"C{i:04d}") for i in range(channels)]
        for team, ch in names:
            store.subscribe(team, ch, dtime(16, 30), "U0TRADER", datetime(2025, 12, 1, tzinfo=UTC))
        engine.dispose()
        with FakeSlack(latency=latency) as fake:
            env = subprocess_env(work, {"DATABASE_URL": url, "SLACK_BOT_TOKEN": BOT_TOKEN,
                                        "SLACK_API_URL": fake.base_url, "STREAKBOT_DATA_DIR": str(data_dir),
                                        "STREAKBOT_POST_CONCURRENCY": str(concurrency)})
            t0 = time.perf_counter()
            done = subprocess.run([str(console_script()), "post-daily", "--session", SESSION,
                                   "--workers", str(workers)], env=env, cwd=work, capture_output=True,
                                  timeout=900, check=False)
            seconds = time.perf_counter() - t0
            ok = done.returncode == 0 and all(keyed_messages(fake, ch) == 1 for _, ch in names)
        return seconds, ok


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--channels", type=int, default=300)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--latency", type=float, default=0.05, help="seconds the fake Slack takes per call")
    p.add_argument("--concurrency", type=int, default=2, help="senders per process")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    try:
        admin = admin_engine()
    except ConnectionError as exc:
        print(f"bench_workers: {exc}")
        return 2
    ratios: list[float] = []
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data_dir = make_data_dir(work / "data")
        for run in range(1, args.runs + 1):
            order = [1, args.workers] if run % 2 else [args.workers, 1]
            times: dict[int, float] = {}
            for n in order:
                times[n], good = one_run(admin, work, data_dir, args.channels, n, args.latency, args.concurrency)
                ok = ok and good
            ratio = times[1] / times[args.workers]
            ratios.append(ratio)
            print(f"run {run}: 1 process {times[1]:.2f} s, {args.workers} processes {times[args.workers]:.2f} s: "
                  f"{ratio:.2f}x faster; exactly once: {'yes' if good else 'NO'}")
    print(f"speed-up over {args.runs} runs: min {min(ratios):.2f}x, median {statistics.median(ratios):.2f}x, "
          f"max {max(ratios):.2f}x ({args.channels} channels in {len(TEAMS)} workspaces, {args.latency * 1000:.0f} ms "
          f"a Slack call, {args.concurrency} senders a process)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
