"""``/records SYMBOL [YEAR] [--as-of DATE] [next]``: record closes (and, with ``next``, what
followed the earlier first records in 250 or more sessions)."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App

from bot.domain.errors import UserError
from bot.questions.command_text import CommandArgs, parse_command_text
from bot.render.buttons import records_actions
from bot.render.messages import RECORDS_USAGE, Message, records_message, usage_message, with_actions
from bot.render.record_forward import record_forward_message
from bot.services.answers import RecordsAnswer, records_answer
from bot.services.market import Market
from bot.services.record_forward import record_forward_answer
from bot.slack.deps import MarketCommandDeps
from bot.slack.listeners.common import ack_then_answer, ensure_symbols, respond_with

log = logging.getLogger(__name__)


def _parse(text: str) -> CommandArgs:
    args = parse_command_text(text, allow_year=True, allow_next=True)
    if not args.help and len(args.symbols) != 1:
        raise UserError(
            f"/records takes one symbol, got {len(args.symbols)}: "
            f"{' '.join(args.symbols) or '(none)'}."
        )
    if args.next and args.year is not None:
        raise UserError("/records SYMBOL next takes no year: use --as-of DATE for a past session.")
    return args


def handle_records(ack: Ack, command: dict[str, Any], *, deps: MarketCommandDeps) -> None:
    """``/records``: ack (usage in the ack for bad input), then the answer in the channel."""
    ack_then_answer(
        ack, command, deps.command, usage=RECORDS_USAGE, parse=_parse,
        is_help=lambda a: a.help,
        answer=lambda args, now: respond(deps, command, args, now),
    )


def register(app: App, deps: MarketCommandDeps) -> None:
    """Attach ``/records`` to ``app``."""
    app.command("/records")(partial(handle_records, deps=deps))


def _message(answer: RecordsAnswer) -> Message:
    return with_actions(records_message(answer), records_actions(answer.symbol, answer.summary.as_of.date()))


def respond(deps: MarketCommandDeps, command: dict[str, Any], args: CommandArgs, now: datetime) -> None:
    """Answer through ``response_url``."""
    if not ensure_symbols(deps, command, args.symbols):
        return
    market = deps.market()
    symbol, year, as_of = args.symbols[0], args.year, args.as_of
    if args.next:
        _respond_next(deps, command, market, symbol, args, now)
        return

    def build() -> Message:
        # Depends on "now" only through the latest completed session: see /streak.
        fresh_as_of = None if as_of else market.expected_session(now)
        return market.memo(
            ("/records", symbol.upper(), year, as_of, fresh_as_of),
            lambda: _message(records_answer(market, symbol, year=year, as_of=as_of, now=now)),
        )

    respond_with(deps.command.respond, command, build,
                 explain=lambda exc: usage_message(RECORDS_USAGE, str(exc)))


def _respond_next(
    deps: MarketCommandDeps, command: dict[str, Any], market: Market, symbol: str, args: CommandArgs,
    now: datetime,
) -> None:
    """``/records SYMBOL next``: the earlier first records in a long time and what followed."""

    def build() -> Message:
        fresh_as_of = None if args.as_of else market.expected_session(now)
        return market.memo(
            ("/records next", symbol.upper(), args.as_of, fresh_as_of),
            lambda: record_forward_message(record_forward_answer(market, symbol, as_of=args.as_of, now=now)),
        )

    respond_with(deps.command.respond, command, build,
                 explain=lambda exc: usage_message(RECORDS_USAGE, str(exc)))
