"""The daily clock with frozen clocks: job set-up, holidays, early closes, DST, late data.

Ticks are called directly (``DailyClock.tick``) at chosen instants; nothing sleeps and the
scheduler is never started. Slack is a :class:`FakeSlack`.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from conftest import bars_frame
from daily_helpers import FrozenClock, daily_services, ledger, ny, subscribe
from fakeslack import FakeSlack
from isolation import subprocess_env
from slack_harness import BOT_TOKEN
from slack_stack import REPO

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource, DataSourceError
from bot.bootstrap import Services, bootstrap
from bot.daily.clock import (
    MISFIRE_GRACE,
    TICK_JOB_ID,
    WAKE_JOB_ID,
    DailyClock,
    build_scheduler,
)
from bot.render.delivery import outcome_line
from bot.services.schedule import due_session
from bot.settings import Settings
from bot.store.db import make_engine
from bot.store.subscriptions import SubscriptionStore

NY = ZoneInfo("America/New_York")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(ny(2026, 1, 5, 10, 0))


@pytest.fixture
def svc(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, clock: FrozenClock,
        tmp_path: Path) -> Services:
    return daily_services(fake.base_url, data_dir, calendar, clock, tmp_path / "app.sqlite3")


def headers(fake: FakeSlack) -> list[str]:
    """``C1 Fri, Nov 28, 2025`` per chat.postMessage, from the header block."""
    out = []
    for c in fake.calls("chat.postMessage"):
        blocks = c.params["blocks"]
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        out.append(f'{c.params["channel"]} {blocks[0]["text"]["text"].split(" · ")[1]}')
    return out


def every(start: datetime, end: datetime, minutes: int = 5) -> Iterator[datetime]:
    t = start
    while t <= end:
        yield t
        t += timedelta(minutes=minutes)


# --------------------------------------------------------------------------- set-up
def test_scheduler_jobs_in_new_york_with_grace_coalesce_and_one_instance(
    svc: Services, clock: FrozenClock
) -> None:
    sched = build_scheduler(svc)
    assert isinstance(sched, BackgroundScheduler)
    assert not sched.running  # built, not started: only `streakbot clock` starts it
    assert str(sched.timezone) == "America/New_York"
    (job,) = sched.get_jobs()
    assert job.id == TICK_JOB_ID
    assert (job.misfire_grace_time, job.coalesce, job.max_instances) == (MISFIRE_GRACE, True, 1)
    assert MISFIRE_GRACE == 6 * 3600
    assert job.next_run_time == clock.now  # the start-up catch-up tick
    trig = job.trigger
    assert isinstance(trig, CronTrigger)
    assert str(trig.timezone) == "America/New_York"
    assert str(trig) == "cron[minute='*/5']"
    # Every 5 minutes of New York wall time, weekends too (catch-up after a Friday outage).
    assert trig.get_next_fire_time(None, ny(2026, 1, 10, 16, 26)) == ny(2026, 1, 10, 16, 30)

    blocking = build_scheduler(svc, scheduler=BlockingScheduler(timezone=NY), catch_up=False)
    job2 = blocking.get_job(TICK_JOB_ID)
    assert job2 is not None and isinstance(job2.trigger, CronTrigger)


def test_exact_wake_up_for_times_off_the_five_minute_grid(svc: Services, clock: FrozenClock) -> None:
    subscribe(svc, "C1", time(16, 32), created=ny(2026, 3, 1), last_posted=date(2026, 3, 6))
    subscribe(svc, "C2", time(16, 30), created=ny(2026, 3, 1), last_posted=date(2026, 3, 6))
    sched = build_scheduler(svc)
    runner = sched.get_job(TICK_JOB_ID).func.__self__
    clock.now = ny(2026, 3, 9, 15, 0)  # Monday after the spring-forward
    assert runner.tick() == []
    wake = sched.get_job(WAKE_JOB_ID)
    assert wake is not None
    assert isinstance(wake.trigger, DateTrigger)
    assert wake.trigger.run_date == ny(2026, 3, 9, 16, 32)
    assert wake.trigger.run_date.astimezone(UTC) == datetime(2026, 3, 9, 20, 32, tzinfo=UTC)
    assert (wake.misfire_grace_time, wake.coalesce, wake.max_instances) == (MISFIRE_GRACE, True, 1)
    assert wake.func == runner.tick

    # Only on-grid times left: the tick covers them, no wake-up job.
    SubscriptionStore(svc.engine).unsubscribe("T0FAKE", "C1")
    runner.tick()
    assert sched.get_job(WAKE_JOB_ID) is None


def test_subscription_changes_are_picked_up_without_restart(
    svc: Services, fake: FakeSlack, clock: FrozenClock
) -> None:
    runner = DailyClock(svc, chart=False)
    clock.now = ny(2025, 12, 31, 16, 30)
    assert runner.tick() == []  # nobody subscribed yet
    subscribe(svc, "C1", created=ny(2025, 12, 31, 16, 31))
    subscribe(svc, "C2", time(16, 40), created=ny(2025, 12, 31, 16, 31))
    clock.now = ny(2025, 12, 31, 16, 35)
    assert runner.tick() == []  # C1's 16:30 was due before it subscribed; C2 not due yet
    clock.now = ny(2025, 12, 31, 16, 40)
    assert [outcome_line(o) for o in runner.tick()] == ["C2 (T0FAKE): posted"]


# --------------------------------------------------------------------------- holidays
def test_thanksgiving_2026_posts_nothing(svc: Services, fake: FakeSlack, clock: FrozenClock) -> None:
    subscribe(svc, "C1", created=ny(2026, 11, 1), last_posted=date(2026, 11, 25))
    subscribe(svc, "C2", time(9, 30), created=ny(2026, 11, 26, 8, 0))  # subscribed on the day
    runner = DailyClock(svc, chart=False)
    for t in every(ny(2026, 11, 26, 0, 0), ny(2026, 11, 26, 23, 55), minutes=15):
        clock.now = t
        assert runner.due(t) == {}, t
        assert runner.tick() == [], t
    assert fake.calls() == []


# --------------------------------------------------------------------------- early close
def test_early_close_posts_only_after_close_plus_settle(
    svc: Services, fake: FakeSlack, clock: FrozenClock
) -> None:
    # Fri Nov 28, 2025 closed at 13:00 (the day after Thanksgiving).
    created, last = ny(2025, 11, 1), date(2025, 11, 26)
    subscribe(svc, "C1305", time(13, 5), created=created, last_posted=last)
    subscribe(svc, "C1200", time(12, 0), created=created, last_posted=last)
    subscribe(svc, "C1630", time(16, 30), created=created, last_posted=last)
    runner = DailyClock(svc, chart=False)
    posted: dict[str, list[str]] = {}
    for t in every(ny(2025, 11, 28, 12, 0), ny(2025, 11, 28, 17, 0)):
        clock.now = t
        for o in runner.tick():
            posted.setdefault(f"{t:%H:%M}", []).append(o.channel_id)
    assert posted == {"13:15": ["C1200", "C1305"], "16:30": ["C1630"]}
    assert sorted(headers(fake)) == [
        "C1200 Fri, Nov 28, 2025", "C1305 Fri, Nov 28, 2025", "C1630 Fri, Nov 28, 2025",
    ]


def test_normal_day_time_before_the_close_waits_for_close_plus_settle(
    svc: Services, fake: FakeSlack, clock: FrozenClock
) -> None:
    subscribe(svc, "C1", time(9, 30), created=ny(2025, 12, 1), last_posted=date(2025, 12, 29))
    runner = DailyClock(svc, chart=False)
    clock.now = ny(2025, 12, 30, 16, 10)
    assert runner.tick() == []
    clock.now = ny(2025, 12, 30, 16, 15)
    assert [o.session for o in runner.tick()] == [date(2025, 12, 30)]


# --------------------------------------------------------------------------- DST
@pytest.mark.parametrize(
    ("session", "utc_due"),
    [
        (date(2026, 10, 30), datetime(2026, 10, 30, 20, 30, tzinfo=UTC)),  # EDT, before Nov 1
        (date(2026, 11, 2), datetime(2026, 11, 2, 21, 30, tzinfo=UTC)),  # EST, after
        (date(2027, 3, 12), datetime(2027, 3, 12, 21, 30, tzinfo=UTC)),  # EST, before Mar 14
        (date(2027, 3, 15), datetime(2027, 3, 15, 20, 30, tzinfo=UTC)),  # EDT, after
    ],
)
def test_due_at_1630_new_york_on_both_sides_of_dst(
    svc: Services, fake: FakeSlack, clock: FrozenClock, session: date, utc_due: datetime
) -> None:
    prev = svc.calendar.previous_session(session)
    subscribe(svc, "C1", created=ny(2026, 1, 2), last_posted=prev)
    # The data ends Sep 17, 2026: post at once with the "data as of" note (no wait window).
    runner = DailyClock(svc, chart=False, retry_window=timedelta(0))
    clock.now = utc_due - timedelta(seconds=1)
    assert runner.due(clock.now) == {}
    assert runner.tick() == []
    clock.now = utc_due
    ((due_session, [(_sub, at)]),) = runner.due(utc_due).items()
    assert (due_session, at, at.astimezone(UTC)) == (session, datetime.combine(session, time(16, 30), NY), utc_due)
    assert [o.session for o in runner.tick()] == [session]
    (call,) = fake.calls("chat.postMessage")
    assert call.params["text"].startswith(
        f"Data as of Sep 17, 2026: the {session:%b} {session.day}, {session.year} close is not in "
        "the data yet.\n\n"
    )
    # The tick job itself fires at 16:30 New York on that day.
    trig = build_scheduler(svc).get_job(TICK_JOB_ID).trigger
    assert trig.get_next_fire_time(None, (utc_due - timedelta(minutes=4)).astimezone(NY)) == utc_due


# --------------------------------------------------------------------------- late data
class LateFetcher:
    """A Yahoo stand-in whose Sep 18, 2026 close arrives only once ``ready`` is set."""

    name = "Yahoo Finance"

    def __init__(self, frames: dict[str, pd.DataFrame], error: str | None = None) -> None:
        self.frames = frames
        self.ready = False
        self.error = error
        self.calls: list[datetime] = []
        self.clock: FrozenClock | None = None

    def symbols(self) -> list[str]:
        return []

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        assert self.clock is not None
        self.calls.append(self.clock.now)
        if self.error:
            raise DataSourceError(self.error)
        if not self.ready:
            return {}
        out = {}
        for s in symbols:
            if s in self.frames:
                df = self.frames[s]
                out[s] = df if start is None else df[df.index >= pd.Timestamp(start)]
        return out


@pytest.fixture(scope="module")
def sep18_frames() -> dict[str, pd.DataFrame]:
    """The bundled last weeks of ^GSPC and ^RUT plus a Sep 18, 2026 close."""
    src = BundledSource()
    bars = src.bars(["^GSPC", "^RUT"], start=date(2026, 9, 1))
    extra = {"^GSPC": 7700.0, "^RUT": 2900.0}
    out = {}
    for sym, df in bars.items():
        closes = {f"{d:%Y-%m-%d}": float(c) for d, c in df["close"].items()}
        closes["2026-09-18"] = extra[sym]
        out[sym] = bars_frame(closes)
    return out


def store_services(fake: FakeSlack, calendar: NyseCalendar, clock: FrozenClock, db: Path,
                   fetcher: LateFetcher, **settings: object) -> Services:
    """Services over the seeded price store (ends Sep 17, 2026) with ``fetcher`` as Yahoo."""
    fetcher.clock = clock
    values: dict[str, object] = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake.base_url, **settings}
    return bootstrap(
        Settings(_env_file=None, **values),  # type: ignore[arg-type]
        calendar=calendar,
        clock=clock,
        fetcher_factory=lambda: fetcher,
        engine=make_engine(f"sqlite:///{db}"),
    )


def _run(runner: DailyClock, clock: FrozenClock, start: datetime, end: datetime) -> dict[str, list[str]]:
    posted: dict[str, list[str]] = {}
    for t in every(start, end):
        clock.now = t
        for o in runner.tick():
            posted.setdefault(f"{t:%H:%M}", []).append(outcome_line(o))
    return posted


def test_late_close_retries_every_10_minutes_then_posts_with_a_note(
    fake: FakeSlack, calendar: NyseCalendar, seeded_db: Path, sep18_frames: dict[str, pd.DataFrame]
) -> None:
    clock = FrozenClock(ny(2026, 9, 18, 16, 0))
    fetcher = LateFetcher(sep18_frames)
    svc = store_services(fake, calendar, clock, seeded_db, fetcher)
    assert svc.settings.daily_retry_minutes == 90
    subscribe(svc, "C1", created=ny(2026, 8, 1), last_posted=date(2026, 9, 17))
    runner = DailyClock(svc, chart=False)

    posted = _run(runner, clock, ny(2026, 9, 18, 16, 0), ny(2026, 9, 18, 18, 30))
    assert posted == {"18:00": ["C1 (T0FAKE): posted"]}  # 16:30 + 90 min
    assert [f"{t.astimezone(NY):%H:%M}" for t in fetcher.calls] == [
        "16:30", "16:40", "16:50", "17:00", "17:10", "17:20", "17:30", "17:40", "17:50", "18:00",
    ]
    (call,) = fake.calls("chat.postMessage")
    note = "Data as of Sep 17, 2026: the Sep 18, 2026 close is not in the data yet."
    assert call.params["text"].startswith(note + "\n\nStocks rose: the S&P 500 gained 1.14% to 7,637.76.\nCloses on Thu, Sep 17, 2026:")
    blocks = call.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": f":information_source: {note}"}]}
    (row,) = ledger(svc.engine)
    assert (row["session"], row["status"]) == (date(2026, 9, 18), "sent")  # posted *for* Sep 18


def test_late_close_that_arrives_is_posted_without_a_note(
    fake: FakeSlack, calendar: NyseCalendar, seeded_db: Path, sep18_frames: dict[str, pd.DataFrame]
) -> None:
    clock = FrozenClock(ny(2026, 9, 18, 16, 0))
    fetcher = LateFetcher(sep18_frames)
    svc = store_services(fake, calendar, clock, seeded_db, fetcher)
    subscribe(svc, "C1", created=ny(2026, 8, 1), last_posted=date(2026, 9, 17))
    runner = DailyClock(svc, chart=False)
    assert _run(runner, clock, ny(2026, 9, 18, 16, 30), ny(2026, 9, 18, 16, 45)) == {}
    fetcher.ready = True  # Yahoo has the close from now on
    assert _run(runner, clock, ny(2026, 9, 18, 16, 50), ny(2026, 9, 18, 18, 30)) == {
        "16:50": ["C1 (T0FAKE): posted"],
    }
    assert len(fetcher.calls) == 3  # 16:30, 16:40, 16:50
    (call,) = fake.calls("chat.postMessage")
    assert "Data as of" not in call.params["text"]
    # 7,637.76 -> 7,700.00 is +0.81%.
    assert call.params["text"].startswith(
        "Stocks rose: the S&P 500 gained 0.81% to 7,700.00.\nCloses on Fri, Sep 18, 2026: the S&P 500 +0.81% to 7,700.00"
    )
    assert headers(fake) == ["C1 Fri, Sep 18, 2026"]


def test_failed_refresh_is_named_in_the_note_and_the_window_is_configurable(
    fake: FakeSlack, calendar: NyseCalendar, seeded_db: Path, sep18_frames: dict[str, pd.DataFrame]
) -> None:
    clock = FrozenClock(ny(2026, 9, 18, 16, 0))
    fetcher = LateFetcher(sep18_frames, error="Yahoo Finance is down")
    svc = store_services(fake, calendar, clock, seeded_db, fetcher, STREAKBOT_DAILY_RETRY_MINUTES=20)
    subscribe(svc, "C1", created=ny(2026, 8, 1), last_posted=date(2026, 9, 17))
    runner = DailyClock(svc, chart=False)
    assert _run(runner, clock, ny(2026, 9, 18, 16, 30), ny(2026, 9, 18, 17, 30)) == {
        "16:50": ["C1 (T0FAKE): posted"],
    }
    (call,) = fake.calls("chat.postMessage")
    assert call.params["text"].startswith(
        "Data as of Sep 17, 2026: the Sep 18, 2026 close is not in the data yet "
        "(the price update failed: Yahoo Finance is down).\n\n"
    )


# --------------------------------------------------------------------------- the real process
@pytest.mark.e2e
def test_streakbot_clock_process_catches_up_at_start_and_stops_on_sigterm(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path
) -> None:
    """``streakbot clock`` on the real clock: its start-up tick posts the due session once."""
    now = datetime.now(UTC)
    session = due_session(calendar, time(16, 15), now + timedelta(minutes=1))
    if session is None or due_session(calendar, time(16, 15), now) != session:
        pytest.skip("between a close and close + 15 min: nothing would be due at start-up")
    url = f"sqlite:///{tmp_path / 'clock.sqlite3'}"
    engine = make_engine(url)
    SubscriptionStore(engine).subscribe("T0FAKE", "C1", time(16, 15), "U1", now - timedelta(days=30))
    env = subprocess_env(tmp_path)
    env.update(
        DATABASE_URL=url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url,
        STREAKBOT_DATA_DIR=str(data_dir), STREAKBOT_DAILY_RETRY_MINUTES="0",
        PYTHONPATH=str(REPO),
    )
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "clock"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fake.wait_for("files.completeUploadExternal", timeout=90)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    (call,) = fake.calls("chat.postMessage")
    assert call.params["channel"] == "C1"
    if session > date(2026, 9, 17):
        assert call.params["text"].startswith(
            f"Data as of Sep 17, 2026: the {session:%b} {session.day}, {session.year} close is not in the data yet."
        )
    assert "clock started: 1 active subscription(s)" in err
    assert "daily post: C1 (T0FAKE): posted" in err
    (row,) = ledger(engine)
    assert (row["session"], row["status"]) == (session, "sent")
    engine.dispose()


# --------------------------------------------------------------------------- long runs
def test_a_long_running_clock_keeps_its_calendar_a_year_ahead(
    fake: FakeSlack, data_dir: Path, tmp_path: Path
) -> None:
    """The calendar extends itself; the clock never rebuilds or replaces it."""
    short = NyseCalendar(start="2025-01-01", end="2026-02-15", extend=True)
    clock = FrozenClock(ny(2026, 2, 13, 17, 0))  # Fri: the next session is after the end
    svc = daily_services(fake.base_url, data_dir, short, clock, tmp_path / "app.sqlite3")
    subscribe(svc, "C1", created=ny(2026, 1, 1), last_posted=date(2026, 2, 13))
    runner = build_scheduler(svc).get_job(TICK_JOB_ID).func.__self__
    assert runner.tick() == []
    assert svc.calendar is short and svc.market.calendar is short
    assert short.end == date(2027, 2, 14)  # Feb 13, 2026 + 366 days
    assert short.is_session(date(2026, 12, 31)) and not short.is_session(date(2026, 12, 25))
