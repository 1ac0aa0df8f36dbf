"""The App Home tab, published on ``app_home_opened`` (``views.publish``).

The view is built after the event is acknowledged: the lead sentence needs the day's
summary, which is built once per session and data version (:meth:`Market.memo`).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.daily.commands import prepare
from bot.render.daily import lead_sentence
from bot.render.home import HomeChannel, home_view
from bot.slack.deps import HomeDeps

log = logging.getLogger(__name__)

__all__ = ["publish_home", "register"]


def publish_home(deps: HomeDeps, client: WebClient, team: str, user: str) -> None:
    market = deps.market()
    now = deps.clock()
    prep = market.memo(("home", market.expected_session(now)),
                       lambda: prepare(market, deps.calendar, None, now, allow_stale=True))
    subs = [HomeChannel(s.channel_id, s.post_time, s.failing_error, s.failing_since)
            for s in deps.subscriptions.all() if s.team_id == team]
    view = home_view(subs, prep.summary.session, lead_sentence(prep.summary), deps.alert_channels(team))
    try:
        client.views_publish(user_id=user, view=view)
    except SlackApiError as exc:
        log.warning("App Home for %s not published: %s", user, exc.response.get("error"))
    except OSError as exc:  # Slack unreachable: the next app_home_opened publishes it
        log.warning("App Home for %s not published: %s", user, exc)


def on_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient, *, deps: HomeDeps) -> None:
    """Only the Home tab (not Messages); answered off the request thread."""
    if event.get("tab", "home") != "home":
        return
    team, user = str(body.get("team_id") or ""), str(event["user"])
    deps.run_later(lambda: publish_home(deps, client, team, user), "the App Home tab")


def register(app: App, deps: HomeDeps) -> None:
    app.event("app_home_opened")(partial(on_home_opened, deps=deps))
