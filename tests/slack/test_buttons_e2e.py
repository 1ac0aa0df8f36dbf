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


def _buttons(stack: Stack, fake: FakeSlack, command: str, text: str, name: str) -> dict[str, str]:
    send_command(stack.base_url, command, text, fake.response_url(name))
    (answer,) = fake.wait_for_response(name)
    assert answer.json is not None
    return {b["action_id"]: b["value"] for b in answer.json["blocks"][-1]["elements"]}


def test_what_happened_next_and_by_year_over_http(stack: Stack, fake: FakeSlack) -> None:
    streak = _buttons(stack, fake, "/streak", "RUT SPX --as-of 2026-01-22", "s2")
    assert send_block_action(stack.base_url, "streak_next", streak["streak_next"], fake.response_url("nx"))[:2] \
        == (200, b"")
    (nxt,) = fake.wait_for_response("nx")
    assert nxt.json is not None
    # 1996: the run reached 14 sessions on May 3; 63 sessions later -6.47% vs +3.25%.
    assert "63 sessions -6.47% vs +3.25% (-9.72 pp)" in nxt.json["text"]

    records = _buttons(stack, fake, "/records", "SPX 2024", "r2")
    assert set(records) == {"records_chart", "records_by_year"}
    assert send_block_action(stack.base_url, "records_by_year", records["records_by_year"],
                             fake.response_url("by"))[:2] == (200, b"")
    (by_year,) = fake.wait_for_response("by")
    assert by_year.json is not None
    assert {"  2021: 70", "  2022: 1", "  2023: 0", "  2024: 57"} <= set(by_year.json["text"].splitlines())


@pytest.mark.parametrize(("command", "text", "action_id"), [
    ("/streak", "RUT SPX --as-of 2026-01-22", "streak_chart"), ("/records", "RUT", "records_chart")])
def test_chart_buttons_over_http_upload_to_the_channel(stack: Stack, fake: FakeSlack, command: str, text: str,
                                                       action_id: str) -> None:
    before = len(fake.calls("files.completeUploadExternal"))
    value = _buttons(stack, fake, command, text, f"c-{action_id}")[action_id]
    status, body, elapsed = send_block_action(stack.base_url, action_id, value, fake.response_url(f"u-{action_id}"))
    assert (status, body) == (200, b"") and elapsed < 3
    done = fake.wait_for("files.completeUploadExternal", count=before + 1)
    assert done[-1].params["channel_id"]
