"""Slack request signatures, checked strictly: a malformed header is a 401, not a crash.

Bolt's :class:`RequestVerification` hands the ``X-Slack-Request-Timestamp`` header to
``SignatureVerifier.is_valid``, which calls ``int(timestamp)``: a non-numeric value raises
``ValueError`` inside the middleware, Bolt's error handler logs a traceback and the
request gets a 200. A non-ASCII signature makes ``hmac.compare_digest`` raise
``TypeError`` the same way. This middleware checks the shape of both headers first and
answers every bad request with 401 and one log line (never the body, which may hold a
user's text).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware.request_verification import RequestVerification

log = logging.getLogger(__name__)

MAX_AGE = 60 * 5  # seconds; Slack's own limit against replayed requests

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def _header(req: BoltRequest, name: str) -> str | None:
    values = req.headers.get(name)
    return values[0] if values else None


def signature_problem(timestamp: str | None, signature: str | None, now: float) -> str | None:
    """Why the headers cannot be a valid signature (before any HMAC), or None.

    >>> signature_problem("abc", "v0=" + "0" * 64, 0.0)
    "malformed X-Slack-Request-Timestamp 'abc'"
    >>> signature_problem("1000", "v0=" + "0" * 64, 1000.0) is None
    True
    """
    if timestamp is None:
        return "no X-Slack-Request-Timestamp header"
    if not _TIMESTAMP.fullmatch(timestamp):
        return f"malformed X-Slack-Request-Timestamp {timestamp[:40]!r}"
    if signature is None:
        return "no X-Slack-Signature header"
    if not _SIGNATURE.fullmatch(signature):
        return "malformed X-Slack-Signature header"
    age = now - int(timestamp)
    if age > MAX_AGE:
        return f"stale timestamp ({age:.0f} s old, more than {MAX_AGE} s)"
    if -age > MAX_AGE:
        return f"timestamp {-age:.0f} s in the future (more than {MAX_AGE} s)"
    return None


class StrictRequestVerification(RequestVerification):
    """:class:`RequestVerification` that rejects malformed headers with 401 and one line."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__(signing_secret)
        self._clock = clock

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if self._can_skip(req.mode, req.body):
            return next()
        timestamp = _header(req, "x-slack-request-timestamp")
        signature = _header(req, "x-slack-signature")
        problem = signature_problem(timestamp, signature, self._clock())
        if problem is None:
            assert timestamp is not None and signature is not None
            if self.verifier.is_valid(req.raw_body, timestamp, signature):
                return next()
            problem = "the signature does not match the body (wrong signing secret?)"
        log.warning("rejected a request to the Slack endpoint: %s", problem)
        return self._build_error_response()


__all__ = ["MAX_AGE", "StrictRequestVerification", "signature_problem"]
