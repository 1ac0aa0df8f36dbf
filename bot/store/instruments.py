"""The metadata of symbols added on request (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select

from bot.domain.series import InstrumentInfo
from bot.store.tables import instruments

__all__ = ["InstrumentStore"]


class InstrumentStore:
    """One row per symbol added from Yahoo: its name, kind, currency, exchange, time zone."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, info: InstrumentInfo, now: datetime) -> None:
        """Store (or replace) ``info``."""
        values = {
            "symbol": info.symbol, "name": info.name[:200], "kind": info.kind[:32],
            "currency": info.currency[:16], "exchange": info.exchange[:64], "timezone": info.timezone[:64],
            "added_at": now.astimezone(UTC),
        }
        with self.engine.begin() as conn:
            conn.execute(delete(instruments).where(instruments.c.symbol == info.symbol))
            conn.execute(insert(instruments).values(**values))

    def get(self, symbol: str) -> InstrumentInfo | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(instruments).where(instruments.c.symbol == symbol)).mappings().first()
        if row is None:
            return None
        return InstrumentInfo(row["symbol"], row["name"], row["kind"], row["currency"], row["exchange"],
                              row["timezone"])

    def all(self) -> list[InstrumentInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(instruments).order_by(instruments.c.symbol)).mappings().all()
        return [InstrumentInfo(r["symbol"], r["name"], r["kind"], r["currency"], r["exchange"], r["timezone"])
                for r in rows]
