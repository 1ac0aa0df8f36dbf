"""What the bootstrap hands the starters: the store, its unit of work, the bundled data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import FakeFetcher, MakeServices, bars_frame

from bot.adapters.calendar import NyseCalendar
from bot.adapters.deadline import DeadlineSource
from bot.bootstrap import bootstrap
from bot.settings import Settings
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
