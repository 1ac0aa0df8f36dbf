"""Multi-workspace mode: Bolt's OAuth install flow on the app's own database.

With ``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET`` (instead of ``SLACK_BOT_TOKEN``) the app is
installed by any workspace through "Add to Slack":

* ``GET /slack/install`` -- a page with the Add-to-Slack link (Slack's authorize URL with
  the bot scopes and a one-time ``state``, also set as a cookie in the installer's browser);
* ``GET /slack/oauth_redirect?code=...&state=...`` -- Slack sends the installer back here:
  the state is checked and consumed, ``oauth.v2.access`` (on ``SLACK_API_URL``, like every
  Web API call) trades the code for the workspace's bot token, the installation is saved
  in slack_sdk's SQLAlchemy installation store, and a success page is shown
  (:mod:`bot.render.install`).

Bolt's authorize then reads each request's team from the same store, so every listener's
``client`` carries that team's token.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_bolt import BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from bot.render.install import install_failed_page, installed_page

__all__ = ["BOT_SCOPES", "INSTALL_PATH", "REDIRECT_PATH", "STATE_EXPIRATION_SECONDS", "oauth_settings"]

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# An "Add to Slack" link's state (and its cookie) is good for this long (slack_sdk's default).
STATE_EXPIRATION_SECONDS = 600

# The bot scopes asked for at install: the manifest's (tests/slack/test_manifest.py checks).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "files:write",
    "app_mentions:read",
    "im:history",
    "im:read",
    "im:write",
    "channels:read",
    "groups:read",
    "channels:history",
    "groups:history",
)

_HTML = {"Content-Type": "text/html; charset=utf-8"}


def _success(args: SuccessArgs) -> BoltResponse:
    inst = args.installation
    open_url = f"slack://app?team={inst.team_id}&id={inst.app_id}" if inst.team_id and inst.app_id else None
    headers: dict[str, str | Sequence[str]] = {
        **_HTML, "Set-Cookie": [args.settings.state_utils.build_set_cookie_for_deletion()],
    }
    return BoltResponse(status=200, body=installed_page(inst.team_name, open_url), headers=headers)


def _failure(args: FailureArgs) -> BoltResponse:
    return BoltResponse(
        status=args.suggested_status_code,
        body=install_failed_page(args.reason, args.settings.install_path),
        headers=dict(_HTML),
    )


def oauth_settings(
    *,
    client_id: str,
    client_secret: str,
    installation_store: InstallationStore,
    state_store: OAuthStateStore,
    client: WebClient,
    redirect_uri: str | None = None,
) -> OAuthSettings:
    """Bolt's OAuth settings: our paths, scopes, stores and pages.

    ``client``: the app's WebClient (no token), whose base URL (``SLACK_API_URL``) every
    call of the flow uses. ``redirect_uri``: sent with the authorize URL and
    ``oauth.v2.access``; ``None`` lets Slack use the app's one Redirect URL
    (``oauth_config.redirect_urls`` in the manifest).

    The authorize reads the team's bot from the store on every request (an uninstall
    takes effect at once) but checks each token with ``auth.test`` only once: without the
    cache every request would wait for a Slack round trip before its ack.
    """
    settings = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=_success, failure=_failure),
        installation_store=installation_store,
        # Only bot tokens are asked for: authorize reads the team's latest bot.
        installation_store_bot_only=True,
        state_store=state_store,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
    settings.authorize = InstallationStoreAuthorize(
        logger=log,
        client_id=client_id,
        client_secret=client_secret,
        installation_store=installation_store,
        bot_only=True,
        cache_enabled=True,
        client=client,  # token rotation too goes to SLACK_API_URL
    )
    return settings
