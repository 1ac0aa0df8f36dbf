"""``/leaders [subscribe [HH:MM] | unsubscribe | status | help]``: the daily leadership post.

* ``/leaders`` -- the summary of the latest session in the data, in the channel now;
* ``/leaders 2026-01-22`` or ``/leaders --session 2026-01-22`` -- a past session's summary;
* ``/leaders subscribe [HH:MM]`` -- post it here after each NYSE session (New York time;
  default 16:30, or the channel's current time when it is already subscribed);
* ``/leaders unsubscribe`` / ``/leaders status`` / ``/leaders help``.

Every command is acknowledged at once; answers follow through ``response_url`` (ephemeral,
except the summary itself). Bad input gets the usage in the acknowledgement.

``subscribe`` first asks Slack (``conversations.info``) whether the bot is in the channel:
if it is not, nothing is subscribed and the reply says how to invite it. Any member of a
channel may subscribe it, change its time or unsubscribe it (the Slack norm for a
channel's integrations: the channel's own members decide); ``status`` says who set it
last, and a change names the previous setter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from typing import Any, Literal

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.daily.commands import prepare, summary_message
from bot.domain.errors import UserError
from bot.domain.time import parse_iso_date
from bot.questions.command_text import parse_date_word
from bot.render.daily import day_label
from bot.render.format import fmt_date
from bot.render.messages import Message, error_message, section
from bot.services.market import Market
from bot.services.schedule import DEFAULT_POST_TIME, SETTLE, TZ, next_due, parse_post_time
from bot.slack.deps import LeadersDeps
from bot.slack.listeners.common import ack_then_answer, respond_with
from bot.store.subscriptions import Subscription, SubscriptionStore

log = logging.getLogger(__name__)

__all__ = [
    "LEADERS_USAGE",
    "LeadersArgs",
    "cached_now_message",
    "channel_access",
    "failing_advice",
    "handle_leaders",
    "parse_leaders_text",
    "register",
    "schedule_sentence",
    "session_message",
]

LEADERS_USAGE = (
    "*Usage:* `/leaders` — the market-leadership summary for the latest session, posted here.\n"
    "• `/leaders 2026-01-22` (or `/leaders --session 2026-01-22`) — a past session's summary\n"
    "• `/leaders subscribe [HH:MM]` — post it in this channel after each NYSE session "
    "(New York time; default 16:30, or the channel's current time)\n"
    "• `/leaders unsubscribe` — stop the daily post here\n"
    "• `/leaders status` — this channel's subscription, last post and any delivery problem\n"
    "• `/leaders help` — this help"
)

Action = Literal["now", "subscribe", "unsubscribe", "status", "help"]
_ACTIONS: dict[str, Action] = {
    "now": "now", "today": "now",
    "subscribe": "subscribe", "unsubscribe": "unsubscribe", "status": "status",
    "help": "help", "-h": "help", "--help": "help", "?": "help",
}
NORMAL_CLOSE, EARLY_CLOSE = time(16, 0), time(13, 0)
@dataclass(frozen=True)
class LeadersArgs:
    action: Action
    post_time: time | None = None  # subscribe: the time given, if any
    session: date | None = None  # now: a past session's summary instead of the latest


def _session_args(words: list[str]) -> LeadersArgs:
    """``["2026-01-22"]``, ``["--session", "2026-01-22"]`` or ``["--session=2026-01-22"]``."""
    head = words[0]
    low = head.lower()
    if low.startswith("--session"):
        if "=" in head:
            value, rest = head.split("=", 1)[1], words[1:]
        elif len(words) > 1:
            value, rest = words[1], words[2:]
        else:
            raise UserError("--session needs a date, e.g. /leaders --session 2026-01-22.")
        shown = f"--session {value}"
    else:
        value, rest, shown = head, words[1:], head
    day = parse_date_word(value) or parse_iso_date(value)
    if rest:
        raise UserError(f"`/leaders {shown}` takes nothing after it.")
    return LeadersArgs("now", session=day)


def parse_leaders_text(text: str) -> LeadersArgs:
    """``"subscribe 4:30 pm"`` -> ``LeadersArgs("subscribe", time(16, 30))``; UserError if bad.

    A date (``2026-01-22``, ``1/22/2026``, ``--session 2026-01-22``) asks for that
    session's summary.
    """
    words = (text or "").replace("\u2014", "--").replace("\u2013", "--").split()
    if not words:
        return LeadersArgs("now")
    if words[0].lower().startswith("--session") or parse_date_word(words[0]) is not None:
        return _session_args(words)
    action = _ACTIONS.get(words[0].lower())
    if action is None:
        raise UserError(f"Unknown /leaders option '{words[0]}'.")
    rest = words[1:]
    if action == "subscribe":
        if not rest:
            return LeadersArgs("subscribe")
        try:
            return LeadersArgs("subscribe", parse_post_time(" ".join(rest)))
        except ValueError as exc:
            raise UserError(str(exc)) from None
    if rest:
        raise UserError(f"`/leaders {words[0].lower()}` takes nothing after it.")
    return LeadersArgs(action)


def _hhmm(t: time | datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _after_close(close: time) -> time:
    return (datetime.combine(datetime.min, close) + SETTLE).time()


def schedule_sentence(wanted: time) -> str:
    """When the post goes out, in words (no final period).

    ``after each NYSE session at 16:30 New York time (13:00-close days: also 16:30)``
    """
    normal = max(wanted, _after_close(NORMAL_CLOSE))
    early = max(wanted, _after_close(EARLY_CLOSE))
    if normal == wanted:
        return f"after each NYSE session at {_hhmm(wanted)} New York time (13:00-close days: also {_hhmm(wanted)})"
    early_text = f"also {_hhmm(early)}" if early == wanted else _hhmm(early)
    return (
        f"after each NYSE session at {_hhmm(normal)} New York time (13:00-close days: "
        f"{early_text}): the post never goes out before the close + 15 minutes, so "
        f"{_hhmm(wanted)} means {_hhmm(normal)} on normal days"
    )


_INVITE = "Invite @streakbot to this channel (`/invite @streakbot`), then `/leaders subscribe` again."
ADVICE = {
    "channel_not_found": _INVITE,
    "not_in_channel": _INVITE,
    "is_archived": "The channel is archived: unarchive it, then `/leaders subscribe` again.",
    "account_inactive": "The bot's Slack token is no longer active: reinstall the app to the "
    "workspace, then `/leaders subscribe` again.",
}


def failing_advice(error: str) -> str:
    return ADVICE.get(error, "Fix the problem, then `/leaders subscribe` again.")


# Slack's answers to conversations.info that mean the bot cannot post in the channel.
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived"}
_MUST_BE_IN = "The bot must be in this channel to post here (`/invite @streakbot`)."


def channel_access(client: WebClient, channel: str) -> str | None:
    """Can the bot post in ``channel``? None if so, else Slack's reason.

    ``not_in_channel`` / ``channel_not_found`` (a private channel the bot is not in) /
    ``is_archived`` mean no; any other reason (``missing_scope``, Slack unreachable) means
    the check itself failed.
    """
    try:
        info = client.conversations_info(channel=channel)
    except SlackApiError as exc:
        return str(exc.response.get("error") or "unknown_error")
    except (SlackClientError, OSError) as exc:
        log.warning("conversations.info for %s failed: %s", channel, exc)
        return "slack_unreachable"
    ch: dict[str, Any] = info.get("channel") or {}
    if ch.get("is_archived"):
        return "is_archived"
    if ch.get("is_im") or ch.get("is_member"):
        return None
    return "not_in_channel"


def _info(text: str) -> Message:
    return Message(text, [section(text)])


def _ny(dt: datetime) -> str:
    local = dt.astimezone(TZ)
    return f"{fmt_date(local)} at {_hhmm(local)} New York time"


def _first_post(deps: LeadersDeps, wanted: time, now: datetime) -> str:
    session, when = next_due(deps.calendar, wanted, now)
    return f"{day_label(session)} at {_hhmm(when.astimezone(TZ))}"


# --------------------------------------------------------------------------- actions
def subscribe_message(
    deps: LeadersDeps, team: str, channel: str, user: str | None,
    wanted: time | None, now: datetime, access: str | None = None,
) -> Message:
    """Subscribe (or change the time) unless ``access`` (from :func:`channel_access`) says
    the bot cannot post here."""
    store = deps.subscriptions
    if access in CANNOT_POST:
        return _info(
            f"I can't post in this channel (Slack says `{access}`), so nothing changed. "
            f"{failing_advice(access)}"
        )
    prev = store.get(team, channel)
    post_time = wanted or (prev.post_time if prev is not None else DEFAULT_POST_TIME)
    store.subscribe(team, channel, post_time, user, now)
    parts: list[str] = []
    by = f", set by <@{prev.created_by}>" if prev is not None and prev.created_by else ""
    if prev is not None and prev.post_time != post_time:
        parts.append(f"Updated (was {_hhmm(prev.post_time)}{by}):")
    elif prev is not None:
        parts.append("Already subscribed:")
    parts.append(
        f"This channel will get the market-leadership summary {schedule_sentence(post_time)}."
    )
    parts.append(f"First post: {_first_post(deps, post_time, now)}.")
    if prev is not None and prev.failing_error:
        parts.append(f"The delivery problem (`{prev.failing_error}`) is cleared; posts resume.")
    if access is not None:  # the check itself failed: say what is needed
        parts.append(f"I couldn't check that I can post here (Slack says `{access}`). {_MUST_BE_IN}")
    return _info(" ".join(parts))


def unsubscribe_message(store: SubscriptionStore, team: str, channel: str) -> Message:
    if store.unsubscribe(team, channel):
        return _info(
            "This channel will no longer get the daily market-leadership summary. "
            "`/leaders subscribe` turns it back on."
        )
    return _info(
        "This channel is not subscribed to the daily market-leadership summary, "
        "so there is nothing to stop."
    )


def status_message(deps: LeadersDeps, team: str, channel: str, now: datetime) -> Message:
    """The channel's subscription, its last post and any delivery problem."""
    sub: Subscription | None = deps.subscriptions.get(team, channel)
    if sub is None:
        return _info(
            "This channel is not subscribed to the daily market-leadership summary. "
            "`/leaders subscribe [HH:MM]` subscribes it (New York time, default 16:30)."
        )
    lines = [f"This channel gets the market-leadership summary {schedule_sentence(sub.post_time)}."]
    # created_by is whoever subscribed or changed it last (any member may).
    who = f"; last set by <@{sub.created_by}>" if sub.created_by else ""
    lines[0] += f" Set up on {fmt_date(sub.created_at.astimezone(TZ))}{who}."
    row = deps.last_sent(team, channel)
    if row is not None and row.sent_at is not None:
        lines.append(f"Last post: the {fmt_date(row.session)} session, sent {_ny(row.sent_at)}.")
    else:
        lines.append("Last post: none yet.")
    if sub.failing_error:
        since = f" since {_ny(sub.failing_since)}" if sub.failing_since else ""
        lines.append(
            f":warning: Posting here is failing{since}: Slack says `{sub.failing_error}`. "
            f"{failing_advice(sub.failing_error)}"
        )
    else:
        lines.append(f"Next post: {_first_post(deps, sub.post_time, now)} New York time.")
    text = "\n".join(lines)
    return Message(text, [section(line) for line in lines])


def now_message(market: Market, deps: LeadersDeps, now: datetime) -> Message:
    """The summary of the latest session in the data (with a note when it is stale)."""
    prep = prepare(market, deps.calendar, None, now, allow_stale=True)
    text, blocks = summary_message(prep)
    return Message(text, blocks)


def session_message(market: Market, deps: LeadersDeps, session: date, now: datetime) -> Message:
    """The summary of a past ``session`` (as ``streakbot leaders --session``); UserError when
    it is no NYSE session or outside the data."""
    prep = prepare(market, deps.calendar, session, now, allow_stale=False)
    text, blocks = summary_message(prep)
    return Message(text, blocks)


def cached_now_message(market: Market, now: datetime, build: Callable[[datetime], Message]) -> Message:
    """``build(now)`` (the summary), built once per latest completed session and data version.

    The summary depends on ``now`` only through the last completed NYSE session (the
    "data as of" note), and :meth:`Market.memo` drops it when the data changes.
    """
    return market.memo(("/leaders", market.expected_session(now)), lambda: build(now))


# --------------------------------------------------------------------------- registration
def handle_leaders(ack: Ack, command: dict[str, Any], client: WebClient, *, deps: LeadersDeps) -> None:
    """``/leaders [DATE | --session DATE | subscribe [HH:MM] | unsubscribe | status | help]``."""
    ack_then_answer(
        ack, command, deps.command, usage=LEADERS_USAGE, parse=parse_leaders_text,
        is_help=lambda a: a.action == "help",
        answer=lambda args, now: respond(deps, client, command, args, now),
    )


def register(app: App, deps: LeadersDeps) -> None:
    """Attach ``/leaders`` to ``app``."""
    app.command("/leaders")(partial(handle_leaders, deps=deps))


def respond(
    deps: LeadersDeps, client: WebClient, command: dict[str, Any], args: LeadersArgs, now: datetime,
) -> None:
    """Answer through ``response_url``."""
    team, channel = command["team_id"], command["channel_id"]

    def build() -> Message:
        if args.action == "now" and args.session is not None:
            market = deps.market()
            day = args.session
            return market.memo(("/leaders", "session", day), lambda: session_message(market, deps, day, now))
        if args.action == "now":
            market = deps.market()
            return cached_now_message(market, now, lambda at: now_message(market, deps, at))
        if args.action == "subscribe":
            access = channel_access(client, channel)
            msg = subscribe_message(deps, team, channel, command.get("user_id"), args.post_time, now, access)
            log.info("%s/%s subscribe by %s: %s", team, channel, command.get("user_id"),
                     "refused, " + str(access) if access in CANNOT_POST else "done")
            return msg
        if args.action == "unsubscribe":
            msg = unsubscribe_message(deps.subscriptions, team, channel)
            log.info("%s/%s unsubscribed from the daily post by %s", team, channel, command.get("user_id"))
            return msg
        return status_message(deps, team, channel, now)

    # The summary is for the channel; subscription replies only for the person who asked.
    respond_with(
        deps.command.respond, command, build, explain=lambda exc: error_message(str(exc)),
        response_type="in_channel" if args.action == "now" else "ephemeral",
    )
