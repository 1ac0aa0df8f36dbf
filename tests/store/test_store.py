"""The SQL price store on SQLite and on real PostgreSQL (bot.store)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import cast

import pandas as pd
import pytest
import sqlalchemy as sa
from conftest import bars_frame, sqlite_url

from bot.adapters.sources import BundledSource
from bot.domain.bars import COLUMNS
from bot.services.seeding import ensure_seeded
from bot.store.db import make_engine, normalise_database_url
from bot.store.prices import PriceStore
from bot.store.tables import bars as bars_table

NAN = float("nan")


# --------------------------------------------------------------------------- URLs
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://u:pw@db.example.com:5432/prod",
            "postgresql+psycopg://u:pw@db.example.com:5432/prod",
        ),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////srv/streakbot.sqlite3", "sqlite:////srv/streakbot.sqlite3"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
    ],
)
def test_normalise_database_url(url: str, expected: str) -> None:
    assert normalise_database_url(url) == expected


@pytest.mark.parametrize("empty", [None, ""])
def test_normalise_database_url_default_is_user_data_dir(
    empty: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert normalise_database_url(empty) == f"sqlite:///{tmp_path}/data/streakbot/streakbot.sqlite3"


# --------------------------------------------------------------------------- fakes
class CountingSource:
    """A tiny PriceSource that counts how often it is read."""

    name = "tiny source"

    def __init__(self) -> None:
        self.reads = 0
        self.frames = {
            "^GSPC": bars_frame({"2025-12-29": 6905.5, "2025-12-30": 6896.2, "2025-12-31": 6845.5}),
            "^RUT": bars_frame({"2025-12-30": 2488.75, "2025-12-31": 2481.9}),
        }

    def symbols(self) -> list[str]:
        return sorted(self.frames)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        self.reads += 1
        return {s: self.frames[s] for s in symbols if s in self.frames}


# --------------------------------------------------------------------------- engines
def test_backend(engine: sa.Engine, request: pytest.FixtureRequest) -> None:
    expected = "postgresql" if "postgres" in request.node.callspec.id else "sqlite"
    assert engine.dialect.name == expected
    if expected == "postgresql":
        with engine.connect() as conn:  # the per-test schema, not public
            assert conn.execute(sa.text("SELECT current_schema()")).scalar_one().startswith("t_")


def test_round_trip_nan_open_is_null(engine: sa.Engine) -> None:
    store = PriceStore(engine)
    assert store.is_empty()
    df = bars_frame(
        {"2025-12-29": 6905.5, "2025-12-30": 6896.25, "2025-12-31": 6845.5},
        open={"2025-12-29": 6900.0, "2025-12-31": 6896.0},  # Dec 30 open unknown
        volume={"2025-12-29": 3.1e9, "2025-12-30": 2.9e9, "2025-12-31": 3.3e9},
    )
    assert store.write("^GSPC", df, "Yahoo Finance") == 3

    with engine.connect() as conn:
        raw = conn.execute(
            sa.select(bars_table.c.date, bars_table.c.open)
            .where(bars_table.c.symbol == "^GSPC")
            .order_by(bars_table.c.date)
        ).all()
    assert [tuple(r) for r in raw] == [
        (date(2025, 12, 29), 6900.0),
        (date(2025, 12, 30), None),  # NaN is stored as SQL NULL
        (date(2025, 12, 31), 6896.0),
    ]

    got = store.bars(["^GSPC", "^RUT"])
    assert list(got) == ["^GSPC"]  # symbols with no rows are left out
    out = got["^GSPC"]
    assert list(out.columns) == list(COLUMNS)
    assert out.index.name == "date"
    pd.testing.assert_frame_equal(out, df, check_freq=False)
    assert pd.isna(cast(float, out.loc["2025-12-30", "open"]))  # one cell: a scalar
    assert out["high"].isna().all()

    since = store.bars(["^GSPC"], start=date(2025, 12, 30))["^GSPC"]
    assert since["close"].tolist() == [6896.25, 6845.5]
    assert store.symbols() == ["^GSPC"]
    assert not store.is_empty()


def test_write_replaces_dates_and_series_metadata(engine: sa.Engine) -> None:
    store = PriceStore(engine)
    store.write(
        "^RUT",
        bars_frame({"2025-12-26": 2500.0, "2025-12-29": 2505.25, "2025-12-30": 2488.75}),
        "bundled data",
    )
    first = store.info()["^RUT"]
    assert (first.source, first.first_date, first.last_date, first.rows) == (
        "bundled data",
        date(2025, 12, 26),
        date(2025, 12, 30),
        3,
    )
    v1 = store.version()
    assert v1[0] == 1

    # Dec 30 revised, Dec 31 new: replaced, not duplicated.
    store.write("^RUT", bars_frame({"2025-12-30": 2490.0, "2025-12-31": 2481.9}), "Yahoo Finance")
    closes = store.bars(["^RUT"])["^RUT"]["close"]
    assert closes.to_dict() == {
        pd.Timestamp("2025-12-26"): 2500.0,
        pd.Timestamp("2025-12-29"): 2505.25,
        pd.Timestamp("2025-12-30"): 2490.0,
        pd.Timestamp("2025-12-31"): 2481.9,
    }
    info = store.info()["^RUT"]
    assert (info.source, info.first_date, info.last_date, info.rows) == (
        "Yahoo Finance",
        date(2025, 12, 26),
        date(2025, 12, 31),
        4,
    )
    assert info.updated_at >= first.updated_at
    v2 = store.version()
    assert v2[0] == 1
    assert v2 != v1  # any write changes the fingerprint

    assert store.write("^RUT", bars_frame({}), "Yahoo Finance") == 0  # no-op
    assert store.version() == v2


def test_ensure_seeded_only_once(engine: sa.Engine) -> None:
    store = PriceStore(engine)
    source = CountingSource()
    ensure_seeded(store, source)
    assert source.reads == 1
    assert store.symbols() == ["^GSPC", "^RUT"]
    info = store.info()
    assert (info["^GSPC"].rows, info["^GSPC"].source) == (3, "tiny source")
    assert info["^RUT"].last_date == date(2025, 12, 31)
    version = store.version()

    ensure_seeded(store, source)
    ensure_seeded(PriceStore(engine), source)  # a second process on the same database
    assert source.reads == 1
    assert store.version() == version


def test_make_engine_is_idempotent(engine: sa.Engine) -> None:
    """A second engine on the same database finds the tables and the data."""
    store = PriceStore(engine)
    store.write("^GSPC", bars_frame({"2025-12-31": 6845.5}), "seed")
    again = PriceStore(make_engine(engine.url.render_as_string(hide_password=False)))
    try:
        assert again.bars(["^GSPC"])["^GSPC"]["close"].tolist() == [6845.5]
    finally:
        again.engine.dispose()


# --------------------------------------------------------------------------- bundled seed
def test_seeded_template_holds_all_bundled_series(seeded_db: Path) -> None:
    engine = make_engine(sqlite_url(seeded_db))
    try:
        info = PriceStore(engine).info()
    finally:
        engine.dispose()
    # Where each series ends (the shared data folder's README).
    ends = {
        "^GSPC": date(2026, 9, 17), "^RUT": date(2026, 9, 17), "^IXIC": date(2026, 8, 21),
        "^DJI": date(2026, 8, 21), "^NDX": date(2026, 7, 10), "^VIX": date(2026, 8, 20),
        **dict.fromkeys(
            ["IWM", "QQQ", "SPY", "XLE", "XLF", "XLI", "XLK", "XLP", "XLU", "XLV", "XLY"],
            date(2026, 8, 21),
        ),
        **dict.fromkeys(["RSP", "XLB", "XLC", "XLRE"], date(2026, 7, 1)),
    }
    assert set(info) == set(ends)
    assert {sym: i.last_date for sym, i in info.items()} == ends
    assert {i.source for i in info.values()} == {"bundled data"}
    assert info["^GSPC"].first_date == date(1927, 12, 30)
    assert info["^RUT"].first_date == date(1987, 9, 10)


def test_bulk_seed_stores_every_bundled_value_exactly(engine: sa.Engine) -> None:
    """The bulk path (COPY on PostgreSQL, executemany on SQLite) loses and alters nothing:
    every bundled bar, NaN cells included, reads back bit for bit."""
    source = BundledSource()
    store = PriceStore(engine)
    written = store.seed_from(source)
    expected = source.bars(source.symbols())
    assert written == sum(len(df) for df in expected.values())
    got = store.bars(sorted(expected))
    assert sorted(got) == sorted(expected)
    for sym, df in expected.items():
        pd.testing.assert_frame_equal(got[sym], df, check_exact=True, check_freq=False, obj=sym)
    info = store.info()["^GSPC"]
    assert (info.rows, info.first_date) == (len(expected["^GSPC"]), date(1927, 12, 30))


# --------------------------------------------------------------------------- older stores
def test_store_seeded_by_an_older_release_catches_up_with_the_bundle(engine: sa.Engine) -> None:
    """A store seeded from the 2025 bundle (indices to 2025-12-31, no ^NDX) gains the newer
    bundled sessions and series on first use; its existing rows are left exactly as they
    were, and a series Yahoo already took further is not touched."""
    source = BundledSource()
    bundle = source.bars(source.symbols())
    store = PriceStore(engine)
    old = {sym: df[df.index <= "2025-12-31"] for sym, df in bundle.items() if sym != "^NDX"}
    old["^RUT"] = old["^RUT"].copy()
    old["^RUT"].iloc[-1, cast(int, old["^RUT"].columns.get_loc("close"))] = 2481.91  # an older bundle's value
    for sym, df in old.items():
        store.write(sym, df, "bundled data")
    yahoo_ahead = bars_frame({"2026-09-18": 6600.0}).reindex(columns=list(COLUMNS))
    store.write("^DJI", bundle["^DJI"], "Yahoo Finance")
    store.write("^DJI", yahoo_ahead, "Yahoo Finance")
    dji_before = store.bars(["^DJI"])["^DJI"]

    ensure_seeded(store, source, source.last_dates())

    info = store.info()
    assert info["^GSPC"].last_date == date(2026, 9, 17)
    assert info["^NDX"].last_date == date(2026, 7, 10)
    assert info["^NDX"].rows == len(bundle["^NDX"])
    got = store.bars(["^GSPC", "^RUT"])
    pd.testing.assert_frame_equal(got["^GSPC"], bundle["^GSPC"], check_exact=True, check_freq=False)
    # Rows already stored are kept, even where the bundle now differs.
    assert got["^RUT"].loc["2025-12-31", "close"] == 2481.91
    assert got["^RUT"].index[-1] == pd.Timestamp("2026-09-17")
    pd.testing.assert_frame_equal(store.bars(["^DJI"])["^DJI"], dji_before, check_exact=True)
    assert info["^DJI"].source == "Yahoo Finance"

    version = store.version()
    ensure_seeded(store, source, source.last_dates())  # nothing behind: nothing written
    assert store.version() == version


def test_bundle_manifest_matches_the_bundled_files() -> None:
    source = BundledSource()
    frames = source.bars(source.symbols())
    assert source.last_dates() == {sym: df.index[-1].date() for sym, df in frames.items()}


def test_a_store_the_bundle_did_not_seed_is_not_topped_up(engine: sa.Engine) -> None:
    store = PriceStore(engine)
    store.write("^GSPC", bars_frame({"2025-12-19": 6834.5}), "seed")
    version = store.version()
    source = BundledSource()
    ensure_seeded(store, source, source.last_dates())
    assert store.symbols() == ["^GSPC"]
    assert store.version() == version
