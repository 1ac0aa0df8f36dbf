"""Mentions and direct messages in process (``app.dispatch`` of the real app, FakeSlack
behind it), and the event ledger between Slack's retries.

Prices: the bundled closes (the S&P 500 ends Sep 17, 2026); the clock, Monday Sep 21,
2026 15:00 UTC, is moved by the lease tests.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakeslack import BOT_USER_ID, FakeSlack
from slack_harness import event_request
from slack_stack import InProcess, in_process

from bot.adapters.calendar import NyseCalendar
from bot.store.events import LEASE

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
AT_A_RECORD = "2.07% below its record close of 7,798.99"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def bot(slack: FakeSlack, data_dir: Path, calendar: NyseCalendar, clock: Clock,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    db = tmp_path_factory.mktemp("questions") / "app.sqlite3"
    with in_process(slack.base_url, data_dir, calendar, clock, db) as made:
        yield made


@pytest.fixture(autouse=True)
def _fresh(slack: FakeSlack, bot: InProcess, clock: Clock) -> Iterator[None]:
    slack.reset()
    clock.now = NOW
    yield
    assert bot.later.pending == []
    assert slack.errors == []


_ids = itertools.count(1)


def mention(text: str, **extra: Any) -> dict[str, Any]:
    n = next(_ids)
    return {"type": "app_mention", "user": "U0TRADER", "text": f"<@{BOT_USER_ID}> {text}",
            "ts": f"1767600000.{n:06d}", "channel": "C0DESK", **extra}


def dm(text: str, **extra: Any) -> dict[str, Any]:
    n = next(_ids)
    return {"type": "message", "channel_type": "im", "user": "U0TRADER", "text": text,
            "ts": f"1767600001.{n:06d}", "channel": "D0DM", **extra}


def posts(slack: FakeSlack) -> list[dict[str, Any]]:
    """What the bot posted: (channel, thread, text) of each chat.postMessage."""
    return [{"channel": c.params["channel"], "thread_ts": c.params.get("thread_ts"), "text": c.params["text"]}
            for c in slack.calls("chat.postMessage")]


def test_a_mention_is_answered_in_its_thread(bot: InProcess, slack: FakeSlack) -> None:
    event = mention("is the S&P at a record?")
    response = bot.app.dispatch(event_request(event, event_id="EvM1"))
    assert (response.status, response.body) == (200, "")
    assert slack.calls("chat.postMessage") == []
    assert bot.later.run() == ["a mention"]
    (post,) = posts(slack)
    assert (post["channel"], post["thread_ts"]) == ("C0DESK", event["ts"])
    assert AT_A_RECORD in post["text"]
    assert [c.method for c in slack.calls() if c.method != "auth.test"] == ["chat.postMessage"]


def test_a_direct_message_is_answered_in_the_conversation(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(event_request(dm("how far is the nasdaq below its record?"), event_id="EvD1"))
    assert (response.status, response.body) == (200, "")
    assert bot.later.run() == ["a direct message"]
    (post,) = posts(slack)
    assert (post["channel"], post["thread_ts"]) == ("D0DM", None)
    assert "Nasdaq Composite" in post["text"] and "below its record close" in post["text"]


@pytest.mark.parametrize("event", [
    dm("The S&P 500 closed at a record", user=BOT_USER_ID),  # ours, no bot_id: Bolt drops it
    dm("how far is the nasdaq below its record?", user=None, bot_id="B0OTHER", subtype="bot_message"),
    dm("an edit", subtype="message_changed"),
    {**mention("is the S&P at a record?"), "channel_type": "channel", "type": "message"},  # not a DM
])
def test_messages_that_are_not_questions_are_left_alone(
    bot: InProcess, slack: FakeSlack, event: dict[str, Any]
) -> None:
    response = bot.app.dispatch(event_request(event, event_id=f"EvIgnored{next(_ids)}"))
    assert response.status == 200
    assert bot.later.pending == []
    assert slack.calls("chat.postMessage") == []


def test_a_retry_of_an_answered_event_is_dropped(bot: InProcess, slack: FakeSlack, clock: Clock) -> None:
    event = mention("is the S&P at a record?")
    bot.app.dispatch(event_request(event, event_id="EvR1"))
    bot.later.run()
    clock.now += LEASE * 10
    response = bot.app.dispatch(event_request(event, event_id="EvR1", retry_num=1))
    assert response.status == 200
    assert bot.later.pending == []
    assert len(posts(slack)) == 1


def test_a_claim_whose_answer_never_came_lets_a_later_retry_through(
    bot: InProcess, slack: FakeSlack, clock: Clock
) -> None:
    """The process died after claiming the event (its answer never ran): the retry within
    the lease is dropped, the one after it is answered, once."""
    event = mention("is the S&P at a record?")
    bot.app.dispatch(event_request(event, event_id="EvCrash"))
    assert bot.later.pending != []
    bot.later.pending.clear()  # the crash: the answer is never sent

    clock.now += timedelta(seconds=5)
    bot.app.dispatch(event_request(event, event_id="EvCrash", retry_num=1))
    assert bot.later.pending == []

    clock.now += LEASE
    response = bot.app.dispatch(event_request(event, event_id="EvCrash", retry_num=2))
    assert response.status == 200
    assert bot.later.run() == ["a mention"]
    (post,) = posts(slack)
    assert post["thread_ts"] == event["ts"] and AT_A_RECORD in post["text"]

    clock.now += LEASE * 10  # answered now: even a late retry is dropped
    bot.app.dispatch(event_request(event, event_id="EvCrash", retry_num=3))
    assert bot.later.pending == []
