"""The NYSE sessions and their closes, cached on disk between processes.

Building the ``exchange_calendars`` XNYS calendar costs 1-2 s of pandas work and its
import 0.5 s, while a one-shot command only needs two small arrays: the session dates and
each session's close instant (early closes included). They are kept in
``<user cache dir>/streakbot/`` as one ``.npz`` per ``exchange_calendars`` version and
range, written atomically (temporary file + ``os.replace``) so a reader never sees half a
file; a missing, unreadable or inconsistent file is rebuilt silently.

A first use (an empty cache) takes the table the package ships instead of building one
(``bot/data/xnys_sessions.npz``, written by ``python -m bot.rebuild_store``), when it was
built by the installed ``exchange_calendars`` version from the same start and reaches the
asked-for end, and caches it; a test checks it against what ``exchange_calendars`` builds.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from platformdirs import user_cache_dir

log = logging.getLogger(__name__)

CACHE_FORMAT = 1  # bump when the file's layout changes


@dataclass(frozen=True)
class SessionTable:
    """Sessions (``datetime64[D]``, ascending) and their closes (UTC epoch seconds)."""

    sessions: NDArray[np.datetime64]
    closes: NDArray[np.int64]


def cache_dir() -> Path:
    """``<user cache dir>/streakbot`` (under HOME, so a fresh HOME has an empty cache)."""
    return Path(user_cache_dir("streakbot", appauthor=False))


def xcals_version() -> str:
    """The installed ``exchange_calendars`` version, without importing it (0.5 s).

    Read from the distribution's ``.dist-info`` folder next to the package; falls back to
    ``importlib.metadata`` (50 ms) for other layouts."""
    spec = find_spec("exchange_calendars")
    if spec is not None and spec.origin is not None:
        site = Path(spec.origin).parent.parent
        found = sorted(site.glob("exchange_calendars-*.dist-info"))
        if len(found) == 1:
            return found[0].name.removeprefix("exchange_calendars-").removesuffix(".dist-info")
    from importlib.metadata import version  # noqa: PLC0415 (50 ms: other layouts only)

    return version("exchange_calendars")


def cache_path(start: date, end: date, version: str | None = None) -> Path:
    v = version or xcals_version()
    return cache_dir() / f"xnys-v{CACHE_FORMAT}-{v}-{start.isoformat()}-{end.isoformat()}.npz"


def build_sessions(start: date, end: date) -> SessionTable:
    """The table from ``exchange_calendars`` itself (the slow path)."""
    import exchange_calendars as xcals  # noqa: PLC0415 (1-2 s: only without a cache entry)

    cal = xcals.get_calendar("XNYS", start=start.isoformat(), end=end.isoformat())
    sessions = cal.sessions.to_numpy().astype("datetime64[D]")
    closes_utc = cal.closes.dt.tz_convert(None).to_numpy()  # naive UTC instants
    return SessionTable(sessions, closes_utc.astype("datetime64[s]").astype(np.int64))


def _read(path: Path) -> SessionTable | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            sessions = np.asarray(data["sessions"])
            closes = np.asarray(data["closes"])
    except FileNotFoundError:
        return None
    except Exception as exc:  # a corrupt or foreign file: rebuild it
        log.info("calendar cache %s unreadable (%s): rebuilding it", path, exc)
        return None
    ok = (
        sessions.dtype == np.dtype("datetime64[D]")
        and closes.dtype == np.dtype(np.int64)
        and sessions.ndim == 1
        and sessions.shape == closes.shape
        and sessions.size > 0
        and bool(np.all(sessions[1:] > sessions[:-1]))
    )
    if not ok:
        log.info("calendar cache %s is inconsistent: rebuilding it", path)
        return None
    return SessionTable(sessions, closes)


def _write(path: Path, table: SessionTable) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                arrays: dict[str, Any] = {"sessions": table.sessions, "closes": table.closes}
                np.savez(f, **arrays)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:  # a read-only or full cache dir only costs speed
        log.info("calendar cache %s not written: %s", path, exc)


def load_sessions(start: date, end: date) -> SessionTable:
    """The XNYS table for ``[start, end]``: from the cache, else from the shipped table or
    built, and cached."""
    path = cache_path(start, end)
    table = _read(path)
    if table is None:
        # Cached either way: the uncompressed cache file reads in 1 ms, the shipped one in 10.
        table = shipped_sessions(start, end) or build_sessions(start, end)
        _write(path, table)
    return table


SHIPPED_NAME = "xnys_sessions.npz"
SHIPPED_START = date(1970, 1, 1)  # NyseCalendar's default start
SHIPPED_END = date(2035, 12, 31)


def shipped_file() -> Path:
    return Path(str(resources.files("bot") / "data" / SHIPPED_NAME))


def shipped_sessions(start: date, end: date, path: Path | None = None) -> SessionTable | None:
    """The shipped table cut at ``end``, or ``None`` when it cannot stand in for a build:
    missing, another ``exchange_calendars`` version, another start, or too short."""
    file = path or shipped_file()
    try:
        with np.load(file, allow_pickle=False) as data:
            version, first, last = (str(v) for v in np.asarray(data["meta"]).tolist())
        reaches = date.fromisoformat(last) >= end
    except Exception:  # missing or foreign: build as before
        return None
    if version != xcals_version() or first != start.isoformat() or not reaches:
        return None
    table = _read(file)
    if table is None:
        return None
    n = int(np.searchsorted(table.sessions, np.datetime64(end, "D"), side="right"))
    return SessionTable(table.sessions[:n], table.closes[:n])


def write_shipped(path: Path, start: date = SHIPPED_START, end: date = SHIPPED_END) -> SessionTable:
    """Build the table for ``[start, end]`` and write it as the shipped file."""
    table = build_sessions(start, end)
    meta = np.array([xcals_version(), start.isoformat(), end.isoformat()])
    with path.open("wb") as f:
        arrays: dict[str, Any] = {"sessions": table.sessions, "closes": table.closes, "meta": meta}
        np.savez_compressed(f, **arrays)
    return table
