"""``/check``, ``@streakbot check:`` and the "Check figures" shortcut in process
(``app.dispatch`` of the real app, FakeSlack behind it).

Prices: the bundled closes (the S&P 500 ends Sep 17, 2026); the clock is Monday Sep 21, 2026.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from fakeslack import BOT_USER_ID, FakeSlack
from slack_harness import command_request, event_request, message_shortcut_request
from slack_stack import InProcess, in_process_fixtures

from bot.claims.check import check_text
from bot.render.claims import check_message
from bot.slack.listeners.check import CHECK_USAGE, SHORTCUT_ID, message_day, parse_check_text

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
NOTE = "The Russell 2000 has outperformed the S&P 500 for 10 straight sessions. Small caps rose 0.8% today."
JAN22_TS = "1769117400.000100"  # Jan 22, 2026 16:30 in New York
JAN22_LATE_TS = "1769142600.000100"  # 23:30 in New York, still Jan 22 (04:30 UTC on Jan 23)


slack, bot, _fresh = in_process_fixtures("check", NOW)


def expected(bot: InProcess, text: str, day: date) -> dict[str, object]:
    return check_message(check_text(bot.services.market, text, day)).payload("ephemeral")


def test_check_answers_the_asker_only(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/check", f"--as-of 2026-01-22 {NOTE}", slack.response_url("c")))
    assert (response.status, response.body) == (200, "")
    assert bot.later.run() == ["/check"]
    (call,) = slack.calls("response_url")
    assert call.json == expected(bot, NOTE, date(2026, 1, 22))
    assert call.json is not None
    assert call.json["text"].splitlines()[0] == "Checked 2 claims as of the Jan 22, 2026 close: 1 true, 1 false."
    assert "false: 14 sessions, not 10" in call.json["text"]


def test_check_public_posts_in_the_channel(bot: InProcess, slack: FakeSlack) -> None:
    bot.app.dispatch(command_request("/check", f"public --as-of 2026-01-22 {NOTE}", slack.response_url("p")))
    bot.later.run()
    (call,) = slack.calls("response_url")
    assert call.json is not None and call.json["response_type"] == "in_channel"
    assert call.json["text"] == expected(bot, NOTE, date(2026, 1, 22))["text"]


def test_check_is_dated_today_by_default(bot: InProcess, slack: FakeSlack) -> None:
    bot.app.dispatch(command_request("/check", "The S&P 500 rose 0.5% today.", slack.response_url("t")))
    bot.later.run()
    (call,) = slack.calls("response_url")
    assert call.json is not None
    assert call.json["text"].splitlines()[0] == ("Checked 1 claim as of Sep 21, 2026 (data as of Sep 17, 2026): "
                                                 "0 true, 0 false, 1 cannot be checked.")


@pytest.mark.parametrize("text", ["", "help", "public"])
def test_check_without_a_note_gets_the_usage(bot: InProcess, slack: FakeSlack, text: str) -> None:
    response = bot.app.dispatch(command_request("/check", text, slack.response_url("u")))
    body = json.loads(response.body)
    assert body["response_type"] == "ephemeral"
    assert body["blocks"][-1]["text"]["text"] == CHECK_USAGE
    assert bot.later.pending == []


def test_a_bad_date_is_explained_in_the_ack(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/check", "--as-of 2026-02-30 The Dow rose 1%.",
                                                slack.response_url("d")))
    body = json.loads(response.body)
    assert body["response_type"] == "ephemeral" and "2026-02-30" in body["text"]
    assert bot.later.pending == []


def test_shortcut_checks_the_message_as_of_its_own_date(bot: InProcess, slack: FakeSlack) -> None:
    message = {"user": "U0WRITER", "text": NOTE, "ts": JAN22_LATE_TS}
    response = bot.app.dispatch(message_shortcut_request(SHORTCUT_ID, message, slack.response_url("s")))
    assert response.status == 200
    assert bot.later.run() == ["the Check figures shortcut"]
    (call,) = slack.calls("response_url")
    assert call.json == expected(bot, NOTE, date(2026, 1, 22))
    assert [c.method for c in slack.calls() if c.method not in ("auth.test", "response_url")] == []


def test_shortcut_without_a_response_url_answers_ephemerally(bot: InProcess, slack: FakeSlack) -> None:
    message = {"user": "U0WRITER", "text": NOTE, "ts": JAN22_TS}
    bot.app.dispatch(message_shortcut_request(SHORTCUT_ID, message, None))
    bot.later.run()
    (call,) = slack.calls("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == ("C0DESK", "U0EDITOR")
    assert call.params["text"] == expected(bot, NOTE, date(2026, 1, 22))["text"]


def test_mention_check_is_answered_in_the_thread(bot: InProcess, slack: FakeSlack) -> None:
    event = {"type": "app_mention", "user": "U0TRADER", "text": f"<@{BOT_USER_ID}> check: {NOTE}",
             "ts": JAN22_TS, "channel": "C0DESK"}
    bot.app.dispatch(event_request(event, event_id="EvCheck1"))
    bot.later.run()
    (post,) = slack.calls("chat.postMessage")
    assert post.params["thread_ts"] == JAN22_TS
    assert post.params["text"] == expected(bot, NOTE, date(2026, 1, 22))["text"]


def test_parse_check_text() -> None:
    args = parse_check_text("public as of 2026-01-22: The Dow rose 1%.")
    assert (args.public, args.as_of, args.text, args.help) == (True, date(2026, 1, 22), "The Dow rose 1%.", False)
    assert parse_check_text("  ").help


def test_message_day_is_new_york_time() -> None:
    assert message_day(JAN22_LATE_TS, NOW) == date(2026, 1, 22)
    assert message_day("not a ts", NOW) == date(2026, 9, 21)
