"""A button click over signed HTTP: the real endpoint acks within Slack's 3 s and the answer
arrives on the action's ``response_url`` at the fake Slack."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fakeslack import FakeSlack
from slack_harness import send_block_action, send_command
from slack_stack import Stack, app_on_loopback, make_data_dir, slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.render.buttons import button_value

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        yield f


@pytest.fixture(scope="module")
def stack(fake: FakeSlack, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("buttons")
    with app_on_loopback(slack_settings(fake.base_url, make_data_dir(tmp / "d")), calendar, lambda: NOW,
                         tmp / "e.sqlite3") as s:
        yield s


def test_the_history_button_of_a_streak_answer(stack: Stack, fake: FakeSlack) -> None:
    send_command(stack.base_url, "/streak", "RUT SPX --as-of 2026-01-22", fake.response_url("ans"))
    (answer,) = fake.wait_for_response("ans")
    assert answer.json is not None
    history = next(b for b in answer.json["blocks"][-1]["elements"] if b["action_id"] == "streak_history")
    assert history["value"] == button_value(["^RUT", "^GSPC"], date(2026, 1, 22))
    status, body, elapsed = send_block_action(stack.base_url, "streak_history", history["value"],
                                              fake.response_url("hist"))
    assert (status, body) == (200, b"") and elapsed < 3
    (reply,) = fake.wait_for_response("hist")
    assert reply.json is not None
    assert "  1. 16 sessions, Apr 16 – May 7, 1996: +3.64% vs -0.66%" in reply.json["text"].splitlines()
