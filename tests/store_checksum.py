"""A checksum of every row the price store holds: "untouched" means byte-for-byte equal."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from bot.store.tables import bars, series


def store_checksum(engine: sa.Engine) -> str:
    """SHA-256 over all ``bars`` and ``series`` rows (``updated_at`` included), in key order."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table, order in ((bars, (bars.c.symbol, bars.c.date)), (series, (series.c.symbol,))):
            for row in conn.execute(sa.select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
