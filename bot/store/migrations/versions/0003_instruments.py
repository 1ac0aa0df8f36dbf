"""Instruments: what Yahoo says a symbol added on request is.

A symbol the store did not have (``NVDA``) is added with its metadata from Yahoo's chart
answer, so answers can name it ("NVIDIA Corporation") and say what kind of instrument it is.

Revision ID: 0003_instruments
Revises: 0002_event_claims
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_instruments"
down_revision: str | Sequence[str] | None = "0002_event_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instruments",
        sa.Column("symbol", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("currency", sa.String(16), nullable=False),
        sa.Column("exchange", sa.String(64), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("instruments")
