"""Symbols added on request: through the real yfinance code (a fake Yahoo session), into a
real SQLite store, validated as ``update`` validates, one fetch however many ask.

NVDA and AMD are not in the real data; their closes here are made up, hand-chosen so the
figures below can be computed by hand.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import NOW, sqlite_url
from fakeyahoo import FakeYahooSession, synthetic_chart

from bot.adapters.calendar import NyseCalendar
from bot.adapters.yahoo import YahooSource
from bot.bootstrap import Services, bootstrap
from bot.domain.series import InstrumentInfo, calendar_refusal
from bot.services.answers import streak_answer
from bot.settings import Settings
from bot.store.db import make_engine

NVDA = {"2026-09-08": 100.0, "2026-09-09": 102.0, "2026-09-10": 101.0, "2026-09-11": 104.0,
        "2026-09-14": 106.0, "2026-09-15": 105.0, "2026-09-16": 108.0, "2026-09-17": 110.0}
AMD = {"2026-09-08": 50.0, "2026-09-09": 50.5, "2026-09-10": 51.0, "2026-09-11": 51.5,
       "2026-09-14": 52.0, "2026-09-15": 53.0, "2026-09-16": 53.5, "2026-09-17": 54.0}
BTC = {"2026-09-12": 60000.0, "2026-09-13": 61000.0, "2026-09-14": 60500.0}  # a weekend included


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def charts() -> dict[str, dict[str, object]]:
    return {
        "NVDA": synthetic_chart("NVDA", NVDA, name="NVIDIA Corporation"),
        "AMD": synthetic_chart("AMD", AMD, name="Advanced Micro Devices, Inc."),
        "BTC-USD": synthetic_chart("BTC-USD", BTC, name="Bitcoin USD", kind="CRYPTOCURRENCY", zone="UTC",
                                   exchange="CCC"),
        # a download Yahoo sends with a Saturday in it: refused by validation, as update refuses it
        "BADD": synthetic_chart("BADD", {**AMD, "2026-09-12": 51.7}, name="Bad Dates Inc."),
    }


def services_with(session: FakeYahooSession, tmp_path: Path, seeded_db: Path, calendar: NyseCalendar,
                  clock: Clock) -> Services:
    return bootstrap(
        Settings(_env_file=None),
        calendar=calendar, clock=clock,
        fetcher_factory=lambda: YahooSource(session=session, sleep=lambda _: None),
        engine=make_engine(sqlite_url(seeded_db)),
    )


@pytest.fixture
def session() -> FakeYahooSession:
    return FakeYahooSession(charts(), missing={"NOPE"})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(session: FakeYahooSession, tmp_path: Path, seeded_db: Path, calendar: NyseCalendar,
        clock: Clock) -> Services:
    return services_with(session, tmp_path, seeded_db, calendar, clock)


def lookups(session: FakeYahooSession, symbol: str) -> int:
    return sum(1 for r in session.chart_requests(symbol) if r.params.get("range") == "5d")


def downloads(session: FakeYahooSession, symbol: str) -> int:
    return sum(1 for r in session.chart_requests(symbol) if "period1" in r.params)


def test_a_new_stock_is_stored_with_its_metadata_and_answered(svc: Services, session: FakeYahooSession) -> None:
    assert "NVDA" not in svc.market.available()
    for symbol in ("NVDA", "AMD"):
        added = svc.new_symbols.add(symbol)
        assert (added.status, added.sessions) == ("added", 8)
    assert svc.instruments.get("NVDA") == InstrumentInfo("NVDA", "NVIDIA Corporation", "EQUITY", "USD",
                                                         "NasdaqGS", "America/New_York")
    assert {"NVDA", "AMD"} <= set(svc.market.available())  # the market was refreshed
    ans = streak_answer(svc.market, "NVDA", "AMD")
    cur = ans.report.current
    assert cur is not None
    # NVDA beat AMD on Sep 16 (+2.857% vs +0.943%) and Sep 17 (+1.852% vs +0.935%), not Sep 15.
    assert (cur.length, str(cur.start.date()), str(cur.end.date())) == (2, "2026-09-16", "2026-09-17")
    assert cur.return_a == pytest.approx(110 / 105 - 1) and cur.return_b == pytest.approx(54 / 53 - 1)
    assert session.unexpected == []
    assert "NVDA" in svc.price_store.symbols()  # so `streakbot update` keeps it current


def test_twenty_at_once_cost_one_lookup_and_one_download(svc: Services, session: FakeYahooSession) -> None:
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def ask() -> None:
        start.wait()
        outcomes.append(svc.new_symbols.add("NVDA").status)

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 20 and set(outcomes) <= {"added", "stored"} and "added" in outcomes
    assert (lookups(session, "NVDA"), downloads(session, "NVDA")) == (1, 1)


def test_an_unknown_ticker_is_remembered_for_a_while(svc: Services, session: FakeYahooSession,
                                                     clock: Clock) -> None:
    assert svc.new_symbols.add("NOPE").status == "unknown"
    first = lookups(session, "NOPE")  # yfinance asks twice on a 404 (with a fresh crumb)
    assert first >= 1
    assert svc.new_symbols.add("NOPE").status == "unknown"
    assert lookups(session, "NOPE") == first  # remembered: Yahoo not asked again
    clock.now = NOW + timedelta(hours=7)
    assert svc.new_symbols.add("NOPE").status == "unknown"
    assert lookups(session, "NOPE") == 2 * first


def test_crypto_is_refused_with_the_reason(svc: Services, session: FakeYahooSession) -> None:
    added = svc.new_symbols.add("BTC-USD")
    assert added.status == "refused"
    assert added.reason == "BTC-USD is a cryptocurrency instrument that trades outside NYSE sessions"
    assert downloads(session, "BTC-USD") == 0 and "BTC-USD" not in svc.price_store.symbols()


def test_a_download_that_fails_validation_stores_nothing(svc: Services) -> None:
    added = svc.new_symbols.add("BADD")
    assert added.status == "failed"
    assert (added.reason or "").endswith("BADD: 2026-09-12 is a Saturday, not an NYSE session")
    assert "BADD" not in svc.price_store.symbols() and svc.instruments.get("BADD") is None


def test_an_unreachable_yahoo_is_not_remembered(tmp_path: Path, seeded_db: Path, calendar: NyseCalendar,
                                                clock: Clock) -> None:
    down = FakeYahooSession(charts(), offline=True)
    svc = services_with(down, tmp_path, seeded_db, calendar, clock)
    assert svc.new_symbols.add("NVDA").status == "failed"
    assert svc.new_symbols.add("NVDA").status == "failed"
    assert lookups(down, "NVDA") == 2 * 3  # each request retried three times, none cached


def test_offline_settings_never_look_up(seeded_db: Path, calendar: NyseCalendar, clock: Clock) -> None:
    svc = bootstrap(Settings(_env_file=None, offline=True), calendar=calendar, clock=clock,
                    engine=make_engine(sqlite_url(seeded_db)))
    assert not svc.new_symbols.online
    assert svc.new_symbols.add("NVDA").status == "offline"


@pytest.mark.parametrize(("kind", "zone", "refused"), [
    ("EQUITY", "America/New_York", None),
    ("ETF", "America/New_York", None),
    ("INDEX", "America/Chicago", "^X trades on X (America/Chicago), not on the NYSE calendar"),
    ("CURRENCY", "Europe/London", "^X is a currency instrument that trades outside NYSE sessions"),
    ("EQUITY", "Asia/Tokyo", "^X trades on X (Asia/Tokyo), not on the NYSE calendar"),
])
def test_calendar_refusal(kind: str, zone: str, refused: str | None) -> None:
    assert calendar_refusal(InstrumentInfo("^X", "x", kind, "USD", "X", zone)) == refused
