"""``/leaders`` over the app's real HTTP endpoint (signed requests, FakeSlack), offline.

Prices: the bundled closes in a ``STREAKBOT_DATA_DIR`` folder (the S&P 500 ends Sep 17,
2026). The clock is Monday 2026-09-21 15:00 UTC (11:00 in New York). Each test uses
channels of its own, so the module can share one app.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from daily_helpers import ny
from fakeslack import FakeSlack
from slack_harness import send_command
from slack_stack import Stack, app_on_loopback, make_data_dir, slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.adapters.slack_sender import SlackSender
from bot.render.delivery import outcome_error
from bot.render.messages import usage_message
from bot.services.delivery import DailyPost, deliver
from bot.slack.background import drain
from bot.slack.listeners.leaders import LEADERS_USAGE
from bot.store.subscriptions import SubscriptionStore

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server
        assert server.errors == []


@pytest.fixture(scope="module")
def stack(fake: FakeSlack, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = make_data_dir(tmp_path_factory.mktemp("closes"))
    db = tmp_path_factory.mktemp("app") / "app.sqlite3"
    with app_on_loopback(slack_settings(fake.base_url, data_dir), calendar, lambda: NOW, db) as s:
        yield s


@pytest.fixture
def channel() -> str:
    return f"C{uuid.uuid4().hex[:8].upper()}"


def leaders(stack: Stack, fake: FakeSlack, text: str, channel: str, **extra: str) -> tuple[int, bytes, str]:
    name = f"r-{uuid.uuid4().hex[:12]}"
    status, body, _ = send_command(
        stack.base_url, "/leaders", text, fake.response_url(name), channel_id=channel,
        headers=None, **extra,  # headers=None: signed as usual, and no extra field can take its place
    )
    return status, body, name


def answer(fake: FakeSlack, name: str) -> dict[str, Any]:
    """The one message sent to response_url ``name``."""
    fake.wait_for_response(name, timeout=15)
    assert drain()  # barrier: a second answer would have been sent by now
    (call,) = fake.responses(name)
    assert call.status == 200 and call.json is not None
    return call.json


def ephemeral(stack: Stack, fake: FakeSlack, text: str, channel: str, **extra: str) -> str:
    """Send ``/leaders text``: empty ack, then one ephemeral answer; return its text."""
    status, body, name = leaders(stack, fake, text, channel, **extra)
    assert (status, body) == (200, b"")
    payload = answer(fake, name)
    assert payload["response_type"] == "ephemeral"
    assert payload["blocks"][0]["type"] == "section"
    return str(payload["text"])


def ack_usage(stack: Stack, fake: FakeSlack, text: str, channel: str) -> dict[str, Any]:
    status, body, name = leaders(stack, fake, text, channel)
    assert status == 200
    assert drain()  # barrier: an answer started for this request would have been sent
    assert fake.responses(name) == []  # the ack is the whole answer
    data = json.loads(body)
    assert isinstance(data, dict)
    return data


# --------------------------------------------------------------------------- help and bad input
@pytest.mark.parametrize("text", ["help", "HELP", "?", "--help"])
def test_help(stack: Stack, fake: FakeSlack, channel: str, text: str) -> None:
    data = ack_usage(stack, fake, text, channel)
    assert data == usage_message(LEADERS_USAGE).ack_args()
    assert data["text"] == (
        "Usage: `/leaders` — the market-leadership summary for the latest session, posted here.\n"
        "• `/leaders 2026-01-22` (or `/leaders --session 2026-01-22`) — a past session's summary\n"
        "• `/leaders subscribe [HH:MM]` — post it in this channel after each NYSE session "
        "(New York time; default 16:30, or the channel's current time)\n"
        "• `/leaders unsubscribe` — stop the daily post here\n"
        "• `/leaders status` — this channel's subscription, last post and any delivery problem\n"
        "• `/leaders help` — this help"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("subscribe 25:00", "'25:00' is not a valid time. Use HH:MM in New York time, e.g. 16:30"),
        ("subscribe soon", "Couldn't read 'soon' as a time. Use HH:MM in New York time, e.g. 16:30"),
        ("subscribe 13:5", "Couldn't read '13:5' as a time. Use HH:MM in New York time, e.g. 16:30"),
        ("sub 16:30", "Unknown /leaders option 'sub'."),
        ("RUT SPX", "Unknown /leaders option 'RUT'."),
        ("status please", "`/leaders status` takes nothing after it."),
        ("unsubscribe now", "`/leaders unsubscribe` takes nothing after it."),
    ],
)
def test_bad_input_gets_the_usage(stack: Stack, fake: FakeSlack, channel: str, text: str, problem: str) -> None:
    data = ack_usage(stack, fake, text, channel)
    assert data == usage_message(LEADERS_USAGE, problem).ack_args()
    assert data["blocks"][0] == {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: {problem}"}}
    assert SubscriptionStore(stack.services.engine).get("T0FAKE", channel) is None


# --------------------------------------------------------------------------- subscribe
def test_subscribe_default_time(stack: Stack, fake: FakeSlack, channel: str) -> None:
    text = ephemeral(stack, fake, "subscribe", channel)
    assert text == (
        "This channel will get the market-leadership summary after each NYSE session at 16:30 "
        "New York time (13:00-close days: also 16:30). First post: Mon, Sep 21, 2026 at 16:30."
    )
    sub = SubscriptionStore(stack.services.engine).get("T0FAKE", channel)
    assert sub is not None
    assert (sub.post_time.hour, sub.post_time.minute, sub.created_by, sub.created_at) == (16, 30, "U0TRADER", NOW)


def test_subscribe_12_hour_time_then_change_it(stack: Stack, fake: FakeSlack, channel: str) -> None:
    assert ephemeral(stack, fake, "subscribe 5:15 pm", channel) == (
        "This channel will get the market-leadership summary after each NYSE session at 17:15 "
        "New York time (13:00-close days: also 17:15). First post: Mon, Sep 21, 2026 at 17:15."
    )
    assert ephemeral(stack, fake, "subscribe 16:45", channel) == (
        "Updated (was 17:15, set by <@U0TRADER>): This channel will get the market-leadership summary after each "
        "NYSE session at 16:45 New York time (13:00-close days: also 16:45). First post: "
        "Mon, Sep 21, 2026 at 16:45."
    )
    # Subscribing again without a time keeps the channel's time.
    assert ephemeral(stack, fake, "subscribe", channel) == (
        "Already subscribed: This channel will get the market-leadership summary after each "
        "NYSE session at 16:45 New York time (13:00-close days: also 16:45). First post: "
        "Mon, Sep 21, 2026 at 16:45."
    )
    assert len(SubscriptionStore(stack.services.engine).all()) >= 1


@pytest.mark.parametrize(
    ("when", "sentence", "first"),
    [
        ("13:05", "at 16:15 New York time (13:00-close days: 13:15): the post never goes out "
         "before the close + 15 minutes, so 13:05 means 16:15 on normal days", "16:15"),
        ("14:00", "at 16:15 New York time (13:00-close days: also 14:00): the post never goes "
         "out before the close + 15 minutes, so 14:00 means 16:15 on normal days", "16:15"),
        ("9:30", "at 16:15 New York time (13:00-close days: 13:15): the post never goes out "
         "before the close + 15 minutes, so 09:30 means 16:15 on normal days", "16:15"),
        ("16:15", "at 16:15 New York time (13:00-close days: also 16:15)", "16:15"),
    ],
)
def test_subscribe_before_the_close_explains_close_plus_15(
    stack: Stack, fake: FakeSlack, channel: str, when: str, sentence: str, first: str
) -> None:
    assert ephemeral(stack, fake, f"subscribe {when}", channel) == (
        f"This channel will get the market-leadership summary after each NYSE session {sentence}. "
        f"First post: Mon, Sep 21, 2026 at {first}."
    )


def test_subscriptions_are_per_team_and_channel(stack: Stack, fake: FakeSlack, channel: str) -> None:
    ephemeral(stack, fake, "subscribe 17:00", channel)
    ephemeral(stack, fake, "subscribe 18:00", channel, team_id="T0OTHER")
    store = SubscriptionStore(stack.services.engine)
    a, b = store.get("T0FAKE", channel), store.get("T0OTHER", channel)
    assert a is not None and b is not None
    assert (a.post_time.hour, b.post_time.hour) == (17, 18)


# --------------------------------------------------------------------------- unsubscribe
def test_unsubscribe(stack: Stack, fake: FakeSlack, channel: str) -> None:
    assert ephemeral(stack, fake, "unsubscribe", channel) == (
        "This channel is not subscribed to the daily market-leadership summary, so there is "
        "nothing to stop."
    )
    ephemeral(stack, fake, "subscribe", channel)
    assert ephemeral(stack, fake, "unsubscribe", channel) == (
        "This channel will no longer get the daily market-leadership summary. "
        "`/leaders subscribe` turns it back on."
    )
    assert SubscriptionStore(stack.services.engine).get("T0FAKE", channel) is None


# --------------------------------------------------------------------------- status
def test_status_not_subscribed(stack: Stack, fake: FakeSlack, channel: str) -> None:
    assert ephemeral(stack, fake, "status", channel) == (
        "This channel is not subscribed to the daily market-leadership summary. "
        "`/leaders subscribe [HH:MM]` subscribes it (New York time, default 16:30)."
    )


def test_status_subscribed_then_posted(stack: Stack, fake: FakeSlack, channel: str) -> None:
    ephemeral(stack, fake, "subscribe", channel)
    assert ephemeral(stack, fake, "status", channel) == (
        "This channel gets the market-leadership summary after each NYSE session at 16:30 New "
        "York time (13:00-close days: also 16:30). Set up on Sep 21, 2026; last set by <@U0TRADER>.\n"
        "Last post: none yet.\n"
        "Next post: Mon, Sep 21, 2026 at 16:30 New York time."
    )
    svc = stack.services
    (sub,) = [s for s in SubscriptionStore(svc.engine).all_active() if s.channel_id == channel]
    post = DailyPost(date(2026, 9, 18), date(2026, 9, 17), "x", [{"type": "divider"}])
    out = deliver(svc.post_ledger, SlackSender(svc.slack_client()), svc.subscriptions, sub, post, worker_id="w",
                  now=ny(2026, 9, 18, 16, 30))
    assert out.status == "posted"
    text = ephemeral(stack, fake, "status", channel)
    assert text.splitlines()[1] == "Last post: the Sep 18, 2026 session, sent Sep 18, 2026 at 16:30 New York time."


def test_status_shows_channel_not_found_with_advice(stack: Stack, fake: FakeSlack, channel: str) -> None:
    ephemeral(stack, fake, "subscribe 17:00", channel)
    svc = stack.services
    (sub,) = [s for s in SubscriptionStore(svc.engine).all_active() if s.channel_id == channel]
    fake.fail_next("chat.postMessage", error="channel_not_found")
    post = DailyPost(date(2026, 9, 18), date(2026, 9, 17), "x", [{"type": "divider"}])
    out = deliver(svc.post_ledger, SlackSender(svc.slack_client()), svc.subscriptions, sub, post, worker_id="w",
                  now=ny(2026, 9, 18, 17, 0))
    assert (out.status, outcome_error(out)) == ("failed", "channel_not_found")
    assert ephemeral(stack, fake, "status", channel) == (
        "This channel gets the market-leadership summary after each NYSE session at 17:00 New "
        "York time (13:00-close days: also 17:00). Set up on Sep 21, 2026; last set by <@U0TRADER>.\n"
        "Last post: none yet.\n"
        ":warning: Posting here is failing since Sep 18, 2026 at 17:00 New York time: Slack says "
        "`channel_not_found`. Invite @streakbot to this channel (`/invite @streakbot`), then "
        "`/leaders subscribe` again."
    )
    # The advised fix: subscribe again.
    assert ephemeral(stack, fake, "subscribe", channel) == (
        "Already subscribed: This channel will get the market-leadership summary after each "
        "NYSE session at 17:00 New York time (13:00-close days: also 17:00). First post: "
        "Mon, Sep 21, 2026 at 17:00. The delivery problem (`channel_not_found`) is cleared; "
        "posts resume."
    )
    assert ephemeral(stack, fake, "status", channel).splitlines()[2] == (
        "Next post: Mon, Sep 21, 2026 at 17:00 New York time."
    )


# --------------------------------------------------------------------------- the summary now
def test_leaders_posts_the_latest_summary_in_channel(stack: Stack, fake: FakeSlack, channel: str) -> None:
    status, body, name = leaders(stack, fake, "", channel)
    assert (status, body) == (200, b"")
    payload = answer(fake, name)
    assert payload["response_type"] == "in_channel"
    note = "Data as of Sep 17, 2026: the latest NYSE session (Sep 18, 2026) is not in the data yet."
    assert payload["text"].startswith(
        note + "\n\nStocks rose: the S&P 500 gained 1.14% to 7,637.76.\n"
        "Closes on Thu, Sep 17, 2026: the S&P 500 +1.14% to 7,637.76"
    )
    assert payload["text"].endswith("· Source: CSV folder")  # a STREAKBOT_DATA_DIR, never its path
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Market leadership · Thu, Sep 17, 2026"},
    }
    assert payload["blocks"][1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f":information_source: {note}"}],
    }
    assert all(c.params.get("channel") != channel for c in fake.calls("chat.postMessage"))


def test_leaders_does_not_touch_subscriptions(stack: Stack, fake: FakeSlack, channel: str) -> None:
    _, _, name = leaders(stack, fake, "now", channel)
    assert answer(fake, name)["response_type"] == "in_channel"
    assert SubscriptionStore(stack.services.engine).get("T0FAKE", channel) is None
