"""``manifest.yaml`` (the Slack app manifest) agrees with what the Bolt app handles.

Two directions are checked:

* everything the manifest sends to the app (slash commands, bot events) is handled: each
  is POSTed, signed, to the real endpoint and must not be answered 404 ("unhandled
  request", Bolt's answer when no listener matches);
* everything the app registers (``app.command``/``app.event``/``app.message``, recorded
  while ``build_app`` runs) is declared in the manifest.

Scopes must be exactly those the features need, each one accounted for.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from fakeslack import FakeSlack
from slack_bolt import App
from slack_harness import post, send_command, send_event, send_message_shortcut, sign
from slack_stack import REPO, Stack, app_on_loopback, make_data_dir, slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.slack.app import EVENTS_PATH
from bot.slack.oauth import BOT_SCOPES, REDIRECT_PATH

NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
MANIFEST = REPO / "manifest.yaml"
ENDPOINT = "https://YOUR-APP.example.com/slack/events"
REDIRECT = "https://YOUR-APP.example.com/slack/oauth_redirect"  # OAuth installs

# Which scope each manifest feature needs, and why.
COMMAND_SCOPES = {"commands"}  # any slash command
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},  # receive @streakbot mentions in channels
    # receive DMs (im:history), see which conversations are DMs (im:read), answer in them (im:write)
    "message.im": {"im:history", "im:read", "im:write"},
    "app_home_opened": set(),  # the Home tab: no scope (views.publish needs none either)
    # a workspace removed the app or its token: sent to every app, no scope needed
    "app_uninstalled": set(),
    "tokens_revoked": set(),
}
POSTING_SCOPES = {"chat:write"}  # the daily /leaders post and replies to mentions and DMs
# A daily post whose send had no answer is looked up in the channel's history (public and
# private channels) before it is ever sent again.
DAILY_POST_HISTORY_SCOPES = {"channels:history", "groups:history"}
CHART_SCOPES = {"files:write"}  # `/streak RUT SPX chart` uploads a PNG
# `/leaders subscribe` checks the bot is in the channel (conversations.info, public and private)
SUBSCRIBE_SCOPES = {"channels:read", "groups:read"}

# Web API methods the code may call (as WebClient methods) and the bot scope each needs.
API_METHOD_SCOPES: dict[str, str | None] = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "chat_delete": "chat:write",
    "chat_scheduleMessage": "chat:write",
    "files_upload_v2": "files:write",
    "files_upload": "files:write",
    "files_getUploadURLExternal": "files:write",
    "files_completeUploadExternal": "files:write",
    "conversations_open": "im:write",
    "conversations_info": "channels:read",
    "conversations_history": "channels:history",
    "conversations_replies": "channels:history",
    "conversations_list": "channels:read",
    "conversations_members": "channels:read",
    "users_info": "users:read",
    "users_list": "users:read",
    "reactions_add": "reactions:write",
    "views_open": "commands",
    "views_publish": None,  # the App Home tab: no scope needed
}

# Bot event -> the (Bolt) event type a listener must be registered for.
EVENT_LISTENER_TYPE = {
    "app_mention": "app_mention", "message.im": "message", "app_home_opened": "app_home_opened",
    "app_uninstalled": "app_uninstalled", "tokens_revoked": "tokens_revoked",
}

# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def manifest_commands(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["command"]: c for c in manifest["features"]["slash_commands"]}


@dataclass
class Registered:
    commands: list[str] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    shortcuts: list[Any] = field(default_factory=list)


@pytest.fixture(scope="module")
def registered_and_stack(
    tmp_path_factory: pytest.TempPathFactory, calendar: NyseCalendar
) -> Iterator[tuple[Registered, Stack, FakeSlack]]:
    """The app built by ``build_app``, with every listener registration recorded."""
    seen = Registered()
    orig_command, orig_event, orig_message = App.command, App.event, App.message
    orig_shortcut, orig_message_shortcut = App.shortcut, App.message_shortcut

    def command(self: App, cmd: Any, *args: Any, **kwargs: Any) -> Any:
        seen.commands.append(cmd)
        return orig_command(self, cmd, *args, **kwargs)

    def event(self: App, ev: Any, *args: Any, **kwargs: Any) -> Any:
        seen.events.append(ev["type"] if isinstance(ev, dict) else ev)
        return orig_event(self, ev, *args, **kwargs)

    def message(self: App, *args: Any, **kwargs: Any) -> Any:
        seen.events.append("message")
        return orig_message(self, *args, **kwargs)

    def shortcut(self: App, callback_id: Any, *args: Any, **kwargs: Any) -> Any:
        seen.shortcuts.append(callback_id)
        return orig_shortcut(self, callback_id, *args, **kwargs)

    def message_shortcut(self: App, callback_id: Any, *args: Any, **kwargs: Any) -> Any:
        seen.shortcuts.append(callback_id)
        return orig_message_shortcut(self, callback_id, *args, **kwargs)

    data_dir = make_data_dir(tmp_path_factory.mktemp("closes"))
    spy = pytest.MonkeyPatch()
    with pytest.MonkeyPatch.context() as env, FakeSlack() as fake:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env.delenv(name, raising=False)
        spy.setattr(App, "command", command)
        spy.setattr(App, "event", event)
        spy.setattr(App, "message", message)
        spy.setattr(App, "shortcut", shortcut)
        spy.setattr(App, "message_shortcut", message_shortcut)
        try:
            running = app_on_loopback(
                slack_settings(fake.base_url, data_dir), calendar, lambda: NOW,
                tmp_path_factory.mktemp("app") / "app.sqlite3",
            )
            stack = running.__enter__()
        finally:
            spy.undo()  # only build_app's registrations are recorded
        try:
            yield seen, stack, fake
        finally:
            running.__exit__(None, None, None)


@pytest.fixture(scope="module")
def registered(registered_and_stack: tuple[Registered, Stack, FakeSlack]) -> Registered:
    return registered_and_stack[0]


@pytest.fixture(scope="module")
def stack(registered_and_stack: tuple[Registered, Stack, FakeSlack]) -> Stack:
    return registered_and_stack[1]


@pytest.fixture(scope="module")
def fake(registered_and_stack: tuple[Registered, Stack, FakeSlack]) -> FakeSlack:
    return registered_and_stack[2]


# --------------------------------------------------------------------------- structure
def test_manifest_structure(manifest: dict[str, Any]) -> None:
    assert manifest["_metadata"]["major_version"] == 1
    info = manifest["display_information"]
    assert info["name"] == "streakbot"
    assert 10 <= len(info["description"]) <= 140  # Slack's limit for the short description

    bot_user = manifest["features"]["bot_user"]
    assert bot_user == {"display_name": "streakbot", "always_online": True}

    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == ENDPOINT
    assert settings["event_subscriptions"]["bot_events"] == [
        "app_mention", "message.im", "app_home_opened", "app_uninstalled", "tokens_revoked"]
    assert settings["interactivity"] == {"is_enabled": True, "request_url": ENDPOINT}
    assert settings["org_deploy_enabled"] is False
    assert settings["socket_mode_enabled"] is False
    assert settings["token_rotation_enabled"] is False
    # DMs reach a bot through the App Home's Messages tab.
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_slash_commands(manifest_commands: dict[str, dict[str, Any]]) -> None:
    assert set(manifest_commands) == {"/streak", "/records", "/leaders", "/check", "/alerts"}
    hints = {name: c["usage_hint"] for name, c in manifest_commands.items()}
    assert hints == {
        "/streak": "RUT SPX [YYYY-MM-DD] [chart] [next]",
        "/records": "SPX [YEAR] [YYYY-MM-DD]",
        "/leaders": "[YYYY-MM-DD | subscribe HH:MM | unsubscribe | status]",
        "/check": "[public] [--as-of YYYY-MM-DD] TEXT",
        "/alerts": "[on | off | status | add A B | remove A B | threshold N]",
    }
    for name, cmd in manifest_commands.items():
        assert cmd["url"] == ENDPOINT, name
        assert cmd["should_escape"] is False, name
        assert 0 < len(cmd["description"]) <= 100, name  # Slack's limit
        assert re.fullmatch(r"/[a-z][a-z0-9_-]{0,31}", name), name


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def test_every_url_is_the_one_events_endpoint_or_the_oauth_redirect(manifest: dict[str, Any]) -> None:
    urls = {u for text in _strings(manifest) for u in re.findall(r"https?://\S+", text)}
    assert urls == {ENDPOINT, REDIRECT}
    assert ENDPOINT.endswith(EVENTS_PATH)
    assert manifest["oauth_config"]["redirect_urls"] == [REDIRECT]
    assert REDIRECT.endswith(REDIRECT_PATH)


# --------------------------------------------------------------------------- scopes
def _api_methods_called() -> set[str]:
    """WebClient methods named in the bot's source (``client.files_upload_v2(...)``)."""
    found: set[str] = set()
    for path in (REPO / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= {m for m in API_METHOD_SCOPES if re.search(rf"\.{m}\(", text)}
    return found


def test_scopes_are_exactly_what_the_features_need(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes)), "duplicate scope"
    assert "user" not in manifest["oauth_config"]["scopes"], "no user scopes: the bot acts as itself"

    needed: set[str] = set()
    if manifest["features"]["slash_commands"]:
        needed |= COMMAND_SCOPES
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needed |= EVENT_SCOPES[event]
    needed |= POSTING_SCOPES
    if "/leaders" in {c["command"] for c in manifest["features"]["slash_commands"]}:
        needed |= DAILY_POST_HISTORY_SCOPES
    if any("chart" in c["usage_hint"] for c in manifest["features"]["slash_commands"]):
        needed |= CHART_SCOPES
    if any("subscribe" in c["usage_hint"] for c in manifest["features"]["slash_commands"]):
        needed |= SUBSCRIBE_SCOPES
    assert set(scopes) == needed
    assert set(scopes) == {
        "commands", "chat:write", "files:write", "app_mentions:read", "im:history", "im:read", "im:write",
        "channels:read", "groups:read", "channels:history", "groups:history",
    }


def test_an_oauth_install_asks_for_the_manifests_scopes(manifest: dict[str, Any]) -> None:
    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_every_web_api_method_the_code_calls_has_its_scope(manifest: dict[str, Any]) -> None:
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    called = _api_methods_called()
    assert "files_upload_v2" in called  # /streak ... chart
    assert "conversations_history" in called  # the daily post's history check
    missing = {m: API_METHOD_SCOPES[m] for m in called
               if API_METHOD_SCOPES[m] is not None and API_METHOD_SCOPES[m] not in scopes}
    assert missing == {}


def test_every_scope_is_commented(manifest: dict[str, Any]) -> None:
    """Each scope line in the file is preceded by a comment saying why it is needed."""
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    for scope in manifest["oauth_config"]["scopes"]["bot"]:
        (i,) = [n for n, line in enumerate(lines) if line.strip() == f"- {scope}"]
        assert lines[i - 1].strip().startswith("#"), scope


# --------------------------------------------------------------------------- manifest == app
def _manifest_command_params() -> list[Any]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [
        pytest.param(c["command"], id=c["command"])
        for c in data["features"]["slash_commands"]
    ]


def _manifest_event_params() -> list[Any]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [
        pytest.param(e, id=e)
        for e in data["settings"]["event_subscriptions"]["bot_events"]
    ]


@pytest.mark.parametrize("command", _manifest_command_params())
def test_each_manifest_command_is_handled(stack: Stack, fake: FakeSlack, command: str) -> None:
    name = f"m{command.strip('/')}"
    status, body, _ = send_command(stack.base_url, command, "help", fake.response_url(name))
    assert status == 200, (command, status, body)
    assert b"unhandled" not in body


@pytest.mark.parametrize("command", _manifest_command_params())
def test_each_manifest_command_is_registered(
    registered: Registered, command: str
) -> None:
    assert command in registered.commands


def test_every_registered_command_is_in_the_manifest(
    registered: Registered, manifest_commands: dict[str, dict[str, Any]]
) -> None:
    assert registered.commands, "build_app registered no slash command"
    assert all(isinstance(c, str) for c in registered.commands), registered.commands
    assert set(registered.commands) <= set(manifest_commands)


def test_message_shortcuts(manifest: dict[str, Any]) -> None:
    shortcuts = manifest["features"]["shortcuts"]
    assert shortcuts == [{
        "name": "Check figures", "type": "message", "callback_id": "check_figures",
        "description": "Check this message's market figures against the data",
    }]
    for s in shortcuts:
        assert len(s["name"]) <= 24 and len(s["description"]) <= 80  # Slack's limits


def test_each_manifest_shortcut_is_handled_and_registered(
    stack: Stack, fake: FakeSlack, registered: Registered, manifest: dict[str, Any]
) -> None:
    declared = [s["callback_id"] for s in manifest["features"]["shortcuts"]]
    assert registered.shortcuts == declared
    for callback_id in declared:
        message = {"user": "U0TRADER", "text": "The S&P 500 rose 1% on Monday.", "ts": "1767625200.000300"}
        status, body, _ = send_message_shortcut(stack.base_url, callback_id, message, fake.response_url("sc"))
        assert status == 200, (callback_id, status, body)


def test_an_unknown_shortcut_is_unhandled(stack: Stack, fake: FakeSlack) -> None:
    """Control for the probe above."""
    message = {"user": "U0TRADER", "text": "hi", "ts": "1767625200.000400"}
    status, body, _ = send_message_shortcut(stack.base_url, "not_a_shortcut", message, fake.response_url("no"))
    assert status == 404
    assert b"unhandled" in body


def test_an_unknown_command_is_unhandled(stack: Stack, fake: FakeSlack) -> None:
    """Control for the probe above: a command nobody registered is answered 404."""
    status, body, _ = send_command(stack.base_url, "/not-a-command", "", fake.response_url("nope"))
    assert status == 404
    assert b"unhandled" in body


_EVENTS: dict[str, dict[str, Any]] = {
    "app_mention": {
        "type": "app_mention", "user": "U0TRADER", "text": "<@U0BOT> who is leading?",
        "ts": "1767625200.000100", "channel": "C0DESK", "event_ts": "1767625200.000100",
    },
    "message.im": {
        "type": "message", "channel_type": "im", "user": "U0TRADER", "text": "rut vs spx",
        "ts": "1767625200.000200", "channel": "D0TRADER", "event_ts": "1767625200.000200",
    },
    "app_home_opened": {"type": "app_home_opened", "user": "U0TRADER", "channel": "D0TRADER", "tab": "home",
                        "event_ts": "1767625200.000300"},
    "app_uninstalled": {"type": "app_uninstalled", "event_ts": "1767625200.000300"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]},
                       "event_ts": "1767625200.000400"},
}


@pytest.mark.parametrize("bot_event", _manifest_event_params())
def test_each_manifest_bot_event_has_a_listener(
    stack: Stack, registered: Registered, bot_event: str
) -> None:
    assert EVENT_LISTENER_TYPE[bot_event] in registered.events
    status, body, _ = send_event(stack.base_url, _EVENTS[bot_event], event_id=f"Ev{bot_event}")
    assert status == 200, (bot_event, status, body)


def test_every_registered_event_is_subscribed(registered: Registered, manifest: dict[str, Any]) -> None:
    subscribed = {EVENT_LISTENER_TYPE[e] for e in manifest["settings"]["event_subscriptions"]["bot_events"]}
    assert set(registered.events) <= subscribed


def test_an_unsubscribed_event_is_unhandled(stack: Stack) -> None:
    event = {"type": "reaction_added", "user": "U0TRADER", "reaction": "eyes", "event_ts": "1.0",
             "item": {"type": "message", "channel": "C0DESK", "ts": "1.0"}}
    status, body, _ = send_event(stack.base_url, event, event_id="EvUnhandled")
    assert status == 404
    assert b"unhandled" in body


def test_request_url_verification(stack: Stack) -> None:
    """Slack checks the manifest's request_url with a signed url_verification challenge."""
    body = json.dumps({"token": "legacy", "challenge": "chal-123", "type": "url_verification"})
    status, answer, _ = post(f"{stack.base_url}/slack/events", body, sign(body), "application/json")
    assert status == 200
    assert b"chal-123" in answer


def test_ssl_check(stack: Stack) -> None:
    """Slack's ssl_check ping to the slash command URL is answered 200."""
    body = f"ssl_check=1&token=legacy&ts={int(time.time())}"
    status, _, _ = post(f"{stack.base_url}/slack/events", body, sign(body), "application/x-www-form-urlencoded")
    assert status == 200


def test_manifest_path_is_at_the_repo_root() -> None:
    assert Path(__file__).resolve().parents[2] / "manifest.yaml" == MANIFEST
    assert MANIFEST.is_file()
