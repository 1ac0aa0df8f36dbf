"""``/records SYMBOL [YEAR] [--as-of DATE]``: record closes."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App

from bot.answers import InputError, records_answer
from bot.bootstrap import Services
from bot.slack.background import run_in_background
from bot.slack.client import send_response
from bot.slack.command_text import CommandArgs, UsageError, parse_command_text
from bot.slack.messages import RECORDS_USAGE, error_message, records_message, usage_message

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.command("/records")
    def handle_records(ack: Ack, command: dict[str, Any]) -> None:
        try:
            args = parse_command_text(command.get("text", ""), allow_year=True)
            if not args.help and len(args.symbols) != 1:
                raise UsageError(
                    f"/records takes one symbol, got {len(args.symbols)}: "
                    f"{' '.join(args.symbols) or '(none)'}."
                )
        except UsageError as exc:
            ack(**usage_message(RECORDS_USAGE, str(exc)).ack_args())
            return
        if args.help:
            ack(**usage_message(RECORDS_USAGE).ack_args())
            return
        ack()
        now = services.clock()
        # Off Bolt's listener threads, so other requests' acks never wait for this answer.
        run_in_background(lambda: _respond(services, command, args, now), "/records")


def _respond(services: Services, command: dict[str, Any], args: CommandArgs, now: datetime) -> None:
    """Answer through ``response_url``."""
    url = command["response_url"]
    market = services.market
    symbol, year, as_of = args.symbols[0], args.year, args.as_of
    try:
        # Depends on "now" only through the latest completed session: see /streak.
        fresh_as_of = None if as_of else market.expected_session(now)
        message = market.memo(
            ("/records", symbol.upper(), year, as_of, fresh_as_of),
            lambda: records_message(records_answer(market, symbol, year=year, as_of=as_of, now=now)),
        )
    except InputError as exc:
        send_response(url, usage_message(RECORDS_USAGE, str(exc)).payload("ephemeral"))
        return
    except Exception:
        log.exception("/records failed for %r", command.get("text"))
        send_response(url, error_message(
            "Sorry, something went wrong on our side while answering. It has been logged; please try again."
        ).payload("ephemeral"))
        return
    send_response(url, message.payload("in_channel"))
