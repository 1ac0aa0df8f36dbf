"""Answer a parsed plain-words :class:`Question`: data, no words and no Slack types.

Answers reuse :mod:`bot.services.answers`, so a question and the equivalent ``/streak`` or
``/records`` command always agree. :func:`answer_question` never raises for user input:
anything unanswerable becomes a :class:`HelpReply` saying why. :mod:`bot.render.questions`
puts an answer in words, for Slack (Block Kit) and for the command line (plain text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import pandas as pd

from analytics import records_per_year, streak_table
from bot.domain.errors import UserError
from bot.questions.parser import Question, parse_question
from bot.services.answers import (
    RecordsAnswer,
    StreakAnswer,
    records_answer,
    streak_answer,
)
from bot.services.market import Market

__all__ = [
    "HelpReason",
    "HelpReply",
    "LastRecord",
    "LongestStreak",
    "PreviousRecord",
    "QuestionAnswer",
    "RecordCount",
    "Run",
    "SideBest",
    "answer_question",
    "answer_text",
]

HelpReason = Literal["asked", "not_understood", "needs_two_symbols", "user_error"]


@dataclass(frozen=True)
class HelpReply:
    """The help reply: asked for, a question not understood, or one that cannot be answered.

    ``problem`` is the :class:`~bot.domain.errors.UserError` message (``"user_error"`` only).
    """

    reason: HelpReason
    problem: str | None = None


@dataclass(frozen=True)
class RecordCount:
    """How many record closes: in ``records.summary.year``, or by year since ``since_year``."""

    records: RecordsAnswer
    since_year: int | None = None
    per_year: tuple[tuple[int, int], ...] = ()  # (year, records) from since_year on

    @property
    def total(self) -> int:
        """Records since the start of ``since_year`` (through the as-of session)."""
        return sum(n for _, n in self.per_year)


@dataclass(frozen=True)
class LastRecord:
    """When the latest record close was."""

    records: RecordsAnswer


@dataclass(frozen=True)
class PreviousRecord:
    """The record close before the latest one, and the gap between them."""

    records: RecordsAnswer


@dataclass(frozen=True)
class Run:
    """One streak: first and last session, length in sessions."""

    start: date
    end: date
    length: int


@dataclass(frozen=True)
class SideBest:
    """The longest streak of ``leader`` beating ``laggard`` in the scope (None: none)."""

    leader: str
    laggard: str
    best: Run | None


@dataclass(frozen=True)
class LongestStreak:
    """The longest streak each way of a pair, in the data or in/since a year."""

    streak: StreakAnswer  # the current streak, as of the same session
    scope: Literal["data", "since_year", "year"]
    year: int | None
    sides: tuple[SideBest, SideBest]  # A beating B, then B beating A


QuestionAnswer = (
    HelpReply | StreakAnswer | RecordsAnswer | RecordCount | LastRecord | PreviousRecord | LongestStreak
)


def _as_of(q: Question) -> date | None:
    return q.period.date if q.period.kind == "date" else None


def _records(market: Market, q: Question, now: datetime, year: int | None = None) -> RecordsAnswer:
    return records_answer(market, q.symbols[0], year=year, as_of=_as_of(q), now=now)


def _record_count(market: Market, q: Question, now: datetime) -> RecordCount:
    if q.period.kind == "since_year":
        ans = _records(market, q, now)
        closes = market.closes(ans.symbol)
        closes = closes[closes.index <= ans.summary.as_of]
        per_year = records_per_year(closes)
        since = int(q.period.year or 0)
        rows = per_year[per_year.index >= since]
        counts = tuple(zip(rows.index.astype(int), rows.to_numpy(dtype=int), strict=True))
        return RecordCount(ans, since, tuple((int(y), int(n)) for y, n in counts))
    year = q.period.year if q.period.kind == "year" else None
    return RecordCount(_records(market, q, now, year=year))


def _longest(market: Market, q: Question, now: datetime) -> LongestStreak:
    ans = streak_answer(market, q.symbols[0], q.symbols[1], as_of=_as_of(q), now=now)
    assert ans.b is not None
    table = streak_table(market.pair(ans.a, ans.b), ans.report.as_of)
    since = q.period.year if q.period.kind in ("since_year", "year") else None
    scope: Literal["data", "since_year", "year"] = "data"
    if since is not None:
        table = table[table["start"] >= pd.Timestamp(since, 1, 1)]
        scope = "since_year" if q.period.kind == "since_year" else "year"
        if scope == "year":
            table = table[table["start"] < pd.Timestamp(since + 1, 1, 1)]
    sides: list[SideBest] = []
    for sign, lead, lag in ((1, ans.a, ans.b), (-1, ans.b, ans.a)):
        rows = table[table["sign"] == sign]
        best = None
        if not rows.empty:
            row = rows.iloc[int(rows["length"].to_numpy().argmax())]
            best = Run(row["start"].date(), row["end"].date(), int(row["length"]))
        sides.append(SideBest(lead, lag, best))
    return LongestStreak(ans, scope, since, (sides[0], sides[1]))


def _answer(q: Question, market: Market, now: datetime) -> QuestionAnswer:
    if q.intent == "help":
        return HelpReply("asked")
    if q.intent == "unknown" or not q.symbols:
        return HelpReply("not_understood")
    if q.intent == "record_count":
        return _record_count(market, q, now)
    if q.intent == "last_record":
        return LastRecord(_records(market, q, now))
    if q.intent in ("is_record", "below_record"):
        return _records(market, q, now)
    if q.intent == "previous_record":
        return PreviousRecord(_records(market, q, now))
    if q.intent == "index_streak":
        return streak_answer(market, q.symbols[0], None, as_of=_as_of(q), now=now)
    if len(q.symbols) < 2:
        return HelpReply("needs_two_symbols")
    if q.intent == "current_streak":
        return streak_answer(market, q.symbols[0], q.symbols[1], as_of=_as_of(q), now=now)
    if q.intent == "longest_streak":
        return _longest(market, q, now)
    return HelpReply("not_understood")


def answer_question(question: Question, market: Market, now: datetime) -> QuestionAnswer:
    """The answer to one parsed question; never raises for user input.

    Parameters
    ----------
    question : Question
        From :func:`bot.questions.parser.parse_question`.
    market : Market
        The price data.
    now : datetime
        The current instant (tz-aware): answers without a date say when data is stale.

    Returns
    -------
    QuestionAnswer
        A :class:`HelpReply` (reason ``"user_error"`` with the message) for anything that
        cannot be answered.
    """
    try:
        return _answer(question, market, now)
    except UserError as exc:
        return HelpReply("user_error", str(exc))


def answer_text(text: str, market: Market, now: datetime, today: date) -> QuestionAnswer:
    """Parse ``text`` (Slack markup allowed) and answer it in one step.

    ``today`` is the New York calendar day that "this year" and "yesterday" refer to.
    """
    return answer_question(parse_question(text, today=today, available=market.available()), market, now)
