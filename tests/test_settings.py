"""Settings: secrets stay secret, and a bad Slack configuration stops start-up with one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from isolation import is_machine_specific

from bot.cli import main
from bot.settings import ConfigError, Settings


def settings(**values: str) -> Settings:
    # Environment-style strings for typed fields: pydantic parses them, as from the environment.
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_secrets_are_not_shown() -> None:
    s = settings(SLACK_BOT_TOKEN="xoxb-very-secret", SLACK_SIGNING_SECRET="sig-secret",
                 DATABASE_URL="postgres://u:pw@h/db")
    assert "very-secret" not in repr(s) and "sig-secret" not in repr(s) and "pw@" not in repr(s)
    assert s.database_url_value == "postgres://u:pw@h/db"


@pytest.mark.parametrize(
    ("values", "socket_mode", "message"),
    [
        ({}, False, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, False, "must be a bot token starting with xoxb-"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, False, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, True, "SLACK_APP_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, True,
         "must be an app-level token starting with xapp-"),
    ],
)
def test_require_slack(values: dict[str, str], socket_mode: bool, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(**values).require_slack(socket_mode=socket_mode)


CID, CSECRET = "111.222", "client-secret"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"SLACK_CLIENT_ID": CID, "SLACK_SIGNING_SECRET": "s"},
         "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy the Client Secret"),
        ({"SLACK_CLIENT_SECRET": CSECRET, "SLACK_SIGNING_SECRET": "s"},
         "SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not: copy the Client ID"),
        ({"SLACK_CLIENT_ID": CID, "SLACK_CLIENT_SECRET": CSECRET, "SLACK_BOT_TOKEN": "xoxb-1",
          "SLACK_SIGNING_SECRET": "s"},
         "SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set"),
        ({"SLACK_CLIENT_ID": CID, "SLACK_CLIENT_SECRET": CSECRET}, "SLACK_SIGNING_SECRET is not set"),
    ],
)
def test_a_half_configured_oauth_is_one_line(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        settings(**values).require_slack()
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value) and CSECRET not in str(err.value)


def test_oauth_mode_needs_no_bot_token() -> None:
    s = settings(SLACK_CLIENT_ID=CID, SLACK_CLIENT_SECRET=CSECRET, SLACK_SIGNING_SECRET="s")
    assert s.oauth
    s.require_slack()
    assert not settings(SLACK_BOT_TOKEN="xoxb-1").oauth


def test_oauth_mode_is_not_for_socket_mode() -> None:
    s = settings(SLACK_CLIENT_ID=CID, SLACK_CLIENT_SECRET=CSECRET, SLACK_APP_TOKEN="xapp-1")
    with pytest.raises(ConfigError, match=r"^Socket Mode serves one workspace"):
        s.require_slack(socket_mode=True)


def test_serve_with_half_an_oauth_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checked where the settings are loaded, before anything else runs."""
    monkeypatch.setenv("SLACK_CLIENT_ID", CID)
    monkeypatch.setenv("STREAKBOT_OFFLINE", "true")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("streakbot: SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not")


def test_socket_mode_needs_the_app_token_and_needs_no_signing_secret() -> None:
    settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1").require_slack(socket_mode=True)


def test_serve_socket_mode_without_app_token_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("STREAKBOT_OFFLINE", "true")
    assert main(["serve", "--socket-mode"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["streakbot: SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token "
                   "(xapp-...) with connections:write."]


def test_an_empty_value_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """``STREAKBOT_DATA_DIR=`` (as .env.example has it) is no data folder, not the current one."""
    monkeypatch.setenv("STREAKBOT_DATA_DIR", "")
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("PORT", "")
    s = Settings(_env_file=None)
    assert (s.data_dir, s.database_url, s.port) == (None, None, 3000)


def test_a_dotenv_in_the_working_folder_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("STREAKBOT_OFFLINE=true\nSTREAKBOT_DATA_DIR=\nPORT=4100\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    s = Settings()
    assert (s.offline, s.data_dir, s.port) == (True, None, 4100)


def test_tests_see_no_settings_from_the_shell() -> None:
    """The autouse fixture removed every setting: a fresh Settings() holds only defaults."""
    assert not any(is_machine_specific(k) for k in os.environ)
    assert Settings() == Settings(_env_file=None)
    assert not Path(".env").exists()
