"""Listeners grouped by feature; each module has ``register(app, deps)`` with its own deps."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.listeners import (
    alerts,
    buttons,
    check,
    home,
    installs,
    leaders,
    questions,
    records,
    streak,
)


def register_all(app: App, deps: SlackDeps) -> None:
    """Attach every feature's listeners to ``app``."""
    streak.register(app, deps.streak)
    records.register(app, deps.records)
    leaders.register(app, deps.leaders)
    questions.register(app, deps.questions)
    check.register(app, deps.check)
    buttons.register(app, deps.streak)
    if deps.home is not None:
        home.register(app, deps.home)
    installs.register(app, deps.installs)
    alerts.register(app, deps.alerts)


__all__ = ["register_all"]
