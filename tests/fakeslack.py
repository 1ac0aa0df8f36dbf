"""An in-process fake of the Slack Web API for tests.

Modelled on bolt-python's own test mock server (``tests/mock_web_api_server``): a real HTTP
server bound to the loopback interface, so the production code path (``slack_sdk.WebClient``,
``slack_sdk.webhook.WebhookClient``, urllib, retry handlers) runs unchanged, and every request is
recorded for assertions.  Nothing ever leaves 127.0.0.1.

Typical use::

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        client.chat_postMessage(channel="C123", text="hi")
        (call,) = fake.calls("chat.postMessage")
        assert call.params["text"] == "hi"

Routes served (all on ``http://127.0.0.1:<port>``):

* ``POST|GET /api/<method>``   -- Web API methods; recorded with ``method=<method>``.
* ``POST /upload/<file_id>``   -- the upload URL handed out by ``files.getUploadURLExternal``;
  recorded with ``method="upload"``; the raw body is kept (never parsed).
* ``POST /response/<name>``    -- a slash command / interaction ``response_url`` webhook;
  recorded with ``method="response_url"``.
  ``responses(name)`` / ``wait_for_response(name)`` give the calls to one such URL.

Channels keep their messages: ``chat.postMessage`` stores the message (with its ``metadata``)
and ``conversations.history`` serves them newest first, paginated by ``limit``/``cursor``,
with metadata only when ``include_all_metadata`` is set (``oldest``/``latest`` are recorded
but not applied: the fake's ``ts`` values are not wall-clock times). ``messages(channel)``
is the channel as a user would see it -- what the exactly-once tests count.

Faults (each for the next ``times`` calls of a method): ``fail_next`` (429 with Retry-After,
5xx, API errors; ``accepted=True`` stores the message before answering the error),
``stall_next`` (stores, then answers only after a pause, so the client times out) and
``drop_next`` (stores, then closes the connection without an answer).

The server speaks HTTP/1.1 with keep-alive (as Slack does), so a pooled client reuses its
connections; every call records the TCP connection it came on (``Call.connection``) and
``connections()`` counts the connections accepted.

Load (off unless asked for): ``latency`` seconds added before every answer (requests are
served concurrently, as Slack does); ``rate_limit(method, per_minute, burst=...)`` a token
bucket per method (or per method and channel) that answers 429 with ``Retry-After`` (whole
seconds until a token is back) and does not carry the call out, like Slack's tiers; and
``max_in_flight``, the most requests it was ever serving at once. A chart shared with
``files.completeUploadExternal`` is kept per channel (``shared_files(channel)``).

OAuth installs: :meth:`FakeSlack.add_installation` makes a one-time ``code`` that
``oauth.v2.access`` trades for a team's installation (its own bot token), as Slack does at
the end of "Add to Slack"; ``auth.test`` with that token then answers for that team. A
code used twice or never made is ``invalid_code``.

Only the standard library is used.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import math
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, cast
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Call", "Failure", "FakeSlack", "Installation"]

TEAM_ID = "T0FAKE"
TEAM_NAME = "Fake Workspace"
TEAM_URL = "https://fake-workspace.slack.com/"
BOT_USER_ID = "U0BOT"
BOT_USER_NAME = "streakbot"
BOT_ID = "B0BOT"

UPLOAD = "upload"
RESPONSE_URL = "response_url"
APP_ID = "A0STREAK"

JsonDict = dict[str, Any]
Responder = Mapping[str, Any] | Callable[["Call"], Mapping[str, Any]]


@dataclass
class Call:
    """One HTTP request received by the fake.

    ``method``  -- Web API method (``"chat.postMessage"``), ``"upload"`` or ``"response_url"``.
    ``path``    -- request path including the query string (``/response/r1``).
    ``headers`` -- request headers, keys lower-cased (``headers["authorization"]``).
    ``body``    -- raw request body.
    ``params``  -- merged view of the query string, form / multipart fields and, for JSON bodies,
                   the top-level JSON keys; so ``params["channel"]`` works whichever encoding
                   slack_sdk picked.  Form values are strings (e.g. ``blocks`` is a JSON string),
                   JSON values keep their JSON types.  Empty for ``upload`` calls.
    ``json``    -- the decoded JSON body when the request was ``application/json``, else ``None``.
    ``time``    -- ``time.monotonic()`` when the request arrived (to measure retry back-off).
    ``status``  -- the HTTP status the fake answered with (429/500 for injected failures;
                   0 when the connection was dropped without an answer).
    ``token``   -- token taken from ``Authorization: Bearer`` or the ``token`` param, if any.
    ``connection`` -- which TCP connection the request came on (1, 2, ... in order of arrival):
                   calls with the same number reused one keep-alive connection.
    ``retry_after`` -- the ``Retry-After`` seconds of a 429 answer, else ``None``.
    ``answered`` -- ``time.monotonic()`` when the answer was written (after ``latency``).
    """

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    params: dict[str, Any]
    json: JsonDict | None
    time: float
    status: int = 200
    token: str | None = None
    connection: int = 0  # the TCP connection (numbered from 1 in order of arrival)
    retry_after: int | None = None
    answered: float | None = None


@dataclass(frozen=True)
class Installation:
    """A workspace's install of the app, as ``oauth.v2.access`` hands it over."""

    team_id: str
    bot_token: str
    team_name: str = "Second Workspace"
    bot_user_id: str = "U0BOT2"
    bot_id: str = "B0BOT2"
    installer: str = "U0INSTALLER"
    scope: str = "commands,chat:write"

    def access_answer(self) -> JsonDict:
        """The ``oauth.v2.access`` answer (Slack's shape for a bot-only install)."""
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": self.installer},
            "scope": self.scope,
            "token_type": "bot",
            "access_token": self.bot_token,
            "bot_user_id": self.bot_user_id,
            "team": {"id": self.team_id, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }


@dataclass
class Failure:
    """A queued failure for :meth:`FakeSlack.fail_next`."""

    status: int
    retry_after: int
    error: str | None
    remaining: int = field(default=1)
    accepted: bool = False  # the request is carried out (message stored) before the error


@dataclass
class _Delay:
    """A queued stall (answer after ``seconds``) or drop (no answer at all)."""

    seconds: float
    drop: bool
    remaining: int


@dataclass
class _Bucket:
    """A Slack-like rate limit: ``burst`` calls at once, refilled at ``per_minute``."""

    per_minute: float
    burst: float
    per_channel: bool
    tokens: dict[str, float] = field(default_factory=dict)
    stamp: dict[str, float] = field(default_factory=dict)

    def take(self, key: str, now: float) -> float:
        """0 when the call may go through (a token is spent), else seconds until one is back."""
        rate = self.per_minute / 60.0
        tokens = min(self.burst, self.tokens.get(key, self.burst) + (now - self.stamp.get(key, now)) * rate)
        self.stamp[key] = now
        if tokens >= 1.0:
            self.tokens[key] = tokens - 1.0
            return 0.0
        self.tokens[key] = tokens
        return (1.0 - tokens) / rate


@dataclass
class _Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection without answering


def _json_reply(payload: Mapping[str, Any], status: int = 200) -> _Reply:
    return _Reply(status, json.dumps(payload).encode("utf-8"), "application/json; charset=utf-8")


def _text_reply(text: str, status: int = 200, content_type: str = "text/plain") -> _Reply:
    return _Reply(status, text.encode("utf-8"), f"{content_type}; charset=utf-8")


def _maybe_json(value: Any) -> Any:
    """Form-encoded requests carry ``blocks``/``files`` as JSON strings; decode when possible."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: a burst of concurrent clients (many
    # response_url answers at once) would overflow it and the kernel would drop SYNs,
    # which clients only retransmit after a second.
    request_queue_size = 128
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Keep the test output quiet, but never hide a bug in the fake: tests can inspect it.
        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, ConnectionError):
            self.fake.errors.append(exc)


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeSlack/1.0"
    # Keep-alive, like Slack: every answer has a Content-Length, so the connection stays
    # open for the client's next request unless it asks to close it.
    protocol_version = "HTTP/1.1"
    # The status line and headers go out in one write and the body in another: with Nagle's
    # algorithm the body would wait for the client's delayed ACK (40 ms) on a kept-alive
    # connection. Slack's servers do not add that wait; neither may the fake.
    disable_nagle_algorithm = True
    connection_number = 0

    def setup(self) -> None:
        super().setup()
        self.connection_number = cast(_Server, self.server).fake._new_connection()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request logging to stderr."""

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _handle(self) -> None:
        fake = cast(_Server, self.server).fake
        fake._enter()
        try:
            self._serve(fake)
        finally:
            fake._leave()

    def _serve(self, fake: FakeSlack) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        call, reply = fake._dispatch(self.path, self.headers, body, self.connection_number)
        if fake.latency > 0:
            fake._released.wait(fake.latency)
        if reply.stall > 0:
            fake._released.wait(reply.stall)
        if call is not None:
            call.answered = time.monotonic()
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)


class FakeSlack:
    """A local fake Slack Web API server that records every request.

    Args:
        valid_tokens: if given, API calls whose token is not in this set are answered with
            ``{"ok": false, "error": "invalid_auth"}`` (``"not_authed"`` when no token was sent).
            By default any token (or none) is accepted.
    """

    def __init__(
        self, valid_tokens: set[str] | frozenset[str] | None = None, *, latency: float = 0.0
    ) -> None:
        self.valid_tokens = frozenset(valid_tokens) if valid_tokens is not None else None
        self.latency = latency  # seconds before every answer
        self.errors: list[BaseException] = []
        self._limits: dict[tuple[str, bool], _Bucket] = {}
        self._in_flight = 0
        self._max_in_flight = 0
        self._shared: dict[str, list[JsonDict]] = {}
        self._calls: list[Call] = []
        self._by_response: dict[str, list[Call]] = {}
        self._cond = threading.Condition()
        self._failures: dict[str, deque[Failure]] = {}
        self._delays: dict[str, deque[_Delay]] = {}
        self._messages: dict[str, list[JsonDict]] = {}
        self._released = threading.Event()  # set by stop(): stalled answers go out at once
        self._responders: dict[str, Responder] = {}
        self._uploads: dict[str, JsonDict] = {}
        self._codes: dict[str, Installation] = {}  # one-time OAuth codes not traded yet
        self._installed: dict[str, Installation] = {}  # bot token -> its installation
        self._ts_counter = itertools.count(1)
        self._file_counter = itertools.count(1)
        self._connections = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        """Bind 127.0.0.1 on an OS-chosen port and serve in a daemon thread. Returns ``self``."""
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._released.clear()
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"FakeSlack:{server.server_address[1]}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Shut the server down and close its socket (idempotent)."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        self._released.set()
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ URLs

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started; call start() or use it as a context")
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT``"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/api/`` -- pass as ``WebClient(base_url=...)``."""
        return f"{self.root_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A ``response_url`` webhook URL served by this fake (``.../response/<name>``)."""
        return f"{self.root_url}/response/{name}"

    # ------------------------------------------------------------------ assertions

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls (a copy), optionally only those for ``method``."""
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least ``count`` calls of ``method`` were recorded; return all of them.

        Raises AssertionError (listing the methods seen so far) on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matching = [c for c in self._calls if c.method == method]
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = Counter(c.method for c in self._calls)
                    seen_text = ", ".join(f"{m} x{n}" for m, n in seen.items()) or "no calls at all"
                    raise AssertionError(
                        f"FakeSlack: expected {count} call(s) to {method!r} within {timeout}s, "
                        f"got {len(matching)}; seen: {seen_text}"
                    )
                self._cond.wait(remaining)

    def connections(self) -> int:
        """TCP connections accepted since the fake started (:meth:`reset` keeps the count)."""
        with self._cond:
            return self._connections

    def messages(self, channel: str) -> list[JsonDict]:
        """Messages stored in ``channel`` (oldest first), as ``conversations.history`` has them."""
        with self._cond:
            return [dict(m) for m in self._messages.get(channel, ())]

    def shared_files(self, channel: str) -> list[JsonDict]:
        """Files shared into ``channel`` by ``files.completeUploadExternal``, in order."""
        with self._cond:
            return [dict(f) for f in self._shared.get(channel, ())]

    @property
    def max_in_flight(self) -> int:
        """The most requests the fake was serving at the same moment (latency included)."""
        with self._cond:
            return self._max_in_flight

    def _enter(self) -> None:
        with self._cond:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._cond:
            self._in_flight -= 1

    def responses(self, name: str) -> list[Call]:
        """Calls (failed attempts included) to the ``response_url`` named ``name``, in order."""
        with self._cond:
            return list(self._by_response.get(name, ()))

    def wait_for_response(self, name: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``count`` calls to ``response_url(name)`` were recorded; return them all.

        Raises AssertionError on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matching = list(self._by_response.get(name, ()))
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"FakeSlack: expected {count} call(s) to response_url {name!r} within "
                        f"{timeout}s, got {len(matching)}"
                    )
                self._cond.wait(remaining)

    def clear_faults(self) -> None:
        """Drop queued failures, stalls and drops (recorded calls and messages stay)."""
        with self._cond:
            self._failures.clear()
            self._delays.clear()

    def reset(self) -> None:
        """Forget recorded calls, queued failures, custom responses and server-side errors."""
        with self._cond:
            self._calls.clear()
            self._by_response.clear()
            self._failures.clear()
            self._delays.clear()
            self._messages.clear()
            self._responders.clear()
            self._uploads.clear()
            self._codes.clear()
            self._installed.clear()
            self._limits.clear()
            self._shared.clear()
            self._max_in_flight = self._in_flight
            self.errors.clear()

    # ------------------------------------------------------------------ behaviour control

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
        accepted: bool = False,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail.

        ``method`` is an API method name, ``"upload"`` or ``"response_url"``.

        * default (no ``error``, no ``status``): HTTP 429, ``Retry-After: <retry_after>``,
          body ``{"ok": false, "error": "ratelimited"}``;
        * ``status=500`` (or any 5xx): that status, body ``{"ok": false, "error": ...}``;
        * ``error="channel_not_found"`` for an API method: HTTP 200 with
          ``{"ok": false, "error": "channel_not_found"}`` (how Slack reports API errors).
          For ``upload``/``response_url`` an ``error`` is answered as a plain-text body with
          status 400 (or the ``status`` given), as Slack's webhooks do.

        Failed attempts are recorded too, with ``Call.status`` set to the status returned.
        ``accepted=True``: the call is carried out first (a ``chat.postMessage`` stores its
        message), as when a gateway in front of Slack fails after Slack did the work.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        if status is None:
            status = (
                429 if error is None else (200 if method not in (UPLOAD, RESPONSE_URL) else 400)
            )
        with self._cond:
            self._failures.setdefault(method, deque()).append(
                Failure(status=status, retry_after=retry_after, error=error, remaining=times,
                        accepted=accepted)
            )

    def rate_limit(
        self, method: str, per_minute: float, *, burst: float | None = None, per_channel: bool = False
    ) -> None:
        """Limit ``method`` like a Slack tier: ``burst`` calls (default: a minute's worth) at
        once, refilled at ``per_minute``; ``per_channel`` keeps one bucket per ``channel``
        (chat.postMessage's one message per second per channel; a method can have both
        kinds). Over a limit the call is answered 429 with ``Retry-After`` and not carried
        out."""
        if per_minute <= 0:
            raise ValueError("per_minute must be > 0")
        with self._cond:
            self._limits[method, per_channel] = _Bucket(
                per_minute, burst if burst is not None else per_minute, per_channel
            )

    def _limited(self, call: Call) -> int:
        """Retry-After seconds when ``call`` is over one of its method's limits, else 0."""
        wait = 0.0
        with self._cond:
            for per_channel in (True, False):  # a refused call spends no workspace token
                bucket = self._limits.get((call.method, per_channel))
                if bucket is None:
                    continue
                key = str(call.params.get("channel", "")) if per_channel else ""
                wait = bucket.take(key, call.time)
                if wait > 0:
                    break
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def stall_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next ``times`` calls to ``method`` are carried out, then answered after ``seconds``.

        A client whose timeout is shorter gives up although the call took effect. Stalls
        end early when the fake stops.
        """
        self._delay(method, _Delay(seconds, drop=False, remaining=times))

    def drop_next(self, method: str, *, times: int = 1) -> None:
        """The next ``times`` calls to ``method`` are carried out, then the connection is
        closed without an answer (the client sees the server disconnect)."""
        self._delay(method, _Delay(0.0, drop=True, remaining=times))

    def _delay(self, method: str, delay: _Delay) -> None:
        if delay.remaining < 1:
            raise ValueError("times must be >= 1")
        with self._cond:
            self._delays.setdefault(method, deque()).append(delay)

    def add_installation(self, code: str, installation: Installation) -> None:
        """``oauth.v2.access`` with ``code`` (once) answers ``installation``; from then on
        ``auth.test`` with its bot token answers for its team."""
        with self._cond:
            self._codes[code] = installation

    def respond_with(self, method: str, response: Responder) -> None:
        """Override the answer for an API method (until :meth:`reset`).

        ``response`` is a JSON mapping or a callable ``(Call) -> mapping``; answered with HTTP 200.
        """
        with self._cond:
            self._responders[method] = response

    # ------------------------------------------------------------------ request handling

    def _next_ts(self) -> str:
        micros = next(self._ts_counter) * 100
        return f"{1_700_000_000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_file_id(self) -> str:
        return f"F{next(self._file_counter):07d}"

    def _new_connection(self) -> int:
        with self._cond:
            self._connections += 1
            return self._connections

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            if call.method == RESPONSE_URL:
                name = urlsplit(call.path).path[len("/response/") :]
                self._by_response.setdefault(name, []).append(call)
            self._cond.notify_all()

    def _take_failure(self, method: str) -> Failure | None:
        with self._cond:
            queue = self._failures.get(method)
            if not queue:
                return None
            failure = queue[0]
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.popleft()
            return failure

    def _take_delay(self, method: str) -> _Delay | None:
        with self._cond:
            queue = self._delays.get(method)
            if not queue:
                return None
            delay = queue[0]
            delay.remaining -= 1
            if delay.remaining <= 0:
                queue.popleft()
            return delay

    def _dispatch(
        self, raw_path: str, headers: Message, body: bytes, connection: int = 0
    ) -> tuple[Call | None, _Reply]:
        split = urlsplit(raw_path)
        path = split.path
        header_dict = {k.lower(): v for k, v in headers.items()}

        if path.startswith("/api/"):
            method = path[len("/api/") :]
        elif path.startswith("/upload/"):
            method = UPLOAD
        elif path.startswith("/response/"):
            method = RESPONSE_URL
        else:
            method = ""
        if not method:
            return None, _text_reply("not found", status=404)

        params: dict[str, Any] = dict(parse_qsl(split.query, keep_blank_values=True))
        json_body: JsonDict | None = None
        if method != UPLOAD and body:
            content_type = headers.get_content_type()
            charset = headers.get_content_charset() or "utf-8"
            if content_type == "application/json":
                try:
                    decoded = json.loads(body.decode(charset))
                except ValueError:  # keep malformed JSON only as raw ``body``
                    decoded = None
                if isinstance(decoded, dict):
                    json_body = decoded
                    params.update(decoded)
            elif content_type == "multipart/form-data":
                params.update(self._parse_multipart(headers.get("Content-Type", ""), body))
            else:
                params.update(parse_qsl(body.decode(charset), keep_blank_values=True))

        token: str | None = None
        auth = header_dict.get("authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[len("bearer ") :].strip()
        elif isinstance(params.get("token"), str):
            token = params["token"]

        call = Call(
            method=method,
            path=raw_path,
            headers=header_dict,
            body=body,
            params=params,
            json=json_body,
            time=time.monotonic(),
            token=token,
            connection=connection,
        )
        reply = self._reply_for(call)
        call.status = 0 if reply.drop else reply.status
        if reply.status == 429:
            call.retry_after = int(reply.headers.get("Retry-After", "0"))
        # Record before answering, so the call is visible as soon as the client returns.
        self._record(call)
        return call, reply

    @staticmethod
    def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        fields: dict[str, Any] = {}
        for part in message.walk():
            name = part.get_param("name", header="content-disposition")
            if not name or part.is_multipart():
                continue
            raw = part.get_payload(decode=True)
            payload = raw if isinstance(raw, bytes) else b""
            if part.get_filename() is not None:
                fields[str(name)] = payload
            else:
                fields[str(name)] = payload.decode(part.get_content_charset() or "utf-8")
        return fields

    def _reply_for(self, call: Call) -> _Reply:
        method = call.method
        wait = self._limited(call)
        if wait:
            return self._failure_reply(method, Failure(status=429, retry_after=wait, error=None))
        failure = self._take_failure(method)
        if failure is not None:
            if failure.accepted and method in self._api_handlers:
                self._api_handlers[method](self, call)
            return self._failure_reply(method, failure)
        delay = self._take_delay(method)
        if delay is not None:
            reply = self._answer(call)
            reply.stall, reply.drop = delay.seconds, delay.drop
            return reply
        return self._answer(call)

    def _answer(self, call: Call) -> _Reply:
        method = call.method

        if method == UPLOAD:
            return _text_reply(f"OK - {len(call.body)}")
        if method == RESPONSE_URL:
            return _text_reply("ok", content_type="text/html")

        # oauth.v2.access authenticates with the app's client ID and secret, not a token.
        if self.valid_tokens is not None and method != "oauth.v2.access" and call.token not in self.valid_tokens:
            return _json_reply(
                {"ok": False, "error": "not_authed" if not call.token else "invalid_auth"}
            )

        with self._cond:
            responder = self._responders.get(method)
        if responder is not None:
            payload = responder(call) if callable(responder) else responder
            return _json_reply(payload)

        handler = self._api_handlers.get(method)
        return _json_reply(handler(self, call) if handler is not None else {"ok": True})

    @staticmethod
    def _failure_reply(method: str, failure: Failure) -> _Reply:
        is_api = method not in (UPLOAD, RESPONSE_URL)
        if failure.status == 429:
            error = failure.error or "ratelimited"
            reply = (
                _json_reply({"ok": False, "error": error}, status=429)
                if is_api
                else _text_reply(error, status=429)
            )
            reply.headers["Retry-After"] = str(failure.retry_after)
            return reply
        default_error = "internal_error" if failure.status >= 500 else "invalid_request"
        error = failure.error or default_error
        if is_api:
            return _json_reply({"ok": False, "error": error}, status=failure.status)
        return _text_reply(error, status=failure.status)

    # ------------------------------------------------------------------ canned API answers

    def _auth_test(self, call: Call) -> JsonDict:
        with self._cond:
            inst = self._installed.get(call.token or "")
        if inst is not None:
            return {
                "ok": True,
                "url": f"https://{inst.team_id.lower()}.slack.com/",
                "team": inst.team_name,
                "user": BOT_USER_NAME,
                "team_id": inst.team_id,
                "user_id": inst.bot_user_id,
                "bot_id": inst.bot_id,
                "is_enterprise_install": False,
            }
        return {
            "ok": True,
            "url": TEAM_URL,
            "team": TEAM_NAME,
            "user": BOT_USER_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, call: Call) -> JsonDict:
        code = str(call.params.get("code", ""))
        with self._cond:
            inst = self._codes.pop(code, None)
            if inst is not None:
                self._installed[inst.bot_token] = inst
        if inst is None:
            return {"ok": False, "error": "invalid_code"}
        return inst.access_answer()

    @staticmethod
    def _message(call: Call, ts: str) -> JsonDict:
        p = call.params
        message: JsonDict = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
            "text": p.get("text", ""),
            "ts": ts,
        }
        for key in ("blocks", "attachments", "metadata"):
            if p.get(key) is not None:
                message[key] = _maybe_json(p[key])
        if p.get("thread_ts"):
            message["thread_ts"] = p["thread_ts"]
        return message

    def _chat_post_message(self, call: Call) -> JsonDict:
        ts = self._next_ts()
        channel = str(call.params.get("channel", ""))
        with self._cond:
            self._messages.setdefault(channel, []).append(self._message(call, ts))
        return {
            "ok": True,
            "channel": call.params.get("channel", ""),
            "ts": ts,
            "message": self._message(call, ts),
        }

    def _views_publish(self, call: Call) -> JsonDict:
        view = call.params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        return {"ok": True, "view": {"id": "V0HOME", "type": "home", **(view or {})}}

    def _chat_post_ephemeral(self, call: Call) -> JsonDict:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, call: Call) -> JsonDict:
        ts = str(call.params.get("ts", ""))
        message = self._message(call, ts)
        return {
            "ok": True,
            "channel": call.params.get("channel", ""),
            "ts": ts,
            "text": message["text"],
            "message": message,
        }

    def _conversations_history(self, call: Call) -> JsonDict:
        p = call.params
        channel = str(p.get("channel", ""))
        limit = int(p.get("limit") or 100)
        start = int(p.get("cursor") or 0)
        with_metadata = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._cond:
            newest_first = list(reversed(self._messages.get(channel, [])))
        page = newest_first[start : start + limit]
        if not with_metadata:
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(newest_first)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _conversations_info(self, call: Call) -> JsonDict:
        channel_id = str(call.params.get("channel", ""))
        return {
            "ok": True,
            "channel": {
                "id": channel_id,
                "name": f"fake-{channel_id.lower()}",
                "is_channel": True,
                "is_group": False,
                "is_im": False,
                "is_private": False,
                "is_archived": False,
                "is_general": False,
                "is_member": True,
                "created": 1_600_000_000,
                "creator": "U0HUMAN",
                "context_team_id": TEAM_ID,
                "topic": {"value": "", "creator": "", "last_set": 0},
                "purpose": {"value": "", "creator": "", "last_set": 0},
            },
        }

    def _files_get_upload_url_external(self, call: Call) -> JsonDict:
        file_id = self._next_file_id()
        with self._cond:
            self._uploads[file_id] = {
                "filename": call.params.get("filename"),
                "length": call.params.get("length"),
            }
        return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, call: Call) -> JsonDict:
        requested = _maybe_json(call.params.get("files", "[]"))
        files: list[JsonDict] = []
        for item in requested if isinstance(requested, list) else []:
            if not isinstance(item, dict):
                continue
            file_id = str(item.get("id", ""))
            with self._cond:
                upload = self._uploads.get(file_id, {})
            name = upload.get("filename")
            title = item.get("title") or name
            files.append({"id": file_id, "title": title, "name": name})
        p = call.params
        targets = [str(p["channel_id"])] if p.get("channel_id") else []
        targets += [c for c in str(p.get("channels") or "").split(",") if c]
        with self._cond:
            for channel in targets:
                for f in files:
                    self._shared.setdefault(channel, []).append({**f, "thread_ts": p.get("thread_ts")})
        return {"ok": True, "files": files}

    _api_handlers: ClassVar[Mapping[str, Callable[[FakeSlack, Call], JsonDict]]] = {
        "auth.test": _auth_test,
        "oauth.v2.access": _oauth_v2_access,
        "chat.postMessage": _chat_post_message,
        "chat.postEphemeral": _chat_post_ephemeral,
        "views.publish": _views_publish,
        "chat.update": _chat_update,
        "conversations.history": _conversations_history,
        "conversations.info": _conversations_info,
        "files.getUploadURLExternal": _files_get_upload_url_external,
        "files.completeUploadExternal": _files_complete_upload_external,
    }
