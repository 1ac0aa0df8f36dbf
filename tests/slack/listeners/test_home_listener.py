"""The App Home tab in process: ``app_home_opened`` in, one ``views.publish`` out.

Prices: the bundled closes (the S&P 500 ends Sep 17, 2026); the clock is Monday Sep 21, 2026.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from datetime import time as dtime

from fakeslack import FakeSlack
from slack_harness import event_request
from slack_stack import InProcess, in_process_fixtures

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
slack, bot, _fresh = in_process_fixtures("home", NOW)


def opened(tab: str = "home") -> dict[str, str]:
    return {"type": "app_home_opened", "user": "U0TRADER", "channel": "D0TRADER", "tab": tab,
            "event_ts": "1767625200.000300"}


def test_home_tab_shows_the_lead_and_this_workspaces_subscriptions(bot: InProcess, slack: FakeSlack) -> None:
    subs = bot.services.subscriptions
    subs.subscribe("T0FAKE", "C0DESK", dtime(16, 30), "U0TRADER", NOW)
    subs.subscribe("T0OTHER", "C0ELSE", dtime(17, 0), "U0X", NOW)
    bot.services.alert_store.turn_on("T0FAKE", "C0ALERTS", "U0TRADER", NOW)
    response = bot.app.dispatch(event_request(opened(), event_id="EvHome1"))
    assert response.status == 200
    assert slack.calls("views.publish") == []  # built after the ack
    assert bot.later.run() == ["the App Home tab"]
    (call,) = slack.calls("views.publish")
    assert call.params["user_id"] == "U0TRADER"
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert texts[0] == "*Latest session in the data:* Sep 17, 2026"
    assert texts[1].startswith("*Today's lead:* ")
    assert "<#C0DESK> at 16:30 New York time" in texts
    assert not any("C0ELSE" in t for t in texts)  # another workspace's channel
    assert any(t.startswith("<#C0ALERTS>: on, streaks from 10 sessions") for t in texts)


def test_the_messages_tab_publishes_nothing(bot: InProcess, slack: FakeSlack) -> None:
    bot.app.dispatch(event_request(opened("messages"), event_id="EvHome2"))
    assert bot.later.run() == []
    assert slack.calls("views.publish") == []
