"""``streakbot db upgrade`` and ``streakbot db current``: the store's schema revision.

Both print the revision id first on stdout, as ``alembic current`` does
(``0001_baseline (head)``). Problems are one line on stderr: exit status 1 for a store
without a revision or one that cannot be reached or migrated.
"""

from __future__ import annotations

import sys

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from bot.store.locking import describe
from bot.store.schema import HEAD_REVISION, SchemaError, current_revision, is_legacy, upgrade

EXIT_OK, EXIT_FAILURE = 0, 1


def run_db_command(action: str, engine: Engine) -> int:
    """Run ``upgrade`` or ``current`` on ``engine``; the exit status."""
    try:
        return _upgrade(engine) if action == "upgrade" else _current(engine)
    except SchemaError as exc:
        print(f"streakbot: {exc}", file=sys.stderr)
    except DBAPIError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        print(f"streakbot: cannot use the store at {describe(engine)}: {reason}", file=sys.stderr)
    return EXIT_FAILURE


def _upgrade(engine: Engine) -> int:
    print(_label(upgrade(engine)))
    return EXIT_OK


def _current(engine: Engine) -> int:
    revision = current_revision(engine)
    if revision is not None:
        print(_label(revision))
        return EXIT_OK
    if is_legacy(engine):
        what = "was made before schema migrations (tables, no revision)"
        fix = "`streakbot db upgrade` adopts it, keeping its data"
    else:
        what = "is not initialised (no revision)"
        fix = "`streakbot db upgrade` creates its tables"
    print(f"streakbot: the store at {describe(engine)} {what}: {fix}.", file=sys.stderr)
    return EXIT_FAILURE


def _label(revision: str) -> str:
    if revision == HEAD_REVISION:
        return f"{revision} (head)"
    return f"{revision} (this streakbot's head is {HEAD_REVISION})"
