"""The price store: daily bars in SQL, a :class:`~bot.domain.ports.PriceReader` and a
:class:`~bot.domain.ports.SeedableStore`; :class:`StoredPrices` is the
:class:`~bot.domain.ports.PriceWriter` inside one transaction (see :mod:`bot.store.unit_of_work`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from bot.domain.bars import COLUMNS
from bot.domain.bars import empty_bars as empty_bars  # noqa: PLC0414 (re-export)
from bot.domain.ports import CsvFilesReader, PriceReader
from bot.domain.series import SeriesInfo as SeriesInfo  # noqa: PLC0414 (re-export)
from bot.domain.series import behind
from bot.store.close_reads import close_days
from bot.store.locking import exclusive
from bot.store.pg_copy import bars_copy_data
from bot.store.pg_seed import seed_postgres_from_csv
from bot.store.tables import bars, series

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from analytics.returns import Dated

log = logging.getLogger(__name__)


def _info(conn: Connection) -> dict[str, SeriesInfo]:
    rows = conn.execute(select(series)).mappings().all()
    return {r["symbol"]: SeriesInfo(**r) for r in rows}


def _bars(conn: Connection, symbols: Sequence[str], start: date | None) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for sym in symbols:
        q = select(bars.c.date, *(bars.c[c] for c in COLUMNS)).where(bars.c.symbol == sym)
        if start is not None:
            q = q.where(bars.c.date >= start)
        rows = conn.execute(q.order_by(bars.c.date)).all()
        if not rows:
            continue
        df = pd.DataFrame(rows, columns=["date", *COLUMNS])
        df["date"] = pd.to_datetime(df["date"]).dt.as_unit("ns")
        out[sym] = df.set_index("date").astype("float64")
    return out


def _write_frames(conn: Connection, frames: Mapping[str, pd.DataFrame], source: str) -> int:
    return sum(_write_records(conn, sym, df, source) for sym, df in frames.items() if not df.empty)


class StoredPrices:
    """The price store over one open transaction: what the updater reads and writes."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def info(self) -> dict[str, SeriesInfo]:
        """Per-symbol metadata (source, range, row count, last change)."""
        return _info(self._conn)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        """Stored bars per symbol from ``start`` (all history if ``None``)."""
        return _bars(self._conn, symbols, start)

    def write_many(self, frames: Mapping[str, pd.DataFrame], source: str) -> int:
        """Insert or replace the given sessions of each symbol; rows written."""
        return _write_frames(self._conn, frames, source)


class PriceStore:
    """Daily bars in a SQL database (SQLite or PostgreSQL)."""

    name = "price store"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- reading -------------------------------------------------------------------
    def symbols(self) -> list[str]:
        with self.engine.connect() as conn:
            return sorted(r[0] for r in conn.execute(select(series.c.symbol)))

    def info(self) -> dict[str, SeriesInfo]:
        """Per-symbol metadata (source, range, row count, last change)."""
        with self.engine.connect() as conn:
            return _info(conn)

    def version(self) -> tuple[int, datetime | None]:
        """A cheap fingerprint that changes whenever any series is written."""
        with self.engine.connect() as conn:
            n, latest = conn.execute(
                select(func.count(), func.max(series.c.updated_at))
            ).one()
        return int(n), latest

    def bars(
        self, symbols: Sequence[str], start: date | None = None
    ) -> dict[str, pd.DataFrame]:
        with self.engine.connect() as conn:
            return _bars(conn, symbols, start)

    def close_days(self, symbol: str) -> Dated | None:
        """``(dates as datetime64[D], closes)`` of ``symbol`` over the raw driver cursor
        (no ``Row`` objects, no pandas), or ``None`` when it has no rows."""
        placeholder = "%s" if self.engine.dialect.name == "postgresql" else "?"
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                return close_days(cursor, symbol, placeholder)
            finally:
                cursor.close()
        finally:
            raw.close()

    # -- writing -------------------------------------------------------------------
    def write(self, symbol: str, df: pd.DataFrame, source: str) -> int:
        """Insert or replace the given sessions of ``symbol`` in one transaction.

        Only validated, non-empty frames should reach this (see :mod:`bot.services.refresh`).
        Returns the number of rows written.
        """
        if df.empty:
            return 0
        with self.engine.begin() as conn:
            return _write_records(conn, symbol, df, source)

    def write_many(self, frames: Mapping[str, pd.DataFrame], source: str) -> int:
        """:meth:`write` for several symbols in one transaction: all of them or none."""
        if all(df.empty for df in frames.values()):
            return 0
        with self.engine.begin() as conn:
            return _write_frames(conn, frames, source)

    @property
    def loads_csv_files(self) -> bool:
        """Whether :meth:`seed_from` loads a :class:`CsvFilesReader`'s files whole
        (PostgreSQL's ``COPY``, :mod:`bot.store.pg_seed`) instead of reading its bars."""
        return self.engine.dialect.name == "postgresql"

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(series)).scalar_one() == 0

    def seed_from(self, source: PriceReader) -> int:
        """Copy every symbol of ``source`` into an empty store, in one transaction that
        one process at a time holds. Returns rows written (0 if already seeded)."""
        total = 0
        with exclusive(self.engine) as conn:
            if conn.execute(select(func.count()).select_from(series)).scalar_one():
                return 0
            if self.loads_csv_files and isinstance(source, CsvFilesReader):
                total = seed_postgres_from_csv(conn, source.csv_files(), source.name)
                log.info("seeded the price store with %d rows from %s (COPY)", total, source.name)
                return total
            for sym, df in source.bars(source.symbols()).items():
                if not df.empty:
                    total += _write_records(conn, sym, df, source.name)
        log.info("seeded the price store with %d rows from %s", total, source.name)
        return total

    def top_up_from(self, source: PriceReader, last_dates: Mapping[str, date]) -> int:
        """Append what ``source`` has after each stored series' last session.

        For a store seeded by an older release: series it lacks are added whole, series
        that end before ``last_dates`` get the later sessions. Stored rows are never
        replaced (Yahoo's, or an earlier bundle's). Returns rows written.
        """
        total = 0
        with exclusive(self.engine) as conn:
            stored = {
                r.symbol: r.last_date
                for r in conn.execute(select(series.c.symbol, series.c.last_date))
            }
            for sym in behind(stored, last_dates):
                last = stored.get(sym)
                frames = source.bars([sym], None if last is None else last + timedelta(days=1))
                df = frames.get(sym)
                if df is not None and not df.empty:
                    total += _write_records(conn, sym, df, source.name)
        if total:
            log.info("topped up the price store with %d rows from %s", total, source.name)
        return total


_BARS_COLUMNS = ("symbol", "date", *COLUMNS)


def _rows(symbol: str, df: pd.DataFrame) -> list[tuple[Any, ...]]:
    """``(symbol, 'YYYY-MM-DD', open, high, low, close, volume)`` tuples, NaN as ``None``.

    Built column-wise from numpy (no per-row pandas access): ``tolist`` turns the float
    matrix into Python floats in C, and NaN cells are the only ones replaced.
    """
    values = df[list(COLUMNS)].to_numpy(dtype="float64")
    cells: list[list[Any]] = values.tolist()
    nan_rows, nan_cols = np.nonzero(np.isnan(values))
    for i, j in zip(nan_rows.tolist(), nan_cols.tolist(), strict=True):
        cells[i][j] = None
    days = _days(df).astype(str).tolist()
    return [(symbol, d, *row) for d, row in zip(days, cells, strict=True)]


def _days(df: pd.DataFrame) -> NDArray[np.datetime64]:
    return np.asarray(df.index.values, dtype="datetime64[D]")


def _bulk_insert(conn: Connection, symbol: str, df: pd.DataFrame) -> None:
    """Insert ``df``'s sessions of ``symbol`` with the driver's bulk path: a binary ``COPY``
    built by numpy on PostgreSQL (:mod:`bot.store.pg_copy`), ``executemany`` of plain
    tuples elsewhere. Both skip SQLAlchemy's per-row parameter processing, which made
    first use (seeding about 170,000 bundled rows) take several seconds."""
    cols = ", ".join(_BARS_COLUMNS)
    if conn.dialect.name == "postgresql":
        data = bars_copy_data(symbol, _days(df), df[list(COLUMNS)].to_numpy(dtype="float64"))
        dbapi = conn.connection.driver_connection
        assert dbapi is not None
        with dbapi.cursor() as cur, cur.copy(f"COPY bars ({cols}) FROM STDIN (FORMAT binary)") as copy:
            copy.write(data)
        return
    marks = ", ".join("?" * len(_BARS_COLUMNS))
    conn.exec_driver_sql(f"INSERT INTO bars ({cols}) VALUES ({marks})", _rows(symbol, df))


def _write_records(conn: Connection, symbol: str, df: pd.DataFrame, source: str) -> int:
    """Replace ``df``'s sessions of ``symbol`` and refresh its ``series`` row; rows written."""
    has_rows = conn.execute(
        select(bars.c.date).where(bars.c.symbol == symbol).limit(1)
    ).first()
    if has_rows is not None:
        # Delete-then-insert is portable across SQLite and PostgreSQL.
        dates: list[date] = _days(df).tolist()
        for i in range(0, len(dates), 5000):
            conn.execute(
                delete(bars).where(bars.c.symbol == symbol, bars.c.date.in_(dates[i : i + 5000]))
            )
    if not df.empty:
        _bulk_insert(conn, symbol, df)
    first, last, n = conn.execute(
        select(func.min(bars.c.date), func.max(bars.c.date), func.count()).where(
            bars.c.symbol == symbol
        )
    ).one()
    values = {
        "source": source,
        "first_date": first,
        "last_date": last,
        "rows": n,
        "updated_at": datetime.now(UTC),
    }
    done = conn.execute(update(series).where(series.c.symbol == symbol).values(**values)).rowcount
    if not done:
        conn.execute(insert(series).values(symbol=symbol, **values))
    return len(df)


__all__ = ["PriceStore", "SeriesInfo", "StoredPrices", "empty_bars"]
