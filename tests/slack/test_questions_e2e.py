"""Plain-word questions end to end: a signed event in, one chat.postMessage with the right numbers out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakeslack import FakeSlack
from slack_harness import send_event
from slack_stack import Stack, app_on_loopback, make_data_dir, slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.slack.background import drain

# Monday 11:00 in New York; the S&P 500 and the Russell 2000 end Sep 17, 2026, the Dow Aug 21.
NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        yield f


@pytest.fixture(scope="module")
def stack(
    fake: FakeSlack, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("q")
    settings = slack_settings(fake.base_url, make_data_dir(tmp / "data"))
    with app_on_loopback(settings, calendar, lambda: NOW, tmp / "events.sqlite3") as s:
        yield s


_counter = iter(range(10_000))


def ask(stack: Stack, fake: FakeSlack, text: str, *, kind: str = "app_mention",
        channel_type: str | None = None, event_id: str | None = None,
        retry_num: int | None = None, **extra: str) -> str:
    """Send one event and return the text of the one message the bot posted."""
    n = next(_counter)
    before = len(fake.calls("chat.postMessage"))
    event = {"type": kind, "user": "U0TRADER", "text": text, "ts": f"1767600000.{n:06d}",
             "channel": "D0DM" if channel_type == "im" else "C0DESK", **extra}
    if channel_type:
        event["channel_type"] = channel_type
    status, _, elapsed = send_event(stack.base_url, event, event_id=event_id or f"Ev{n}",
                                    retry_num=retry_num)
    assert status == 200 and elapsed < 3
    calls = fake.wait_for("chat.postMessage", before + 1)
    post = calls[before]
    assert post.params["channel"] == event["channel"]
    return str(post.params["text"])


def test_record_count_in_a_year_is_answered_in_a_thread(stack: Stack, fake: FakeSlack) -> None:
    before = len(fake.calls("chat.postMessage"))
    text = ask(stack, fake, "<@U0BOT> How many record closes did the S&P 500 set in 2021?")
    assert "The S&P 500 has set 70 record closes in 2021." in text
    assert "^GSPC" in text and "as of the Sep 17, 2026 close" in text
    assert "Source: CSV folder" in text and "/" not in text.rsplit("Source:", 1)[1]
    post = fake.calls("chat.postMessage")[before]
    assert post.params["thread_ts"].startswith("1767600000.")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("<@U0BOT> how many all-time highs did the s&amp;p set in 2024", "57 record closes in 2024"),
        ("<@U0BOT> record closes for the S&P in 2023?", "0 record closes in 2023"),
        ("<@U0BOT> how many records has the russell had since 2020 :chart_with_upwards_trend:",
         "The Russell 2000 has set 68 record closes since the start of 2020"),
        ("<@U0BOT> when was the last record close for small caps?",
         "The Russell 2000's last record close was 3,068.42 on Aug 14, 2026"),
        ("<@U0BOT> is the S&P at a record?", "2.07% below its record close of 7,798.99"),
        ("<@U0BOT> was the russell at a record on Sep 18 2025",
         "first closing record high of 2025"),
        ("<@U0BOT> are small caps beating large caps?",
         "The S&P 500 outperformed the Russell 2000 on Sep 17, 2026, +1.14% vs +0.55%."),
        ("<@U0BOT> longest streak of small caps beating the S&P ever",
         "Russell 2000 beating the S&P 500 in the data: 16 sessions (Apr 16 – May 7, 1996)"),
        ("<@U0BOT> is the dow on a winning streak?",
         "The Dow Jones Industrial Average rose on Aug 21, 2026, +0.98%."),
    ],
)
def test_questions_get_the_same_numbers_as_the_commands(
    stack: Stack, fake: FakeSlack, question: str, expected: str
) -> None:
    assert expected in ask(stack, fake, question)


def test_direct_message_is_answered(stack: Stack, fake: FakeSlack) -> None:
    text = ask(stack, fake, "how far is the nasdaq below its record?", kind="message", channel_type="im")
    assert "Nasdaq Composite" in text and "below its record close" in text


def test_not_understood_gets_three_examples_and_the_commands(stack: Stack, fake: FakeSlack) -> None:
    text = ask(stack, fake, "<@U0BOT> what's for lunch? 🍕")
    assert text.startswith("Sorry, I didn't understand that question.")
    assert text.count("• ") == 3
    assert "/streak RUT SPX" in text and "/records SPX" in text


def test_this_year_is_answered_with_a_data_as_of_note(stack: Stack, fake: FakeSlack) -> None:
    text = ask(stack, fake, "<@U0BOT> how many record closes has the Russell had this year?")
    assert "The Russell 2000 has set 29 record closes in 2026" in text
    assert "Data as of Sep 17, 2026: the latest NYSE session (Sep 18, 2026) is not in the data yet." in text


def test_slack_retry_of_the_same_event_is_answered_once(stack: Stack, fake: FakeSlack) -> None:
    ask(stack, fake, "<@U0BOT> is the S&P at a record?", event_id="EvRETRY")
    before = len(fake.calls("chat.postMessage"))
    status, _, _ = send_event(
        stack.base_url,
        {"type": "app_mention", "user": "U0TRADER", "text": "<@U0BOT> is the S&P at a record?",
         "ts": "1767600000.999999", "channel": "C0DESK"},
        event_id="EvRETRY", retry_num=1,
    )
    assert status == 200
    assert drain()  # barrier: an answer to the retry would have been posted by now
    assert len(fake.calls("chat.postMessage")) == before


def test_bot_messages_are_ignored(stack: Stack, fake: FakeSlack) -> None:
    before = len(fake.calls("chat.postMessage"))
    for event in (
        {"type": "message", "channel_type": "im", "channel": "D0DM", "bot_id": "B0OTHER",
         "subtype": "bot_message", "text": "how far is the nasdaq below its record?", "ts": "1.1"},
        {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0BOT",
         "bot_id": "B0BOT", "text": "The S&P 500 closed at a record", "ts": "1.2"},
    ):
        status, _, _ = send_event(stack.base_url, event, event_id=f"EvBot{event['ts']}")
        assert status == 200
    assert drain()  # barrier: an answer to either would have been posted by now
    assert len(fake.calls("chat.postMessage")) == before


def test_data_dir_is_the_only_price_data(stack: Stack, tmp_path: Path) -> None:
    assert stack.services.read_only_prices
    assert sorted(stack.services.market.available()) == ["SPY", "^DJI", "^GSPC", "^IXIC", "^RUT"]
