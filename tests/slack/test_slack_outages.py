"""The Slack app when its database is down, its data is stale, or the text is too long.

Over the real signed HTTP path (FakeSlack, loopback). The database outage is real to
SQLAlchemy: every new connection fails with sqlite3's own ``OperationalError`` ("unable
to open database file"), as when the volume holding the file is gone.

Prices are synthetic CSVs (independent of the bundled data's end date); the clock is
Monday 2026-01-05 15:00 UTC, so the last completed NYSE session is Friday 2026-01-02.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fakeslack import FakeSlack
from slack_harness import send_command, send_event
from slack_stack import Stack, app_on_loopback, get_json, slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.slack.listeners.common import MAX_TEXT, NO_DATABASE
from bot.slack.listeners.questions import NO_DATABASE as NO_DATABASE_QUESTION
from bot.store.events import EventLedger

NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
SESSIONS = ["2025-12-24", "2025-12-26", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-02"]


class Outage:
    """Switch the app's database off and on (new connections fail while it is off)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.down = False

        @sa.event.listens_for(engine, "do_connect")
        def _connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> None:
            if self.down:
                raise sqlite3.OperationalError("unable to open database file")

    def __enter__(self) -> Outage:
        self.down = True
        self.engine.dispose()  # pooled connections go with the database
        return self

    def __exit__(self, *exc: object) -> None:
        self.down = False


def write_closes(folder: Path, sessions: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(("GSPC", "RUT")):
        rows = "".join(f"{d},{1000 + 10 * i + k}\n" for k, d in enumerate(sessions))
        (folder / f"{name}.csv").write_text("date,close\n" + rows)
    return folder


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server
        assert server.errors == []


@contextmanager
def make_stack(
    fake: FakeSlack, calendar: NyseCalendar, root: Path, sessions: list[str]
) -> Iterator[tuple[Stack, Outage]]:
    settings = slack_settings(fake.base_url, write_closes(root / "closes", sessions))
    with app_on_loopback(settings, calendar, lambda: NOW, root / "app.sqlite3") as s:
        yield s, Outage(s.services.engine)


@pytest.fixture(scope="module")
def app(
    fake: FakeSlack, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, Outage]]:
    """Data up to the last completed session (fresh)."""
    with make_stack(fake, calendar, tmp_path_factory.mktemp("fresh"), SESSIONS) as made:
        yield made


@pytest.fixture(autouse=True)
def _reset(fake: FakeSlack) -> None:
    fake.reset()


def mention(text: str, ts: str) -> dict[str, Any]:
    return {"type": "app_mention", "user": "U0TRADER", "text": text, "ts": ts,
            "channel": "C0DESK", "event_ts": ts}


# --------------------------------------------------------------------------- /healthz
def test_healthz_fresh(app: tuple[Stack, Outage]) -> None:
    stack, _ = app
    assert get_json(f"{stack.base_url}/healthz") == (200, {
        "ok": True, "database": "ok", "latest_session": "2026-01-02",
        "data": "fresh", "data_as_of": "2026-01-02",
    })


def test_healthz_stale_data_is_still_200(
    fake: FakeSlack, calendar: NyseCalendar, tmp_path: Path
) -> None:
    with make_stack(fake, calendar, tmp_path, SESSIONS[:-1]) as (stack, _):
        assert get_json(f"{stack.base_url}/healthz") == (200, {
            "ok": True, "database": "ok", "latest_session": "2026-01-02",
            "data": "stale", "data_as_of": "2025-12-31",
        })


def test_healthz_is_503_while_the_database_is_down(app: tuple[Stack, Outage]) -> None:
    stack, outage = app
    with outage:
        assert get_json(f"{stack.base_url}/healthz") == (503, {
            "ok": False, "database": "unreachable", "database_error": "unable to open database file",
            "latest_session": "2026-01-02", "data": "fresh", "data_as_of": "2026-01-02",
        })
    assert get_json(f"{stack.base_url}/healthz")[0] == 200  # and back once it is up


# --------------------------------------------------------------------------- mentions, database down
def test_mention_while_the_database_is_down_is_left_for_slack_to_retry(
    app: tuple[Stack, Outage], fake: FakeSlack
) -> None:
    stack, outage = app
    event = mention("<@U0BOT> is the S&P at a record?", "1767625200.000100")
    with outage:
        for retry in (None, 1, 2):
            status, body, _ = send_event(stack.base_url, event, event_id="EvDown1", retry_num=retry)
            assert (status, body) == (503, b"database unreachable; retry later")
    # The database is back for Slack's next retry: answered, once, in the thread.
    status, _, _ = send_event(stack.base_url, event, event_id="EvDown1", retry_num=3)
    assert status == 200
    (call,) = fake.wait_for("chat.postMessage", timeout=15)
    assert call.params["thread_ts"] == "1767625200.000100"
    assert "record" in str(call.params["text"]) and "database" not in str(call.params["text"])
    assert not EventLedger(stack.services.engine, stack.services.clock).claim("EvDown1")  # now recorded


def test_mention_on_slacks_last_retry_with_the_database_down_gets_an_apology(
    app: tuple[Stack, Outage], fake: FakeSlack
) -> None:
    stack, outage = app
    event = mention("<@U0BOT> RUT vs SPX", "1767625200.000200")
    with outage:
        status, _, _ = send_event(stack.base_url, event, event_id="EvDown2", retry_num=3)
        assert status == 200
        (call,) = fake.wait_for("chat.postMessage", timeout=15)
    assert call.params["text"] == NO_DATABASE_QUESTION
    assert call.params["thread_ts"] == "1767625200.000200"
    # Not recorded as answered: asked again (a new event), it is answered normally.
    assert EventLedger(stack.services.engine, stack.services.clock).claim("EvDown2")


def test_slash_command_while_the_database_is_down_says_so(app: tuple[Stack, Outage], fake: FakeSlack) -> None:
    stack, outage = app
    with outage:
        status, body, _ = send_command(stack.base_url, "/leaders", "status", fake.response_url("db"))
        assert (status, body) == (200, b"")
        (call,) = fake.wait_for_response("db", timeout=15)
    assert call.json is not None
    assert (call.json["response_type"], call.json["text"]) == ("ephemeral", NO_DATABASE)


# --------------------------------------------------------------------------- long text
def test_slash_command_text_over_the_limit_is_refused_in_the_ack(app: tuple[Stack, Outage], fake: FakeSlack) -> None:
    stack, _ = app
    text = "RUT SPX " + "x" * (MAX_TEXT - 7)
    assert len(text) == MAX_TEXT + 1
    status, body, _ = send_command(stack.base_url, "/streak", text, fake.response_url("long"))
    assert status == 200
    ack = json.loads(body)
    assert (ack["response_type"], ack["text"]) == (
        "ephemeral", "That text is 4,001 characters long; I read at most 4,000. Please shorten it."
    )
    assert fake.calls() == []


def test_slash_command_text_at_the_limit_is_parsed(app: tuple[Stack, Outage], fake: FakeSlack) -> None:
    stack, _ = app
    text = "RUT SPX " + "x" * (MAX_TEXT - 8)
    status, body, _ = send_command(stack.base_url, "/streak", text, fake.response_url("limit"))
    assert status == 200
    ack = json.loads(body)
    assert "/streak takes one or two symbols, got 3" in ack["text"]


def test_a_long_question_is_refused_in_the_thread(app: tuple[Stack, Outage], fake: FakeSlack) -> None:
    stack, _ = app
    text = "<@U0BOT> " + "is the S&P at a record? " * 250
    status, _, _ = send_event(stack.base_url, mention(text, "1767625200.000300"), event_id="EvLong")
    assert status == 200
    (call,) = fake.wait_for("chat.postMessage", timeout=15)
    assert call.params["text"] == (
        f"That message is {len(text):,} characters long; I read at most 4,000. Please shorten it."
    )
    assert call.params["thread_ts"] == "1767625200.000300"
