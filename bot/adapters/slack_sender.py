"""The Slack side of the daily post: :class:`~bot.domain.ports.DailySender` over a WebClient.

* :meth:`SlackSender.send_post` -- one ``chat.postMessage`` with the ledger key in its
  ``metadata`` (:mod:`bot.adapters.slack_history`); the client never retries it (see
  :mod:`bot.adapters.slack_client`), and its outcome is classified for the ledger: a
  ``URLError`` is raised while connecting and writing the request (so Slack cannot have
  acted on it); errors while waiting for or reading the answer (timeouts, resets, a closed
  connection, a garbled response) and 5xx answers leave the outcome unknown.
* :meth:`SlackSender.find_post` -- the channel's history read for that key.
* :meth:`SlackSender.share_file` -- one files v2 upload shared with several channels.
* :meth:`SlackSender.post_gate_for` -- the run's shared 429 gate for ``chat.postMessage``
  (:class:`bot.adapters.ratelimit.RateGate`).

:class:`SlackSender` posts with one bot token (one workspace, ``SLACK_BOT_TOKEN``);
:class:`TeamSlackSender` with each team's own (OAuth installs), a 429 gate per workspace.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.adapters.ratelimit import POST_METHOD, GatedWebClient, RateGate, retry_after_seconds
from bot.adapters.slack_history import EVENT_TYPE, find_post, post_metadata
from bot.domain.ports import ChannelHistoryError, SendResult

log = logging.getLogger(__name__)

__all__ = ["NOT_INSTALLED", "SlackPostGate", "SlackSender", "TeamSlackSender"]

# The error of a post to a team with no installation (it uninstalled the app).
NOT_INSTALLED = "not_installed"


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

    def post_gate_for(self, team_id: str) -> SlackPostGate:
        """One workspace, one gate."""
        return self.post_gate

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

    def share_file(
        self, team_id: str, channels: Sequence[str], content: bytes, filename: str, title: str
    ) -> str | None:
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


class TeamSlackSender:
    """The daily post's sender for many workspaces: each team's calls go out with its own
    bot token (``token_for(team)``, looked up at every call), on a client per token made by
    ``make_client(token, gate)``. Each workspace has its own 429 gate (Slack's rate limits
    are per app and workspace): a 429 from one team pauses only that team's posts.

    A team with no token (it uninstalled the app) is not posted to: the post fails with
    :data:`NOT_INSTALLED` and its history cannot be read.
    """

    def __init__(
        self,
        token_for: Callable[[str], str | None],
        make_client: Callable[[str, RateGate], WebClient],
        gate: RateGate | None = None,
        event_type: str = EVENT_TYPE,
    ) -> None:
        self.token_for = token_for
        self.make_client = make_client
        self.event_type = event_type
        self._make_gate: Callable[[], RateGate] = (lambda: gate) if gate is not None else RateGate
        self._gates: dict[str, RateGate] = {}
        self._senders: dict[str, SlackSender] = {}
        self._lock = threading.Lock()

    def gate(self, team_id: str) -> RateGate:
        """The workspace's 429 gate (made on first use)."""
        with self._lock:
            found = self._gates.get(team_id)
            if found is None:
                found = self._gates[team_id] = self._make_gate()
            return found

    def post_gate_for(self, team_id: str) -> SlackPostGate:
        return SlackPostGate(self.gate(team_id))

    def sender(self, team_id: str) -> SlackSender | None:
        """The team's sender (one per token), or ``None`` when the team has no installation."""
        token = self.token_for(team_id)
        if not token:
            return None
        gate = self.gate(team_id)
        with self._lock:
            found = self._senders.get(token)
            if found is None:
                found = self._senders[token] = SlackSender(self.make_client(token, gate), gate, self.event_type)
            return found

    def send_post(
        self, team_id: str, channel_id: str, session: date, text: str, blocks: Sequence[dict[str, Any]]
    ) -> SendResult:
        sender = self.sender(team_id)
        if sender is None:
            log.warning("daily post to %s/%s: the team has no installation", team_id, channel_id)
            return SendResult("failed", error=NOT_INSTALLED)
        return sender.send_post(team_id, channel_id, session, text, blocks)

    def find_post(self, team_id: str, channel_id: str, session: date) -> str | None:
        sender = self.sender(team_id)
        if sender is None:
            raise ChannelHistoryError(f"the team {team_id} has no installation")
        return sender.find_post(team_id, channel_id, session)

    def share_file(
        self, team_id: str, channels: Sequence[str], content: bytes, filename: str, title: str
    ) -> str | None:
        sender = self.sender(team_id)
        if sender is None:
            return NOT_INSTALLED
        return sender.share_file(team_id, channels, content, filename, title)
