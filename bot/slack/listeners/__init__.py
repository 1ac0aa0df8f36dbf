"""Listeners grouped by feature; each module has ``register(app, services)``."""

from __future__ import annotations

from slack_bolt import App

from bot.bootstrap import Services


def register_all(app: App, services: Services) -> None:
    """Attach every feature's listeners to ``app``."""
    from bot.slack.listeners import records, streak

    streak.register(app, services)
    records.register(app, services)
    try:  # features added by later modules register themselves when present
        from bot.slack.listeners import leaders

        leaders.register(app, services)
    except ImportError:
        pass
    try:
        from bot.slack.listeners import questions

        questions.register(app, services)
    except ImportError:
        pass
