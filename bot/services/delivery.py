"""Exactly-once delivery of the daily post: a claim ledger, Slack metadata, then Slack.

The ledger (:class:`~bot.domain.ports.PostLedger`, in SQL: :mod:`bot.store.post_ledger`) has
one row per (team, channel, session), enforced by a UNIQUE key, and every post carries that
key in its Slack message ``metadata`` (:class:`~bot.domain.ports.DailySender`, over Slack:
:mod:`bot.adapters.slack_sender`).

Row states (``status``) and who may move them:

* ``claimed`` -- held (``claimed_by`` = ``host:pid:token``, :mod:`bot.adapters.senders`), nothing
  sent yet. ``claim`` inserts it; a second claimer hits the UNIQUE key and gets ``None``.
* ``sending`` -- held, and a ``chat.postMessage`` may be in flight (``claimed_at`` = when the
  latest attempt started). Written, and committed, before each request.
* ``uncertain`` -- released: a request was written but no answer came (timeout, dropped
  connection, 5xx). Slack may or may not have posted it.
* ``checking`` -- held by a run reading the channel's history for the post's key.
* ``sent`` (final, with ``message_ts``) and ``failed`` (released; Slack did not take it).

A row that exists is only taken over by a conditional update on (``id``, ``attempts``,
``status``) as last read, so two runs can never both win:

* ``failed`` with a retryable error -> ``claimed`` (at most :data:`MAX_ATTEMPTS` attempts); with a
  channel error (:data:`CHANNEL_ERRORS`) only when the channel was subscribed again
  (``retry_channel_errors``);
* ``claimed`` whose holder is dead -> ``claimed`` (nothing had been sent);
* ``sending`` whose holder is dead, ``uncertain``, ``checking`` whose holder is dead ->
  ``checking``: the history is read *before* anything is sent. Found -> ``sent`` with its
  ``ts``; not found -> sent once; history unreadable -> ``uncertain`` again (never a blind
  resend). A ``sending``/``uncertain`` row is only checked once ``settle`` (twice the Slack
  client's timeout) has passed since its request started, so Slack has finished with it.

A holder is dead when its lease (:data:`LEASE`) has expired, or sooner when it ran on this
host and its process is gone. Held rows of a live sender are left alone ("in progress").

What is left: Slack carrying out a request more than ``settle`` after it was written (the
check would miss it and the post would be sent again), and a channel with more than
:data:`~bot.adapters.slack_history.MAX_PAGES` pages of messages since the session began (then the run
reports the post as unconfirmed instead of checking; it never resends blindly).

:func:`deliver` runs one subscription: claim -> (history check) -> ``chat.postMessage`` with
the key in ``metadata``, 429s retried here after ``Retry-After`` (the client never retries a
``chat.postMessage``) -> ``sent``. The YTD chart is shared once
per run with every channel it posted to (:mod:`bot.services.fanout`). A failed chart upload is
logged and reported, never retried (the post itself is complete).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from bot.domain.ports import (
    CHECKING,
    CLAIMED,
    FAILED,
    SENDING,
    SENT,
    UNCERTAIN,
    ChannelHistoryError,
    Claim,
    DailySender,
    LedgerRow,
    PostLedger,
    PostMarks,
    SendResult,
    Subscriber,
)
from bot.domain.time import require_aware

log = logging.getLogger(__name__)

__all__ = [
    "CHANNEL_ERRORS",
    "LEASE",
    "MAX_ATTEMPTS",
    "SETTLE",
    "Claim",
    "DailyPost",
    "Outcome",
    "Reason",
    "ReasonCode",
    "claim",
    "deliver",
    "mark_failed",
    "mark_sent",
    "mark_uncertain",
    "start_sending",
]

LEASE = timedelta(minutes=10)
SETTLE = timedelta(seconds=30)  # twice the Slack client's default timeout
MAX_ATTEMPTS = 6
MAX_RATE_LIMITED = 3  # 429 retries of one send (Slack did not take a 429'd request)
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is left to the next run
# Slack errors that mean "this channel cannot receive the bot's posts until a human acts".
CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived", "account_inactive"})

HELD = frozenset({CLAIMED, SENDING, CHECKING})


def _utc(dt: datetime) -> datetime:
    require_aware(dt, "now")
    return dt.astimezone(UTC)


Why = Literal["sent", "live", "settling", "refused", "take", "check"]


def _judge(
    ledger: PostLedger, row: LedgerRow, at: datetime, *, lease: timedelta, settle: timedelta,
    max_attempts: int, retry_channel_errors: bool,
) -> Why:
    """What a run may do with an existing row at ``at`` (see the module docstring)."""
    status, claimed_at = row.status, row.claimed_at
    if status == SENT:
        return "sent"
    if status == FAILED:
        if row.attempts >= max_attempts:
            return "refused"
        if (row.error or "") in CHANNEL_ERRORS and not retry_channel_errors:
            return "refused"
        return "take"
    if status in HELD and ledger.holder_is_live(row.claimed_by, claimed_at, at, lease):
        return "live"
    if status == CLAIMED:
        return "take" if row.attempts < max_attempts else "refused"
    if status in (SENDING, UNCERTAIN):
        return "check" if at >= claimed_at + settle else "settling"
    if status == CHECKING:
        return "check"
    return "refused"


def claim(
    ledger: PostLedger,
    team_id: str,
    channel_id: str,
    session: date,
    worker_id: str,
    now: datetime,
    *,
    lease: timedelta = LEASE,
    settle: timedelta = SETTLE,
    max_attempts: int = MAX_ATTEMPTS,
    retry_channel_errors: bool = False,
) -> Claim | None:
    """Claim the post of ``session`` to a channel; ``None`` if someone else has or had it.

    See the module docstring for when an existing row is taken over.
    """
    at = _utc(now)
    c = ledger.insert_claim(team_id, channel_id, session, worker_id, at)
    if c is not None:
        return c
    row = ledger.row(team_id, channel_id, session)
    if row is None:
        return None
    why = _judge(ledger, row, at, lease=lease, settle=settle, max_attempts=max_attempts,
                 retry_channel_errors=retry_channel_errors)
    if why not in ("take", "check"):
        return None
    if not ledger.take_over(row, worker_id, at, CHECKING if why == "check" else CLAIMED):
        return None
    log.info(
        "took over the %s post to %s/%s (was %s by %s, attempt %d)%s",
        session, team_id, channel_id, row.status, row.claimed_by, row.attempts + 1,
        ": checking the channel first" if why == "check" else "",
    )
    return Claim(row.id, team_id, channel_id, session, worker_id, at, row.attempts + 1,
                 check_first=why == "check")


def start_sending(ledger: PostLedger, c: Claim, now: datetime) -> bool:
    """Record that a request is about to be written (committed before it is); False if lost."""
    return ledger.start_sending(c, _utc(now))


def mark_sent(ledger: PostLedger, c: Claim, ts: str | None, now: datetime) -> bool:
    """The post went out; False if the claim was lost meanwhile (lease expired, taken over)."""
    done = ledger.mark_sent(c, ts, _utc(now))
    if not done:
        log.warning("the %s post to %s was sent but its claim had been taken over", c.session, c.channel_id)
    return done


def mark_failed(ledger: PostLedger, c: Claim, error: str) -> bool:
    """The post did not go out; the row is re-claimable (see :func:`claim`)."""
    return ledger.mark_failed(c, error)


def mark_uncertain(ledger: PostLedger, c: Claim, error: str) -> bool:
    """Release a claim whose send may have reached Slack: the next run checks the channel."""
    return ledger.mark_uncertain(c, error)


# --------------------------------------------------------------------------- delivery
@dataclass(frozen=True)
class DailyPost:
    """What goes to every channel for one session (built once per run)."""

    session: date  # the ledger key: the NYSE session this post is for
    data_session: date  # the session the figures describe (earlier when data is late)
    text: str  # plain-text fallback (notifications, screen readers)
    blocks: list[dict[str, Any]]
    chart_png: bytes | None = None
    chart_filename: str = "market-leadership.png"
    chart_title: str = "Year to date"


OutcomeStatus = Literal["posted", "already posted", "found", "in progress", "uncertain", "failed"]
CONFIRMED: frozenset[str] = frozenset({"posted", "already posted", "found"})

ReasonCode = Literal[
    "slack_refused", "channel_refused", "rate_limited", "not_retried", "crashed",
    "in_progress", "no_answer", "unchecked",
]


@dataclass(frozen=True)
class Reason:
    """Why a channel's post is not confirmed, as data (the words: :mod:`bot.render.delivery`).

    ``code``:

    * ``slack_refused`` -- Slack did not take it; ``error`` is its error code or the exception;
    * ``channel_refused`` -- a channel error (:data:`CHANNEL_ERRORS`); ``error`` is the code;
    * ``rate_limited`` -- 429s used up, or the shared gate closed too long; ``error`` is the
      code stored in the ledger, ``retry_after`` Slack's wait (seconds);
    * ``not_retried`` -- an earlier failure this run does not retry; ``error`` as stored (or
      ``None``), ``attempts`` set when it gave up after :data:`MAX_ATTEMPTS`;
    * ``crashed`` -- this run raised; ``exception`` the exception's type, ``error`` its message;
    * ``in_progress`` -- a live sender holds it: ``holder``;
    * ``no_answer`` -- a send got no clear answer; ``error`` what it got instead (``None``: a
      send was interrupted);
    * ``unchecked`` -- the channel's history could not be read; ``error`` says why.
    """

    code: ReasonCode
    error: str | None = None
    exception: str | None = None
    attempts: int | None = None
    retry_after: float | None = None
    holder: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What happened for one channel.

    ``ok`` only when the post is confirmed in the channel. "in progress" (a live sender
    holds it) and "uncertain" (a send's outcome is unknown; from ``retry_at`` on a run
    can check the channel) are not; ``reason`` says why for those and for "failed".
    ``chart_error`` is Slack's error for a chart that was not shared.
    """

    team_id: str
    channel_id: str
    session: date
    status: OutcomeStatus
    reason: Reason | None = None
    ts: str | None = None
    chart_error: str | None = None
    retryable: bool = True  # for "failed"/"uncertain": will a later run try again?
    retry_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status in CONFIRMED

    @property
    def holder(self) -> str | None:
        """The live sender that holds an "in progress" post."""
        return self.reason.holder if self.reason is not None else None


Sleep = Callable[[float], None]


def _describe(
    ledger: PostLedger, subs: PostMarks, sub: Subscriber, session: date, at: datetime, *,
    lease: timedelta, settle: timedelta, retry_channel_errors: bool,
) -> Outcome:
    """Why this run could not claim the post: the Outcome for the row as it is now."""
    team, channel = sub.team_id, sub.channel_id
    row = ledger.row(team, channel, session)
    if row is None:
        return Outcome(team, channel, session, "failed", Reason("not_retried"), retryable=False)
    why = _judge(ledger, row, at, lease=lease, settle=settle, max_attempts=MAX_ATTEMPTS,
                 retry_channel_errors=retry_channel_errors)
    if why == "sent":
        subs.mark_posted(team, channel, session)
        return Outcome(team, channel, session, "already posted", ts=row.message_ts)
    if why == "live":
        return Outcome(team, channel, session, "in progress", Reason("in_progress", holder=row.claimed_by))
    if why in ("settling", "take", "check"):  # "take"/"check": lost a race just now
        retry_at = row.claimed_at + settle if why == "settling" else at
        return Outcome(team, channel, session, "uncertain", Reason("no_answer", error=row.error),
                       retry_at=retry_at)
    gave_up = row.attempts if row.attempts >= MAX_ATTEMPTS else None
    return Outcome(team, channel, session, "failed", Reason("not_retried", error=row.error, attempts=gave_up),
                   retryable=False)


def deliver(
    ledger: PostLedger,
    sender: DailySender,
    subscriptions: PostMarks,
    sub: Subscriber,
    post: DailyPost,
    *,
    worker_id: str,
    now: datetime,
    lease: timedelta = LEASE,
    settle: timedelta = SETTLE,
    sleep: Sleep = time.sleep,
) -> Outcome:
    """Post ``post`` to one subscription, at most once per (team, channel, session).

    The chart is not uploaded here: the fan-out shares one upload with every channel it
    posted to (:mod:`bot.services.fanout`).

    A 429 is retried here after ``Retry-After`` (Slack did not take the message), at most
    :data:`MAX_RATE_LIMITED` times; then, like any answer that says the message was not
    posted, the row is ``failed`` and the next run retries it. With the sender's shared
    ``post_gate_for(team)`` a 429 pauses ``chat.postMessage`` to that workspace for every sender of the run, and every
    attempt first waits for the gate (the wait counts in the attempt's start time); a gate
    closed for longer than :data:`MAX_RETRY_AFTER` fails the post without sending (the next
    run retries it). A channel error (:data:`CHANNEL_ERRORS`) marks the subscription failing
    (shown by ``/leaders status``) so it is not retried until someone subscribes again. A
    send with no clear answer is ``uncertain``: checked in the channel's history before any
    resend.
    """
    subs = subscriptions
    team, channel, session = sub.team_id, sub.channel_id, post.session
    retry_channel = not sub.failing
    c = claim(ledger, team, channel, session, worker_id, now, lease=lease, settle=settle,
              retry_channel_errors=retry_channel)
    if c is None:
        return _describe(ledger, subs, sub, session, _utc(now), lease=lease, settle=settle,
                         retry_channel_errors=retry_channel)

    if c.check_first:
        try:
            found = sender.find_post(team, channel, session)
        except ChannelHistoryError as exc:
            note = f"the channel could not be checked ({exc})"  # the ledger's error: for a later run
            mark_uncertain(ledger, c, note[:200])
            log.warning("daily post to %s/%s not confirmed: %s", team, channel, note)
            return Outcome(team, channel, session, "uncertain", Reason("unchecked", error=str(exc)))
        if found is not None:
            mark_sent(ledger, c, found, now)
            subs.mark_posted(team, channel, session)
            log.info("the %s post to %s/%s had gone through (ts %s)", session, team, channel, found)
            return Outcome(team, channel, session, "found", ts=found)
        log.info("the %s post to %s/%s is not in the channel: sending it", session, team, channel)

    gate = sender.post_gate_for(team)
    slept = 0.0  # ``now`` is when this call began; each attempt starts after the waits so far
    result = SendResult("unknown")
    for rate_limited in range(MAX_RATE_LIMITED + 1):
        if gate is not None:
            closed = gate.remaining()
            if closed > MAX_RETRY_AFTER:
                return _failed(ledger, subs, c, "ratelimited", retry_after=closed)
            slept += gate.wait()
        send_at = _utc(now) + timedelta(seconds=slept)
        if not start_sending(ledger, c, send_at):
            return _describe(ledger, subs, sub, session, send_at, lease=lease, settle=settle,
                             retry_channel_errors=retry_channel)
        result = sender.send_post(team, channel, session, post.text, post.blocks)
        err = result.error or result.kind
        if result.kind == "posted":
            break
        if result.kind == "rate_limited":
            wait = result.retry_after
            if gate is not None:
                gate.pause(wait)
            if rate_limited < MAX_RATE_LIMITED and wait <= MAX_RETRY_AFTER:
                log.info("daily post to %s/%s rate limited: retrying in %.0f s", team, channel, wait)
                if gate is None:
                    sleep(wait)
                    slept += wait
                continue
            return _failed(ledger, subs, c, err, retry_after=wait)
        if result.kind == "unknown":
            return _uncertain(ledger, c, err, send_at + settle)
        return _failed(ledger, subs, c, err)

    ts = result.ts
    mark_sent(ledger, c, ts, now)
    subs.mark_posted(team, channel, session)
    log.info("posted the %s summary to %s/%s (ts %s)", session, team, channel, ts)
    return Outcome(team, channel, session, "posted", ts=ts)


def _failed(
    ledger: PostLedger, subs: PostMarks, c: Claim, err: str, *, retry_after: float | None = None
) -> Outcome:
    """``retry_after`` (a 429's wait) makes it ``rate_limited``."""
    team, channel = c.team_id, c.channel_id
    mark_failed(ledger, c, err)
    if err in CHANNEL_ERRORS:
        subs.mark_failing(team, channel, err, c.claimed_at)
        log.warning("daily post to %s/%s refused (%s): subscription marked failing", team, channel, err)
        return Outcome(team, channel, c.session, "failed", Reason("channel_refused", error=err),
                       retryable=False)
    log.warning("daily post to %s/%s failed (%s); the next run retries it", team, channel, err)
    if retry_after is not None:
        return Outcome(team, channel, c.session, "failed",
                       Reason("rate_limited", error=err, retry_after=retry_after))
    return Outcome(team, channel, c.session, "failed", Reason("slack_refused", error=err))


def _uncertain(ledger: PostLedger, c: Claim, err: str, retry_at: datetime) -> Outcome:
    mark_uncertain(ledger, c, err)
    log.warning("daily post to %s/%s: no clear answer (%s); checked in the channel before any resend",
                c.team_id, c.channel_id, err)
    return Outcome(c.team_id, c.channel_id, c.session, "uncertain", Reason("no_answer", error=err),
                   retry_at=retry_at)
