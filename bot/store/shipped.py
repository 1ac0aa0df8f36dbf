"""The ready-made SQLite store shipped in the package, installed on first use.

Creating the default store the long way (SQLAlchemy, five Alembic migrations, the bundled
CSVs parsed and validated with pandas, 170,000 rows written) took 3-4 s of a first
``streakbot streak``, against 0.3 s for the answer itself. The package ships that very store
instead, made by ``python -m bot.rebuild_store`` (Alembic at head, seeded from the bundled
files, checked by a test against one made the long way), and :func:`install_shipped_store`
puts a copy in place with the kernel's file copy and ``sqlite3`` alone. It is shipped
uncompressed (15 MB; the wheel and git compress it to 5 MB): gunzipping it on first use
cost 100-170 ms, a copy 20-30 ms.

The copy is written to a temporary file beside the store, its series stamped with the
install time (as seeding stamps them), and then hard-linked into place: the link appears
whole or not at all and never replaces a store another process made meanwhile, so two
first uses at once install one store, and an interrupted one leaves none (a killed one
leaves its temporary copy, which a later install deletes once it is an hour old).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

from bot.store.close_reads import SqliteStoreReader
from bot.store.revision import HEAD_REVISION

SHIPPED_NAME = "store.sqlite3"
# How SQLAlchemy's DateTime stores an instant in SQLite (UtcDateTime binds it in UTC).
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"
ABANDONED_AFTER_SECONDS = 3600  # an install takes well under a second


def shipped_store_file() -> Path:
    """The store in the package (``bot/data/store.sqlite3``)."""
    return Path(str(resources.files("bot") / "data" / SHIPPED_NAME))


def stored_instant(when: datetime) -> str:
    """``when`` as the store's ``updated_at`` text: UTC, microseconds."""
    return when.astimezone(UTC).strftime(SQLITE_DATETIME)


def install_shipped_store(path: Path, now: datetime, shipped: Path | None = None) -> bool:
    """Put the shipped store at ``path`` unless a file is there already; whether it did.

    ``False`` also when the shipped store is missing, at another schema revision than
    :data:`HEAD_REVISION`, or cannot be written beside ``path`` (no hard links there):
    the full start then creates the store as before. A failure of the disk is raised,
    with nothing left behind.
    """
    source = shipped or shipped_store_file()
    if path.exists() or not source.is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(path, now)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # as a file SQLite creates (mkstemp made it 0600)
        if not _stamp(tmp, now):
            return False
        try:
            os.link(tmp, path)
        except FileExistsError:  # another first use won the race: its store is the same
            return False
        except OSError:  # a file system without hard links: take the long way
            return False
        return True
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _remove_abandoned(path: Path, now: datetime) -> None:
    """Delete copies that a killed install left beside ``path`` (15 MB each): older than
    :data:`ABANDONED_AFTER_SECONDS`, so never one another first use is still writing."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now.timestamp() - leftover.stat().st_mtime > ABANDONED_AFTER_SECONDS:
                leftover.unlink()
        except OSError:  # gone already, or not ours to remove
            continue


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stamp(tmp: Path, now: datetime) -> bool:
    """Check the copy's revision and stamp its series with ``now``; whether it is usable."""
    conn = sqlite3.connect(tmp)
    try:
        revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        if revisions != [HEAD_REVISION]:
            return False
        with conn:
            conn.execute("UPDATE series SET updated_at = ?", (stored_instant(now),))
    finally:
        conn.close()  # the last connection: SQLite checkpoints and removes the -wal file
    return True


class ShippedPrices(SqliteStoreReader):
    """The shipped store's bars as a :class:`~bot.domain.ports.PriceReader` named after the
    source that seeded it: what an empty PostgreSQL (or empty SQLite) store is seeded from,
    without parsing and validating the bundled CSVs again (1.7 s)."""

    def __init__(self, conn: sqlite3.Connection, name: str) -> None:
        super().__init__(conn)
        self.name = name


def open_shipped_prices(last_dates: Mapping[str, date], shipped: Path | None = None) -> ShippedPrices | None:
    """A reader on the shipped store if it is at :data:`HEAD_REVISION`, seeded by one source
    and ends each series where ``last_dates`` (the bundle's manifest) says; else ``None``,
    and the caller seeds from the bundled files."""
    source = shipped or shipped_store_file()
    if not source.is_file():
        return None
    # immutable: no lock and no -wal/-shm file beside it (the package folder may be read-only).
    conn = sqlite3.connect(f"{source.resolve().as_uri()}?immutable=1", uri=True, check_same_thread=False)
    try:
        revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        rows = conn.execute("SELECT symbol, source, last_date FROM series").fetchall()
    except sqlite3.Error:
        conn.close()
        return None
    names = {r[1] for r in rows}
    ends = {r[0]: date.fromisoformat(r[2]) for r in rows}
    if revisions != [HEAD_REVISION] or len(names) != 1 or ends != dict(last_dates):
        conn.close()
        return None
    return ShippedPrices(conn, names.pop())
