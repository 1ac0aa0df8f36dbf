"""Multi-workspace mode end to end, over real HTTP on loopback, against the fake Slack.

The app runs with ``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET`` (no bot token): a second
workspace, T0SECOND, installs it through ``/slack/install`` and ``/slack/oauth_redirect``
(the fake's ``oauth.v2.access`` hands over its own bot token); its slash commands and
mentions are then answered with that token (the fake records each call's
``Authorization`` header); ``app_uninstalled`` removes its installation and
subscriptions. On SQLite and on PostgreSQL (skipped with the reason when absent).
"""

from __future__ import annotations

import base64
import html
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import sqlalchemy as sa
from fakeslack import FakeSlack, Installation
from slack_harness import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, post, send_command, send_event, sign
from slack_stack import (
    Stack,
    app_on_loopback,
    free_port,
    oauth_slack_settings,
    serve_process,
    server_env,
    slack_settings,
)

from bot.adapters.calendar import NyseCalendar
from bot.render.install import NOT_INSTALLED
from bot.slack.oauth import BOT_SCOPES
from bot.store.tables import slack_bots, slack_installations, slack_oauth_states

NOW = datetime(2026, 1, 23, 15, 0, tzinfo=UTC)  # a Friday; Jan 22 is the last completed session
SECOND = Installation(team_id="T0SECOND", bot_token="xoxb-second-team-token", team_name="Second Desk")
COOKIE = "slack-app-oauth-state"
STREAK_JAN_22 = (
    "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions (Jan 2 – Jan 22, 2026)"
)


@dataclass
class Page:
    status: int
    headers: dict[str, list[str]]
    body: str


def get(url: str, headers: dict[str, str] | None = None) -> Page:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, raw, msg = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as exc:
        status, raw, msg = exc.code, exc.read(), exc.headers
    found: dict[str, list[str]] = {}
    for k, v in msg.items():
        found.setdefault(k.lower(), []).append(v)
    return Page(status, found, raw.decode("utf-8"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    return f"sqlite:///{tmp_path / 'app.sqlite3'}"


@pytest.fixture
def stack(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
          database_url: str) -> Iterator[Stack]:
    settings = oauth_slack_settings(fake.base_url, data_dir)
    with app_on_loopback(settings, calendar, lambda: NOW, tmp_path / "unused.sqlite3",
                         database_url=database_url) as running:
        yield running


def rows(stack: Stack, table: sa.Table, team: str | None = None) -> list[dict[str, Any]]:
    q = sa.select(table)
    if team is not None:
        q = q.where(table.c.team_id == team)
    with stack.services.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def start_install(stack: Stack) -> tuple[Page, dict[str, list[str]], str]:
    """``GET /slack/install``: the page, the Add-to-Slack link's query, the state."""
    page = get(f"{stack.base_url}/slack/install")
    (href,) = re.findall(r'<a href="([^"]+)"', page.body)
    link = urlsplit(html.unescape(href))
    assert (link.scheme, link.netloc, link.path) == ("https", "slack.com", "/oauth/v2/authorize")
    query = parse_qs(link.query)
    (state,) = query["state"]
    return page, query, state


def install(stack: Stack, fake: FakeSlack, inst: Installation = SECOND, code: str = "code-second") -> Page:
    """The whole install of ``inst``'s workspace, as the installer's browser does it."""
    _, _, state = start_install(stack)
    fake.add_installation(code, inst)
    return get(f"{stack.base_url}/slack/oauth_redirect?{urlencode({'code': code, 'state': state})}",
               {"Cookie": f"{COOKIE}={state}"})


# Slack's app_uninstalled event (the team is the callback's ``team_id``).
UNINSTALLED = {"type": "app_uninstalled", "event_ts": "1769180400.000100"}


# --------------------------------------------------------------------------- install
def test_install_page_links_to_slack_with_the_bot_scopes_and_a_one_time_state(stack: Stack) -> None:
    page, query, state = start_install(stack)
    assert page.status == 200
    assert "Add to Slack" in page.body
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    # The state is kept in the database and in the installer's browser (a cookie).
    assert [r["state"] for r in rows(stack, slack_oauth_states)] == [state]
    (cookie,) = page.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={state};")
    # Each visit gets its own state.
    _, _, other = start_install(stack)
    assert other != state
    assert {r["state"] for r in rows(stack, slack_oauth_states)} == {state, other}


def test_the_redirect_trades_the_code_for_the_second_teams_token(stack: Stack, fake: FakeSlack) -> None:
    page = install(stack, fake)

    assert page.status == 200
    assert "streakbot is installed in <strong>Second Desk</strong>" in page.body
    (access,) = fake.calls("oauth.v2.access")
    assert access.params["code"] == "code-second"
    # The app authenticates with its client ID and secret (HTTP Basic), not a token.
    basic = base64.b64decode(access.headers["authorization"].removeprefix("Basic ")).decode()
    assert basic == f"{CLIENT_ID}:{CLIENT_SECRET}"
    (inst,) = rows(stack, slack_installations)
    assert (inst["team_id"], inst["team_name"], inst["bot_token"], inst["client_id"]) == (
        "T0SECOND", "Second Desk", "xoxb-second-team-token", CLIENT_ID)
    assert inst["bot_user_id"] == "U0BOT2" and inst["bot_id"] == "B0BOT2"  # bot_id from auth.test
    (bot,) = rows(stack, slack_bots)
    assert (bot["team_id"], bot["bot_token"]) == ("T0SECOND", "xoxb-second-team-token")
    assert rows(stack, slack_oauth_states) == []  # the state is used up
    assert stack.services.team_tokens.bot_token("T0SECOND") == "xoxb-second-team-token"


def test_a_redirect_with_a_used_state_installs_nothing(stack: Stack, fake: FakeSlack) -> None:
    _, _, state = start_install(stack)
    fake.add_installation("code-1", SECOND)
    url = f"{stack.base_url}/slack/oauth_redirect?{urlencode({'code': 'code-1', 'state': state})}"
    assert get(url, {"Cookie": f"{COOKIE}={state}"}).status == 200
    with stack.services.engine.begin() as conn:
        conn.execute(sa.delete(slack_installations))
        conn.execute(sa.delete(slack_bots))
    fake.add_installation("code-2", SECOND)
    again = get(url.replace("code-1", "code-2"), {"Cookie": f"{COOKIE}={state}"})
    assert again.status == 401
    assert "This install link has expired or was already used." in again.body
    assert [c.params["code"] for c in fake.calls("oauth.v2.access")] == ["code-1"]
    assert rows(stack, slack_installations) == []


def test_a_redirect_from_another_browser_is_refused(stack: Stack, fake: FakeSlack) -> None:
    _, _, state = start_install(stack)
    fake.add_installation("code-x", SECOND)
    page = get(f"{stack.base_url}/slack/oauth_redirect?{urlencode({'code': 'code-x', 'state': state})}")
    assert page.status == 400
    assert "This browser did not start the install" in page.body
    assert fake.calls("oauth.v2.access") == []
    assert rows(stack, slack_installations) == []


def test_a_code_slack_refuses_installs_nothing(stack: Stack, fake: FakeSlack) -> None:
    _, _, state = start_install(stack)  # no installation added: the fake answers invalid_code
    page = get(f"{stack.base_url}/slack/oauth_redirect?{urlencode({'code': 'bogus', 'state': state})}",
               {"Cookie": f"{COOKIE}={state}"})
    assert page.status == 401
    assert "Slack did not accept the authorization code." in page.body
    assert rows(stack, slack_installations) == []


# --------------------------------------------------------------------------- the team's token
def test_the_second_teams_command_is_answered_with_its_own_token(stack: Stack, fake: FakeSlack) -> None:
    install(stack, fake)
    status, body, _ = send_command(stack.base_url, "/streak", "RUT SPX --as-of 2026-01-22 chart",
                                   fake.response_url("second"), team_id="T0SECOND", channel_id="C0SECOND")
    assert (status, body) == (200, b"")

    (answer,) = fake.wait_for_response("second")
    assert answer.json is not None
    assert answer.json["text"].startswith(STREAK_JAN_22)
    (url_call,) = fake.wait_for("files.getUploadURLExternal")
    (done,) = fake.wait_for("files.completeUploadExternal")
    for call in (url_call, done):
        assert call.headers["authorization"] == "Bearer xoxb-second-team-token"
    assert done.params["channel_id"] == "C0SECOND"
    # Bolt's authorize checked that token (auth.test) and no call used a single-workspace token.
    assert "xoxb-second-team-token" in {c.token for c in fake.calls("auth.test")}
    assert BOT_TOKEN not in {c.token for c in fake.calls()}


def test_each_teams_token_is_checked_once_not_before_every_ack(stack: Stack, fake: FakeSlack) -> None:
    install(stack, fake)  # the install's own auth.test (Bolt reads the bot_id from it)
    checks = len(fake.calls("auth.test"))
    for n in range(3):
        send_command(stack.base_url, "/streak", "RUT SPX --as-of 2026-01-22", fake.response_url(f"r{n}"),
                     team_id="T0SECOND")
        fake.wait_for_response(f"r{n}")
    assert len(fake.calls("auth.test")) == checks + 1


def test_the_second_teams_mention_is_answered_with_its_own_token(stack: Stack, fake: FakeSlack) -> None:
    install(stack, fake)
    mention = {"type": "app_mention", "user": "U0TRADER", "text": "<@U0BOT2> rut vs spx",
               "ts": "1769180400.000200", "channel": "C0SECOND", "event_ts": "1769180400.000200"}
    status, _, _ = send_event(stack.base_url, mention, event_id="EvMention2", team_id="T0SECOND")
    assert status == 200
    (reply,) = fake.wait_for("chat.postMessage")
    assert reply.headers["authorization"] == "Bearer xoxb-second-team-token"
    assert (reply.params["channel"], reply.params["thread_ts"]) == ("C0SECOND", "1769180400.000200")


def test_a_team_that_never_installed_is_told_to_reinstall(stack: Stack, fake: FakeSlack) -> None:
    install(stack, fake)
    status, _, _ = send_command(stack.base_url, "/streak", "RUT SPX chart", fake.response_url("nobody"),
                                team_id="T0NOBODY")
    assert status == 200
    (answer,) = fake.wait_for_response("nobody")
    assert answer.json is not None and answer.json["text"] == NOT_INSTALLED
    assert fake.calls("files.getUploadURLExternal") == []


# --------------------------------------------------------------------------- uninstall
def subscribe(stack: Stack, team: str, channel: str) -> None:
    stack.services.subscriptions.subscribe(team, channel, time(16, 30), "U0TRADER", NOW)


def test_app_uninstalled_removes_the_teams_installation_and_subscriptions(stack: Stack, fake: FakeSlack) -> None:
    install(stack, fake)
    status, _, _ = send_command(stack.base_url, "/leaders", "subscribe 16:30", fake.response_url("sub"),
                                team_id="T0SECOND", channel_id="C0SECOND")
    assert status == 200
    fake.wait_for_response("sub")
    (info,) = fake.calls("conversations.info")  # the membership check, with the team's token
    assert info.token == "xoxb-second-team-token"
    subscribe(stack, "T0FAKE", "C0DESK")  # another workspace's channel: it stays
    assert {(s.team_id, s.channel_id) for s in stack.services.subscriptions.all()} == {
        ("T0SECOND", "C0SECOND"), ("T0FAKE", "C0DESK")}

    status, _, _ = send_event(stack.base_url, UNINSTALLED, event_id="EvGone",
                              team_id="T0SECOND")

    assert status == 200
    assert rows(stack, slack_installations, "T0SECOND") == []
    assert rows(stack, slack_bots, "T0SECOND") == []
    assert [(s.team_id, s.channel_id) for s in stack.services.subscriptions.all()] == [("T0FAKE", "C0DESK")]
    assert stack.services.team_tokens.bot_token("T0SECOND") is None
    # Its next command finds no installation: no Web API call carries the old token.
    before = len(fake.calls())
    send_command(stack.base_url, "/streak", "RUT SPX chart", fake.response_url("after"), team_id="T0SECOND")
    (answer,) = fake.wait_for_response("after")
    assert answer.json is not None and answer.json["text"] == NOT_INSTALLED
    assert all(c.token != "xoxb-second-team-token" for c in fake.calls()[before:])


def test_app_uninstalled_leaves_other_workspaces_installed(stack: Stack, fake: FakeSlack) -> None:
    third = Installation(team_id="T0THIRD", bot_token="xoxb-third-team-token", team_name="Third Desk",
                         bot_user_id="U0BOT3", bot_id="B0BOT3")
    install(stack, fake)
    install(stack, fake, third, code="code-third")
    send_event(stack.base_url, UNINSTALLED, event_id="EvGone2", team_id="T0SECOND")
    assert [r["team_id"] for r in rows(stack, slack_installations)] == ["T0THIRD"]
    assert stack.services.team_tokens.bot_token("T0THIRD") == "xoxb-third-team-token"


@pytest.mark.parametrize(("tokens", "forgotten"), [
    ({"bot": ["U0BOT2"]}, True),
    ({"oauth": ["U0INSTALLER"]}, False),  # only a user's token: the bot stays
])
def test_tokens_revoked(stack: Stack, fake: FakeSlack, tokens: dict[str, list[str]], forgotten: bool) -> None:
    install(stack, fake)
    subscribe(stack, "T0SECOND", "C0SECOND")
    event = {"type": "tokens_revoked", "tokens": tokens, "event_ts": "1769180400.000300"}
    status, _, _ = send_event(stack.base_url, event, event_id="EvRevoked", team_id="T0SECOND")
    assert status == 200
    left = (len(rows(stack, slack_installations, "T0SECOND")), len(stack.services.subscriptions.all()))
    assert left == ((0, 0) if forgotten else (1, 1))


def test_an_unsigned_uninstall_is_refused(stack: Stack, fake: FakeSlack) -> None:
    install(stack, fake)
    body = json.dumps({"type": "event_callback", "team_id": "T0SECOND", "event_id": "EvForged",
                       "event": UNINSTALLED})
    bad = sign(body, secret="not-the-signing-secret")
    status, _, _ = post(f"{stack.base_url}/slack/events", body, bad, "application/json")
    assert status == 401
    assert len(rows(stack, slack_installations, "T0SECOND")) == 1


# --------------------------------------------------------------------------- one workspace
def test_with_a_bot_token_there_is_no_install_page_and_uninstall_still_forgets(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
) -> None:
    """Single-workspace mode: no OAuth routes; an uninstall removes the subscriptions."""
    with app_on_loopback(slack_settings(fake.base_url, data_dir), calendar, lambda: NOW,
                         tmp_path / "one.sqlite3") as one:
        assert get(f"{one.base_url}/slack/install").status == 404
        assert get(f"{one.base_url}/slack/oauth_redirect?code=c&state=s").status == 404
        subscribe(one, "T0FAKE", "C0DESK")
        subscribe(one, "T0OTHER", "C0DESK")
        status, _, _ = send_event(one.base_url, UNINSTALLED, event_id="EvGone1")
        assert status == 200
        assert [s.team_id for s in one.services.subscriptions.all()] == ["T0OTHER"]


# --------------------------------------------------------------------------- streakbot serve
@pytest.mark.e2e
def test_streakbot_serve_in_oauth_mode_installs_and_answers_a_second_team(
    data_dir: Path, tmp_path: Path,
) -> None:
    """The real gunicorn server (two workers sharing the default SQLite store): the install
    started on one worker may finish on the other, and the team's command gets its token."""
    with FakeSlack() as fk:
        env = server_env(fk.base_url, free_port(), data_dir, tmp_path / "home",
                         SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET)
        del env["SLACK_BOT_TOKEN"]
        (tmp_path / "home").mkdir()
        with serve_process(env, tmp_path / "run") as server:
            page = get(f"{server.base_url}/slack/install")
            assert page.status == 200
            (href,) = re.findall(r'<a href="([^"]+)"', page.body)
            (state,) = parse_qs(urlsplit(html.unescape(href)).query)["state"]
            fk.add_installation("code-serve", SECOND)
            done = get(f"{server.base_url}/slack/oauth_redirect?{urlencode({'code': 'code-serve', 'state': state})}",
                       {"Cookie": f"{COOKIE}={state}"})
            assert done.status == 200 and "Second Desk" in done.body
            status, _, _ = send_command(server.base_url, "/streak", "RUT SPX --as-of 2026-01-22 chart",
                                        fk.response_url("served"), team_id="T0SECOND")
            assert status == 200
            (answer,) = fk.wait_for_response("served", timeout=15)
            assert answer.json is not None and answer.json["text"].startswith(STREAK_JAN_22)
            (upload,) = fk.wait_for("files.completeUploadExternal", timeout=15)
            assert upload.token == "xoxb-second-team-token"
            server.proc.terminate()
            assert server.proc.wait(timeout=30) == 0, server.output()
        assert "Traceback" not in server.output()
        assert fk.calls("auth.test")[0].token == "xoxb-second-team-token"  # no start-up token check
        assert fk.errors == []
