"""Event claims: an event is claimed before it is answered and marked answered after.

``seen_events.answered_at`` (NULL while an event is claimed but not answered) lets a
claim whose answer never came (the process died in between) be taken over by Slack's
retry once the claim is older than a lease. Rows of the baseline were all handled, so
they count as answered when they were seen. The index serves the pruning by age.

Revision ID: 0002_event_claims
Revises: 0001_baseline
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_event_claims"
down_revision: str | Sequence[str] | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seen_events") as batch:
        batch.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_seen_events_seen_at", ["seen_at"], unique=False)
    op.execute("UPDATE seen_events SET answered_at = seen_at")


def downgrade() -> None:
    with op.batch_alter_table("seen_events") as batch:
        batch.drop_index("ix_seen_events_seen_at")
        batch.drop_column("answered_at")
