"""One clear line for each failure a user or the environment can cause.

The command line (and ``streakbot serve`` before it forks) turns these into one line on
stderr and an exit status: 2 for bad configuration or usage, 1 when an outside service
(the database, Slack, a data source) or the machine failed. The full traceback is for
``-v`` only. Messages never contain a secret: database URLs are shown with the password
hidden, and driver messages are cut to their first line (which names host and port only).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from bot.domain.errors import DataSourceError
from bot.store.db import describe_url, normalise_database_url

EXIT_FAILURE, EXIT_USAGE = 1, 2


class ServiceUnavailableError(RuntimeError):
    """An outside service (Slack, the database) cannot be reached; the message says which."""


@dataclass(frozen=True)
class Failure:
    status: int
    message: str


def first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's message (driver errors run to several)."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    for line in str(orig).splitlines():
        if line.strip():
            return line.strip()
    return type(orig).__name__


def _sqlite_dir(database_url: str | None) -> str | None:
    try:
        url = make_url(normalise_database_url(database_url))
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return str(Path(url.database).resolve().parent)


def _disk_full(where: str | None) -> Failure:
    return Failure(EXIT_FAILURE, f"the disk is full at {where or 'the data folder'}: free some space and try again.")


def explain(exc: BaseException, *, database_url: str | None) -> Failure | None:
    """The exit status and one line for ``exc``, or None when it is not a known failure."""
    if isinstance(exc, ServiceUnavailableError):
        return Failure(EXIT_FAILURE, str(exc))
    if isinstance(exc, DataSourceError):
        return Failure(EXIT_FAILURE, f"cannot read the price data: {exc}")
    if isinstance(exc, OperationalError):
        line = first_line(exc)
        if "disk is full" in line or "No space left" in line:
            return _disk_full(_sqlite_dir(database_url))
        return Failure(
            EXIT_FAILURE, f"cannot use the database {describe_url(database_url)}: {line}"
        )
    if isinstance(exc, DBAPIError):  # e.g. an invalid connection option in DATABASE_URL
        return Failure(
            EXIT_USAGE, f"the database {describe_url(database_url)} refused the connection settings: "
            f"{first_line(exc)}"
        )
    if isinstance(exc, OSError):
        where = exc.filename
        if exc.errno == errno.ENOSPC:
            return _disk_full(str(Path(where).resolve().parent) if where else None)
        if where:
            return Failure(EXIT_FAILURE, f"cannot use {where}: {exc.strerror or exc}")
        return Failure(EXIT_FAILURE, f"{type(exc).__name__}: {exc.strerror or exc}")
    return None
