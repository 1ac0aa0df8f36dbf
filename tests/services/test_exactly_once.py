"""Exactly once for real: sends with no clear answer are looked up in the channel, never resent.

* who holds a claim, and when that sender is dead (same host: its pid; elsewhere: the lease);
* the Slack client never resends a ``chat.postMessage`` by itself;
* a post Slack took but answered after the client's timeout, then a rerun: one message;
* 5xx (taken or not), dropped connections, refused connections, unreadable history;
* ``streakbot post-daily`` killed with SIGKILL mid-post, then an immediate rerun: one message
  and an exit status that tells the truth.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time as _time
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from daily_helpers import FrozenClock, daily_services, ledger, ny, subscribe
from fakeslack import FakeSlack
from isolation import console_script, subprocess_env
from slack_harness import BOT_TOKEN
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_stack import slack_settings
from sqlalchemy import insert

from bot.adapters.calendar import NyseCalendar
from bot.adapters.senders import holder_is_live, new_worker_id, parse_worker_id, pid_is_running
from bot.adapters.slack_client import make_web_client
from bot.adapters.slack_history import EVENT_TYPE, post_metadata
from bot.adapters.slack_sender import SlackSender
from bot.bootstrap import Services
from bot.daily.commands import settle_outcomes
from bot.render.delivery import outcome_error, outcome_line
from bot.services.delivery import LEASE, DailyPost, claim, deliver
from bot.store.db import make_engine
from bot.store.subscriptions import Subscription, SubscriptionStore
from bot.store.tables import posts

DEC31 = date(2025, 12, 31)
T0 = ny(2025, 12, 31, 16, 30)
POST = DailyPost(DEC31, DEC31, "summary", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}])
KEY = {"team": "T0FAKE", "channel": "C1", "session": "2025-12-31"}
SETTLE = timedelta(seconds=2)  # twice the 1 s client timeout used here


def client_for(fake: FakeSlack, timeout: int = 1, url: str | None = None) -> WebClient:
    """The production client (its retry handlers), with a short timeout."""
    settings = slack_settings(url or fake.base_url, Path("."), STREAKBOT_SLACK_TIMEOUT=timeout)
    return make_web_client(token=BOT_TOKEN, base_url=settings.slack_api_url, timeout=settings.slack_timeout)


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait(timeout=60)
    return p.pid


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def svc(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, clock: FrozenClock, tmp_path: Path) -> Services:
    return daily_services(fake.base_url, data_dir, calendar, clock, tmp_path / "app.sqlite3",
                          STREAKBOT_SLACK_TIMEOUT=1)


@pytest.fixture
def sub(svc: Services) -> Subscription:
    subscribe(svc, "C1", created=ny(2025, 12, 1))
    (s,) = SubscriptionStore(svc.engine).all_active()
    return s


def run(svc: Services, fake: FakeSlack, sub: Subscription, at: datetime, worker: str = "w") -> Any:
    return deliver(svc.post_ledger, SlackSender(client_for(fake)), svc.subscriptions, sub, POST, worker_id=worker, now=at, settle=SETTLE)


def metadata_of(message: dict[str, Any]) -> Any:
    return message.get("metadata")


# --------------------------------------------------------------------------- senders
@pytest.mark.e2e
def test_worker_id_is_host_pid_token_within_64_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    wid = new_worker_id()
    holder = parse_worker_id(wid)
    assert holder is not None
    assert (holder.host, holder.pid, len(holder.token)) == (socket.gethostname()[: len(holder.host)], os.getpid(), 8)
    monkeypatch.setattr(socket, "gethostname", lambda: "h" * 300)
    long_id = new_worker_id()
    parsed = parse_worker_id(long_id)
    assert parsed is not None and parsed.pid == os.getpid()
    # The host part has one length whatever the pid, and the longest pid still fits.
    assert parsed.host == "h" * 47
    assert len(f"{parsed.host}:4194304:{parsed.token}") == 64
    # A truncated hostname still counts as this host: a dead pid there is dead.
    assert not holder_is_live(f"{parsed.host}:{dead_pid()}:{parsed.token}", T0, T0, LEASE)
    assert parse_worker_id("w1") is None
    assert parse_worker_id("host:notapid:tok") is None


@pytest.mark.e2e
def test_a_holder_on_this_host_is_live_while_its_process_runs() -> None:
    me = new_worker_id()
    host = socket.gethostname()
    assert holder_is_live(me, T0, T0 + timedelta(minutes=9), LEASE)
    assert not holder_is_live(me, T0, T0 + LEASE, LEASE)  # a hung sender: the lease ends it
    gone = f"{host[:40]}:{dead_pid()}:abcd1234"
    assert not holder_is_live(gone, T0, T0 + timedelta(seconds=1), LEASE)


@pytest.mark.e2e
def test_a_killed_unreaped_process_is_not_running() -> None:
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_is_running(p.pid)
        p.send_signal(signal.SIGKILL)
        deadline = _time.monotonic() + 30
        while pid_is_running(p.pid) and _time.monotonic() < deadline:  # zombie until reaped
            _time.sleep(0.05)
        assert not pid_is_running(p.pid)
    finally:
        p.wait(timeout=30)


@pytest.mark.e2e
def test_a_holder_on_another_host_is_live_until_its_lease_expires() -> None:
    other = f"another-host:{dead_pid()}:abcd1234"  # the pid means nothing here
    assert holder_is_live(other, T0, T0 + LEASE - timedelta(seconds=1), LEASE)
    assert not holder_is_live(other, T0, T0 + LEASE, LEASE)
    assert holder_is_live("w1", T0, T0, LEASE)  # not our format: only the lease tells


# --------------------------------------------------------------------------- client
def test_the_client_never_resends_a_post_but_retries_reads(fake: FakeSlack) -> None:
    client = client_for(fake)
    fake.fail_next("chat.postMessage", status=500)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x")
    fake.drop_next("chat.postMessage")
    with pytest.raises(ConnectionError):  # RemoteDisconnected
        client.chat_postMessage(channel="C1", text="x")
    assert [c.status for c in fake.calls("chat.postMessage")] == [500, 0]
    assert len(fake.messages("C1")) == 1  # the dropped one was taken
    fake.fail_next("conversations.history", status=500)
    assert client.conversations_history(channel="C1")["ok"] is True
    assert [c.status for c in fake.calls("conversations.history")] == [500, 200]


# --------------------------------------------------------------------------- deliver
def test_a_post_answered_after_the_timeout_is_found_not_resent(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    fake.stall_next("chat.postMessage", 5)
    first = run(svc, fake, sub, T0)
    assert (first.status, first.ok, first.retry_at) == ("uncertain", False, T0.astimezone(UTC) + SETTLE)
    assert str(outcome_error(first)).startswith("the send's outcome is unknown (TimeoutError")
    assert outcome_line(first).startswith("C1 (T0FAKE): not confirmed: the send's outcome is unknown (")
    (msg,) = fake.messages("C1")  # Slack took it
    assert msg["metadata"] == {"event_type": EVENT_TYPE, "event_payload": KEY}
    (row,) = ledger(svc.engine)
    assert row["status"] == "uncertain"

    # Before it settles nothing is read or sent; after, the history check finds it.
    early = run(svc, fake, sub, T0 + timedelta(seconds=1), worker="run2")
    assert (early.status, early.retry_at) == ("uncertain", T0.astimezone(UTC) + SETTLE)
    assert fake.calls("conversations.history") == []
    found = run(svc, fake, sub, T0 + timedelta(seconds=3), worker="run3")
    assert (found.status, found.ok, found.ts) == ("found", True, msg["ts"])
    assert outcome_line(found) == "C1 (T0FAKE): posted (an earlier send had gone through: found in the channel)"
    (hist,) = fake.calls("conversations.history")
    assert hist.params["channel"] == "C1"
    assert hist.params["include_all_metadata"] in ("1", "true", "True")
    assert float(hist.params["oldest"]) == ny(2025, 12, 31).timestamp()
    (row,) = ledger(svc.engine)
    assert (row["status"], row["message_ts"], row["claimed_by"]) == ("sent", msg["ts"], "run3")
    assert len(fake.calls("chat.postMessage")) == 1
    assert len(fake.messages("C1")) == 1
    s = SubscriptionStore(svc.engine).get("T0FAKE", "C1")
    assert s is not None and s.last_posted_session == DEC31


@pytest.mark.parametrize(("accepted", "expected"), [(True, "found"), (False, "posted")])
def test_a_5xx_is_uncertain_and_resolved_from_the_history(
    svc: Services, fake: FakeSlack, sub: Subscription, accepted: bool, expected: str
) -> None:
    fake.fail_next("chat.postMessage", status=500, accepted=accepted)
    first = run(svc, fake, sub, T0)
    assert first.status == "uncertain"
    assert outcome_error(first) == "the send's outcome is unknown (Slack answered HTTP 500 (internal_error))"
    assert len(fake.calls("chat.postMessage")) == 1  # no blind retry
    later = run(svc, fake, sub, T0 + timedelta(seconds=5), worker="run2")
    assert later.status == expected
    (msg,) = fake.messages("C1")  # exactly one either way
    assert later.ts == msg["ts"]
    assert len(fake.calls("chat.postMessage")) == (1 if accepted else 2)


def test_a_dropped_connection_after_the_request_is_uncertain(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    fake.drop_next("chat.postMessage")
    assert run(svc, fake, sub, T0).status == "uncertain"
    assert run(svc, fake, sub, T0 + timedelta(seconds=5), worker="run2").status == "found"
    assert len(fake.messages("C1")) == 1


def test_a_refused_connection_is_a_plain_failure_retried_without_a_check(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = client_for(fake, url=f"http://127.0.0.1:{port}/api/")
    out = deliver(svc.post_ledger, SlackSender(down), svc.subscriptions, sub, POST, worker_id="w", now=T0, settle=SETTLE)
    assert (out.status, out.retryable) == ("failed", True)
    error = outcome_error(out)
    assert error is not None and error.startswith("URLError")
    again = run(svc, fake, sub, T0 + timedelta(seconds=1), worker="run2")
    assert again.status == "posted"
    assert fake.calls("conversations.history") == []
    assert len(fake.messages("C1")) == 1


def test_an_unreadable_history_leaves_the_post_unconfirmed(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    fake.stall_next("chat.postMessage", 5)
    assert run(svc, fake, sub, T0).status == "uncertain"
    fake.fail_next("conversations.history", error="missing_scope")
    out = run(svc, fake, sub, T0 + timedelta(seconds=5), worker="run2")
    assert (out.status, out.ok) == ("uncertain", False)
    assert outcome_error(out) == "the channel could not be checked (conversations.history: missing_scope)"
    assert len(fake.calls("chat.postMessage")) == 1  # never resent blindly
    (row,) = ledger(svc.engine)
    assert row["status"] == "uncertain"
    assert run(svc, fake, sub, T0 + timedelta(seconds=10), worker="run3").status == "found"
    assert len(fake.messages("C1")) == 1


def test_history_is_read_page_by_page(svc: Services, fake: FakeSlack, sub: Subscription) -> None:
    fake.stall_next("chat.postMessage", 5)
    assert run(svc, fake, sub, T0).status == "uncertain"
    people = WebClient(token="xoxb-x", base_url=fake.base_url)
    for i in range(150):  # the desk keeps talking: the post is on the second page
        people.chat_postMessage(channel="C1", text=f"chatter {i}")
    out = run(svc, fake, sub, T0 + timedelta(seconds=5), worker="run2")
    assert out.status == "found"
    assert [c.params.get("cursor") for c in fake.calls("conversations.history")] == [None, "100"]


def _insert_row(engine: sa.Engine, status: str, holder: str, at: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(insert(posts).values(team_id="T0FAKE", channel_id="C1", session=DEC31, status=status,
                                          claimed_by=holder, claimed_at=at.astimezone(UTC), attempts=1))


@pytest.mark.e2e
def test_a_dead_senders_post_is_checked_then_sent_once(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    holder = f"{socket.gethostname()[:40]}:{dead_pid()}:deadbeef"
    _insert_row(svc.engine, "sending", holder, T0 - timedelta(seconds=30))
    out = run(svc, fake, sub, T0)  # well before the lease: the pid tells
    assert out.status == "posted"
    assert len(fake.calls("conversations.history")) == 1  # looked before sending
    (msg,) = fake.messages("C1")
    assert msg["metadata"]["event_payload"] == KEY
    (row,) = ledger(svc.engine)
    assert (row["status"], row["attempts"]) == ("sent", 2)


def test_a_live_senders_post_is_left_alone(svc: Services, fake: FakeSlack, sub: Subscription) -> None:
    live = new_worker_id()  # this very process
    _insert_row(svc.engine, "sending", live, T0 - timedelta(seconds=30))
    out = run(svc, fake, sub, T0)
    assert (out.status, out.ok, out.holder) == ("in progress", False, live)
    assert outcome_line(out) == f"C1 (T0FAKE): not confirmed: still being posted by another run ({live})"
    assert fake.calls() == []


@pytest.mark.e2e
def test_a_claim_that_never_sent_is_taken_over_without_a_check(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    holder = f"{socket.gethostname()[:40]}:{dead_pid()}:deadbeef"
    _insert_row(svc.engine, "claimed", holder, T0 - timedelta(seconds=1))
    assert run(svc, fake, sub, T0).status == "posted"
    assert fake.calls("conversations.history") == []


@pytest.mark.e2e
def test_a_resolver_that_died_while_checking_is_replaced(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    holder = f"{socket.gethostname()[:40]}:{dead_pid()}:deadbeef"
    _insert_row(svc.engine, "checking", holder, T0 - timedelta(seconds=1))
    c = claim(svc.post_ledger, "T0FAKE", "C1", DEC31, "w", T0, settle=SETTLE)
    assert c is not None and c.check_first


def test_settle_outcomes_waits_for_the_uncertain_send_then_confirms_it(
    svc: Services, fake: FakeSlack, sub: Subscription, clock: FrozenClock
) -> None:
    """One post-daily run: the send times out, the run waits for it to settle, then finds it."""
    fake.stall_next("chat.postMessage", 5)
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock.now += timedelta(seconds=seconds)

    (out,) = settle_outcomes(svc, SlackSender(client_for(fake)), POST, [sub], max_wait=60, sleep=sleep)
    assert (out.status, out.ok) == ("found", True)
    assert len(waited) == 1 and waited[0] == pytest.approx(2.0, abs=1e-6)  # send start + 2 s
    assert len(fake.messages("C1")) == 1


def test_settle_outcomes_gives_up_in_time_and_says_so(
    svc: Services, fake: FakeSlack, sub: Subscription
) -> None:
    live = new_worker_id()
    _insert_row(svc.engine, "sending", live, T0 - timedelta(seconds=1))
    waited: list[float] = []
    (out,) = settle_outcomes(svc, SlackSender(client_for(fake)), POST, [sub], max_wait=0.3, poll=0.1, sleep=waited.append)
    assert out.status == "in progress" and not out.ok
    assert 1 <= len(waited) <= 200 and all(w <= 0.3 for w in waited)


# --------------------------------------------------------------------------- kill -9
def _env(db_url: str, fake: FakeSlack, data_dir: Path, home: Path, timeout: int) -> dict[str, str]:
    env = subprocess_env(home)
    env.update(DATABASE_URL=db_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url,
               STREAKBOT_DATA_DIR=str(data_dir), STREAKBOT_SLACK_TIMEOUT=str(timeout))
    return env


def _post_daily(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(console_script()), "post-daily", "--session", "2025-12-31"], env=env,
                          cwd=str(cwd), capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.e2e
def test_kill_9_mid_post_then_an_immediate_rerun_posts_once_and_tells_the_truth(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, fake: FakeSlack, data_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    try:
        SubscriptionStore(engine).subscribe("T0FAKE", "C1", time(16, 30), "U0TRADER",
                                            datetime(2025, 12, 1, tzinfo=UTC))
        # The sender's post is taken by Slack and then held: it is killed while waiting.
        fake.stall_next("chat.postMessage", 120)
        env = _env(url, fake, data_dir, tmp_path, timeout=60)
        cmd = [str(console_script()), "post-daily", "--session", "2025-12-31"]
        sender = subprocess.Popen(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            fake.wait_for("chat.postMessage", timeout=120)
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.communicate(timeout=60)
        assert sender.returncode == -signal.SIGKILL
        (row,) = ledger(engine)
        assert row["status"] == "sending"

        # An immediate rerun that cannot read the channel must not claim success.
        fake.fail_next("conversations.history", error="missing_scope", times=5)
        blind = _post_daily(_env(url, fake, data_dir, tmp_path, timeout=1), tmp_path)
        assert blind.returncode == 1, (blind.stdout, blind.stderr)
        assert blind.stdout.splitlines()[1:] == [
            "C1 (T0FAKE): not confirmed: the channel could not be checked (conversations.history: "
            "missing_scope); the next run looks for it in the channel before sending again",
        ]
        assert len(fake.messages("C1")) == 1

        fake.clear_faults()
        rerun = _post_daily(_env(url, fake, data_dir, tmp_path, timeout=1), tmp_path)
        assert rerun.returncode == 0, (rerun.stdout, rerun.stderr)
        assert rerun.stdout.splitlines()[1:] == [
            "C1 (T0FAKE): posted (an earlier send had gone through: found in the channel)",
        ]
        (msg,) = fake.messages("C1")
        assert len(fake.calls("chat.postMessage")) == 1
        (row,) = ledger(engine)
        assert (row["status"], row["message_ts"]) == ("sent", msg["ts"])

        again = _post_daily(_env(url, fake, data_dir, tmp_path, timeout=1), tmp_path)
        assert (again.returncode, again.stdout.splitlines()[1:]) == (0, ["C1 (T0FAKE): already posted"])
    finally:
        engine.dispose()


@pytest.mark.e2e
def test_kill_9_then_a_rerun_sends_the_post_slack_never_took(
    tmp_path: Path, fake: FakeSlack, data_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine = make_engine(url)
    try:
        SubscriptionStore(engine).subscribe("T0FAKE", "C1", time(16, 30), "U0TRADER",
                                            datetime(2025, 12, 1, tzinfo=UTC))
        fake.stall_next("chat.postMessage", 120)
        env = _env(url, fake, data_dir, tmp_path, timeout=60)
        sender = subprocess.Popen([str(console_script()), "post-daily", "--session", "2025-12-31"],
                                  env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            fake.wait_for("chat.postMessage", timeout=120)
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.communicate(timeout=60)
        fake.reset()  # as if Slack had never carried the request out
        rerun = _post_daily(_env(url, fake, data_dir, tmp_path, timeout=1), tmp_path)
        assert rerun.returncode == 0, (rerun.stdout, rerun.stderr)
        assert rerun.stdout.splitlines()[1:] == ["C1 (T0FAKE): posted"]
        assert len(fake.calls("conversations.history")) == 1
        (msg,) = fake.messages("C1")
        assert metadata_of(msg) == post_metadata("T0FAKE", "C1", DEC31)
    finally:
        engine.dispose()
