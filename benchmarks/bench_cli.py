"""Benchmark: one-shot ``streakbot`` commands as whole processes, against ``import pandas``.

Each command runs as its own process, the way a user runs it: *warm* in a HOME whose
store is seeded and whose calendar cache is filled, and *first use* in a fresh, empty
HOME (the store is created, migrated and seeded from the bundled data; the calendar
cache is built). The baseline, ``python -c "import pandas"``, runs interleaved with them
in the same run. Wall time is measured around each process; memory is the child's own
peak RSS (``ru_maxrss`` from ``os.wait4``).

Targets (issue "one-shot CLI speed", reported, never asserted):

* warm answer <= the time of ``import pandas`` (median vs median) and <= 60 MiB;
* first use <= 1.5x the warm answer (median vs median).

``leaders`` builds the whole daily summary with pandas once per data version and session
and keeps the text (``bot/adapters/summary_cache.py``); a warm run prints the kept text.
Its *new data* line times the run right after the prices changed (the store's ``series``
rows touched, as ``streakbot update`` does), which computes the summary again.

``--postgres`` runs the same with ``DATABASE_URL`` on PostgreSQL at 127.0.0.1:5432
(database ``test``): the warm store is one schema, each first use a new empty schema
(created, built at head and seeded with ``COPY`` from the bundled files), dropped after.
There every command takes the full start (SQLAlchemy), so only the first-use target
applies; the warm ratio against ``import pandas`` is printed for information.

Run from the repository root::

    python -m benchmarks.bench_cli                      # 7 warm, 3 first-use runs each
    python -m benchmarks.bench_cli --repeats 3 --first-use-repeats 1 --commands "streak SPX"
    python -m benchmarks.bench_cli --postgres --commands "streak RUT SPX" "records SPX"
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from isolation import console_script, subprocess_env  # noqa: E402
from pgschema import admin_engine, fresh_schema  # noqa: E402

COMMANDS = (
    "streak RUT SPX",
    "streak SPX",
    "records SPX",
    "streak RUT SPX --json",
    "leaders",
)
BASELINE = "import pandas"
RSS_TARGET_MIB = 60.0
FIRST_USE_TARGET = 1.5
WARM_TARGET = 1.0  # x the baseline


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)

    def add(self, seconds: float, rss_mib: float) -> None:
        self.seconds.append(seconds)
        self.rss_mib.append(rss_mib)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        s = self.seconds
        return (f"min {min(s) * 1000:7.0f} / median {self.median * 1000:7.0f} / "
                f"max {max(s) * 1000:7.0f} ms, max RSS {max(self.rss_mib):5.1f} MiB")


def run_once(argv: list[str], home: Path, cwd: Path, database_url: str | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit status) of one child process."""
    env = subprocess_env(home, {"DATABASE_URL": database_url} if database_url else None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv)} exited {proc.returncode}: {err.strip()[-300:]}")
    rss_kib = usage.ru_maxrss  # KiB on Linux
    return elapsed, rss_kib / 1024, proc.returncode


def touch_prices(home: Path) -> None:
    """Mark the warm store's prices as changed (a new ``updated_at``), as an update does."""
    store = home / ".local" / "share" / "streakbot" / "streakbot.sqlite3"
    with sqlite3.connect(store) as conn:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        conn.execute("UPDATE series SET updated_at = ?", (stamp,))
    conn.close()


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--repeats", type=int, default=7, help="warm runs per command (and baseline)")
    p.add_argument("--first-use-repeats", type=int, default=3, help="fresh-HOME runs per command")
    p.add_argument("--commands", nargs="+", default=list(COMMANDS),
                   help='commands to time, each one quoted string (default: all five)')
    p.add_argument("--postgres", action="store_true",
                   help="DATABASE_URL on PostgreSQL at 127.0.0.1:5432 (a new schema per first use)")
    args = p.parse_args(argv)
    if not args.postgres:
        return run(args, None)
    try:
        admin = admin_engine()
    except ConnectionError as exc:
        print(f"bench_cli --postgres: {exc}", file=sys.stderr)
        return 2
    try:
        with fresh_schema(admin, prefix="bench") as warm_url:
            return run(args, warm_url, lambda: fresh_schema(admin, prefix="bench"))
    finally:
        admin.dispose()


def run(args: argparse.Namespace, warm_url: str | None,
        new_store: Callable[[], AbstractContextManager[str]] | None = None) -> int:
    """Time every command; ``warm_url`` (PostgreSQL) and ``new_store`` (a new empty
    schema's URL for each first use), or the default SQLite store in HOME."""
    script = str(console_script())
    python = sys.executable
    print(f"streakbot CLI benchmark: {args.repeats} warm and {args.first_use_repeats} first-use "
          f"runs per command; {platform.python_version()} on {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}; store: "
          f"{'PostgreSQL at 127.0.0.1:5432' if warm_url else 'the default SQLite file'}")
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        root = Path(tmp)
        cwd = root / "cwd"  # empty: no .env is read
        cwd.mkdir()
        warm_home = root / "warm-home"
        warm_home.mkdir()
        t0 = time.perf_counter()
        run_once([script, "streak", "RUT", "SPX"], warm_home, cwd, warm_url)  # seed + calendar cache
        for c in args.commands:  # what a command keeps for its next run (the leaders text)
            run_once([script, *shlex.split(c)], warm_home, cwd, warm_url)
        print(f"warm HOME prepared (store seeded, calendar cached, each command run once) in {time.perf_counter() - t0:.1f} s")

        baseline = Runs()
        warm = {c: Runs() for c in args.commands}
        first = {c: Runs() for c in args.commands}
        new_data = {c: Runs() for c in args.commands if c.split()[0] == "leaders" and warm_url is None}
        for i in range(args.repeats):  # interleaved, so load changes hit all alike
            secs, rss, _ = run_once([python, "-c", BASELINE], warm_home, cwd)
            baseline.add(secs, rss)
            for c in args.commands:
                secs, rss, _ = run_once([script, *shlex.split(c)], warm_home, cwd, warm_url)
                warm[c].add(secs, rss)
                if c in new_data:
                    touch_prices(warm_home)
                    secs, rss, _ = run_once([script, *shlex.split(c)], warm_home, cwd)
                    new_data[c].add(secs, rss)
            if i < args.first_use_repeats:
                for c in args.commands:
                    fresh = root / f"fresh-{i}"
                    with new_store() if new_store else nullcontext(None) as url:
                        secs, rss, _ = run_once([script, *shlex.split(c)], fresh, cwd, url)
                    first[c].add(secs, rss)
                    shutil.rmtree(fresh)

        print(f"\nbaseline  python -c {BASELINE!r:<24} {baseline.spread()}")
        for c in args.commands:
            print(f"\n{c}")
            print(f"  warm       {warm[c].spread()}")
            if c in new_data:
                print(f"  new data   {new_data[c].spread()}")
            if first[c].seconds:
                print(f"  first use  {first[c].spread()}")
        print(f"\nload average {os.getloadavg()[0]:.2f}")
        for c in args.commands:
            ratio = warm[c].median / baseline.median
            rss = max(warm[c].rss_mib)
            if warm_url is None:
                print(f"target warm {c!r} <= {WARM_TARGET:.1f}x import pandas: {ratio:.2f}x: "
                      f"{verdict(ratio <= WARM_TARGET)}")
                print(f"target warm {c!r} <= {RSS_TARGET_MIB:.0f} MiB: {rss:.1f} MiB: "
                      f"{verdict(rss <= RSS_TARGET_MIB)}")
            else:
                print(f"info warm {c!r} on PostgreSQL (full start): {ratio:.2f}x import pandas, {rss:.1f} MiB")
            if first[c].seconds:
                fr = first[c].median / warm[c].median
                print(f"target first use {c!r} <= {FIRST_USE_TARGET}x warm: {fr:.2f}x: "
                      f"{verdict(fr <= FIRST_USE_TARGET)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
