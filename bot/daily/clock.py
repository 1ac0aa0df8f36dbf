"""``streakbot clock``: the scheduler that makes the daily posts (APScheduler 3.11).

Run exactly one clock process per deployment (the Procfile's ``clock:``); web processes
never build a scheduler. Several clocks by mistake would still post once per channel and
session -- the ledger in :mod:`bot.services.delivery` sees to that -- but would do the work twice.

Design: a *tick*, not one trigger per subscription
---------------------------------------------------
One job, ``daily-tick``, runs every :data:`TICK_MINUTES` minutes of every day
(``CronTrigger(minute="*/5", timezone=America/New_York)``) and once at start-up. Each tick
re-reads the subscriptions (so ``/leaders subscribe/unsubscribe`` take effect without a
restart) and, for each one, asks :func:`bot.services.schedule.due_session` which session's
post should exist by now. A post is made when that session

* has not been posted to the channel yet (``last_posted_session``, then the ledger), and
* was due after the channel subscribed (a new subscription starts with the next post, it
  does not get yesterday's summary).

Everything NYSE-specific comes from :mod:`bot.services.schedule`: weekends and holidays have
no session, so nothing new is due; on early-close days (13:00) a post is never due before
close + :data:`~bot.services.schedule.SETTLE` (a 13:05 subscription posts at 13:15); the due
time is New York wall time, so 16:30 stays 16:30 across the DST changes.

Because the tick only compares "now" with due times, a missed post is simply made by the
next tick: at start-up (catch-up of the current session only -- ``due_session`` never
returns an older one) and after downtime or a misfire. The exactly-once ledger makes a
repeated or concurrent tick harmless.

To post at the exact minute asked for (16:32 is not on the 5-minute grid), each tick also
arms a one-off ``daily-wake`` job (``DateTrigger``) at the earliest upcoming due time off
that grid among the subscriptions. It runs the same tick.

Job options: ``misfire_grace_time`` :data:`MISFIRE_GRACE` (6 h: a tick delayed by a busy or
suspended host still runs), ``coalesce=True`` (several missed runs run once),
``max_instances=1``; ticks are also serialised by a lock.

When the close is late
----------------------
If the data does not reach the due session yet, the tick refreshes prices (at most every
:data:`REFRESH_EVERY`, 10 min) and leaves the post for a later tick, for up to
``STREAKBOT_DAILY_RETRY_MINUTES`` (``settings.daily_retry_minutes``, default 90) after the
channel's due time. Then it posts what it has, with a "Data as of <date>: the <session>
close is not in the data yet" line on top -- a slightly stale post beats silence on a desk.
No thread ever sleeps: waiting is "not yet" on a tick, so restarts lose nothing.

Alerts
------
Each tick also sends the alerts (:mod:`bot.daily.alerts`) of the last completed session,
from its close + 15 minutes, once the data has that session (never on stale data), to the
channels that had alerts on by then: a message of their own, apart from the daily post,
through their own exactly-once ledger.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from types import FrameType
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.adapters.senders import new_worker_id
from bot.bootstrap import Services
from bot.daily.alerts import deliver_alerts
from bot.daily.commands import (
    make_post,
    post_to,
    prepare,
    refresh_prices,
    require_bot_token,
    settle_time,
)
from bot.domain.ports import DailySender
from bot.domain.symbols import SUMMARY_ANCHOR
from bot.render.delivery import outcome_line
from bot.services.delivery import Outcome
from bot.services.schedule import TZ, due_session, next_due, post_time_for_session
from bot.store.subscriptions import Subscription

log = logging.getLogger(__name__)

__all__ = [
    "JOB_OPTIONS",
    "MISFIRE_GRACE",
    "REFRESH_EVERY",
    "TICK_JOB_ID",
    "TICK_MINUTES",
    "WAKE_JOB_ID",
    "DailyClock",
    "build_scheduler",
    "run_clock",
]

TICK_MINUTES = 5
REFRESH_EVERY = timedelta(minutes=10)
MISFIRE_GRACE = 6 * 3600  # seconds
TICK_JOB_ID = "daily-tick"
WAKE_JOB_ID = "daily-wake"
JOB_OPTIONS: dict[str, Any] = {
    "misfire_grace_time": MISFIRE_GRACE,
    "coalesce": True,
    "max_instances": 1,
}

Refresher = Callable[[Services, datetime], str | None]


class DailyClock:
    """What a tick does; the clock (``svc.clock``) and Slack sender are injectable."""

    def __init__(
        self,
        svc: Services,
        *,
        sender: DailySender | None = None,
        alert_sender: DailySender | None = None,
        retry_window: timedelta | None = None,
        refresh_every: timedelta = REFRESH_EVERY,
        refresher: Refresher = refresh_prices,
        chart: bool = True,
    ) -> None:
        self.svc = svc
        self.chart = chart
        self._sender = sender
        self._alert_sender = alert_sender
        self.retry_window = (
            retry_window
            if retry_window is not None
            else timedelta(minutes=svc.settings.daily_retry_minutes)
        )
        self.refresh_every = refresh_every
        self.refresher = refresher
        self.worker_id = new_worker_id()
        self.scheduler: BaseScheduler | None = None
        self.subscriptions = svc.subscriptions
        self._lock = threading.Lock()
        self._last_refresh: datetime | None = None
        self._refresh_error: str | None = None
        # (team, channel, session) that failed for good: not tried again by this process.
        self._given_up: set[tuple[str, str, date]] = set()
        # (team, channel, session) whose alert is settled (sent, nothing notable, or refused).
        self._alerts_done: set[tuple[str, str, date]] = set()

    @property
    def sender(self) -> DailySender:
        """The Slack sender (built on first use: a clock with nothing due never needs it)."""
        if self._sender is None:
            self._sender = self.svc.daily_sender
        return self._sender

    @property
    def alert_sender(self) -> DailySender:
        if self._alert_sender is None:
            self._alert_sender = self.svc.alert_sender
        return self._alert_sender

    # ------------------------------------------------------------------ what is due
    def due(self, now: datetime) -> dict[date, list[tuple[Subscription, datetime]]]:
        """Active subscriptions with a post due at ``now``, by session, with their due time."""
        cal = self.svc.calendar
        out: dict[date, list[tuple[Subscription, datetime]]] = {}
        for sub in self.subscriptions.all_active():
            session = due_session(cal, sub.post_time, now)
            if session is None:
                continue
            if sub.last_posted_session is not None and sub.last_posted_session >= session:
                continue
            if (sub.team_id, sub.channel_id, session) in self._given_up:
                continue
            at = post_time_for_session(cal, session, sub.post_time)
            if at < sub.created_at:
                continue  # subscribed after this one was due: the next session is its first
            out.setdefault(session, []).append((sub, at))
        return out

    # ------------------------------------------------------------------ the tick
    def tick(self) -> list[Outcome]:
        """Post whatever is due now; never raises (a failing tick is logged and retried)."""
        with self._lock:
            now = self.svc.clock()
            outcomes: list[Outcome] = []
            try:
                outcomes = self._tick(now)
            except Exception:
                log.exception("daily tick at %s failed; the next tick retries", now.astimezone(TZ))
            try:
                outcomes += self.alerts(now)
            except Exception:
                log.exception("alerts at %s failed; the next tick retries", now.astimezone(TZ))
            try:
                self._arm_wake(now)
            except Exception:
                log.exception("could not arm the next daily wake-up")
            return outcomes

    def _data_last(self) -> date:
        return self.svc.market.last_date(SUMMARY_ANCHOR)

    def _maybe_refresh(self, now: datetime) -> None:
        if self._last_refresh is not None and now - self._last_refresh < self.refresh_every:
            return
        self._last_refresh = now
        self._refresh_error = self.refresher(self.svc, now)

    def _tick(self, now: datetime) -> list[Outcome]:
        due = self.due(now)
        if not due:
            log.debug("tick %s: nothing due", now.astimezone(TZ))
            return []
        outcomes: list[Outcome] = []
        for session, items in sorted(due.items()):
            data_last = self._data_last()
            if data_last < session:
                self._maybe_refresh(now)
                data_last = self._data_last()
            if data_last >= session:
                ready = items
            else:
                ready = [(s, at) for s, at in items if now >= at + self.retry_window]
                waiting = [at for _, at in items if now < at + self.retry_window]
                if waiting:
                    until = min(waiting) + self.retry_window
                    log.info(
                        "the %s close is not in the data yet (data as of %s): %d channel(s) "
                        "wait; prices are retried every %d min, posting anyway from %s",
                        session, data_last, len(waiting),
                        self.refresh_every // timedelta(minutes=1), until.astimezone(TZ),
                    )
            if not ready:
                continue
            prep = prepare(
                self.svc.market,
                self.svc.calendar,
                session,
                now,
                allow_stale=True,
                refresh_error=self._refresh_error if data_last < session else None,
            )
            post = make_post(prep, chart=self.chart)
            log.info(
                "posting the %s summary (data as of %s) to %d channel(s)",
                session, prep.data_session, len(ready),
            )
            for o in post_to(self.svc, self.sender, post, [s for s, _ in ready], now,
                             worker_id=self.worker_id):
                (log.info if o.ok else log.warning)("daily post: %s", outcome_line(o))
                if o.status == "failed" and not o.retryable:
                    self._given_up.add((o.team_id, o.channel_id, o.session))
                outcomes.append(o)
        return outcomes

    def alerts(self, now: datetime) -> list[Outcome]:
        """Send the last completed session's alerts to the channels still owed them."""
        store = self.svc.alert_store
        channels = store.all_enabled()
        if not channels:
            return []
        cal = self.svc.calendar
        session = cal.last_completed_session(now)
        due_at = post_time_for_session(cal, session, time(0, 0))  # the close + 15 min
        if now < due_at:
            return []
        todo = [
            c for c in channels
            if (c.last_alerted_session is None or c.last_alerted_session < session)
            and (c.team_id, c.channel_id, session) not in self._alerts_done
            and c.enabled_at is not None and c.enabled_at <= due_at
        ]
        if not todo:
            return []
        if self._data_last() < session:
            self._maybe_refresh(now)
            if self._data_last() < session:
                log.info("alerts for %s wait for its close in the data", session)
                return []
        run = deliver_alerts(self.svc.market, self.svc.alert_ledger, self.alert_sender, store, todo,
                             session, self.svc.clock, worker_id=self.worker_id,
                             settle=settle_time(self.svc.settings))
        for c in run.quiet:
            self._alerts_done.add((c.team_id, c.channel_id, session))
        for o in run.outcomes:
            (log.info if o.ok else log.warning)("alert: %s", outcome_line(o))
            if o.ok or (o.status == "failed" and not o.retryable):
                self._alerts_done.add((o.team_id, o.channel_id, o.session))
        return list(run.outcomes)

    # ------------------------------------------------------------------ exact wake-ups
    def _arm_wake(self, now: datetime) -> None:
        """Arm ``daily-wake`` at the earliest upcoming due time the 5-minute ticks miss."""
        sched = self.scheduler
        if sched is None:
            return
        dues = (next_due(self.svc.calendar, s.post_time, now)[1] for s in self.subscriptions.all_active())
        when = min((d for d in dues if not _on_tick_grid(d)), default=None)
        if when is None:
            if sched.get_job(WAKE_JOB_ID) is not None:
                sched.remove_job(WAKE_JOB_ID)
            return
        sched.add_job(
            self.tick,
            DateTrigger(run_date=when, timezone=TZ),
            id=WAKE_JOB_ID,
            name="daily post: exact due time",
            replace_existing=True,
            **JOB_OPTIONS,
        )
        log.debug("next daily wake-up at %s", when.astimezone(TZ))


def _on_tick_grid(t: datetime) -> bool:
    return t.minute % TICK_MINUTES == 0 and t.second == 0 and t.microsecond == 0


def build_scheduler(
    svc: Services,
    *,
    scheduler: BaseScheduler | None = None,
    runner: DailyClock | None = None,
    catch_up: bool = True,
) -> BaseScheduler:
    """A scheduler (not started) with the daily tick job, in America/New_York.

    ``catch_up``: the first tick runs as soon as the scheduler starts, so a post missed
    while the clock was down is made (the current session's only).
    """
    sched = scheduler if scheduler is not None else BackgroundScheduler(timezone=TZ)
    runner = runner or DailyClock(svc)
    runner.scheduler = sched
    extra: dict[str, Any] = {}
    if catch_up:
        extra["next_run_time"] = svc.clock().astimezone(TZ)
    sched.add_job(
        runner.tick,
        CronTrigger(minute=f"*/{TICK_MINUTES}", timezone=TZ),
        id=TICK_JOB_ID,
        name="daily market-leadership post",
        replace_existing=True,
        **JOB_OPTIONS,
        **extra,
    )
    return sched


def run_clock(svc: Services) -> int:
    """``streakbot clock``: run the scheduler until SIGTERM/SIGINT (exit 0)."""
    require_bot_token(svc.settings)
    logging.getLogger("bot").setLevel(svc.settings.log_level.upper())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # misfires still show
    sched = build_scheduler(svc, scheduler=BlockingScheduler(timezone=TZ))
    subs = svc.subscriptions.all_active()
    log.info(
        "clock started: %d active subscription(s); ticks every %d min (America/New_York); "
        "late closes are waited for %d min",
        len(subs), TICK_MINUTES, svc.settings.daily_retry_minutes,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        log.info("clock stopping (signal %d)", signum)
        sched.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        sched.start()
    return 0
