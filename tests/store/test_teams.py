"""A workspace that removes the app is forgotten: its subscriptions (and alerts), not the
ledger, not other workspaces' rows. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from bot.store.alerts import AlertStore
from bot.store.db import metadata
from bot.store.subscriptions import SubscriptionStore
from bot.store.tables import posts
from bot.store.teams import TEAM_TABLES, forget_team

T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def test_forget_team_removes_only_that_teams_subscriptions(engine: sa.Engine) -> None:
    store = SubscriptionStore(engine)
    for team, channel in [("T1", "C1"), ("T1", "C2"), ("T2", "C1")]:
        store.subscribe(team, channel, time(16, 30), "U1", T0)
    with engine.begin() as conn:
        conn.execute(sa.insert(posts).values(
            team_id="T1", channel_id="C1", session=date(2026, 1, 2), status="sent",
            claimed_by="h:1:abcdefgh", claimed_at=T0, attempts=1))

    AlertStore(engine).turn_on("T1", "C1", "U1", T0)
    AlertStore(engine).turn_on("T2", "C1", "U1", T0)

    assert forget_team(engine, "T1") == {"subscriptions": 2, "alert_channels": 1}

    assert [(s.team_id, s.channel_id) for s in store.all()] == [("T2", "C1")]
    with engine.connect() as conn:  # the ledger stays: a reinstall is not posted twice
        assert conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one() == 1
    assert forget_team(engine, "T1") == {"subscriptions": 0, "alert_channels": 0}  # a retried event
    assert [a.team_id for a in AlertStore(engine).all_enabled()] == ["T2"]


def test_the_team_tables_are_the_ones_with_a_team_id() -> None:
    """Every table of a workspace's own rows is listed (the ledger is kept on purpose)."""
    owned = {t.name for t in metadata.tables.values() if "team_id" in t.c}
    kept = {"posts", "alert_posts", "slack_installations", "slack_bots"}  # ledgers; the installation store's
    assert owned - kept == set(TEAM_TABLES)
    assert "subscriptions" in owned
