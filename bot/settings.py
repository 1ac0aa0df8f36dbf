"""Configuration from the environment (and ``.env``), validated by pydantic-settings.

Secrets are ``SecretStr`` so they never show up in logs or reprs. Slack tokens are only
required by the commands that talk to Slack: :meth:`Settings.require_slack` checks them
and raises :class:`ConfigError` with one clear line.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says which variable to fix."""


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
    slack_api_url: str = "https://slack.com/api/"
    database_url: SecretStr | None = None
    data_dir: Path | None = Field(default=None, alias="STREAKBOT_DATA_DIR")
    offline: bool = Field(default=False, alias="STREAKBOT_OFFLINE")
    port: int = 3000
    log_level: str = Field(default="INFO", alias="STREAKBOT_LOG_LEVEL")
    daily_retry_minutes: int = Field(default=90, alias="STREAKBOT_DAILY_RETRY_MINUTES")
    # Per Yahoo request, and for a whole download (retries included); the deadline stays
    # well under the clock's 5-minute tick.
    download_timeout_seconds: float = Field(
        default=30.0, gt=0, alias="STREAKBOT_DOWNLOAD_TIMEOUT_SECONDS"
    )
    download_deadline_seconds: float = Field(
        default=120.0, gt=0, alias="STREAKBOT_DOWNLOAD_DEADLINE_SECONDS"
    )

    def require_slack(self, *, socket_mode: bool = False) -> None:
        """Check the Slack credentials a server needs, one clear line on failure."""
        tok = self.slack_bot_token.get_secret_value() if self.slack_bot_token else ""
        if not tok:
            raise ConfigError("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app.")
        if not tok.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")
        secret = self.slack_signing_secret.get_secret_value() if self.slack_signing_secret else ""
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
