"""The price store: daily bars in SQL, readable as a :class:`PriceSource`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from bot.data.sources import COLUMNS, PriceSource, empty_bars
from bot.store.db import exclusive
from bot.store.tables import bars, series

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeriesInfo:
    """What the store holds for one symbol."""

    symbol: str
    source: str
    first_date: date | None
    last_date: date | None
    rows: int
    updated_at: datetime


def _none_if_nan(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)


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
            rows = conn.execute(select(series)).mappings().all()
        return {r["symbol"]: SeriesInfo(**r) for r in rows}

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
        out: dict[str, pd.DataFrame] = {}
        with self.engine.connect() as conn:
            for sym in symbols:
                q = select(bars.c.date, *(bars.c[c] for c in COLUMNS)).where(
                    bars.c.symbol == sym
                )
                if start is not None:
                    q = q.where(bars.c.date >= start)
                rows = conn.execute(q.order_by(bars.c.date)).all()
                if not rows:
                    continue
                df = pd.DataFrame(rows, columns=["date", *COLUMNS])
                df["date"] = pd.to_datetime(df["date"])
                out[sym] = df.set_index("date").astype("float64")
        return out

    # -- writing -------------------------------------------------------------------
    def write(self, symbol: str, df: pd.DataFrame, source: str) -> int:
        """Insert or replace the given sessions of ``symbol`` in one transaction.

        Only validated, non-empty frames should reach this (see :mod:`bot.data.update`).
        Returns the number of rows written.
        """
        if df.empty:
            return 0
        records = _records(symbol, df)
        with self.engine.begin() as conn:
            _write_records(conn, symbol, records, source)
        return len(records)

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(series)).scalar_one() == 0

    def seed_from(self, source: PriceSource) -> int:
        """Copy every symbol of ``source`` into an empty store, in one transaction that
        one process at a time holds. Returns rows written (0 if already seeded)."""
        total = 0
        with exclusive(self.engine) as conn:
            if conn.execute(select(func.count()).select_from(series)).scalar_one():
                return 0
            for sym, df in source.bars(source.symbols()).items():
                records = _records(sym, df)
                _write_records(conn, sym, records, source.name)
                total += len(records)
        log.info("seeded the price store with %d rows from %s", total, source.name)
        return total


def _records(symbol: str, df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"symbol": symbol, "date": ts.date(), **{c: _none_if_nan(row[i]) for i, c in enumerate(COLUMNS)}}
        for ts, row in zip(df.index, df[list(COLUMNS)].to_numpy(), strict=True)
    ]


def _write_records(
    conn: Connection, symbol: str, records: list[dict[str, Any]], source: str
) -> None:
    """Replace ``records``' sessions of ``symbol`` and refresh its ``series`` row."""
    dates = [r["date"] for r in records]
    # Delete-then-insert is portable across SQLite and PostgreSQL.
    for i in range(0, len(dates), 5000):
        conn.execute(
            delete(bars).where(bars.c.symbol == symbol, bars.c.date.in_(dates[i : i + 5000]))
        )
    conn.execute(insert(bars), records)
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


def ensure_seeded(store: PriceStore, source: PriceSource) -> None:
    """Seed the store from ``source`` on first use (when it holds no series yet)."""
    if store.is_empty():
        store.seed_from(source)


__all__ = ["PriceStore", "SeriesInfo", "empty_bars", "ensure_seeded"]
