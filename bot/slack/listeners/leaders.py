"""``/leaders [subscribe [HH:MM] | unsubscribe | status | help]``: the daily leadership post.

* ``/leaders`` -- the summary of the latest session in the data, in the channel now;
* ``/leaders subscribe [HH:MM]`` -- post it here after each NYSE session (New York time;
  default 16:30, or the channel's current time when it is already subscribed);
* ``/leaders unsubscribe`` / ``/leaders status`` / ``/leaders help``.

Every command is acknowledged at once; answers follow through ``response_url`` (ephemeral,
except the summary itself). Bad input gets the usage in the acknowledgement.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any, Literal

from slack_bolt import Ack, App

from bot.bootstrap import Services
from bot.daily.render import day_label
from bot.daily.schedule import DEFAULT_POST_TIME, SETTLE, TZ, next_due, parse_post_time
from bot.formatting import fmt_date
from bot.slack.command_text import UsageError
from bot.slack.listeners.common import ack_then_answer, respond_with
from bot.slack.messages import Message, error_message, section
from bot.store.subscriptions import Subscription, SubscriptionStore

log = logging.getLogger(__name__)

__all__ = [
    "LEADERS_USAGE",
    "LeadersArgs",
    "failing_advice",
    "parse_leaders_text",
    "register",
    "schedule_sentence",
]

LEADERS_USAGE = (
    "*Usage:* `/leaders` — the market-leadership summary for the latest session, posted here.\n"
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


def parse_leaders_text(text: str) -> LeadersArgs:
    """``"subscribe 4:30 pm"`` -> ``LeadersArgs("subscribe", time(16, 30))``; UsageError if bad."""
    words = (text or "").split()
    if not words:
        return LeadersArgs("now")
    action = _ACTIONS.get(words[0].lower())
    if action is None:
        raise UsageError(f"Unknown /leaders option '{words[0]}'.")
    rest = words[1:]
    if action == "subscribe":
        if not rest:
            return LeadersArgs("subscribe")
        try:
            return LeadersArgs("subscribe", parse_post_time(" ".join(rest)))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if rest:
        raise UsageError(f"`/leaders {words[0].lower()}` takes nothing after it.")
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


def _info(text: str) -> Message:
    return Message(text, [section(text)])


def _ny(dt: datetime) -> str:
    local = dt.astimezone(TZ)
    return f"{fmt_date(local)} at {_hhmm(local)} New York time"


def _first_post(services: Services, wanted: time, now: datetime) -> str:
    session, when = next_due(services.calendar, wanted, now)
    return f"{day_label(session)} at {_hhmm(when.astimezone(TZ))}"


# --------------------------------------------------------------------------- actions
def subscribe_message(
    services: Services, store: SubscriptionStore, team: str, channel: str, user: str | None,
    wanted: time | None, now: datetime,
) -> Message:
    prev = store.get(team, channel)
    post_time = wanted or (prev.post_time if prev is not None else DEFAULT_POST_TIME)
    store.subscribe(team, channel, post_time, user, now)
    parts: list[str] = []
    if prev is not None and prev.post_time != post_time:
        parts.append(f"Updated (was {_hhmm(prev.post_time)}):")
    elif prev is not None:
        parts.append("Already subscribed:")
    parts.append(
        f"This channel will get the market-leadership summary {schedule_sentence(post_time)}."
    )
    parts.append(f"First post: {_first_post(services, post_time, now)}.")
    if prev is not None and prev.failing_error:
        parts.append(f"The delivery problem (`{prev.failing_error}`) is cleared; posts resume.")
    parts.append("The bot must be in this channel to post here (`/invite @streakbot`).")
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


def status_message(services: Services, store: SubscriptionStore, team: str, channel: str,
                   now: datetime) -> Message:
    from bot.daily.posting import last_sent

    sub: Subscription | None = store.get(team, channel)
    if sub is None:
        return _info(
            "This channel is not subscribed to the daily market-leadership summary. "
            "`/leaders subscribe [HH:MM]` subscribes it (New York time, default 16:30)."
        )
    lines = [f"This channel gets the market-leadership summary {schedule_sentence(sub.post_time)}."]
    who = f" by <@{sub.created_by}>" if sub.created_by else ""
    lines[0] += f" Set up{who} on {fmt_date(sub.created_at.astimezone(TZ))}."
    row = last_sent(services.engine, team, channel)
    if row is not None and row["sent_at"] is not None:
        sent_at: datetime = row["sent_at"]
        if sent_at.tzinfo is None:  # SQLite keeps no offset: stored as UTC
            sent_at = sent_at.replace(tzinfo=UTC)
        lines.append(f"Last post: the {fmt_date(row['session'])} session, sent {_ny(sent_at)}.")
    else:
        lines.append("Last post: none yet.")
    if sub.failing_error:
        since = f" since {_ny(sub.failing_since)}" if sub.failing_since else ""
        lines.append(
            f":warning: Posting here is failing{since}: Slack says `{sub.failing_error}`. "
            f"{failing_advice(sub.failing_error)}"
        )
    else:
        lines.append(f"Next post: {_first_post(services, sub.post_time, now)} New York time.")
    text = "\n".join(lines)
    return Message(text, [section(line) for line in lines])


def now_message(services: Services, now: datetime) -> Message:
    from bot.daily.commands import prepare, summary_message

    prep = prepare(services.market, services.calendar, None, now, allow_stale=True)
    text, blocks = summary_message(prep)
    return Message(text, blocks)


# --------------------------------------------------------------------------- registration
def register(app: App, services: Services) -> None:
    store = SubscriptionStore(services.engine)

    @app.command("/leaders")
    def handle_leaders(ack: Ack, command: dict[str, Any]) -> None:
        ack_then_answer(
            ack, command, services, usage=LEADERS_USAGE, parse=parse_leaders_text,
            is_help=lambda a: a.action == "help",
            answer=lambda args, now: _respond(services, store, command, args, now),
        )


def _respond(
    services: Services, store: SubscriptionStore, command: dict[str, Any], args: LeadersArgs,
    now: datetime,
) -> None:
    team, channel = command["team_id"], command["channel_id"]

    def build() -> Message:
        if args.action == "now":
            return now_message(services, now)
        if args.action == "subscribe":
            msg = subscribe_message(
                services, store, team, channel, command.get("user_id"), args.post_time, now
            )
            log.info("%s/%s subscribed to the daily post (%s)", team, channel, command.get("user_id"))
            return msg
        if args.action == "unsubscribe":
            msg = unsubscribe_message(store, team, channel)
            log.info("%s/%s unsubscribed from the daily post", team, channel)
            return msg
        return status_message(services, store, team, channel, now)

    # The summary is for the channel; subscription replies only for the person who asked.
    respond_with(
        command, build, explain=lambda exc: error_message(str(exc)),
        response_type="in_channel" if args.action == "now" else "ephemeral",
    )
