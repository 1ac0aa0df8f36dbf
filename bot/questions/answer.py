"""Turn a parsed plain-words :class:`Question` into a Slack message.

Answers reuse :mod:`bot.services.answers` and the ``/streak`` / ``/records`` message builders, so
a question and the equivalent command always agree. Never raises for user input:
anything unanswerable becomes a friendly message with examples.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from analytics import records_per_year, streak_table
from bot.domain.symbols import display_name
from bot.questions.parser import EXAMPLES, Question, parse_question
from bot.render.format import compact_dates, fmt_date, fmt_range, plural
from bot.render.messages import Message, context, records_message, section, streak_message
from bot.services.answers import (
    InputError,
    RecordsAnswer,
    StreakAnswer,
    records_answer,
    streak_answer,
)
from bot.services.market import Market


def help_message(prefix: str | None = None) -> Message:
    """Friendly reply with three examples and a pointer to the slash commands."""
    lead = prefix or "I answer questions about record closes and streaks of the US indices."
    examples = "\n".join(f"• _{e}_" for e in EXAMPLES)
    body = (
        f"{lead}\nTry for example:\n{examples}\n"
        "Or use `/streak RUT SPX` and `/records SPX` (type `/streak help` for more)."
    )
    return Message(body.replace("_", ""), [section(body)])


NOT_UNDERSTOOD = "Sorry, I didn't understand that question."


def _as_of(q: Question) -> date | None:
    return q.period.date if q.period.kind == "date" else None


def _records(market: Market, q: Question, now: datetime, year: int | None = None) -> RecordsAnswer:
    return records_answer(market, q.symbols[0], year=year, as_of=_as_of(q), now=now)


def _with_footer(lines: list[str], ans: RecordsAnswer | StreakAnswer) -> Message:
    notes = ans.notes()
    blocks = [section("\n".join(lines))]
    if notes:
        blocks.append(context(*(f":information_source: {n}" for n in notes)))
    blocks.append(context(ans.footer()))
    text = "\n".join([*lines, *notes, ans.footer()])
    return Message(text, blocks)


def _record_count(market: Market, q: Question, now: datetime) -> Message:
    name = display_name(q.symbols[0])
    if q.period.kind == "since_year":
        ans = _records(market, q, now)
        closes = market.closes(ans.symbol)
        closes = closes[closes.index <= ans.summary.as_of]
        per_year = records_per_year(closes)
        since = int(q.period.year or 0)
        total = int(per_year[per_year.index >= since].sum())
        years = ", ".join(f"{y}: {int(n)}" for y, n in per_year[per_year.index >= since].items())
        line = (
            f"The {name} has set {plural(total, 'record close')} since the start of {since} "
            f"(through {fmt_date(ans.summary.as_of)})."
        )
        return _with_footer([f"*{line}*", f"By year: {years}."], ans)
    year = q.period.year if q.period.kind == "year" else None
    ans = _records(market, q, now, year=year)
    s = ans.summary
    partial = " so far" if s.year == s.as_of.year else ""
    head = f"The {name} has set {plural(s.count, 'record close')} in {s.year}{partial}"
    head += f" (through {fmt_date(s.as_of)})." if partial else "."
    lines = [f"*{head}*"]
    if s.count:
        lines.append(f"Dates: {compact_dates(s.dates)}.")
    return _with_footer(lines, ans)


def _last_record(market: Market, q: Question, now: datetime) -> Message:
    ans = _records(market, q, now)
    s = ans.summary
    name = display_name(ans.symbol)
    if s.last_record is None:
        return _with_footer([f"*The {name} has no record close in the data (from {fmt_date(s.data_start)}).*"], ans)
    lr = s.last_record
    when = "today's close" if lr.sessions_ago == 0 else f"{plural(lr.sessions_ago, 'session')} before {fmt_date(s.as_of)}"
    lines = [f"*The {name}'s last record close was {lr.close:,.2f} on {fmt_date(lr.date)} ({when}).*"]
    prev = ans.previous_line()
    if prev:
        lines.append(prev)
    return _with_footer(lines, ans)


def _previous_record(market: Market, q: Question, now: datetime) -> Message:
    ans = _records(market, q, now)
    s = ans.summary
    name = display_name(ans.symbol)
    if s.previous_record is None or s.last_record is None:
        return _with_footer([f"*The {name} has fewer than two record closes in the data.*"], ans)
    p, lr = s.previous_record, s.last_record
    gap = s.gap_sessions or 0
    lines = [
        f"*Before its latest record ({lr.close:,.2f} on {fmt_date(lr.date)}), the {name}'s previous "
        f"record close was {p.close:,.2f} on {fmt_date(p.date)}: a gap of {plural(gap, 'session')}.*"
    ]
    return _with_footer(lines, ans)


def _longest(market: Market, q: Question, now: datetime) -> Message:
    ans = streak_answer(market, q.symbols[0], q.symbols[1], as_of=_as_of(q), now=now)
    assert ans.b is not None
    frame = market.pair(ans.a, ans.b)
    table = streak_table(frame, ans.report.as_of)
    since = q.period.year if q.period.kind in ("since_year", "year") else None
    scope = "in the data"
    if since is not None:
        start = pd.Timestamp(since, 1, 1)
        table = table[table["start"] >= start]
        scope = f"since the start of {since}" if q.period.kind == "since_year" else f"starting in {since}"
        if q.period.kind == "year":
            table = table[table["start"] < pd.Timestamp(since + 1, 1, 1)]
    lines: list[str] = []
    for sign, lead, lag in ((1, ans.a, ans.b), (-1, ans.b, ans.a)):
        rows = table[table["sign"] == sign]
        who = f"the {display_name(lead)} beating the {display_name(lag)}"
        if rows.empty:
            lines.append(f"No streak of {who} {scope}.")
            continue
        best = rows.iloc[int(rows["length"].to_numpy().argmax())]
        lines.append(
            f"Longest streak of {who} {scope}: {plural(int(best['length']), 'session')} "
            f"({fmt_range(best['start'], best['end'])})."
        )
    lines[0] = f"*{lines[0]}*"
    lines.append(f"Current: {ans.headline()}")
    return _with_footer(lines, ans)


def answer_question(question: Question, market: Market, now: datetime) -> Message:
    """The reply to one parsed question (never raises for user input)."""
    q = question
    try:
        if q.intent == "help":
            return help_message()
        if q.intent == "unknown" or not q.symbols:
            return help_message(NOT_UNDERSTOOD)
        if q.intent == "record_count":
            return _record_count(market, q, now)
        if q.intent == "last_record":
            return _last_record(market, q, now)
        if q.intent in ("is_record", "below_record"):
            return records_message(_records(market, q, now))
        if q.intent == "previous_record":
            return _previous_record(market, q, now)
        if q.intent == "index_streak":
            return streak_message(streak_answer(market, q.symbols[0], None, as_of=_as_of(q), now=now))
        if len(q.symbols) < 2:
            return help_message(f"{NOT_UNDERSTOOD} A streak question needs two indices, e.g. small caps vs the S&P 500.")
        if q.intent == "current_streak":
            return streak_message(streak_answer(market, q.symbols[0], q.symbols[1], as_of=_as_of(q), now=now))
        if q.intent == "longest_streak":
            return _longest(market, q, now)
    except InputError as exc:
        return help_message(f":warning: {exc}")
    return help_message(NOT_UNDERSTOOD)


def answer_text(text: str, market: Market, now: datetime, today: date) -> Message:
    """Parse and answer in one step."""
    return answer_question(parse_question(text, today=today, available=market.available()), market, now)
