"""Where the default SQLite store lives (platformdirs only, so it is cheap to ask)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir


def default_sqlite_path() -> Path:
    """``<user data dir>/streakbot/streakbot.sqlite3``."""
    return Path(user_data_dir("streakbot", appauthor=False)) / "streakbot.sqlite3"


SQLITE_PREFIX = "sqlite:///"


def sqlite_file(url: str | None) -> Path | None:
    """The SQLite file ``DATABASE_URL`` names (the default one when unset), or ``None`` for
    any other store: PostgreSQL, in-memory, or a URL with options."""
    if url is None:
        return default_sqlite_path()
    if not url.startswith(SQLITE_PREFIX) or "?" in url:
        return None
    path = url[len(SQLITE_PREFIX):]
    return Path(path) if path and path != ":memory:" else None
