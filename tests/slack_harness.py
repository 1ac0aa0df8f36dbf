"""Test harness: the app's real WSGI endpoint on loopback, and Slack-signed requests.

Modelled on bolt-python's own tests: requests are signed with slack_sdk's
``SignatureVerifier`` scheme and sent over HTTP to the app (:func:`send_command`,
:func:`send_event`) or handed to ``app.dispatch`` in process (:func:`command_request`,
:func:`event_request`), the app's WebClient pointing at the in-repo fake Slack server
(:mod:`fakeslack`).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any, cast
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"
# The app's OAuth credentials in multi-workspace mode.
CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "test-client-secret-abcdef"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def wsgi_server(wsgi_app: Any) -> Iterator[str]:
    """Serve ``wsgi_app`` on 127.0.0.1 (random port) in a thread; yield its base URL."""
    server = make_server(
        "127.0.0.1", 0, wsgi_app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """Slack's request-signing headers for ``body``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    # None only for a None timestamp, and ts is always a string here.
    sig = cast(str, SignatureVerifier(secret).generate_signature(timestamp=ts, body=body))
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}


def command_body(command: str, text: str, response_url: str, **extra: str) -> str:
    fields = {
        "token": "legacy-verification-token",
        "team_id": "T0FAKE",
        "team_domain": "desk",
        "channel_id": "C0DESK",
        "channel_name": "markets",
        "user_id": "U0TRADER",
        "user_name": "trader",
        "command": command,
        "text": text,
        "api_app_id": "A0STREAK",
        "response_url": response_url,
        "trigger_id": "123.456.abc",
    }
    fields.update(extra)
    return urlencode(fields)


def post(
    url: str, body: str, headers: dict[str, str], content_type: str, timeout: float = 10
) -> tuple[int, bytes, float]:
    """POST and return (status, body, seconds)."""
    req = urllib.request.Request(url, data=body.encode(), method="POST")
    req.add_header("Content-Type", content_type)
    for k, v in headers.items():
        req.add_header(k, v)
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), time.perf_counter() - t0
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.perf_counter() - t0


def send_command(base_url: str, command: str, text: str, response_url: str,
                 *, headers: dict[str, str] | None = None, **extra: str) -> tuple[int, bytes, float]:
    body = command_body(command, text, response_url, **extra)
    return post(f"{base_url}/slack/events", body, headers if headers is not None else sign(body),
                "application/x-www-form-urlencoded")


def event_body(event: dict[str, Any], event_id: str = "Ev0001", team_id: str = "T0FAKE") -> str:
    """The JSON body of an Events API callback carrying ``event`` (from ``team_id``)."""
    return json.dumps({
        "token": "legacy",
        "team_id": team_id,
        "api_app_id": "A0STREAK",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team_id, "user_id": "U0BOT", "is_bot": True}],
    })


def retry_headers(retry_num: int | None) -> dict[str, str]:
    """Slack's headers on its ``retry_num``-th resend of an event (none for the first send)."""
    if retry_num is None:
        return {}
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}


def send_event(base_url: str, event: dict[str, Any], *, event_id: str = "Ev0001",
               retry_num: int | None = None, team_id: str = "T0FAKE") -> tuple[int, bytes, float]:
    body = event_body(event, event_id, team_id)
    headers = {**sign(body), **retry_headers(retry_num)}
    return post(f"{base_url}/slack/events", body, headers, "application/json")


def message_shortcut_body(callback_id: str, message: dict[str, Any], response_url: str | None,
                          *, channel: str = "C0DESK", user: str = "U0EDITOR") -> str:
    """The form body of a message shortcut (``type: message_action``), as Slack sends it."""
    payload: dict[str, Any] = {
        "type": "message_action",
        "token": "legacy",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": "T0FAKE", "domain": "desk"},
        "user": {"id": user, "username": "editor", "team_id": "T0FAKE", "name": "editor"},
        "channel": {"id": channel, "name": "markets"},
        "is_enterprise_install": False,
        "callback_id": callback_id,
        "trigger_id": "123.456.def",
        "message_ts": message.get("ts", ""),
        "message": {"type": "message", **message},
        "api_app_id": "A0STREAK",
    }
    if response_url is not None:
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})


def send_message_shortcut(base_url: str, callback_id: str, message: dict[str, Any],
                          response_url: str | None) -> tuple[int, bytes, float]:
    body = message_shortcut_body(callback_id, message, response_url)
    return post(f"{base_url}/slack/events", body, sign(body), "application/x-www-form-urlencoded")


# --------------------------------------------------------------------------- in process
def signed_request(body: str, content_type: str, headers: dict[str, str] | None = None) -> BoltRequest:
    """A :class:`BoltRequest` as the WSGI adapter builds it: signed ``body``, lower-case headers."""
    given = sign(body) if headers is None else headers
    return BoltRequest(
        body=body,
        headers={"content-type": [content_type], **{k.lower(): [v] for k, v in given.items()}},
    )


def command_request(command: str, text: str, response_url: str, *,
                    headers: dict[str, str] | None = None, **extra: str) -> BoltRequest:
    """A signed slash command for ``app.dispatch``."""
    return signed_request(command_body(command, text, response_url, **extra),
                          "application/x-www-form-urlencoded", headers)


def event_request(event: dict[str, Any], *, event_id: str = "Ev0001",
                  retry_num: int | None = None) -> BoltRequest:
    """A signed Events API callback for ``app.dispatch``."""
    body = event_body(event, event_id)
    return signed_request(body, "application/json", {**sign(body), **retry_headers(retry_num)})


def message_shortcut_request(callback_id: str, message: dict[str, Any], response_url: str | None) -> BoltRequest:
    """A signed message shortcut for ``app.dispatch``."""
    return signed_request(message_shortcut_body(callback_id, message, response_url),
                          "application/x-www-form-urlencoded")


def block_actions_body(action_id: str, value: str, response_url: str | None, *, channel: str = "C0DESK",
                       user: str = "U0TRADER", block_id: str = "actions") -> str:
    """The form body of a button click (``type: block_actions``), as Slack sends it."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "token": "legacy",
        "api_app_id": "A0STREAK",
        "team": {"id": "T0FAKE", "domain": "desk"},
        "user": {"id": user, "username": "trader", "team_id": "T0FAKE"},
        "channel": {"id": channel, "name": "markets"},
        "container": {"type": "message", "message_ts": "1767600000.000100", "channel_id": channel},
        "trigger_id": "123.456.ghi",
        "actions": [{"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
                     "action_ts": f"{time.time():.6f}", "text": {"type": "plain_text", "text": action_id}}],
    }
    if response_url is not None:
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})


def block_actions_request(action_id: str, value: str, response_url: str | None) -> BoltRequest:
    """A signed button click for ``app.dispatch``."""
    return signed_request(block_actions_body(action_id, value, response_url), "application/x-www-form-urlencoded")


def send_block_action(base_url: str, action_id: str, value: str, response_url: str | None) -> tuple[int, bytes, float]:
    body = block_actions_body(action_id, value, response_url)
    return post(f"{base_url}/slack/events", body, sign(body), "application/x-www-form-urlencoded")
