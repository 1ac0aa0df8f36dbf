"""Incremental price updates (bot.services.refresh) and the Yahoo adapter (bot.adapters.yahoo).

Everything runs against a small hand-written SQLite store, the real NYSE calendar and
fake fetchers/downloaders: no network, no sleeping.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from conftest import FakeFetcher, bars_frame, sqlite_url

from bot.adapters.calendar import NyseCalendar
from bot.adapters.yahoo import YahooSource, split_download
from bot.domain.bars import COLUMNS
from bot.domain.errors import DataSourceError
from bot.domain.time import NY_TZ
from bot.services.refresh import (
    OVERLAP_DAYS,
    SymbolUpdate,
    UpdateReport,
    update_prices,
    validate_bars,
)
from bot.store.db import make_engine
from bot.store.prices import PriceStore
from bot.store.unit_of_work import SqlAlchemyUnitOfWork

NAN = float("nan")

# Hand-made stored closes (December 2025 sessions; Dec 25 is a holiday, Dec 20 a Saturday).
GSPC_STORED = {
    "2025-12-15": 100.0,
    "2025-12-16": 101.0,
    "2025-12-17": 102.0,
    "2025-12-18": 103.0,
    "2025-12-19": 104.0,
}
RUT_STORED = {
    "2025-12-15": 200.0,
    "2025-12-16": 201.0,
    "2025-12-17": 202.0,
    "2025-12-18": 203.0,
    "2025-12-19": 204.0,
    "2025-12-22": 205.0,
}
DJI_STORED = {
    "2025-12-15": 300.0,
    "2025-12-16": 301.0,
    "2025-12-17": 302.0,
    "2025-12-18": 303.0,
    "2025-12-19": 304.0,
    "2025-12-22": 305.0,
    "2025-12-23": 306.0,
}


def ny(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=NY_TZ)


def d(text: str) -> date:
    return date.fromisoformat(text)


def make_store(tmp_path: Path, **series: dict[str, float]) -> PriceStore:
    """A fresh SQLite store holding the given symbols (keyword ``GSPC`` -> ``^GSPC``)."""
    store = PriceStore(make_engine(sqlite_url(tmp_path / "u.sqlite3")))
    for key, closes in series.items():
        store.write(f"^{key}", bars_frame(closes), "seed")
    return store


def stored_closes(store: PriceStore, symbol: str) -> dict[str, float]:
    df = store.bars([symbol])[symbol]
    return {f"{ts:%Y-%m-%d}": float(v) for ts, v in df["close"].items()}


def by_symbol(report: UpdateReport) -> dict[str, SymbolUpdate]:
    return {r.symbol: r for r in report.results}


# --------------------------------------------------------------------------- (a) batching
def test_only_missing_sessions_added_in_one_batched_fetch(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED, RUT=RUT_STORED, DJI=DJI_STORED)
    gspc_download = {
        # Before the first stored date: part of the overlap window, must not be inserted.
        "2025-12-09": 90.0,
        "2025-12-10": 91.0,
        "2025-12-11": 92.0,
        "2025-12-12": 93.0,
        **GSPC_STORED,
        "2025-12-22": 105.0,
        "2025-12-23": 106.0,
    }
    rut_download = {"2025-12-12": 199.0, **RUT_STORED, "2025-12-23": 206.0}
    fetcher = FakeFetcher({"^GSPC": bars_frame(gspc_download), "^RUT": bars_frame(rut_download)})

    report = update_prices(
        SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC", "^RUT", "^DJI"], now=ny(2025, 12, 23, 17)
    )

    # One call for both symbols that need data; ^DJI (already at Dec 23) is not fetched.
    # start = earliest (last stored - OVERLAP_DAYS) = Dec 19 - 10 days = Dec 9.
    assert OVERLAP_DAYS == 10
    assert fetcher.calls == [(("^GSPC", "^RUT"), date(2025, 12, 9))]
    assert report.as_of_session == date(2025, 12, 23)
    assert report.error is None
    assert report.ok
    res = by_symbol(report)
    assert res["^GSPC"] == SymbolUpdate("^GSPC", "updated", added=2, last_date=date(2025, 12, 23))
    assert res["^RUT"] == SymbolUpdate("^RUT", "updated", added=1, last_date=date(2025, 12, 23))
    assert res["^DJI"] == SymbolUpdate("^DJI", "up to date", last_date=date(2025, 12, 23))

    assert stored_closes(store, "^GSPC") == {
        **GSPC_STORED,
        "2025-12-22": 105.0,
        "2025-12-23": 106.0,
    }
    assert stored_closes(store, "^RUT") == {**RUT_STORED, "2025-12-23": 206.0}
    assert stored_closes(store, "^DJI") == DJI_STORED
    info = store.info()
    assert (info["^GSPC"].rows, info["^GSPC"].last_date) == (7, date(2025, 12, 23))
    assert info["^GSPC"].source == "Yahoo Finance"
    assert info["^DJI"].source == "seed"  # untouched

    # A second run finds everything up to date and does not download at all.
    again = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC", "^RUT"], now=ny(2025, 12, 23, 17))
    assert len(fetcher.calls) == 1
    assert [r.status for r in again.results] == ["up to date", "up to date"]


def test_new_symbol_downloads_full_history(tmp_path: Path, calendar: NyseCalendar) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED)
    fetcher = FakeFetcher(
        {"^GSPC": bars_frame({**GSPC_STORED, "2025-12-22": 105.0}), "^RUT": bars_frame(RUT_STORED)}
    )
    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC", "^RUT"], now=ny(2025, 12, 22, 17))
    # A symbol with nothing stored needs all history: start=None for the whole batch.
    assert fetcher.calls == [(("^GSPC", "^RUT"), None)]
    res = by_symbol(report)
    assert (res["^RUT"].status, res["^RUT"].added) == ("updated", 6)
    assert (res["^GSPC"].status, res["^GSPC"].added) == ("updated", 1)
    assert stored_closes(store, "^RUT") == RUT_STORED


# --------------------------------------------------------------------------- (b) intraday
@pytest.mark.parametrize(
    ("now", "session", "last_kept", "dropped"),
    [
        # Tuesday Dec 23: normal 16:00 close.
        (ny(2025, 12, 23, 15), "2025-12-22", "2025-12-22", 1),
        (ny(2025, 12, 23, 16, 30), "2025-12-23", "2025-12-23", 0),
        # Wednesday Dec 24: early 13:00 close.
        (ny(2025, 12, 24, 12, 30), "2025-12-23", "2025-12-23", 1),
        (ny(2025, 12, 24, 13, 30), "2025-12-24", "2025-12-24", 0),
    ],
)
def test_todays_row_only_kept_after_the_close(
    tmp_path: Path,
    calendar: NyseCalendar,
    now: datetime,
    session: str,
    last_kept: str,
    dropped: int,
) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED)
    download = {**GSPC_STORED, "2025-12-22": 105.0, "2025-12-23": 106.0}
    if now.day == 24:
        download["2025-12-24"] = 107.0
    fetcher = FakeFetcher({"^GSPC": bars_frame(download)})

    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC"], now=now)

    assert report.as_of_session == d(session)
    (res,) = report.results
    assert res.last_date == d(last_kept)
    assert max(stored_closes(store, "^GSPC")) == last_kept
    assert res.added == len([k for k in download if "2025-12-19" < k <= last_kept])
    if dropped:
        assert res.rejected == [
            f"dropped {dropped} row(s) after the last completed session {session} "
            "(not a final close yet)"
        ]
    else:
        assert res.rejected == []


# --------------------------------------------------------------------------- (c) bad closes
def test_nan_and_zero_closes_rejected_rest_stored(tmp_path: Path, calendar: NyseCalendar) -> None:
    stored = {"2025-12-15": 100.0, "2025-12-16": 101.0, "2025-12-17": 102.0}
    store = make_store(tmp_path, GSPC=stored)
    download = {
        **stored,
        "2025-12-18": 103.0,
        "2025-12-19": NAN,
        "2025-12-22": 105.0,
        "2025-12-23": 0.0,
    }
    fetcher = FakeFetcher({"^GSPC": bars_frame(download)})

    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC"], now=ny(2025, 12, 23, 17))

    (res,) = report.results
    assert res.status == "updated"
    assert res.added == 2
    assert res.rejected == [
        "rejected 2 row(s) with a missing or non-positive close (2025-12-19, 2025-12-23)"
    ]
    # Dec 19 is now a hole inside the download: reported, not invented.
    assert res.missing_sessions == [date(2025, 12, 19)]
    assert res.last_date == date(2025, 12, 22)
    assert stored_closes(store, "^GSPC") == {**stored, "2025-12-18": 103.0, "2025-12-22": 105.0}


def test_validate_bars_negative_close_and_all_bad(calendar: NyseCalendar) -> None:
    df = bars_frame({"2025-12-22": -1.0, "2025-12-23": NAN})
    clean, notes, missing = validate_bars(df, calendar, date(2025, 12, 23))
    assert clean.empty
    assert notes == [
        "rejected 2 row(s) with a missing or non-positive close (2025-12-22, 2025-12-23)"
    ]
    assert missing == []


# --------------------------------------------------------------------------- (d) closed days
def test_rows_on_a_weekday_holiday_dropped_rest_stored(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    # Cboe publishes ^VIX on some NYSE holidays: such a row is dropped, not a rejection.
    # (A weekend date means shifted dates and rejects the download: test_validated_download.)
    store = make_store(tmp_path, GSPC=GSPC_STORED)
    download = {
        **GSPC_STORED,
        "2025-12-22": 105.0,
        "2025-12-23": 106.0,
        "2025-12-24": 107.0,
        "2025-12-25": 999.0,  # Christmas Day
        "2025-12-26": 108.0,
        "2025-12-29": 109.0,
    }
    fetcher = FakeFetcher({"^GSPC": bars_frame(download)})

    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC"], now=ny(2025, 12, 29, 17))

    assert report.ok
    (res,) = report.results
    assert res.rejected == ["rejected 1 row(s) dated on days the NYSE was closed (2025-12-25)"]
    assert res.added == 5
    assert res.missing_sessions == []
    closes = stored_closes(store, "^GSPC")
    assert "2025-12-25" not in closes
    assert list(closes)[-5:] == [
        "2025-12-22",
        "2025-12-23",
        "2025-12-24",
        "2025-12-26",
        "2025-12-29",
    ]


# --------------------------------------------------------------------------- (e) missing
def test_missing_session_reported_not_filled(tmp_path: Path, calendar: NyseCalendar) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED)
    download = {k: v for k, v in GSPC_STORED.items() if k != "2025-12-17"}  # stored already
    download["2025-12-23"] = 106.0  # Dec 22 is absent from the download
    fetcher = FakeFetcher({"^GSPC": bars_frame(download)})

    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC"], now=ny(2025, 12, 23, 17))

    (res,) = report.results
    # Only the new hole is news; Dec 17 is already stored.
    assert res.missing_sessions == [date(2025, 12, 22)]
    assert res.added == 1
    assert stored_closes(store, "^GSPC") == {**GSPC_STORED, "2025-12-23": 106.0}


# --------------------------------------------------------------------------- (f) failures
def _snapshot(store: PriceStore) -> tuple[Any, ...]:
    return store.bars(store.symbols()), store.version(), store.info()


def _assert_unchanged(store: PriceStore, before: tuple[Any, ...]) -> None:
    bars_before, version_before, info_before = before
    bars_after, version_after, info_after = _snapshot(store)
    assert bars_after.keys() == bars_before.keys()
    for sym, df in bars_before.items():
        pd.testing.assert_frame_equal(bars_after[sym], df)
    assert version_after == version_before
    assert info_after == info_before


def test_fetcher_error_leaves_store_untouched(tmp_path: Path, calendar: NyseCalendar) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED, RUT=RUT_STORED)
    before = _snapshot(store)
    fetcher = FakeFetcher(error=DataSourceError("Yahoo Finance is unreachable (timeout)"))

    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC", "^RUT"], now=ny(2025, 12, 23, 17))

    assert report.error == "Yahoo Finance is unreachable (timeout)"
    assert not report.ok
    assert report.results == []
    assert len(fetcher.calls) == 1
    _assert_unchanged(store, before)


def test_empty_yahoo_download_is_an_error_and_store_untouched(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED, RUT=RUT_STORED)
    before = _snapshot(store)
    sleeps: list[float] = []
    calls: list[list[str]] = []

    def empty_download(tickers: list[str], **_: Any) -> pd.DataFrame:
        calls.append(tickers)
        return pd.DataFrame()

    source = YahooSource(empty_download, sleep=sleeps.append)
    report = update_prices(SqlAlchemyUnitOfWork(store.engine), source, calendar, ["^GSPC", "^RUT"], now=ny(2025, 12, 23, 17))

    assert report.error is not None
    assert report.error.startswith("Yahoo Finance is unreachable or returned no data")
    assert not report.ok
    assert calls == [["^GSPC", "^RUT"]] * 3
    assert sleeps == [2.0, 4.0]
    _assert_unchanged(store, before)


def test_fetcher_returning_nothing_reports_no_data(tmp_path: Path, calendar: NyseCalendar) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED, RUT=RUT_STORED)
    before = _snapshot(store)
    report = update_prices(
        SqlAlchemyUnitOfWork(store.engine), FakeFetcher({}), calendar, ["^GSPC", "^RUT"], now=ny(2025, 12, 23, 17)
    )
    res = by_symbol(report)
    assert res["^GSPC"] == SymbolUpdate("^GSPC", "no data", last_date=date(2025, 12, 19))
    assert res["^RUT"] == SymbolUpdate("^RUT", "no data", last_date=date(2025, 12, 22))
    assert not report.ok
    _assert_unchanged(store, before)


# --------------------------------------------------------------------------- (g) revisions
def test_revised_close_replaced_and_reported(tmp_path: Path, calendar: NyseCalendar) -> None:
    store = make_store(tmp_path, GSPC=GSPC_STORED)
    download = {
        **GSPC_STORED,
        "2025-12-16": 101.02,  # revised by 0.02 > 0.01: replace
        "2025-12-17": 102.005,  # 0.005: rounding noise, keep the stored close
        "2025-12-22": 105.0,
    }
    fetcher = FakeFetcher({"^GSPC": bars_frame(download)})

    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC"], now=ny(2025, 12, 22, 17))

    (res,) = report.results
    assert res.status == "updated"
    assert res.revised == [date(2025, 12, 16)]
    assert res.added == 1
    assert stored_closes(store, "^GSPC") == {
        **GSPC_STORED,
        "2025-12-16": 101.02,
        "2025-12-22": 105.0,
    }
    assert store.info()["^GSPC"].rows == 6


# --------------------------------------------------------------------------- (h) Yahoo
FIELDS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]


def yf_frame() -> pd.DataFrame:
    """What ``yfinance.download([...], group_by="ticker")`` returns for ^GSPC and ^RUT."""
    idx = pd.DatetimeIndex(["2025-12-29", "2025-12-30", "2025-12-31"], name="Date")
    cols = pd.MultiIndex.from_product([["^GSPC", "^RUT"], FIELDS], names=["Ticker", "Price"])
    rows = [
        # ^GSPC: Open High Low Close AdjClose Volume | ^RUT: ...
        [
            6900.0,
            6910.0,
            6890.0,
            6905.5,
            6905.5,
            3.1e9,
            2500.0,
            2510.0,
            2490.0,
            2505.25,
            2505.25,
            1.1e9,
        ],
        [
            6905.0,
            6920.0,
            6880.0,
            6896.2,
            6896.2,
            2.9e9,
            2505.0,
            2507.0,
            2480.0,
            2488.75,
            2488.75,
            1.0e9,
        ],
        # ^RUT has no row yet on the last date: yfinance pads it with NaN.
        [6896.0, 6899.0, 6840.0, 6845.5, 6845.5, 3.3e9, NAN, NAN, NAN, NAN, NAN, NAN],
    ]
    return pd.DataFrame(rows, index=idx, columns=cols)


class FakeDownloader:
    """Plays back results (frames or exceptions) and records each call."""

    def __init__(self, *results: Any) -> None:
        self.results = list(results)
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        result = self.results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result


def test_yahoo_multiindex_download_split_per_symbol() -> None:
    dl = FakeDownloader(yf_frame())
    sleeps: list[float] = []
    frames = YahooSource(dl, sleep=sleeps.append).bars(["^GSPC", "^RUT"], start=date(2025, 12, 20))

    assert sorted(frames) == ["^GSPC", "^RUT"]
    gspc, rut = frames["^GSPC"], frames["^RUT"]
    assert list(gspc.columns) == list(COLUMNS)
    assert gspc.index.name == "date"
    assert list(gspc.index) == [pd.Timestamp(x) for x in ("2025-12-29", "2025-12-30", "2025-12-31")]
    assert gspc["close"].tolist() == [6905.5, 6896.2, 6845.5]
    assert cast(pd.Series, gspc.loc["2025-12-30"]).tolist() == [6905.0, 6920.0, 6880.0, 6896.2, 2.9e9]
    # The NaN-padded row is dropped rather than stored as a close.
    assert list(rut.index) == [pd.Timestamp("2025-12-29"), pd.Timestamp("2025-12-30")]
    assert rut["close"].tolist() == [2505.25, 2488.75]
    assert rut["volume"].tolist() == [1.1e9, 1.0e9]

    # One batched request, price closes (not adjusted), ticker-grouped.
    assert len(dl.calls) == 1
    args, kwargs = dl.calls[0]
    assert args == (["^GSPC", "^RUT"],)
    assert kwargs["start"] == "2025-12-20"
    assert kwargs["auto_adjust"] is False
    assert kwargs["group_by"] == "ticker"
    assert kwargs["interval"] == "1d"
    assert kwargs["progress"] is False
    assert kwargs["end"] > kwargs["start"]
    assert sleeps == []


def test_yahoo_adj_close_is_not_used_as_close() -> None:
    raw = yf_frame()
    raw[("^GSPC", "Adj Close")] = raw[("^GSPC", "Close")] * 0.5
    frames = YahooSource(FakeDownloader(raw), sleep=lambda _: None).bars(["^GSPC"])
    assert frames["^GSPC"]["close"].tolist() == [6905.5, 6896.2, 6845.5]


@pytest.mark.parametrize(
    "empty",
    [
        pytest.param(pd.DataFrame, id="empty-frame"),
        pytest.param(lambda: None, id="none"),
        pytest.param(lambda: yf_frame().map(lambda _: np.nan), id="all-nan"),
    ],
)
def test_yahoo_empty_three_times_raises_after_backoff(empty: Any) -> None:
    dl = FakeDownloader(empty(), empty(), empty())
    sleeps: list[float] = []
    src = YahooSource(dl, sleep=sleeps.append)
    with pytest.raises(DataSourceError, match="Yahoo Finance is unreachable or returned no data"):
        src.bars(["^GSPC", "^RUT"], start=date(2025, 12, 20))
    assert len(dl.calls) == 3
    assert sleeps == [2.0, 4.0]


def test_yahoo_recovers_after_one_failure() -> None:
    dl = FakeDownloader(ConnectionError("connection reset by peer"), yf_frame())
    sleeps: list[float] = []
    frames = YahooSource(dl, sleep=sleeps.append).bars(["^GSPC", "^RUT"])
    assert sleeps == [2.0]
    assert len(dl.calls) == 2
    assert dl.calls[0][1]["start"] == "1927-12-01"  # no start: all history
    assert frames["^GSPC"]["close"].iloc[-1] == 6845.5
    assert len(frames["^RUT"]) == 2


def test_yahoo_no_symbols_no_request() -> None:
    dl = FakeDownloader()
    assert YahooSource(dl).bars([]) == {}
    assert dl.calls == []


def test_split_download_single_ticker_flat_frame() -> None:
    idx = pd.DatetimeIndex(["2025-12-30", "2025-12-31"], name="Date").tz_localize(NY_TZ)
    raw = pd.DataFrame(
        [
            [2505.0, 2507.0, 2480.0, 2488.75, 2488.75, 1.0e9],
            [2490.0, 2495.0, 2470.0, 2481.9, 2481.9, 9.0e8],
        ],
        index=idx,
        columns=FIELDS,
    )
    frames = split_download(raw, ["^RUT"])
    assert list(frames) == ["^RUT"]
    df = frames["^RUT"]
    assert list(df.columns) == list(COLUMNS)
    assert cast(pd.DatetimeIndex, df.index).tz is None  # tz-aware session timestamps become naive dates
    assert list(df.index) == [pd.Timestamp("2025-12-30"), pd.Timestamp("2025-12-31")]
    assert df["close"].tolist() == [2488.75, 2481.9]
    # A flat frame cannot be attributed when several symbols were asked for.
    assert split_download(raw, ["^RUT", "^GSPC"]) == {}


def test_split_download_field_first_layout() -> None:
    raw = yf_frame().swaplevel(axis=1).sort_index(axis=1)  # group_by="column" layout
    frames = split_download(raw, ["^GSPC", "^RUT", "^DJI"])
    assert sorted(frames) == ["^GSPC", "^RUT"]  # ^DJI simply absent
    assert frames["^GSPC"]["close"].tolist() == [6905.5, 6896.2, 6845.5]
    assert frames["^RUT"]["close"].tolist() == [2505.25, 2488.75]


def test_yahoo_backoff_doubles_each_attempt() -> None:
    dl = FakeDownloader(*(TimeoutError("read timed out") for _ in range(4)))
    sleeps: list[float] = []
    with pytest.raises(DataSourceError, match="read timed out"):
        YahooSource(dl, attempts=4, backoff=1.5, sleep=sleeps.append).bars(["^GSPC"])
    assert sleeps == [1.5, 3.0, 6.0]  # none after the last attempt
    assert len(dl.calls) == 4


# --------------------------------------------------------------------------- last_date
def test_revision_without_new_session_reports_the_stored_last_close(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    # Regression: last_date used to be the last *written* row (here the revised Dec 16).
    store = make_store(tmp_path, GSPC=GSPC_STORED)
    fetcher = FakeFetcher({"^GSPC": bars_frame({**GSPC_STORED, "2025-12-16": 101.5})})
    report = update_prices(SqlAlchemyUnitOfWork(store.engine), fetcher, calendar, ["^GSPC"], now=ny(2025, 12, 22, 17))
    (res,) = report.results
    assert res == SymbolUpdate(
        "^GSPC", "updated", added=0, revised=[date(2025, 12, 16)], last_date=date(2025, 12, 19)
    )
    assert stored_closes(store, "^GSPC") == {**GSPC_STORED, "2025-12-16": 101.5}


def test_lagging_download_reports_the_stored_last_close(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    # Regression: a download ending before the store did reported its own last row.
    store = make_store(tmp_path, GSPC=GSPC_STORED)
    lagging = {k: v for k, v in GSPC_STORED.items() if k <= "2025-12-18"}
    report = update_prices(
        SqlAlchemyUnitOfWork(store.engine),
        FakeFetcher({"^GSPC": bars_frame(lagging)}),
        calendar,
        ["^GSPC"],
        ny(2025, 12, 22, 17),
    )
    (res,) = report.results
    assert res == SymbolUpdate("^GSPC", "up to date", last_date=date(2025, 12, 19))
    assert stored_closes(store, "^GSPC") == GSPC_STORED
