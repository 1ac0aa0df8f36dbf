"""``/alerts`` in process (``app.dispatch`` of the real app, FakeSlack behind it).

Prices: the bundled closes of the indices and SPY; the clock is Monday Sep 21, 2026.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fakeslack import FakeSlack
from slack_harness import command_request
from slack_stack import InProcess, in_process_fixtures

from bot.render.alerts import ALERTS_USAGE
from bot.render.messages import usage_message
from bot.slack.listeners.alerts import AlertsArgs, parse_alerts_text

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)

slack, bot, _fresh = in_process_fixtures("alerts", NOW)


def _ask(bot: InProcess, slack: FakeSlack, text: str, channel: str) -> dict[str, Any]:
    slack.reset()
    response = bot.app.dispatch(command_request("/alerts", text, slack.response_url(channel), channel_id=channel))
    assert (response.status, response.body) == (200, "")
    assert bot.later.run() == ["/alerts"]
    (call,) = slack.calls("response_url")
    assert call.json is not None and call.json["response_type"] == "ephemeral"
    return call.json


def test_parse() -> None:
    assert parse_alerts_text("") == AlertsArgs("status")
    assert parse_alerts_text("ADD rut vs spx") == AlertsArgs("add", ("rut", "spx"))
    assert parse_alerts_text("remove RUT/SPX") == AlertsArgs("remove", ("RUT", "SPX"))
    assert parse_alerts_text("add NDX") == AlertsArgs("add", ("NDX",))
    assert parse_alerts_text("threshold 12") == AlertsArgs("threshold", threshold=12)


def test_on_add_threshold_then_status_shows_it_all(bot: InProcess, slack: FakeSlack) -> None:
    ch = "C0ALERT1"
    assert "Alerts are off" in _ask(bot, slack, "status", ch)["text"]
    on = _ask(bot, slack, "on", ch)["text"]
    assert on.startswith("Alerts are on: after each NYSE close")
    assert len(slack.calls("conversations.info")) == 1
    assert _ask(bot, slack, "on", ch)["text"] == "Alerts were already on here."
    assert _ask(bot, slack, "add DJIA vs SPY", ch)["text"] == (
        "Watching streaks of Dow Jones Industrial Average vs SPDR S&P 500 ETF (SPY) here."
    )
    assert _ask(bot, slack, "remove RUT SPX", ch)["text"] == (
        "No longer watching streaks of Russell 2000 vs S&P 500 here."
    )
    assert _ask(bot, slack, "threshold 12", ch)["text"].startswith("Threshold set: a streak is told the day it reaches 12")

    stored = bot.services.alert_store.get("T0FAKE", ch)
    assert (stored.enabled, stored.threshold, stored.updated_by) == (True, 12, "U0TRADER")
    assert (stored.pairs_added, stored.pairs_removed) == (("^DJI|SPY",), ("^GSPC|^RUT",))

    lines = _ask(bot, slack, "status", ch)["text"].splitlines()
    assert lines[0].startswith("Alerts are on in this channel")
    assert lines[1] == "Threshold: 12 sessions (/alerts threshold N)."
    assert lines[2].startswith("Streaks watched (22): S&P 500 vs Nasdaq 100, ")
    assert "S&P 500 vs Russell 2000" not in lines[2]
    assert lines[2].endswith(", Dow Jones Industrial Average vs SPDR S&P 500 ETF (SPY).")
    assert lines[3] == ("Record closes watched: S&P 500, Nasdaq 100, Nasdaq Composite, "
                        "Dow Jones Industrial Average, Russell 2000.")
    assert lines[4] == "Added to the defaults: Dow Jones Industrial Average vs SPDR S&P 500 ETF (SPY)."
    assert lines[5] == "Defaults removed: S&P 500 vs Russell 2000."
    assert lines[6] == "Last alert: none yet."

    assert _ask(bot, slack, "off", ch)["text"] == "Alerts are off in this channel."
    assert bot.services.alert_store.all_enabled() == []


def test_record_watch_refuses_adjusted_closes(bot: InProcess, slack: FakeSlack) -> None:
    text = _ask(bot, slack, "add SPY", "C0ALERT2")["text"]
    assert "dividend-adjusted closes, which are not traded prices" in text
    assert bot.services.alert_store.get("T0FAKE", "C0ALERT2").version == 0


def test_unknown_symbol_is_named(bot: InProcess, slack: FakeSlack) -> None:
    text = _ask(bot, slack, "add RUT ZZZZZZ", "C0ALERT3")["text"]
    assert "ZZZZZZ" in text


@pytest.mark.parametrize(("text", "problem"), [
    ("threshold 1", "`/alerts threshold` takes a number of sessions from 2 to 250."),
    ("add RUT SPX NDX", "`/alerts add` takes one symbol (records) or two (a pair), got 3."),
    ("louder", "Unknown /alerts option 'louder'."),
])
def test_bad_input_gets_the_usage_in_the_ack(bot: InProcess, slack: FakeSlack, text: str, problem: str) -> None:
    response = bot.app.dispatch(command_request("/alerts", text, slack.response_url("bad")))
    assert json.loads(response.body) == usage_message(ALERTS_USAGE, problem).ack_args()
    assert bot.later.pending == []
