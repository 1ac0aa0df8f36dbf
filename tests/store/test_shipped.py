"""The ready-made store the package ships: the very store Alembic and seeding make, installed
whole or not at all, once however many first uses race for it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.adapters.manifest import bundled_last_dates
from bot.adapters.summary_cache import shipped_summary_file
from bot.rebuild_store import latest_summary
from bot.store.revision import HEAD_REVISION
from bot.store.shipped import (
    install_shipped_store,
    open_shipped_prices,
    shipped_store_file,
    stored_instant,
)

NOW = datetime(2026, 9, 21, 15, 0, 0, 123456, tzinfo=UTC)
PRAGMAS = ("journal_mode", "user_version", "application_id", "page_size", "encoding", "auto_vacuum")


def schema(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def rows(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def tables(conn: sqlite3.Connection) -> list[str]:
    return sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", "-wal", "-shm", "-journal")))


def test_the_installed_store_is_the_migrated_and_seeded_one(
    tmp_path: Path, seeded_sqlite_template: Path
) -> None:
    """Schema, pragmas, revision and every row as ``alembic upgrade head`` + seeding from the
    bundled files leave them (the conftest template is made that way); ``updated_at`` is
    the install's time, as seeding stamps its own."""
    path = tmp_path / "data" / "streakbot.sqlite3"
    assert install_shipped_store(path, NOW) is True
    made = sqlite3.connect(seeded_sqlite_template)
    got = sqlite3.connect(path)
    stale = "the shipped store is stale: run python -m bot.rebuild_store"
    assert schema(got) == schema(made), stale
    for pragma in PRAGMAS:
        assert got.execute(f"PRAGMA {pragma}").fetchone() == made.execute(f"PRAGMA {pragma}").fetchone()
    assert got.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert rows(got, "alembic_version") == [(HEAD_REVISION,)]
    for table in tables(made):
        if table != "series":
            assert rows(got, table) == rows(made, table), f"{table}: {stale}"
    drop_stamp = "SELECT symbol, source, first_date, last_date, rows FROM series ORDER BY symbol"
    assert got.execute(drop_stamp).fetchall() == made.execute(drop_stamp).fetchall(), stale
    assert {r[0] for r in got.execute("SELECT updated_at FROM series")} == {"2026-09-21 15:00:00.123456"}
    # Facts from the bundled files: GSPC.csv.gz opens 1927-12-30 at 17.66, no volume.
    assert got.execute("SELECT * FROM bars WHERE symbol = '^GSPC' ORDER BY date LIMIT 1").fetchone() == (
        "^GSPC", "1927-12-30", 17.66, 17.66, 17.66, 17.66, None,
    )
    assert got.execute("SELECT count(*) FROM series WHERE source = 'bundled data'").fetchone() == (21,)
    got.close()
    made.close()
    assert leftovers(path.parent) == []


def test_the_stamp_is_utc_as_the_store_keeps_instants() -> None:
    from datetime import timedelta, timezone  # noqa: PLC0415

    ny = datetime(2026, 9, 21, 11, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert stored_instant(ny) == "2026-09-21 15:00:00.000000"


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "streakbot.sqlite3"
    path.write_bytes(b"someone else's store")
    assert install_shipped_store(path, NOW) is False
    assert path.read_bytes() == b"someone else's store"
    assert leftovers(tmp_path) == []


def test_a_shipped_store_at_another_revision_is_not_installed(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(shipped_store_file(), old)
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0004_slack_oauth'")
    conn.close()
    path = tmp_path / "store" / "streakbot.sqlite3"
    assert install_shipped_store(path, NOW, shipped=old) is False
    assert not path.exists()
    assert leftovers(path.parent) == []


def test_no_shipped_store_installs_nothing(tmp_path: Path) -> None:
    path = tmp_path / "streakbot.sqlite3"
    assert install_shipped_store(path, NOW, shipped=tmp_path / "absent.sqlite3") is False
    assert not path.exists()


def test_first_uses_at_once_install_one_store(tmp_path: Path) -> None:
    path = tmp_path / "streakbot.sqlite3"
    start = threading.Barrier(6)
    results: list[bool] = []

    def first_use() -> None:
        start.wait()
        results.append(install_shipped_store(path, NOW))

    threads = [threading.Thread(target=first_use) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM series").fetchone() == (21,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fail_at", ["copyfile", "link"])
def test_an_interrupted_install_leaves_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    """A full disk half-way through the copy, or Ctrl-C just before the store appears."""
    path = tmp_path / "streakbot.sqlite3"
    if fail_at == "copyfile":
        def half_copy(src: Path, dst: Path) -> None:
            dst.write_bytes(Path(src).read_bytes()[: 1 << 20])
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("bot.store.shipped.shutil.copyfile", half_copy)
        with pytest.raises(OSError, match="No space"):
            install_shipped_store(path, NOW)
    else:
        def interrupted(src: Path, dst: Path) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr("bot.store.shipped.os.link", interrupted)
        with pytest.raises(KeyboardInterrupt):
            install_shipped_store(path, NOW)
    assert not path.exists()
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    assert install_shipped_store(path, NOW) is True  # the next first use installs it


@pytest.mark.e2e
def test_a_killed_install_leaves_no_store(tmp_path: Path) -> None:
    """The process dies (SIGKILL: no clean-up runs) with the copy made but not yet in place."""
    path = tmp_path / "streakbot.sqlite3"
    script = (
        "import os, signal, sys\n"
        "from datetime import UTC, datetime\n"
        "from pathlib import Path\n"
        "from bot.store import shipped\n"
        "shipped._stamp = lambda tmp, now: os.kill(os.getpid(), signal.SIGKILL)\n"
        "shipped.install_shipped_store(Path(sys.argv[1]), datetime.now(UTC))\n"
    )
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", script, str(path)], cwd=repo, check=False)
    assert proc.returncode == -9
    assert not path.exists()
    (abandoned,) = tmp_path.glob(".streakbot.sqlite3.*.tmp")  # the killed process's copy
    os.utime(abandoned, (NOW.timestamp() - 7200, NOW.timestamp() - 7200))
    fresh = tmp_path / ".streakbot.sqlite3.another.tmp"  # another first use, still copying
    fresh.write_bytes(b"")
    os.utime(fresh, (NOW.timestamp() - 60, NOW.timestamp() - 60))
    assert install_shipped_store(path, NOW) is True
    assert not abandoned.exists() and fresh.exists()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM series").fetchone() == (21,)
    conn.close()


def test_the_shipped_rows_are_read_only_when_they_hold_the_bundle(tmp_path: Path) -> None:
    last = bundled_last_dates()
    reader = open_shipped_prices(last)
    assert reader is not None
    assert reader.name == "bundled data"
    assert len(reader.symbols()) == 21
    rut = reader.bars(["^RUT"], start=date(2026, 9, 16))["^RUT"]
    assert [d.date() for d in rut.index] == [date(2026, 9, 16), date(2026, 9, 17)]
    reader.close()
    behind = {**last, "^RUT": date(2026, 9, 18)}  # a newer bundle than the shipped store
    assert open_shipped_prices(behind) is None
    assert open_shipped_prices(last, shipped=tmp_path / "absent.sqlite3") is None
    assert sorted(p.name for p in shipped_store_file().parent.iterdir() if "store.sqlite3" in p.name) == [
        "store.sqlite3"  # immutable: no -wal or -shm file beside the package's copy
    ]


def test_the_shipped_summary_is_the_shipped_stores_latest_summary() -> None:
    """What installing the store keeps as the first ``leaders`` summary is what this code
    computes from that store (so a new wording or new data means a rebuild)."""
    shipped = shipped_summary_file().read_text(encoding="utf-8")
    assert shipped == latest_summary(shipped_store_file()), "the shipped summary is stale: run python -m bot.rebuild_store"
    assert shipped.splitlines()[1].startswith("Closes on Thu, Sep 17, 2026: the S&P 500 +1.14% to 7,637.76")
