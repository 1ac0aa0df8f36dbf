"""The words of plain-words answers: Block Kit for Slack, plain text for the command line.

Both renderings say the same sentences (the Slack one bolds the first line and adds
``:information_source:`` to the notes); ``/streak``- and ``/records``-style answers reuse
:mod:`bot.render.messages` and :mod:`bot.render.text`.
"""

from __future__ import annotations

from bot.domain.symbols import display_name
from bot.questions.answer import (
    HelpReply,
    LastRecord,
    LongestStreak,
    PreviousRecord,
    QuestionAnswer,
    RecordCount,
)
from bot.questions.parser import EXAMPLES
from bot.render.format import compact_dates, fmt_date, fmt_range, plural
from bot.render.messages import Message, context, records_message, section, streak_message
from bot.render.slack_escape import escape_mrkdwn as esc
from bot.render.text import (
    records_footer,
    records_notes,
    records_previous_line,
    records_text,
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
    "question_message",
    "question_text",
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


Lined = RecordCount | LastRecord | PreviousRecord | LongestStreak


def _lines(ans: Lined) -> tuple[list[str], list[str], str]:
    """(sentences, notes, footer) of an answer the plain-words questions add."""
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
    if isinstance(ans, StreakAnswer):
        return streak_message(ans)
    if isinstance(ans, RecordsAnswer):
        return records_message(ans)
    lines, notes, footer = _lines(ans)
    marked = [f"*{lines[0]}*", *lines[1:]]
    blocks = [section("\n".join([f"*{esc(lines[0])}*", *(esc(x) for x in lines[1:])]))]
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
    if isinstance(ans, StreakAnswer):
        return streak_text(ans)
    if isinstance(ans, RecordsAnswer):
        return records_text(ans)
    lines, notes, footer = _lines(ans)
    return "\n".join([*lines, *notes, footer])
