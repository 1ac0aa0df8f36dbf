"""The daily post fanned out to 500 channels against the fake Slack with 50 ms per call.

Each run makes a fresh store (a SQLite file, or a PostgreSQL schema with ``--postgres``),
subscribes ``--channels`` channels and runs ``post-daily``'s delivery
(:func:`bot.daily.commands.settle_outcomes` with the daily client, as ``post-daily``
does) against :class:`tests.fakeslack.FakeSlack` answering every call after ``--latency``
and enforcing Slack-like rate limits (429 with ``Retry-After``):

* ``chat.postMessage``: one message per second per channel (Slack's documented limit) and
  a workspace-wide bucket of ``--post-burst`` messages refilled at ``--post-per-minute``;
* ``files.getUploadURLExternal`` / ``files.completeUploadExternal``: Tier 4, 100 a minute
  with bursts of 20.

Printed per run: delivery time against the target (10 s), Slack calls per channel, 429s
answered, the most requests in flight, and the exactly-once check (one keyed message per
channel, one shared chart per channel); then best/median/worst over the runs. The baseline,
in the same process: the same delivery at concurrency 1 on ``--baseline-channels``
channels, extrapolated to ``--channels``.

    python -m benchmarks.bench_fanout                  # 500 channels, SQLite, 3 runs
    python -m benchmarks.bench_fanout --postgres       # PostgreSQL at 127.0.0.1:5432
    python -m benchmarks.bench_fanout --channels 20 --baseline-channels 5 --runs 1   # smoke

Exits 1 on any duplicate or missing post (or a run that did not confirm every channel),
2 when ``--postgres`` cannot reach the server; a missed time target is printed, not fatal.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path

import sqlalchemy as sa

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from fakeslack import FakeSlack  # noqa: E402
from pgschema import admin_engine, fresh_schema  # noqa: E402
from slack_stack import make_data_dir, slack_settings  # noqa: E402

from bot.adapters.calendar import NyseCalendar  # noqa: E402
from bot.adapters.slack_history import EVENT_TYPE  # noqa: E402
from bot.bootstrap import bootstrap  # noqa: E402
from bot.daily.commands import make_post, prepare, settle_outcomes  # noqa: E402
from bot.services.delivery import DailyPost  # noqa: E402
from bot.store.db import make_engine  # noqa: E402
from bot.store.subscriptions import SubscriptionStore  # noqa: E402

SESSION = date(2025, 12, 31)
NOW = datetime(2025, 12, 31, 21, 30, tzinfo=UTC)  # 16:30 in New York
TEAM = "T0FAKE"
TARGET_SECONDS = 10.0
FILES_PER_MINUTE, FILES_BURST = 100, 20  # Slack's Tier 4


@dataclass(frozen=True)
class Limits:
    latency: float
    post_per_minute: float
    post_burst: float


@dataclass
class RunResult:
    channels: int
    concurrency: int
    seconds: float
    calls: int
    rate_limited: int
    max_in_flight: int
    duplicates: int
    misses: int
    charts_missing: int
    unconfirmed: int

    @property
    def correct(self) -> bool:
        return self.duplicates == self.misses == self.unconfirmed == 0


@contextlib.contextmanager
def store_url(work: Path, postgres: bool) -> Iterator[str]:
    """A fresh, empty store: a SQLite file in ``work`` or a PostgreSQL schema (dropped after)."""
    if not postgres:
        yield f"sqlite:///{work / f'fanout-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    admin = admin_engine(connect_timeout=3)
    try:
        with fresh_schema(admin, "fanout", connect_timeout=5) as url:
            yield url
    finally:
        admin.dispose()


def build_post(data_dir: Path, calendar: NyseCalendar, work: Path) -> DailyPost:
    """The Dec 31, 2025 post with its chart: built once, as ``post-daily`` does."""
    settings = slack_settings("http://127.0.0.1:9/api/", data_dir)
    svc = bootstrap(settings, calendar=calendar, clock=lambda: NOW,
                    engine=make_engine(f"sqlite:///{work / 'build.sqlite3'}"))
    return make_post(prepare(svc.market, calendar, SESSION, NOW, allow_stale=True))


def keyed(fake: FakeSlack, channel: str) -> int:
    return sum(1 for m in fake.messages(channel) if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE)


def deliver_once(post: DailyPost, channels: int, concurrency: int, limits: Limits, *, data_dir: Path,
                 calendar: NyseCalendar, work: Path, postgres: bool) -> RunResult:
    with store_url(work, postgres) as url, FakeSlack(latency=limits.latency) as fake:
        engine = make_engine(url)
        try:
            store = SubscriptionStore(engine)
            for i in range(channels):
                store.subscribe(TEAM, f"C{i:05d}", dtime(16, 30), "U0TRADER", datetime(2025, 12, 1, tzinfo=UTC))
            subs = store.all_active()
            fake.rate_limit("chat.postMessage", 60, burst=1, per_channel=True)
            fake.rate_limit("chat.postMessage", limits.post_per_minute, burst=limits.post_burst)
            for method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
                fake.rate_limit(method, FILES_PER_MINUTE, burst=FILES_BURST)
            settings = slack_settings(fake.base_url, data_dir, STREAKBOT_POST_CONCURRENCY=concurrency)
            svc = bootstrap(settings, calendar=calendar, clock=lambda: NOW, engine=engine)
            start = time.perf_counter()
            outcomes = settle_outcomes(svc, svc.daily_sender, post, subs, max_wait=4.0 * settings.slack_timeout)
            seconds = time.perf_counter() - start
            counts = [keyed(fake, s.channel_id) for s in subs]
            return RunResult(
                channels=channels, concurrency=concurrency, seconds=seconds, calls=len(fake.calls()),
                rate_limited=sum(1 for c in fake.calls() if c.status == 429),
                max_in_flight=fake.max_in_flight,
                duplicates=sum(1 for n in counts if n > 1), misses=sum(1 for n in counts if n == 0),
                charts_missing=sum(1 for s in subs if len(fake.shared_files(s.channel_id)) != 1),
                unconfirmed=sum(1 for o in outcomes if not o.ok),
            )
        finally:
            engine.dispose()


def describe(r: RunResult) -> str:
    return (
        f"{r.channels} channels at concurrency {r.concurrency}: {r.seconds:.2f} s; "
        f"{r.calls / r.channels:.2f} Slack calls per channel ({r.calls} in all), {r.rate_limited} answered 429, "
        f"at most {r.max_in_flight} in flight; exactly once: {r.duplicates} duplicates, {r.misses} misses, "
        f"{r.unconfirmed} unconfirmed; charts missing: {r.charts_missing}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--channels", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--latency", type=float, default=0.05, help="seconds the fake takes per call")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-channels", type=int, default=50)
    ap.add_argument("--post-per-minute", type=float, default=6000.0,
                    help="workspace-wide chat.postMessage refill rate of the fake")
    ap.add_argument("--post-burst", type=float, default=200.0)
    ap.add_argument("--postgres", action="store_true", help="PostgreSQL at 127.0.0.1:5432 (database test)")
    args = ap.parse_args(argv)
    limits = Limits(args.latency, args.post_per_minute, args.post_burst)

    if args.postgres:
        try:
            with store_url(Path("."), True):
                pass
        except sa.exc.DBAPIError as exc:
            print(f"PostgreSQL not reachable at 127.0.0.1:5432: {str(exc.orig).strip().splitlines()[0]}")
            return 2
    print(f"python {platform.python_version()}; cpus {os.cpu_count()}; "
          f"load avg {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"store: {'PostgreSQL' if args.postgres else 'SQLite file'}; fake Slack: {limits.latency * 1000:.0f} ms "
          f"per call; chat.postMessage 1/s per channel and {limits.post_per_minute:.0f}/min workspace-wide "
          f"(burst {limits.post_burst:.0f}); files.* {FILES_PER_MINUTE}/min (burst {FILES_BURST})")

    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        work = Path(tmp)
        data_dir = make_data_dir(work / "closes")
        calendar = NyseCalendar(start="1970-01-01", end="2027-12-31")
        t0 = time.perf_counter()
        post = build_post(data_dir, calendar, work)
        print(f"post built once: {time.perf_counter() - t0:.2f} s (summary, blocks and chart PNG of "
              f"{len(post.chart_png or b'') / 1000:.0f} kB)")
        kw = {"data_dir": data_dir, "calendar": calendar, "work": work, "postgres": args.postgres}

        with contextlib.redirect_stdout(io.StringIO()):
            base = deliver_once(post, args.baseline_channels, 1, limits, **kw)
        extrapolated = base.seconds * args.channels / args.baseline_channels
        print(f"baseline: {describe(base)}")
        print(f"baseline extrapolated to {args.channels} channels: {extrapolated:.1f} s")

        results: list[RunResult] = []
        for i in range(args.runs):
            r = deliver_once(post, args.channels, args.concurrency, limits, **kw)
            results.append(r)
            verdict = "met" if r.seconds <= TARGET_SECONDS else "NOT met"
            print(f"run {i + 1}: {describe(r)}; ratio baseline / this {extrapolated / r.seconds:.1f}x; "
                  f"target <= {TARGET_SECONDS:.0f} s: {verdict}")

    times = sorted(r.seconds for r in results)
    met = sum(1 for t in times if t <= TARGET_SECONDS)
    print(f"delivery of {args.channels} channels: best {times[0]:.2f} s, median {statistics.median(times):.2f} s, "
          f"worst {times[-1]:.2f} s over {len(times)} runs; target <= {TARGET_SECONDS:.0f} s met in {met} of "
          f"{len(times)}")
    ok = base.correct and all(r.correct for r in results)
    print("exactly once: " + ("every channel has exactly one post" if ok else "FAILED (duplicates, misses or "
                              "unconfirmed channels above)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
