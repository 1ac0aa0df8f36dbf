"""The light start of ``streak``/``records`` answers byte for byte like the full start.

The light start (bot.oneshot: sqlite3 reads, cached calendar arrays, no pandas) and the
full one (bootstrap: SQLAlchemy, pydantic, pandas) share bot.services.answers; these tests run
both over the same seeded store, clock and calendar on many real questions, so the two
can never drift apart.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from conftest import NOW, MakeServices, sqlite_url
from isolation import subprocess_env
from pydantic import SecretStr

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource
from bot.adapters.summary_cache import shipped_summary_file
from bot.cli import (
    LIGHT_COMMANDS,
    _fail,
    build_parser,
    main,
    print_leaders_light,
    print_records,
    print_streak,
    run_light,
)
from bot.domain.errors import ConfigError, UserError
from bot.oneshot import VALIDATED_SETTINGS, open_ready_store, settings_values, sqlite_store_path
from bot.services.market import Market
from bot.settings import Settings
from bot.store.db import make_engine
from bot.store.prices import PriceStore

STREAK_CASES = [
    "RUT SPX",
    "SPX RUT",
    "SPX",
    "RUT",
    "VIX",
    "NDX DJIA",
    "IWM SPY",
    "RSP SPY",
    "XLK XLE",
    "XLC XLRE",
    "COMP NDX",
    "RUT SPX --as-of 2026-01-22",
    "RUT SPX --as-of 2026-01-24",  # a Saturday: the Friday before
    "SPX RUT --as-of 1996-05-07",
    "RUT SPX --as-of 1987-09-10",  # the first common session: status "start"
    "RUT SPX --as-of 1987-09-11",
    "NDX DJIA --as-of 2020-03-16",
    "SPX --as-of 1950-06-01",  # before the calendar is trusted: no session grid
    "SPX --as-of 1927-12-30",
    "VIX --as-of 2018-02-05",
    "COMP --as-of 1987-10-19",
    "XLRE XLB --as-of 2016-01-04",
]
RECORDS_CASES = [
    "SPX",
    "RUT",
    "NDX",
    "DJIA",
    "COMP",
    "VIX",
    "SPX --as-of 2026-08-13",
    "RUT --as-of 2025-09-18",
    "RUT --year 2021",
    "DJIA --year 1999 --as-of 2000-06-30",
    "COMP --as-of 1971-02-05",
    "COMP --as-of 1971-02-08",
    "VIX --as-of 2020-03-16",
    "SPX --year 1929",
]
ERROR_CASES = [
    "streak SXP RUT",  # a scrambled alias: suggestions on both starts (a new ticker takes the full one)
    "streak SPX SPX",
    "streak RUT SPX --as-of 1980-01-01",
    "streak RUT SPX --as-of 2030-01-01",
    "records SPY",
    "records NDX --year 1900",
    "records SPX --year 2030",
    "records SPX --year 2027 --as-of 2026-01-05",
]


def _full(tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices, argv: list[str]
          ) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    svc = make_services(tmp_path, calendar)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv, services=svc)
    return status, out.getvalue(), err.getvalue()


def _light(store: Path, argv: list[str]) -> tuple[int, str, str]:
    """The light start's answer over ``store`` at :data:`NOW` (errors as main prints them)."""

    args = build_parser().parse_args(argv)
    reader = open_ready_store(store)
    assert reader is not None, "the seeded store must be ready for the light start"
    market = Market(reader, NyseCalendar(start="1970-01-01", end="2027-12-31"), origin=reader.origin)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = LIGHT_COMMANDS[args.command](market, NOW, args)
        except (ValueError, ConfigError) as exc:  # UsageError/InputError, as main maps them
            status = _fail(2, str(exc), exc, verbose=False)
        finally:
            reader.close()
    return status, out.getvalue(), err.getvalue()


def _argvs() -> list[list[str]]:
    out: list[list[str]] = []
    for case in STREAK_CASES:
        out += [["streak", *case.split()], ["streak", *case.split(), "--json"]]
    for case in RECORDS_CASES:
        out += [["records", *case.split()], ["records", *case.split(), "--json"]]
    out += [c.split() for c in ERROR_CASES]
    return out


def test_light_start_answers_exactly_like_the_full_start(
    tmp_path: Path, seeded_db: Path, calendar: NyseCalendar, make_services: MakeServices
) -> None:
    # The functions both starts print through (always true: the assert pins the import).
    assert print_streak and print_records  # type: ignore[truthy-function]
    compared = 0
    for argv in _argvs():
        full = _full(tmp_path, calendar, make_services, argv)
        light = _light(seeded_db, argv)
        assert light == full, argv
        compared += 1
        if argv[0] != "records" or "SPY" not in argv:
            assert full[1] or full[2]
    assert compared == 2 * (len(STREAK_CASES) + len(RECORDS_CASES)) + len(ERROR_CASES)


def test_check_on_the_light_start_answers_like_the_full_start(
    tmp_path: Path, seeded_db: Path, calendar: NyseCalendar, make_services: MakeServices
) -> None:
    note = ("The Russell 2000 has outperformed the S&P 500 for 14 consecutive days, the longest streak "
            "since 1996, and closed at its eighth record high of 2026. The Dow added 306.78 points.")
    assert "check" in LIGHT_COMMANDS
    for argv in (["check", "--as-of", "2026-01-22", note], ["check", "--as-of", "2026-01-22", "--json", note]):
        full = _full(tmp_path, calendar, make_services, argv)
        assert _light(seeded_db, argv) == full, argv
        assert full[1] or full[2]


def test_a_new_ticker_takes_the_full_start(seeded_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the full start can fetch a ticker the store lacks from Yahoo."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url(seeded_db))
    assert run_light(build_parser().parse_args(["streak", "RUT", "SPX"])) == 0  # the store is ready
    assert run_light(build_parser().parse_args(["streak", "NVDA", "SPX"])) is None
    assert run_light(build_parser().parse_args(["records", "NVDA"])) is None


def test_light_start_reports_gaps_like_the_full_start(
    tmp_path: Path, seeded_db: Path, calendar: NyseCalendar, make_services: MakeServices
) -> None:
    """A session deleted from one series is a gap for both starts, in text and JSON."""

    with sqlite3.connect(seeded_db) as conn:
        conn.execute("DELETE FROM bars WHERE symbol = '^RUT' AND date IN ('2026-01-14', '2025-06-02')")
    for argv in (["streak", "RUT", "SPX", "--as-of", "2026-01-22"],
                 ["streak", "RUT", "SPX", "--as-of", "2026-01-22", "--json"],
                 ["streak", "RUT", "--as-of", "2026-01-15", "--json"],
                 ["streak", "SPX", "RUT", "--as-of", "2025-07-01"]):
        full = _full(tmp_path, calendar, make_services, argv)
        assert _light(seeded_db, argv) == full, argv
    assert "gap" in _light(seeded_db, ["streak", "RUT", "SPX", "--as-of", "2026-01-22"])[1]


def _run(home: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    probe = (
        "import sys\n"
        "from bot.cli import main\n"
        f"status = main({list(argv)!r})\n"
        "heavy = [m for m in ('pandas', 'sqlalchemy', 'pydantic', 'exchange_calendars') if m in sys.modules]\n"
        "print('heavy:', ','.join(heavy), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    return subprocess.run([sys.executable, "-c", probe], env=subprocess_env(home), cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.e2e
def test_a_ready_store_is_answered_without_heavy_imports(tmp_path: Path, seeded_db: Path) -> None:
    home = tmp_path / "home"
    store = home / ".local" / "share" / "streakbot" / "streakbot.sqlite3"
    store.parent.mkdir(parents=True)
    store.write_bytes(seeded_db.read_bytes())
    first = _run(home, "streak", "RUT", "SPX", "--as-of", "2026-01-22", cwd=tmp_path)
    # The first run builds the calendar cache (exchange_calendars), later ones read it.
    second = _run(home, "streak", "RUT", "SPX", "--as-of", "2026-01-22", cwd=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert second.stdout == first.stdout
    assert second.stdout.startswith("The Russell 2000 has outperformed the S&P 500 for 14 straight sessions")
    assert second.stderr.strip() == "heavy:"
    records = _run(home, "records", "SPX", "--as-of", "2026-08-13", "--json", cwd=tmp_path)
    assert records.returncode == 0 and '"count": 27' in records.stdout
    assert records.stderr.strip() == "heavy:"
    # -v keeps the full start (its log lines come from there).
    verbose = _run(home, "-v", "streak", "RUT", "SPX", "--as-of", "2026-01-22", cwd=tmp_path)
    assert verbose.stdout == first.stdout and "sqlalchemy" in verbose.stderr


STORE = Path(".local") / "share" / "streakbot" / "streakbot.sqlite3"  # under HOME


@pytest.mark.e2e
def test_a_first_use_installs_the_shipped_store_and_answers_light(tmp_path: Path) -> None:
    """An empty HOME: the store is installed and the answer comes from the light start, as
    the full start (-v) gives it on its own first use."""
    argv = ("streak", "RUT", "SPX", "--as-of", "2026-01-22")
    first = _run(tmp_path / "home", *argv, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr.strip() == "heavy:"
    assert first.stdout.startswith("The Russell 2000 has outperformed the S&P 500 for 14 straight sessions")
    assert (tmp_path / "home" / STORE).is_file()
    assert _run(tmp_path / "home", *argv, cwd=tmp_path).stdout == first.stdout
    full = _run(tmp_path / "home-full", "-v", *argv, cwd=tmp_path)
    assert full.returncode == 0 and "sqlalchemy" in full.stderr
    assert full.stdout == first.stdout
    with sqlite3.connect(tmp_path / "home-full" / STORE) as conn:
        assert conn.execute("SELECT count(*), min(source) FROM series").fetchone() == (21, "bundled data")
    conn.close()


@pytest.mark.e2e
def test_first_uses_at_once_share_one_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    probe = "import sys\nfrom bot.cli import main\nsys.exit(main(['streak', 'RUT', 'SPX', '--as-of', '2026-01-22']))\n"
    procs = [subprocess.Popen([sys.executable, "-c", probe], env=subprocess_env(home), cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert len({out for out, _ in outs}) == 1
    assert outs[0][0].startswith("The Russell 2000 has outperformed the S&P 500 for 14 straight sessions")
    folder = (home / STORE).parent
    assert sorted(p.name for p in folder.iterdir()) == ["streakbot.sqlite3"]
    with sqlite3.connect(home / STORE) as conn:
        assert conn.execute("SELECT count(*) FROM series").fetchone() == (21,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


@pytest.mark.e2e
def test_validated_settings_take_the_full_start(tmp_path: Path, seeded_db: Path) -> None:
    """PORT=abc is refused by pydantic (exit 2) whichever command runs, as before."""
    home = tmp_path / "home"
    store = home / ".local" / "share" / "streakbot" / "streakbot.sqlite3"
    store.parent.mkdir(parents=True)
    store.write_bytes(seeded_db.read_bytes())
    (tmp_path / ".env").write_text("PORT=abc\n")
    bad = _run(home, "streak", "RUT", "SPX", cwd=tmp_path)
    assert bad.returncode == 2
    assert "PORT must be a whole number from 1 to 65535, got 'abc'" in bad.stderr


def test_settings_values_follow_pydantic_settings(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DATABASE_URL=sqlite:///from-file.db\nstreakbot_offline=1\nPORT=\n")
    values = settings_values({"database_url": "sqlite:///from-env.db"}, env_file)
    assert values == {"DATABASE_URL": "sqlite:///from-env.db", "STREAKBOT_OFFLINE": "1"}
    assert sqlite_store_path(values) is None  # STREAKBOT_OFFLINE is for pydantic to check
    assert sqlite_store_path({"DATABASE_URL": "sqlite:///x/y.db"}) == Path("x/y.db")
    assert sqlite_store_path({"DATABASE_URL": "sqlite:////abs/y.db"}) == Path("/abs/y.db")
    assert sqlite_store_path({"DATABASE_URL": "postgresql://u@h/db"}) is None
    assert sqlite_store_path({"DATABASE_URL": "sqlite:///y.db?mode=ro"}) is None
    assert sqlite_store_path({"DATABASE_URL": "sqlite://"}) is None
    default = sqlite_store_path({})
    assert default is not None and default.name == "streakbot.sqlite3"
    assert "STREAKBOT_DATA_DIR" in VALIDATED_SETTINGS


def test_every_setting_pydantic_converts_takes_the_full_start() -> None:
    """Read from the settings model: a new number, flag or path field must be listed, or a
    bad value of it would be answered on the light start instead of refused."""
    converted = {
        (f.alias or name).upper()
        for name, f in Settings.model_fields.items()
        if f.annotation not in (str, SecretStr | None, str | None)
    }
    assert converted == VALIDATED_SETTINGS


@pytest.mark.parametrize("state", ["missing", "empty", "unmigrated", "unseeded"])
def test_a_store_that_is_not_ready_takes_the_full_start(tmp_path: Path, state: str) -> None:
    path = tmp_path / "s.sqlite3"
    if state == "empty":
        path.write_bytes(b"")
    elif state == "unmigrated":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE series (symbol TEXT)")
            conn.execute("INSERT INTO series VALUES ('^GSPC')")
    elif state == "unseeded":
        make_engine(sqlite_url(path)).dispose()
    assert open_ready_store(path) is None


def _store_reads_agree(url: str) -> None:
    engine = make_engine(url)
    try:
        store = PriceStore(engine)
        source = BundledSource()
        store.write_many(source.bars(["^RUT", "XLC"]), source.name)
        for sym in ("^RUT", "XLC"):
            got = store.close_days(sym)
            assert got is not None
            closes = store.bars([sym])[sym]["close"].dropna()
            assert np.array_equal(got[0], closes.index.to_numpy().astype("datetime64[D]"))
            assert np.array_equal(got[1], closes.to_numpy())
        assert store.close_days("^NOPE") is None
    finally:
        engine.dispose()


def test_price_store_array_reads_match_its_bars_on_sqlite(tmp_path: Path) -> None:
    _store_reads_agree(sqlite_url(tmp_path / "r.sqlite3"))


@pytest.mark.postgres
def test_price_store_array_reads_match_its_bars_on_postgres(pg_url: str) -> None:
    _store_reads_agree(pg_url)


def test_a_store_behind_the_bundle_takes_the_full_start(seeded_db: Path) -> None:
    """A store an older release seeded must be topped up (full start) before answering."""

    reader = open_ready_store(seeded_db)
    assert reader is not None
    reader.close()
    with sqlite3.connect(seeded_db) as conn:
        conn.execute("UPDATE series SET last_date = '2025-12-31' WHERE symbol = '^GSPC'")
    assert open_ready_store(seeded_db) is None
    with sqlite3.connect(seeded_db) as conn:  # the same dates, written by Yahoo: not the bundle's
        conn.execute("UPDATE series SET source = 'Yahoo Finance'")
    reader = open_ready_store(seeded_db)
    assert reader is not None
    reader.close()


@pytest.mark.e2e
def test_leaders_is_computed_once_per_data_version_then_printed_without_heavy_imports(
    tmp_path: Path, seeded_db: Path
) -> None:
    home = tmp_path / "home"
    store = home / ".local" / "share" / "streakbot" / "streakbot.sqlite3"
    store.parent.mkdir(parents=True)
    store.write_bytes(seeded_db.read_bytes())
    computed = _run(home, "leaders", "--session", "2026-01-22", cwd=tmp_path)
    kept = _run(home, "leaders", "--session", "2026-01-22", cwd=tmp_path)
    assert computed.returncode == kept.returncode == 0, computed.stderr + kept.stderr
    # Computed on the light start (pandas for the summary, no SQLAlchemy or pydantic), then kept.
    assert computed.stderr.strip() == "heavy: pandas" and kept.stderr.strip() == "heavy:"
    assert kept.stdout == computed.stdout
    assert kept.stdout.startswith("Small caps extended their run: the Russell 2000 beat the S&P 500 for a 14th")
    # Another session is another text: computed, not taken from the first.
    other = _run(home, "leaders", "--session", "2026-01-23", cwd=tmp_path)
    assert "pandas" in other.stderr and other.stdout != computed.stdout
    # New prices (an update rewrote the Russell's Jan 22 close): computed again, with them.
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE bars SET close = 2700.0 WHERE symbol = '^RUT' AND date = '2026-01-22'")
        conn.execute("UPDATE series SET updated_at = '2026-12-01 21:00:00.000000' WHERE symbol = '^RUT'")
    changed = _run(home, "leaders", "--session", "2026-01-22", cwd=tmp_path)
    assert "pandas" in changed.stderr
    assert "and the Russell 2000 +0.07% to 2,700.00." in changed.stdout  # 2700 / 2698.17 - 1 = +0.068%
    assert _run(home, "leaders", "--session", "2026-01-22", cwd=tmp_path).stdout == changed.stdout
    # A session it cannot describe is the full start's one-line error, never kept.
    bad = _run(home, "leaders", "--session", "2026-01-24", cwd=tmp_path)
    assert bad.returncode == 2 and "not an NYSE session" in bad.stderr


@pytest.mark.parametrize("session", [None, "2026-01-22", "2026-01-16", "2025-11-28", "2025-12-31", "2020-03-16",
                                     "2026-01-24"])
def test_leaders_on_the_light_start_prints_what_the_full_start_prints(
    tmp_path: Path, seeded_db: Path, calendar: NyseCalendar, make_services: MakeServices, session: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # nothing kept yet: computed here
    argv = ["leaders"] + ([] if session is None else ["--session", session])
    full = _full(tmp_path, calendar, make_services, argv)
    reader = open_ready_store(seeded_db)
    assert reader is not None
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = print_leaders_light(
                    Market(reader, NyseCalendar(start="1970-01-01", end="2027-12-31"), origin=reader.origin),
                    reader, NOW, None if session is None else date.fromisoformat(session))
            except UserError as exc:
                status = _fail(2, str(exc), exc, verbose=False)
    finally:
        reader.close()
    assert (status, out.getvalue(), err.getvalue()) == full
    assert full[1] or full[2]
    kept = list((tmp_path / "cache").rglob("*.txt"))
    assert len(kept) == (0 if status else 1)  # an error is never kept


def test_a_kept_summary_gets_the_note_of_the_day_it_is_printed(
    tmp_path: Path, seeded_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary is kept without its "data as of" note: printed on a later day, the
    note names that day's latest session, above the same summary."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    reader = open_ready_store(seeded_db)
    assert reader is not None
    market = Market(reader, NyseCalendar(start="1970-01-01", end="2027-12-31"), origin=reader.origin)
    outs = []
    try:
        for now in (NOW, datetime(2026, 12, 3, 22, 0, tzinfo=UTC), datetime(2026, 12, 4, 14, 0, tzinfo=UTC)):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert print_leaders_light(market, reader, now, None) == 0
            outs.append(out.getvalue())
    finally:
        reader.close()
    notes = [o.split("\n\n", 1)[0] for o in outs]
    assert notes == [
        "Data as of Sep 17, 2026: the latest NYSE session (Sep 18, 2026) is not in the data yet.",
        "Data as of Sep 17, 2026: the latest NYSE session (Dec 3, 2026) is not in the data yet.",
        "Data as of Sep 17, 2026: the latest NYSE session (Dec 3, 2026) is not in the data yet.",  # before the open
    ]
    assert len({o.split("\n\n", 1)[1] for o in outs}) == 1
    assert len(list((tmp_path / "cache").rglob("*.txt"))) == 1


@pytest.mark.e2e
def test_the_first_leaders_in_a_new_home_prints_the_shipped_summary_without_pandas(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = _run(home, "leaders", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr.strip() == "heavy:"  # installed with the store: nothing computed
    note, body = first.stdout.split("\n\n", 1)
    assert note.startswith("Data as of Sep 17, 2026: the latest NYSE session (")
    assert body == shipped_summary_file().read_text(encoding="utf-8") + "\n"
    shutil.rmtree(home / ".cache")  # nothing kept: computed, the same text
    computed = _run(home, "leaders", cwd=tmp_path)
    assert computed.stderr.strip() == "heavy: pandas" and computed.stdout == first.stdout
