"""Answer a parsed plain-words :class:`Question`: data, no words and no Slack types.

Answers reuse :mod:`bot.services.answers`, so a question and the equivalent ``/streak`` or
``/records`` command always agree. :func:`answer_question` never raises for user input:
anything unanswerable becomes a :class:`HelpReply` saying why. :mod:`bot.render.questions`
puts an answer in words, for Slack (Block Kit) and for the command line (plain text).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Literal

import pandas as pd

from analytics import record_closes, records_per_year, streak_table
from bot.domain.errors import UserError
from bot.questions.parser import Period, Question, parse_question
from bot.services.answers import (
    RecordsAnswer,
    StreakAnswer,
    records_answer,
    streak_answer,
)
from bot.services.day_move import DayMove, NotASession, day_move
from bot.services.market import Market
from bot.services.performance import (
    PairPerformance,
    PeriodReturn,
    SectorLeadership,
    pair_performance,
    period_change,
    sector_leadership,
    ytd_return,
)

__all__ = [
    "AskedRecords",
    "AskedStreak",
    "CantAnswerYet",
    "HelpReason",
    "HelpReply",
    "LaggardLosingStreak",
    "LastRecord",
    "LongestStreak",
    "LosingStreak",
    "NotUnderstood",
    "PeriodReply",
    "PreviousRecord",
    "QuestionAnswer",
    "RecordCount",
    "RecordPick",
    "RecordYearRank",
    "Run",
    "RunsAtLeast",
    "SessionsSinceRecord",
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
    question: Question | None = None  # what was asked: the answer restates it

    @property
    def total(self) -> int:
        """Records since the start of ``since_year`` (through the as-of session)."""
        return sum(n for _, n in self.per_year)


@dataclass(frozen=True)
class LastRecord:
    """When the latest record close was."""

    records: RecordsAnswer
    question: Question | None = None


@dataclass(frozen=True)
class PreviousRecord:
    """The record close before the latest one, and the gap between them."""

    records: RecordsAnswer
    question: Question | None = None


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
class RunsAtLeast:
    """Runs of at least ``window`` sessions on one side: ``runner`` beating ``other`` (a
    pair) or ``runner`` up (``sign`` +1) or down (-1) on its own (``other`` None).

    ``count`` runs in the scope (``since``: from that year, ``year``: within it; the start
    decides), the ``latest`` and the ``longest`` of them; ``current`` is the length of the
    run in progress on that side as of ``streak``'s session (0: not on one).
    """

    question: Question
    streak: StreakAnswer
    runner: str
    other: str | None
    sign: int
    window: int
    count: int
    latest: Run | None
    longest: Run | None
    current: int
    scope: Literal["data", "since_year", "year"]
    year: int | None
    data_start: date


@dataclass(frozen=True)
class LongestStreak:
    """The longest streak each way of a pair, in the data or in/since a year."""

    streak: StreakAnswer  # the current streak, as of the same session
    scope: Literal["data", "since_year", "year"]
    year: int | None
    sides: tuple[SideBest, SideBest]  # A beating B, then B beating A
    question: Question | None = None


@dataclass(frozen=True)
class AskedRecords(RecordsAnswer):
    """A ``/records``-style answer to a plain-words question, with the question it answers."""

    question: Question | None = None


@dataclass(frozen=True)
class AskedStreak(StreakAnswer):
    """A ``/streak``-style answer to a plain-words question, with the question it answers."""

    question: Question | None = None


def _asked_records(ans: RecordsAnswer, q: Question) -> AskedRecords:
    return AskedRecords(**{f.name: getattr(ans, f.name) for f in fields(ans)}, question=q)


def _asked_streak(ans: StreakAnswer, q: Question) -> AskedStreak:
    return AskedStreak(**{f.name: getattr(ans, f.name) for f in fields(ans)}, question=q)


@dataclass(frozen=True)
class NotUnderstood:
    """Words that could change the answer and that no answer uses (``question.unused``).

    ``question`` says what the rest of the words were read as (``question.understood``).
    """

    question: Question


@dataclass(frozen=True)
class CantAnswerYet:
    """A question understood (``question``) that the bot has no answer for yet."""

    question: Question


@dataclass(frozen=True)
class PeriodReply:
    """A period answer (a pair over a period, a day's move, a YTD return) to ``question``."""

    question: Question
    answer: PairPerformance | PeriodReturn | DayMove | NotASession | SectorLeadership


@dataclass(frozen=True)
class RecordPick:
    """Record closes in a scope (period and bound) and, with an ordinal, the one asked for.

    ``dates``/``closes`` are every record session in scope, oldest first; ``picked`` the
    index into them of the ``question.ordinal`` one (None: no ordinal, or not that many).
    """

    question: Question
    records: RecordsAnswer
    start: date | None  # first calendar day in scope (None: the start of the data)
    end: date  # last session in scope
    dates: tuple[date, ...]
    closes: tuple[float, ...]
    picked: int | None


@dataclass(frozen=True)
class SessionsSinceRecord:
    """Sessions of the series after its latest record close, through the as-of session."""

    question: Question
    records: RecordsAnswer


@dataclass(frozen=True)
class RecordYearRank:
    """Record closes per calendar year, most first (``question.direction`` "down": fewest)."""

    question: Question
    records: RecordsAnswer
    ranked: tuple[tuple[int, int], ...]  # (year, records), in the order asked for
    partial_year: int | None  # the as-of year when it is not complete


@dataclass(frozen=True)
class LosingStreak:
    """One symbol's current run of down sessions, and its longest one in the data.

    ``streak.report.current`` is the current run (sign -1: down days); when it is an
    up run the symbol is not on a losing streak. ``longest`` is the record run of down days.
    """

    question: Question
    streak: StreakAnswer


@dataclass(frozen=True)
class LaggardLosingStreak:
    """The longest streak of the laggard (the side not leading now) trailing the other."""

    question: Question
    longest: LongestStreak
    laggard: str
    leader: str
    best: Run | None


QuestionAnswer = (
    HelpReply | StreakAnswer | RecordsAnswer | RecordCount | LastRecord | PreviousRecord | LongestStreak
    | NotUnderstood | CantAnswerYet | RunsAtLeast | RecordPick | SessionsSinceRecord | RecordYearRank
    | LosingStreak | LaggardLosingStreak | PeriodReply
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
        return RecordCount(ans, since, tuple((int(y), int(n)) for y, n in counts), q)
    year = q.period.year if q.period.kind == "year" else None
    return RecordCount(_records(market, q, now, year=year), question=q)


Scope = Literal["data", "since_year", "year"]


def _year_scope(table: pd.DataFrame, q: Question) -> tuple[pd.DataFrame, Scope, int | None]:
    """The streaks of ``table`` a question's year or "since YEAR" covers (by their start),
    with the scope and the year; the whole table for any other period."""
    year = q.period.year if q.period.kind in ("since_year", "year") else None
    if year is None:
        return table, "data", None
    table = table[table["start"] >= pd.Timestamp(year, 1, 1)]
    if q.period.kind == "since_year":
        return table, "since_year", year
    return table[table["start"] < pd.Timestamp(year + 1, 1, 1)], "year", year


def _run_of(row: pd.Series) -> Run:  # type: ignore[type-arg]
    return Run(row["start"].date(), row["end"].date(), int(row["length"]))


def _longest(market: Market, q: Question, now: datetime) -> LongestStreak:
    ans = streak_answer(market, q.symbols[0], q.symbols[1], as_of=_as_of(q), now=now)
    assert ans.b is not None
    table, scope, since = _year_scope(streak_table(market.pair(ans.a, ans.b), ans.report.as_of), q)
    sides: list[SideBest] = []
    for sign, lead, lag in ((1, ans.a, ans.b), (-1, ans.b, ans.a)):
        rows = table[table["sign"] == sign]
        best = None
        if not rows.empty:
            best = _run_of(rows.iloc[int(rows["length"].to_numpy().argmax())])
        sides.append(SideBest(lead, lag, best))
    return LongestStreak(ans, scope, since, (sides[0], sides[1]), q)


def _runs_at_least(market: Market, q: Question, now: datetime) -> RunsAtLeast:
    """Runs of at least ``q.window`` sessions; "down" asks about the first symbol lagging
    (a pair) or falling (one symbol)."""
    assert q.window is not None
    pair = len(q.symbols) == 2
    ans = streak_answer(market, q.symbols[0], q.symbols[1] if pair else None,
                        as_of=_as_of(q), now=now)
    frame = market.pair(ans.a, ans.b) if ans.b is not None else market.single(ans.a)
    table = streak_table(frame, ans.report.as_of)
    sign = -1 if q.direction == "down" else 1
    runner, other = (ans.a, ans.b) if sign > 0 or ans.b is None else (ans.b, ans.a)
    last = table.iloc[-1] if not table.empty else None
    current = 0
    if (last is not None and int(last["sign"]) == sign and ans.report.status == "streak"
            and last["end"].date() == ans.report.as_of.date()):
        current = int(last["length"])
    table, scope, year = _year_scope(table, q)
    rows = table[(table["sign"] == sign) & (table["length"] >= q.window)]
    latest = _run_of(rows.iloc[-1]) if not rows.empty else None
    side = table[table["sign"] == sign]
    longest = _run_of(side.iloc[int(side["length"].to_numpy().argmax())]) if not side.empty else None
    return RunsAtLeast(q, ans, runner, other, sign, q.window, len(rows), latest, longest,
                       current, scope, year, ans.report.data_start.date())


def _scope(q: Question, as_of: date) -> tuple[date | None, date, bool]:
    """(first day, last day, whether the first day's close itself is excluded) of the
    sessions a records question is about."""
    p: Period = q.period
    start: date | None = None
    end = as_of
    exclusive = False
    if p.kind == "year" and p.year is not None:
        start, end = date(p.year, 1, 1), min(as_of, date(p.year, 12, 31))
    elif p.kind == "since_year" and p.year is not None:
        start = date(p.year, 1, 1)
    elif p.kind == "month" and p.year is not None and p.month is not None:
        start = date(p.year, p.month, 1)
        nxt = date(p.year + (p.month == 12), p.month % 12 + 1, 1)
        end = min(as_of, nxt - timedelta(days=1))
    elif p.kind == "week" and p.date is not None:
        start, end = p.date, min(as_of, p.date + timedelta(days=6))
    elif p.kind == "since_date" and p.date is not None:
        start, exclusive = p.date, True  # since the close of that day
    b = q.bound
    if b is not None:
        if b.kind == "before":
            end = min(end, b.date - timedelta(days=1))
        elif b.kind == "through":
            end = min(end, b.date)
        elif start is None or b.date >= start:
            start, exclusive = b.date, True
    return start, end, exclusive


def _record_pick(market: Market, q: Question, now: datetime) -> RecordPick:
    ans = _records(market, q, now)
    as_of = ans.summary.as_of.date()
    start, end, exclusive = _scope(q, as_of)
    recs = record_closes(market.closes(ans.symbol))
    days = [d.date() for d in pd.DatetimeIndex(recs.index)]
    keep = [
        i for i, d in enumerate(days)
        if d <= end and (start is None or d > start or (d == start and not exclusive))
    ]
    dates = tuple(days[i] for i in keep)
    closes = tuple(float(recs.iloc[i]) for i in keep)
    picked: int | None = None
    n = q.ordinal
    if n is not None and q.intent == "nth_record":
        idx = n - 1 if n > 0 else len(dates) + n
        picked = idx if 0 <= idx < len(dates) else None
    return RecordPick(q, ans, start, min(end, as_of), dates, closes, picked)


def _year_rank(market: Market, q: Question, now: datetime) -> RecordYearRank:
    ans = _records(market, q, now)
    closes = market.closes(ans.symbol)
    closes = closes[closes.index <= ans.summary.as_of]
    per_year = records_per_year(closes)
    if q.period.kind == "since_year" and q.period.year is not None:
        per_year = per_year[per_year.index >= q.period.year]
    rows = [(int(y), int(n)) for y, n in zip(per_year.index.astype(int), per_year.to_numpy(dtype=int), strict=True)]
    fewest = q.direction == "down"
    rows.sort(key=lambda r: (r[1], r[0]) if fewest else (-r[1], r[0]))
    as_of = ans.summary.as_of.date()
    partial = as_of.year if as_of < date(as_of.year, 12, 31) else None
    return RecordYearRank(q, ans, tuple(rows), partial)


def _laggard(market: Market, q: Question, now: datetime) -> LaggardLosingStreak:
    longest = _longest(market, q, now)
    cur = longest.streak.report.current
    a, b = longest.streak.a, longest.streak.b or ""
    # the laggard trails the side leading the current streak
    leader, laggard = (a, b) if cur is None or cur.sign >= 0 else (b, a)
    side = next(s for s in longest.sides if s.leader == leader)
    return LaggardLosingStreak(q, longest, laggard, leader, side.best)


def _period_range(p: Period) -> tuple[date, date | None] | None:
    """The calendar days ``[start, end]`` a pair question's period covers (``end`` None: up to
    the latest close); ``None`` for a period that is not a span (none, or one day)."""
    if p.kind == "year" and p.year is not None:
        return date(p.year, 1, 1), date(p.year, 12, 31)
    if p.kind == "since_year" and p.year is not None:
        return date(p.year, 1, 1), None
    if p.kind == "since_date" and p.date is not None:
        # "since the election": measured from that day's close, so the span starts after it
        return p.date + timedelta(days=1), None
    if p.kind == "month" and p.year is not None and p.month is not None:
        first = date(p.year, p.month, 1)
        nxt = date(p.year + p.month // 12, p.month % 12 + 1, 1)
        return first, nxt - timedelta(days=1)
    if p.kind == "week" and p.date is not None:
        return p.date, p.date + timedelta(days=6)
    return None


def _span_or_session(p: Period) -> tuple[date | None, date | None] | None:
    """``(start, end)`` for a period answer: a span, or one session (``start`` None: the
    session on or before ``end``; both None: the latest); ``None`` for a period that
    names neither."""
    span = _period_range(p)
    if span is not None:
        return span
    if p.kind == "none":
        return None, None
    if p.kind == "date" and p.date is not None:
        return None, p.date
    return None


def _period_reply(q: Question, market: Market, now: datetime) -> QuestionAnswer:
    """A pair over a period, one symbol's day or its YTD return, the sectors ranked; what
    has no span or symbol of its own is not answered with another question's figure."""
    p = q.period
    if q.intent == "day_move" and len(q.symbols) == 1 and p.kind in ("none", "date"):
        return PeriodReply(q, day_move(market, q.symbols[0], p.date, now=now))
    if q.intent == "ytd_return" and len(q.symbols) == 1 and p.kind in ("none", "year"):
        return PeriodReply(q, ytd_return(market, q.symbols[0], year=p.year, now=now))
    if p.kind == "sessions" and p.sessions is not None:
        n = p.sessions
        if q.intent in ("pair_performance", "equal_vs_cap") and len(q.symbols) == 2:
            a, b = q.symbols
            return PeriodReply(q, pair_performance(market, a, b, None, sessions=n, now=now))
        if q.intent == "symbol_performance" and len(q.symbols) == 1:
            return PeriodReply(q, period_change(market, q.symbols[0], None, sessions=n, now=now))
        return CantAnswerYet(q)
    bounds = _span_or_session(p)
    if q.intent == "symbol_performance" and len(q.symbols) == 1 and bounds is not None and bounds[0] is not None:
        return PeriodReply(q, period_change(market, q.symbols[0], bounds[0], bounds[1], now=now))
    if q.intent == "sector_leadership" and bounds is not None:
        return PeriodReply(q, sector_leadership(market, bounds[0], bounds[1], now=now))
    if q.intent == "equal_vs_cap" and len(q.symbols) == 2 and p.kind == "none":
        # "is equal weight beating cap weight?" is the pair's current streak, as /streak
        pair = streak_answer(market, q.symbols[0], q.symbols[1], as_of=None, now=now)
        return _asked_streak(pair, q)
    if q.intent in ("pair_performance", "equal_vs_cap") and len(q.symbols) == 2 and bounds is not None:
        a, b = q.symbols
        return PeriodReply(q, pair_performance(market, a, b, bounds[0], bounds[1], now=now))
    return CantAnswerYet(q)


def _answer(q: Question, market: Market, now: datetime) -> QuestionAnswer:
    if q.intent == "help":
        return HelpReply("asked")
    if q.unused:
        return NotUnderstood(q)
    if q.intent in ("pair_performance", "symbol_performance", "day_move", "ytd_return",
                    "sector_leadership", "equal_vs_cap"):
        return _period_reply(q, market, now)
    if q.intent in ("nth_record", "records_through") or (
        q.intent == "record_count" and q.period.kind in ("month", "week", "since_date")
    ):
        return _record_pick(market, q, now) if q.symbols else HelpReply("not_understood")
    if q.intent == "sessions_since_record" and q.symbols:
        return SessionsSinceRecord(q, _records(market, q, now))
    if q.intent == "run_at_least" and q.symbols and q.window is not None:
        return _runs_at_least(market, q, now)
    if q.intent == "record_year_rank" and q.symbols:
        return _year_rank(market, q, now)
    if q.intent == "losing_streak" and q.symbols:
        return LosingStreak(q, streak_answer(market, q.symbols[0], None, as_of=_as_of(q), now=now))
    if q.intent == "laggard_losing_streak":
        if len(q.symbols) < 2:
            return HelpReply("needs_two_symbols")
        return _laggard(market, q, now)
    if q.intent == "unknown" or not q.symbols:
        return HelpReply("not_understood")
    if q.intent == "record_count":
        return _record_count(market, q, now)
    if q.intent == "last_record":
        return LastRecord(_records(market, q, now), q)
    if q.intent in ("is_record", "below_record"):
        return _asked_records(_records(market, q, now), q)
    if q.intent == "previous_record":
        return PreviousRecord(_records(market, q, now), q)
    if q.intent == "index_streak":
        return _asked_streak(streak_answer(market, q.symbols[0], None, as_of=_as_of(q), now=now), q)
    if len(q.symbols) < 2:
        return HelpReply("needs_two_symbols")
    if q.intent == "current_streak":
        pair = streak_answer(market, q.symbols[0], q.symbols[1], as_of=_as_of(q), now=now)
        return _asked_streak(pair, q)
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
