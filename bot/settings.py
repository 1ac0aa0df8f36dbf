"""Configuration from the environment (and ``.env``), validated by pydantic-settings.

Secrets are ``SecretStr`` so they never show up in logs or reprs. Slack tokens are only
required by the commands that talk to Slack: :meth:`Settings.require_slack` checks them
and raises :class:`ConfigError` with one clear line. :func:`load_settings` turns pydantic's
validation errors into such a line too, naming the variable (and, unless it is a secret,
the value that was given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.errors import ConfigError as ConfigError  # noqa: PLC0414 (re-export)


class Settings(BaseSettings):
    """All settings; see ``.env.example`` for each variable."""

    # ``env_ignore_empty``: ``STREAKBOT_DATA_DIR=`` (as in .env.example) means "not set",
    # not "the current folder".
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    # OAuth install by many workspaces (instead of one SLACK_BOT_TOKEN): the app's
    # credentials from its Basic Information page. The client ID is not a secret.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    # Where Slack sends the installer back; by default the app's one Redirect URL.
    slack_redirect_uri: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: SecretStr | None = None
    data_dir: Path | None = Field(default=None, alias="STREAKBOT_DATA_DIR")
    offline: bool = Field(default=False, alias="STREAKBOT_OFFLINE")
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: str = Field(default="INFO", alias="STREAKBOT_LOG_LEVEL")
    daily_retry_minutes: int = Field(default=90, ge=0, alias="STREAKBOT_DAILY_RETRY_MINUTES")
    # Per Yahoo request, and for a whole download (retries included); the deadline stays
    # well under the clock's 5-minute tick.
    download_timeout_seconds: float = Field(
        default=30.0, gt=0, alias="STREAKBOT_DOWNLOAD_TIMEOUT_SECONDS"
    )
    download_deadline_seconds: float = Field(
        default=120.0, gt=0, alias="STREAKBOT_DOWNLOAD_DEADLINE_SECONDS"
    )
    # Seconds a Slack Web API call may take; a daily post whose answer did not come is
    # looked up in the channel's history once twice this long has passed.
    slack_timeout: int = Field(default=15, ge=1, alias="STREAKBOT_SLACK_TIMEOUT")
    # Channels the daily post is sent to at once (the database pool has room for 32).
    post_concurrency: int = Field(default=8, ge=1, le=32, alias="STREAKBOT_POST_CONCURRENCY")
    # gunicorn's access log, a line per HTTP request on standard output. Off by default:
    # a platform router (Heroku's, a load balancer's) logs every request already, and
    # formatting the line took about 7% of a worker's CPU per /streak under a burst.
    access_log: bool = Field(default=False, alias="STREAKBOT_ACCESS_LOG")

    @property
    def oauth(self) -> bool:
        """Multi-workspace mode: the app is installed with OAuth (``SLACK_CLIENT_ID``/``SECRET``)."""
        return bool(self.slack_client_id or self.slack_client_secret)

    def check_slack_mode(self) -> None:
        """One workspace (``SLACK_BOT_TOKEN``) or OAuth install (client ID and secret), not
        half of OAuth nor both: one clear line otherwise."""
        if not self.oauth:
            return
        has_id = bool(self.slack_client_id)
        has_secret = bool(self.slack_client_secret and self.slack_client_secret.get_secret_value())
        if has_id and not has_secret:
            raise ConfigError("SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy the Client Secret from your Slack app's Basic Information page (or unset SLACK_CLIENT_ID to serve one workspace with SLACK_BOT_TOKEN).")
        if has_secret and not has_id:
            raise ConfigError("SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not: copy the Client ID from your Slack app's Basic Information page (or unset SLACK_CLIENT_SECRET to serve one workspace with SLACK_BOT_TOKEN).")
        if self.slack_bot_token:
            raise ConfigError("SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set: set the bot token for one workspace, or the client ID and secret for OAuth installs by any workspace, not both.")

    def require_slack(self, *, socket_mode: bool = False) -> None:
        """Check the Slack credentials a server needs, one clear line on failure."""
        self.check_slack_mode()
        secret = self.slack_signing_secret.get_secret_value() if self.slack_signing_secret else ""
        if self.oauth:
            if socket_mode:
                raise ConfigError("Socket Mode serves one workspace: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN instead of SLACK_CLIENT_ID/SLACK_CLIENT_SECRET, or serve over HTTP for OAuth installs.")
            if not secret:
                raise ConfigError("SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app's Basic Information page.")
            return
        tok = self.slack_bot_token.get_secret_value() if self.slack_bot_token else ""
        if not tok:
            raise ConfigError("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app, or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth installs.")
        if not tok.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")
        if not socket_mode and not secret:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app's Basic Information page.")
        if socket_mode:
            app = self.slack_app_token.get_secret_value() if self.slack_app_token else ""
            if not app:
                raise ConfigError("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...) with connections:write.")
            if not app.startswith("xapp-"):
                raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-.")

    @property
    def database_url_value(self) -> str | None:
        return self.database_url.get_secret_value() if self.database_url else None


# pydantic error type -> what the value must be, in words.
_MUST_BE = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "int_type": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "path_type": "a path",
}


def _env_name(loc: tuple[int | str, ...]) -> str:
    """The environment variable behind an error location (``port`` -> ``PORT``)."""
    key = str(loc[0]) if loc else "?"
    for name, field in Settings.model_fields.items():
        if key in (name, field.alias):
            return (field.alias or name).upper()
    return key.upper()


def _is_secret(env: str) -> bool:
    for name, field in Settings.model_fields.items():
        if env == (field.alias or name).upper():
            return "SecretStr" in str(field.annotation)
    return True  # unknown: show no value


def validation_message(exc: ValidationError) -> str:
    """One line for a settings validation error, e.g. ``PORT must be a whole number, got 'abc'.``

    Secret fields are named, never echoed.
    """
    parts: list[str] = []
    for err in exc.errors():
        env = _env_name(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if env == "PORT" and kind in ("greater_than_equal", "less_than_equal", *_MUST_BE):
            must = "a whole number from 1 to 65535"
        elif kind in _MUST_BE:
            must = _MUST_BE[kind]
        elif kind == "greater_than_equal":
            must = f"at least {ctx.get('ge')}"
        elif kind == "less_than_equal":
            must = f"at most {ctx.get('le')}"
        else:
            must = None
        text = f"{env} must be {must}" if must else f"{env} is not valid ({err['msg'].lower()})"
        if _is_secret(env):
            text += " (the value is secret, so it is not shown)"
        else:
            text += f", got {str(err.get('input'))[:60]!r}"
        parts.append(text)
    return "; ".join(parts) + "."


def load_settings(**overrides: Any) -> Settings:
    """``Settings(**overrides)``, with a validation error (or a half-configured OAuth
    install, :meth:`Settings.check_slack_mode`) turned into :class:`ConfigError`."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(validation_message(exc)) from None
    settings.check_slack_mode()
    return settings
