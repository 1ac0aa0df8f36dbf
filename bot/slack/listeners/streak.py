"""``/streak A B [--as-of DATE] [chart] [next]``: who has led, for how long (and what followed
the earlier streaks as long as this one, with ``next``)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import UserError
from bot.domain.symbols import display_name
from bot.questions.command_text import CommandArgs, parse_command_text
from bot.render.buttons import streak_actions
from bot.render.forward import forward_message
from bot.render.messages import (
    STREAK_USAGE,
    Message,
    error_message,
    streak_message,
    usage_message,
    with_actions,
)
from bot.services.answers import StreakAnswer, streak_answer
from bot.services.forward import forward_answer
from bot.services.market import Market
from bot.slack.deps import MarketCommandDeps
from bot.slack.listeners.common import ack_then_answer, ensure_symbols, respond_with, send_ephemeral

log = logging.getLogger(__name__)

CHART_REFUSALS = {"not_in_channel", "channel_not_found", "is_archived", "access_denied"}


def _parse(text: str) -> CommandArgs:
    args = parse_command_text(text, allow_chart=True, allow_next=True)
    if not args.help and not 1 <= len(args.symbols) <= 2:
        raise UserError(
            f"/streak takes one or two symbols, got {len(args.symbols)}: "
            f"{' '.join(args.symbols) or '(none)'}."
        )
    return args


def handle_streak(ack: Ack, command: dict[str, Any], client: WebClient, *, deps: MarketCommandDeps) -> None:
    """``/streak``: ack (usage in the ack for bad input), then the answer in the channel."""
    ack_then_answer(
        ack, command, deps.command, usage=STREAK_USAGE, parse=_parse,
        is_help=lambda a: a.help,
        answer=lambda args, now: respond(deps, client, command, args, now),
    )


def register(app: App, deps: MarketCommandDeps) -> None:
    """Attach ``/streak`` to ``app``."""
    app.command("/streak")(partial(handle_streak, deps=deps))


def respond(
    deps: MarketCommandDeps, client: WebClient, command: dict[str, Any], args: CommandArgs, now: datetime
) -> None:
    """Answer through ``response_url`` (then upload the chart when asked for)."""
    if not ensure_symbols(deps, command, args.symbols):
        return
    market = deps.market()
    a, b = args.symbols[0], args.symbols[1] if len(args.symbols) == 2 else None
    if args.next:
        _respond_next(deps, command, market, (a, b), args, now)
        return
    answered: list[StreakAnswer] = []

    def build() -> Message:
        # The answer depends on "now" only through the latest completed session (the
        # stale-data note), so identical questions in a session share one answer.
        fresh_as_of = None if args.as_of else market.expected_session(now)
        answer, message = market.memo(
            ("/streak", a.upper(), b and b.upper(), args.as_of, fresh_as_of),
            lambda: _answer(market, a, b, args.as_of, now),
        )
        answered.append(answer)
        return message

    sent = respond_with(deps.command.respond, command, build,
                        explain=lambda exc: usage_message(STREAK_USAGE, str(exc)))
    if sent and args.chart and answered[0].b is not None:
        _upload_chart(deps, client, command, answered[0])


def _answer(
    market: Market, a: str, b: str | None, as_of: date | None, now: datetime
) -> tuple[StreakAnswer, Message]:
    answer = streak_answer(market, a, b, as_of=as_of, now=now)
    buttons = streak_actions(answer.a, answer.b, answer.report.as_of.date())
    return answer, with_actions(streak_message(answer), buttons)


def _respond_next(
    deps: MarketCommandDeps, command: dict[str, Any], market: Market, pair: tuple[str, str | None],
    args: CommandArgs, now: datetime,
) -> None:
    """``/streak A B next`` (or ``/streak A next``): the earlier streaks as long as this one
    and what followed."""
    a, b = pair

    def build() -> Message:
        fresh_as_of = None if args.as_of else market.expected_session(now)
        return market.memo(
            ("/streak next", a.upper(), b and b.upper(), args.as_of, fresh_as_of),
            lambda: forward_message(forward_answer(market, a, b, as_of=args.as_of, now=now)),
        )

    respond_with(deps.command.respond, command, build,
                 explain=lambda exc: usage_message(STREAK_USAGE, str(exc)))


def _upload_chart(deps: MarketCommandDeps, client: WebClient, command: dict[str, Any], answer: StreakAnswer) -> None:
    from bot.render.charts import relative_chart_png  # noqa: PLC0415 (matplotlib, only for charts)

    assert answer.b is not None
    a, b = answer.a, answer.b
    as_of = answer.report.as_of
    market = deps.market()
    ca = market.closes(a)
    cb = market.closes(b)
    cur = answer.report.current
    png = relative_chart_png(
        ca[ca.index <= as_of], cb[cb.index <= as_of], display_name(a), display_name(b),
        cur.start.date() if cur else None, as_of.date(),
    )
    try:
        client.files_upload_v2(
            channel=command["channel_id"],
            content=png,
            filename=f"{a.lstrip('^')}-vs-{b.lstrip('^')}-{as_of:%Y-%m-%d}.png",
            title=f"{display_name(a)} relative to {display_name(b)}, one year to {as_of:%b %d, %Y}",
        )
    except SlackApiError as exc:
        err = exc.response.get("error", "")
        log.warning("chart upload failed: %s", err)
        hint = (
            "Invite me to this channel (`/invite @streakbot`) to get charts here."
            if err in CHART_REFUSALS
            else "Slack did not accept the chart upload; the answer above is complete."
        )
        send_ephemeral(deps.command.respond, command, error_message(f"I couldn't post the chart ({err}). {hint}"))
