"""``streakbot alerts``, and the clock's alert step: exactly one message per channel and
session, none on a quiet one, through reruns, two clocks, two concurrent runs and failures.

Prices: the bundled indices and SPY (the ``data_dir`` fixture); Slack: the fake.
"""

from __future__ import annotations

import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from daily_helpers import FrozenClock, daily_services, ny
from fakeslack import FakeSlack
from isolation import console_script, subprocess_env
from slack_harness import BOT_TOKEN

from bot.adapters.calendar import NyseCalendar
from bot.bootstrap import Services
from bot.cli import main
from bot.daily.clock import DailyClock
from bot.store.alerts import AlertStore
from bot.store.db import make_engine
from bot.store.tables import alert_posts

ON_SINCE = datetime(2025, 1, 2, tzinfo=UTC)
NOTABLE = (date(2026, 1, 16), date(2026, 1, 22), date(2025, 9, 18))
QUIET = date(2025, 3, 12)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(ny(2026, 9, 21, 12, 0))


@pytest.fixture
def svc(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, clock: FrozenClock, tmp_path: Path) -> Services:
    s = daily_services(fake.base_url, data_dir, calendar, clock, tmp_path / "app.sqlite3",
                       STREAKBOT_SLACK_TIMEOUT=1)
    s.alert_store.turn_on("T0FAKE", "C1", "U0TRADER", ON_SINCE)
    return s


class RunningClock:
    """A clock that runs from ``start`` at the machine's pace (a send must settle in it)."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


def _rows(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(alert_posts).order_by(alert_posts.c.id)).mappings()]


def _alerts(svc: Services, session: date, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["alerts", "--session", session.isoformat()], services=svc)
    return code, capsys.readouterr().out.splitlines()


def test_one_message_on_each_notable_session_and_none_on_a_quiet_one(
    svc: Services, fake: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    for session in NOTABLE:
        assert _alerts(svc, session, capsys) == (0, [
            f"Alerts for {session:%b} {session.day}, {session.year}: 1 channel(s) with something notable, 0 with nothing",
            "C1 (T0FAKE): posted",
        ])
    assert _alerts(svc, QUIET, capsys) == (0, [
        "Alerts for Mar 12, 2025: 0 channel(s) with something notable, 1 with nothing",
    ])
    msgs = fake.messages("C1")
    assert len(msgs) == 3
    assert [m["metadata"] for m in msgs] == [
        {"event_type": "streakbot_alert", "event_payload": {"team": "T0FAKE", "channel": "C1", "session": s.isoformat()}}
        for s in NOTABLE
    ]
    jan16, jan22, sep18 = (m["text"] for m in msgs)
    # The data folder has the indices and SPY only: no sector ETF, no Nasdaq 100.
    assert jan16.splitlines()[1:-1] == [
        "• The Russell 2000 closed at a record 2,677.74: its sixth closing record high of 2026. "
        "The previous record was 2,674.56 on Jan 15, 2026.",
    ]
    assert "for 14 straight sessions (Jan 2 – Jan 22, 2026), +9.54% vs +0.99%: the longest since May 1996" in jan22
    assert "its eighth closing record high of 2026" in jan22
    assert "its first record since Nov 8, 2021 (967 sessions between" in sep18
    assert [r["status"] for r in _rows(svc.engine)] == ["sent"] * 3
    assert svc.alert_store.get("T0FAKE", "C1").last_alerted_session == date(2026, 1, 22)

    # Reruns (cron twice, a restart) send nothing again.
    for session in NOTABLE:
        assert _alerts(svc, session, capsys)[1][1:] == ["C1 (T0FAKE): already posted"]
    assert len(fake.messages("C1")) == 3
    assert len(fake.calls("chat.postMessage")) == 3


def test_a_failed_send_is_retried_by_the_next_run(
    svc: Services, fake: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail_next("chat.postMessage", error="internal_error")
    code, out = _alerts(svc, date(2026, 1, 22), capsys)
    assert (code, out[1:]) == (1, ["C1 (T0FAKE): failed: internal_error"])
    assert fake.messages("C1") == []
    assert _alerts(svc, date(2026, 1, 22), capsys) == (0, [out[0], "C1 (T0FAKE): posted"])
    assert len(fake.messages("C1")) == 1


def test_a_send_with_no_answer_is_found_in_the_channel_not_resent(
    svc: Services, fake: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    # Slack took the message, then answered 500: the run looks for the alert's key in the
    # channel once the send has settled, finds it, and does not send it again.
    svc.clock = RunningClock(ny(2026, 9, 21, 12, 0))
    fake.fail_next("chat.postMessage", status=500, accepted=True)
    code, out = _alerts(svc, date(2026, 1, 22), capsys)
    assert (code, out[1:]) == (0, ["C1 (T0FAKE): posted (an earlier send had gone through: found in the channel)"])
    assert len(fake.messages("C1")) == 1
    assert len(fake.calls("chat.postMessage")) == 1


def test_the_daily_post_of_the_session_is_not_taken_for_the_alert(
    svc: Services, fake: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    # The channel's daily post for Jan 22 is in its history; an alert send with no answer
    # that Slack did not carry out must still be sent (its key is another event type).
    svc.daily_sender.send_post("T0FAKE", "C1", date(2026, 1, 22), "daily post", [])
    svc.clock = RunningClock(ny(2026, 9, 21, 12, 0))
    fake.fail_next("chat.postMessage", status=500)
    code, out = _alerts(svc, date(2026, 1, 22), capsys)
    assert (code, out[1:]) == (0, ["C1 (T0FAKE): posted"])
    assert [m["metadata"]["event_type"] for m in fake.messages("C1")] == ["streakbot_post", "streakbot_alert"]


def test_the_clock_sends_after_the_close_once_through_two_clocks_and_a_restart(
    svc: Services, fake: FakeSlack, clock: FrozenClock
) -> None:
    svc.alert_store.turn_on("T0FAKE", "C2", "U0TRADER", ny(2026, 1, 22, 18, 0))  # after the close
    first, second = DailyClock(svc, chart=False), DailyClock(svc, chart=False)
    clock.now = ny(2026, 1, 22, 16, 10)  # before the close + 15 min
    assert first.tick() == [] and fake.messages("C1") == []
    clock.now = ny(2026, 1, 22, 16, 20)
    (o,) = first.tick()
    assert (o.channel_id, o.session, o.status) == ("C1", date(2026, 1, 22), "posted")
    assert second.tick() == []  # its last alerted session is Jan 22 now
    assert DailyClock(svc, chart=False).tick() == []  # a restart
    assert len(fake.messages("C1")) == 1
    assert fake.messages("C2") == []  # turned on after this session's alerts were due
    clock.now = ny(2026, 1, 23, 16, 20)
    outs = second.tick()
    assert sorted((o.channel_id, o.status) for o in outs) == [("C1", "posted"), ("C2", "posted")]
    assert "ended on Jan 23, 2026" in fake.messages("C2")[0]["text"]


# --------------------------------------------------------------------------- two processes
def _env(db_url: str, fake: FakeSlack, data_dir: Path, home: Path) -> dict[str, str]:
    env = subprocess_env(home)
    env.update(DATABASE_URL=db_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url,
               STREAKBOT_DATA_DIR=str(data_dir), STREAKBOT_SLACK_TIMEOUT="2")
    return env


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.e2e
def test_two_concurrent_alert_runs_send_each_channel_one_message(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, fake: FakeSlack, data_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    channels = ["C1", "C2", "C3", "C4"]
    try:
        store = AlertStore(engine)
        for ch in channels:
            store.turn_on("T0FAKE", ch, "U0TRADER", ON_SINCE)
        env = _env(url, fake, data_dir, tmp_path)
        cmd = [str(console_script()), "alerts", "--session", "2026-01-22"]
        runs = [subprocess.Popen(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [r.communicate(timeout=180) for r in runs]
        assert [r.returncode for r in runs] == [0, 0], results
        for ch in channels:
            (msg,) = fake.messages(ch)
            assert msg["metadata"]["event_payload"]["session"] == "2026-01-22"
        assert len(fake.calls("chat.postMessage")) == len(channels)
        rows = _rows(engine)
        assert sorted(r["channel_id"] for r in rows) == channels
        assert {r["status"] for r in rows} == {"sent"}
        lines = [line for out, _ in results for line in out.splitlines()[1:]]
        assert sorted(lines) == sorted(
            [f"{ch} (T0FAKE): posted" for ch in channels] + [f"{ch} (T0FAKE): already posted" for ch in channels]
        )
    finally:
        engine.dispose()
