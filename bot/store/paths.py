"""Where the default SQLite store lives (platformdirs only, so it is cheap to ask)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir


def default_sqlite_path() -> Path:
    """``<user data dir>/streakbot/streakbot.sqlite3``."""
    return Path(user_data_dir("streakbot", appauthor=False)) / "streakbot.sqlite3"
