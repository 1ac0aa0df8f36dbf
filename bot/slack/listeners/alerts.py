"""``/alerts on|off|status|add|remove|threshold``: this channel's notable-event alerts.

* ``/alerts on`` / ``/alerts off`` -- after each NYSE close, one message here listing that
  session's notable events for what the channel watches (:mod:`bot.daily.alerts`);
* ``/alerts status`` (or nothing) -- on or off, the threshold, the watch lists;
* ``/alerts add A B`` / ``/alerts remove A B`` -- a pair's streaks, on top of the defaults
  (``remove`` also takes a default off); ``/alerts add SYMBOL`` / ``remove SYMBOL`` -- an
  index's record closes;
* ``/alerts threshold N`` -- streak length told when reached (default 10 sessions).

Acknowledged at once; the answer, only for the asker, follows through ``response_url``. Like
``/leaders subscribe``, ``/alerts on`` first asks Slack whether the bot is in the channel.
Any member of the channel may change its alerts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Literal

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.daily.alerts import channel_watch
from bot.domain.errors import UserError
from bot.domain.symbols import display_name, is_adjusted
from bot.render.alerts import ALERTS_USAGE, status_lines, status_message
from bot.render.messages import Message, error_message, section
from bot.services.alerts import DEFAULT_PAIRS, DEFAULT_RECORDS
from bot.slack.deps import AlertsDeps
from bot.slack.listeners.common import ack_then_answer, respond_with
from bot.slack.listeners.leaders import CANNOT_POST, channel_access, failing_advice
from bot.store.alerts import AlertChannel, pair_key, split_pair_key

log = logging.getLogger(__name__)

__all__ = ["ALERTS_USAGE", "AlertsArgs", "handle_alerts", "parse_alerts_text", "register"]

Action = Literal["status", "on", "off", "add", "remove", "threshold", "help"]
_ACTIONS: dict[str, Action] = {
    "status": "status", "on": "on", "off": "off", "add": "add", "remove": "remove",
    "threshold": "threshold", "help": "help", "-h": "help", "--help": "help", "?": "help",
}
_SKIP = {"vs", "vs.", "versus", "against", "and", "&", "the"}
MIN_THRESHOLD, MAX_THRESHOLD = 2, 250


@dataclass(frozen=True)
class AlertsArgs:
    action: Action
    symbols: tuple[str, ...] = ()  # add/remove: as typed (one or two)
    threshold: int | None = None


def parse_alerts_text(text: str) -> AlertsArgs:
    """``"add RUT vs SPX"`` -> ``AlertsArgs("add", ("RUT", "SPX"))``; UserError if bad."""
    words = (text or "").split()
    if not words:
        return AlertsArgs("status")
    action = _ACTIONS.get(words[0].lower())
    if action is None:
        raise UserError(f"Unknown /alerts option '{words[0]}'.")
    rest = words[1:]
    if action in ("add", "remove"):
        syms = tuple(w for part in rest for w in part.split("/") if w and w.lower() not in _SKIP)
        if not 1 <= len(syms) <= 2:
            raise UserError(f"`/alerts {action}` takes one symbol (records) or two (a pair), got {len(syms)}.")
        return AlertsArgs(action, syms)
    if action == "threshold":
        if len(rest) != 1 or not rest[0].isdigit() or not MIN_THRESHOLD <= int(rest[0]) <= MAX_THRESHOLD:
            raise UserError(
                f"`/alerts threshold` takes a number of sessions from {MIN_THRESHOLD} to {MAX_THRESHOLD}."
            )
        return AlertsArgs("threshold", threshold=int(rest[0]))
    if rest:
        raise UserError(f"`/alerts {action}` takes nothing after it.")
    return AlertsArgs(action)


def _info(text: str) -> Message:
    return Message(text.replace("`", ""), [section(text)])


def _status(ch: AlertChannel) -> Message:
    return status_message(status_lines(
        ch.enabled, channel_watch(ch),
        added=[split_pair_key(k) for k in ch.pairs_added],
        removed=[split_pair_key(k) for k in ch.pairs_removed],
        failing=ch.failing_error, last=ch.last_alerted_session,
    ))


def _default_pair(a: str, b: str) -> tuple[str, str] | None:
    """The default pair of ``a`` and ``b`` (in its own order), if it is one."""
    return next((p for p in DEFAULT_PAIRS if set(p) == {a, b}), None)


def _change(deps: AlertsDeps, team: str, channel: str, user: str | None, args: AlertsArgs,
            now: datetime) -> Message:
    store = deps.alerts
    market = deps.market()
    syms = [market.resolve(s) for s in args.symbols]
    adding = args.action == "add"
    if len(syms) == 2:
        a, b = syms
        if a == b:
            raise UserError(f"A pair needs two different symbols, got {display_name(a)} twice.")
        default_pair = _default_pair(a, b)
        default = default_pair is not None
        key = pair_key(*(default_pair or (a, b)))
        if adding:
            store.watch_pair(team, channel, key, default, user, now)
        else:
            store.unwatch_pair(team, channel, key, default, user, now)
        what = f"streaks of {display_name(a)} vs {display_name(b)}"
    else:
        (sym,) = syms
        if is_adjusted(sym):
            raise UserError(
                f"{display_name(sym)} has dividend-adjusted closes, which are not traded prices: "
                "its records are not watched. Watch it in a pair instead (`/alerts add XLK SPY`)."
            )
        default = sym in DEFAULT_RECORDS
        if adding:
            store.watch_record(team, channel, sym, default, user, now)
        else:
            store.unwatch_record(team, channel, sym, default, user, now)
        what = f"record closes of {display_name(sym)}"
    ch = store.get(team, channel)
    head = f"{'Watching' if adding else 'No longer watching'} {what} here."
    if not ch.enabled:
        head += " Alerts are off in this channel: `/alerts on` turns them on."
    return _info(head)


def respond(deps: AlertsDeps, client: WebClient, command: dict[str, Any], args: AlertsArgs,
            now: datetime) -> None:
    team, channel, user = command["team_id"], command["channel_id"], command.get("user_id")
    store = deps.alerts

    def build() -> Message:
        if args.action == "on":
            access = channel_access(client, channel)
            if access in CANNOT_POST:
                return _info(f"I can't post in this channel (Slack says `{access}`), so alerts stay off. "
                             f"{failing_advice(access).replace('/leaders subscribe', '/alerts on')}")
            before, _ = store.turn_on(team, channel, user, now)
            log.info("%s/%s alerts on by %s", team, channel, user)
            text = ("Alerts were already on here." if before.enabled else
                    "Alerts are on: after each NYSE close, this channel gets one message when something "
                    "notable happened for what it watches (`/alerts status`).")
            if access is not None:
                text += f" I couldn't check that I can post here (Slack says `{access}`)."
            return _info(text)
        if args.action == "off":
            before, _ = store.turn_off(team, channel, user, now)
            log.info("%s/%s alerts off by %s", team, channel, user)
            return _info("Alerts are off in this channel." if before.enabled else
                         "Alerts were not on in this channel, so there is nothing to stop.")
        if args.action == "threshold":
            assert args.threshold is not None
            store.set_threshold(team, channel, args.threshold, user, now)
            return _info(f"Threshold set: a streak is told the day it reaches {args.threshold} sessions, "
                         f"and when one of {args.threshold} or more ends.")
        if args.action in ("add", "remove"):
            return _change(deps, team, channel, user, args, now)
        return _status(store.get(team, channel))

    respond_with(deps.command.respond, command, build, explain=lambda exc: error_message(str(exc)),
                 response_type="ephemeral")


def handle_alerts(ack: Ack, command: dict[str, Any], client: WebClient, *, deps: AlertsDeps) -> None:
    """``/alerts [on | off | status | add A [B] | remove A [B] | threshold N | help]``."""
    ack_then_answer(
        ack, command, deps.command, usage=ALERTS_USAGE, parse=parse_alerts_text,
        is_help=lambda a: a.action == "help",
        answer=lambda args, now: respond(deps, client, command, args, now),
    )


def register(app: App, deps: AlertsDeps) -> None:
    """Attach ``/alerts`` to ``app``."""
    app.command("/alerts")(partial(handle_alerts, deps=deps))
