"""Claim check in Slack: ``/check TEXT`` and the "Check figures" message shortcut.

* ``/check TEXT``: the note's claims, each confirmed or corrected, for the asker only
  (``/check public TEXT`` posts them in the channel). ``--as-of DATE`` (or ``as of DATE:``)
  dates the note; by default it is dated today in New York.
* The message shortcut (callback ``check_figures``): anyone can check any message; the
  answer goes to that user only (the shortcut's ``response_url``, which works in channels
  the bot is not in; ``chat.postEphemeral`` if Slack sent none), dated by the message's
  own timestamp, so "on Thursday" and "today" mean what they meant when it was written.

``@streakbot check: TEXT`` is answered by the mention listener (:mod:`.questions`).
Both ack at once and check after the acknowledgement.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.claims.check import check_text
from bot.domain.errors import UserError
from bot.domain.time import parse_iso_date
from bot.render.claims import check_message
from bot.render.messages import Message, error_message
from bot.slack.deps import CheckDeps
from bot.slack.listeners.common import (
    SORRY,
    ack_then_answer,
    message_day,
    new_york_day,
    respond_with,
)

log = logging.getLogger(__name__)

SHORTCUT_ID = "check_figures"
CHECK_USAGE = (
    "*Usage:* `/check TEXT` — every figure of a market note, confirmed ✓ or corrected ✗.\n"
    "• `/check The Russell 2000 has outperformed the S&P 500 for 14 straight sessions.`\n"
    "• `/check --as-of 2026-01-22 Small caps rose 0.8% on Thursday.` — date the note\n"
    "• `/check public ...` — post the check in the channel (default: only you see it)\n"
    "Or use the message shortcut *Check figures* on any message."
)
_AS_OF = re.compile(r"(?:^|\s)(?:--as-of\s+|as\s+of\s+)(\d{4}-\d{2}-\d{2}):?(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckArgs:
    text: str
    as_of: date | None = None
    public: bool = False
    help: bool = False


def parse_check_text(text: str) -> CheckArgs:
    """``[public] [--as-of DATE] TEXT``; ``help`` or nothing asks for the usage."""
    body = text.strip()
    public = False
    if re.match(r"public\b", body, re.IGNORECASE):
        public, body = True, body[len("public"):].strip()
    as_of = None
    m = _AS_OF.search(body)
    if m:
        as_of = parse_iso_date(m.group(1))
        body = (body[: m.start()] + " " + body[m.end():]).strip()
    if not body or body.lower() in ("help", "?"):
        return CheckArgs("", as_of, public, help=True)
    return CheckArgs(body, as_of, public)


def checked(deps: CheckDeps, text: str, day: date) -> Message:
    """The check of ``text`` as of ``day`` (a day past the data: its last session)."""
    market = deps.market()
    return check_message(check_text(market, text, day))


def handle_check(ack: Ack, command: dict[str, Any], *, deps: CheckDeps) -> None:
    """``/check``: usage in the ack for help or bad input, else the check after it."""
    ack_then_answer(
        ack, command, deps.command, usage=CHECK_USAGE, parse=parse_check_text,
        is_help=lambda a: a.help, answer=lambda args, now: respond(deps, command, args, now),
    )


def respond(deps: CheckDeps, command: dict[str, Any], args: CheckArgs, now: datetime) -> None:
    day = args.as_of or new_york_day(now)
    respond_with(deps.command.respond, command, lambda: checked(deps, args.text, day),
                 explain=lambda exc: error_message(str(exc)),
                 response_type="in_channel" if args.public else "ephemeral")


def handle_shortcut(ack: Ack, shortcut: dict[str, Any], client: WebClient, *, deps: CheckDeps) -> None:
    """"Check figures" on a message: ack, then the check for the one user who asked."""
    ack()
    now = deps.command.clock()
    deps.command.run_later(lambda: answer_shortcut(deps, client, shortcut, now), "the Check figures shortcut")


def answer_shortcut(deps: CheckDeps, client: WebClient, shortcut: dict[str, Any], now: datetime) -> None:
    message = shortcut.get("message") or {}
    text = str(message.get("text") or "")
    try:
        reply = checked(deps, text, message_day(message.get("ts"), now))
    except UserError as exc:
        reply = error_message(str(exc))
    except Exception:
        log.exception("Check figures failed for %r", text[:200])
        reply = error_message(SORRY)
    url = shortcut.get("response_url")
    if url:
        deps.command.respond(str(url), reply.payload("ephemeral"))
        return
    try:
        client.chat_postEphemeral(channel=shortcut["channel"]["id"], user=shortcut["user"]["id"],
                                  text=reply.text, blocks=reply.blocks)
    except SlackApiError as exc:  # e.g. not_in_channel: nothing else can reach the user
        log.warning("Check figures: could not answer %s: %s", shortcut["user"].get("id"),
                    exc.response.get("error"))


def register(app: App, deps: CheckDeps) -> None:
    """Attach ``/check`` and the "Check figures" message shortcut to ``app``."""
    app.command("/check")(partial(handle_check, deps=deps))
    app.message_shortcut(SHORTCUT_ID)(partial(handle_shortcut, deps=deps))


__all__ = ["CHECK_USAGE", "SHORTCUT_ID", "CheckArgs", "message_day", "parse_check_text", "register"]
