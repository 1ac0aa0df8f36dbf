"""Pure Block Kit message builders (tested against exact JSON).

Every builder returns a ``Message``: the plain-text fallback (notifications, screen
readers) plus blocks. Nothing here talks to Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.render.blockkit import clamp_blocks
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
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(*lines: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in lines if t]}


STREAK_USAGE = (
    "*Usage:* `/streak A B` — who has led, and for how many straight sessions.\n"
    "• `/streak RUT SPX` — Russell 2000 vs S&P 500\n"
    "• `/streak NDX SPX --as-of 2025-06-30` — as of a past session\n"
    "• `/streak RUT SPX chart` — with a one-year chart of RUT relative to SPX\n"
    "• `/streak SPX` — the S&P 500's winning or losing streak\n"
    "Symbols: SPX, RUT, NDX, COMP, DJIA, or any symbol in the data (e.g. ^RUT, IWM)."
)

RECORDS_USAGE = (
    "*Usage:* `/records SYMBOL [YEAR]` — record closes (all-time closing highs).\n"
    "• `/records SPX` — is the S&P 500 at a record, and how many this year\n"
    "• `/records RUT 2021` — the Russell 2000's record closes in 2021\n"
    "• `/records COMP --as-of 2025-06-30` — as of a past session"
)


def usage_message(usage: str, problem: str | None = None) -> Message:
    """Ephemeral help, with the problem first when there is one."""
    blocks: list[Block] = []
    if problem:
        blocks.append(section(f":warning: {problem}"))
    blocks.append(section(usage))
    text = (problem + " " if problem else "") + usage.replace("*", "")
    return Message(text, blocks)


def error_message(problem: str) -> Message:
    """An ephemeral message for a failure that is not the user's fault."""
    return Message(problem, [section(f":warning: {problem}")])


def streak_message(answer: StreakAnswer) -> Message:
    """The in-channel answer to ``/streak``."""
    blocks: list[Block] = [section(f"*{answer.headline()}*")]
    record = answer.record_line()
    if record:
        blocks.append(section(record))
    notes = answer.notes()
    if notes:
        blocks.append(context(*(f":information_source: {n}" for n in notes)))
    blocks.append(context(answer.footer()))
    return Message(answer.text(), clamp_blocks(blocks))


def records_message(answer: RecordsAnswer) -> Message:
    """The in-channel answer to ``/records``."""
    blocks: list[Block] = [section(f"*{answer.headline()}*")]
    prev = answer.previous_line()
    body = "\n".join(x for x in (prev, answer.year_line()) if x)
    blocks.append(section(body))
    notes = answer.notes()
    if notes:
        blocks.append(context(*(f":information_source: {n}" for n in notes)))
    blocks.append(context(answer.footer()))
    return Message(answer.text(), clamp_blocks(blocks))
