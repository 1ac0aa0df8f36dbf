"""``streakbot alerts [--session DATE]``, and the alert step of the clock.

For one session, every channel with alerts on gets at most one message listing that
session's notable events for what it watches (:func:`bot.services.alerts.detect`, worded by
:mod:`bot.render.alerts`); a channel with nothing notable gets nothing, and no ledger row.

Exactly once per (team, channel, session): the same ledger rules as the daily post
(:func:`bot.services.delivery.deliver`: claimed under a UNIQUE key before sending, the key in
the message's ``metadata``, an unknown outcome looked up in the channel before any resend),
on a ledger of its own (``alert_posts``) and with its own metadata type (``streakbot_alert``),
so an alert and the daily post of one session never stand for each other. Two clocks, a
cron run beside the clock, a restart or a retry never repeat an alert; a failed send is
retried by the next run (or tick).

Alerts are their own message, not part of the daily post: they go out once the session is
in the data, after the close has settled (close + 15 min), to channels that may have no
daily post at all or one at another time; sharing the daily post's message would tie an
alert to that channel's post time and one ledger key to two features.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.adapters.calendar import NyseCalendar
from bot.adapters.senders import new_worker_id
from bot.domain.errors import UserError
from bot.domain.ports import DailySender, PostLedger
from bot.domain.provenance import source_words
from bot.render.alerts import alert_message
from bot.render.delivery import outcome_line
from bot.render.format import fmt_date
from bot.services.alerts import Notable, WatchList, detect, notable_key, watch_list
from bot.services.delivery import SETTLE, DailyPost, Outcome, Reason, deliver
from bot.services.market import Market
from bot.store.alerts import AlertChannel, AlertStore, split_pair_key

log = logging.getLogger(__name__)

__all__ = ["AlertRun", "channel_watch", "deliver_alerts", "run_alerts"]

EXIT_OK, EXIT_FAILURE = 0, 1
MAX_PASSES = 200


def channel_watch(ch: AlertChannel) -> WatchList:
    """The channel's effective watch list (defaults, minus removed, plus added)."""
    return watch_list(
        ch.threshold,
        pairs_added=[split_pair_key(k) for k in ch.pairs_added],
        pairs_removed=[split_pair_key(k) for k in ch.pairs_removed],
        records_added=ch.records_added,
        records_removed=ch.records_removed,
    )


@dataclass(frozen=True)
class AlertRun:
    """What one run did: an outcome per channel that had something to send, and the
    channels with nothing notable."""

    outcomes: tuple[Outcome, ...]
    quiet: tuple[AlertChannel, ...]


def _post(n: Notable, market: Market) -> DailyPost:
    text, blocks = alert_message(n, source_words(market.origin, n.symbols()))
    return DailyPost(session=n.session, data_session=n.session, text=text, blocks=blocks)


def deliver_alerts(
    market: Market,
    ledger: PostLedger,
    sender: DailySender,
    store: AlertStore,
    channels: Sequence[AlertChannel],
    session: date,
    clock: Callable[[], datetime],
    *,
    worker_id: str | None = None,
    settle: timedelta = SETTLE,
    max_wait: float = 0.0,
    poll: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> AlertRun:
    """Detect and deliver ``session``'s alerts to ``channels`` (``session`` in the data).

    Channels with the same watch list share one detection. A channel another sender holds,
    or whose send had no clear answer, is tried again for up to ``max_wait`` seconds.
    """
    worker = worker_id or new_worker_id()
    found: dict[tuple[object, ...], Notable] = {}
    posts: dict[tuple[str, str], DailyPost] = {}
    quiet: list[AlertChannel] = []
    for ch in channels:
        watch = channel_watch(ch)
        key = notable_key(watch)
        if key not in found:
            found[key] = detect(market, session, watch)
        n = found[key]
        if n:
            posts[ch.team_id, ch.channel_id] = _post(n, market)
        else:
            quiet.append(ch)
    due = [ch for ch in channels if (ch.team_id, ch.channel_id) in posts]
    final: dict[tuple[str, str], Outcome] = {}
    deadline = time.monotonic() + max_wait
    for _ in range(MAX_PASSES):
        waits: list[float] = []
        again: list[AlertChannel] = []
        for ch in due:
            try:
                o = deliver(ledger, sender, store, ch, posts[ch.team_id, ch.channel_id],
                            worker_id=worker, now=clock(), settle=settle)
            except Exception as exc:  # one channel's database hiccup must not stop the rest
                log.exception("alert to %s/%s failed", ch.team_id, ch.channel_id)
                o = Outcome(ch.team_id, ch.channel_id, session, "failed",
                            Reason("crashed", error=str(exc), exception=type(exc).__name__))
            final[ch.team_id, ch.channel_id] = o
            if o.status == "in progress":
                waits.append(poll)
                again.append(ch)
            elif o.status == "uncertain" and o.retry_at is not None:
                waits.append(max((o.retry_at - clock()).total_seconds(), 0.05))
                again.append(ch)
        remaining = deadline - time.monotonic()
        if not again or remaining <= 0:
            break
        sleep(min(*waits, remaining))
        due = again
    outcomes = tuple(final[ch.team_id, ch.channel_id] for ch in channels if (ch.team_id, ch.channel_id) in final)
    return AlertRun(outcomes, tuple(quiet))


def _check_session(calendar: NyseCalendar, session: date, last_completed: date) -> None:
    try:
        ok = calendar.is_session(session)
    except ValueError:
        raise UserError(f"{session:%Y-%m-%d} is outside the NYSE calendar.") from None
    if not ok:
        raise UserError(f"{session:%Y-%m-%d} is not an NYSE session (holiday or weekend): no alerts.")
    if session > last_completed:
        raise UserError(
            f"The {fmt_date(session)} session has not closed yet (the last completed NYSE session "
            f"is {fmt_date(last_completed)}): no alerts."
        )


def run_alerts(
    market: Market,
    calendar: NyseCalendar,
    ledger: PostLedger,
    sender: Callable[[], DailySender],
    store: AlertStore,
    clock: Callable[[], datetime],
    session: date | None,
    *,
    refresh: Callable[[datetime], str | None] | None = None,
    settle: timedelta = SETTLE,
) -> int:
    """``streakbot alerts [--session DATE]``: one line per channel; exit 0 when every channel
    with something to send is confirmed (sent now, found in the channel, or already sent)."""
    now = clock()
    last_completed = calendar.last_completed_session(now)
    if session is None:
        session = last_completed
    else:
        _check_session(calendar, session, last_completed)
    channels = store.all_enabled()
    if not channels:
        print("No channel has alerts on: nothing sent.")
        return EXIT_OK
    if refresh is not None and market.last_date("^GSPC") < session:
        refresh(now)
    if market.last_date("^GSPC") < session:
        print(f"The {fmt_date(session)} close is not in the data yet (data as of "
              f"{fmt_date(market.last_date('^GSPC'))}): no alerts sent; run again once it is.")
        return EXIT_FAILURE
    # Like post-daily: wait up to twice the settle time for sends with no clear answer.
    run = deliver_alerts(market, ledger, sender(), store, channels, session, clock, settle=settle,
                         max_wait=2 * settle.total_seconds())
    print(f"Alerts for {fmt_date(session)}: {len(run.outcomes)} channel(s) with something notable, "
          f"{len(run.quiet)} with nothing")
    for o in run.outcomes:
        print(outcome_line(o))
    return EXIT_OK if all(o.ok for o in run.outcomes) else EXIT_FAILURE
