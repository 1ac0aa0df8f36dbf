"""The light start of ``streakbot streak`` and ``streakbot records`` on a ready SQLite store.

The answer itself takes under a millisecond; what a user waited for was the start-up:
pydantic-settings, SQLAlchemy, pandas and exchange_calendars imported, the schema and
seeding checked through SQLAlchemy. When the store is the default (or a ``sqlite:///``)
file that is already migrated and seeded, and no setting that pydantic must validate is
set, these commands read the two series with ``sqlite3`` and the session arrays from the
calendar cache, and answer through the same :mod:`bot.services.answers` code as every other
front end. On first use (no store file yet) the ready-made store the package ships is
installed there first (:mod:`bot.store.shipped`), so a first answer costs about what a later
one does. Anything else (PostgreSQL, ``--data-dir``, ``-v``, a store that is not ready)
returns ``None`` here and takes the full start-up, which migrates, seeds and validates as
before.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.calendar import NyseCalendar
from bot.adapters.manifest import BUNDLED_SOURCE, bundled_last_dates
from bot.adapters.summary_cache import keep_shipped_summary
from bot.services.market import Market
from bot.services.seeding import series_to_top_up
from bot.store.close_reads import SqliteStoreReader, open_ready_sqlite
from bot.store.paths import sqlite_file
from bot.store.shipped import install_shipped_store

# Settings that pydantic converts and checks (numbers, flags, paths): when any is set,
# the full start-up runs so that a bad value is refused exactly as before (exit 2).
VALIDATED_SETTINGS = frozenset({
    "PORT",
    "STREAKBOT_DATA_DIR",
    "STREAKBOT_OFFLINE",
    "STREAKBOT_DAILY_RETRY_MINUTES",
    "STREAKBOT_DOWNLOAD_TIMEOUT_SECONDS",
    "STREAKBOT_DOWNLOAD_DEADLINE_SECONDS",
    "STREAKBOT_SLACK_TIMEOUT",
    "STREAKBOT_POST_CONCURRENCY",
    "STREAKBOT_ACCESS_LOG",
})


def settings_values(environ: Mapping[str, str] | None = None, env_file: Path = Path(".env")) -> dict[str, str]:
    """The settings variables as :class:`bot.settings.Settings` sees them: names
    case-insensitive, the environment over ``.env`` (read by python-dotenv, as
    pydantic-settings does), empty values unset."""
    values: dict[str, str] = {}
    if env_file.is_file():
        from dotenv import dotenv_values  # noqa: PLC0415 (20 ms to import, only with a .env file)

        for k, v in dotenv_values(env_file, encoding="utf-8").items():
            if v:
                values[k.upper()] = v
    for k, v in (os.environ if environ is None else environ).items():
        if v:
            values[k.upper()] = v
        else:
            values.pop(k.upper(), None)
    return values


def sqlite_store_path(values: Mapping[str, str]) -> Path | None:
    """The SQLite file the settings point at when the light start may be used, else ``None``."""
    if any(name in values for name in VALIDATED_SETTINGS):
        return None
    return sqlite_file(values.get("DATABASE_URL"))


def ready_market() -> tuple[Market, SqliteStoreReader] | None:
    """A :class:`Market` over the ready SQLite store, or ``None`` (take the full path)."""
    try:
        path = sqlite_store_path(settings_values())
    except (OSError, UnicodeError, ValueError):  # an unreadable .env: pydantic will say
        return None
    if path is None:
        return None
    installed = False
    if not path.exists():
        try:
            installed = install_shipped_store(path, datetime.now(UTC))
        except OSError:  # an unwritable folder: the full start says so in one line
            return None
    reader = open_ready_store(path)
    if reader is None:
        return None
    if installed:
        keep_shipped_summary(reader.data_version())
    return Market(reader, NyseCalendar(), origin=reader.origin), reader


def open_ready_store(path: Path) -> SqliteStoreReader | None:
    """A reader on the SQLite store at ``path`` if it can answer as it is: migrated, seeded
    and not behind the bundled data (the full start tops such a store up first)."""
    reader = open_ready_sqlite(path)
    if reader is None:
        return None
    ends = reader.series_ends()
    if any(e.source == BUNDLED_SOURCE for e in ends.values()) and series_to_top_up(
        ends, BUNDLED_SOURCE, bundled_last_dates()
    ):
        reader.close()
        return None
    return reader
