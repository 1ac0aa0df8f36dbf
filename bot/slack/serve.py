"""``streakbot serve``: gunicorn (HTTP) or Socket Mode. Web processes never run the scheduler."""

from __future__ import annotations

import gc
import logging
import os
from typing import Any

from bot.bootstrap import Services
from bot.domain.symbols import MAIN_INDICES

log = logging.getLogger(__name__)


def warm(services: Services) -> None:
    """Load the calendar and the main series before the first request arrives.

    Then freeze what start-up allocated (about 100k long-lived objects: pandas, the
    calendar, the closes, Bolt) out of the garbage collector's sight: otherwise every
    full collection walks all of it, a pause of tens of milliseconds holding the GIL, and
    every request in that worker, acks included, waits.
    """
    market = services.market
    market.preload([s for s in MAIN_INDICES if s in market.available()])
    _ = services.calendar.last_session
    gc.collect()
    gc.freeze()


def create_wsgi(services: Services) -> Any:
    from bot.slack.app import build_app, make_wsgi_app

    app = build_app(services)
    warm(services)
    return make_wsgi_app(app, services)


def serve(services: Services, *, socket_mode: bool = False, port: int | None = None,
          workers: int = 2, threads: int = 16) -> int:
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

    # Fail fast with one clear line before forking workers (a worker that fails to boot
    # prints gunicorn's traceback instead): the credentials, Slack's view of the token,
    # the database and the price data.
    from bot.adapters.slack_client import make_web_client
    from bot.slack.app import check_bot_token

    services.settings.require_slack()
    check_bot_token(make_web_client(services.settings))
    # Create the store's tables once, here: workers creating them at the same time race
    # ("table ... already exists") and fail to boot. Reading the data here also checks it
    # (and the workers inherit it). Then close the pool, so that no database connection
    # crosses the fork (each worker opens its own).
    _ = services.engine
    warm(services)
    services.engine.dispose()
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
