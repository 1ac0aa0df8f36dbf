"""One backoff gate per Slack method, shared by every sender of a fan-out.

Slack answers a request over its rate limit with 429 and ``Retry-After``. Several senders
hitting the same method at once must all stop, not only the one that got the 429, or
they keep drawing 429s for the whole wait. :class:`RateGate` holds, per method, the
moment it may be called again; a 429 moves it forward (never back) and every sender waits
for it before its next call of that method.

``chat.postMessage`` is gated by :func:`bot.services.delivery.deliver` itself, so the wait is
counted in the ledger's attempt times. :func:`daily_client` gates every other method
(``files.*``, ``conversations.history``): before each call, and on a 429, where the retry
waits for the gate instead of sleeping on its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState

from bot.adapters.slack_client import NOT_RETRIED, api_method, web_retry_handlers

__all__ = ["POST_METHOD", "GatedWebClient", "RateGate", "daily_client", "retry_after_seconds"]

POST_METHOD = "chat.postMessage"
MAX_RATE_LIMIT_RETRIES = 3  # per call, as the default client's handler


class RateGate:
    """Per-method "not before" times; thread-safe. ``clock`` is a monotonic clock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}
        self._cond = threading.Condition()
        self.pauses = 0  # 429s seen (each one moves or confirms a method's gate)

    def pause(self, method: str, seconds: float) -> None:
        """Nobody calls ``method`` for ``seconds`` from now (a later pause only extends it)."""
        with self._cond:
            self.pauses += 1
            until = self._clock() + max(seconds, 0.0)
            if until > self._until.get(method, 0.0):
                self._until[method] = until
            self._cond.notify_all()

    def remaining(self, method: str) -> float:
        with self._cond:
            return max(self._until.get(method, 0.0) - self._clock(), 0.0)

    def wait(self, method: str) -> float:
        """Block until ``method`` may be called; the seconds waited (0.0 when it was open)."""
        with self._cond:
            start = self._clock()
            if self._until.get(method, 0.0) <= start:
                return 0.0
            while (left := self._until.get(method, 0.0) - self._clock()) > 0:
                self._cond.wait(left)
            return self._clock() - start


def retry_after_seconds(headers: Any, default: float = 1.0) -> float:
    """``Retry-After`` from a header mapping whose values may be lists (slack_sdk's)."""
    for k, v in dict(headers or {}).items():
        if k.lower() == "retry-after":
            try:
                return float(v[0] if isinstance(v, list) else v)
            except (TypeError, ValueError, IndexError):
                break
    return default


class GateOn429(RetryHandler):
    """On a 429: pause the method's gate for everyone and retry once the gate opens.

    Not for :data:`~bot.adapters.slack_client.NOT_RETRIED` methods: their caller gates them."""

    def __init__(self, gate: RateGate) -> None:
        super().__init__(max_retry_count=MAX_RATE_LIMIT_RETRIES)
        self.gate = gate

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = api_method(request)
        if response is None or response.status_code != 429 or method in NOT_RETRIED:
            return False
        self.gate.pause(method, retry_after_seconds(response.headers))
        return state.current_attempt < self.max_retry_count

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self.gate.wait(api_method(request))
        state.increment_current_attempt()


class GatedWebClient(WebClient):
    """A WebClient whose calls wait for their method's :class:`RateGate` first."""

    def __init__(self, *, gate: RateGate, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        if api_method not in NOT_RETRIED:  # chat.postMessage: deliver() waits, and counts it
            self.gate.wait(api_method)
        return super().api_call(api_method, **kwargs)


def daily_client(
    *, token: str | None, api_url: str, timeout: int, gate: RateGate | None = None
) -> GatedWebClient:
    """The daily post's client: :func:`~bot.adapters.slack_client.make_web_client`'s
    retries, with 429s going through one shared gate.

    Parameters
    ----------
    token : str or None
        The bot token (``xoxb-...``).
    api_url : str
        Slack's Web API base URL (a trailing ``/`` is added when missing).
    timeout : int
        Seconds per request.
    gate : RateGate, optional
        The gate to share; a new one by default.
    """
    gate = gate or RateGate()
    base = api_url if api_url.endswith("/") else api_url + "/"
    return GatedWebClient(
        gate=gate, token=token, base_url=base, timeout=timeout,
        retry_handlers=[GateOn429(gate), *web_retry_handlers()],
    )
