"""``GET /healthz``: is the store reachable, and how fresh is the data?

* ``200`` when the database answers, even with stale data (``"data": "stale"``): the app
  still answers, and says "Data as of ..." in every answer;
* ``503`` when the database cannot be reached (the event ledger, subscriptions and, without
  ``--data-dir``, the prices live there) or no price data can be read.

Body: ``{"ok", "database": "ok" | "unreachable", "data": "fresh" | "stale" | "error",
"data_as_of", "latest_session"}`` plus ``database_error`` / ``data_error`` (one line,
no secrets) when something failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text

from bot.domain.symbols import MAIN_INDICES
from bot.failures import first_line
from bot.slack.deps import HealthDeps


def database_ping(engine: Engine) -> Callable[[], None]:
    """A check that the database answers (``SELECT 1``); raises when it does not."""

    def ping() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    return ping


def health(deps: HealthDeps) -> tuple[int, dict[str, Any]]:
    """HTTP status and JSON body for ``/healthz``."""
    body: dict[str, Any] = {"ok": True, "database": "ok"}
    try:
        deps.ping()
    except Exception as exc:  # health must answer whatever broke
        body.update(ok=False, database="unreachable", database_error=first_line(exc))
    latest = deps.latest_session()
    body["latest_session"] = latest.isoformat()
    try:
        market = deps.market()
        available = market.available()
        symbols = [s for s in MAIN_INDICES if s in available] or available[:1]
        if not symbols:
            raise LookupError("no price data")
        as_of = max(market.last_date(s) for s in symbols)
    except Exception as exc:
        body.update(ok=False, data="error", data_error=first_line(exc))
    else:
        body.update(data="fresh" if as_of >= latest else "stale", data_as_of=as_of.isoformat())
    return (200 if body["ok"] else 503), body


__all__ = ["database_ping", "health"]
