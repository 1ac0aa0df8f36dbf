"""The buttons on ``/streak`` and ``/records`` answers, in process (``app.dispatch`` of a
signed ``block_actions`` request, FakeSlack behind it).

Figures checked against the CSVs with an independent pandas scan of the runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fakeslack import FakeSlack
from slack_harness import block_actions_request, command_request
from slack_stack import InProcess, in_process_fixtures

from bot.render.buttons import button_value

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
slack, bot, _fresh = in_process_fixtures("buttons", NOW)
JAN22 = button_value(["^RUT", "^GSPC"], date(2026, 1, 22))


def click(bot: InProcess, slack: FakeSlack, action_id: str, value: str, name: str) -> dict[str, object]:
    response = bot.app.dispatch(block_actions_request(action_id, value, slack.response_url(name)))
    assert response.status == 200
    assert bot.later.run() == [f"the {action_id} button"]
    calls = slack.calls("response_url")
    assert len(calls) <= 1
    return calls[0].json if calls and calls[0].json is not None else {}


def test_streak_answers_carry_three_buttons_with_what_they_need(bot: InProcess, slack: FakeSlack) -> None:
    bot.app.dispatch(command_request("/streak", "RUT SPX --as-of 2026-01-22", slack.response_url("s")))
    bot.later.run()
    (call,) = slack.calls("response_url")
    assert call.json is not None
    actions = call.json["blocks"][-1]
    assert actions["type"] == "actions"
    assert [(b["action_id"], b["text"]["text"]) for b in actions["elements"]] == [
        ("streak_chart", "Chart"), ("streak_next", "What happened next"), ("streak_history", "History")]
    assert {b["value"] for b in actions["elements"]} == {JAN22}


def test_history_lists_each_sides_longest_streaks(bot: InProcess, slack: FakeSlack) -> None:
    answer = click(bot, slack, "streak_history", JAN22, "h")
    lines = str(answer["text"]).splitlines()
    assert answer["response_type"] == "in_channel"
    assert lines[0] == "Longest streaks, Russell 2000 vs S&P 500, through Jan 22, 2026:"
    assert lines[1] == "Russell 2000 ahead of S&P 500:"
    assert lines[2] == "  1. 16 sessions, Apr 16 – May 7, 1996: +3.64% vs -0.66%"
    assert lines[3].startswith("  2. 14 sessions, Jan 2 – Jan 22, 2026: +9.54% vs +0.99%")
    assert lines[4].startswith("  3. 13 sessions, May 20 – Jun 6, 2008:")
    assert lines[7] == "S&P 500 ahead of Russell 2000:"
    assert lines[8] == "  1. 13 sessions, Nov 12 – Dec 1, 2021: -2.93% vs -10.86%"


def test_what_happened_next_after_the_one_earlier_case(bot: InProcess, slack: FakeSlack) -> None:
    answer = click(bot, slack, "streak_next", JAN22, "n")
    text = str(answer["text"])
    assert answer["response_type"] == "in_channel"
    # 1996: the streak reached 14 sessions on May 3; 63 sessions later -6.47% vs +3.25%
    assert "May 3, 1996 (Apr 16 – May 7, 1996, 16 sessions)" in text
    assert "63 sessions -6.47% vs +3.25% (-9.72 pp)" in text


def test_by_year_counts_record_closes(bot: InProcess, slack: FakeSlack) -> None:
    answer = click(bot, slack, "records_by_year", button_value(["^GSPC"], date(2025, 12, 31)), "y")
    lines = str(answer["text"]).splitlines()
    assert lines[0] == "S&P 500 record closes per year, through Dec 31, 2025:"
    assert {"  2021: 70", "  2022: 1", "  2023: 0", "  2024: 57", "  2025: 39"} <= set(lines)


@pytest.mark.parametrize(("action_id", "value"), [
    ("streak_chart", JAN22), ("records_chart", button_value(["^RUT"], date(2026, 1, 22)))])
def test_chart_buttons_upload_a_png_to_the_channel(bot: InProcess, slack: FakeSlack, action_id: str,
                                                   value: str) -> None:
    assert click(bot, slack, action_id, value, "c") == {}  # the chart is the answer
    (done,) = slack.calls("files.completeUploadExternal")
    assert done.params["channel_id"] == "C0DESK"
    assert slack.calls("files.getUploadURLExternal")


def test_a_button_value_it_cannot_read_is_explained_to_the_clicker(bot: InProcess, slack: FakeSlack) -> None:
    answer = click(bot, slack, "streak_history", "{not json", "bad")
    assert answer["response_type"] == "ephemeral"
    assert "older message" in str(answer["text"])
