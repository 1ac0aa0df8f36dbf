"""``streakbot serve``: gunicorn (HTTP) or Socket Mode. Web processes never run the scheduler."""

from __future__ import annotations

import logging
import os
from typing import Any

from bot.bootstrap import Services
from bot.symbols import MAIN_INDICES

log = logging.getLogger(__name__)


def warm(services: Services) -> None:
    """Load the calendar and the main series before the first request arrives."""
    market = services.market
    market.preload([s for s in MAIN_INDICES if s in market.available()])
    _ = services.calendar.last_session


def create_wsgi(services: Services) -> Any:
    from bot.slack.app import build_app, make_wsgi_app

    app = build_app(services)
    warm(services)
    return make_wsgi_app(app, services)


def serve(services: Services, *, socket_mode: bool = False, port: int | None = None,
          workers: int = 2, threads: int = 8) -> int:
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from bot.slack.app import build_app

        app = build_app(services, socket_mode=True)
        warm(services)
        token = services.settings.slack_app_token
        assert token is not None  # checked by require_slack
        log.warning("streakbot connected over Socket Mode; Ctrl-C to stop")
        SocketModeHandler(app, token.get_secret_value()).start()  # type: ignore[no-untyped-call]
        return 0

    # Fail fast with one clear line before forking workers.
    services.settings.require_slack()
    from gunicorn.app.base import BaseApplication

    bind_port = port or services.settings.port or int(os.environ.get("PORT", "3000"))

    class StreakbotGunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{bind_port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 30)
            self.cfg.set("accesslog", "-")
            self.cfg.set("loglevel", services.settings.log_level.lower())

        def load(self) -> Any:
            # Runs in each worker after the fork: every worker builds its own app.
            return create_wsgi(services)

    StreakbotGunicorn().run()
    return 0
