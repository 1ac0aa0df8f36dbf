"""The daily post to many channels at once: exactly once each, a shared 429 gate, a bound
on concurrency, one chart upload for many channels; on SQLite and PostgreSQL.

Times come from the fake Slack's own records (when each request arrived, when its answer
went out), never from sleeps in the test.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from daily_helpers import ledger, post_ledger
from fakeslack import FakeSlack
from slack_harness import BOT_TOKEN

from bot.adapters.ratelimit import GatedWebClient, RateGate, daily_client
from bot.adapters.slack_history import EVENT_TYPE
from bot.adapters.slack_sender import SlackSender
from bot.render.delivery import outcome_error
from bot.services.delivery import DailyPost, Outcome, Reason
from bot.services.fanout import CHART_CHANNELS_PER_UPLOAD, fan_out, share_chart
from bot.settings import Settings
from bot.store.db import POOL_OVERFLOW, POOL_SIZE
from bot.store.subscriptions import Subscription, SubscriptionStore

S = date(2025, 12, 31)
NOW = datetime(2025, 12, 31, 21, 30, tzinfo=UTC)
TEAM = "T0FAKE"
PNG = b"\x89PNG\r\n\x1a\nchart"


def _post(chart: bool = True) -> DailyPost:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "summary"}}]
    return DailyPost(S, S, "summary", blocks, chart_png=PNG if chart else None, chart_title="YTD")


def _subscribe(engine: sa.Engine, n: int) -> list[Subscription]:
    store = SubscriptionStore(engine)
    for i in range(n):
        store.subscribe(TEAM, f"C{i:04d}", time(16, 30), "U0TRADER", datetime(2025, 12, 1, tzinfo=UTC))
    return store.all_active()


def _client(fake: FakeSlack) -> GatedWebClient:
    settings = Settings(_env_file=None, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url)
    return daily_client(token=BOT_TOKEN, api_url=settings.slack_api_url, timeout=settings.slack_timeout)


def _run(engine: sa.Engine, client: GatedWebClient, subs: list[Subscription], concurrency: int,
         post: DailyPost | None = None) -> list[Outcome]:
    return fan_out(post_ledger(engine), SlackSender(client), SubscriptionStore(engine), post or _post(), subs,
                   lambda: NOW, worker_id="host:1:run", settle=timedelta(seconds=30), concurrency=concurrency)


def _keyed(fake: FakeSlack, channel: str) -> int:
    return sum(1 for m in fake.messages(channel) if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE)


def test_the_pool_has_a_connection_for_every_sender() -> None:
    top = Settings.model_fields["post_concurrency"].metadata
    limit = next(m.le for m in top if hasattr(m, "le"))
    assert limit < POOL_SIZE + POOL_OVERFLOW  # every sender plus the main thread


def test_many_channels_each_get_exactly_one_post_within_the_bound(engine: sa.Engine) -> None:
    n, bound = 150, 12
    subs = _subscribe(engine, n)
    with FakeSlack(latency=0.02) as fake:
        outs = _run(engine, _client(fake), subs, bound)
        assert [o.channel_id for o in outs] == [s.channel_id for s in subs]  # in order
        assert {(o.status, o.chart_error) for o in outs} == {("posted", None)}
        assert [_keyed(fake, s.channel_id) for s in subs] == [1] * n
        assert [len(fake.shared_files(s.channel_id)) for s in subs] == [1] * n
        assert 2 <= fake.max_in_flight <= bound
        batches = -(-n // CHART_CHANNELS_PER_UPLOAD)
        assert len(fake.calls("files.completeUploadExternal")) == batches
        assert len(fake.calls()) == n + 3 * batches  # one call per channel, three per upload
        assert fake.errors == []
        rows = ledger(engine)
        assert sorted((r["channel_id"], r["status"], r["attempts"]) for r in rows) == [
            (s.channel_id, "sent", 1) for s in subs
        ]
        # A second run (another process) finds everything posted and sends nothing.
        again = _run(engine, _client(fake), subs, bound)
        assert {o.status for o in again} == {"already posted"}
        assert len(fake.calls("chat.postMessage")) == n


def test_the_highest_allowed_concurrency_does_not_run_out_of_connections(engine: sa.Engine) -> None:
    subs = _subscribe(engine, 64)
    with FakeSlack(latency=0.05) as fake:
        outs = _run(engine, _client(fake), subs, 32, _post(chart=False))
        assert {o.status for o in outs} == {"posted"}
        assert [_keyed(fake, s.channel_id) for s in subs] == [1] * 64
        assert fake.max_in_flight <= 32


def test_a_429_pauses_chat_post_message_for_every_sender(engine: sa.Engine) -> None:
    n, bound, retry_after, latency = 120, 8, 2, 0.05
    subs = _subscribe(engine, n)
    with FakeSlack(latency=latency) as fake:
        client = _client(fake)

        def rate_limit_mid_run() -> None:
            fake.wait_for("chat.postMessage", 20, timeout=60)
            fake.fail_next("chat.postMessage", retry_after=retry_after)

        trigger = threading.Thread(target=rate_limit_mid_run)
        trigger.start()
        outs = _run(engine, client, subs, bound, _post(chart=False))
        trigger.join()

        assert {o.status for o in outs} == {"posted"}
        assert [_keyed(fake, s.channel_id) for s in subs] == [1] * n
        posts = fake.calls("chat.postMessage")
        (limited,) = [c for c in posts if c.status == 429]
        assert limited.retry_after == retry_after and limited.answered is not None
        expiry = limited.time + retry_after
        accepted = [c.time for c in posts if c.status == 200]
        in_window = [t for t in accepted if limited.time < t < expiry]
        # Only requests other senders had already started can arrive after the 429 ...
        assert len(in_window) <= bound - 1, in_window
        # ... and none once the 429's answer was back (plus time for those to reach the fake).
        assert [t for t in in_window if t > limited.answered + 0.5] == []
        # The 429'd channel was retried after the wait, once; every ledger row has one attempt.
        (retried,) = [c for c in posts if c.params["channel"] == limited.params["channel"] and c.status == 200]
        assert retried.time >= expiry
        assert client.gate.pauses == 1
        assert {r["attempts"] for r in ledger(engine)} == {1}
        assert sum(1 for t in accepted if t >= expiry) > 0


def test_a_429_on_the_upload_pauses_files_methods_and_the_retry_waits() -> None:
    with FakeSlack() as fake:
        client = _client(fake)
        fake.fail_next("files.getUploadURLExternal", retry_after=1)
        outs = [Outcome(TEAM, ch, S, "posted") for ch in ("C1", "C2")]
        done = share_chart(SlackSender(client), _post(), outs)
        assert [o.chart_error for o in done] == [None, None]
        first, second = fake.calls("files.getUploadURLExternal")
        assert (first.status, second.status) == (429, 200)
        assert second.time - first.time >= 1.0  # the retry waited for the gate
        assert client.gate.pauses == 1
        assert [len(fake.shared_files(ch)) for ch in ("C1", "C2")] == [1, 1]


def test_a_failed_chart_share_is_reported_on_its_channels_only() -> None:
    with FakeSlack() as fake:
        client = _client(fake)
        fake.fail_next("files.completeUploadExternal", error="not_in_channel")
        outs = [Outcome(TEAM, "C1", S, "posted"), Outcome(TEAM, "C2", S, "found"),
                Outcome(TEAM, "C3", S, "failed", Reason("slack_refused", error="x"))]
        done = share_chart(SlackSender(client), _post(), outs)
        assert [(o.channel_id, o.chart_error) for o in done] == [("C1", "not_in_channel"), ("C2", None), ("C3", None)]
        (complete,) = fake.calls("files.completeUploadExternal")
        assert complete.params["channels"] == "C1"  # only channels posted to now


def test_the_gate_only_moves_forward() -> None:
    now = [100.0]
    gate = RateGate(clock=lambda: now[0])
    gate.pause("chat.postMessage", 5)
    gate.pause("chat.postMessage", 2)  # a shorter Retry-After does not shorten the pause
    assert gate.remaining("chat.postMessage") == 5
    assert gate.remaining("files.getUploadURLExternal") == 0
    now[0] = 105.0
    assert gate.wait("chat.postMessage") == 0  # open again: no wait
    assert gate.pauses == 2


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_channel_error_marks_only_that_subscription_failing(engine: sa.Engine, concurrency: int) -> None:
    subs = _subscribe(engine, 6)
    with FakeSlack() as fake:
        fake.fail_next("chat.postMessage", error="channel_not_found")
        outs = _run(engine, _client(fake), subs, concurrency, _post(chart=False))
        failed = [o for o in outs if o.status == "failed"]
        assert [(outcome_error(o), o.retryable) for o in failed] == [("channel_not_found", False)]
        assert sum(o.status == "posted" for o in outs) == 5
        active = {s.channel_id for s in SubscriptionStore(engine).all_active()}
        assert active == {s.channel_id for s in subs} - {failed[0].channel_id}
