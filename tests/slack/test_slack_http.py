"""The Slack app over its real HTTP endpoint, offline.

Requests are signed like Slack signs them and POSTed to ``make_wsgi_app`` served on
127.0.0.1; the app's WebClient and every ``response_url`` point at :class:`FakeSlack`.
Price data: the real bundled closes in a ``STREAKBOT_DATA_DIR`` folder (the S&P 500 and the
Russell 2000 end 2026-09-17); the clock is fixed at Monday 2026-09-21 15:00 UTC, so the data
is one session stale.
"""

from __future__ import annotations

import json
import random
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fakeslack import FakeSlack
from slack_harness import BOT_TOKEN, command_body, post, send_command, sign
from slack_sdk.http_retry import builtin_handlers
from slack_stack import (
    Stack,
    app_on_loopback,
    free_port,
    get_json,
    offline_services,
    serve_process,
    server_env,
    slack_settings,
    streakbot_command,
)

from bot.adapters.calendar import NyseCalendar
from bot.render.buttons import records_actions, streak_actions
from bot.render.messages import STREAK_USAGE, records_message, streak_message, with_actions
from bot.services.answers import records_answer, streak_answer
from bot.settings import ConfigError
from bot.slack.background import drain
from bot.slack.listeners import streak as streak_listener
from bot.slack.serve import check_port_free, slack_app

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

HEADLINE = "The S&P 500 outperformed the Russell 2000 on Sep 17, 2026, +1.14% vs +0.55%."
RECORD = (
    "The longest streak of the S&P 500 beating the Russell 2000 in the data: "
    "13 sessions (Nov 12 – Dec 1, 2021)."
)


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture(scope="module")
def stack(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    db = tmp_path_factory.mktemp("app") / "app.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            mp.delenv(name, raising=False)
        with app_on_loopback(slack_settings(fake.base_url, data_dir), calendar, lambda: NOW, db) as s:
            s.services.market.preload(["^GSPC", "^RUT"])
            yield s


@pytest.fixture(autouse=True)
def _fresh_fake(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with an empty call log on the shared fake (when it uses it)."""
    if "fake" not in request.fixturenames:
        yield
        return
    fake: FakeSlack = request.getfixturevalue("fake")
    fake.reset()
    yield
    assert fake.errors == []


@pytest.fixture
def rname() -> str:
    """A response_url name of its own for each test."""
    return f"r-{uuid.uuid4().hex[:12]}"


def ack_json(body: bytes) -> dict[str, object]:
    assert body, "expected the ack to carry a message"
    data = json.loads(body)
    assert isinstance(data, dict)
    return data


def only_response(fake: FakeSlack, name: str, timeout: float = 10.0) -> dict[str, object]:
    """The single message sent to response_url ``name`` (waits for it, then checks no second)."""
    fake.wait_for_response(name, timeout=timeout)
    assert drain()  # barrier: every answer started so far is done, a second one included
    calls = fake.responses(name)
    assert len(calls) == 1, [c.json for c in calls]
    assert calls[0].status == 200
    assert calls[0].json is not None
    return calls[0].json


def assert_no_response(fake: FakeSlack, name: str) -> None:
    assert drain()  # barrier: an answer started for this request would have been sent
    assert fake.responses(name) == []


# --------------------------------------------------------------------------- /streak
def test_streak_acks_at_once_then_answers_in_channel(
    stack: Stack, fake: FakeSlack, rname: str
) -> None:
    status, body, seconds = send_command(stack.base_url, "/streak", "RUT SPX", fake.response_url(rname))
    assert (status, body) == (200, b"")
    assert seconds < 3

    payload = only_response(fake, rname)
    assert payload["response_type"] == "in_channel"
    text = payload["text"]
    assert isinstance(text, str)
    assert HEADLINE in text
    assert RECORD in text
    assert "^RUT vs ^GSPC" in text
    assert "as of the Sep 17, 2026 close" in text
    assert "Data as of Sep 17, 2026" in text  # the clock is past the data
    assert text.endswith("· Source: CSV folder")  # never the folder's path

    answer = streak_answer(stack.services.market, "RUT", "SPX", now=NOW)
    expected = with_actions(streak_message(answer), streak_actions(answer.a, answer.b, answer.report.as_of.date()))
    assert payload["blocks"] == expected.blocks
    assert payload == expected.payload("in_channel")
    notes = next(b for b in expected.blocks if b["type"] == "context")
    assert notes["elements"][0]["text"].startswith(":information_source: Data as of Sep 17, 2026")


def test_streak_as_of_reaches_the_start_of_the_data(stack: Stack, fake: FakeSlack, rname: str) -> None:
    status, body, _ = send_command(
        stack.base_url, "/streak", "SPX RUT --as-of 1996-05-07", fake.response_url(rname)
    )
    assert (status, body) == (200, b"")
    payload = only_response(fake, rname)
    assert payload["response_type"] == "in_channel"
    text = str(payload["text"])
    assert "The Russell 2000 has outperformed the S&P 500 for 16 straight sessions" in text
    assert "the longest streak in the data from Sep 10, 1987 through May 7, 1996" in text
    assert "Data as of" not in text  # an explicit as-of date is never "stale"


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
def test_streak_help_is_ephemeral_in_the_ack(
    stack: Stack, fake: FakeSlack, rname: str, text: str
) -> None:
    status, body, seconds = send_command(stack.base_url, "/streak", text, fake.response_url(rname))
    assert status == 200 and seconds < 3
    data = ack_json(body)
    assert data["response_type"] == "ephemeral"
    assert "/streak RUT SPX" in str(data["text"])
    assert data["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": STREAK_USAGE}}]
    assert_no_response(fake, rname)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("RUT SPX --as-of 2025-13-01", "'2025-13-01' is not a date"),
        ("RUT SPX NDX", "/streak takes one or two symbols, got 3"),
        ("RUT SPX --weekly", "Unknown option --weekly"),
    ],
)
def test_streak_bad_text_is_refused_in_the_ack(
    stack: Stack, fake: FakeSlack, rname: str, text: str, problem: str
) -> None:
    status, body, _ = send_command(stack.base_url, "/streak", text, fake.response_url(rname))
    assert status == 200
    data = ack_json(body)
    assert data["response_type"] == "ephemeral"
    assert problem in str(data["text"])
    assert "Usage:" in str(data["text"])
    assert_no_response(fake, rname)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("RUT FOO", "Unknown symbol 'FOO'"),
        ("SPX ^GSPC", "Both symbols resolve to ^GSPC"),
        ("SPX RUT --as-of 1950-01-03", "1950-01-03 is before the data starts (1987-09-10)"),
        ("RUT SPX --as-of=2026-09-19", "2026-09-19 is after the last close in the data (2026-09-17)"),
    ],
)
def test_streak_unanswerable_is_an_ephemeral_followup(
    stack: Stack, fake: FakeSlack, rname: str, text: str, problem: str
) -> None:
    status, body, _ = send_command(stack.base_url, "/streak", text, fake.response_url(rname))
    assert (status, body) == (200, b"")
    payload = only_response(fake, rname)
    assert payload["response_type"] == "ephemeral"
    assert problem in str(payload["text"])
    assert "Usage:" in str(payload["text"])


def test_acks_never_wait_for_answers(
    stack: Stack, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12 answers held back at once (more than Bolt's listener threads): every ack still
    comes back while they are all blocked, and every answer arrives once released."""
    real = streak_listener._answer
    release = threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(timeout=30)
        return real(*args, **kwargs)

    monkeypatch.setattr(streak_listener, "_answer", held)
    names = [f"held{i}" for i in range(12)]
    # Distinct as-of dates: no two requests share a cached answer.
    texts = [f"RUT SPX --as-of 2025-12-{d:02d}" for d in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16)]
    try:
        with ThreadPoolExecutor(len(names)) as pool:
            acks = list(pool.map(
                lambda nt: send_command(stack.base_url, "/streak", nt[1], fake.response_url(nt[0])),
                zip(names, texts, strict=True),
            ))
        assert all((status, body) == (200, b"") for status, body, _ in acks)
        assert not release.is_set() and not any(fake.responses(n) for n in names)
    finally:
        release.set()
    for name in names:
        (call,) = fake.wait_for_response(name, timeout=15)
        assert call.json is not None and call.json["response_type"] == "in_channel"


# --------------------------------------------------------------------------- /records
def test_records_for_a_year(stack: Stack, fake: FakeSlack, rname: str) -> None:
    status, body, _ = send_command(stack.base_url, "/records", "SPX 2024", fake.response_url(rname))
    assert (status, body) == (200, b"")
    payload = only_response(fake, rname)
    assert payload["response_type"] == "in_channel"
    assert str(payload["text"]).startswith("The S&P 500 set 57 record closes in 2024 (")  # the year first
    ans = records_answer(stack.services.market, "SPX", year=2024, now=NOW)
    expected = with_actions(records_message(ans), records_actions(ans.symbol, ans.summary.as_of.date()))
    assert payload == expected.payload("in_channel")


def test_records_as_of_a_record_day(stack: Stack, fake: FakeSlack, rname: str) -> None:
    send_command(stack.base_url, "/records", "RUT --as-of 2025-09-18", fake.response_url(rname))
    payload = only_response(fake, rname)
    assert payload["response_type"] == "in_channel"
    text = str(payload["text"])
    assert "The Russell 2000 closed at a record 2,467.70 on Sep 18, 2025" in text
    assert "first closing record high of 2025" in text
    assert "This record came 968 sessions after the previous one, 2,442.74 on Nov 8, 2021." in text


def test_records_refuses_dividend_adjusted_closes(stack: Stack, fake: FakeSlack, rname: str) -> None:
    status, body, _ = send_command(stack.base_url, "/records", "SPY", fake.response_url(rname))
    assert (status, body) == (200, b"")
    payload = only_response(fake, rname)
    assert payload["response_type"] == "ephemeral"
    assert "dividend-adjusted" in str(payload["text"])


def test_records_two_symbols_is_a_usage_error(stack: Stack, fake: FakeSlack, rname: str) -> None:
    _, body, _ = send_command(stack.base_url, "/records", "SPX RUT", fake.response_url(rname))
    data = ack_json(body)
    assert data["response_type"] == "ephemeral"
    assert "/records takes one symbol, got 2" in str(data["text"])
    assert_no_response(fake, rname)


# --------------------------------------------------------------------------- signatures
@pytest.fixture
def fresh(
    data_dir: Path, calendar: NyseCalendar, tmp_path: Path
) -> Iterator[tuple[FakeSlack, Stack]]:
    """A fake and an app of their own: the call log holds only the start-up auth.test."""
    with FakeSlack() as fk:
        settings = slack_settings(fk.base_url, data_dir)
        with app_on_loopback(settings, calendar, lambda: NOW, tmp_path / "app.sqlite3") as s:
            yield fk, s
        assert fk.errors == []


def test_unsigned_or_stale_requests_are_rejected(fresh: tuple[FakeSlack, Stack]) -> None:
    fk, s = fresh
    cases: dict[str, Callable[[str], dict[str, str]]] = {
        "missing headers": lambda body: {},
        "wrong secret": lambda body: sign(body, secret="not-the-signing-secret"),
        "forged signature": lambda body: {**sign(body), "X-Slack-Signature": "v0=" + "0" * 64},
        "timestamp 301 s old": lambda body: sign(body, timestamp=int(time.time()) - 301),
        "timestamp 301 s ahead": lambda body: sign(body, timestamp=int(time.time()) + 301),
    }
    for case, headers in cases.items():
        body = command_body("/streak", "RUT SPX", fk.response_url(f"sig-{case}"))
        status, answer, _ = post(
            f"{s.base_url}/slack/events", body, headers(body), "application/x-www-form-urlencoded"
        )
        assert status == 401, (case, status, answer)
    # Barrier: a signed request sent after them is answered, so any listener the rejected
    # ones had reached would have called Slack by now; only the control's answer is there.
    status, _, _ = send_command(s.base_url, "/streak", "RUT SPX", fk.response_url("sig-control"))
    assert status == 200
    fk.wait_for_response("sig-control", timeout=10)
    assert [c.path for c in fk.calls("response_url")] == ["/response/sig-control"]
    assert {c.method for c in fk.calls()} == {"auth.test", "response_url"}


def test_a_correctly_signed_request_on_the_fresh_app_is_answered(fresh: tuple[FakeSlack, Stack]) -> None:
    """Control for the test above: the same request, signed, does reach the listener."""
    fk, s = fresh
    status, _, _ = send_command(s.base_url, "/streak", "RUT SPX", fk.response_url("sig"))
    assert status == 200
    assert fk.wait_for_response("sig", timeout=10)[0].status == 200


# --------------------------------------------------------------------------- retries
def test_rate_limited_response_url_is_retried(
    stack: Stack, fake: FakeSlack, rname: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # slack_sdk waits Retry-After + random.random() seconds: make the jitter zero.
    monkeypatch.setattr(builtin_handlers.random, "random", lambda: 0.0)
    assert builtin_handlers.random is random
    fake.fail_next("response_url", status=429, retry_after=1)
    send_command(stack.base_url, "/streak", "RUT SPX", fake.response_url(rname))
    first, second = fake.wait_for_response(rname, count=2, timeout=10)
    assert (first.status, second.status) == (429, 200)
    assert second.time - first.time >= 0.95  # waited for Retry-After: 1
    assert second.json is not None and HEADLINE in second.json["text"]
    assert drain()
    assert len(fake.responses(rname)) == 2


def test_server_errors_on_response_url_are_retried(stack: Stack, fake: FakeSlack, rname: str) -> None:
    fake.fail_next("response_url", status=503)
    send_command(stack.base_url, "/records", "SPX 2024", fake.response_url(rname))
    calls = fake.wait_for_response(rname, count=2, timeout=10)
    assert [c.status for c in calls] == [503, 200]


# --------------------------------------------------------------------------- charts
def test_chart_is_uploaded_after_the_answer(stack: Stack, fake: FakeSlack, rname: str) -> None:
    status, body, seconds = send_command(
        stack.base_url, "/streak", "RUT SPX chart", fake.response_url(rname)
    )
    assert (status, body) == (200, b"") and seconds < 3
    fake.wait_for("files.completeUploadExternal", timeout=30)
    wanted = {"response_url", "files.getUploadURLExternal", "upload", "files.completeUploadExternal"}
    calls = [c for c in fake.calls() if c.method in wanted]
    assert [c.method for c in calls] == [
        "response_url",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    answer, get_url, upload, complete = calls
    assert answer.json is not None and answer.json["response_type"] == "in_channel"
    assert HEADLINE in answer.json["text"]
    assert upload.body.startswith(PNG_MAGIC)
    assert int(get_url.params["length"]) == len(upload.body)
    assert str(get_url.params["filename"]).endswith(".png")
    assert complete.params.get("channel_id", complete.params.get("channel")) == "C0DESK"
    assert complete.token == BOT_TOKEN
    assert drain()
    assert len(fake.responses(rname)) == 1  # no error message after a good upload


@pytest.mark.parametrize("method", ["files.completeUploadExternal", "files.getUploadURLExternal"])
def test_chart_in_a_channel_without_the_bot_asks_for_an_invite(
    stack: Stack, fake: FakeSlack, rname: str, method: str
) -> None:
    fake.fail_next(method, error="channel_not_found")
    send_command(stack.base_url, "/streak", "RUT SPX chart", fake.response_url(rname))
    answer, hint = fake.wait_for_response(rname, count=2, timeout=30)
    assert answer.json is not None and answer.json["response_type"] == "in_channel"
    assert hint.json is not None and hint.json["response_type"] == "ephemeral"
    assert "channel_not_found" in hint.json["text"]
    assert "/invite @streakbot" in hint.json["text"]


def test_chart_is_not_drawn_for_one_symbol(stack: Stack, fake: FakeSlack, rname: str) -> None:
    send_command(stack.base_url, "/streak", "SPX chart", fake.response_url(rname))
    payload = only_response(fake, rname)
    assert payload["response_type"] == "in_channel"
    assert fake.calls("files.getUploadURLExternal") == []


# --------------------------------------------------------------------------- health, start-up
def test_healthz(stack: Stack) -> None:
    assert get_json(f"{stack.base_url}/healthz") == (200, {
        "ok": True, "database": "ok", "latest_session": "2026-09-18",
        "data": "stale", "data_as_of": "2026-09-17",
    })


def test_events_path_rejects_get(stack: Stack) -> None:
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{stack.base_url}/slack/events", timeout=5)
    assert err.value.code in (404, 405)


@pytest.fixture
def no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"SLACK_BOT_TOKEN": None}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"),
        ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET is not set"),
    ],
)
@pytest.mark.usefixtures("no_slack_env")
def test_build_app_refuses_bad_credentials(
    data_dir: Path, calendar: NyseCalendar, tmp_path: Path, overrides: dict[str, object], fragment: str
) -> None:
    with FakeSlack() as fk:
        settings = slack_settings(fk.base_url, data_dir, **overrides)
        services = offline_services(settings, calendar, lambda: NOW, tmp_path / "app.sqlite3")
        with pytest.raises(ConfigError) as err:
            slack_app(services)
        message = str(err.value)
        assert fragment in message
        assert "\n" not in message
        assert fk.calls() == []  # refused before asking Slack


@pytest.mark.usefixtures("no_slack_env")
def test_build_app_refuses_a_token_slack_rejects(
    data_dir: Path, calendar: NyseCalendar, tmp_path: Path
) -> None:
    with FakeSlack(valid_tokens={"xoxb-some-other-token"}) as fk:
        settings = slack_settings(fk.base_url, data_dir)
        services = offline_services(settings, calendar, lambda: NOW, tmp_path / "app.sqlite3")
        with pytest.raises(ConfigError) as err:
            slack_app(services)
        message = str(err.value)
        assert "SLACK_BOT_TOKEN" in message and "invalid_auth" in message
        assert "\n" not in message
        assert [(c.method, c.token) for c in fk.calls()] == [("auth.test", BOT_TOKEN)]


# --------------------------------------------------------------------------- streakbot serve
@pytest.mark.e2e
def test_streakbot_serve_answers_and_stops_on_sigterm(data_dir: Path, tmp_path: Path) -> None:
    with FakeSlack() as fk:
        env = server_env(fk.base_url, free_port(), data_dir, tmp_path / "home")
        (tmp_path / "home").mkdir()
        with serve_process(env, tmp_path / "run") as server:
            status, body, _ = send_command(server.base_url, "/streak", "RUT SPX", fk.response_url("serve"))
            assert (status, body) == (200, b"")
            (call,) = fk.wait_for_response("serve", timeout=15)
            assert call.json is not None and call.json["response_type"] == "in_channel"
            assert HEADLINE in call.json["text"]
            status, health = get_json(f"{server.base_url}/healthz")
            assert (status, health["database"], health["data_as_of"]) == (200, "ok", "2026-09-17")
            server.proc.terminate()  # SIGTERM: gunicorn's graceful shutdown
            assert server.proc.wait(timeout=30) == 0, server.output()
        assert "Traceback" not in server.output()
        assert len(re.findall(r"streakbot worker \d+ ready", server.output())) == 2  # one line per worker
        assert len(fk.calls("auth.test")) >= 1  # each worker checks the token at start-up
        assert fk.errors == []


@pytest.mark.e2e
def test_a_second_serve_on_a_taken_port_exits_2_and_the_first_keeps_answering(
    data_dir: Path, tmp_path: Path
) -> None:
    """The workers bind with SO_REUSEPORT, which would let a second server share the
    port silently; the plain bind checked first refuses it in one line."""
    with FakeSlack() as fk:
        env = server_env(fk.base_url, free_port(), data_dir, tmp_path / "home")
        (tmp_path / "home").mkdir()
        with serve_process(env, tmp_path / "run") as server:
            second = subprocess.run([*streakbot_command(), "serve"], env=env, cwd=tmp_path,
                                    capture_output=True, timeout=60, check=False)
            stderr = second.stderr.decode()
            assert second.returncode == 2, stderr
            assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
            assert f"port {env['PORT']} is already in use by another program" in stderr
            for i in range(6):  # every connection still reaches the first server
                status, _, _ = send_command(server.base_url, "/streak", "RUT SPX", fk.response_url(f"p{i}"))
                assert status == 200
                (call,) = fk.wait_for_response(f"p{i}", timeout=15)
                assert call.json is not None and HEADLINE in call.json["text"]


def test_a_free_port_passes_the_check_and_a_listening_one_does_not() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        taken.listen()
        with pytest.raises(ConfigError, match=f"port {port} is already in use"):
            check_port_free(port, "127.0.0.1")
    check_port_free(port, "127.0.0.1")


@pytest.mark.e2e
def test_streakbot_serve_without_a_token_exits_2_with_one_line(data_dir: Path, tmp_path: Path) -> None:
    env = server_env(None, free_port(), data_dir, tmp_path)
    del env["SLACK_BOT_TOKEN"]
    result = subprocess.run(
        [*streakbot_command(), "serve"], env=env, cwd=tmp_path, capture_output=True, timeout=60, check=False
    )
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), stderr
    assert "SLACK_BOT_TOKEN is not set" in stderr
    assert "Traceback" not in stderr
    assert result.stdout == b""
