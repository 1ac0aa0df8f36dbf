"""Malformed Slack signature headers over the real signed HTTP path: 401 and one log line.

Bolt's own check raised ``ValueError`` on ``int(timestamp)`` for a non-numeric
``X-Slack-Request-Timestamp`` (and ``TypeError`` in ``hmac.compare_digest`` for a non-ASCII
signature); the app logged a traceback and answered 200.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakeslack import FakeSlack
from slack_harness import command_body, post, sign
from slack_stack import Stack, app_on_loopback, slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.slack.verification import signature_problem

NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
FORM = "application/x-www-form-urlencoded"
GOOD_SIG = "v0=" + "0" * 64


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server
        assert server.errors == []


@pytest.fixture(scope="module")
def stack(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    db = tmp_path_factory.mktemp("sig") / "app.sqlite3"
    with app_on_loopback(slack_settings(fake.base_url, data_dir), calendar, lambda: NOW, db) as s:
        yield s


Headers = Callable[[str], dict[str, str]]
CASES: dict[str, tuple[Headers, str]] = {
    "non-numeric timestamp": (
        lambda body: {**sign(body), "X-Slack-Request-Timestamp": "yesterday"},
        "malformed X-Slack-Request-Timestamp 'yesterday'",
    ),
    "float timestamp": (
        lambda body: {**sign(body), "X-Slack-Request-Timestamp": f"{time.time():.3f}"},
        "malformed X-Slack-Request-Timestamp",
    ),
    "empty timestamp": (
        lambda body: {**sign(body), "X-Slack-Request-Timestamp": ""},
        "malformed X-Slack-Request-Timestamp ''",
    ),
    "no timestamp": (
        lambda body: {"X-Slack-Signature": sign(body)["X-Slack-Signature"]},
        "no X-Slack-Request-Timestamp header",
    ),
    "no signature": (
        lambda body: {"X-Slack-Request-Timestamp": sign(body)["X-Slack-Request-Timestamp"]},
        "no X-Slack-Signature header",
    ),
    "non-ASCII signature": (
        lambda body: {**sign(body), "X-Slack-Signature": "v0=" + "é" * 64},
        "malformed X-Slack-Signature header",
    ),
    "truncated signature": (
        lambda body: {**sign(body), "X-Slack-Signature": sign(body)["X-Slack-Signature"][:-1]},
        "malformed X-Slack-Signature header",
    ),
    "wrong secret": (
        lambda body: sign(body, secret="not-the-signing-secret"),
        "the signature does not match the body (wrong signing secret?)",
    ),
    "stale": (
        lambda body: sign(body, timestamp=int(time.time()) - 3600),
        "stale timestamp (",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_signature_headers_get_401_and_one_log_line(
    stack: Stack, fake: FakeSlack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    headers, reason = CASES[case]
    fake.reset()
    body = command_body("/streak", "RUT SPX", fake.response_url(f"sig-{case}"))
    with caplog.at_level(logging.INFO):
        status, answer, _ = post(f"{stack.base_url}/slack/events", body, headers(body), FORM)
    assert (status, answer) == (401, b'{"error": "invalid request"}')
    records = [r for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith(("bot", "slack"))]
    assert len(records) == 1, [r.getMessage() for r in records]
    (record,) = records
    assert record.name == "bot.slack.verification" and record.levelno == logging.WARNING
    assert record.getMessage().startswith(f"rejected a request to the Slack endpoint: {reason}")
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert "RUT" not in record.getMessage()  # the body is never logged
    assert fake.calls() == []  # no listener ran, no answer went out


def test_the_same_request_correctly_signed_is_answered(stack: Stack, fake: FakeSlack) -> None:
    """Control for the cases above: the app answers a well-signed request."""
    fake.reset()
    body = command_body("/streak", "RUT SPX", fake.response_url("sig-ok"))
    status, _, _ = post(f"{stack.base_url}/slack/events", body, sign(body), FORM)
    assert status == 200
    (call,) = fake.wait_for_response("sig-ok", timeout=15)
    assert call.status == 200


@pytest.mark.parametrize(
    ("timestamp", "signature", "now", "problem"),
    [
        ("1700000000", GOOD_SIG, 1_700_000_300.0, None),  # exactly 5 minutes: still accepted
        ("1700000000", GOOD_SIG, 1_700_000_301.0, "stale timestamp (301 s old, more than 300 s)"),
        ("1700000301", GOOD_SIG, 1_700_000_000.0, "timestamp 301 s in the future (more than 300 s)"),
        ("١٧٠٠٠٠٠٠٠٠", GOOD_SIG, 1_700_000_000.0,  # int() accepts Arabic-Indic digits; Slack never sends them
         "malformed X-Slack-Request-Timestamp '١٧٠٠٠٠٠٠٠٠'"),
        ("9" * 5000, GOOD_SIG, 0.0, f"malformed X-Slack-Request-Timestamp {'9' * 40!r}"),
        ("1700000000", "V0=" + "0" * 64, 1_700_000_000.0, "malformed X-Slack-Signature header"),
    ],
)
def test_signature_problem(timestamp: str, signature: str, now: float, problem: str | None) -> None:
    assert signature_problem(timestamp, signature, now) == problem
