"""The Slack side of the daily post: :class:`~bot.domain.ports.DailySender` over a WebClient.

* :meth:`SlackSender.send_post` -- one ``chat.postMessage`` with the ledger key in its
  ``metadata`` (:mod:`bot.adapters.slack_history`); the client never retries it (see
  :mod:`bot.adapters.slack_client`), and its outcome is classified for the ledger: a
  ``URLError`` is raised while connecting and writing the request (so Slack cannot have
  acted on it); errors while waiting for or reading the answer (timeouts, resets, a closed
  connection, a garbled response) and 5xx answers leave the outcome unknown.
* :meth:`SlackSender.find_post` -- the channel's history read for that key.
* :meth:`SlackSender.share_file` -- one files v2 upload shared with several channels.
* :attr:`SlackSender.post_gate` -- the run's shared 429 gate for ``chat.postMessage``
  (:class:`bot.adapters.ratelimit.RateGate`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.adapters.ratelimit import POST_METHOD, GatedWebClient, RateGate, retry_after_seconds
from bot.adapters.slack_history import EVENT_TYPE, find_post, post_metadata
from bot.domain.ports import SendResult

log = logging.getLogger(__name__)

__all__ = ["SlackPostGate", "SlackSender"]


class SlackPostGate:
    """:class:`~bot.domain.ports.PostGate`: a :class:`RateGate` seen for ``chat.postMessage``."""

    def __init__(self, gate: RateGate) -> None:
        self.gate = gate

    def remaining(self) -> float:
        return self.gate.remaining(POST_METHOD)

    def wait(self) -> float:
        return self.gate.wait(POST_METHOD)

    def pause(self, seconds: float) -> None:
        self.gate.pause(POST_METHOD, seconds)


def _slack_error(exc: SlackApiError) -> str:
    resp = exc.response
    err = resp.get("error") if resp is not None else None
    status = getattr(resp, "status_code", None)
    return str(err or f"HTTP {status}")


class SlackSender:
    """The daily post's sender over ``client``.

    ``gate``: the 429 gate shared by the run's senders; by default the client's own
    (:class:`~bot.adapters.ratelimit.GatedWebClient`), else a new one. ``event_type``: the
    metadata key's type (the alerts send theirs as ``streakbot_alert``).
    """

    def __init__(self, client: WebClient, gate: RateGate | None = None, event_type: str = EVENT_TYPE) -> None:
        self.client = client
        self.event_type = event_type
        if gate is None:
            gate = client.gate if isinstance(client, GatedWebClient) else RateGate()
        self.post_gate = SlackPostGate(gate)

    def send_post(
        self, team_id: str, channel_id: str, session: date, text: str, blocks: Sequence[dict[str, Any]]
    ) -> SendResult:
        try:
            resp = self.client.chat_postMessage(
                channel=channel_id, text=text, blocks=list(blocks), unfurl_links=False,
                unfurl_media=False, metadata=post_metadata(team_id, channel_id, session, self.event_type),
            )
        except SlackApiError as exc:
            code, err = int(getattr(exc.response, "status_code", 0) or 0), _slack_error(exc)
            if code == 429:
                wait = retry_after_seconds(getattr(exc.response, "headers", None))
                return SendResult("rate_limited", error=err, retry_after=wait)
            if code >= 500:
                return SendResult("unknown", error=f"Slack answered HTTP {code} ({err})")
            return SendResult("failed", error=err)
        except Exception as exc:
            err = f"{type(exc).__name__}: {exc}"[:200]
            return SendResult("failed" if isinstance(exc, URLError) else "unknown", error=err)
        ts = resp.get("ts")
        return SendResult("posted", ts=str(ts) if ts is not None else None)

    def find_post(self, team_id: str, channel_id: str, session: date) -> str | None:
        return find_post(self.client, team_id, channel_id, session, self.event_type)

    def share_file(self, channels: Sequence[str], content: bytes, filename: str, title: str) -> str | None:
        try:
            self.client.files_upload_v2(channels=list(channels), content=content, filename=filename, title=title)
        except SlackApiError as exc:
            resp = exc.response
            err = (resp.get("error") if resp is not None else None) or f"HTTP {getattr(resp, 'status_code', '?')}"
            log.warning("chart upload to %d channel(s) failed: %s", len(channels), err)
            return str(err)
        except Exception as exc:
            log.warning("chart upload to %d channel(s) failed: %s", len(channels), exc)
            return f"{type(exc).__name__}: {exc}"[:200]
        return None
