"""One writer at a time on SQLite: ``exclusive`` holds the write lock from its start, so
first uses seeding one empty store at once seed it once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import sqlite_url
from isolation import subprocess_env

from bot.store.db import make_engine
from bot.store.locking import exclusive


def test_exclusive_holds_the_sqlite_write_lock_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    engine = make_engine(sqlite_url(path))
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with exclusive(engine) as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM series").scalar_one() == 0
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # a second writer cannot start
        other.execute("BEGIN IMMEDIATE")  # and can once the first is done
        other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


@pytest.mark.e2e
def test_full_starts_seeding_one_empty_store_at_once_all_answer(tmp_path: Path) -> None:
    """Three ``-v`` (full) starts on an empty, migrated store: one seeds, the others wait
    and read it (before, two of them failed on the primary key)."""
    path = tmp_path / "empty.sqlite3"
    make_engine(sqlite_url(path)).dispose()
    env = subprocess_env(tmp_path / "home", {"DATABASE_URL": sqlite_url(path)})
    probe = "import sys\nfrom bot.cli import main\nsys.exit(main(['-v', 'streak', 'RUT', 'SPX', '--as-of', '2026-01-22']))\n"
    procs = [subprocess.Popen([sys.executable, "-c", probe], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-500:] for _, err in outs]
    assert len({out for out, _ in outs}) == 1
    assert outs[0][0].startswith("The Russell 2000 has outperformed the S&P 500 for 14 straight sessions")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM bars").fetchone() == (171929,)
    conn.close()
