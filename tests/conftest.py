"""Shared fixtures: one NYSE calendar, a seeded SQLite template, fakes, PostgreSQL schemas.

Nothing here touches the network: the fetcher is always a :class:`FakeFetcher` (or a
``YahooSource`` with an injected downloader in the tests themselves).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import yfinance
from fakeslack import FakeSlack
from isolation import is_machine_specific
from pgschema import admin_engine, fresh_schema
from slack_stack import make_data_dir
from yfinance.data import SingletonMeta, YfData

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import COLUMNS, BundledSource, DataSourceError
from bot.bootstrap import Services, bootstrap
from bot.services.seeding import ensure_seeded
from bot.settings import Settings
from bot.store.db import make_engine
from bot.store.prices import PriceStore

# A fixed "now" for the bundled data: Monday 2026-09-21 15:00 UTC (11:00 in New York),
# so the last completed NYSE session is Friday 2026-09-18 and the S&P 500 and Russell
# 2000 (ending Thursday 2026-09-17) are one session stale.
NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)




# --------------------------------------------------------------------------- fakes
class FakeFetcher:
    """A network-free :class:`~bot.adapters.sources.PriceSource` standing in for Yahoo.

    ``bars`` returns the canned frames (from ``start`` on, like a real source) or raises
    ``error``; every call is recorded in ``calls`` as ``(tuple(symbols), start)``.
    """

    name = "Yahoo Finance"

    def __init__(
        self,
        frames: Mapping[str, pd.DataFrame] | None = None,
        *,
        error: DataSourceError | None = None,
    ) -> None:
        self.frames = dict(frames or {})
        self.error = error
        self.calls: list[tuple[tuple[str, ...], date | None]] = []

    def symbols(self) -> list[str]:
        return []

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        self.calls.append((tuple(symbols), start))
        if self.error is not None:
            raise self.error
        out: dict[str, pd.DataFrame] = {}
        for sym in symbols:
            df = self.frames.get(sym)
            if df is None:
                continue
            out[sym] = df if start is None else df[df.index >= pd.Timestamp(start)]
        return out


def bars_frame(closes: Mapping[str, float], **extra: Mapping[str, float]) -> pd.DataFrame:
    """Standard bars from ``{"2025-12-22": 100.0, ...}``; other columns NaN unless given."""
    idx = pd.DatetimeIndex([pd.Timestamp(d) for d in closes], name="date").as_unit("ns")
    data = {c: [float("nan")] * len(idx) for c in COLUMNS}
    data["close"] = [float(v) for v in closes.values()]
    for col, values in extra.items():
        data[col] = [float(values.get(d, float("nan"))) for d in closes]
    return pd.DataFrame(data, index=idx).astype("float64")


# --------------------------------------------------------------------------- environment
@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No proxies (nothing may leave the machine), no settings from the shell, no ``.env``.

    Every ``SLACK_*``, ``STREAKBOT_*``, ``XDG_*``, ``DATABASE_URL`` and ``PORT`` variable is
    removed, HOME is an empty folder (the default SQLite store and any cache land there),
    and the working folder is an empty one, so a developer's ``.env`` is never read.
    """
    for name in list(os.environ):
        if is_machine_specific(name):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session", autouse=True)
def yf_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """yfinance's timezone and cookie caches (SQLite files), away from the real HOME.

    yfinance binds its cache files on first use in a process, so the folder is set once,
    before any test can touch yfinance (whatever order the tests run in).
    """
    folder = tmp_path_factory.mktemp("yfinance-cache")
    yfinance.set_tz_cache_location(str(folder))
    return folder


@pytest.fixture(autouse=True)
def _fresh_yfinance() -> Iterator[None]:
    """Each test starts like a new process: yfinance keeps its session, crumb and cookie
    strategy in a process-wide singleton."""
    SingletonMeta._instances.pop(YfData, None)
    yield
    SingletonMeta._instances.pop(YfData, None)


@pytest.fixture(scope="session")
def calendar() -> NyseCalendar:
    """One XNYS calendar for the whole session (building it takes a couple of seconds)."""
    return NyseCalendar(start="1970-01-01", end="2027-12-31")


# --------------------------------------------------------------------------- SQLite
def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file seeded once with all the bundled data (seeding takes seconds)."""
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
    engine = make_engine(sqlite_url(path))
    store = PriceStore(engine)
    ensure_seeded(store, BundledSource())
    assert not store.is_empty()
    # WAL mode: fold the log into the main file so a plain file copy is complete.
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


@pytest.fixture
def seeded_db(tmp_path: Path, seeded_sqlite_template: Path) -> Path:
    """A private copy of the seeded store at ``tmp_path/t.sqlite3`` (what make_services uses)."""
    dest = tmp_path / "t.sqlite3"
    shutil.copy(seeded_sqlite_template, dest)
    return dest


MakeServices = Callable[..., Services]


@pytest.fixture
def make_services() -> MakeServices:
    """Factory: ``make_services(tmp_path, calendar, *, data_dir=None, fetcher=None, now=NOW)``.

    The store is ``tmp_path/t.sqlite3`` (copy ``seeded_db`` there first for the bundled
    data; otherwise the first use seeds it, which is slow). Without ``fetcher`` the
    network source is a FakeFetcher that always fails: no test can reach Yahoo.
    """

    def factory(
        tmp_path: Path,
        calendar: NyseCalendar,
        *,
        data_dir: Path | None = None,
        fetcher: FakeFetcher | None = None,
        now: datetime = NOW,
        offline: bool = False,
    ) -> Services:
        source = fetcher or FakeFetcher(error=DataSourceError("no network in tests"))
        settings = Settings(_env_file=None, data_dir=data_dir, offline=offline)
        return bootstrap(
            settings,
            calendar=calendar,
            clock=lambda: now,
            fetcher_factory=lambda: source,
            engine=make_engine(sqlite_url(tmp_path / "t.sqlite3")),
        )

    return factory


@pytest.fixture
def seeded_services(
    tmp_path: Path, seeded_db: Path, calendar: NyseCalendar, make_services: MakeServices
) -> Services:
    """Services over a private copy of the seeded bundled data, clock at :data:`NOW`."""
    return make_services(tmp_path, calendar)


# --------------------------------------------------------------------------- PostgreSQL
@pytest.fixture
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL whose connections use a fresh schema (dropped afterwards); skips
    when the server is not reachable."""
    try:
        admin = admin_engine()
    except ConnectionError as exc:
        pytest.skip(str(exc))
    try:
        with fresh_schema(admin) as url:
            yield url
    finally:
        admin.dispose()


@pytest.fixture
def second_pg_url(pg_url: str) -> Iterator[str]:
    """Another fresh schema beside ``pg_url``'s (for comparing two stores)."""
    admin = admin_engine()
    try:
        with fresh_schema(admin) as url:
            yield url
    finally:
        admin.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[sa.Engine]:
    """``make_engine`` on the per-test schema (tables created), disposed before the drop."""
    engine = make_engine(pg_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> sa.Engine:
    """The same test on a SQLite file and on a fresh PostgreSQL schema (tables created)."""
    if request.param == "postgres":
        pg: sa.Engine = request.getfixturevalue("pg_engine")
        return pg
    eng = make_engine(sqlite_url(tmp_path / "store.sqlite3"))
    request.addfinalizer(eng.dispose)
    return eng


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``STREAKBOT_DATA_DIR`` of the real bundled closes (plain CSVs), shared read-only."""

    return make_data_dir(tmp_path_factory.mktemp("closes"))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fresh fake Slack Web API server on loopback; it must see no server-side errors."""
    with FakeSlack() as server:
        yield server
        assert server.errors == []
