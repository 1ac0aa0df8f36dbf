"""Pure Block Kit message builders (tested against exact JSON).

Every builder returns a ``Message``: the plain-text fallback (notifications, screen
readers) plus blocks. Nothing here talks to Slack. The sentences come from
:mod:`bot.render.text`; text from data or from the user goes into ``mrkdwn`` through
:func:`~bot.render.slack_escape.escape_mrkdwn`. The usage texts are ``mrkdwn`` as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.render.blockkit import clamp_blocks
from bot.render.records import records_lines, records_text
from bot.render.slack_escape import escape_mrkdwn as esc
from bot.render.text import (
    records_footer,
    records_notes,
    streak_followed_line,
    streak_footer,
    streak_headline,
    streak_milestone_line,
    streak_notes,
    streak_record_line,
    streak_text,
)
from bot.services.answers import RecordsAnswer, StreakAnswer

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[Block]

    def ack_args(self) -> dict[str, Any]:
        """Keyword arguments for Bolt's ``ack()``: an ephemeral reply in the HTTP response."""
        return {"text": self.text, "blocks": self.blocks, "response_type": "ephemeral"}

    def payload(self, response_type: str = "in_channel") -> dict[str, Any]:
        """Body for a ``response_url`` webhook."""
        return {
            "response_type": response_type,
            "replace_original": False,
            "text": self.text,
            "blocks": self.blocks,
        }


def section(text: str) -> Block:
    """A ``mrkdwn`` section; ``text`` is markup (escape what comes from data first)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(*lines: str) -> Block:
    """A context block of ``mrkdwn`` elements (empty lines left out); ``lines`` are markup."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in lines if t]}


STREAK_USAGE = (
    "*Usage:* `/streak A B` — who has led, and for how many straight sessions.\n"
    "• `/streak RUT SPX` — Russell 2000 vs S&P 500\n"
    "• `/streak NDX SPX --as-of 2025-06-30` — as of a past session\n"
    "• `/streak RUT SPX chart` — with a one-year chart of RUT relative to SPX\n"
    "• `/streak RUT SPX next` — what happened after the earlier streaks as long as this one\n"
    "• `/streak SPX` — the S&P 500's winning or losing streak\n"
    "• `/streak small caps vs large caps 2026-01-22` — everyday words; a bare date is the as-of\n"
    "Symbols: SPX, RUT, NDX, COMP, DJIA, or any symbol in the data (e.g. ^RUT, IWM, XLE)."
)

RECORDS_USAGE = (
    "*Usage:* `/records SYMBOL [YEAR]` — record closes (all-time closing highs).\n"
    "• `/records SPX` — is the S&P 500 at a record, and how many this year\n"
    "• `/records RUT 2021` — the Russell 2000's record closes in 2021\n"
    "• `/records COMP --as-of 2025-06-30` — as of a past session\n"
    "• `/records RUT next` — what happened after its earlier first records in 250 or more sessions"
)


def usage_message(usage: str, problem: str | None = None) -> Message:
    """Ephemeral help, with the problem first when there is one."""
    blocks: list[Block] = []
    if problem:
        blocks.append(section(f":warning: {esc(problem)}"))
    blocks.append(section(usage))
    text = (problem + " " if problem else "") + usage.replace("*", "")
    return Message(text, blocks)


def plain_message(text: str) -> Message:
    """One line of ``mrkdwn`` as written (an interim note)."""
    return Message(text.replace("`", ""), [section(text)])


def error_message(problem: str) -> Message:
    """An ephemeral message for a failure that is not the user's fault."""
    return Message(problem, [section(f":warning: {esc(problem)}")])


def with_actions(message: Message, actions: Block | None) -> Message:
    """``message`` with a row of buttons (an ``actions`` block) after its content."""
    if actions is None:
        return message
    return Message(message.text, clamp_blocks([*message.blocks, actions]))


def streak_message(answer: StreakAnswer) -> Message:
    """The in-channel answer to ``/streak``."""
    blocks: list[Block] = [section(f"*{esc(streak_headline(answer))}*")]
    record = streak_record_line(answer)
    milestones = streak_milestone_line(answer)
    followed = streak_followed_line(answer)
    body = "\n".join(esc(x) for x in (record, milestones, followed) if x)
    if body:
        blocks.append(section(body))
    notes = streak_notes(answer)
    if notes:
        blocks.append(context(*(f":information_source: {esc(n)}" for n in notes)))
    blocks.append(context(esc(streak_footer(answer))))
    return Message(streak_text(answer), clamp_blocks(blocks))


def records_message(answer: RecordsAnswer) -> Message:
    """The in-channel answer to ``/records``."""
    first, *rest = records_lines(answer)  # a past year first, else the as-of close
    blocks: list[Block] = [section(f"*{esc(first)}*")]
    blocks.append(section("\n".join(esc(x) for x in rest)))
    notes = records_notes(answer)
    if notes:
        blocks.append(context(*(f":information_source: {esc(n)}" for n in notes)))
    blocks.append(context(esc(records_footer(answer))))
    return Message(records_text(answer), clamp_blocks(blocks))
