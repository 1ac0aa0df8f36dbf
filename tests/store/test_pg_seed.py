"""Seeding an empty PostgreSQL store with ``COPY`` from the bundled CSV files."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from bot.adapters.sources import BundledSource
from bot.domain.errors import DataSourceError
from bot.domain.ports import CsvFilesReader, CsvSeries
from bot.store.pg_seed import copy_lines, line_range
from bot.store.prices import PriceStore
from bot.store.shipped import shipped_store_file

HEAD = b"date,open,high,low,close,volume\n"


def test_each_line_gets_its_symbol_and_the_header_goes() -> None:
    data = HEAD + b"1928-01-03,17.76,17.76,17.76,17.76,\r\n1928-01-04,17.72,17.72,17.72,17.72,\r\n"
    lines = copy_lines("^GSPC", data)
    assert lines == b"^GSPC,1928-01-03,17.76,17.76,17.76,17.76,\n^GSPC,1928-01-04,17.72,17.72,17.72,17.72,\n"
    assert line_range(lines) == (date(1928, 1, 3), date(1928, 1, 4), 2)
    one = copy_lines("SPY", HEAD + b"1993-01-29,43.97,43.97,43.75,43.94,1003200")
    assert line_range(one) == (date(1993, 1, 29), date(1993, 1, 29), 1)
    assert copy_lines("SPY", HEAD) == b""


@pytest.mark.parametrize("data, problem", [
    (b"Date,Close\n2026-01-02,1\n", "unexpected header"),
    (HEAD + b'2026-01-02,"1",2,3,4,5\n', "quoted cells"),
])
def test_a_file_not_shaped_like_bars_is_refused(data: bytes, problem: str) -> None:
    with pytest.raises(DataSourceError, match=problem):
        copy_lines("SPY", data)


def test_a_symbol_that_would_split_the_line_is_refused() -> None:
    with pytest.raises(DataSourceError, match="cannot hold a comma or a quote: 'A,B'"):
        copy_lines("A,B", HEAD + b"2026-01-02,1,2,0.5,1.5,\n")


def test_every_bundled_file_matches_its_manifest() -> None:
    files = BundledSource().csv_files()
    assert len(files) == 21  # 6 indices (VIX too), 15 ETFs
    for symbol, file in files.items():
        assert line_range(copy_lines(symbol, file.read())) == (file.first, file.last, file.rows), symbol
    assert files["^GSPC"].first == date(1927, 12, 30) and files["^GSPC"].last == date(2026, 9, 17)


def _rows(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT symbol, CAST(date AS VARCHAR), open, high, low, close, volume FROM bars ORDER BY symbol, date"))]


@pytest.mark.postgres
def test_a_seed_by_copy_holds_exactly_the_shipped_stores_rows(pg_engine: sa.Engine) -> None:
    store = PriceStore(pg_engine)
    assert store.loads_csv_files and isinstance(BundledSource(), CsvFilesReader)
    assert store.seed_from(BundledSource()) == 171_929
    shipped = sqlite3.connect(f"{shipped_store_file().as_uri()}?immutable=1", uri=True)
    try:
        want = shipped.execute(
            "SELECT symbol, date, open, high, low, close, volume FROM bars ORDER BY symbol, date").fetchall()
        want_series = shipped.execute(
            "SELECT symbol, source, first_date, last_date, rows FROM series ORDER BY symbol").fetchall()
    finally:
        shipped.close()
    assert _rows(pg_engine) == want
    with pg_engine.connect() as conn:
        got_series = [tuple(r) for r in conn.execute(sa.text(
            "SELECT symbol, source, CAST(first_date AS VARCHAR), CAST(last_date AS VARCHAR), rows "
            "FROM series ORDER BY symbol"))]
        pk = conn.execute(sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'bars'::regclass AND contype = 'p'")).one()
    assert got_series == want_series
    assert tuple(pk) == ("pk_bars", "PRIMARY KEY (symbol, date)")  # dropped for the load, built again
    assert store.seed_from(BundledSource()) == 0  # seeded: nothing again


class _Files:
    """A :class:`CsvFilesReader` over given files (a real source's, changed)."""

    name = "bundled data"

    def __init__(self, files: Mapping[str, CsvSeries]) -> None:
        self.files = files

    def csv_files(self) -> Mapping[str, CsvSeries]:
        return self.files

    def symbols(self) -> list[str]:
        return sorted(self.files)

    def bars(self, symbols: object, start: object = None) -> dict[str, object]:
        raise AssertionError("the COPY path never reads bars")


@pytest.mark.postgres
def test_a_file_its_manifest_does_not_describe_loads_nothing(pg_engine: sa.Engine) -> None:
    files = dict(BundledSource().csv_files())
    files["^RUT"] = replace(files["^RUT"], rows=files["^RUT"].rows + 1)  # a truncated download
    store = PriceStore(pg_engine)
    with pytest.raises(DataSourceError, match=re.escape(
            "bundled data for ^RUT: the file holds 9,829 sessions from 1987-09-10 to 2026-09-17, "
            "but its manifest says 9,830 sessions from 1987-09-10 to 2026-09-17; reinstall streakbot")):
        store.seed_from(_Files(files))  # type: ignore[arg-type]
    assert store.is_empty() and _rows(pg_engine) == []
