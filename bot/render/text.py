"""The words of ``streak`` and ``records`` answers: sentences, notes and footers, as plain text.

The CLI prints :func:`streak_text` / :func:`records_text`; the Slack messages
(:mod:`bot.render.messages`) and the plain-words answers (:mod:`bot.render.questions`) lay
out the same sentences in Block Kit, so every front end says the same thing.
"""

from __future__ import annotations

from analytics.streaks import Streak
from bot.domain.provenance import source_words
from bot.domain.symbols import display_name, is_adjusted
from bot.render.format import (
    compact_dates,
    fmt_date,
    fmt_level,
    fmt_month,
    fmt_pct,
    fmt_pct_unsigned,
    fmt_range,
    ordinal_word,
    plural,
)
from bot.services.answers import Freshness, RecordsAnswer, StreakAnswer

__all__ = [
    "freshness_note",
    "records_footer",
    "records_headline",
    "records_notes",
    "records_previous_line",
    "records_text",
    "records_year_line",
    "streak_footer",
    "streak_headline",
    "streak_notes",
    "streak_record_line",
    "streak_text",
]


def freshness_note(freshness: Freshness) -> str | None:
    """``Data as of <date>: the latest NYSE session (<date>) is not in the data yet.`` or None."""
    if not freshness.stale or freshness.expected is None:
        return None
    return (
        f"Data as of {fmt_date(freshness.data_as_of)}: the latest NYSE session "
        f"({fmt_date(freshness.expected)}) is not in the data yet."
    )


def the_name(symbol: str) -> str:
    """``the S&P 500``; a symbol with no name of its own takes no article (``NVDA``)."""
    name = display_name(symbol)
    return name if name == symbol else f"the {name}"


def cap(phrase: str) -> str:
    """``the S&P 500`` -> ``The S&P 500`` at the start of a sentence."""
    return phrase[:1].upper() + phrase[1:]


# --------------------------------------------------------------------------- streaks
def streak_headline(ans: StreakAnswer) -> str:
    """The first sentence: who has led (or risen/fallen), how long, and since when."""
    return _single_headline(ans) if ans.b is None else _pair_headline(ans)


def _since_phrase(ans: StreakAnswer, kind: str = "streak") -> str:
    r = ans.report
    cur = r.current
    assert cur is not None
    if cur.length < 2:
        return ""
    s = r.longest_since
    if s is None:
        return f": the longest {kind} in the data, which starts {fmt_date(r.data_start)}"
    return (
        f": the longest {kind} since {fmt_month(s.end)} "
        f"({plural(s.length, 'session')}, {fmt_range(s.start, s.end)})"
    )


def _pair_headline(ans: StreakAnswer) -> str:
    r = ans.report
    assert ans.b is not None
    na, nb = the_name(ans.a), the_name(ans.b)
    if r.current is None:
        day = fmt_date(r.as_of)
        if r.status == "start":
            return f"The data for {na} and {nb} starts on {day}: there is no earlier close to compare."
        if r.status == "tie":
            return f"{cap(na)} and {nb} returned exactly the same on {day}: no streak in progress."
        return (
            f"No comparison of {na} and {nb} is possible on {day}: a close is "
            "missing from the data for that session or the one before it."
        )
    cur = r.current
    lead, lag = the_name(ans.leader or ""), the_name(ans.laggard or "")
    lr, gr = ans.oriented(cur)
    assert gr is not None
    if cur.length == 1:
        return f"{cap(lead)} outperformed {lag} on {fmt_date(cur.end)}, {fmt_pct(lr)} vs {fmt_pct(gr)}."
    return (
        f"{cap(lead)} has outperformed {lag} for {cur.length} straight sessions "
        f"({fmt_range(cur.start, cur.end)}), {fmt_pct(lr)} vs {fmt_pct(gr)}"
        f"{_since_phrase(ans)}."
    )


def _single_headline(ans: StreakAnswer) -> str:
    r = ans.report
    name = the_name(ans.a)
    if r.current is None:
        day = fmt_date(r.as_of)
        if r.status == "start":
            return f"The data for {name} starts on {day}: there is no earlier close to compare."
        if r.status == "tie":
            return f"{cap(name)} closed unchanged on {day}: no winning or losing streak in progress."
        return f"{cap(name)} has no close for {day} or the session before it in the data: no streak can be measured."
    cur: Streak = r.current
    verb, kind = ("risen", "winning streak") if cur.sign > 0 else ("fallen", "losing streak")
    if cur.length == 1:
        return f"{cap(name)} {'rose' if cur.sign > 0 else 'fell'} on {fmt_date(cur.end)}, {fmt_pct(cur.return_a)}."
    return (
        f"{cap(name)} has {verb} for {cur.length} straight sessions "
        f"({fmt_range(cur.start, cur.end)}), {fmt_pct(cur.return_a)} over the run"
        f"{_since_phrase(ans, kind)}."
    )


def streak_record_line(ans: StreakAnswer) -> str | None:
    """The record streak with this leader (``... is this one.``), or None without a streak."""
    r = ans.report
    if r.current is None or r.record is None:
        return None
    rec = r.record
    if ans.b is None:
        kind = "winning" if rec.sign > 0 else "losing"
        who = f"{cap(the_name(ans.a))}'s longest {kind} streak in the data"
    else:
        who = (
            f"The longest streak of {the_name(ans.leader or '')} beating "
            f"{the_name(ans.laggard or '')} in the data"
        )
    if rec.start == r.current.start:
        return f"{who} is this one."
    return f"{who}: {plural(rec.length, 'session')} ({fmt_range(rec.start, rec.end)})."


def streak_notes(ans: StreakAnswer) -> list[str]:
    """Gaps in the data and stale data, one sentence each."""
    out: list[str] = []
    r = ans.report
    if r.preceded_by_gap and r.current is not None:
        before = [g for g in r.gaps if g < r.current.start]
        out.append(
            f"This streak starts right after a gap in the data (no comparison possible on "
            f"{fmt_date(before[-1])}: a close is missing), so it may have begun earlier."
        )
    elif len(r.gaps):
        out.append(
            f"{plural(len(r.gaps), 'session')} in the data could not be compared because a "
            f"close is missing (latest: {fmt_date(r.gaps[-1])}); streaks end at gaps, "
            "they are never bridged."
        )
    stale = freshness_note(ans.freshness)
    if stale:
        out.append(stale)
    return out


def streak_footer(ans: StreakAnswer) -> str:
    """``^RUT vs ^GSPC · price returns · as of the <date> close · Source: ...``."""
    syms = ans.a if ans.b is None else f"{ans.a} vs {ans.b}"
    adjusted = [s for s in (ans.a, ans.b) if s and is_adjusted(s)]
    kind = (
        f"{', '.join(adjusted)} dividend-adjusted (total) returns" if adjusted else "price returns"
    )
    words = source_words(ans.source, [s for s in (ans.a, ans.b) if s])
    return f"{syms} · {kind} · as of the {fmt_date(ans.report.as_of)} close · Source: {words}"


def streak_text(ans: StreakAnswer) -> str:
    """The whole answer, one sentence a line (what ``streakbot streak`` prints)."""
    lines = [streak_headline(ans)]
    rec = streak_record_line(ans)
    if rec:
        lines.append(rec)
    lines.extend(streak_notes(ans))
    lines.append(streak_footer(ans))
    return "\n".join(lines)


# --------------------------------------------------------------------------- records
def records_headline(ans: RecordsAnswer) -> str:
    """At a record (the nth of the year), or how far below the record close."""
    s = ans.summary
    name = the_name(ans.symbol)
    day = fmt_date(s.as_of)
    if s.is_record:
        nth = s.nth_of_year or 0
        return (
            f"{cap(name)} closed at a record {fmt_level(s.close)} on {day}: its "
            f"{ordinal_word(nth)} closing record high of {s.as_of.year}."
        )
    if s.last_record is None:
        return (
            f"{cap(name)} closed at {fmt_level(s.close)} on {day} and has not set a record "
            f"close since the data starts ({fmt_date(s.data_start)})."
        )
    lr = s.last_record
    return (
        f"{cap(name)} closed at {fmt_level(s.close)} on {day}, "
        f"{fmt_pct_unsigned(s.pct_below_record)} below its record close of "
        f"{fmt_level(lr.close)} ({fmt_date(lr.date)}, {plural(lr.sessions_ago, 'session')} ago)."
    )


def records_previous_line(ans: RecordsAnswer) -> str | None:
    """How many sessions the last record came after the one before it, or None."""
    s = ans.summary
    if s.last_record is None or s.previous_record is None:
        return None
    p = s.previous_record
    which = "This record" if s.is_record else f"That record ({fmt_date(s.last_record.date)})"
    return (
        f"{which} came {plural(s.gap_sessions or 0, 'session')} after the previous one, "
        f"{fmt_level(p.close)} on {fmt_date(p.date)}."
    )


def records_year_line(ans: RecordsAnswer) -> str:
    """``2026 so far: 27 record closes (Jan 6, 9; ...).``"""
    s = ans.summary
    partial = " so far" if s.year == s.as_of.year else ""
    count = plural(s.count, "record close")
    if s.count == 0:
        return f"{s.year}{partial}: no record closes."
    return f"{s.year}{partial}: {count} ({compact_dates(s.dates)})."


def records_footer(ans: RecordsAnswer) -> str:
    """``^GSPC · closing prices · as of the <date> close · Source: ...``."""
    return (
        f"{ans.symbol} · closing prices · as of the {fmt_date(ans.summary.as_of)} close "
        f"· Source: {source_words(ans.source, [ans.symbol])}"
    )


def records_notes(ans: RecordsAnswer) -> list[str]:
    """The stale-data note, when there is one."""
    note = freshness_note(ans.freshness)
    return [note] if note else []


def records_text(ans: RecordsAnswer) -> str:
    """The whole answer, one sentence a line (what ``streakbot records`` prints)."""
    lines = [records_headline(ans)]
    prev = records_previous_line(ans)
    if prev:
        lines.append(prev)
    lines.append(records_year_line(ans))
    lines.extend(records_notes(ans))
    lines.append(records_footer(ans))
    return "\n".join(lines)
