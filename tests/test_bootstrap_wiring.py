"""What the bootstrap hands the starters: the store, its unit of work, the bundled data."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import FakeFetcher, MakeServices, bars_frame

from bot.adapters.calendar import NyseCalendar
from bot.adapters.deadline import DeadlineSource
from bot.adapters.sources import BundledSource
from bot.bootstrap import bootstrap
from bot.settings import Settings
from bot.store.db import make_engine
from bot.store.paths import default_sqlite_path
from bot.store.prices import PriceStore
from bot.store.unit_of_work import SqlAlchemyUnitOfWork


def test_an_unseeded_store_is_read_through_the_bundle_without_seeding(
    tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices
) -> None:
    svc = make_services(tmp_path, calendar)
    market = svc.bundled_market_if_unseeded()
    assert market is not None
    assert market.source is svc.bundled_prices
    assert PriceStore(svc.engine).is_empty()  # nothing was written


def test_a_store_with_series_is_read_as_it_is(
    tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices
) -> None:
    svc = make_services(tmp_path, calendar)
    PriceStore(svc.engine).write("^GSPC", bars_frame({"2026-01-05": 100.0}), "seed")
    assert svc.bundled_market_if_unseeded() is None


def test_the_unit_of_work_and_the_fetcher_are_built_here(
    tmp_path: Path, seeded_db: Path, calendar: NyseCalendar, make_services: MakeServices
) -> None:
    fetcher = FakeFetcher()
    svc = make_services(tmp_path, calendar, fetcher=fetcher)
    uow = svc.prices_unit_of_work()
    assert isinstance(uow, SqlAlchemyUnitOfWork)
    assert uow.engine is svc.engine
    with uow:
        assert "^GSPC" in uow.prices.info()
    wrapped = svc.fetcher()
    assert isinstance(wrapped, DeadlineSource)
    assert wrapped.inner is fetcher
    assert svc.bundled_market_if_unseeded() is None  # the store is open (and seeded)


def test_a_fresh_default_store_starts_as_the_shipped_one(calendar: NyseCalendar) -> None:
    """No store file yet (conftest's HOME is empty): the full start installs the ready-made
    store, so nothing is migrated or seeded the long way."""
    svc = bootstrap(Settings(_env_file=None), calendar=calendar)
    path = default_sqlite_path()
    assert not path.exists()
    info = PriceStore(svc.engine).info()
    assert path.is_file()
    assert len(info) == 21 and {i.source for i in info.values()} == {"bundled data"}
    assert info["^GSPC"].first_date == date(1927, 12, 30)
    assert svc.bundled_market_if_unseeded() is None
    svc.engine.dispose()


def test_with_a_data_folder_the_store_is_made_empty(tmp_path: Path, calendar: NyseCalendar) -> None:
    svc = bootstrap(Settings(_env_file=None, data_dir=tmp_path), calendar=calendar)
    assert PriceStore(svc.engine).is_empty()
    assert default_sqlite_path().is_file()
    svc.engine.dispose()


def test_an_empty_store_is_seeded_from_the_shipped_rows_not_the_csvs(
    tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices,
    seeded_sqlite_template: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every bar and series as seeding from the bundled files writes them (the template),
    and no bundled file is parsed."""
    def no_csv(*_: object) -> None:
        raise AssertionError("the bundled CSVs were parsed")

    monkeypatch.setattr(BundledSource, "_read", no_csv)
    svc = make_services(tmp_path, calendar)
    store = svc.price_store
    with sqlite3.connect(tmp_path / "t.sqlite3") as got, sqlite3.connect(seeded_sqlite_template) as made:
        assert got.execute("SELECT * FROM bars ORDER BY symbol, date").fetchall() == made.execute(
            "SELECT * FROM bars ORDER BY symbol, date").fetchall()
        by_symbol = "SELECT symbol, source, first_date, last_date, rows FROM series ORDER BY symbol"
        assert got.execute(by_symbol).fetchall() == made.execute(by_symbol).fetchall()
    got.close()
    made.close()
    assert store.info()["^RUT"].source == "bundled data"


@pytest.mark.postgres
def test_postgres_is_seeded_from_the_shipped_rows_as_from_the_csvs(pg_url: str, calendar: NyseCalendar) -> None:
    engine = make_engine(pg_url)
    try:
        svc = bootstrap(Settings(_env_file=None), calendar=calendar, engine=engine)
        info = svc.price_store.info()
        assert len(info) == 21 and info["^GSPC"].rows == 24795
        with engine.begin() as conn:
            seeded = conn.exec_driver_sql("SELECT * FROM bars ORDER BY symbol, date").fetchall()
            conn.exec_driver_sql("DELETE FROM bars")
            conn.exec_driver_sql("DELETE FROM series")
        assert PriceStore(engine).seed_from(BundledSource()) == len(seeded)  # the long way
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT * FROM bars ORDER BY symbol, date").fetchall() == seeded
    finally:
        engine.dispose()
