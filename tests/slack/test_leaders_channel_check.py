"""``/leaders subscribe`` checks that the bot can post in the channel (``conversations.info``),
and any channel member may change the channel's subscription.

Over the real signed HTTP path, FakeSlack answering ``conversations.info``; the clock is
Monday 2026-01-05 15:00 UTC. Each test uses channels of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from fakeslack import Call, FakeSlack
from slack_harness import send_command
from slack_stack import Stack, app_on_loopback, slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.slack.background import drain
from bot.store.subscriptions import SubscriptionStore

NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
SUBSCRIBED = (
    "This channel will get the market-leadership summary after each NYSE session at 16:30 "
    "New York time (13:00-close days: also 16:30). First post: Mon, Jan 5, 2026 at 16:30."
)
INVITE = "Invite @streakbot to this channel (`/invite @streakbot`), then `/leaders subscribe` again."


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server
        assert server.errors == []


@pytest.fixture(scope="module")
def stack(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    db = tmp_path_factory.mktemp("subs") / "app.sqlite3"
    with app_on_loopback(slack_settings(fake.base_url, data_dir), calendar, lambda: NOW, db) as s:
        yield s


@pytest.fixture(autouse=True)
def _reset(fake: FakeSlack) -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()


@pytest.fixture
def channel() -> str:
    return f"C{uuid.uuid4().hex[:8].upper()}"


def channel_info(**fields: Any) -> Any:
    """A conversations.info answer: the bot's view of the channel asked about."""
    def answer(call: Call) -> dict[str, Any]:
        base = {"id": call.params.get("channel"), "is_channel": True, "is_archived": False,
                "is_im": False, "is_private": False, "is_member": True}
        return {"ok": True, "channel": {**base, **fields}}
    return answer


def leaders(stack: Stack, fake: FakeSlack, text: str, channel: str, user: str = "U0TRADER") -> str:
    """``/leaders text``: empty ack, then one ephemeral answer; its text."""
    name = f"r-{uuid.uuid4().hex[:12]}"
    status, body, _ = send_command(stack.base_url, "/leaders", text, fake.response_url(name),
                                   channel_id=channel, user_id=user)
    assert (status, body) == (200, b"")
    fake.wait_for_response(name, timeout=15)
    assert drain()  # barrier: a second answer would have been sent by now
    (call,) = fake.responses(name)
    assert call.json is not None and call.json["response_type"] == "ephemeral"
    return str(call.json["text"])


def subscription(stack: Stack, channel: str) -> tuple[time, str | None] | None:
    sub = SubscriptionStore(stack.services.engine).get("T0FAKE", channel)
    return None if sub is None else (sub.post_time, sub.created_by)


# --------------------------------------------------------------------------- the check
def test_subscribe_asks_slack_about_this_channel(stack: Stack, fake: FakeSlack, channel: str) -> None:
    assert leaders(stack, fake, "subscribe", channel) == SUBSCRIBED
    (call,) = fake.calls("conversations.info")
    assert call.params["channel"] == channel
    assert subscription(stack, channel) == (time(16, 30), "U0TRADER")


def test_subscribe_where_the_bot_is_not_a_member_is_refused(stack: Stack, fake: FakeSlack, channel: str) -> None:
    fake.respond_with("conversations.info", channel_info(is_member=False))
    assert leaders(stack, fake, "subscribe 17:00", channel) == (
        f"I can't post in this channel (Slack says `not_in_channel`), so nothing changed. {INVITE}"
    )
    assert subscription(stack, channel) is None


def test_subscribe_in_a_private_channel_without_the_bot_is_refused(
    stack: Stack, fake: FakeSlack, channel: str
) -> None:
    fake.fail_next("conversations.info", error="channel_not_found")
    assert leaders(stack, fake, "subscribe", channel) == (
        f"I can't post in this channel (Slack says `channel_not_found`), so nothing changed. {INVITE}"
    )
    assert subscription(stack, channel) is None


def test_subscribe_in_an_archived_channel_is_refused(stack: Stack, fake: FakeSlack, channel: str) -> None:
    fake.respond_with("conversations.info", channel_info(is_archived=True, is_member=True))
    assert leaders(stack, fake, "subscribe", channel) == (
        "I can't post in this channel (Slack says `is_archived`), so nothing changed. "
        "The channel is archived: unarchive it, then `/leaders subscribe` again."
    )
    assert subscription(stack, channel) is None


def test_a_refused_subscribe_leaves_the_existing_subscription_alone(
    stack: Stack, fake: FakeSlack, channel: str
) -> None:
    leaders(stack, fake, "subscribe 17:00", channel)
    fake.respond_with("conversations.info", channel_info(is_member=False))  # the bot was removed
    assert leaders(stack, fake, "subscribe 18:00", channel).startswith("I can't post in this channel")
    assert subscription(stack, channel) == (time(17, 0), "U0TRADER")


def test_the_bots_own_dm_needs_no_membership(stack: Stack, fake: FakeSlack) -> None:
    dm = f"D{uuid.uuid4().hex[:8].upper()}"
    fake.respond_with("conversations.info", lambda call: {
        "ok": True, "channel": {"id": call.params.get("channel"), "is_im": True, "user": "U0TRADER"},
    })
    assert leaders(stack, fake, "subscribe", dm) == SUBSCRIBED
    assert subscription(stack, dm) == (time(16, 30), "U0TRADER")


def test_when_slack_cannot_say_it_subscribes_and_says_what_is_needed(
    stack: Stack, fake: FakeSlack, channel: str
) -> None:
    fake.fail_next("conversations.info", error="missing_scope")
    assert leaders(stack, fake, "subscribe", channel) == (
        SUBSCRIBED + " I couldn't check that I can post here (Slack says `missing_scope`). "
        "The bot must be in this channel to post here (`/invite @streakbot`)."
    )
    assert subscription(stack, channel) == (time(16, 30), "U0TRADER")


# --------------------------------------------------------------------------- who may change it
def test_any_member_may_change_or_stop_a_channels_subscription(
    stack: Stack, fake: FakeSlack, channel: str
) -> None:
    leaders(stack, fake, "subscribe 17:00", channel, user="U0ALICE")
    assert leaders(stack, fake, "subscribe 18:00", channel, user="U0BOB") == (
        "Updated (was 17:00, set by <@U0ALICE>): This channel will get the market-leadership "
        "summary after each NYSE session at 18:00 New York time (13:00-close days: also 18:00). "
        "First post: Mon, Jan 5, 2026 at 18:00."
    )
    assert leaders(stack, fake, "status", channel, user="U0CAROL").splitlines()[0] == (
        "This channel gets the market-leadership summary after each NYSE session at 18:00 New York "
        "time (13:00-close days: also 18:00). Set up on Jan 5, 2026; last set by <@U0BOB>."
    )
    assert leaders(stack, fake, "unsubscribe", channel, user="U0CAROL") == (
        "This channel will no longer get the daily market-leadership summary. "
        "`/leaders subscribe` turns it back on."
    )
    assert subscription(stack, channel) is None
