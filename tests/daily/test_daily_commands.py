"""``streakbot leaders`` and ``streakbot post-daily`` (offline, fixed clocks).

``leaders`` is the README's first command: on a fresh machine (empty store, no Slack
settings, no network) it must print the summary of the bundled data quickly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from conftest import NOW, FakeFetcher, MakeServices
from daily_helpers import FrozenClock, daily_services
from fakeslack import FakeSlack
from isolation import subprocess_env
from slack_harness import BOT_TOKEN
from slack_stack import REPO

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import DataSourceError
from bot.bootstrap import Services, bootstrap
from bot.cli import main
from bot.settings import Settings
from bot.store.db import make_engine
from bot.store.prices import PriceStore
from bot.store.subscriptions import SubscriptionStore

STALE = "Data as of Sep 17, 2026: the latest NYSE session (Sep 18, 2026) is not in the data yet."
SEP17_FIRST = (
    "Stocks rose: the S&P 500 gained 1.14% to 7,637.76.\n"
    "Closes on Thu, Sep 17, 2026: the S&P 500 +1.14% to 7,637.76"
)


# --------------------------------------------------------------------------- leaders
def test_leaders_on_a_fresh_store_writes_nothing(
    tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = make_services(tmp_path, calendar)  # empty SQLite store, no Slack settings
    assert main(["leaders"], services=svc) == 0
    out = capsys.readouterr().out
    assert out.startswith(STALE + "\n\n" + SEP17_FIRST)
    assert out.endswith(
        "As of the Sep 17, 2026 close · index price returns · "
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)\n"
    )
    assert PriceStore(svc.engine).is_empty()  # read-only: the store was not seeded


def test_leaders_on_the_seeded_store(
    seeded_services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["leaders", "--session", "2026-06-30"], services=seeded_services) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Stocks rose: the Dow closed at its 19th record of 2026 and the Russell 2000 at its 25th.\n"
        "Closes on Tue, Jun 30, 2026: the S&P 500 +0.79% to 7,499.36"
    )
    assert "Equal vs cap weight: SPY beat RSP for a 2nd straight session" in out
    assert "Sectors: Technology (XLK) +2.76%" in out
    assert "Data as of" not in out and "Left out" not in out
    assert out.endswith(
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell, Nasdaq; "
        "ETF closes dividend-adjusted)\n"
    )


def test_leaders_on_an_early_close_names_the_shortened_session(
    seeded_services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    # Dec 24, 2025 closed at 13:00 (the NYSE calendar); Dec 23 was a full session.
    assert seeded_services.calendar.session_close(date(2025, 12, 24)).hour == 13
    assert main(["leaders", "--session", "2025-12-24"], services=seeded_services) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Stocks rose in a shortened session: the S&P 500 closed at its 39th record of 2025 and "
        "the Dow at its 19th.\nCloses on Wed, Dec 24, 2025: the S&P 500 +0.32% to 6,932.05"
    )
    assert main(["leaders", "--session", "2025-12-23"], services=seeded_services) == 0
    assert "shortened" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("session", "message"),
    [
        ("2025-12-25", "2025-12-25 is not an NYSE session (holiday or weekend)."),
        ("2025-12-27", "2025-12-27 is not an NYSE session (holiday or weekend)."),
        ("2026-09-18", "No data for Sep 18, 2026 yet: the data ends Sep 17, 2026."),
        ("1960-01-04", "1960-01-04 is outside the NYSE calendar (Jan 1, 1970 to Dec 31, 2027)."),
        ("2025-13-01", "argument --session: '2025-13-01' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."),
    ],
)
def test_leaders_bad_session_is_one_line_exit_2(
    tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices, data_dir: Path,
    capsys: pytest.CaptureFixture[str], session: str, message: str,
) -> None:
    svc = make_services(tmp_path, calendar, data_dir=data_dir)
    assert main(["leaders", "--session", session], services=svc) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"streakbot: {message}\n")


@pytest.mark.e2e
def test_leaders_subprocess_on_a_fresh_machine(tmp_path: Path) -> None:
    """No settings, no store, no network: ``streakbot leaders`` prints the bundled summary."""
    env = subprocess_env(tmp_path, {"PYTHONPATH": str(REPO)})
    r = subprocess.run([sys.executable, "-m", "bot.cli", "leaders"], env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert SEP17_FIRST in r.stdout
    assert r.stdout.startswith("Data as of Sep 17, 2026: the latest NYSE session (")
    assert r.stderr == ""


# --------------------------------------------------------------------------- post-daily
def test_post_daily_needs_the_bot_token(
    tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = make_services(tmp_path, calendar)
    assert main(["post-daily"], services=svc) == 2
    assert capsys.readouterr().err == (
        "streakbot: SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from "
        "your Slack app.\n"
    )


def test_post_daily_on_a_holiday_posts_nothing(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = daily_services(fake.base_url, data_dir, calendar, FrozenClock(NOW), tmp_path / "a.sqlite3")
    SubscriptionStore(svc.engine).subscribe("T0FAKE", "C1", time(16, 30), "U1", NOW)
    assert main(["post-daily", "--session", "2025-12-25"], services=svc) == 0
    assert capsys.readouterr().out == (
        "2025-12-25 is not an NYSE session (holiday or weekend): nothing posted.\n"
    )
    assert fake.calls() == []


def test_post_daily_future_session_is_refused(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = daily_services(fake.base_url, data_dir, calendar, FrozenClock(NOW), tmp_path / "a.sqlite3")
    assert main(["post-daily", "--session", "2026-09-21"], services=svc) == 2
    assert capsys.readouterr().err == (
        "streakbot: The Sep 21, 2026 session has not closed yet (the last completed NYSE session "
        "is Sep 18, 2026): nothing posted.\n"
    )


def test_post_daily_without_subscriptions(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = daily_services(fake.base_url, data_dir, calendar, FrozenClock(NOW), tmp_path / "a.sqlite3")
    assert main(["post-daily"], services=svc) == 0
    assert capsys.readouterr().out == "No channel is subscribed to the daily post: nothing posted.\n"
    assert fake.calls() == []


def test_post_daily_reports_each_channel_and_fails_when_one_fails(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = daily_services(fake.base_url, data_dir, calendar, FrozenClock(NOW), tmp_path / "a.sqlite3",
                         STREAKBOT_POST_CONCURRENCY=1)  # one at a time: the failure is C1's
    store = SubscriptionStore(svc.engine)
    for ch in ("C1", "C2", "C3"):
        store.subscribe("T0FAKE", ch, time(16, 30), "U1", NOW)
    store.mark_failing("T0FAKE", "C3", "is_archived", NOW)  # skipped: not active
    fake.fail_next("chat.postMessage", error="not_in_channel")
    assert main(["post-daily", "--session", "2025-12-31"], services=svc) == 1
    assert capsys.readouterr().out == (
        "Daily summary for Dec 31, 2025\n"
        "C1 (T0FAKE): failed: not_in_channel\n"
        "C2 (T0FAKE): posted\n"
    )
    assert [s.channel_id for s in store.all_active()] == ["C2"]
    assert main(["post-daily", "--session", "2025-12-31"], services=svc) == 0
    assert capsys.readouterr().out == "Daily summary for Dec 31, 2025\nC2 (T0FAKE): already posted\n"
    assert [c.params["channel"] for c in fake.calls("chat.postMessage")] == ["C1", "C2"]


def test_post_daily_refresh_failure_posts_with_a_data_as_of_note(
    fake: FakeSlack, calendar: NyseCalendar, seeded_db: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    fetcher = FakeFetcher(error=DataSourceError("Yahoo Finance did not answer"))
    svc = bootstrap(
        Settings(_env_file=None, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url),
        calendar=calendar,
        clock=lambda: NOW,
        fetcher_factory=lambda: fetcher,
        engine=make_engine(f"sqlite:///{seeded_db}"),
    )
    SubscriptionStore(svc.engine).subscribe("T0FAKE", "C1", time(16, 30), "U1", datetime(2025, 12, 1, tzinfo=UTC))
    assert main(["post-daily"], services=svc) == 0
    note = (
        "Data as of Sep 17, 2026: the Sep 18, 2026 close is not in the data yet "
        "(the price update failed: Yahoo Finance did not answer)."
    )
    assert capsys.readouterr().out == f"Daily summary for Sep 18, 2026 ({note})\nC1 (T0FAKE): posted\n"
    assert len(fetcher.calls) == 1  # one batched refresh of the summary's symbols
    symbols, _start = fetcher.calls[0]
    assert "^GSPC" in symbols and "^RUT" in symbols
    (call,) = fake.calls("chat.postMessage")
    assert call.params["text"].startswith(note + "\n\n" + SEP17_FIRST)
    blocks = call.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[1]["elements"][0]["text"] == f":information_source: {note}"
    assert len(fake.calls("files.completeUploadExternal")) == 1
