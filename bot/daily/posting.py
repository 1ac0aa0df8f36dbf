"""Exactly-once delivery of the daily post: a claim ledger in SQL, then Slack.

The ``posts`` table has one row per (team, channel, session), enforced by a UNIQUE key.
A sender first **claims** the row, then posts, then marks it sent:

* ``claim`` INSERTs a ``claimed`` row in its own transaction. A second claimer -- another
  thread, or another ``post-daily``/``clock`` process on the same database -- hits the
  UNIQUE key (``IntegrityError``) and gets ``None``: only one of them posts.
* A row that already exists is only taken over by an atomic conditional UPDATE that
  checks ``rowcount == 1``, so two re-claimers can never both win:

  - ``sent``: final, never claimed again;
  - ``claimed`` with ``claimed_at`` older than :data:`LEASE`: its sender crashed (or hung)
    between claiming and finishing -- re-claimed;
  - ``failed`` with a retryable error (429 after the client's own retries, 5xx, network):
    re-claimed by the next run, at most :data:`MAX_ATTEMPTS` attempts in all;
  - ``failed`` with a channel error (:data:`CHANNEL_ERRORS`: the bot was removed, the
    channel deleted or archived): only re-claimed when the caller says the channel was
    fixed (``retry_channel_errors=True``, used for subscriptions that were subscribed
    again after failing), so it is not retried forever.

  The UPDATE also matches the ``attempts`` value that was read (an optimistic version),
  so a row changed in between is left alone.

* ``mark_sent``/``mark_failed`` only touch the row while this claim still holds it (same
  ``claimed_by`` and ``attempts``).

What is not covered: if a process dies after Slack accepted the message but before
``mark_sent`` committed, the lease expires and the next run posts again (Slack offers no
idempotency key for ``chat.postMessage``). ``mark_sent`` is therefore written right
after ``chat.postMessage`` succeeds, before the chart upload, to keep that window short.

:func:`deliver` runs one subscription: claim -> ``chat.postMessage`` (Block Kit blocks plus
the plain-text fallback) -> ``mark_sent`` -> the YTD chart uploaded with files v2
(``files_upload_v2``: getUploadURLExternal, upload, completeUploadExternal) **as a reply in
the post's thread** (``thread_ts``), so the channel shows one message per day and the
chart sits right under it. A failed chart upload is logged and reported, never retried
(the post itself is complete).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import ColumnElement, Engine, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.subscriptions import Subscription, SubscriptionStore
from bot.store.tables import posts

log = logging.getLogger(__name__)

__all__ = [
    "CHANNEL_ERRORS",
    "LEASE",
    "MAX_ATTEMPTS",
    "Claim",
    "DailyPost",
    "Outcome",
    "claim",
    "deliver",
    "ledger_row",
    "mark_failed",
    "mark_sent",
    "new_worker_id",
]

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 6
# Slack errors that mean "this channel cannot receive the bot's posts until a human acts".
CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived", "account_inactive"})

CLAIMED, SENT, FAILED = "claimed", "sent", "failed"


def new_worker_id() -> str:
    """``host:pid:random`` -- who holds a claim (for logs and the ledger)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {dt!r}")
    return dt.astimezone(UTC)


@dataclass(frozen=True)
class Claim:
    """The right to send one post: the ledger row ``id`` at ``attempts``, held by ``worker_id``."""

    id: int
    team_id: str
    channel_id: str
    session: date
    worker_id: str
    claimed_at: datetime
    attempts: int


def _holds(c: Claim) -> ColumnElement[bool]:
    return and_(posts.c.id == c.id, posts.c.claimed_by == c.worker_id, posts.c.attempts == c.attempts)


def ledger_row(engine: Engine, team_id: str, channel_id: str, session: date) -> dict[str, Any] | None:
    """The ledger row for one post, as a dict (``None`` if never claimed)."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(posts).where(
                    posts.c.team_id == team_id,
                    posts.c.channel_id == channel_id,
                    posts.c.session == session,
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row is not None else None


def last_sent(engine: Engine, team_id: str, channel_id: str) -> dict[str, Any] | None:
    """The most recent ``sent`` row of a channel (for ``/leaders status``)."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(posts)
                .where(posts.c.team_id == team_id, posts.c.channel_id == channel_id, posts.c.status == SENT)
                .order_by(posts.c.session.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
    return dict(row) if row is not None else None


def claim(
    engine: Engine,
    team_id: str,
    channel_id: str,
    session: date,
    worker_id: str,
    now: datetime,
    *,
    lease: timedelta = LEASE,
    max_attempts: int = MAX_ATTEMPTS,
    retry_channel_errors: bool = False,
) -> Claim | None:
    """Claim the post of ``session`` to a channel; ``None`` if someone else has or had it.

    See the module docstring for when an existing row is taken over.
    """
    at = _utc(now)
    try:
        with engine.begin() as conn:
            res = conn.execute(
                insert(posts).values(
                    team_id=team_id,
                    channel_id=channel_id,
                    session=session,
                    status=CLAIMED,
                    claimed_by=worker_id,
                    claimed_at=at,
                    attempts=1,
                )
            )
            pk = res.inserted_primary_key
        assert pk is not None
        return Claim(int(pk[0]), team_id, channel_id, session, worker_id, at, 1)
    except IntegrityError:
        pass

    row = ledger_row(engine, team_id, channel_id, session)
    if row is None or row["status"] == SENT or row["attempts"] >= max_attempts:
        return None
    if row["status"] == FAILED and (row["error"] or "") in CHANNEL_ERRORS and not retry_channel_errors:
        return None
    cutoff = at - lease
    with engine.begin() as conn:
        n = conn.execute(
            update(posts)
            .where(
                posts.c.id == row["id"],
                posts.c.attempts == row["attempts"],
                or_(
                    posts.c.status == FAILED,
                    and_(posts.c.status == CLAIMED, posts.c.claimed_at < cutoff),
                ),
            )
            .values(
                status=CLAIMED,
                claimed_by=worker_id,
                claimed_at=at,
                attempts=posts.c.attempts + 1,
                error=None,
            )
        ).rowcount
    if n != 1:
        return None
    log.info(
        "re-claimed the %s post to %s/%s (was %s, attempt %d)",
        session, team_id, channel_id, row["status"], row["attempts"] + 1,
    )
    return Claim(int(row["id"]), team_id, channel_id, session, worker_id, at, int(row["attempts"]) + 1)


def mark_sent(engine: Engine, c: Claim, ts: str | None, now: datetime) -> bool:
    """The post went out; False if the claim was lost meanwhile (lease expired, taken over)."""
    with engine.begin() as conn:
        n = conn.execute(
            update(posts).where(_holds(c)).values(status=SENT, sent_at=_utc(now), message_ts=ts, error=None)
        ).rowcount
    if n != 1:
        log.warning("the %s post to %s was sent but its claim had been taken over", c.session, c.channel_id)
    return n == 1


def mark_failed(engine: Engine, c: Claim, error: str) -> bool:
    """The post did not go out; the row is re-claimable (see :func:`claim`)."""
    with engine.begin() as conn:
        n = conn.execute(update(posts).where(_holds(c)).values(status=FAILED, error=error)).rowcount
    return n == 1


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


OutcomeStatus = Literal["posted", "already posted", "in progress", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What happened for one channel."""

    team_id: str
    channel_id: str
    session: date
    status: OutcomeStatus
    error: str | None = None
    ts: str | None = None
    chart_error: str | None = None
    retryable: bool = True  # for "failed": will a later run try again?

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def line(self) -> str:
        where = f"{self.channel_id} ({self.team_id})"
        if self.status == "failed":
            return f"{where}: failed: {self.error}"
        if self.status == "in progress":
            return f"{where}: already being posted by another run"
        if self.status == "posted" and self.chart_error:
            return f"{where}: posted (chart not uploaded: {self.chart_error})"
        return f"{where}: {self.status}"


def _slack_error(exc: SlackApiError) -> str:
    resp = exc.response
    err = resp.get("error") if resp is not None else None
    status = getattr(resp, "status_code", None)
    return str(err or f"HTTP {status}")


def deliver(
    engine: Engine,
    client: WebClient,
    sub: Subscription,
    post: DailyPost,
    *,
    worker_id: str,
    now: datetime,
    subscriptions: SubscriptionStore | None = None,
) -> Outcome:
    """Post ``post`` to one subscription, at most once per (team, channel, session).

    Slack's 429s (Retry-After) and 5xx are retried inside the WebClient's retry handlers;
    if the call still fails the ledger row is ``failed`` and the next run retries it. A
    channel error (:data:`CHANNEL_ERRORS`) marks the subscription failing (shown by
    ``/leaders status``) so it is not retried until someone subscribes again.
    """
    subs = subscriptions or SubscriptionStore(engine)
    team, channel, session = sub.team_id, sub.channel_id, post.session
    c = claim(engine, team, channel, session, worker_id, now, retry_channel_errors=not sub.failing)
    if c is None:
        row = ledger_row(engine, team, channel, session)
        if row is not None and row["status"] == SENT:
            subs.mark_posted(team, channel, session)
            return Outcome(team, channel, session, "already posted", ts=row["message_ts"])
        if row is not None and row["status"] == CLAIMED:
            return Outcome(team, channel, session, "in progress")
        row = row or {}
        err = str(row.get("error") or "not retried")
        attempts = int(row.get("attempts") or 0)
        if attempts >= MAX_ATTEMPTS:
            err += f" (gave up after {attempts} attempts)"
        return Outcome(team, channel, session, "failed", error=err, retryable=False)

    try:
        resp = client.chat_postMessage(
            channel=channel, text=post.text, blocks=post.blocks, unfurl_links=False, unfurl_media=False
        )
    except SlackApiError as exc:
        err = _slack_error(exc)
        mark_failed(engine, c, err)
        if err in CHANNEL_ERRORS:
            subs.mark_failing(team, channel, err, now)
            log.warning("daily post to %s/%s refused (%s): subscription marked failing", team, channel, err)
            return Outcome(team, channel, session, "failed", error=err, retryable=False)
        log.warning("daily post to %s/%s failed (%s); the next run retries it", team, channel, err)
        return Outcome(team, channel, session, "failed", error=err)
    except Exception as exc:  # network down after the client's retries, etc.
        err = f"{type(exc).__name__}: {exc}"[:200]
        mark_failed(engine, c, err)
        log.warning("daily post to %s/%s failed (%s); the next run retries it", team, channel, err)
        return Outcome(team, channel, session, "failed", error=err)

    ts = resp.get("ts")
    mark_sent(engine, c, ts, now)
    subs.mark_posted(team, channel, session)
    log.info("posted the %s summary to %s/%s (ts %s)", session, team, channel, ts)

    chart_error: str | None = None
    if post.chart_png:
        try:
            client.files_upload_v2(
                channel=channel,
                thread_ts=ts,
                content=post.chart_png,
                filename=post.chart_filename,
                title=post.chart_title,
            )
        except SlackApiError as exc:
            chart_error = _slack_error(exc)
        except Exception as exc:
            chart_error = f"{type(exc).__name__}: {exc}"[:200]
        if chart_error:
            log.warning("chart upload to %s/%s failed: %s", team, channel, chart_error)
    return Outcome(team, channel, session, "posted", ts=ts, chart_error=chart_error)
