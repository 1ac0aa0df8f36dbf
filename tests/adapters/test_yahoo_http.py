"""The Yahoo adapter through the real yfinance code, over a session that replays recordings.

:mod:`fakeyahoo` answers yfinance's HTTP requests from the chart-API fixtures in
``tests/fixtures/yahoo`` (real closes of ^GSPC and ^RUT, 2026-08-24 .. 2026-09-11; ^RUT
misses 2026-09-02 and ^GSPC has a null row on 2026-08-27). So a yfinance release that
changes its requests or the frame it returns fails here, not in production.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import yfinance
from fakeyahoo import (
    CHART_URL,
    COOKIE_URL,
    CRUMB,
    CRUMB_URLS,
    FakeYahooSession,
    fixture_closes,
    load_chart,
)

from bot.adapters.yahoo import YahooSource
from bot.domain.bars import COLUMNS
from bot.domain.errors import DataSourceError

NY = ZoneInfo("America/New_York")
START = date(2026, 8, 20)
# The fixtures as a person reads them off the chart JSON.
GSPC = fixture_closes("GSPC")
RUT = fixture_closes("RUT")


def both() -> FakeYahooSession:
    return FakeYahooSession({"^GSPC": load_chart("GSPC"), "^RUT": load_chart("RUT")})


def ts(day: str) -> pd.Timestamp:
    return pd.Timestamp(day)


def ny_midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=NY).timestamp())


def history_requests(session: FakeYahooSession, symbol: str) -> list[Any]:
    """The bar requests for ``symbol`` (not yfinance's ``range=1d`` timezone probe)."""
    return [r for r in session.chart_requests(symbol) if "period1" in r.params]


# --------------------------------------------------------------------------- the fixtures
def test_fixtures_hold_the_real_closes_and_the_two_defects() -> None:
    # Spot checks against the shared real data (GSPC.csv / RUT.csv).
    assert GSPC["2026-08-24"] == 7652.86
    assert GSPC["2026-09-11"] == 7656.98
    assert RUT["2026-09-11"] == 2903.94
    assert GSPC["2026-08-27"] is None  # the null row
    assert "2026-09-02" in GSPC and "2026-09-02" not in RUT  # the missing session
    assert "2026-09-07" not in GSPC and "2026-09-07" not in RUT  # Labor Day
    assert len(GSPC) == 14 and len(RUT) == 13
    meta = load_chart("RUT")["chart"]["result"][0]["meta"]
    assert meta["exchangeTimezoneName"] == "America/New_York"
    # Bars are stamped at 09:30 New York time.
    first = load_chart("GSPC")["chart"]["result"][0]["timestamp"][0]
    assert datetime.fromtimestamp(first, NY) == datetime(2026, 8, 24, 9, 30, tzinfo=NY)


# --------------------------------------------------------------------------- the adapter
def test_adapter_returns_exactly_the_recorded_closes() -> None:
    session = both()
    sleeps: list[float] = []
    frames = YahooSource(session=session, sleep=sleeps.append).bars(["^GSPC", "^RUT"], START)

    assert sorted(frames) == ["^GSPC", "^RUT"]
    gspc, rut = frames["^GSPC"], frames["^RUT"]
    for df in (gspc, rut):
        assert list(df.columns) == list(COLUMNS)
        assert df.index.name == "date"
        assert cast(pd.DatetimeIndex, df.index).tz is None
        assert str(df.index.dtype) == "datetime64[ns]"
        assert df.dtypes.eq("float64").all()

    assert gspc["close"].to_dict() == {ts(d): c for d, c in GSPC.items() if c is not None}
    assert rut["close"].to_dict() == {ts(d): c for d, c in RUT.items()}
    # The null row is dropped, not stored as a close.
    assert ts("2026-08-27") not in gspc.index
    # The missing session stays missing: yfinance pads it with NaN when it joins the
    # symbols, and the adapter does not turn that into a bar.
    assert ts("2026-09-02") not in rut.index
    assert ts("2026-08-27") in rut.index and ts("2026-09-02") in gspc.index
    # Whole bars come through (open, high, low, close, volume of 2026-09-11).
    # One row each (a unique session label): a Series.
    assert cast(pd.Series, gspc.loc["2026-09-11"]).tolist() == [7636.75, 7677.02, 7636.75, 7656.98, 4722480000.0]
    assert cast(pd.Series, rut.loc["2026-08-24"]).tolist() == [3015.06, 3015.06, 2991.24, 2995.08, 4400800000.0]
    assert sleeps == []


def test_requests_are_daily_bars_from_start_with_the_timeout() -> None:
    session = both()
    YahooSource(session=session, timeout=12.5, sleep=lambda _: None).bars(
        ["^GSPC", "^RUT"], date(2026, 9, 3)
    )
    for symbol in ("^GSPC", "^RUT"):
        [req] = history_requests(session, symbol)
        assert req.method == "GET"
        assert req.params["interval"] == "1d"
        assert req.params["period1"] == ny_midnight(date(2026, 9, 3))
        assert req.params["period2"] > req.params["period1"]
        assert req.params["crumb"] == CRUMB
        assert req.timeout == 12.5
    # The crumb comes first (the cookie too, unless yfinance's cookie cache has it), and
    # nothing outside the recordings is asked for.
    urls = [r.url for r in session.requests]
    assert urls[0] in (COOKIE_URL, *CRUMB_URLS)
    assert min(urls.index(u) for u in CRUMB_URLS if u in urls) < urls.index(CHART_URL + "^GSPC")
    assert session.unexpected == []


def test_start_cuts_the_history() -> None:
    frames = YahooSource(session=both(), sleep=lambda _: None).bars(
        ["^GSPC", "^RUT"], date(2026, 9, 8)
    )
    assert frames["^GSPC"]["close"].tolist() == [7673.52, 7636.36, 7591.7, 7656.98]
    assert frames["^RUT"]["close"].tolist() == [2960.2, 2921.24, 2890.95, 2903.94]


def test_one_symbol_alone() -> None:
    session = FakeYahooSession({"^RUT": load_chart("RUT")})
    frames = YahooSource(session=session, sleep=lambda _: None).bars(["^RUT"], START)
    assert list(frames) == ["^RUT"]
    assert frames["^RUT"]["close"].to_dict() == {ts(d): c for d, c in RUT.items()}
    assert session.unexpected == []


def test_symbol_yahoo_does_not_know_is_absent() -> None:
    session = FakeYahooSession(
        {"^GSPC": load_chart("GSPC"), "^RUT": load_chart("RUT")}, missing=["^NOPE"]
    )
    sleeps: list[float] = []
    frames = YahooSource(session=session, sleep=sleeps.append).bars(
        ["^GSPC", "^NOPE", "^RUT"], START
    )
    assert sorted(frames) == ["^GSPC", "^RUT"]
    assert frames["^RUT"]["close"].to_dict() == {ts(d): c for d, c in RUT.items()}
    assert session.chart_requests("^NOPE")  # asked, and Yahoo said "No data found"
    assert sleeps == []  # partial data is an answer, not a failure


def test_unreachable_yahoo_raises_after_the_retries() -> None:
    session = FakeYahooSession({"^GSPC": load_chart("GSPC")}, offline=True)
    sleeps: list[float] = []
    source = YahooSource(session=session, attempts=3, backoff=2.0, sleep=sleeps.append)
    with pytest.raises(DataSourceError, match="unreachable or returned no data after 3 attempts"):
        source.bars(["^GSPC"], START)
    assert sleeps == [2.0, 4.0]
    # Every attempt went to Yahoo's chart API again.
    assert len(session.chart_requests("^GSPC")) == 3


def test_recovers_when_yahoo_comes_back() -> None:
    session = FakeYahooSession({"^GSPC": load_chart("GSPC")}, offline=True)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        session.offline = False  # the network is back by the next attempt

    frames = YahooSource(session=session, sleep=sleep).bars(["^GSPC"], START)
    assert sleeps == [2.0]
    assert frames["^GSPC"]["close"].iloc[-1] == 7656.98


def test_caches_are_written_to_the_given_folder(yf_cache: Path) -> None:
    YahooSource(session=both(), sleep=lambda _: None).bars(["^GSPC", "^RUT"], START)
    assert (yf_cache / "tkr-tz.db").is_file()
    assert (yf_cache / "cookies.db").is_file()
    assert yfinance.cache.get_tz_cache().lookup("^RUT") == "America/New_York"


def test_production_lets_yfinance_build_its_own_session() -> None:
    calls: list[dict[str, Any]] = []

    def download(*_args: Any, **kwargs: Any) -> pd.DataFrame:
        calls.append(kwargs)
        return pd.DataFrame()

    with pytest.raises(DataSourceError):
        YahooSource(download, attempts=1).bars(["^GSPC"])
    assert calls[0]["session"] is None
    assert calls[0]["timeout"] == 30.0


# --------------------------------------------------------------------------- yfinance itself
def test_yfinance_download_frame_shape() -> None:
    """What the adapter relies on: ticker-first columns, price fields, naive session dates."""
    raw = yfinance.download(
        ["^GSPC", "^RUT"],
        start="2026-08-20",
        end="2026-09-12",
        interval="1d",
        auto_adjust=False,
        actions=False,
        group_by="ticker",
        progress=False,
        threads=True,
        multi_level_index=True,
        timeout=10,
        session=both(),
    )
    assert isinstance(raw.columns, pd.MultiIndex)
    assert list(raw.columns.names) == ["Ticker", "Price"]
    assert sorted(set(raw.columns.get_level_values(0))) == ["^GSPC", "^RUT"]
    assert set(raw["^GSPC"].columns) == {"Open", "High", "Low", "Close", "Adj Close", "Volume"}
    assert raw.index.tz is None
    assert raw.index[0] == ts("2026-08-24") and raw.index[-1] == ts("2026-09-11")
    # The union of both symbols' sessions, the gaps padded with NaN.
    assert len(raw) == 14
    assert pd.isna(raw.loc["2026-09-02", ("^RUT", "Close")])
    assert pd.isna(raw.loc["2026-08-27", ("^GSPC", "Close")])
    assert raw.loc["2026-09-11", ("^GSPC", "Close")] == 7656.98
