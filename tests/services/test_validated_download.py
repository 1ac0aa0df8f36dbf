"""Bad downloads never get in: rejected in full, one line per problem, store checksum unchanged.

Cases from the issue: a duplicated date (second close 1.0), a 10x print, a timezone-shifted
index, and an overlap revision beyond 5%; plus what is still accepted (revisions up to 5%,
large moves of ETFs and ^VIX, flagged). Each runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from conftest import FakeFetcher, MakeServices, bars_frame, sqlite_url
from store_checksum import store_checksum

from bot.adapters.calendar import NyseCalendar
from bot.adapters.yahoo import YahooSource
from bot.cli import main
from bot.domain.bars import COLUMNS
from bot.domain.time import NY_TZ
from bot.services.refresh import update_prices
from bot.store.db import make_engine
from bot.store.prices import PriceStore
from bot.store.unit_of_work import SqlAlchemyUnitOfWork

# S&P 500 closes, Mon Dec 15 .. Fri Dec 19, 2025 (the week before the download).
GSPC = {
    "2025-12-15": 6816.51,
    "2025-12-16": 6800.26,
    "2025-12-17": 6721.43,
    "2025-12-18": 6774.76,
    "2025-12-19": 6834.50,
}
RUT = {"2025-12-15": 2500.0, "2025-12-16": 2510.0, "2025-12-17": 2490.0, "2025-12-18": 2495.0,
       "2025-12-19": 2505.0}
AFTER_CLOSE = datetime(2025, 12, 22, 17, 0, tzinfo=NY_TZ)  # Monday Dec 22 is complete


def seed(engine: sa.Engine, **series: dict[str, float]) -> PriceStore:
    store = PriceStore(engine)
    for sym, closes in series.items():
        store.write(sym.replace("_", "^", 1) if sym.startswith("_") else sym,
                    bars_frame(closes), "seed")
    return store


def frame_with_rows(rows: list[tuple[str, float]]) -> pd.DataFrame:
    """Standard bars that may repeat a date (``bars_frame`` takes a dict, so it cannot)."""
    idx = pd.DatetimeIndex([pd.Timestamp(d) for d, _ in rows], name="date")
    data = {c: [float("nan")] * len(rows) for c in COLUMNS}
    data["close"] = [v for _, v in rows]
    return pd.DataFrame(data, index=idx)


def yahoo_download(closes: dict[int, float], index: pd.DatetimeIndex) -> pd.DataFrame:
    """What ``yfinance.download(["^GSPC"], group_by="ticker")`` returns, on ``index``."""
    cols = pd.MultiIndex.from_product([["^GSPC"], ["Open", "High", "Low", "Close", "Volume"]])
    values = list(closes.values())
    data = [[v, v, v, v, 1e9] for v in values]
    return pd.DataFrame(data, index=index, columns=cols)


def rejected(
    engine: sa.Engine, calendar: NyseCalendar, fetcher: Any, symbols: list[str] | None = None
) -> list[str]:
    """Run an update that must be rejected; return its problem lines."""
    store = PriceStore(engine)
    before = store_checksum(engine)
    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, symbols or ["^GSPC"], AFTER_CLOSE)
    assert report.error is not None
    assert report.error.startswith(f"the {fetcher.name} download failed validation: ")
    assert not report.ok
    assert store_checksum(engine) == before
    return report.problems


# --------------------------------------------------------------------------- rejected
def test_duplicated_date_rejected_through_yahoo(engine: sa.Engine, calendar: NyseCalendar) -> None:
    seed(engine, _GSPC=GSPC)
    idx = pd.DatetimeIndex([*GSPC, "2025-12-22", "2025-12-22"], name="Date")
    raw = yahoo_download(dict(enumerate([*GSPC.values(), 6878.49, 1.0])), idx)
    source = YahooSource(lambda *a, **k: raw, sleep=lambda _: None)
    assert rejected(engine, calendar, source) == [
        "^GSPC: date 2025-12-22 repeats an earlier row (closes 6878.49 and 1)"
    ]


def test_ten_times_print_rejected_against_the_stored_close(
    engine: sa.Engine, calendar: NyseCalendar
) -> None:
    seed(engine, _GSPC=GSPC)
    fetcher = FakeFetcher({"^GSPC": bars_frame({**GSPC, "2025-12-22": 68784.9})})
    assert rejected(engine, calendar, fetcher) == [
        "^GSPC 2025-12-22: close 68784.9 is a +906.44% move from 6834.5 on 2025-12-19: "
        "an index session move beyond ±25% is implausible"
    ]


def test_ten_times_print_inside_a_full_history_download(
    engine: sa.Engine, calendar: NyseCalendar
) -> None:
    seed(engine, _RUT=RUT)  # ^GSPC is new: its whole history is downloaded
    fetcher = FakeFetcher({
        "^RUT": bars_frame({**RUT, "2025-12-22": 2510.0}),
        "^GSPC": bars_frame({**GSPC, "2025-12-17": 67214.3}),
    })
    assert rejected(engine, calendar, fetcher, ["^RUT", "^GSPC"]) == [
        "^GSPC 2025-12-17: close 67214.3 is a +888.41% move from 6800.26 on 2025-12-16: "
        "an index session move beyond ±25% is implausible",
        "^GSPC 2025-12-18: close 6774.76 is a -89.92% move from 67214.3 on 2025-12-17: "
        "an index session move beyond ±25% is implausible",
    ]
    # The sound ^RUT row was not written either: all or nothing.
    assert PriceStore(engine).info()["^RUT"].last_date == date(2025, 12, 19)


def test_timezone_shifted_index_rejected(engine: sa.Engine, calendar: NyseCalendar) -> None:
    seed(engine, _GSPC=GSPC)
    # Midnight in Tokyo is the previous day in New York: the Mondays become Sundays.
    tokyo = pd.DatetimeIndex([*GSPC, "2025-12-22"], name="Date").tz_localize("Asia/Tokyo")
    raw = yahoo_download(dict(enumerate([*GSPC.values(), 6878.49])), tokyo)
    source = YahooSource(lambda *a, **k: raw, sleep=lambda _: None)
    assert rejected(engine, calendar, source) == [
        "^GSPC: 2025-12-14 is a Sunday, not an NYSE session",
        "^GSPC: 2025-12-21 is a Sunday, not an NYSE session",
    ]


def test_dates_shifted_by_one_day_rejected(engine: sa.Engine, calendar: NyseCalendar) -> None:
    seed(engine, _GSPC=GSPC)
    # Every date one day late: Friday's close lands on Saturday Dec 20.
    shifted = {str((pd.Timestamp(d) + pd.Timedelta(days=1)).date()): v for d, v in GSPC.items()}
    fetcher = FakeFetcher({"^GSPC": bars_frame(shifted)})
    assert rejected(engine, calendar, fetcher) == [
        "^GSPC: 2025-12-20 is a Saturday, not an NYSE session"
    ]


def test_dates_shifted_by_one_session_rejected(engine: sa.Engine, calendar: NyseCalendar) -> None:
    seed(engine, _GSPC=GSPC)
    # Tue..Mon carry Mon..Fri's closes: every date is a session, but one session late.
    days = ["2025-12-16", "2025-12-17", "2025-12-18", "2025-12-19", "2025-12-22"]
    fetcher = FakeFetcher({"^GSPC": bars_frame(dict(zip(days, GSPC.values(), strict=True)))})
    assert rejected(engine, calendar, fetcher) == [
        "^GSPC: the dates look shifted by one session: 4 re-read closes equal the stored closes "
        "of the previous session (a timezone mix-up?)"
    ]


def test_revision_beyond_five_percent_rejected(engine: sa.Engine, calendar: NyseCalendar) -> None:
    seed(engine, _GSPC=GSPC)
    fetcher = FakeFetcher({"^GSPC": bars_frame({**GSPC, "2025-12-17": 7100.0,
                                                "2025-12-22": 6878.49})})
    assert rejected(engine, calendar, fetcher) == [
        "^GSPC 2025-12-17: close revised from 6721.43 to 7100 (+5.63%): a revision of more than "
        "5% is suspicious"
    ]


# --------------------------------------------------------------------------- accepted
def test_revision_within_five_percent_replaced_and_reported(
    engine: sa.Engine, calendar: NyseCalendar
) -> None:
    store = seed(engine, _GSPC=GSPC)
    fetcher = FakeFetcher({"^GSPC": bars_frame({**GSPC, "2025-12-17": 7000.0,
                                                "2025-12-22": 6878.49})})
    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC"], AFTER_CLOSE)
    assert report.ok and report.problems == []
    (res,) = report.results
    assert (res.status, res.added, res.revised) == ("updated", 1, [date(2025, 12, 17)])
    closes = store.bars(["^GSPC"])["^GSPC"]["close"]
    assert closes[pd.Timestamp("2025-12-17")] == 7000.0  # +4.14%: replaced
    assert closes[pd.Timestamp("2025-12-22")] == 6878.49


def test_vix_and_etf_jumps_flagged_and_stored(engine: sa.Engine, calendar: NyseCalendar) -> None:
    # ^VIX, Feb 2 -> Feb 5, 2018: 17.31 -> 37.32 (+115.60%), a real session.
    store = seed(engine, _VIX={"2018-01-31": 13.54, "2018-02-01": 13.47, "2018-02-02": 17.31},
                 IWM={"2018-01-31": 156.21, "2018-02-01": 155.80, "2018-02-02": 152.37})
    fetcher = FakeFetcher({
        "^VIX": bars_frame({"2018-02-02": 17.31, "2018-02-05": 37.32}),
        "IWM": bars_frame({"2018-02-02": 152.37, "2018-02-05": 196.0}),
    })
    now = datetime(2018, 2, 5, 17, 0, tzinfo=NY_TZ)
    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^VIX", "IWM"], now)
    assert report.ok
    flags = {r.symbol: r.flagged for r in report.results}
    assert flags == {
        "^VIX": ["^VIX 2018-02-05: close 37.32 is a +115.60% move from 17.31 on 2018-02-02 "
                 "(beyond ±25%: flagged, accepted)"],
        "IWM": ["IWM 2018-02-05: close 196 is a +28.63% move from 152.37 on 2018-02-02 "
                "(beyond ±25%: flagged, accepted)"],
    }
    assert store.info()["^VIX"].last_date == date(2018, 2, 5)


@pytest.mark.parametrize("zone", ["America/New_York", "UTC"])
def test_tz_aware_index_converted_to_new_york_never_shifted(
    engine: sa.Engine, calendar: NyseCalendar, zone: str
) -> None:
    store = seed(engine, _GSPC=GSPC)
    # Yahoo's daily bars: midnight New York, which is 05:00 UTC.
    idx = pd.DatetimeIndex([*GSPC, "2025-12-22"]).tz_localize("America/New_York").tz_convert(zone)
    raw = yahoo_download(dict(enumerate([*GSPC.values(), 6878.49])), idx)
    source = YahooSource(lambda *a, **k: raw, sleep=lambda _: None)
    report = update_prices(SqlAlchemyUnitOfWork(store.engine), source, calendar, ["^GSPC"], AFTER_CLOSE)
    assert report.ok
    assert report.results[0].added == 1
    closes = store.bars(["^GSPC"])["^GSPC"]["close"]
    assert closes.index[-1] == pd.Timestamp("2025-12-22")
    assert closes.iloc[-1] == 6878.49


# --------------------------------------------------------------------------- command line
def test_update_command_exits_1_with_one_line_per_problem(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    calendar: NyseCalendar,
    make_services: MakeServices,
) -> None:
    engine = make_engine(sqlite_url(tmp_path / "t.sqlite3"))  # the file make_services uses
    seed(engine, _GSPC=GSPC, _RUT=RUT)
    before = store_checksum(engine)
    fetcher = FakeFetcher({
        "^GSPC": frame_with_rows([*GSPC.items(), ("2025-12-22", 6878.49), ("2025-12-22", 1.0)]),
        "^RUT": bars_frame({**RUT, "2025-12-22": 25100.0}),
    })
    svc = make_services(tmp_path, calendar, fetcher=fetcher, now=AFTER_CLOSE)
    rc = main(["update"], services=svc)
    out, err = capsys.readouterr()
    assert rc == 1
    assert out == ""
    assert err.splitlines() == [
        "update failed, the store is unchanged: the Yahoo Finance download failed validation. "
        "Data as of 2025-12-19.",
        "  ^GSPC: date 2025-12-22 repeats an earlier row (closes 6878.49 and 1)",
        "  ^RUT 2025-12-22: close 25100 is a +902.00% move from 2505 on 2025-12-19: an index "
        "session move beyond ±25% is implausible",
    ]
    assert store_checksum(engine) == before
    engine.dispose()
