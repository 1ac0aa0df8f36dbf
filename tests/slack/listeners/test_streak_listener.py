"""``/streak`` in process, like bolt-python's scenario tests: a signed request handed to
``app.dispatch`` of the real app, whose WebClient and ``response_url`` s point at FakeSlack.

The answers are deferred (:class:`slack_stack.Deferred`): each test sees the ack alone,
then runs the answer and checks exactly what reached Slack. Prices: the bundled closes
(the S&P 500 and the Russell 2000 end Sep 17, 2026); the clock is Monday Sep 21, 2026.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fakeslack import FakeSlack
from slack_harness import BOT_TOKEN, command_request, sign
from slack_stack import InProcess, in_process, in_process_fixtures

from bot.adapters.calendar import NyseCalendar
from bot.render.buttons import streak_actions
from bot.render.forward import forward_message
from bot.render.messages import STREAK_USAGE, streak_message, usage_message, with_actions
from bot.services.answers import streak_answer
from bot.services.forward import forward_answer
from bot.slack.background import run_in_background

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


slack, bot, _fresh = in_process_fixtures("streak", NOW)


def methods(slack: FakeSlack) -> list[str]:
    """The Web API methods called, without Bolt's one-time ``auth.test``."""
    return [c.method for c in slack.calls() if c.method != "auth.test"]


def test_acks_empty_then_answers_in_the_channel(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/streak", "RUT SPX", slack.response_url("a")))
    assert (response.status, response.body) == (200, "")
    assert methods(slack) == []  # nothing is sent before the ack
    assert bot.later.run() == ["/streak"]

    (call,) = slack.calls("response_url")
    assert call.path == "/response/a"
    answer = streak_answer(bot.services.market, "RUT", "SPX", now=NOW)
    expected = with_actions(streak_message(answer), streak_actions(answer.a, answer.b, answer.report.as_of.date()))
    assert call.json == expected.payload("in_channel")
    assert methods(slack) == ["response_url"]


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
def test_help_is_the_ack_itself(bot: InProcess, slack: FakeSlack, text: str) -> None:
    response = bot.app.dispatch(command_request("/streak", text, slack.response_url("h")))
    assert response.status == 200
    assert json.loads(response.body) == usage_message(STREAK_USAGE).ack_args()
    assert bot.later.pending == []
    assert methods(slack) == []


def test_bad_text_is_refused_in_the_ack(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/streak", "RUT SPX NDX", slack.response_url("b")))
    problem = "/streak takes one or two symbols, got 3: RUT SPX NDX."
    assert json.loads(response.body) == usage_message(STREAK_USAGE, problem).ack_args()
    assert bot.later.pending == []


def test_an_unknown_symbol_is_an_ephemeral_follow_up(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/streak", "RUT FOO", slack.response_url("u")))
    assert (response.status, response.body) == (200, "")
    bot.later.run()
    (call,) = slack.calls("response_url")
    assert call.json is not None and call.json["response_type"] == "ephemeral"
    assert "Unknown symbol 'FOO'" in call.json["text"] and "Usage:" in call.json["text"]


def test_the_chart_is_uploaded_to_the_channel_after_the_answer(bot: InProcess, slack: FakeSlack) -> None:
    bot.app.dispatch(command_request("/streak", "RUT SPX chart", slack.response_url("c")))
    bot.later.run()
    assert methods(slack) == [
        "response_url", "files.getUploadURLExternal", "upload", "files.completeUploadExternal",
    ]
    _, get_url, upload, complete = [c for c in slack.calls() if c.method != "auth.test"]
    assert upload.body.startswith(PNG_MAGIC)
    assert int(get_url.params["length"]) == len(upload.body)
    assert get_url.params["filename"] == "RUT-vs-GSPC-2026-09-17.png"
    assert complete.params.get("channel_id", complete.params.get("channel")) == "C0DESK"
    assert complete.token == BOT_TOKEN


def test_a_badly_signed_request_reaches_no_listener(bot: InProcess, slack: FakeSlack) -> None:
    request = command_request("/streak", "RUT SPX", slack.response_url("x"),
                              headers=sign("another body"))
    assert bot.app.dispatch(request).status == 401
    assert bot.later.pending == []
    assert slack.calls() == []


def test_on_the_answer_pool_the_answer_arrives(
    slack: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path
) -> None:
    """The production runner (bot.slack.background) instead of the deferred one."""
    with in_process(slack.base_url, data_dir, calendar, lambda: NOW, tmp_path / "app.sqlite3",
                    run_later=run_in_background) as made:
        response = made.app.dispatch(command_request("/streak", "SPX", slack.response_url("pool")))
        assert (response.status, response.body) == (200, "")
        (call,) = slack.wait_for_response("pool", timeout=15)
    assert call.json is not None and call.json["response_type"] == "in_channel"
    assert call.json["text"].startswith("The S&P 500 ")


def test_next_answers_what_happened_after_the_earlier_streaks(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(
        command_request("/streak", "RUT SPX 2026-01-22 next", slack.response_url("n"))
    )
    assert (response.status, response.body) == (200, "")
    assert bot.later.run() == ["/streak"]
    (call,) = slack.calls("response_url")
    expected = forward_message(forward_answer(bot.services.market, "RUT", "SPX", as_of=date(2026, 1, 22)))
    assert call.json == expected.payload("in_channel")
    assert call.json is not None
    assert call.json["text"].splitlines()[1].startswith(
        "May 3, 1996 (Apr 16 – May 7, 1996, 16 sessions): after 5 sessions +1.24% vs +1.63% (-0.39 pp)"
    )
    assert "Only one earlier case: 1996" in call.json["text"]


def test_next_for_one_symbol(bot: InProcess, slack: FakeSlack) -> None:
    response = bot.app.dispatch(command_request("/streak", "SPX next --as-of 2025-05-02", slack.response_url("n1")))
    assert (response.status, response.body) == (200, "")
    assert bot.later.run() == ["/streak"]
    (call,) = slack.calls("response_url")
    assert call.json is not None
    expected = forward_message(forward_answer(bot.services.market, "SPX", None, as_of=date(2025, 5, 2)))
    assert call.json == expected.payload("in_channel")
    assert call.json["text"].startswith("The S&P 500 has risen for 9 straight sessions (Apr 22 – May 2, 2025).")
