"""Slack OAuth installs (multi-workspace mode): slack_sdk's SQLAlchemy stores on the app's
own database, and each workspace's bot token from them.

The stores' tables are created by the store's migrations (``bot.store.tables``), never by
the stores' ``create_tables``. :class:`TeamTokens` is what code that builds its own
WebClient (the daily post) asks for a team's token; the Bolt app's listeners get theirs
from Bolt's authorize, which reads the same installation store.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

__all__ = ["TeamTokens", "installation_store", "state_store"]


def installation_store(client_id: str, engine: Engine) -> SQLAlchemyInstallationStore:
    """The workspaces that installed the app with ``client_id``, in the store at ``engine``."""
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def state_store(engine: Engine, expiration_seconds: int) -> SQLAlchemyOAuthStateStore:
    """The one-time ``state`` of each install link (good for ``expiration_seconds``), in the
    store at ``engine``."""
    return SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine)


class TeamTokens:
    """Each workspace's bot token, read from the installation store at every call (a
    reinstall's new token is used from the next call on; an uninstalled team has none)."""

    def __init__(self, store: InstallationStore) -> None:
        self.store = store

    def bot_token(self, team_id: str) -> str | None:
        bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
        token = bot.bot_token if bot is not None else None
        return str(token) if token else None

    def forget(self, team_id: str, enterprise_id: str | None = None) -> None:
        """Remove the workspace's installations and bots (it uninstalled the app)."""
        self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
