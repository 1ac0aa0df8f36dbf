"""The whole Slack stack on loopback, for the HTTP tests and ``benchmarks/bench_slack_http``.

* :func:`make_data_dir` -- a ``STREAKBOT_DATA_DIR`` folder with the real bundled closes
  (decompressed CSVs), so no database has to be seeded;
* :func:`slack_settings` / :func:`app_on_loopback` -- the Bolt app built by ``slack_app``,
  served by ``make_wsgi_app`` on 127.0.0.1, its WebClient pointed at a :class:`FakeSlack`;
* :func:`in_process` -- the real Bolt app for ``app.dispatch`` (no HTTP server for the app
  itself), its answers deferred to :class:`Deferred` until the test runs them;
* :func:`serve_process` -- the real ``streakbot serve`` (gunicorn) in a subprocess.

Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fakeslack import FakeSlack
from isolation import PROXY_VARS, console_script, subprocess_env
from slack_bolt import App
from slack_harness import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET, wsgi_server
from slack_sdk import WebClient

from bot.adapters.calendar import NyseCalendar
from bot.bootstrap import Services, bootstrap
from bot.settings import Settings
from bot.slack.app import build_app, make_wsgi_app
from bot.slack.deps import RunLater
from bot.slack.health import health
from bot.slack.serve import health_deps, slack_app, slack_deps
from bot.store.db import make_engine

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "bot" / "data" / "bundled"
INDEX_FILES = ("GSPC", "RUT", "IXIC", "DJI")
ADJUSTED_FILES = ("SPY",)  # a dividend-adjusted ETF, for the /records refusal



def make_data_dir(dest: Path) -> Path:
    """Write the bundled real closes as plain CSVs into ``dest`` (created); return it."""
    dest.mkdir(parents=True, exist_ok=True)
    sources = [BUNDLED / f"{s}.csv.gz" for s in INDEX_FILES]
    sources += [BUNDLED / "etf_adjusted" / f"{s}.csv.gz" for s in ADJUSTED_FILES]
    for src in sources:
        with gzip.open(src, "rb") as fin, open(dest / src.name[: -len(".gz")], "wb") as fout:
            shutil.copyfileobj(fin, fout)
    return dest


def slack_settings(api_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a server talking to the fake Slack at ``api_url``, reading ``data_dir``."""
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "STREAKBOT_DATA_DIR": data_dir,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@dataclass
class Stack:
    services: Services
    app: App
    base_url: str


def oauth_slack_settings(api_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """Multi-workspace settings (client ID and secret, no bot token) against ``api_url``."""
    values: dict[str, Any] = {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "STREAKBOT_DATA_DIR": data_dir,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def offline_services(
    settings: Settings, calendar: NyseCalendar, clock: Callable[[], datetime], db_path: Path,
    *, database_url: str | None = None,
) -> Services:
    """Services with a private SQLite file (or ``database_url``, a test's own PostgreSQL
    schema) for the app's own tables (event ledger, subscriptions, installations): never
    the default store in the user's home. Prices come from ``settings.data_dir``; nothing
    is ever fetched."""
    return bootstrap(
        settings,
        calendar=calendar,
        clock=clock,
        fetcher_factory=lambda: None,  # type: ignore[arg-type,return-value]
        engine=make_engine(database_url or f"sqlite:///{db_path}"),
    )


@contextmanager
def app_on_loopback(
    settings: Settings, calendar: NyseCalendar, clock: Callable[[], datetime], db_path: Path,
    *, database_url: str | None = None,
) -> Iterator[Stack]:
    """``slack_app`` + ``make_wsgi_app`` served on 127.0.0.1 for the duration of the block,
    with no proxy variables (slack_sdk and urllib would route loopback calls through one)."""
    with pytest.MonkeyPatch.context() as mp:
        for name in PROXY_VARS:
            mp.delenv(name, raising=False)
        services = offline_services(settings, calendar, clock, db_path, database_url=database_url)
        try:
            app = slack_app(services)
            with wsgi_server(make_wsgi_app(app, partial(health, health_deps(services)))) as base:
                yield Stack(services, app, base)
        finally:
            services.engine.dispose()


# --------------------------------------------------------------------------- in process
class Deferred:
    """A ``run_later`` that keeps each answer until :meth:`run` (so a test sees the ack
    alone, then exactly what the answer sent)."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, Callable[[], None]]] = []

    def __call__(self, work: Callable[[], None], what: str) -> None:
        self.pending.append((what, work))

    def run(self) -> list[str]:
        """Run the work kept so far, in order; what each was for."""
        done, self.pending = self.pending, []
        for _, work in done:
            work()
        return [what for what, _ in done]


@dataclass
class InProcess:
    app: App
    services: Services
    later: Deferred


@contextmanager
def in_process(
    api_url: str, data_dir: Path, calendar: NyseCalendar, clock: Callable[[], datetime], db_path: Path,
    *, run_later: RunLater | None = None,
) -> Iterator[InProcess]:
    """The real Bolt app (bot token, signing secret, WebClient at ``api_url``) for
    ``app.dispatch``, with the deps :func:`bot.slack.serve.slack_deps` builds; answers go
    to a :class:`Deferred` unless ``run_later`` is given. No proxy variables."""
    with pytest.MonkeyPatch.context() as mp:
        for name in PROXY_VARS:
            mp.delenv(name, raising=False)
        services = offline_services(slack_settings(api_url, data_dir), calendar, clock, db_path)
        later = Deferred()
        client = WebClient(token=BOT_TOKEN, base_url=api_url)
        app = build_app(slack_deps(services, run_later or later), client=client, signing_secret=SIGNING_SECRET)
        try:
            yield InProcess(app, services, later)
        finally:
            services.engine.dispose()


# --------------------------------------------------------------------------- subprocess
def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def streakbot_command() -> list[str]:
    """The installed ``streakbot`` console script of this interpreter's environment."""
    return [str(console_script())]


def server_env(api_url: str | None, port: int, data_dir: Path, home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for ``streakbot serve``: no proxies, no settings from the shell."""
    env = subprocess_env(home)
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        PORT=str(port),
        STREAKBOT_DATA_DIR=str(data_dir),
    )
    if api_url is not None:
        env["SLACK_API_URL"] = api_url
    env.update(extra)
    return env


def get_json(url: str, timeout: float = 2.0) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@dataclass
class ServerProcess:
    proc: subprocess.Popen[bytes]
    base_url: str
    log_dir: Path

    def output(self) -> str:
        out = [(self.log_dir / n).read_text(errors="replace") for n in ("stdout.log", "stderr.log")]
        return "\n".join(out)


@contextmanager
def serve_process(
    env: dict[str, str],
    log_dir: Path,
    args: Sequence[str] = (),
    startup_timeout: float = 60.0,
) -> Iterator[ServerProcess]:
    """Run ``streakbot serve`` until it answers ``/healthz``; SIGTERM it (then kill) on exit.

    Output goes to files in ``log_dir`` (a pipe could fill up and block gunicorn).
    """
    port = int(env["PORT"])
    base = f"http://127.0.0.1:{port}"
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / "stdout.log", "wb") as out, open(log_dir / "stderr.log", "wb") as err:
        proc = subprocess.Popen(
            [*streakbot_command(), "serve", *args],
            env=env, cwd=str(log_dir), stdout=out, stderr=err, start_new_session=True,
        )
    server = ServerProcess(proc, base, log_dir)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streakbot serve exited with {proc.returncode}:\n{server.output()}")
            try:
                status, _ = get_json(f"{base}/healthz", timeout=1)
                if status == 200:
                    break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streakbot serve did not answer /healthz:\n{server.output()}")
            time.sleep(0.1)
        yield server
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> int:
    """SIGTERM ``proc`` (gunicorn's graceful stop); SIGKILL its process group if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    return int(proc.returncode)


def in_process_fixtures(tag: str, now: datetime, data: str = "data_dir") -> tuple[Any, Any, Any]:
    """The fixtures every in-process listener test module shares, as ``slack, bot, _fresh``:

    * ``slack``: one :class:`FakeSlack` per module;
    * ``bot``: the real app over the closes of fixture ``data``, clock fixed at ``now``;
    * ``_fresh`` (autouse): each test starts with no recorded calls and must leave no
      answer pending and no Slack error behind.
    """
    @pytest.fixture(scope="module")
    def slack() -> Iterator[FakeSlack]:
        with FakeSlack() as server:
            yield server

    @pytest.fixture(scope="module")
    def bot(slack: FakeSlack, request: pytest.FixtureRequest, calendar: NyseCalendar,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
        db = tmp_path_factory.mktemp(tag) / "app.sqlite3"
        with in_process(slack.base_url, request.getfixturevalue(data), calendar, lambda: now, db) as made:
            yield made

    @pytest.fixture(autouse=True)
    def _fresh(slack: FakeSlack, bot: InProcess) -> Iterator[None]:
        slack.reset()
        yield
        assert bot.later.pending == []
        assert slack.errors == []

    return slack, bot, _fresh
