"""Alerts: each channel's alert settings and the exactly-once ledger of alert messages.

``alert_channels`` holds whether a channel gets alerts, its streak threshold and what it
watches besides the default pairs and indices; ``alert_posts`` claims each (team, channel,
session) alert before it is sent, like ``posts`` for the daily post.

Revision ID: 0005_alerts
Revises: 0004_slack_oauth
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_alerts"
down_revision: str | Sequence[str] | None = "0004_slack_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_channels",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("enabled", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("pairs_added", sa.Text(), nullable=False),
        sa.Column("pairs_removed", sa.Text(), nullable=False),
        sa.Column("records_added", sa.Text(), nullable=False),
        sa.Column("records_removed", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(32)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enabled_at", sa.DateTime(timezone=True)),
        sa.Column("failing_error", sa.String(64)),
        sa.Column("failing_since", sa.DateTime(timezone=True)),
        sa.Column("last_alerted_session", sa.Date()),
        sa.PrimaryKeyConstraint("team_id", "channel_id", name="pk_alert_channels"),
    )
    op.create_table(
        "alert_posts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("session", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("error", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.UniqueConstraint("team_id", "channel_id", "session", name="uq_alert_posts_once"),
    )


def downgrade() -> None:
    op.drop_table("alert_posts")
    op.drop_table("alert_channels")
