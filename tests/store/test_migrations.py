"""Alembic owns the schema: upgrade from empty, adoption of a pre-migrations store, no
drift between the models and the migrations, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from collections.abc import Iterator
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import sqlite_url
from store_before_migrations import ROWS, create_legacy_store, rows

from bot.store import tables
from bot.store.db import make_engine, metadata, open_engine
from bot.store.schema import (
    BASELINE_REVISION,
    BASELINE_TABLES,
    HEAD_REVISION,
    SchemaError,
    alembic_config,
    current_revision,
    ensure_schema,
    upgrade,
)

# The baseline tables and those later migrations add.
ALL_TABLES = {*BASELINE_TABLES, "instruments", "alert_channels", "alert_posts", "alembic_version",
              *(t.name for t in tables.SLACK_OAUTH_TABLES)}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store: a new SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    return sqlite_url(tmp_path / "store.sqlite3")


@pytest.fixture
def bare(store_url: str) -> Iterator[sa.Engine]:
    """An engine on the empty store that leaves its schema alone."""
    engine = open_engine(store_url)
    yield engine
    engine.dispose()


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def schema_diff(engine: sa.Engine, target: sa.MetaData = metadata) -> list[object]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), target))


def alembic_check(engine: sa.Engine) -> None:
    """``alembic check`` over this engine: raises when autogenerate finds a difference."""
    with engine.begin() as conn:
        command.check(alembic_config(conn))


# --------------------------------------------------------------------------- revisions
def test_head_constant_is_alembics_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD_REVISION]
    assert scripts.get_bases() == [BASELINE_REVISION]


# --------------------------------------------------------------------------- from empty
def test_upgrade_from_empty_creates_every_table(bare: sa.Engine) -> None:
    assert current_revision(bare) is None
    assert table_names(bare) == set()

    assert ensure_schema(bare) == HEAD_REVISION

    assert current_revision(bare) == HEAD_REVISION
    assert table_names(bare) == ALL_TABLES
    with bare.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [HEAD_REVISION]


@pytest.mark.postgres
def test_version_table_lands_in_the_connections_schema(pg_url: str) -> None:
    engine = open_engine(pg_url)
    try:
        ensure_schema(engine)
        with engine.connect() as conn:
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
            found = set(conn.execute(sa.text(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = 'alembic_version'"
            )).scalars())
    finally:
        engine.dispose()
    assert schema.startswith("t_")
    # Other runs may have their own schemas on this server: only ours and never public.
    assert schema in found
    assert "public" not in found


def test_make_engine_brings_an_empty_store_to_head(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        assert current_revision(engine) == HEAD_REVISION
        assert table_names(engine) == ALL_TABLES
    finally:
        engine.dispose()


def test_upgrade_at_head_changes_nothing(bare: sa.Engine) -> None:
    ensure_schema(bare)
    with bare.begin() as conn:
        conn.execute(tables.seen_events.insert(), ROWS["seen_events"])
    assert upgrade(bare) == HEAD_REVISION
    assert ensure_schema(bare) == HEAD_REVISION
    with bare.connect() as conn:
        assert conn.execute(sa.select(tables.seen_events.c.event_id)).scalars().all() == ["Ev0ABC"]


def _migrate_when_released(url: str, start: Barrier, out: Queue[str]) -> None:
    """One process's start-up on a shared store (run in a spawned process)."""
    engine = open_engine(url)
    start.wait()
    try:
        out.put(ensure_schema(engine))
    except Exception as exc:
        out.put(f"{type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


@pytest.mark.e2e
def test_two_processes_upgrading_at_once_migrate_once(store_url: str) -> None:
    """A web and a clock process start together on an empty store: both come up at head.

    Processes, not threads: Alembic's ``context``/``op`` are process-wide globals."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    out: Queue[str] = ctx.Queue()
    procs = [ctx.Process(target=_migrate_when_released, args=(store_url, start, out)) for _ in range(2)]
    for p in procs:
        p.start()
    results = sorted(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert results == [HEAD_REVISION, HEAD_REVISION]
    engine = open_engine(store_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        assert table_names(engine) == ALL_TABLES
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- adoption
def test_store_made_before_migrations_is_adopted_without_data_loss(store_url: str, bare: sa.Engine) -> None:
    create_legacy_store(bare)
    before = rows(bare)
    assert before == ROWS  # the snapshot round-trips, so the comparison below means something
    assert current_revision(bare) is None

    engine = make_engine(store_url)  # what every command does on first use
    try:
        assert current_revision(engine) == HEAD_REVISION
        assert table_names(engine) == ALL_TABLES
        assert rows(engine) == before
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_adopted_store_keeps_working(bare: sa.Engine) -> None:
    """After adoption the autoincrement of posts and the unique claim key still hold."""
    create_legacy_store(bare)
    ensure_schema(bare)
    post = {**ROWS["posts"][0], "session": ROWS["posts"][0]["session"].replace(day=30)}
    del post["id"]
    with bare.begin() as conn:
        new_id = conn.execute(tables.posts.insert().returning(tables.posts.c.id), post).scalar_one()
    assert new_id == 2
    with pytest.raises(sa.exc.IntegrityError), bare.begin() as conn:
        conn.execute(tables.posts.insert(), post)


def test_partly_present_tables_are_refused_untouched(bare: sa.Engine) -> None:
    create_legacy_store(bare, tables=("bars", "series"))
    with pytest.raises(SchemaError) as err:
        ensure_schema(bare)
    message = str(err.value)
    assert "\n" not in message
    assert "not posts, seen_events, subscriptions" in message
    assert table_names(bare) == {"bars", "series"}
    with bare.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM bars")).scalar_one() == len(ROWS["bars"])


def test_unknown_revision_is_refused_in_one_line(bare: sa.Engine) -> None:
    ensure_schema(bare)
    with bare.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099_future'"))
    with pytest.raises(SchemaError) as err:
        ensure_schema(bare)
    message = str(err.value)
    assert "\n" not in message
    assert "0099_future" in message
    assert "newer streakbot" in message
    assert current_revision(bare) == "0099_future"


# --------------------------------------------------------------------------- alembic check
def test_models_and_migrations_agree(bare: sa.Engine) -> None:
    """``alembic check``: autogenerate finds nothing between the models and head."""
    ensure_schema(bare)
    assert schema_diff(bare) == []
    alembic_check(bare)


def test_check_sees_a_model_change(bare: sa.Engine) -> None:
    """The check above can fail: a column in the models but not in the migrations."""
    ensure_schema(bare)
    changed = sa.MetaData()
    for table in metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["subscriptions"].append_column(sa.Column("muted", sa.Boolean))
    diff = schema_diff(bare, changed)
    assert [(d[0], d[2], d[3].name) for d in diff] == [("add_column", "subscriptions", "muted")]  # type: ignore[index]


# --------------------------------------------------------------------------- hot path
_PROBE = (
    "import json, sys; from bot.store.db import make_engine; make_engine(sys.argv[1]); "
    "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')))"
)


def _alembic_modules_after_make_engine(url: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, url], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    loaded: list[str] = json.loads(out)
    return loaded


@pytest.mark.e2e
def test_a_store_at_head_opens_without_importing_alembic(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "hot.sqlite3")
    assert _alembic_modules_after_make_engine(url) == []  # a new store is built at head
    assert _alembic_modules_after_make_engine(url) == []  # at head: one SELECT, no Alembic
    old = sqlite_url(tmp_path / "old.sqlite3")
    engine = open_engine(old)
    create_legacy_store(engine)
    engine.dispose()
    assert "alembic.command" in _alembic_modules_after_make_engine(old)  # an older store migrates


def _schema(engine: sa.Engine) -> dict[str, object]:
    """Every table's columns, keys, indexes and constraints as the database reports them."""
    insp = sa.inspect(engine)
    out: dict[str, object] = {}
    for name in sorted(insp.get_table_names()):
        out[name] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
                        for c in insp.get_columns(name)],
            "pk": insp.get_pk_constraint(name),
            "indexes": sorted((i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(name)),
            "unique": sorted((u["name"] or "", tuple(u["column_names"])) for u in insp.get_unique_constraints(name)),
            "fks": sorted(str(fk) for fk in insp.get_foreign_keys(name)),
        }
    return out


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_new_store_built_at_head_is_the_schema_the_migrations_make(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """An empty store is built by ``create_all`` plus the stamp; one migrated revision by
    revision from nothing must be the same, table by table (and ``alembic check`` is clean)."""
    if backend == "postgres":
        built_url: str = request.getfixturevalue("pg_url")
        migrated_url: str = request.getfixturevalue("second_pg_url")
    else:
        built_url, migrated_url = sqlite_url(tmp_path / "built.sqlite3"), sqlite_url(tmp_path / "migrated.sqlite3")
    built, migrated = open_engine(built_url), open_engine(migrated_url)
    try:
        assert upgrade(built) == HEAD_REVISION
        with migrated.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        assert _schema(built) == _schema(migrated)
        assert current_revision(built) == current_revision(migrated) == HEAD_REVISION
        alembic_check(built)
        assert schema_diff(built) == []
    finally:
        built.dispose()
        migrated.dispose()
