"""The Slack Web API client with retries (429 Retry-After, 5xx, connection).

``chat.postMessage`` is never retried by the client: a resend after a timeout, a 5xx or a
dropped connection could post twice. The daily post resends only when it knows Slack did
not take the message (:mod:`bot.services.delivery`). Answers to a ``response_url`` go through
:mod:`bot.adapters.response_url` (pooled connections, resent only when not taken).
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

log = logging.getLogger(__name__)


# Web API methods whose resend is not harmless: the caller decides (see the module docstring).
NOT_RETRIED = frozenset({"chat.postMessage"})


def api_method(request: HttpRequest) -> str:
    """The Web API method a request calls (``chat.postMessage`` of ``.../api/chat.postMessage``)."""
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class SkipNotRetried(RetryHandler):
    """``inner``, except for the methods of :data:`NOT_RETRIED`, which it never retries."""

    def __init__(self, inner: RetryHandler) -> None:
        super().__init__(inner.max_retry_count, inner.interval_calculator)
        self.inner = inner

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if api_method(request) in NOT_RETRIED:
            return False
        return bool(self.inner._can_retry(state=state, request=request, response=response, error=error))

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self.inner.prepare_for_next_attempt(state=state, request=request, response=response, error=error)


def retry_handlers() -> list[RetryHandler]:
    """429s wait for Retry-After; 5xx and dropped connections back off exponentially."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]


def web_retry_handlers() -> list[RetryHandler]:
    """:func:`retry_handlers`, but never for :data:`NOT_RETRIED` methods."""
    return [SkipNotRetried(h) for h in retry_handlers()]


def make_web_client(*, token: str | None, base_url: str, timeout: int) -> WebClient:
    """The bot's WebClient with :func:`web_retry_handlers`.

    Parameters
    ----------
    token
        The bot token (``xoxb-...``), or None.
    base_url
        The Web API's URL (``SLACK_API_URL``; a fake server in tests); a missing final
        ``/`` is added.
    timeout
        Seconds for each request (``STREAKBOT_SLACK_TIMEOUT``).
    """
    base = base_url if base_url.endswith("/") else base_url + "/"
    return WebClient(token=token, base_url=base, timeout=timeout, retry_handlers=web_retry_handlers())
