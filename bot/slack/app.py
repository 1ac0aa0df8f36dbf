"""Build the Bolt app from the features' dependencies (no network at import time).

The starter (:mod:`bot.slack.serve`) checks the credentials and builds the dependencies;
this module only wires Bolt, the listeners and the WSGI endpoints.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.failures import ServiceUnavailableError
from bot.render.install import NOT_INSTALLED
from bot.settings import ConfigError
from bot.slack.deps import SlackDeps
from bot.slack.listeners import register_all
from bot.slack.verification import StrictRequestVerification

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def check_bot_token(client: WebClient) -> None:
    """``auth.test``: a revoked or wrong token is a :class:`ConfigError`, an unreachable
    Slack a :class:`ServiceUnavailableError`, each one line."""
    try:
        client.auth_test()
    except SlackApiError as exc:
        raise ConfigError(
            f"Slack rejected SLACK_BOT_TOKEN ({exc.response.get('error')}); check the token."
        ) from None
    except (SlackClientError, OSError) as exc:
        reason = str(getattr(exc, "reason", None) or exc).splitlines()[0]
        raise ServiceUnavailableError(f"cannot reach Slack at {client.base_url}: {reason}") from None


def build_app(
    deps: SlackDeps, *, client: WebClient, signing_secret: str | None, oauth: OAuthSettings | None = None
) -> App:
    """A Bolt app with every listener registered.

    Parameters
    ----------
    deps
        What each feature's listeners need.
    client
        The bot's WebClient (its token already checked: :func:`check_bot_token`); in OAuth
        mode one with no token, whose base URL every request's client and the install's
        ``oauth.v2.access`` use.
    signing_secret
        Slack's signing secret, checked on every request; None for Socket Mode, where
        requests come over the app's own connection.
    oauth
        Multi-workspace mode (:func:`bot.slack.oauth.oauth_settings`): installs through
        ``/slack/install``, and each request's team's token from the installation store.
    """
    verification = StrictRequestVerification(signing_secret) if signing_secret else None
    app = App(
        client=client,
        signing_secret=signing_secret,
        token_verification_enabled=False,  # the starter does it, with a clearer error
        # Bolt's own check crashes on a non-numeric timestamp; ours answers 401. It runs
        # where Bolt's would (right before authorization).
        request_verification_enabled=False,
        before_authorize=verification,
        # The bot's own messages (its answers in a DM) are dropped before any listener.
        ignoring_self_events_enabled=True,
        # Listeners only parse, ack and hand the answer to the background pool
        # (bot.slack.background), so the HTTP response can go out as soon as the
        # listener returns, without Bolt's executor hop and ack polling.
        process_before_response=True,
        oauth_settings=oauth,
        # OAuth mode: what a workspace with no installation is told.
        user_facing_authorize_error_message=NOT_INSTALLED if oauth is not None else None,
        name="streakbot",
    )
    register_all(app, deps)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        log.error("unhandled error in a listener: %s", error, exc_info=error)
        return BoltResponse(status=200, body="")

    return app


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi_app(app: App, health: Callable[[], tuple[int, dict[str, Any]]]) -> WsgiApp:
    """WSGI app: ``POST /slack/events`` for Slack, ``GET /healthz`` (``health()``) for the platform,
    and with OAuth (``app.oauth_flow``) ``GET /slack/install`` and ``GET /slack/oauth_redirect``
    (Bolt's WSGI handler serves them from the app's OAuth flow)."""
    handler = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            status, body = health()
            raw = json.dumps(body).encode()
            start_response(
                "200 OK" if status == 200 else "503 Service Unavailable",
                [("Content-Type", "application/json"), ("Content-Length", str(len(raw)))],
            )
            return [raw]
        return handler(environ, start_response)  # type: ignore[arg-type]

    return wsgi
