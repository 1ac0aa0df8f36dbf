"""The incremental updater over fake ports: what it commits, and when it commits nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import FakeFetcher, bars_frame
from fake_prices import FakePrices, FakeUnitOfWork

from bot.adapters.calendar import NyseCalendar
from bot.domain.errors import DataSourceError
from bot.domain.time import NY_TZ
from bot.services.refresh import update_prices

STORED = {"2025-12-17": 102.0, "2025-12-18": 103.0, "2025-12-19": 104.0}
AFTER_CLOSE = datetime(2025, 12, 22, 17, 0, tzinfo=NY_TZ)  # Monday Dec 22 is complete


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(FakePrices({"^GSPC": bars_frame(STORED)}))


def closes(uow: FakeUnitOfWork, symbol: str) -> dict[str, float]:
    return {f"{ts:%Y-%m-%d}": float(v) for ts, v in uow.committed.frames[symbol]["close"].items()}


def test_a_sound_download_is_written_in_one_committed_transaction(
    uow: FakeUnitOfWork, calendar: NyseCalendar
) -> None:
    fetcher = FakeFetcher({"^GSPC": bars_frame({**STORED, "2025-12-22": 105.0})})
    report = update_prices(uow, fetcher, calendar, ["^GSPC"], AFTER_CLOSE)
    assert report.ok and report.error is None
    assert [(r.symbol, r.status, r.added, r.last_date) for r in report.results] == [
        ("^GSPC", "updated", 1, date(2025, 12, 22))
    ]
    assert closes(uow, "^GSPC") == {**STORED, "2025-12-22": 105.0}
    assert uow.committed.sources["^GSPC"] == "Yahoo Finance"
    assert (uow.transactions, uow.commits, uow.committed.writes) == (2, 1, [("^GSPC",)])


def test_a_rejected_download_commits_nothing(uow: FakeUnitOfWork, calendar: NyseCalendar) -> None:
    fetcher = FakeFetcher({"^GSPC": bars_frame({**STORED, "2025-12-22": 1040.0})})  # a 10x print
    report = update_prices(uow, fetcher, calendar, ["^GSPC"], AFTER_CLOSE)
    assert report.error is not None and "failed validation" in report.error
    assert [r.status for r in report.results] == ["rejected"]
    assert closes(uow, "^GSPC") == STORED
    assert (uow.transactions, uow.commits, uow.committed.writes) == (2, 0, [])


def test_a_failed_download_opens_no_write_transaction(
    uow: FakeUnitOfWork, calendar: NyseCalendar
) -> None:
    fetcher = FakeFetcher(error=DataSourceError("Yahoo Finance is down"))
    report = update_prices(uow, fetcher, calendar, ["^GSPC"], AFTER_CLOSE)
    assert report.error == "Yahoo Finance is down"
    assert closes(uow, "^GSPC") == STORED
    assert (uow.transactions, uow.commits) == (1, 0)


def test_an_up_to_date_store_downloads_nothing(calendar: NyseCalendar) -> None:
    uow = FakeUnitOfWork(FakePrices({"^GSPC": bars_frame({**STORED, "2025-12-22": 105.0})}))
    fetcher = FakeFetcher()
    report = update_prices(uow, fetcher, calendar, ["^GSPC"], AFTER_CLOSE)
    assert [(r.symbol, r.status) for r in report.results] == [("^GSPC", "up to date")]
    assert fetcher.calls == []
    assert (uow.transactions, uow.commits) == (1, 0)
