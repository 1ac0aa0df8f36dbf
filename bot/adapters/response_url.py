"""Answers to a slash command's ``response_url``, over pooled keep-alive connections.

slack_sdk's ``WebhookClient`` (urllib) opens a new connection for every answer and closes
it after: under a burst of commands, the TCP (and, at Slack, TLS) handshakes were most of
an answer's time. One urllib3 ``PoolManager`` per process keeps the connections to each
host open for the next answer. It is created on first use, and again in a forked child
(a connection must never be shared across a fork).

Resends: a ``response_url`` takes at most 5 posts in 30 minutes, and resending a post that
Slack carried out shows the answer twice. So an answer is sent again only when Slack
certainly did not take it:

* the connection could not be made (refused, unreachable, connect timeout): nothing was
  sent (up to :data:`CONNECT_RETRIES` times, with backoff);
* Slack answered 429 (after ``Retry-After``) or 503: refused, not carried out (up to
  :data:`STATUS_RETRIES` times).

A read timeout, a connection closed after the request was written, or another 5xx (500,
502, 504: the gateway may have passed the post on) is an unknown outcome: logged, never
resent. A pooled connection the server has already closed is detected when it is taken
from the pool and replaced before anything is written; a close racing with the write is
the one case where an answer can be lost.

Without a proxy, an answer goes straight to the host's ``HTTPConnectionPool`` (kept per
host) with one shared retry policy and timeout: ``PoolManager.urlopen`` parses the URL,
looks the pool up under a lock and merges headers on every call, about a fifth of a
post's CPU, which the acks of a burst share the interpreter with.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any
from urllib.parse import urlsplit

import urllib3
from slack_sdk.proxy_env_variable_loader import load_http_proxy_from_env
from urllib3.util import Retry, Timeout

log = logging.getLogger(__name__)

CONNECT_RETRIES = 2
STATUS_RETRIES = 3
NOT_TAKEN = frozenset({429, 503})  # Slack refused the post: safe to send it again
CONNECTIONS = 8  # connections kept per host by default: one per answer thread
USER_AGENT = "streakbot (urllib3)"


def resend_policy() -> Retry:
    """The :mod:`urllib3` retry policy for the rules in the module docstring."""
    return Retry(
        total=None,
        connect=CONNECT_RETRIES,
        read=0,
        redirect=0,
        status=STATUS_RETRIES,
        other=0,
        allowed_methods=frozenset({"POST"}),
        status_forcelist=NOT_TAKEN,
        backoff_factor=0.5,
        respect_retry_after_header=True,
        raise_on_status=False,
    )


class _ProcessPool:
    """This process's connection pool, created on first use (and again after a fork)."""

    def __init__(self, connections: int = CONNECTIONS) -> None:
        self.connections = connections
        self._lock = threading.Lock()
        self._manager: urllib3.PoolManager | None = None
        self._proxied = False
        self._hosts: dict[tuple[str, str], urllib3.HTTPConnectionPool] = {}
        self._pid: int | None = None

    def get(self) -> urllib3.PoolManager:
        with self._lock:
            return self._current()

    def _current(self) -> urllib3.PoolManager:
        if self._manager is None or self._pid != os.getpid():
            # slack_sdk's clients honour the same proxy variables.
            proxy = load_http_proxy_from_env(log)
            headers = {"User-Agent": USER_AGENT}
            self._manager = (
                urllib3.ProxyManager(proxy, maxsize=self.connections, headers=headers)
                if proxy
                else urllib3.PoolManager(maxsize=self.connections, headers=headers)
            )
            self._proxied = bool(proxy)
            self._hosts = {}
            self._pid = os.getpid()
        return self._manager

    def host_pool(self, scheme: str, netloc: str) -> urllib3.HTTPConnectionPool | None:
        """The connection pool for ``scheme://netloc`` (None behind a proxy: the manager
        then writes the request line the proxy needs)."""
        if self._pid == os.getpid():  # the usual case: no lock once the pool exists
            found = self._hosts.get((scheme, netloc))
            if found is not None:
                return found
        with self._lock:
            manager = self._current()
            if self._proxied:
                return None
            pool = self._hosts.get((scheme, netloc))
            if pool is None:
                pool = self._hosts[(scheme, netloc)] = manager.connection_from_url(f"{scheme}://{netloc}/")
            return pool


_POOL = _ProcessPool()


class ResponsePoster:
    """Posts answers to ``response_url`` s over a connection pool of its own.

    Parameters
    ----------
    timeout
        Seconds for connecting and for each read (``STREAKBOT_SLACK_TIMEOUT``).
    connections
        Connections kept open per host: as many as threads answering at once.
    """

    def __init__(self, *, timeout: float, connections: int = CONNECTIONS) -> None:
        self.timeout = timeout
        self._pool = _ProcessPool(connections)
        self._timeout = Timeout(connect=timeout, read=timeout)

    def __call__(self, response_url: str, payload: dict[str, Any]) -> bool:
        """POST ``payload``; True if Slack answered 200 (see :func:`post_response`)."""
        return _post(self._pool, response_url, payload, self._timeout)


def post_response(response_url: str, payload: dict[str, Any], *, timeout: float) -> bool:
    """POST ``payload`` (JSON) to ``response_url``; True if Slack answered 200.

    ``timeout`` is for connecting and for each read (``STREAKBOT_SLACK_TIMEOUT``). Failures
    are logged in one line, never raised. Uses the process's shared pool.
    """
    return _post(_POOL, response_url, payload, Timeout(connect=timeout, read=timeout))


# Immutable (urllib3 derives a new Retry on each attempt): one for every post.
_RESEND = resend_policy()
_JSON = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}


def _post(pool: _ProcessPool, response_url: str, payload: dict[str, Any], timeout: Timeout) -> bool:
    body = json.dumps(payload).encode("utf-8")
    try:
        url = urlsplit(response_url)
        host = pool.host_pool(url.scheme, url.netloc)
        if host is None:
            resp = pool.get().request("POST", response_url, body=body, headers=_JSON,
                                      timeout=timeout, retries=_RESEND)
        else:
            path = url.path + (f"?{url.query}" if url.query else "")
            resp = host.urlopen("POST", path or "/", body=body, headers=_JSON, timeout=timeout,
                                retries=_RESEND, redirect=False, assert_same_host=False)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        log.error("response_url delivery failed, not resent: %s", reason)
        return False
    if resp.status != 200:
        log.error("response_url answered %s: %s", resp.status, resp.data[:200].decode("utf-8", "replace"))
        return False
    return True


__all__ = ["CONNECTIONS", "NOT_TAKEN", "ResponsePoster", "post_response", "resend_policy"]
