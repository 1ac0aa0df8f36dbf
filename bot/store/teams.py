"""A workspace's own rows, removed when it uninstalls the app (or revokes the bot's token).

Its subscriptions and its channels' alert settings go: nothing is posted to a workspace
that removed the app, and a reinstall starts from nothing. The ledgers of the daily post
and the alerts (``posts``, ``alert_posts``) are kept: they stop a reinstall from getting a
session's post or alert twice.
"""

from __future__ import annotations

from sqlalchemy import Engine, delete

from bot.store import tables as _tables  # noqa: F401  (registers every table on ``metadata``)
from bot.store.metadata import metadata

__all__ = ["TEAM_TABLES", "forget_team"]

# The tables whose rows belong to one workspace (``team_id``), those present are cleared.
TEAM_TABLES = ("subscriptions", "alert_channels")


def forget_team(engine: Engine, team_id: str) -> dict[str, int]:
    """Delete the team's rows of :data:`TEAM_TABLES` in one transaction; rows per table."""
    removed: dict[str, int] = {}
    with engine.begin() as conn:
        for name in TEAM_TABLES:
            table = metadata.tables.get(name)
            if table is None or "team_id" not in table.c:
                continue
            removed[name] = conn.execute(delete(table).where(table.c.team_id == team_id)).rowcount
    return removed
