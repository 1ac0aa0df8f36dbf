"""slack_sdk's SQLAlchemy OAuth stores on the store's migrated tables, and each team's token.

The tables are created by migration 0003 from copies of slack_sdk's definitions: the
copies must stay slack_sdk's, and the stores must work on them as slack_sdk made them (no
``create_tables``). On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.adapters.slack_installs import TeamTokens, installation_store, state_store
from bot.store import tables

CLIENT_ID = "1111111111.2222222222"


def shape(table: sa.Table) -> tuple[object, ...]:
    cols = tuple(
        (c.name, repr(c.type), c.nullable, c.primary_key, c.autoincrement) for c in table.columns
    )
    indexes = sorted((i.name or "", tuple(c.name for c in i.columns), bool(i.unique)) for i in table.indexes)
    return table.name, cols, tuple(indexes)


@pytest.mark.parametrize(("ours", "theirs"), [
    (tables.slack_installations,
     lambda m: SQLAlchemyInstallationStore.build_installations_table(m, "slack_installations")),
    (tables.slack_bots, lambda m: SQLAlchemyInstallationStore.build_bots_table(m, "slack_bots")),
    (tables.slack_oauth_states,
     lambda m: SQLAlchemyOAuthStateStore.build_oauth_states_table(m, "slack_oauth_states")),
], ids=["installations", "bots", "states"])
def test_the_tables_are_slack_sdks(ours: sa.Table, theirs: object) -> None:
    built = theirs(sa.MetaData())  # type: ignore[operator]
    assert shape(ours) == shape(built)


def test_the_default_table_names_are_ours() -> None:
    assert SQLAlchemyInstallationStore.default_installations_table_name == "slack_installations"
    assert SQLAlchemyInstallationStore.default_bots_table_name == "slack_bots"
    assert SQLAlchemyOAuthStateStore.default_table_name == "slack_oauth_states"


def installation(team: str, token: str, at: datetime) -> Installation:
    return Installation(app_id="A0STREAK", team_id=team, team_name=f"{team} desk", bot_token=token,
                        bot_id=f"B{team}", bot_user_id=f"U{team}", bot_scopes="commands,chat:write",
                        user_id="U0INSTALLER", installed_at=at.timestamp())


def test_installs_are_saved_found_and_forgotten_per_team(engine: sa.Engine) -> None:
    store = installation_store(CLIENT_ID, engine)
    tokens = TeamTokens(store)
    assert tokens.bot_token("T1") is None
    store.save(installation("T1", "xoxb-one", datetime(2026, 1, 5, 15, tzinfo=UTC)))
    store.save(installation("T2", "xoxb-two", datetime(2026, 1, 5, 16, tzinfo=UTC)))
    # A reinstall's new token wins (the latest bot of the team).
    store.save(installation("T1", "xoxb-one-again", datetime(2026, 1, 6, 15, tzinfo=UTC)))
    assert (tokens.bot_token("T1"), tokens.bot_token("T2")) == ("xoxb-one-again", "xoxb-two")
    # Another app's installs (another client ID) are not ours.
    assert TeamTokens(installation_store("9999.9999", engine)).bot_token("T1") is None

    tokens.forget("T1")

    assert (tokens.bot_token("T1"), tokens.bot_token("T2")) == (None, "xoxb-two")
    with engine.connect() as conn:
        left = conn.execute(sa.select(tables.slack_installations.c.team_id)).scalars().all()
    assert left == ["T2"]


def test_a_state_is_good_once(engine: sa.Engine) -> None:
    states = state_store(engine, expiration_seconds=600)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False
    assert states.consume("never-issued") is False


def test_an_expired_state_is_refused(engine: sa.Engine) -> None:
    states = state_store(engine, expiration_seconds=-1)  # expired as soon as issued
    assert states.consume(states.issue()) is False
