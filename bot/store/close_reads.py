"""Reading one series' ``date, close`` straight into numpy over a DBAPI cursor.

SQLAlchemy ``Row`` objects and a pandas frame cost 150-300 ms for the two series of a
``/streak`` answer; the same rows fetched as plain tuples and turned into two arrays
take a few milliseconds. :class:`SqliteStoreReader` does it with ``sqlite3`` alone, for a
one-shot command on an SQLite store that is already migrated and seeded (see
:func:`open_ready_sqlite`); :meth:`bot.store.prices.PriceStore.close_days` uses the same
query through the engine's driver connection (SQLite or PostgreSQL).
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.domain.provenance import Origin, origin_from_sources
from bot.domain.series import StoredEnd
from bot.store.revision import HEAD_REVISION

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from analytics.returns import Dated

CLOSES_SQL = "SELECT date, close FROM bars WHERE symbol = {p} AND close IS NOT NULL ORDER BY date"


def close_days(cursor: Any, symbol: str, placeholder: str = "?") -> Dated | None:
    """``(dates as datetime64[D], closes)`` of ``symbol`` from a DBAPI cursor, or ``None``."""
    cursor.execute(CLOSES_SQL.format(p=placeholder), (symbol,))
    rows = cursor.fetchall()
    if not rows:
        return None
    dates, closes = zip(*rows, strict=True)
    # SQLite hands dates back as ISO text, psycopg as datetime.date: numpy takes both.
    days = np.array(dates, dtype="datetime64[D]")
    return days, np.array(closes, dtype=np.float64)


class SqliteStoreReader:
    """The read side of an SQLite price store over ``sqlite3`` (no SQLAlchemy).

    Quacks like :class:`~bot.store.prices.PriceStore` for :class:`~bot.services.market.Market`
    (``name``, ``symbols``, ``close_days``, ``bars``); never writes.
    """

    name = "price store"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def series_ends(self) -> dict[str, StoredEnd]:
        """Who last wrote each stored series, and its last session."""
        rows = self._conn.execute("SELECT symbol, last_date, source FROM series").fetchall()
        return {
            sym: StoredEnd(source, None if last is None else date.fromisoformat(last))
            for sym, last, source in rows
        }

    def symbols(self) -> list[str]:
        return sorted(r[0] for r in self._conn.execute("SELECT symbol FROM series"))

    def data_version(self) -> str:
        """A digest of every ``series`` row (source, first and last session, row count, last
        write): it changes whenever any price in the store is added or rewritten."""
        rows = self._conn.execute(
            "SELECT symbol, source, first_date, last_date, rows, updated_at FROM series ORDER BY symbol"
        ).fetchall()
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]

    def origin(self) -> Origin:
        rows = self._conn.execute("SELECT DISTINCT source FROM series").fetchall()
        return origin_from_sources({r[0] for r in rows})

    def close_days(self, symbol: str) -> Dated | None:
        return close_days(self._conn.cursor(), symbol)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        """Daily bars as :meth:`PriceStore.bars` gives them (pandas; not on the fast path)."""
        import pandas as pd  # noqa: PLC0415 (heavy: the light start never reads bars)

        from bot.domain.bars import COLUMNS  # noqa: PLC0415 (imports pandas)

        out: dict[str, pd.DataFrame] = {}
        cols = ", ".join(COLUMNS)
        for sym in symbols:
            sql = f"SELECT date, {cols} FROM bars WHERE symbol = ?"
            args: tuple[Any, ...] = (sym,)
            if start is not None:
                sql += " AND date >= ?"
                args = (sym, start.isoformat())
            rows = self._conn.execute(sql + " ORDER BY date", args).fetchall()
            if rows:
                df = pd.DataFrame(rows, columns=["date", *COLUMNS])
                df["date"] = pd.to_datetime(df["date"]).dt.as_unit("ns")
                out[sym] = df.set_index("date").astype("float64")
        return out

    def close(self) -> None:
        self._conn.close()


def open_ready_sqlite(path: Path) -> SqliteStoreReader | None:
    """A reader on the SQLite store at ``path`` if it is ready to answer as it is: at
    :data:`HEAD_REVISION` and seeded. ``None`` otherwise (missing, empty, older schema,
    unreadable), and the caller takes the full path, which migrates and seeds. Whether a
    seeded store is behind the bundle is the caller's question (:meth:`SqliteStoreReader.series_ends`)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=30)  # only ever reads
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=30000")
        revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        seeded = conn.execute("SELECT 1 FROM series LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        conn.close()
        return None
    if revisions != [HEAD_REVISION] or not seeded:
        conn.close()
        return None
    return SqliteStoreReader(conn)
