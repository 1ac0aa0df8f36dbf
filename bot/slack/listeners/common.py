"""The shape every slash command shares: parse, ack at once, answer off the request thread.

* Bad input or ``help`` is answered in the ack itself (ephemeral usage); so is text over
  :data:`MAX_TEXT` characters, refused before any parsing.
* Otherwise the ack is empty (within Slack's 3 s) and the answer is built after it
  (``run_later``: the background pool of :mod:`bot.slack.background`) and sent through
  ``response_url``.
* A user error (:class:`~bot.domain.errors.UserError`) becomes an ephemeral explanation; any
  other failure is logged and the user gets an apology, never a stack trace. A database
  that cannot be reached is said so, in one log line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from slack_bolt import Ack
from sqlalchemy.exc import OperationalError

from bot.domain.errors import UserError
from bot.domain.symbols import UnknownSymbolError, new_tickers, resolve
from bot.domain.time import NY_TZ
from bot.failures import first_line
from bot.render.messages import Message, error_message, plain_message, usage_message
from bot.render.new_symbols import fetching_line, not_added_line, offline_line
from bot.services.new_symbols import add_all
from bot.slack.deps import CommandDeps, MarketCommandDeps, Respond

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on our side while answering. It has been logged; please try again."
NO_DATABASE = "I can't reach my database right now; please try again in a minute."
SOURCE = "Yahoo Finance"
MAX_TEXT = 4000  # characters; a command or question longer than this is refused unread


def new_york_day(moment: datetime) -> date:
    return moment.astimezone(NY_TZ).date()


def message_day(ts: str | None, fallback: datetime) -> date:
    """The New York date of a Slack message timestamp (``"1767600000.000100"``), the day
    "today" and "on Thursday" meant when it was written; ``fallback``'s for a missing one."""
    try:
        return new_york_day(datetime.fromtimestamp(float(ts or ""), UTC))
    except ValueError:
        return new_york_day(fallback)


def too_long(text: str, what: str) -> str | None:
    """The refusal for text over :data:`MAX_TEXT` characters, or None."""
    if len(text) <= MAX_TEXT:
        return None
    return f"That {what} is {len(text):,} characters long; I read at most {MAX_TEXT:,}. Please shorten it."

Args = TypeVar("Args")


def ack_then_answer(
    ack: Ack,
    command: dict[str, Any],
    deps: CommandDeps,
    *,
    usage: str,
    parse: Callable[[str], Args],
    is_help: Callable[[Args], bool],
    answer: Callable[[Args, datetime], None],
) -> None:
    """Parse ``command["text"]``, ack, and run ``answer(args, now)`` in the background."""
    text = command.get("text", "")
    refusal = too_long(text, "text")
    if refusal is not None:
        ack(**error_message(refusal).ack_args())
        return
    try:
        args = parse(text)
    except UserError as exc:
        ack(**usage_message(usage, str(exc)).ack_args())
        return
    if is_help(args):
        ack(**usage_message(usage).ack_args())
        return
    ack()  # within Slack's 3 s; the answer follows through response_url
    now = deps.clock()
    deps.run_later(lambda: answer(args, now), str(command.get("command", "a command")))


def send_ephemeral(respond: Respond, command: dict[str, Any], message: Message) -> bool:
    """``message`` to the command's ``response_url``, only for the person who asked."""
    return respond(command["response_url"], message.payload("ephemeral"))


def ensure_symbols(deps: MarketCommandDeps, command: dict[str, Any], texts: Sequence[str]) -> bool:
    """True when every symbol in ``texts`` has data, adding new tickers from Yahoo first.

    While a new ticker's history is fetched the asker sees an interim line (Slack takes
    follow-ups on ``response_url`` for 30 minutes); a ticker that cannot be added, or the
    network out of reach, is explained to the asker alone, and False is returned.
    """
    new = deps.new_symbols
    if new is None:
        return True
    available = deps.market().available()
    tickers = new_tickers(texts, available)
    if not tickers:
        return True
    if not new.online:
        try:
            resolve(tickers[0], available)
        except UnknownSymbolError as exc:
            send_ephemeral(deps.command.respond, command, error_message(offline_line(exc)))
        return False
    send_ephemeral(deps.command.respond, command, plain_message(fetching_line(tickers, SOURCE)))
    failed = add_all(new, tickers)
    if failed is not None:
        send_ephemeral(deps.command.respond, command, error_message(not_added_line(failed, SOURCE)))
        return False
    return True


def respond_with(
    respond: Respond,
    command: dict[str, Any],
    build: Callable[[], Message],
    *,
    explain: Callable[[UserError], Message],
    response_type: str = "in_channel",
) -> bool:
    """Send ``build()`` to the command's ``response_url``; True if an answer went out."""
    try:
        message = build()
    except UserError as exc:
        send_ephemeral(respond, command, explain(exc))
        return False
    except OperationalError as exc:
        log.error("%s: the database is unreachable: %s", command.get("command"), first_line(exc))
        send_ephemeral(respond, command, error_message(NO_DATABASE))
        return False
    except Exception:
        log.exception("%s failed for %r", command.get("command"), command.get("text"))
        send_ephemeral(respond, command, error_message(SORRY))
        return False
    return respond(command["response_url"], message.payload(response_type))
