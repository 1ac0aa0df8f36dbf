"""Rebuild the ready-made store and NYSE session table that the package ships.

``python -m bot.rebuild_store`` (after ``python -m bot.adapters.rebuild_bundled``, or a new
migration, or a new ``exchange_calendars``, or new wording of the summary) writes
``bot/data/store.sqlite3``, ``bot/data/xnys_sessions.npz`` and ``bot/data/leaders.txt`` (the
summary of the store's latest session, see :mod:`bot.adapters.summary_cache`). The store
is made the long way, as a first use made it before: built at head (as every new store
is, :mod:`bot.store.schema`) and seeded from the bundled files; its series' ``updated_at``
is set to the epoch (an install stamps its own time), and the WAL checkpointed into the
file. Tests check each file against what it stands for.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.calendar import NyseCalendar
from bot.adapters.calendar_cache import write_shipped
from bot.adapters.sources import BundledSource
from bot.adapters.summary_cache import SHIPPED_SUMMARY
from bot.services.market import Market
from bot.store.close_reads import open_ready_sqlite
from bot.store.db import make_engine
from bot.store.prices import PriceStore
from bot.store.shipped import stored_instant

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def build_store(path: Path) -> int:
    """A store at ``path`` migrated and seeded from the bundled files; rows written."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        rows = PriceStore(engine).seed_from(BundledSource())
    finally:
        engine.dispose()
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("UPDATE series SET updated_at = ?", (stored_instant(EPOCH),))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return rows


def write_shipped_store(dest: Path) -> int:
    """Build the store and put it at ``dest``; rows written."""
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "store.sqlite3"
        rows = build_store(built)
        shutil.copyfile(built, dest)
    return rows


def latest_summary(store: Path) -> str:
    """The ``leaders`` summary of the latest session of the store at ``store`` (no note)."""
    from bot.daily.leaders import leaders_parts  # noqa: PLC0415 (pandas; after the store is written)

    reader = open_ready_sqlite(store)
    if reader is None:
        raise RuntimeError(f"{store} is not a ready store")
    try:
        calendar = NyseCalendar()
        market = Market(reader, calendar, origin=reader.origin)
        _, body = leaders_parts(market, calendar, None, datetime.now(UTC))
    finally:
        reader.close()
    return body


def main() -> int:
    rows = write_shipped_store(PACKAGE_DATA / "store.sqlite3")
    table = write_shipped(PACKAGE_DATA / "xnys_sessions.npz")
    body = latest_summary(PACKAGE_DATA / "store.sqlite3")
    (PACKAGE_DATA / SHIPPED_SUMMARY).write_text(body, encoding="utf-8")
    print(f"store: {rows} rows; NYSE sessions: {table.sessions.size}; summary: {body.splitlines()[0][:60]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
