"""Helpers for the daily-post tests: a settable clock, services wired to a FakeSlack."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from slack_stack import slack_settings

from bot.adapters.calendar import NyseCalendar
from bot.adapters.senders import holder_is_live
from bot.bootstrap import Services, bootstrap
from bot.store.db import make_engine
from bot.store.post_ledger import SqlPostLedger
from bot.store.tables import posts

NY = ZoneInfo("America/New_York")


def ny(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """An aware New York wall-clock datetime."""
    return datetime(y, m, d, hh, mm, tzinfo=NY)


class FrozenClock:
    """``svc.clock``: returns ``now`` until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def daily_services(
    api_url: str, data_dir: Path, calendar: NyseCalendar, clock: FrozenClock, db_path: Path,
    **overrides: Any,
) -> Services:
    """Services reading ``data_dir`` (nothing fetched), a private SQLite file, Slack at ``api_url``."""
    return bootstrap(
        slack_settings(api_url, data_dir, **overrides),
        calendar=calendar,
        clock=clock,
        fetcher_factory=lambda: None,  # type: ignore[arg-type,return-value]
        engine=make_engine(f"sqlite:///{db_path}"),
    )


def subscribe(
    svc: Services, channel: str, at: time = time(16, 30), *, created: datetime,
    last_posted: date | None = None, team: str = "T0FAKE",
) -> None:
    store = svc.subscriptions
    store.subscribe(team, channel, at, "U0TRADER", created)
    if last_posted is not None:
        store.mark_posted(team, channel, last_posted)


def ledger(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(posts).order_by(posts.c.id)).mappings().all()
    return [dict(r) for r in rows]


def post_ledger(engine: sa.Engine) -> SqlPostLedger:
    """The SQL claim ledger over ``engine``, holders checked as in production."""
    return SqlPostLedger(engine, holder_is_live)
