"""``/records`` in process (``app.dispatch`` of the real app, FakeSlack behind it).

Prices: the bundled closes (the S&P 500 ends Sep 17, 2026); the clock is Monday Sep 21, 2026.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from fakeslack import FakeSlack
from slack_harness import command_request
from slack_stack import InProcess, in_process_fixtures

from bot.render.buttons import records_actions
from bot.render.messages import RECORDS_USAGE, records_message, usage_message, with_actions
from bot.render.record_forward import record_forward_message
from bot.services.answers import records_answer
from bot.services.record_forward import record_forward_answer

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


slack, bot, _fresh = in_process_fixtures("records", NOW)


def test_records_for_a_year_in_the_channel(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/records", "SPX 2024", slack.response_url("y")))
    assert (response.status, response.body) == (200, "")
    assert slack.calls("response_url") == []
    assert bot.later.run() == ["/records"]
    (call,) = slack.calls("response_url")
    ans = records_answer(bot.services.market, "SPX", year=2024, now=NOW)
    expected = with_actions(records_message(ans), records_actions(ans.symbol, ans.summary.as_of.date()))
    assert call.json == expected.payload("in_channel")
    assert expected.text.startswith("The S&P 500 set 57 record closes in 2024 (Jan 19, 22, 23, 24, 25, 29;")
    assert expected.blocks[0]["text"]["text"].startswith("*The S&amp;P 500 set 57 record closes in 2024 (")
    assert [c.method for c in slack.calls() if c.method != "auth.test"] == ["response_url"]


def test_dividend_adjusted_closes_are_refused_for_the_asker_only(bot: InProcess, slack: FakeSlack) -> None:
    bot.app.dispatch(command_request("/records", "SPY", slack.response_url("spy")))
    bot.later.run()
    (call,) = slack.calls("response_url")
    assert call.json is not None and call.json["response_type"] == "ephemeral"
    assert "dividend-adjusted" in call.json["text"]


def test_two_symbols_get_the_usage_in_the_ack(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/records", "SPX RUT", slack.response_url("two")))
    problem = "/records takes one symbol, got 2: SPX RUT."
    assert json.loads(response.body) == usage_message(RECORDS_USAGE, problem).ack_args()
    assert bot.later.pending == []
    assert slack.calls("response_url") == []


def test_records_next_answers_what_followed_the_earlier_comeback_records(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/records", "RUT next --as-of 2025-09-18", slack.response_url("n")))
    assert (response.status, response.body) == (200, "")
    assert bot.later.run() == ["/records"]
    (call,) = slack.calls("response_url")
    expected = record_forward_message(record_forward_answer(bot.services.market, "RUT", as_of=date(2025, 9, 18)))
    assert call.json == expected.payload("in_channel")
    assert call.json is not None
    # pandas: first record since Nov 8, 2021 (967 sessions strictly between); 9 earlier ones.
    assert call.json["text"].startswith(
        "The Russell 2000 closed at a record on Sep 18, 2025, its first since Nov 8, 2021 (967 sessions "
        "between). What happened next after the 9 earlier first records in 250 or more sessions")
    assert call.json["text"].splitlines()[1].startswith(
        "Jun 2, 1989 (first since Oct 5, 1987, 419 sessions between): after 5 sessions -0.02%; 21 sessions -3.35%")
    assert call.json["blocks"][0]["text"]["text"].startswith("*The Russell 2000 closed at a record on Sep 18, 2025")


def test_records_next_with_a_year_gets_the_usage(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/records", "RUT 2021 next", slack.response_url("ny")))
    problem = "/records SYMBOL next takes no year: use --as-of DATE for a past session."
    assert json.loads(response.body) == usage_message(RECORDS_USAGE, problem).ack_args()
    assert bot.later.pending == []


def test_a_records_answer_on_a_comeback_record_says_what_followed(bot: InProcess, slack: FakeSlack) -> None:
    bot.app.dispatch(command_request("/records", "RUT --as-of 2025-09-18", slack.response_url("c")))
    assert bot.later.run() == ["/records"]
    (call,) = slack.calls("response_url")
    assert call.json is not None
    # pandas: the 9 earlier 21-session returns have median +2.72% (Oct 16, 1991), 6 of 9 higher.
    assert call.json["text"].splitlines()[2] == (
        "After the 9 earlier first records in 250 or more sessions, the Russell 2000 rose by a median "
        "of 2.72% over the next 21 sessions, higher in 6 of 9.")
