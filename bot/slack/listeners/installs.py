"""``app_uninstalled`` and ``tokens_revoked``: a workspace that removes the app is forgotten.

Its installation (OAuth mode), its channel subscriptions and its alerts are deleted
(``deps.forget``), so nothing is posted to it again and a reinstall starts afresh. A
``tokens_revoked`` that revokes only user tokens leaves the bot installed (the app asks
for no user scopes, so Slack sends it with bot tokens). Both are idempotent: Slack's
retry of either deletes nothing more.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import App

from bot.slack.deps import InstallDeps

log = logging.getLogger(__name__)


def forget(deps: InstallDeps, body: dict[str, Any], why: str) -> None:
    team = body.get("team_id")
    if not team:
        log.warning("%s without a team_id: nothing removed", why)
        return
    deps.forget(str(team), body.get("enterprise_id"))
    log.warning("%s: workspace %s forgotten (installation, subscriptions, alerts)", why, team)


def on_uninstalled(body: dict[str, Any], *, deps: InstallDeps) -> None:
    forget(deps, body, "app uninstalled")


def on_tokens_revoked(event: dict[str, Any], body: dict[str, Any], *, deps: InstallDeps) -> None:
    if (event.get("tokens") or {}).get("bot"):
        forget(deps, body, "bot token revoked")
    else:
        log.info("user tokens revoked in %s: the bot stays installed", body.get("team_id"))


def register(app: App, deps: InstallDeps) -> None:
    """Attach the uninstall listeners to ``app``."""
    app.event("app_uninstalled")(partial(on_uninstalled, deps=deps))
    app.event("tokens_revoked")(partial(on_tokens_revoked, deps=deps))
