"""The buttons on ``/streak`` and ``/records`` answers (``block_actions``).

Each button acks at once and answers after the acknowledgement through the action's
``response_url`` (a follow-up in the conversation, not replacing the answer), with the same
renderers as the commands; the Chart buttons upload a PNG to the channel. A button's
``value`` holds the symbols and the as-of session it was made for
(:mod:`bot.render.buttons`), so any worker answers it the same after any restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import UserError
from bot.domain.symbols import display_name
from bot.render.buttons import (
    RECORDS_BUTTONS,
    STREAK_BUTTONS,
    history_lines,
    parse_button_value,
    record_years_lines,
)
from bot.render.forward import forward_message
from bot.render.messages import Message, error_message, section
from bot.render.slack_escape import escape_mrkdwn as esc
from bot.services.answers import streak_answer
from bot.services.forward import forward_answer
from bot.services.history import pair_history
from bot.services.record_queries import record_years
from bot.slack.deps import MarketCommandDeps
from bot.slack.listeners.common import SORRY

log = logging.getLogger(__name__)

__all__ = ["ANSWERS", "Answer", "register"]

Answer = Callable[[MarketCommandDeps, WebClient, dict[str, Any], list[str], date], Message | None]


def _lines_message(lines: list[str]) -> Message:
    return Message("\n".join(lines), [section("\n".join(esc(x) for x in lines))])


def _history(deps: MarketCommandDeps, client: WebClient, body: dict[str, Any], syms: list[str],
             as_of: date) -> Message:
    return _lines_message(history_lines(pair_history(deps.market(), syms[0], syms[1], as_of)))


def _next(deps: MarketCommandDeps, client: WebClient, body: dict[str, Any], syms: list[str],
          as_of: date) -> Message:
    return forward_message(forward_answer(deps.market(), syms[0], syms[1], as_of=as_of))


def _by_year(deps: MarketCommandDeps, client: WebClient, body: dict[str, Any], syms: list[str],
             as_of: date) -> Message:
    return _lines_message(record_years_lines(record_years(deps.market(), syms[0], as_of=as_of)))


def _upload(client: WebClient, body: dict[str, Any], png: bytes, filename: str, title: str) -> Message | None:
    try:
        client.files_upload_v2(channel=body["channel"]["id"], content=png, filename=filename, title=title)
    except SlackApiError as exc:
        err = exc.response.get("error", "")
        log.warning("button chart upload failed: %s", err)
        return error_message(f"I couldn't post the chart ({err}). Invite me to this channel "
                             "(`/invite @streakbot`) to get charts here.")
    return None  # the chart is the answer


def _streak_chart(deps: MarketCommandDeps, client: WebClient, body: dict[str, Any], syms: list[str],
                  as_of: date) -> Message | None:
    from bot.render.charts import relative_chart_png  # noqa: PLC0415 (matplotlib, only for charts)

    market = deps.market()
    answer = streak_answer(market, syms[0], syms[1], as_of=as_of)
    a, b = answer.a, answer.b or syms[1]
    cur = answer.report.current
    png = relative_chart_png(market.closes(a), market.closes(b), display_name(a), display_name(b),
                             cur.start.date() if cur else None, answer.report.as_of.date())
    return _upload(client, body, png, f"{a.lstrip('^')}-vs-{b.lstrip('^')}-{as_of:%Y-%m-%d}.png",
                   f"{display_name(a)} relative to {display_name(b)}, one year to {as_of:%b %d, %Y}")


def _records_chart(deps: MarketCommandDeps, client: WebClient, body: dict[str, Any], syms: list[str],
                   as_of: date) -> Message | None:
    from bot.render.charts import records_chart_png  # noqa: PLC0415 (matplotlib, only for charts)

    market = deps.market()
    sym = syms[0]
    png = records_chart_png(market.closes(sym), display_name(sym), as_of)
    return _upload(client, body, png, f"{sym.lstrip('^')}-records-{as_of:%Y-%m-%d}.png",
                   f"{display_name(sym)}: record closes, two years to {as_of:%b %d, %Y}")


def handle(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, *,
           deps: MarketCommandDeps, answer: Answer) -> None:
    """Ack, then the button's answer in the background."""
    ack()
    deps.command.run_later(lambda: _answer(deps, client, body, action, answer), f"the {action['action_id']} button")


def _answer(deps: MarketCommandDeps, client: WebClient, body: dict[str, Any], action: dict[str, Any],
            answer: Answer) -> None:
    url = body.get("response_url")
    kind = "ephemeral"  # a problem is told to the one who clicked
    try:
        syms, as_of = parse_button_value(str(action.get("value", "")))
        msg = answer(deps, client, body, syms, as_of)
        kind = "in_channel"  # a follow-up to an answer everyone saw
    except (ValueError, KeyError, TypeError):
        msg = error_message("That button is from an older message I can no longer read; please ask again.")
    except UserError as exc:
        msg = error_message(str(exc))
    except Exception:
        log.exception("button %s failed", action.get("action_id"))
        msg = error_message(SORRY)
    if msg is not None and url:
        deps.command.respond(str(url), msg.payload(kind))


ANSWERS: dict[str, Answer] = {
    "streak_chart": _streak_chart,
    "streak_history": _history,
    "streak_next": _next,
    "records_chart": _records_chart,
    "records_by_year": _by_year,
}


def register(app: App, deps: MarketCommandDeps, answers: dict[str, Answer] | None = None) -> None:
    """Attach a ``block_actions`` listener for each button (``answers`` adds or replaces some)."""
    table = {**ANSWERS, **(answers or {})}
    for action_id in (*STREAK_BUTTONS, *RECORDS_BUTTONS):
        if action_id in table:
            app.action(action_id)(partial(handle, deps=deps, answer=table[action_id]))

