"""``/leaders`` in process (``app.dispatch`` of the real app, FakeSlack behind it).

Prices: the bundled closes (the S&P 500 ends Sep 17, 2026); the clock is Monday Sep 21,
2026, 15:00 UTC. Each test uses a channel of its own.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time
from typing import Any

import pytest
from fakeslack import Call, FakeSlack
from slack_harness import command_request
from slack_stack import InProcess, in_process_fixtures

from bot.render.messages import usage_message
from bot.slack.listeners.leaders import LEADERS_USAGE
from bot.store.subscriptions import SubscriptionStore

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
SUBSCRIBED = (
    "This channel will get the market-leadership summary after each NYSE session at 16:30 "
    "New York time (13:00-close days: also 16:30). First post: Mon, Sep 21, 2026 at 16:30."
)


slack, bot, _fresh = in_process_fixtures("leaders", NOW)


@pytest.fixture
def channel() -> str:
    return f"C{uuid.uuid4().hex[:8].upper()}"


def leaders(bot: InProcess, slack: FakeSlack, text: str, channel: str) -> list[Call]:
    """``/leaders text``: an empty ack, then the calls its answer made (auth.test aside)."""
    response = bot.app.dispatch(command_request("/leaders", text, slack.response_url(channel),
                                                channel_id=channel))
    assert (response.status, response.body) == (200, "")
    assert bot.later.run() == ["/leaders"]
    return [c for c in slack.calls() if c.method != "auth.test"]


def test_the_summary_is_posted_in_the_channel(bot: InProcess, slack: FakeSlack, channel: str) -> None:
    (call,) = leaders(bot, slack, "", channel)
    assert call.method == "response_url" and call.json is not None
    assert call.json["response_type"] == "in_channel"
    assert call.json["blocks"][0] == {
        "type": "header", "text": {"type": "plain_text", "text": "Market leadership · Thu, Sep 17, 2026"},
    }
    assert call.json["text"].startswith(
        "Data as of Sep 17, 2026: the latest NYSE session (Sep 18, 2026) is not in the data yet."
    )


def test_subscribe_asks_slack_about_the_channel_then_answers_the_asker(
    bot: InProcess, slack: FakeSlack, channel: str
) -> None:
    info, answer = leaders(bot, slack, "subscribe", channel)
    assert (info.method, info.params["channel"]) == ("conversations.info", channel)
    assert answer.method == "response_url" and answer.json is not None
    assert (answer.json["response_type"], answer.json["text"]) == ("ephemeral", SUBSCRIBED)
    sub = SubscriptionStore(bot.services.engine).get("T0FAKE", channel)
    assert sub is not None and (sub.post_time, sub.created_by) == (time(16, 30), "U0TRADER")


def test_subscribe_where_the_bot_is_not_a_member_changes_nothing(
    bot: InProcess, slack: FakeSlack, channel: str
) -> None:
    def not_a_member(call: Call) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": call.params.get("channel"), "is_member": False}}

    slack.respond_with("conversations.info", not_a_member)
    _, answer = leaders(bot, slack, "subscribe 17:00", channel)
    assert answer.json is not None and answer.json["text"].startswith(
        "I can't post in this channel (Slack says `not_in_channel`), so nothing changed."
    )
    assert SubscriptionStore(bot.services.engine).get("T0FAKE", channel) is None


def test_status_of_a_channel_without_a_subscription(bot: InProcess, slack: FakeSlack, channel: str) -> None:
    (answer,) = leaders(bot, slack, "status", channel)
    assert answer.json is not None
    assert (answer.json["response_type"], answer.json["text"]) == ("ephemeral", (
        "This channel is not subscribed to the daily market-leadership summary. "
        "`/leaders subscribe [HH:MM]` subscribes it (New York time, default 16:30)."
    ))


def test_bad_input_gets_the_usage_in_the_ack(bot: InProcess, slack: FakeSlack, channel: str) -> None:
    response = bot.app.dispatch(command_request("/leaders", "sub 16:30", slack.response_url(channel),
                                                channel_id=channel))
    assert json.loads(response.body) == usage_message(LEADERS_USAGE, "Unknown /leaders option 'sub'.").ack_args()
    assert bot.later.pending == []
    assert slack.calls("response_url") == []
