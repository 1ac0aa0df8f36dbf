"""The ledger key carried by every post, and finding it again in a channel's history.

Each daily post is sent with Slack message ``metadata``::

    {"event_type": "streakbot_post",
     "event_payload": {"team": "T123", "channel": "C123", "session": "2025-12-31"}}

When a send's outcome is unknown (timeout, connection lost after the request was written,
a sender that died), :func:`find_post` reads the channel's recent history
(``conversations.history`` with ``include_all_metadata``; scopes ``channels:history`` and
``groups:history``) for that key: the post is there (its ``ts``) or it is not.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.ports import ChannelHistoryError
from bot.domain.time import NY_TZ

__all__ = ["ALERT_EVENT_TYPE", "EVENT_TYPE", "HistoryUnavailableError", "find_post", "post_metadata"]

EVENT_TYPE = "streakbot_post"
ALERT_EVENT_TYPE = "streakbot_alert"  # the alerts' messages: same payload, another key
PAGE_SIZE = 100
MAX_PAGES = 10  # at most 1,000 messages since the session's day began


class HistoryUnavailableError(ChannelHistoryError):
    """The channel's history could not be read to the end (the message says why)."""


def _payload(team_id: str, channel_id: str, session: date) -> dict[str, str]:
    return {"team": team_id, "channel": channel_id, "session": session.isoformat()}


def post_metadata(
    team_id: str, channel_id: str, session: date, event_type: str = EVENT_TYPE
) -> dict[str, Any]:
    """The ``metadata`` argument of ``chat.postMessage`` for one (team, channel, session)."""
    return {"event_type": event_type, "event_payload": _payload(team_id, channel_id, session)}


def _is_key(message: dict[str, Any], key: dict[str, str], event_type: str) -> bool:
    meta = message.get("metadata")
    if not isinstance(meta, dict) or meta.get("event_type") != event_type:
        return False
    payload = meta.get("event_payload")
    return isinstance(payload, dict) and all(str(payload.get(k)) == v for k, v in key.items())


def find_post(
    client: WebClient, team_id: str, channel_id: str, session: date, event_type: str = EVENT_TYPE
) -> str | None:
    """The ``ts`` of the session's post in the channel, or ``None`` if it is not there.

    Reads from the start of the session's day (New York), newest first. Raises
    :class:`HistoryUnavailableError` when Slack refuses (``missing_scope`` on an app installed
    before the history scopes were added, ``not_in_channel``...) or the history is longer
    than :data:`MAX_PAGES` pages: "not found" is only ever said after reading all of it.
    """
    key = _payload(team_id, channel_id, session)
    oldest = datetime.combine(session, time(0), NY_TZ).timestamp()
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        try:
            resp = client.conversations_history(
                channel=channel_id,
                oldest=f"{oldest:.6f}",
                include_all_metadata=True,
                limit=PAGE_SIZE,
                cursor=cursor,
            )
        except SlackApiError as exc:
            err = exc.response.get("error") if exc.response is not None else None
            raise HistoryUnavailableError(f"conversations.history: {err or exc}") from None
        except Exception as exc:
            raise HistoryUnavailableError(f"conversations.history: {type(exc).__name__}: {exc}") from None
        for message in resp.get("messages") or []:
            if isinstance(message, dict) and _is_key(message, key, event_type):
                return str(message["ts"])
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
        if not resp.get("has_more") or not cursor:
            return None
    raise HistoryUnavailableError(
        f"more than {MAX_PAGES * PAGE_SIZE} messages since the session began: not all read"
    )
