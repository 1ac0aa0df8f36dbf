"""Exactly-once delivery of the daily post: the claim ledger, Slack failures, processes.

* claim semantics on SQLite and the real PostgreSQL (second claim, stale lease, retries,
  racing threads);
* :func:`deliver` against :class:`FakeSlack`: the message, the chart through files v2,
  429 with Retry-After, ``channel_not_found``;
* two ``streakbot post-daily`` processes at once on one database (SQLite file, and
  PostgreSQL): three channels get exactly three posts;
* restart catch-up of the clock: only the last completed session is ever caught up.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time as _time
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from daily_helpers import FrozenClock, daily_services, ledger, ny, post_ledger, subscribe
from fakeslack import Call, FakeSlack
from isolation import subprocess_env
from slack_harness import BOT_TOKEN
from slack_sdk import WebClient
from slack_sdk.http_retry import builtin_handlers
from slack_stack import REPO

import bot.daily.clock as clock_mod
from bot.adapters.calendar import NyseCalendar
from bot.adapters.slack_client import make_web_client
from bot.adapters.slack_sender import SlackSender
from bot.bootstrap import Services
from bot.daily.clock import TICK_JOB_ID, DailyClock, build_scheduler
from bot.daily.commands import make_post, post_to, prepare
from bot.render.delivery import outcome_error, outcome_line
from bot.services.delivery import (
    LEASE,
    MAX_ATTEMPTS,
    DailyPost,
    claim,
    deliver,
    mark_failed,
    mark_sent,
)
from bot.settings import Settings
from bot.slack.listeners.leaders import status_message
from bot.slack.serve import leaders_deps
from bot.store.db import make_engine
from bot.store.subscriptions import SubscriptionStore

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
T0 = datetime(2026, 1, 5, 21, 30, tzinfo=UTC)
S = date(2026, 1, 5)
DEC31 = date(2025, 12, 31)


# --------------------------------------------------------------------------- fixtures
@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(ny(2025, 12, 31, 16, 30))


@pytest.fixture
def svc(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, clock: FrozenClock,
        tmp_path: Path) -> Services:
    return daily_services(fake.base_url, data_dir, calendar, clock, tmp_path / "app.sqlite3")


@pytest.fixture(scope="module")
def dec31_post(data_dir: Path, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory) -> DailyPost:
    """The Dec 31, 2025 post with its chart (built once: the chart takes a moment)."""
    clock = FrozenClock(ny(2025, 12, 31, 16, 30))
    svc = daily_services("http://127.0.0.1:9/api/", data_dir, calendar, clock,
                         tmp_path_factory.mktemp("post") / "p.sqlite3")
    return make_post(prepare(svc.market, calendar, DEC31, clock.now, allow_stale=True))


def client_for(fake: FakeSlack) -> WebClient:
    """The production client, pointed at the fake (retry handlers included)."""
    settings = Settings(_env_file=None, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url)
    return make_web_client(token=BOT_TOKEN, base_url=settings.slack_api_url, timeout=settings.slack_timeout)


# --------------------------------------------------------------------------- claim
def test_first_claim_wins_second_gets_none(engine: sa.Engine) -> None:
    c = claim(post_ledger(engine), "T1", "C1", S, "w1", T0)
    assert c is not None
    assert (c.team_id, c.channel_id, c.session, c.worker_id, c.attempts) == ("T1", "C1", S, "w1", 1)
    assert claim(post_ledger(engine), "T1", "C1", S, "w2", T0) is None
    assert claim(post_ledger(engine), "T1", "C1", S, "w1", T0 + timedelta(minutes=1)) is None  # not even w1
    # Other channels and sessions are independent keys.
    assert claim(post_ledger(engine), "T1", "C2", S, "w2", T0) is not None
    assert claim(post_ledger(engine), "T1", "C1", date(2026, 1, 6), "w2", T0) is not None
    assert claim(post_ledger(engine), "T2", "C1", S, "w2", T0) is not None
    (row,) = [r for r in ledger(engine) if (r["team_id"], r["channel_id"], r["session"]) == ("T1", "C1", S)]
    assert (row["status"], row["claimed_by"], row["attempts"]) == ("claimed", "w1", 1)


def test_sent_is_final(engine: sa.Engine) -> None:
    c = claim(post_ledger(engine), "T1", "C1", S, "w1", T0)
    assert c is not None
    assert mark_sent(post_ledger(engine), c, "1700000000.000100", T0)
    later = T0 + LEASE * 10
    assert claim(post_ledger(engine), "T1", "C1", S, "w2", later) is None
    assert claim(post_ledger(engine), "T1", "C1", S, "w2", later, retry_channel_errors=True) is None
    (row,) = ledger(engine)
    assert (row["status"], row["message_ts"], row["attempts"]) == ("sent", "1700000000.000100", 1)


def test_stale_claim_is_reclaimed_after_the_lease(engine: sa.Engine) -> None:
    c1 = claim(post_ledger(engine), "T1", "C1", S, "crashed", T0)
    assert c1 is not None
    assert claim(post_ledger(engine), "T1", "C1", S, "w2", T0 + LEASE - timedelta(seconds=1)) is None
    c2 = claim(post_ledger(engine), "T1", "C1", S, "w2", T0 + LEASE + timedelta(seconds=1))
    assert c2 is not None and c2.attempts == 2 and c2.id == c1.id
    # The crashed sender comes back: its claim is gone, it cannot mark anything.
    assert not mark_sent(post_ledger(engine), c1, "1.1", T0 + LEASE * 2)
    assert not mark_failed(post_ledger(engine), c1, "late")
    assert mark_sent(post_ledger(engine), c2, "2.2", T0 + LEASE * 2)
    (row,) = ledger(engine)
    assert (row["status"], row["claimed_by"], row["message_ts"]) == ("sent", "w2", "2.2")


def test_failed_is_retried_by_the_next_run(engine: sa.Engine) -> None:
    c1 = claim(post_ledger(engine), "T1", "C1", S, "run1", T0)
    assert c1 is not None
    assert mark_failed(post_ledger(engine), c1, "ratelimited")
    c2 = claim(post_ledger(engine), "T1", "C1", S, "run2", T0 + timedelta(minutes=5))  # no lease wait
    assert c2 is not None and c2.attempts == 2
    assert claim(post_ledger(engine), "T1", "C1", S, "run3", T0 + timedelta(minutes=5)) is None  # run2 has it
    (row,) = ledger(engine)
    assert (row["status"], row["claimed_by"], row["error"]) == ("claimed", "run2", None)


def test_failed_gives_up_after_max_attempts(engine: sa.Engine) -> None:
    now = T0
    for n in range(1, MAX_ATTEMPTS + 1):
        c = claim(post_ledger(engine), "T1", "C1", S, f"run{n}", now)
        assert c is not None and c.attempts == n
        assert mark_failed(post_ledger(engine), c, "internal_error")
        now += timedelta(minutes=5)
    assert claim(post_ledger(engine), "T1", "C1", S, "one-more", now) is None


def test_channel_errors_are_not_retried_unless_resubscribed(engine: sa.Engine) -> None:
    c = claim(post_ledger(engine), "T1", "C1", S, "run1", T0)
    assert c is not None and mark_failed(post_ledger(engine), c, "channel_not_found")
    assert claim(post_ledger(engine), "T1", "C1", S, "run2", T0 + LEASE * 3) is None
    again = claim(post_ledger(engine), "T1", "C1", S, "run3", T0 + LEASE * 3, retry_channel_errors=True)
    assert again is not None and again.attempts == 2


def _race(n: int, fn: Any) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_concurrent_threads_one_winner(engine: sa.Engine) -> None:
    results = _race(8, lambda i: claim(post_ledger(engine), "T1", "C1", S, f"t{i}", T0))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    (row,) = ledger(engine)
    assert row["claimed_by"] == winners[0].worker_id


def test_concurrent_reclaims_one_winner(engine: sa.Engine) -> None:
    first = claim(post_ledger(engine), "T1", "C1", S, "first", T0)
    assert first is not None and mark_failed(post_ledger(engine), first, "ratelimited")
    results = _race(8, lambda i: claim(post_ledger(engine), "T1", "C1", S, f"t{i}", T0 + timedelta(minutes=5)))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and winners[0].attempts == 2
    (row,) = ledger(engine)
    assert (row["claimed_by"], row["attempts"]) == (winners[0].worker_id, 2)


# --------------------------------------------------------------------------- deliver
def test_deliver_posts_blocks_text_then_the_fan_out_shares_the_chart(
    svc: Services, fake: FakeSlack, dec31_post: DailyPost, clock: FrozenClock
) -> None:
    subscribe(svc, "C1", created=ny(2025, 12, 1))
    (sub,) = SubscriptionStore(svc.engine).all_active()
    out = deliver(svc.post_ledger, SlackSender(client_for(fake)), svc.subscriptions, sub, dec31_post, worker_id="w", now=clock.now)
    assert (out.status, out.ok, outcome_error(out), out.chart_error) == ("posted", True, None, None)
    assert outcome_line(out) == "C1 (T0FAKE): posted"

    (msg,) = fake.calls("chat.postMessage")
    assert msg.params["channel"] == "C1"
    assert msg.params["text"] == dec31_post.text
    assert msg.params["text"].startswith(
        "Stocks fell: the S&P 500 lost 0.74% to 6,845.50.\nCloses on Wed, Dec 31, 2025: the S&P 500 -0.74% to 6,845.50"
    )
    blocks = msg.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks == dec31_post.blocks
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Market leadership · Wed, Dec 31, 2025"},
    }
    assert [c.method for c in fake.calls()] == ["chat.postMessage"]  # deliver sends only the post

    # The chart: files v2 in three steps, one upload shared with every channel posted to.
    subscribe(svc, "C2", created=ny(2025, 12, 1))
    subscribe(svc, "C3", created=ny(2025, 12, 1))
    outs = post_to(svc, SlackSender(client_for(fake)), dec31_post, SubscriptionStore(svc.engine).all_active(), clock.now)
    assert [(o.channel_id, o.status, o.chart_error) for o in outs] == [
        ("C1", "already posted", None), ("C2", "posted", None), ("C3", "posted", None),
    ]
    (get_url,) = fake.calls("files.getUploadURLExternal")
    assert get_url.params["filename"] == "market-leadership-2025-12-31.png"
    (upload,) = fake.calls("upload")
    assert upload.body.startswith(PNG_MAGIC) or PNG_MAGIC in upload.body
    (complete,) = fake.calls("files.completeUploadExternal")
    assert complete.params["channels"] == "C2,C3"
    assert "thread_ts" not in complete.params  # Slack allows a thread only with one channel
    files = complete.params["files"]
    files = json.loads(files) if isinstance(files, str) else files
    assert files[0]["title"] == "Year to date through Dec 31, 2025"
    assert [len(fake.shared_files(ch)) for ch in ("C1", "C2", "C3")] == [0, 1, 1]
    order = [c.method for c in fake.calls()]
    assert order[-3:] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]

    row = ledger(svc.engine)[0]
    assert (row["status"], row["message_ts"], row["session"]) == ("sent", out.ts, DEC31)
    sub2 = SubscriptionStore(svc.engine).get("T0FAKE", "C1")
    assert sub2 is not None and sub2.last_posted_session == DEC31

    again = deliver(svc.post_ledger, SlackSender(client_for(fake)), svc.subscriptions, sub, dec31_post, worker_id="w2", now=clock.now)
    assert (again.status, outcome_line(again)) == ("already posted", "C1 (T0FAKE): already posted")
    assert sorted(c.params["channel"] for c in fake.calls("chat.postMessage")) == ["C1", "C2", "C3"]


def test_429_with_retry_after_is_retried_and_delivered_once(
    svc: Services, fake: FakeSlack, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = DailyPost(DEC31, DEC31, "summary", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}])
    subscribe(svc, "C1", created=ny(2025, 12, 1))
    (sub,) = SubscriptionStore(svc.engine).all_active()
    monkeypatch.setattr(builtin_handlers.random, "random", lambda: 0.0)
    fake.fail_next("chat.postMessage", retry_after=1)
    out = deliver(svc.post_ledger, SlackSender(client_for(fake)), svc.subscriptions, sub, post, worker_id="w", now=clock.now)
    assert out.status == "posted"
    calls = fake.calls("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].time - calls[0].time >= 0.95  # waited for Retry-After: 1
    (row,) = ledger(svc.engine)
    assert (row["status"], row["attempts"]) == ("sent", 1)


def test_429_beyond_the_client_retries_fails_then_the_next_run_posts(
    svc: Services, fake: FakeSlack, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builtin_handlers.random, "random", lambda: 0.0)  # Retry-After 0: no wait
    post = DailyPost(DEC31, DEC31, "summary", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}])
    subscribe(svc, "C1", created=ny(2025, 12, 1))
    (sub,) = SubscriptionStore(svc.engine).all_active()
    fake.fail_next("chat.postMessage", retry_after=0, times=10)
    out = deliver(svc.post_ledger, SlackSender(client_for(fake)), svc.subscriptions, sub, post, worker_id="run1", now=clock.now)
    assert (out.status, outcome_error(out), out.retryable) == ("failed", "ratelimited", True)
    assert outcome_line(out) == "C1 (T0FAKE): failed: ratelimited"
    assert len(fake.calls("chat.postMessage")) == 4  # 1 + the handler's 3 retries
    (row,) = ledger(svc.engine)
    assert (row["status"], row["error"]) == ("failed", "ratelimited")
    sub_now = SubscriptionStore(svc.engine).get("T0FAKE", "C1")
    assert sub_now is not None and not sub_now.failing  # a rate limit is not the channel's fault

    fake.reset()
    out2 = deliver(svc.post_ledger, SlackSender(client_for(fake)), svc.subscriptions, sub, post, worker_id="run2", now=clock.now + timedelta(minutes=5))
    assert out2.status == "posted"
    assert [c.status for c in fake.calls("chat.postMessage")] == [200]
    (row,) = ledger(svc.engine)
    assert (row["status"], row["attempts"], row["claimed_by"]) == ("sent", 2, "run2")


def test_channel_not_found_marks_the_subscription_failing(
    svc: Services, fake: FakeSlack, clock: FrozenClock
) -> None:
    post = DailyPost(DEC31, DEC31, "summary", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}])
    subscribe(svc, "C1", created=ny(2025, 12, 1))
    subscribe(svc, "C2", created=ny(2025, 12, 1))
    fake.fail_next("chat.postMessage", error="channel_not_found")
    outs = post_to(svc, SlackSender(client_for(fake)), post, SubscriptionStore(svc.engine).all_active(), clock.now,
                   concurrency=1)  # one at a time: the failure is C1's
    assert [(o.channel_id, o.status, outcome_error(o)) for o in outs] == [
        ("C1", "failed", "channel_not_found"),
        ("C2", "posted", None),
    ]
    store = SubscriptionStore(svc.engine)
    c1 = store.get("T0FAKE", "C1")
    assert c1 is not None
    assert (c1.failing_error, c1.failing_since) == ("channel_not_found", clock.now.astimezone(UTC))
    assert [s.channel_id for s in store.all_active()] == ["C2"]
    # Not retried: the next run skips the channel, and the ledger refuses it too.
    assert claim(svc.post_ledger, "T0FAKE", "C1", DEC31, "later", clock.now + LEASE * 2) is None

    msg = status_message(leaders_deps(svc), "T0FAKE", "C1", clock.now)
    assert msg.text == (
        "This channel gets the market-leadership summary after each NYSE session at 16:30 New "
        "York time (13:00-close days: also 16:30). Set up on Dec 1, 2025; last set by <@U0TRADER>.\n"
        "Last post: none yet.\n"
        ":warning: Posting here is failing since Dec 31, 2025 at 16:30 New York time: Slack says "
        "`channel_not_found`. Invite @streakbot to this channel (`/invite @streakbot`), then "
        "`/leaders subscribe` again."
    )

    # Subscribing again clears it, and the session's post is retried once.
    store.subscribe("T0FAKE", "C1", time(16, 30), "U0TRADER", clock.now + timedelta(minutes=5))
    (c1_active,) = [s for s in store.all_active() if s.channel_id == "C1"]
    out = deliver(svc.post_ledger, SlackSender(client_for(fake)), svc.subscriptions, c1_active, post, worker_id="w3", now=clock.now + timedelta(minutes=6))
    assert out.status == "posted"


def test_chart_upload_failure_keeps_the_post(
    svc: Services, fake: FakeSlack, clock: FrozenClock
) -> None:
    post = DailyPost(DEC31, DEC31, "summary", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}],
                     chart_png=PNG_MAGIC + b"fake")
    subscribe(svc, "C1", created=ny(2025, 12, 1))
    (sub,) = SubscriptionStore(svc.engine).all_active()
    fake.fail_next("files.getUploadURLExternal", error="not_allowed_token_type")
    (out,) = post_to(svc, SlackSender(client_for(fake)), post, [sub], clock.now)
    assert (out.status, out.ok, out.chart_error) == ("posted", True, "not_allowed_token_type")
    assert outcome_line(out) == "C1 (T0FAKE): posted (chart not uploaded: not_allowed_token_type)"
    (row,) = ledger(svc.engine)
    assert row["status"] == "sent"


# --------------------------------------------------------------------------- processes
def _env(database_url: str, api_url: str, data_dir: Path, home: Path) -> dict[str, str]:
    env = subprocess_env(home)
    env.update(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=api_url,
        STREAKBOT_DATA_DIR=str(data_dir),
        PYTHONPATH=str(REPO),
    )
    return env


def _run_post_daily(env: dict[str, str], cwd: Path, n: int) -> list[subprocess.CompletedProcess[str]]:
    cmd = [sys.executable, "-m", "bot.cli", "post-daily", "--session", "2025-12-31"]
    procs = [
        subprocess.Popen(cmd, env=env, cwd=str(cwd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(n)
    ]
    done = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def _slow_post(fake: FakeSlack) -> None:
    """chat.postMessage answers after a pause, so the two processes overlap for real."""
    counter = itertools.count(1)

    def answer(call: Call) -> dict[str, Any]:
        _time.sleep(0.5)
        n = next(counter)
        return {"ok": True, "channel": call.params.get("channel"), "ts": f"1767225600.{n:06d}"}

    fake.respond_with("chat.postMessage", answer)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.e2e
def test_two_post_daily_processes_post_exactly_once(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, fake: FakeSlack, data_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)  # tables made, and the subscriptions, before the race
    try:
        store = SubscriptionStore(engine)
        for ch in ("C1", "C2", "C3"):
            store.subscribe("T0FAKE", ch, time(16, 30), "U0TRADER", datetime(2025, 12, 1, tzinfo=UTC))
        _slow_post(fake)
        env = _env(url, fake.base_url, data_dir, tmp_path)

        runs = _run_post_daily(env, tmp_path, 2)
        for r in runs:
            assert r.returncode == 0, (r.stdout, r.stderr)
        posts = fake.calls("chat.postMessage")
        assert sorted(c.params["channel"] for c in posts) == ["C1", "C2", "C3"]
        # each process shared the chart with the channels it posted to: once per channel
        assert [len(fake.shared_files(ch)) for ch in ("C1", "C2", "C3")] == [1, 1, 1]
        by_channel: dict[str, list[str]] = {}
        for r in runs:
            for line in r.stdout.splitlines()[1:]:
                ch, _, status = line.partition(" (T0FAKE): ")
                by_channel.setdefault(ch, []).append(status)
        assert sorted(by_channel) == ["C1", "C2", "C3"]
        for statuses in by_channel.values():  # one process posted, the other saw it
            assert sorted(statuses)[1] == "posted"
            assert sorted(statuses)[0] in ("already being posted by another run", "already posted")
        for r in runs:
            assert r.stdout.startswith("Daily summary for Dec 31, 2025\n")
        rows = ledger(engine)
        assert sorted((r["channel_id"], r["status"], r["attempts"]) for r in rows) == [
            ("C1", "sent", 1), ("C2", "sent", 1), ("C3", "sent", 1),
        ]

        (again,) = _run_post_daily(env, tmp_path, 1)
        assert again.returncode == 0, again.stderr
        assert again.stdout.splitlines()[1:] == [
            "C1 (T0FAKE): already posted",
            "C2 (T0FAKE): already posted",
            "C3 (T0FAKE): already posted",
        ]
        assert len(fake.calls("chat.postMessage")) == 3
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- restart catch-up
def _start_clock(svc: Services) -> DailyClock:
    """What ``streakbot clock`` does at start-up: build the scheduler; its first tick is now."""
    sched = build_scheduler(svc)
    job = sched.get_job(TICK_JOB_ID)
    assert job is not None and job.next_run_time == svc.clock()  # catch-up runs at start
    runner = job.func.__self__
    assert isinstance(runner, DailyClock)
    return runner


def _posted(fake: FakeSlack) -> list[str]:
    out = []
    for c in fake.calls("chat.postMessage"):
        blocks = c.params["blocks"]
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        out.append(f'{c.params["channel"]} {blocks[0]["text"]["text"].split(" · ")[1]}')
    return out


@pytest.fixture
def quiet_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catch-up tests do not look at charts: skip drawing them (faster)."""
    real = make_post  # the function clock_mod calls
    monkeypatch.setattr(clock_mod, "make_post", lambda prep, chart=True: real(prep, chart=False))


def test_restart_after_the_due_time_posts_once(
    svc: Services, fake: FakeSlack, clock: FrozenClock, quiet_charts: None
) -> None:
    subscribe(svc, "C1", created=ny(2025, 12, 1), last_posted=date(2025, 12, 29))
    clock.now = ny(2025, 12, 30, 17, 10)  # Tue: the 16:30 post was missed while down
    runner = _start_clock(svc)
    assert [outcome_line(o) for o in runner.tick()] == ["C1 (T0FAKE): posted"]
    assert _posted(fake) == ["C1 Tue, Dec 30, 2025"]
    clock.now = ny(2025, 12, 30, 17, 15)
    assert runner.tick() == []
    # A second clock started by mistake does not post again either.
    clock.now = ny(2025, 12, 30, 17, 20)
    assert _start_clock(svc).tick() == []
    assert len(fake.calls("chat.postMessage")) == 1


def test_restart_next_morning_catches_up_only_the_last_session(
    svc: Services, fake: FakeSlack, clock: FrozenClock, quiet_charts: None
) -> None:
    # Down since before Monday's post: Mon Dec 29 and Tue Dec 30 were both missed.
    subscribe(svc, "C1", created=ny(2025, 12, 1), last_posted=date(2025, 12, 26))
    clock.now = ny(2025, 12, 31, 9, 0)  # Wed morning, before any new due time
    runner = _start_clock(svc)
    assert [o.session for o in runner.tick()] == [date(2025, 12, 30)]
    assert _posted(fake) == ["C1 Tue, Dec 30, 2025"]
    clock.now = ny(2025, 12, 31, 16, 25)
    assert runner.tick() == []
    clock.now = ny(2025, 12, 31, 16, 30)
    assert [o.session for o in runner.tick()] == [DEC31]
    assert _posted(fake) == ["C1 Tue, Dec 30, 2025", "C1 Wed, Dec 31, 2025"]


def test_restart_two_sessions_later_does_not_post_the_old_one(
    svc: Services, fake: FakeSlack, clock: FrozenClock, quiet_charts: None
) -> None:
    subscribe(svc, "C1", created=ny(2025, 12, 1), last_posted=date(2025, 12, 26))
    clock.now = ny(2025, 12, 31, 9, 0)
    # The Dec 29 post is two sessions old: never caught up, even by an explicit check.
    assert list(DailyClock(svc).due(clock.now)) == [date(2025, 12, 30)]
    clock.now = ny(2025, 12, 31, 17, 10)
    runner = _start_clock(svc)
    assert [o.session for o in runner.tick()] == [DEC31]
    assert _posted(fake) == ["C1 Wed, Dec 31, 2025"]
    assert {r["session"] for r in ledger(svc.engine)} == {DEC31}


def test_a_new_subscription_starts_with_the_next_post(
    svc: Services, fake: FakeSlack, clock: FrozenClock, quiet_charts: None
) -> None:
    subscribe(svc, "C1", created=ny(2025, 12, 31, 9, 0))  # the Dec 30 post was due before
    clock.now = ny(2025, 12, 31, 9, 5)
    runner = _start_clock(svc)
    assert runner.tick() == []
    clock.now = ny(2025, 12, 31, 16, 30)
    assert [o.session for o in runner.tick()] == [DEC31]
