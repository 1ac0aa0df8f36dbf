"""All tables of the store, on one MetaData; every instant is a :class:`UtcDateTime`,
except in the three tables of slack_sdk's SQLAlchemy OAuth stores (``slack_*``).

Those three are slack_sdk's own definitions
(``SQLAlchemyInstallationStore.build_installations_table``/``build_bots_table``,
``SQLAlchemyOAuthStateStore.build_oauth_states_table``), copied here so that Alembic creates
them like every other table (slack_sdk reads and writes them by name, with naive UTC
instants); a test checks the copies against slack_sdk's.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.store.metadata import metadata
from bot.store.types import UtcDateTime

# Daily bars, one row per (symbol, session).
bars = Table(
    "bars",
    metadata,
    Column("symbol", String(32), nullable=False),
    Column("date", Date, nullable=False),
    Column("open", Float),
    Column("high", Float),
    Column("low", Float),
    Column("close", Float, nullable=False),
    Column("volume", Float),
    PrimaryKeyConstraint("symbol", "date", name="pk_bars"),
)

# One row per symbol: where its data came from and when it last changed.
series = Table(
    "series",
    metadata,
    Column("symbol", String(32), primary_key=True),
    Column("source", String(64), nullable=False),
    Column("first_date", Date),
    Column("last_date", Date),
    Column("rows", Integer, nullable=False, default=0),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Channel subscriptions to the daily post.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("team_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("post_time", String(5), nullable=False),  # HH:MM, America/New_York
    Column("created_by", String(32)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("failing_error", String(64)),  # e.g. channel_not_found; NULL when healthy
    Column("failing_since", UtcDateTime()),
    Column("last_posted_session", Date),
    PrimaryKeyConstraint("team_id", "channel_id", name="pk_subscriptions"),
)

# Exactly-once ledger of daily posts: claimed before sending.
posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("session", Date, nullable=False),
    Column("status", String(16), nullable=False),  # claimed | sent | failed
    Column("claimed_by", String(64), nullable=False),
    Column("claimed_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime()),
    Column("message_ts", String(32)),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=1),
    UniqueConstraint("team_id", "channel_id", "session", name="uq_posts_once"),
)

# Slack events claimed before answering, and when each was answered (Slack retries an
# event it thinks was not delivered). ``seen_at`` is when the event was (last) claimed.
seen_events = Table(
    "seen_events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("seen_at", UtcDateTime(), nullable=False),
    Column("answered_at", UtcDateTime()),  # NULL while claimed, not yet answered
    Index("ix_seen_events_seen_at", "seen_at"),
)

# What Yahoo said each symbol added on request is (name, kind, currency, exchange): the
# bundled series are described in bot.domain.symbols instead.
instruments = Table(
    "instruments",
    metadata,
    Column("symbol", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("currency", String(16), nullable=False),
    Column("exchange", String(64), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
)

# --------------------------------------------------------------------------- Slack OAuth
# slack_sdk's SQLAlchemyInstallationStore: one row per installation (the OAuth install of a
# workspace), and the latest bot of each workspace.
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

slack_bots = Table(
    "slack_bots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

# slack_sdk's SQLAlchemyOAuthStateStore: the ``state`` of each "Add to Slack" link, used once.
slack_oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)

# The tables of slack_sdk's OAuth stores (their instants are naive UTC, slack_sdk's choice).
SLACK_OAUTH_TABLES = (slack_installations, slack_bots, slack_oauth_states)

# Channels' notable-event alerts: on/off, the streak threshold and what is watched on top of
# (or taken off) the default watch lists. Watch lists are JSON arrays of symbols ("^RUT") and
# of pairs ("^GSPC|^RUT", the two symbols sorted), see bot.store.alerts.
alert_channels = Table(
    "alert_channels",
    metadata,
    Column("team_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("enabled", Integer, nullable=False, default=0),  # 1: on
    Column("threshold", Integer, nullable=False, default=10),
    Column("pairs_added", Text, nullable=False, default="[]"),
    Column("pairs_removed", Text, nullable=False, default="[]"),
    Column("records_added", Text, nullable=False, default="[]"),
    Column("records_removed", Text, nullable=False, default="[]"),
    Column("version", Integer, nullable=False, default=1),  # bumped by every change
    Column("updated_by", String(32)),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("enabled_at", UtcDateTime()),  # when alerts were last turned on
    Column("failing_error", String(64)),  # Slack refused alerts here for good
    Column("failing_since", UtcDateTime()),
    Column("last_alerted_session", Date),
    PrimaryKeyConstraint("team_id", "channel_id", name="pk_alert_channels"),
)

# Exactly-once ledger of alert messages, one per (team, channel, session): the same columns
# and rules as ``posts`` (bot.services.delivery), apart so a daily post and an alert of one
# session never share a key.
alert_posts = Table(
    "alert_posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("session", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(64), nullable=False),
    Column("claimed_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime()),
    Column("message_ts", String(32)),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=1),
    UniqueConstraint("team_id", "channel_id", "session", name="uq_alert_posts_once"),
)
