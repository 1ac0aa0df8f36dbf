"""Claim check over signed HTTP: ``/check``, ``@streakbot check:`` and the message shortcut,
each answered through the fake Slack with the right verdicts and figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fakeslack import BOT_USER_ID, FakeSlack
from slack_harness import send_command, send_event, send_message_shortcut
from slack_stack import Stack, app_on_loopback, make_data_dir, slack_settings

from bot.adapters.calendar import NyseCalendar

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
# A paragraph of desk coverage from Jan 22, 2026, with two figures wrong (the run was 14
# sessions, the longest since May 1996) and one market the data does not have.
NOTE = ("Small caps extended their run on Thursday. The Russell 2000 has outperformed the S&P 500 for "
        "10 consecutive days, the longest streak since 1990, and closed at its eighth record high of 2026. "
        "The Dow added 306.78 points, while the FTSE 100 rose 1%.")
VERDICTS = [
    ("✗", "“The Russell 2000 has outperformed the S&P 500 for 10 consecutive days” — false: 14 sessions, not 10."),
    ("✗", "“longest streak since 1990” (^RUT vs ^GSPC) — false: the longest since May 1996, not 1990."),
    ("✓", "“eighth record high of 2026” (^RUT) — true."),
    ("✓", "“added 306.78 points” (^DJI) — true."),
    ("?", "“rose 1%” — cannot be checked: the FTSE 100 is not in the data"),
]
JAN22_TS = "1769117400.000100"  # Jan 22, 2026 16:30 in New York


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        yield f


@pytest.fixture(scope="module")
def stack(fake: FakeSlack, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("check")
    settings = slack_settings(fake.base_url, make_data_dir(tmp / "data"))
    with app_on_loopback(settings, calendar, lambda: NOW, tmp / "events.sqlite3") as s:
        yield s


def assert_marked(text: str) -> None:
    lines = text.splitlines()
    assert lines[0] == "Checked 5 claims as of the Jan 22, 2026 close: 2 true, 2 false, 1 cannot be checked."
    marked = [line for line in lines if line[:1] in "✓✗?"]
    assert len(marked) == len(VERDICTS)
    for line, (mark, words) in zip(marked, VERDICTS, strict=True):
        assert line.startswith(f"{mark} {words}"), line


def test_slash_check(stack: Stack, fake: FakeSlack) -> None:
    status, body, elapsed = send_command(stack.base_url, "/check", f"--as-of 2026-01-22 {NOTE}",
                                         fake.response_url("cmd"))
    assert (status, body) == (200, b"") and elapsed < 3
    (call,) = fake.wait_for_response("cmd")
    assert call.json is not None and call.json["response_type"] == "ephemeral"
    assert_marked(call.json["text"])
    assert any(":x:" in b["text"]["text"] for b in call.json["blocks"] if b["type"] == "section")


def test_mention_check(stack: Stack, fake: FakeSlack) -> None:
    before = len(fake.calls("chat.postMessage"))
    event = {"type": "app_mention", "user": "U0TRADER", "text": f"<@{BOT_USER_ID}> check: {NOTE}",
             "ts": JAN22_TS, "channel": "C0DESK"}
    status, _, elapsed = send_event(stack.base_url, event, event_id="EvCheckE2E")
    assert status == 200 and elapsed < 3
    post = fake.wait_for("chat.postMessage", before + 1)[before]
    assert post.params["channel"] == "C0DESK" and post.params["thread_ts"] == JAN22_TS
    assert_marked(str(post.params["text"]))


def test_message_shortcut(stack: Stack, fake: FakeSlack) -> None:
    message = {"user": "U0WRITER", "text": NOTE, "ts": JAN22_TS}
    status, _, elapsed = send_message_shortcut(stack.base_url, "check_figures", message, fake.response_url("sc"))
    assert status == 200 and elapsed < 3
    (call,) = fake.wait_for_response("sc")
    assert call.json is not None and call.json["response_type"] == "ephemeral"
    assert_marked(call.json["text"])
