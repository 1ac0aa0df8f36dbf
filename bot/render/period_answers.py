"""The words of period answers: performance, a day's move, record queries, losing streaks,
sector leadership.

Each answer opens with a short plain restatement of the question understood ("S&P 500
record closes in 2022:"), so a misreading shows, then its sentences, notes (gaps, stale
data) and a footer naming the resolved symbols, the as-of session and the source.
:func:`period_parts` gives ``(lines, notes, footer)`` for a layout (Slack bolds the first
line); :func:`period_text` joins them one sentence a line for the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import groupby

from bot.domain.provenance import source_words
from bot.domain.sessions import CALENDAR_RELIABLE_FROM
from bot.domain.symbols import display_name, is_adjusted
from bot.render.format import (
    fmt_date,
    fmt_level,
    fmt_pct,
    fmt_pct_unsigned,
    fmt_range,
    ordinal_word,
    plural,
)
from bot.render.messages import Message, context, section
from bot.render.slack_escape import escape_mrkdwn as esc
from bot.render.text import freshness_note
from bot.services.answers import Freshness
from bot.services.day_move import DayMove, NotASession
from bot.services.losing_streaks import DownRun, LosingStreaks
from bot.services.performance import PairPerformance, PeriodReturn, SectorLeadership, SideReturn
from bot.services.record_queries import RecordMark, RecordsInPeriod, RecordYears, SinceLastRecord
from bot.services.spans import Span

__all__ = ["PeriodAnswer", "period_message", "period_parts", "period_text", "period_words"]

PeriodAnswer = (
    PairPerformance | PeriodReturn | SectorLeadership | DayMove | NotASession
    | RecordsInPeriod | SinceLastRecord | RecordYears | LosingStreaks
)


# --------------------------------------------------------------------------- shared words
def period_words(start: date, end: date, *, open_end: bool = False) -> str:
    """The period as a desk writes it: ``in 2022``, ``in Mar 2026``, ``on Sep 17, 2026``,
    ``over Jan 5 – Mar 3, 2026``; running past the data (``open_end``): ``in 2026 so far``,
    ``in Sep 2026 so far``, ``since Jan 5, 2026``."""
    if start == end and not open_end:
        return f"on {fmt_date(start)}"
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    full_year = start == date(start.year, 1, 1) and (open_end or end == date(start.year, 12, 31))
    full_month = start.day == 1 and (open_end or end == nxt - timedelta(days=1))
    so_far = " so far" if open_end else ""
    if full_year and (not open_end or end.year == start.year):
        return f"in {start.year}{so_far}"
    if full_month and (not open_end or (end.year, end.month) == (start.year, start.month)):
        return f"in {start:%b %Y}{so_far}"
    if open_end:
        return f"since {fmt_date(start)}"
    return f"over {fmt_range(start, end)}"


def _kind(symbols: Sequence[str]) -> str:
    adjusted = [s for s in symbols if is_adjusted(s)]
    return f"{', '.join(adjusted)} dividend-adjusted (total) returns" if adjusted else "price returns"


def _footer(symbols: Sequence[str], what: str, as_of: date, source: str) -> str:
    return (
        f"{' vs '.join(symbols)} · {what} · as of the {fmt_date(as_of)} close "
        f"· Source: {source_words(source, symbols)}"
    )


def _notes(freshness: Freshness, gaps: Sequence[date] = ()) -> list[str]:
    out: list[str] = []
    if gaps:
        out.append(
            f"{plural(len(gaps), 'close')} missing from the data in this period "
            f"(first: {fmt_date(gaps[0])}): a gap is reported, never bridged."
        )
    note = freshness_note(freshness)
    if note:
        out.append(note)
    return out


def _measured(span: Span) -> str:
    assert span.base is not None
    return (
        f"the {fmt_date(span.base)} close to the {fmt_date(span.last)} close, "
        f"{plural(span.sessions, 'session')}"
    )


# --------------------------------------------------------------------------- performance
def _pair(ans: PairPerformance) -> list[str]:
    na, nb = display_name(ans.a.symbol), display_name(ans.b.symbol)
    s = ans.span
    head = f"{na} vs {nb} {_when(s, ans.last_sessions)}:"
    if ans.a.change is None or ans.b.change is None:
        return [head, f"The returns cannot be measured over {_measured(s)}: a close is missing."]
    body = (
        f"The {na} returned {fmt_pct(ans.a.change)} and the {nb} {fmt_pct(ans.b.change)} "
        f"({_measured(s)})"
    )
    if ans.leader is None:
        return [head, f"{body}: neither led."]
    margin = fmt_pct_unsigned(ans.margin or 0.0).removesuffix("%")
    return [head, f"{body}: the {display_name(ans.leader)} led by {margin} percentage points."]


def _when(s: Span, last_sessions: int | None) -> str:
    """``over the last 10 sessions (Sep 3 – Sep 17, 2026)``, else :func:`period_words`."""
    if last_sessions is not None:
        return f"over the last {plural(last_sessions, 'session')} ({fmt_range(s.first, s.last)})"
    return period_words(s.start, s.end, open_end=s.open_end)


def _period_return(ans: PeriodReturn) -> list[str]:
    side, s = ans.side, ans.span
    name = display_name(side.symbol)
    if ans.ytd is not None:
        head = f"{name} year to date ({ans.ytd}):" if s.open_end or s.end < date(ans.ytd, 12, 31) else f"{name} in {ans.ytd}, the whole year:"
    else:
        head = f"{name} {_when(s, ans.last_sessions)}:"
    if side.change is None or side.base_close is None:
        return [head, f"The return cannot be measured over {_measured(s)}: a close is missing."]
    return [
        head,
        f"The {name} returned {fmt_pct(side.change)}: {fmt_level(side.close)} on {fmt_date(s.last)} "
        f"against {fmt_level(side.base_close)} at the {fmt_date(s.base or s.last)} close "
        f"({plural(s.sessions, 'session')}).",
    ]


def _sector_line(i: int, side: SideReturn) -> str:
    return f"{i}. {display_name(side.symbol)} {fmt_pct(side.change or 0.0)}"


def _sectors(ans: SectorLeadership) -> tuple[list[str], list[str]]:
    s = ans.span
    when = period_words(s.start, s.end, open_end=s.open_end)
    lines = [f"Sector leadership {when} (total returns):"]
    lines += [_sector_line(i, side) for i, side in enumerate(ans.ranked, 1)]
    if s.sessions > 1 or s.start != s.last:
        lines.append(f"Measured from the {fmt_date(s.base or s.first)} close ({plural(s.sessions, 'session')}).")
    notes: list[str] = []
    for (reason, last), group in groupby(ans.left_out, key=lambda x: (x.reason, x.last_date)):
        members = [x.symbol for x in group]
        syms, its = ", ".join(members), "its" if len(members) == 1 else "their"
        why = {
            "ends_before": f"{its} data ends {fmt_date(last)}",
            "starts_after": f"{its} data starts after the period begins",
            "gap": "a close is missing in the period",
        }[reason]
        notes.append(f"Not ranked: {syms} ({why}).")
    return lines, notes


# --------------------------------------------------------------------------- a day's move
def _day(ans: DayMove) -> list[str]:
    name = display_name(ans.symbol)
    head = f"{name} on {fmt_date(ans.session)}:"
    if ans.close is None:
        return [head, f"The data has no {name} close for {fmt_date(ans.session)} (a gap in the data)."]
    if ans.previous_session is None:
        return [head, f"The {name} closed at {fmt_level(ans.close)}, the first close in the data."]
    if ans.previous_close is None or ans.change is None or ans.points is None:
        return [
            head,
            f"The {name} closed at {fmt_level(ans.close)}; the data has no close for the previous "
            f"session ({fmt_date(ans.previous_session)}), so the day's move cannot be measured.",
        ]
    verb = "up" if ans.points > 0 else "down" if ans.points < 0 else "unchanged"
    move = f"{verb} {abs(ans.points):,.2f}" if verb != "unchanged" else verb
    return [
        head,
        f"The {name} closed at {fmt_level(ans.close)}, {move} ({fmt_pct(ans.change)}) from "
        f"{fmt_level(ans.previous_close)} on {fmt_date(ans.previous_session)}.",
    ]


def _not_session(ans: NotASession) -> list[str]:
    name = display_name(ans.symbol)
    d = ans.requested
    if d.weekday() >= 5:
        why = f"was a {d:%A}"
    elif d >= CALENDAR_RELIABLE_FROM:
        why = "was not an NYSE session (a market holiday)"
    else:
        why = "is not a session in the data"
    near = " and ".join(fmt_date(x) for x in (ans.before, ans.after) if x is not None)
    return [f"{name} on {fmt_date(d)}:", f"{fmt_date(d)} {why}. The nearest sessions: {near}."]


# --------------------------------------------------------------------------- records
def _compact_years(marks: Sequence[RecordMark]) -> str:
    """``Jan 3, 2022`` for one; by year: ``2021: Jan 4, 8; Feb 3 · 2022: Jan 3``."""
    parts: list[str] = []
    for year, group in groupby(marks, key=lambda m: m.date.year):
        months: list[str] = []
        for _mon, days in groupby(group, key=lambda m: m.date.month):
            ds = list(days)
            months.append(f"{ds[0].date:%b} " + ", ".join(str(m.date.day) for m in ds))
        parts.append((f"{year}: " if len({m.date.year for m in marks}) > 1 else "") + "; ".join(months))
    return " · ".join(parts)


def _records_head(ans: RecordsInPeriod, name: str) -> str:
    if ans.scope == "before" and ans.anchor is not None:
        return f"{name}'s last record close before {fmt_date(ans.anchor)}:"
    if ans.scope == "after" and ans.anchor is not None:
        word = _which_word(ans)
        return f"{name}'s {word} record close after {fmt_date(ans.anchor)}:"
    when = period_words(ans.start, ans.end, open_end=ans.open_end)
    if ans.scope == "through_month":
        when = f"through {ans.end:%B %Y}" + (" so far" if ans.open_end else "")
    if ans.which == "all":
        return f"{name} record closes {when}:"
    return f"{name}'s {_which_word(ans)} record close {when}:"


def _which_word(ans: RecordsInPeriod) -> str:
    return ans.which if isinstance(ans.which, str) else ordinal_word(int(ans.which))


def _records(ans: RecordsInPeriod) -> list[str]:
    name = display_name(ans.symbol)
    head = _records_head(ans, name)
    span = f"{fmt_range(ans.first, ans.last)}"
    if ans.which == "all":
        if not ans.records:
            return [head, f"No record close ({span})."]
        if ans.first.year == ans.last.year:
            return [head, f"{plural(ans.count, 'record close')} ({span}): {_compact_years(ans.records)}."]
        per = {y: 0 for y in range(ans.first.year, ans.last.year + 1)}
        for m in ans.records:
            per[m.date.year] += 1
        years = ", ".join(f"{y}: {n}" for y, n in per.items())
        return [head, f"{plural(ans.count, 'record close')} ({span}). By year: {years}."]
    chosen = ans.chosen
    if chosen is None:
        if not ans.records:
            return [head, f"The {name} set no record close in that period ({span})."]
        return [head, f"The {name} set only {plural(ans.count, 'record close')} in that period ({span})."]
    line = f"{fmt_level(chosen.close)} on {fmt_date(chosen.date)}"
    if ans.scope in ("before", "after"):
        return [head, f"The {name} closed at a record {line}."]
    if ans.count == 1:
        return [head, f"The {name} closed at a record {line}, its only record close in that period ({span})."]
    nth = ordinal_word(ans.records.index(chosen) + 1)
    return [head, f"The {name} closed at a record {line}, the {nth} of {ans.count} record closes ({span})."]


def _since(ans: SinceLastRecord) -> list[str]:
    name = display_name(ans.symbol)
    head = f"{name} sessions since the last record close:"
    if ans.last is None or ans.sessions_since is None:
        return [head, f"The {name} has set no record close in the data (from {fmt_date(ans.data_start)})."]
    if ans.sessions_since == 0:
        lines = [head, f"The {name} closed at a record {fmt_level(ans.last.close)} on {fmt_date(ans.as_of)}: 0 sessions since."]
    else:
        lines = [
            head,
            f"{plural(ans.sessions_since, 'session')} since the {name}'s last record close, "
            f"{fmt_level(ans.last.close)} on {fmt_date(ans.last.date)} (as of {fmt_date(ans.as_of)}, "
            f"{fmt_pct_unsigned(1 - ans.close / ans.last.close)} below it).",
        ]
    if ans.previous is not None and ans.gap is not None:
        lines.append(
            f"The record before it: {fmt_level(ans.previous.close)} on {fmt_date(ans.previous.date)}, "
            f"{plural(ans.gap, 'session')} earlier."
        )
    return lines


def _years(ans: RecordYears) -> list[str]:
    name = display_name(ans.symbol)
    best = ", ".join(f"{y} ({c})" for y, c in ans.best())
    worst = ans.worst
    low = ans.fewest
    if len(worst) <= 6:
        fewest = ", ".join(str(y) for y in worst)
    else:
        fewest = f"{len(worst)} years (latest: {', '.join(str(y) for y in reversed(worst[-5:]))})"
    first, last = ans.per_year[0][0], ans.per_year[-1][0]
    scope = f"{first} to {last}"
    partial: list[str] = []
    if ans.first_partial:
        partial.append(f"{first} from {fmt_date(ans.data_start)}")
    if ans.last_partial:
        partial.append(f"{last} through {fmt_date(ans.as_of)}")
    if partial:
        scope += f" ({'; '.join(partial)})"
    return [
        f"{name} years ranked by record closes:",
        f"Most: {best}.",
        f"Fewest: {plural(low, 'record close')}, in {fewest}.",
        f"Years of the data: {scope}.",
    ]


# --------------------------------------------------------------------------- losing streaks
def _run_words(run: DownRun) -> str:
    return f"{plural(run.length, 'session')} ({fmt_range(run.start, run.end)})"


def _run_returns(run: DownRun) -> str:
    if run.return_b is None:
        return fmt_pct(run.return_a)
    return f"{fmt_pct(run.return_a)} vs {fmt_pct(run.return_b)}"


def _losing(ans: LosingStreaks) -> list[str]:
    name = display_name(ans.symbol)
    other = display_name(ans.against) if ans.against else None
    day = fmt_date(ans.as_of)
    if other is None:
        head = f"{name} losing streaks (sessions it fell):"
        current_verb, kind = "has fallen", "losing streak"
        not_on = {"up": f"it rose on {day}", "flat": f"it closed unchanged on {day}"}.get(
            ans.as_of_status, f"no move can be measured on {day} (a close is missing or the data starts)"
        )
    else:
        head = f"{name} losing streaks against the {other} (sessions it returned less):"
        current_verb, kind = f"has lagged the {other}", f"streak of the {name} lagging the {other}"
        not_on = {
            "up": f"it beat the {other} on {day}", "flat": f"it matched the {other} on {day}",
        }.get(ans.as_of_status, f"no comparison is possible on {day} (a close is missing or the data starts)")
    lines = [head]
    cur = ans.current
    if cur is not None:
        if cur.length == 1:
            sentence = f"The {name} {'fell' if other is None else f'lagged the {other}'} on {fmt_date(cur.end)}, {_run_returns(cur)}"
        else:
            sentence = (
                f"The {name} {current_verb} for {cur.length} straight sessions "
                f"({fmt_range(cur.start, cur.end)}), {_run_returns(cur)} over the run"
            )
            s = ans.longest_since
            if s is None:
                sentence += f": the longest {kind} in the data, which starts {fmt_date(ans.data_start)}"
            else:
                sentence += f": the longest since {s.end:%b %Y} ({plural(s.length, 'session')}, {fmt_range(s.start, s.end)})"
        lines.append(sentence + ".")
    else:
        line = f"The {name} is not on a losing streak: {not_on}."
        if ans.last is not None:
            line += f" Its last one: {_run_words(ans.last)}, {_run_returns(ans.last)}."
        lines.append(line)
    scope = "in the data" if ans.since is None else f"since {fmt_date(ans.since)}"
    if ans.longest is None:
        lines.append(f"No {kind} {scope}.")
    elif cur is not None and ans.longest.start == cur.start:
        lines.append(f"The longest {kind} {scope} is this one.")
    else:
        lines.append(f"The longest {kind} {scope}: {_run_words(ans.longest)}, {_run_returns(ans.longest)}.")
    return lines


# --------------------------------------------------------------------------- dispatch
def period_parts(ans: PeriodAnswer) -> tuple[list[str], list[str], str]:
    """``(lines, notes, footer)``: the restatement first, then the sentences."""
    if isinstance(ans, PairPerformance):
        syms = [ans.a.symbol, ans.b.symbol]
        return _pair(ans), _notes(ans.freshness, ans.span.gaps), _footer(syms, _kind(syms), ans.span.last, ans.source)
    if isinstance(ans, PeriodReturn):
        syms = [ans.side.symbol]
        return _period_return(ans), _notes(ans.freshness, ans.span.gaps), _footer(syms, _kind(syms), ans.span.last, ans.source)
    if isinstance(ans, SectorLeadership):
        lines, notes = _sectors(ans)
        syms = [s.symbol for s in ans.ranked]
        footer = (
            f"sector SPDR ETFs · dividend-adjusted (total) returns · as of the {fmt_date(ans.span.last)} "
            f"close · Source: {source_words(ans.source, syms)}"
        )
        return lines, [*notes, *_notes(ans.freshness, ans.span.gaps)], footer
    if isinstance(ans, DayMove):
        syms = [ans.symbol]
        return _day(ans), _notes(ans.freshness), _footer(syms, "closing prices" if not is_adjusted(ans.symbol) else _kind(syms), ans.session, ans.source)
    if isinstance(ans, NotASession):
        return _not_session(ans), [], f"{ans.symbol} · Source: {source_words(ans.source, [ans.symbol])}"
    if isinstance(ans, RecordsInPeriod):
        return _records(ans), _notes(ans.freshness), _footer([ans.symbol], "closing prices", ans.last, ans.source)
    if isinstance(ans, SinceLastRecord):
        return _since(ans), _notes(ans.freshness), _footer([ans.symbol], "closing prices", ans.as_of, ans.source)
    if isinstance(ans, RecordYears):
        return _years(ans), _notes(ans.freshness), _footer([ans.symbol], "closing prices", ans.as_of, ans.source)
    syms = [ans.symbol] + ([ans.against] if ans.against else [])
    notes = _notes(ans.freshness)
    if ans.preceded_by_gap:
        notes.insert(0, "This streak starts right after a gap in the data (a close is missing), so it may have begun earlier.")
    return _losing(ans), notes, _footer(syms, _kind(syms), ans.as_of, ans.source)


def period_text(ans: PeriodAnswer) -> str:
    """The whole answer as plain text, one sentence a line."""
    lines, notes, footer = period_parts(ans)
    return "\n".join([*lines, *notes, footer])


def period_message(ans: PeriodAnswer) -> Message:
    """The same answer for Slack: the restatement in bold, notes and footer as context."""
    lines, notes, footer = period_parts(ans)
    blocks = [section("\n".join([f"*{esc(lines[0])}*", *(esc(x) for x in lines[1:])]))]
    if notes:
        blocks.append(context(*(f":information_source: {esc(n)}" for n in notes)))
    blocks.append(context(esc(footer)))
    return Message("\n".join([f"*{lines[0]}*", *lines[1:], *notes, footer]), blocks)
