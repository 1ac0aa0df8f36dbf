"""``streakbot serve``: gunicorn (HTTP) or Socket Mode. Web processes never run the scheduler.

The starter of the Slack app: the only module of :mod:`bot.slack` that sees the
``Services`` bundle. It checks the credentials, builds each feature's dependencies
(:mod:`bot.slack.deps`) from the services and hands them to :func:`bot.slack.app.build_app`.
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import socket
from functools import partial
from typing import Any

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.bootstrap import Services
from bot.domain.errors import ConfigError
from bot.domain.symbols import MAIN_INDICES
from bot.slack.app import WsgiApp, build_app, check_bot_token, make_wsgi_app
from bot.slack.background import ANSWER_THREADS, run_in_background
from bot.slack.deps import (
    AlertsDeps,
    CommandDeps,
    Forget,
    HealthDeps,
    HomeDeps,
    InstallDeps,
    LeadersDeps,
    MarketCommandDeps,
    QuestionsDeps,
    RunLater,
    SlackDeps,
)
from bot.slack.health import database_ping, health
from bot.slack.oauth import STATE_EXPIRATION_SECONDS, oauth_settings
from bot.store.teams import forget_team

log = logging.getLogger(__name__)

# Request threads per gunicorn worker. They only acknowledge (a listener acks and hands the
# answer to the answer pool), so they are CPU under the GIL: more threads than cores make
# every ack in a burst share the interpreter (processor sharing) instead of finishing in
# turn, and add lock hand-offs. Idle keep-alive connections wait in gunicorn's poller, not
# on a thread. Measured with benchmarks/bench_slack_http.py (2 workers, 2 cores, 3 runs of
# 500 /streak each): at concurrency 50, 16 threads gave ack p99 67-104 ms, 4 gave 69-99,
# 2 gave 50-53; at 20, 2 threads gave 14-28 ms.
REQUEST_THREADS = 2


def command_deps(services: Services, run_later: RunLater = run_in_background) -> CommandDeps:
    """What every slash command shares: the clock, ``response_url`` answers, the answer pool."""
    respond = services.response_poster(connections=ANSWER_THREADS)
    return CommandDeps(clock=services.clock, respond=respond, run_later=run_later)


def leaders_deps(services: Services, command: CommandDeps | None = None) -> LeadersDeps:
    """``/leaders``'s dependencies."""
    return LeadersDeps(
        command=command or command_deps(services),
        market=lambda: services.market,
        calendar=services.calendar,
        subscriptions=services.subscriptions,
        last_sent=services.post_ledger.last_sent,
    )


def forget_workspace(services: Services) -> Forget:
    """Remove a workspace's subscriptions and alerts, then (OAuth mode) its installation."""

    def forget(team_id: str, enterprise_id: str | None) -> None:
        forget_team(services.engine, team_id)
        if services.settings.oauth:
            services.team_tokens.forget(team_id, enterprise_id)

    return forget


def slack_deps(services: Services, run_later: RunLater = run_in_background) -> SlackDeps:
    """Every feature's dependencies, from the services (the store is opened here).

    ``run_later`` runs the answers after the acknowledgements (tests pass their own).
    """
    command = command_deps(services, run_later)
    market = MarketCommandDeps(command=command, market=lambda: services.market,
                               new_symbols=None if services.read_only_prices else services.new_symbols)
    return SlackDeps(
        streak=market,
        records=market,
        leaders=leaders_deps(services, command),
        check=market,
        home=HomeDeps(market=lambda: services.market, calendar=services.calendar,
                      subscriptions=services.subscriptions, clock=services.clock, run_later=run_later,
                      alert_channels=lambda team: [(a.channel_id, a.threshold)
                                                   for a in services.alert_store.all_enabled()
                                                   if a.team_id == team]),
        alerts=AlertsDeps(command=command, market=lambda: services.market, alerts=services.alert_store),
        questions=QuestionsDeps(
            market=lambda: services.market,
            clock=services.clock,
            ledger=services.event_ledger,
            run_later=run_later,
        ),
        installs=InstallDeps(forget=forget_workspace(services)),
    )


def health_deps(services: Services) -> HealthDeps:
    """``/healthz``'s dependencies."""
    return HealthDeps(
        ping=database_ping(services.engine),
        latest_session=lambda: services.calendar.last_completed_session(services.clock()),
        market=lambda: services.market,
    )


def slack_app(services: Services, *, socket_mode: bool = False, client: WebClient | None = None) -> App:
    """The Bolt app, after checking the credentials (one clear line when they are wrong).

    The bot token is checked against Slack (``auth.test``) here, so a revoked or wrong
    token stops start-up instead of failing on the first command. In OAuth mode there is
    no token to check: each workspace's comes from its installation.
    """
    settings = services.settings
    settings.require_slack(socket_mode=socket_mode)
    client = client or services.slack_client()
    if not settings.oauth:
        check_bot_token(client)
    secret = None
    if not socket_mode:
        assert settings.slack_signing_secret is not None, "require_slack checks the signing secret"
        secret = settings.slack_signing_secret.get_secret_value()
    oauth = app_oauth(services, client)
    return build_app(slack_deps(services), client=client, signing_secret=secret, oauth=oauth)


def app_oauth(services: Services, client: WebClient) -> OAuthSettings | None:
    """Bolt's OAuth settings in multi-workspace mode (None with ``SLACK_BOT_TOKEN``)."""
    s = services.settings
    if not s.oauth:
        return None
    assert s.slack_client_id and s.slack_client_secret, "require_slack checks both"
    return oauth_settings(
        client_id=s.slack_client_id,
        client_secret=s.slack_client_secret.get_secret_value(),
        installation_store=services.installation_store,
        state_store=services.oauth_state_store(STATE_EXPIRATION_SECONDS),
        client=client,
        redirect_uri=s.slack_redirect_uri,
    )


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


def create_wsgi(services: Services) -> WsgiApp:
    """The WSGI app of one worker: the Bolt app and ``/healthz``, warmed."""
    app = slack_app(services)
    warm(services)
    wsgi = make_wsgi_app(app, partial(health, health_deps(services)))
    log.warning("streakbot worker %d ready", os.getpid())  # a line each worker prints, whatever the level
    return wsgi


def check_port_free(port: int, host: str = "0.0.0.0") -> None:
    """``ConfigError`` (one line) when another program listens on ``port``.

    The workers bind with ``SO_REUSEPORT``, and such a bind succeeds beside any other
    server that set it too (a second ``streakbot serve``, say), so the port is checked
    first with a plain bind. ``SO_REUSEADDR`` lets it pass over connections of a stopped
    server still in TIME_WAIT; a listening socket still makes it fail.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise ConfigError(
                f"port {port} is already in use by another program: stop it, or set PORT to a free port."
            ) from None


def serve(services: Services, *, socket_mode: bool = False, port: int | None = None,
          workers: int = 2, threads: int = REQUEST_THREADS) -> int:
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler  # noqa: PLC0415 (Socket Mode only)

        app = slack_app(services, socket_mode=True)
        warm(services)
        token = services.settings.slack_app_token
        assert token is not None  # checked by require_slack
        log.warning("streakbot connected over Socket Mode; Ctrl-C to stop")
        SocketModeHandler(app, token.get_secret_value()).start()  # type: ignore[no-untyped-call]
        return 0

    # Fail fast with one clear line before forking workers (a worker that fails to boot
    # prints gunicorn's traceback instead): the credentials, Slack's view of the token,
    # the database and the price data.
    services.settings.require_slack()
    if not services.settings.oauth:
        check_bot_token(services.slack_client())
    # Create the store's tables once, here: workers creating them at the same time race
    # ("table ... already exists") and fail to boot. Reading the data here also checks it
    # (and the workers inherit it). Then close the pool, so that no database connection
    # crosses the fork (each worker opens its own).
    _ = services.engine
    warm(services)
    services.engine.dispose()
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415 (gunicorn, HTTP serving only)

    bind_port = port or services.settings.port or int(os.environ.get("PORT", "3000"))
    check_port_free(bind_port)

    class StreakbotGunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{bind_port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            # Each worker listens on its own SO_REUSEPORT socket, and the kernel spreads
            # new connections over them by a hash of the addresses. On one shared socket
            # the worker that woke first took them: in bench_slack_http at concurrency 50
            # the 50 connections split 50/0, 48/2 and 44/6 in three runs of five, and
            # one core served the burst (ack p99 58-136 ms where the even run had 47).
            # The price: connections queued on a worker that crashes are reset with it
            # (unless net.ipv4.tcp_migrate_req is set), and a restarting worker's socket
            # takes connections before its app is loaded (they wait, and are answered).
            self.cfg.set("reuse_port", True)
            self.cfg.set("timeout", 30)
            self.cfg.set("accesslog", "-" if services.settings.access_log else None)
            self.cfg.set("loglevel", services.settings.log_level.lower())

        def load(self) -> Any:
            # Runs in each worker after the fork: every worker builds its own app.
            return create_wsgi(services)

    StreakbotGunicorn().run()
    return 0
