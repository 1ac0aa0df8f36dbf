"""``streakbot leaders`` output kept on disk, keyed by everything it depends on.

The summary reads twenty series and builds every section with pandas (importing pandas
alone takes longer than a whole ``streak`` answer), for a text that only changes when the
prices do. So the printed text is kept in ``<user cache dir>/streakbot/summaries/`` under a key made of

* the store's data version (a digest of its ``series`` rows: any price added or rewritten
  changes it, :meth:`bot.store.close_reads.SqliteStoreReader.data_version`),
* the session asked for (or none: the latest in the data),
* the code that writes it (the size and modification time of every module of ``bot`` and
  ``analytics``), so an upgrade or an edit never prints an older wording,

and the next run with the same key prints it without computing anything. What is kept is
the summary alone: the "data as of" note above it depends on the clock (the last
completed NYSE session), and is worded again on each run from the stored last close.
Files are written atomically (temporary file + ``os.replace``); an unreadable one is a
miss. At most :data:`KEEP` are kept, the oldest removed first.

The package ships the summary of its own ready store's latest session
(``bot/data/leaders.txt``, written by ``python -m bot.rebuild_store``, checked by a test
against one computed from that store). Installing the store keeps that text under the
installed store's key (:func:`keep_shipped_summary`), so the first ``leaders`` computes
nothing either.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

from bot.adapters.calendar_cache import cache_dir

log = logging.getLogger(__name__)

CACHE_FORMAT = 2  # bump when the key or the file's layout changes
KEEP = 32
PACKAGES = ("bot", "analytics")


def summaries_dir() -> Path:
    return cache_dir() / "summaries"


def code_fingerprint(roots: tuple[Path, ...] | None = None) -> str:
    """A digest of the path, size and modification time of every ``.py`` file of the
    packages that write the summary (a ``stat`` each, no read)."""
    if roots is None:
        here = Path(__file__).resolve().parents[2]
        roots = tuple(here / name for name in PACKAGES)
    h = hashlib.sha256(str(CACHE_FORMAT).encode())
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            st = path.stat()
            h.update(f"{path.relative_to(root.parent)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:32]


def summary_key(data_version: str, session: date | None, code: str) -> str:
    """The cache key of one ``leaders`` summary (see the module docstring)."""
    asked = "latest" if session is None else session.isoformat()
    text = f"{CACHE_FORMAT}|{data_version}|{asked}|{code}"
    return hashlib.sha256(text.encode()).hexdigest()[:40]


SHIPPED_SUMMARY = "leaders.txt"


def shipped_summary_file() -> Path:
    """The summary of the shipped store's latest session (``bot/data/leaders.txt``)."""
    return Path(str(resources.files("bot") / "data" / SHIPPED_SUMMARY))


def keep_shipped_summary(data_version: str, folder: Path | None = None) -> bool:
    """Keep the shipped summary as the latest summary of a store just installed from the
    shipped one (its ``data_version``, stamped at install); whether it was there to keep."""
    try:
        text = shipped_summary_file().read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return False
    write_summary(summary_key(data_version, None, code_fingerprint()), text, folder)
    return True


def read_summary(key: str, folder: Path | None = None) -> str | None:
    """The text kept under ``key``, or ``None``."""
    path = (folder or summaries_dir()) / f"{key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None


def write_summary(key: str, text: str, folder: Path | None = None) -> None:
    """Keep ``text`` under ``key`` (atomically), then prune to :data:`KEEP` files. A cache
    that cannot be written is logged, never an error: the answer was printed already."""
    folder = folder or summaries_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".summary-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, folder / f"{key}.txt")
        kept = sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        log.warning("could not keep the summary in %s", folder, exc_info=True)
