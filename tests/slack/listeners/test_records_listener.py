"""``/records`` in process (``app.dispatch`` of the real app, FakeSlack behind it).

Prices: the bundled closes (the S&P 500 ends Sep 17, 2026); the clock is Monday Sep 21, 2026.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fakeslack import FakeSlack
from slack_harness import command_request
from slack_stack import InProcess, in_process_fixtures

from bot.render.buttons import records_actions
from bot.render.messages import RECORDS_USAGE, records_message, usage_message, with_actions
from bot.services.answers import records_answer

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
