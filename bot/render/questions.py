"""The words of plain-words answers: Block Kit for Slack, plain text for the command line.

Both renderings say the same sentences (the Slack one bolds the first line and adds
``:information_source:`` to the notes); ``/streak``- and ``/records``-style answers reuse
:mod:`bot.render.messages` and :mod:`bot.render.text`.
"""

from __future__ import annotations

from datetime import date

from bot.domain.symbols import display_name
from bot.questions.answer import (
    AskedRecords,
    AskedStreak,
    CantAnswerYet,
    HelpReply,
    LaggardLosingStreak,
    LastRecord,
    LongestStreak,
    LosingStreak,
    NotUnderstood,
    PeriodReply,
    PreviousRecord,
    QuestionAnswer,
    RecordCount,
    RecordPick,
    RecordYearRank,
    RunsAtLeast,
    SessionsSinceRecord,
)
from bot.questions.parser import EXAMPLES, Bound, Period, Question
from bot.render.format import (
    compact_dates,
    fmt_date,
    fmt_level,
    fmt_month,
    fmt_pct,
    fmt_range,
    ordinal_word,
    plural,
)
from bot.render.messages import Message, context, records_message, section, streak_message
from bot.render.period_answers import period_parts, period_text
from bot.render.records import records_text
from bot.render.slack_escape import escape_mrkdwn as esc
from bot.render.text import (
    records_footer,
    records_notes,
    records_previous_line,
    streak_footer,
    streak_headline,
    streak_notes,
    streak_text,
)
from bot.services.answers import RecordsAnswer, StreakAnswer

__all__ = [
    "NOT_UNDERSTOOD",
    "help_message",
    "help_text",
    "period_words",
    "question_message",
    "question_text",
    "restatement",
    "suggestions",
]

NOT_UNDERSTOOD = "Sorry, I didn't understand that question."
NEEDS_TWO = f"{NOT_UNDERSTOOD} A streak question needs two indices, e.g. small caps vs the S&P 500."
DEFAULT_LEAD = "I answer questions about record closes and streaks of the US indices."


def help_message(prefix: str | None = None) -> Message:
    """Friendly reply with three examples and a pointer to the slash commands.

    ``prefix`` (markup) replaces the default first line.
    """
    lead = prefix or DEFAULT_LEAD
    examples = "\n".join(f"• _{e}_" for e in EXAMPLES)
    body = (
        f"{lead}\nTry for example:\n{examples}\n"
        "Or use `/streak RUT SPX` and `/records SPX` (type `/streak help` for more)."
    )
    return Message(body.replace("_", ""), [section(body)])


def help_text(lead: str | None = None) -> str:
    """The help reply as plain text, pointing to the command line's own commands."""
    examples = "\n".join(f"• {e}" for e in EXAMPLES)
    return (
        f"{lead or DEFAULT_LEAD}\nTry for example:\n{examples}\n"
        "Or use streakbot streak RUT SPX and streakbot records SPX (see streakbot --help)."
    )


def _help_lead(reply: HelpReply) -> str | None:
    if reply.reason == "asked":
        return None
    if reply.reason == "needs_two_symbols":
        return NEEDS_TWO
    if reply.reason == "user_error":
        return reply.problem
    return NOT_UNDERSTOOD


def _help_message(reply: HelpReply) -> Message:
    if reply.reason != "user_error":
        return help_message(_help_lead(reply))
    problem = reply.problem or ""
    raw, shown = help_message(f":warning: {problem}"), help_message(f":warning: {esc(problem)}")
    return Message(raw.text, shown.blocks)  # the fallback text is not mrkdwn-escaped


# --------------------------------------------------------------------------- sentences
def _record_count_lines(ans: RecordCount) -> list[str]:
    s = ans.records.summary
    name = display_name(ans.records.symbol)
    if ans.since_year is not None:
        years = ", ".join(f"{y}: {n}" for y, n in ans.per_year)
        line = (
            f"The {name} has set {plural(ans.total, 'record close')} since the start of "
            f"{ans.since_year} (through {fmt_date(s.as_of)})."
        )
        return [line, f"By year: {years}."]
    partial = " so far" if s.year == s.as_of.year else ""
    head = f"The {name} has set {plural(s.count, 'record close')} in {s.year}{partial}"
    head += f" (through {fmt_date(s.as_of)})." if partial else "."
    lines = [head]
    if s.count:
        lines.append(f"Dates: {compact_dates(s.dates)}.")
    return lines


def _last_record_lines(ans: LastRecord) -> list[str]:
    s = ans.records.summary
    name = display_name(ans.records.symbol)
    if s.last_record is None:
        return [f"The {name} has no record close in the data (from {fmt_date(s.data_start)})."]
    lr = s.last_record
    when = (
        "today's close"
        if lr.sessions_ago == 0
        else f"{plural(lr.sessions_ago, 'session')} before {fmt_date(s.as_of)}"
    )
    lines = [f"The {name}'s last record close was {lr.close:,.2f} on {fmt_date(lr.date)} ({when})."]
    prev = records_previous_line(ans.records)
    if prev:
        lines.append(prev)
    return lines


def _previous_record_lines(ans: PreviousRecord) -> list[str]:
    s = ans.records.summary
    name = display_name(ans.records.symbol)
    if s.previous_record is None or s.last_record is None:
        return [f"The {name} has fewer than two record closes in the data."]
    p, lr = s.previous_record, s.last_record
    gap = s.gap_sessions or 0
    return [
        f"Before its latest record ({lr.close:,.2f} on {fmt_date(lr.date)}), the {name}'s previous "
        f"record close was {p.close:,.2f} on {fmt_date(p.date)}: a gap of {plural(gap, 'session')}."
    ]


def _longest_lines(ans: LongestStreak) -> list[str]:
    if ans.scope == "since_year":
        scope = f"since the start of {ans.year}"
    elif ans.scope == "year":
        scope = f"starting in {ans.year}"
    else:
        scope = "in the data"
    lines: list[str] = []
    for side in ans.sides:
        who = f"the {display_name(side.leader)} beating the {display_name(side.laggard)}"
        if side.best is None:
            lines.append(f"No streak of {who} {scope}.")
            continue
        best = side.best
        lines.append(
            f"Longest streak of {who} {scope}: {plural(best.length, 'session')} "
            f"({fmt_range(best.start, best.end)})."
        )
    lines.append(f"Current: {streak_headline(ans.streak)}")
    return lines


# --------------------------------------------------------------------------- restatements
def period_words(p: Period, bound: Bound | None = None) -> str:
    """``"in 2022"``, ``"this week (from Nov 23, 2026)"``, ``"since the election (Nov 5,
    2024 close)"``, ``"before Jan 1, 2024"``; ``""`` for none. Plain words, no markup."""
    out = ""
    if p.kind == "year" and p.year is not None:
        out = f"in {p.year}"
    elif p.kind == "since_year" and p.year is not None:
        out = f"since the start of {p.year}"
    elif p.kind == "date" and p.date is not None:
        out = f"on {fmt_date(p.date)}"
    elif p.kind == "week" and p.date is not None:
        out = f"in the week of {fmt_date(p.date)}"
    elif p.kind == "month" and p.year is not None and p.month is not None:
        out = f"in {fmt_month(date(p.year, p.month, 1))}"
    elif p.kind == "sessions" and p.sessions is not None:
        out = f"over the last {plural(p.sessions, 'session')}"
    elif p.kind == "since_date" and p.date is not None:
        out = (f"since the election (the {fmt_date(p.date)} close)" if p.event == "election"
               else f"since the {fmt_date(p.date)} close")
    if bound is not None:
        out = f"{out} {bound.kind} {fmt_date(bound.date)}".strip()
    return out


def _names(q: Question) -> str:
    return " vs ".join(display_name(s) for s in q.symbols) or "the market"


def _run_subject(q: Question) -> str:
    """``"Russell 2000 beating S&P 500"``, ``"Dow Jones Industrial Average down"``."""
    names = [display_name(x) for x in q.symbols]
    if len(names) == 2:
        verb = "lagging" if q.direction == "down" else "beating"
        return f"{names[0]} {verb} {names[1]}"
    return f"{names[0] if names else 'the market'} {'down' if q.direction == 'down' else 'up'}"


def _ordinal_phrase(n: int | None) -> str:
    if n is None or n == -1:
        return "the last"
    if n == -2:
        return "the previous"
    return f"the {ordinal_word(n)}" if n > 0 else f"the {ordinal_word(-n)}-from-last"


_INTENT_WORDS: dict[str, str] = {
    "record_count": "record closes",
    "records_through": "record closes",
    "last_record": "last record close",
    "is_record": "at a record close",
    "below_record": "distance below the record close",
    "previous_record": "record close before the last one",
    "sessions_since_record": "sessions since the last record close",
    "current_streak": "who is leading",
    "longest_streak": "longest streak each way",
    "index_streak": "up or down sessions in a row",
    "losing_streak": "losing streak (down sessions in a row)",
    "laggard_losing_streak": "longest losing streak of the laggard",
    "pair_performance": "performance",
    "symbol_performance": "performance",
    "day_move": "the day's move",
    "ytd_return": "year-to-date return",
    "sector_leadership": "which sector is leading",
    "equal_vs_cap": "equal weight vs cap weight (RSP vs SPY)",
}


def with_reading(line: str, q: Question) -> str:
    """``line`` (a restatement ending in ":") with the misspelled words it read stated:
    ``'Russell 2000 vs S&P 500 in 2026 (reading "Rusell" as "russell"):'``."""
    if not q.corrections:
        return line
    read = ", ".join(f'"{typed}" as "{word}"' for typed, word in q.corrections)
    return f"{line.rstrip().removesuffix(':')} (reading {read}):"


def restatement(q: Question, intent: str | None = None) -> str:
    """What the bot understood, in plain words: ``"S&P 500 record closes in 2022:"``;
    misspelled words read as another are stated (:func:`with_reading`)."""
    return with_reading(_restatement(q, intent), q)


def _restatement(q: Question, intent: str | None) -> str:
    it = intent or q.intent
    when = period_words(q.period, q.bound)
    names = _names(q)
    if it == "nth_record":
        what = f"{_ordinal_phrase(q.ordinal)} record close"
        return f"{names}, {what} {when}:".replace(" :", ":")
    if it == "record_year_rank":
        most = "fewest" if q.direction == "down" else "most"
        return f"{names}, the years with the {most} record closes {when}:".replace(" :", ":")
    if it == "current_streak":
        return f"{names}, who is leading {when}".strip() + ":"
    if it == "run_at_least" and q.window is not None:
        return f"{_run_subject(q)} for {q.window} or more sessions in a row {when}:".replace(" :", ":")
    if it == "sector_leadership":
        return f"Which sector is leading {when}:".replace(" :", ":")
    if it == "equal_vs_cap":
        return f"Equal weight vs cap weight (RSP vs SPY), who is leading {when}".strip() + ":"
    words = _INTENT_WORDS.get(it, "")
    if q.window is not None:
        words = f"{words}, {plural(q.window, 'session')} in a row".strip(", ")
    return " ".join(x for x in (f"{names} {words}".strip(), when) if x) + ":"


_SUGGEST: dict[str, tuple[str, ...]] = {
    "records": (
        "How many record closes has the {a} had this year?",
        "What was the first record close for the {a} in 2024?",
        "How many sessions since the {a}'s last record?",
    ),
    "pair": (
        "Is the {a} beating the {b}?",
        "Longest streak of the {a} beating the {b} since 2020",
        "Longest losing streak for the {a} vs the {b}",
    ),
    "one": (
        "How many days in a row has the {a} gone up?",
        "What is the {a}'s losing streak?",
        "How far is the {a} below its record?",
    ),
}


def suggestions(q: Question) -> tuple[str, ...]:
    """The closest questions the bot can answer, with the symbols it read."""
    names = [display_name(s) for s in q.symbols]
    a = names[0] if names else "S&P 500"
    b = names[1] if len(names) > 1 else "S&P 500" if a != "S&P 500" else "Russell 2000"
    it = q.understood or q.intent
    kind = ("pair" if len(names) >= 2 or it in ("current_streak", "longest_streak",
                                                 "pair_performance", "laggard_losing_streak")
            else "one" if "streak" in it else "records")
    return tuple(s.format(a=a, b=b) for s in _SUGGEST[kind])


def _not_understood_lines(ans: NotUnderstood) -> list[str]:
    q = ans.question
    quoted = ", ".join(f'"{w}"' for w in dict.fromkeys(q.unused))
    lines = [f"I didn't understand {quoted} in that question, so I am not answering it."]
    if q.symbols or q.understood:
        lines.append(f"I read the rest as: {restatement(q, q.understood)}".rstrip(":"))
    lines.append("Questions I can answer:")
    lines.extend(f"• {s}" for s in suggestions(q))
    return lines


def _cant_lines(ans: CantAnswerYet) -> list[str]:
    q = ans.question
    return [
        f"I can't answer that yet: {restatement(q)}".rstrip(":") + ".",
        "Questions I can answer:",
        *(f"• {s}" for s in suggestions(q)),
    ]


def _pick_lines(ans: RecordPick) -> list[str]:
    q = ans.question
    name = display_name(ans.records.symbol)
    scope = period_words(q.period, q.bound) or "in the data"
    through = f"(through {fmt_date(ans.end)})"
    if q.intent == "nth_record":
        n = q.ordinal if q.ordinal is not None else -1
        if ans.picked is None:
            many = plural(len(ans.dates), "record close")
            return [f"The {name} has no {_ordinal_phrase(n)[4:]} record close {scope}: it set {many} "
                    f"{through}."]
        d, c = ans.dates[ans.picked], ans.closes[ans.picked]
        line = f"The {name}'s {_ordinal_phrase(n)[4:]} record close {scope} was {fmt_level(c)} on "
        line += f"{fmt_date(d)}."
        if q.period.kind != "none":
            line = line[:-1] + f" ({plural(len(ans.dates), 'record close')} {scope} {through})."
        return [line]
    lines = [f"The {name} set {plural(len(ans.dates), 'record close')} {scope} {through}."]
    if ans.dates:
        lines.append(f"First: {fmt_date(ans.dates[0])}; last: {fmt_date(ans.dates[-1])}.")
    return lines


def _since_lines(ans: SessionsSinceRecord) -> list[str]:
    s = ans.records.summary
    name = display_name(ans.records.symbol)
    if s.last_record is None:
        return [f"The {name} has no record close in the data (from {fmt_date(s.data_start)})."]
    lr = s.last_record
    return [f"{plural(lr.sessions_ago, 'session')} since the {name}'s last record close "
            f"({fmt_level(lr.close)} on {fmt_date(lr.date)}), through {fmt_date(s.as_of)}."]


def _rank_lines(ans: RecordYearRank) -> list[str]:
    name = display_name(ans.records.symbol)
    top = ans.ranked[:5]
    if not top:
        return [f"The {name} has no full year in the data."]
    best = top[0]
    most = "fewest" if ans.question.direction == "down" else "most"
    lines = [f"The {name}'s year with the {most} record closes: {best[0]}, with {best[1]}."]
    lines.append("Ranked: " + ", ".join(f"{y}: {n}" for y, n in top) + ".")
    if ans.partial_year is not None:
        lines.append(f"{ans.partial_year} is counted through {fmt_date(ans.records.summary.as_of)}.")
    return lines


def _losing_lines(ans: LosingStreak) -> list[str]:
    r = ans.streak.report
    name = display_name(ans.streak.a)
    cur = r.current
    lines: list[str] = []
    if cur is not None and cur.sign < 0:
        lines.append(f"The {name} has fallen for {plural(cur.length, 'straight session')} "
                     f"({fmt_range(cur.start, cur.end)}), {fmt_pct(cur.return_a)}.")
    elif cur is not None:
        lines.append(f"The {name} is not on a losing streak: it rose on {fmt_date(cur.end)} "
                     f"({plural(cur.length, 'up session')} in a row).")
    else:
        lines.append(f"The {name} has no losing streak as of {fmt_date(r.as_of)}.")
    rec = r.records.get(-1)
    if rec is not None:
        lines.append(f"Its longest losing streak in the data: {plural(rec.length, 'session')} "
                     f"({fmt_range(rec.start, rec.end)}).")
    return lines


def _run_clause(ans: RunsAtLeast) -> str:
    """``"the Russell 2000 has outperformed the S&P 500"``, ``"the Dow has fallen"``."""
    name = display_name(ans.runner)
    if ans.other is not None:
        return f"the {name} has outperformed the {display_name(ans.other)}"
    return f"the {name} has {'risen' if ans.sign > 0 else 'fallen'}"


def _runs_lines(ans: RunsAtLeast) -> list[str]:
    clause, n = _run_clause(ans), ans.window
    as_of = fmt_date(ans.streak.report.as_of)
    through = f" through {as_of}" if ans.question.period.kind == "date" else ""
    scope = {"data": f"in the data (from {fmt_date(ans.data_start)}{through})",
             "since_year": f"since the start of {ans.year}",
             "year": f"in {ans.year}"}[ans.scope]
    if ans.count == 0:
        best = (f"the longest such run: {plural(ans.longest.length, 'session')} "
                f"({fmt_range(ans.longest.start, ans.longest.end)})"
                if ans.longest is not None else "there is no such run")
        history = f"No: {clause} for {n} or more straight sessions at no time {scope}; {best}."
    else:
        assert ans.latest is not None and ans.longest is not None
        times = "once" if ans.count == 1 else f"{ans.count} times"
        latest = f"{plural(ans.latest.length, 'session')} ({fmt_range(ans.latest.start, ans.latest.end)})"
        history = f"Yes: {clause} for {n} or more straight sessions {times} {scope}"
        if ans.count == 1:
            history += f": {latest}."
        else:
            history += f"; the latest: {latest}"
            if ans.longest != ans.latest:
                history += (f"; the longest: {plural(ans.longest.length, 'session')} "
                            f"({fmt_range(ans.longest.start, ans.longest.end)})")
            history += "."
    if ans.current >= n:
        now = f"{clause} for {ans.current} straight sessions, as of the {as_of} close"
    elif ans.current == 1:
        now = f"{clause} on the {as_of} session only (not {n} in a row)"
    elif ans.current > 0:
        now = f"{clause} for {plural(ans.current, 'straight session')} (not {n}), as of the {as_of} close"
    else:
        now = f"as of the {as_of} close, {clause.replace(' has ', ' is not on a run: it has not ', 1)} on that session"
    if ans.question.ever:
        return [history, f"Now: {now}."]
    return [f"{'Yes' if ans.current >= n else 'No'}: {now}.", history]


def _laggard_lines(ans: LaggardLosingStreak) -> list[str]:
    lag, lead = display_name(ans.laggard), display_name(ans.leader)
    scope = {"data": "in the data", "since_year": f"since the start of {ans.longest.year}",
             "year": f"starting in {ans.longest.year}"}[ans.longest.scope]
    if ans.best is None:
        return [f"No streak of the {lag} trailing the {lead} {scope}."]
    b = ans.best
    return [
        f"The laggard now is the {lag}. Its longest losing streak against the {lead} {scope}: "
        f"{plural(b.length, 'session')} ({fmt_range(b.start, b.end)}).",
        f"Current: {streak_headline(ans.longest.streak)}",
    ]


Lined = (
    RecordCount | LastRecord | PreviousRecord | LongestStreak | RecordPick | SessionsSinceRecord
    | RecordYearRank | LosingStreak | LaggardLosingStreak | RunsAtLeast
)
Restated = (RecordPick | SessionsSinceRecord | RecordYearRank | LosingStreak | LaggardLosingStreak
            | RunsAtLeast)


def _restated_lines(ans: Restated) -> tuple[list[str], list[str], str]:
    head = restatement(ans.question)
    if isinstance(ans, LosingStreak):
        s = ans.streak
        return [head, *_losing_lines(ans)], streak_notes(s), streak_footer(s)
    if isinstance(ans, LaggardLosingStreak):
        s = ans.longest.streak
        return [head, *_laggard_lines(ans)], streak_notes(s), streak_footer(s)
    if isinstance(ans, RunsAtLeast):
        return [head, *_runs_lines(ans)], streak_notes(ans.streak), streak_footer(ans.streak)
    if isinstance(ans, RecordPick):
        lines = _pick_lines(ans)
    elif isinstance(ans, SessionsSinceRecord):
        lines = _since_lines(ans)
    else:
        lines = _rank_lines(ans)
    return [head, *lines], records_notes(ans.records), records_footer(ans.records)


def _lines(ans: Lined) -> tuple[list[str], list[str], str]:
    """(sentences, notes, footer) of an answer the plain-words questions add; the first
    line restates the question when the answer carries it."""
    if isinstance(ans, Restated):
        return _restated_lines(ans)
    lines, notes, footer = _plain_lines(ans)
    if ans.question is not None:
        lines = [restatement(ans.question), *lines]
    return lines, notes, footer


def _plain_lines(
    ans: RecordCount | LastRecord | PreviousRecord | LongestStreak,
) -> tuple[list[str], list[str], str]:
    if isinstance(ans, LongestStreak):
        return _longest_lines(ans), streak_notes(ans.streak), streak_footer(ans.streak)
    if isinstance(ans, RecordCount):
        lines = _record_count_lines(ans)
    elif isinstance(ans, LastRecord):
        lines = _last_record_lines(ans)
    else:
        lines = _previous_record_lines(ans)
    return lines, records_notes(ans.records), records_footer(ans.records)


# --------------------------------------------------------------------------- renderings
def question_message(ans: QuestionAnswer) -> Message:
    """The Slack reply to a plain-words question (the first sentence in bold)."""
    if isinstance(ans, HelpReply):
        return _help_message(ans)
    if isinstance(ans, AskedStreak | AskedRecords) and ans.question is not None:
        inner = streak_message(ans) if isinstance(ans, StreakAnswer) else records_message(ans)
        head = restatement(ans.question)
        return Message(f"{head}\n{inner.text}", [section(esc(head)), *inner.blocks])
    if isinstance(ans, StreakAnswer):
        return streak_message(ans)
    if isinstance(ans, RecordsAnswer):
        return records_message(ans)
    if isinstance(ans, NotUnderstood | CantAnswerYet):
        plain = _not_understood_lines(ans) if isinstance(ans, NotUnderstood) else _cant_lines(ans)
        return Message("\n".join(plain), [section("\n".join(esc(x) for x in plain))])
    if isinstance(ans, PeriodReply):
        lines, notes, footer = period_parts(ans.answer)  # opens with its own restatement
        lines = [with_reading(lines[0], ans.question), *lines[1:]]
        lead = 1
    else:
        lines, notes, footer = _lines(ans)
        lead = 1 if isinstance(ans, Restated) or ans.question is not None else 0
    # a restatement opens the answer in plain words; the answer's first sentence is bold
    marked = [*lines[:lead], f"*{lines[lead]}*", *lines[lead + 1:]]
    blocks = [section("\n".join([*(esc(x) for x in lines[:lead]), f"*{esc(lines[lead])}*",
                                 *(esc(x) for x in lines[lead + 1:])]))]
    if notes:
        blocks.append(context(*(f":information_source: {esc(n)}" for n in notes)))
    blocks.append(context(esc(footer)))
    return Message("\n".join([*marked, *notes, footer]), blocks)


def question_text(ans: QuestionAnswer) -> str:
    """The same reply as plain text, one sentence a line (what ``streakbot ask`` prints).

    A :class:`HelpReply` for a user error gives its problem as the first line.
    """
    if isinstance(ans, HelpReply):
        return help_text(_help_lead(ans))
    if isinstance(ans, AskedStreak | AskedRecords) and ans.question is not None:
        inner = streak_text(ans) if isinstance(ans, StreakAnswer) else records_text(ans)
        return f"{restatement(ans.question)}\n{inner}"
    if isinstance(ans, StreakAnswer):
        return streak_text(ans)
    if isinstance(ans, RecordsAnswer):
        return records_text(ans)
    if isinstance(ans, NotUnderstood):
        return "\n".join(_not_understood_lines(ans))
    if isinstance(ans, CantAnswerYet):
        return "\n".join(_cant_lines(ans))
    if isinstance(ans, PeriodReply):
        first, *rest = period_text(ans.answer).split("\n")
        return "\n".join([with_reading(first, ans.question), *rest])
    lines, notes, footer = _lines(ans)
    return "\n".join([*lines, *notes, footer])
