"""Downloads never hang: a per-request timeout for Yahoo and an overall deadline for any source.

The blocked download is a fake that waits on an Event (bounded, so a broken deadline fails
the test instead of hanging it); nothing sleeps and no test measures time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import FakeFetcher, MakeServices, bars_frame, sqlite_url
from daily_helpers import FrozenClock, ny, subscribe
from fakeslack import FakeSlack
from slack_harness import BOT_TOKEN
from store_checksum import store_checksum

from bot.adapters.calendar import NyseCalendar
from bot.adapters.deadline import DeadlineSource
from bot.adapters.yahoo import YahooSource
from bot.bootstrap import bootstrap
from bot.cli import main
from bot.daily.clock import DailyClock
from bot.domain.errors import DataSourceError
from bot.domain.time import NY_TZ
from bot.render.delivery import outcome_line
from bot.settings import Settings
from bot.store.db import make_engine
from bot.store.prices import PriceStore

GSPC = {"2025-12-15": 6816.51, "2025-12-16": 6800.26, "2025-12-17": 6721.43,
        "2025-12-18": 6774.76, "2025-12-19": 6834.50}
SOUND = {"^GSPC": bars_frame({**GSPC, "2025-12-22": 6878.49})}


class BlockingFetcher(FakeFetcher):
    """Answers (soundly) only once ``release`` is set -- or after 30 s, which fails the test."""

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        super().__init__(frames)
        self.release = threading.Event()
        self.finished = threading.Event()

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        try:
            self.release.wait(timeout=30)
            return super().bars(symbols, start)
        finally:
            self.finished.set()

    def let_go(self) -> None:
        self.release.set()
        assert self.finished.wait(timeout=30)


# --------------------------------------------------------------------------- the deadline
def test_deadline_gives_up_on_a_blocked_download() -> None:
    blocked = BlockingFetcher(SOUND)
    source = DeadlineSource(blocked, 0.05)
    assert source.name == "Yahoo Finance"
    with pytest.raises(DataSourceError, match=r"^Yahoo Finance did not answer within 0\.05 s$"):
        source.bars(["^GSPC"])
    assert not blocked.finished.is_set()  # still running: we did not wait for it
    blocked.let_go()


def test_deadline_passes_answers_and_errors_through() -> None:
    frames = DeadlineSource(FakeFetcher(SOUND), 30).bars(["^GSPC"], start=date(2025, 12, 19))
    assert frames["^GSPC"]["close"].tolist() == [6834.50, 6878.49]
    with pytest.raises(DataSourceError, match=r"^Yahoo is down$"):
        DeadlineSource(FakeFetcher(error=DataSourceError("Yahoo is down")), 30).bars(["^GSPC"])

    class Broken(FakeFetcher):
        def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, Any]:
            raise KeyError("Close")

    with pytest.raises(KeyError, match="Close"):
        DeadlineSource(Broken(), 30).bars(["^GSPC"])


def test_update_returns_the_timeout_and_leaves_the_store_untouched(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    calendar: NyseCalendar,
    make_services: MakeServices,
) -> None:
    engine = make_engine(sqlite_url(tmp_path / "t.sqlite3"))  # the file make_services uses
    PriceStore(engine).write("^GSPC", bars_frame(GSPC), "seed")
    before = store_checksum(engine)
    blocked = BlockingFetcher(SOUND)
    svc = make_services(tmp_path, calendar, fetcher=blocked,
                        now=datetime(2025, 12, 22, 17, 0, tzinfo=NY_TZ))
    svc.settings.download_deadline_seconds = 0.05

    rc = main(["update"], services=svc)

    out, err = capsys.readouterr()
    assert rc == 1
    assert (out, err) == ("", "update failed, the store is unchanged: Yahoo Finance did not "
                              "answer within 0.05 s. Data as of 2025-12-19.\n")
    assert not blocked.finished.is_set()
    assert store_checksum(engine) == before
    blocked.let_go()  # the late answer is dropped: nothing was waiting to write it
    assert store_checksum(engine) == before
    engine.dispose()


# --------------------------------------------------------------------------- configuration
def test_timeouts_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREAKBOT_DOWNLOAD_TIMEOUT_SECONDS", "12.5")
    monkeypatch.setenv("STREAKBOT_DOWNLOAD_DEADLINE_SECONDS", "45")
    settings = Settings(_env_file=None)
    assert (settings.download_timeout_seconds, settings.download_deadline_seconds) == (12.5, 45.0)
    source = bootstrap(settings).fetcher()
    assert isinstance(source, DeadlineSource) and source.seconds == 45.0
    assert isinstance(source.inner, YahooSource) and source.inner.timeout == 12.5
    monkeypatch.delenv("STREAKBOT_DOWNLOAD_TIMEOUT_SECONDS")
    monkeypatch.delenv("STREAKBOT_DOWNLOAD_DEADLINE_SECONDS")
    defaults = Settings(_env_file=None)
    assert (defaults.download_timeout_seconds, defaults.download_deadline_seconds) == (30.0, 120.0)


def test_yahoo_passes_the_request_timeout_to_yfinance() -> None:
    seen: list[dict[str, Any]] = []

    def download(tickers: list[str], **kwargs: Any) -> pd.DataFrame:
        seen.append(kwargs)
        return pd.DataFrame()

    with pytest.raises(DataSourceError):
        YahooSource(download, attempts=1, timeout=7.5).bars(["^GSPC"])
    assert [k["timeout"] for k in seen] == [7.5]


# --------------------------------------------------------------------------- the clock
def test_clock_tick_does_not_wait_for_a_blocked_refresh(
    fake: FakeSlack, calendar: NyseCalendar, tmp_path: Path
) -> None:
    # Monday Jan 4, 2027, 16:45: the 16:30 post is due and the data is behind it, so the
    # tick refreshes; with no waiting window it then posts what it has, with the reason.
    clock = FrozenClock(ny(2027, 1, 4, 16, 45))
    db = tmp_path / "clock.sqlite3"
    engine = make_engine(sqlite_url(db))
    PriceStore(engine).write("^GSPC", bars_frame(GSPC), "seed")
    blocked = BlockingFetcher(SOUND)
    svc = bootstrap(
        Settings(_env_file=None, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url,
                 STREAKBOT_DAILY_RETRY_MINUTES=0, STREAKBOT_DOWNLOAD_DEADLINE_SECONDS=0.05),
        calendar=calendar, clock=clock, fetcher_factory=lambda: blocked, engine=engine,
    )
    before = store_checksum(engine)
    subscribe(svc, "C1", created=ny(2026, 12, 1), last_posted=date(2026, 12, 31))

    outcomes = DailyClock(svc, chart=False).tick()

    assert not blocked.finished.is_set()  # the tick returned while the download hung
    assert [outcome_line(o) for o in outcomes] == ["C1 (T0FAKE): posted"]
    (call,) = fake.calls("chat.postMessage")
    first_line = call.params["text"].split("\n")[0]
    assert first_line == (
        "Data as of Dec 19, 2025: the Jan 4, 2027 close is not in the data yet "
        "(the price update failed: Yahoo Finance did not answer within 0.05 s)."
    )
    blocked.let_go()
    assert store_checksum(engine) == before
