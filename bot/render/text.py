"""The words of ``streak`` and ``records`` answers: sentences, notes and footers, as plain text.

The CLI prints :func:`streak_text` / :func:`records_text`; the Slack messages
(:mod:`bot.render.messages`) and the plain-words answers (:mod:`bot.render.questions`) lay
out the same sentences in Block Kit, so every front end says the same thing.
"""

from __future__ import annotations

from analytics.streaks import Milestone, Streak
from bot.domain.provenance import source_words
from bot.domain.symbols import display_name, history_starts_late, is_adjusted
from bot.render.format import (
    compact_dates,
    fmt_date,
    fmt_level,
    fmt_month,
    fmt_pct_apart,
    fmt_pct_unsigned,
    fmt_pct_visible,
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
    "streak_followed_line",
    "streak_footer",
    "streak_headline",
    "streak_milestone_line",
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


# "Longest since X" is said only for a streak of at least this many sessions whose
# comparison ended more than SINCE_MIN_SESSIONS_BACK sessions before the as-of session.
SINCE_MIN_LENGTH = 3
SINCE_MIN_SESSIONS_BACK = 21
# Milestones are written out for a streak of at least SINCE_MIN_LENGTH sessions when they
# are at most this many sessions away (the JSON has them all).
MILESTONE_MAX_TO_GO = 5


def _through(ans: StreakAnswer) -> str | None:
    """The as-of session when the data goes on after it (an answer as of a past date)."""
    as_of = ans.report.as_of
    return fmt_date(as_of) if as_of.date() < ans.freshness.data_as_of else None


def _late(ans: StreakAnswer) -> bool:
    return any(history_starts_late(s) for s in (ans.a, ans.b) if s)


def in_the_data(ans: StreakAnswer) -> str:
    """``in the data, which starts Sep 10, 1987``; ``... from Sep 10, 1987 through <as-of>``;
    for an index whose data starts late, ``since 1992 in this data, which starts ...``."""
    r = ans.report
    start = fmt_date(r.data_start)
    where = f"since {r.data_start.year} in this data" if _late(ans) else "in the data"
    through = _through(ans)
    if through is None:
        return f"{where}, which starts {start}"
    return f"{where}{',' if _late(ans) else ''} from {start} through {through}"


def _since_phrase(ans: StreakAnswer, kind: str = "streak") -> str:
    r = ans.report
    cur = r.current
    assert cur is not None
    if cur.length < 2:
        return ""
    s = r.longest_since
    if s is None:
        return f": the longest {kind} {in_the_data(ans)}"
    back = ans.since_sessions_back
    if cur.length < SINCE_MIN_LENGTH or (back is not None and back <= SINCE_MIN_SESSIONS_BACK):
        return ""
    return (
        f": the longest {kind} since {fmt_month(s.end)} "
        f"({plural(s.length, 'session')}, {fmt_range(s.start, s.end)})"
    )


def _session_pair(ans: StreakAnswer) -> tuple[float, float] | None:
    """(leader's, laggard's) return on the as-of session, or None."""
    if ans.session is None or ans.report.current is None:
        return None
    ra, rb = ans.session
    if rb is None:
        return None
    return (ra, rb) if ans.report.current.sign > 0 else (rb, ra)


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
    x, y = fmt_pct_apart(lr, gr)
    if cur.length == 1:
        photo = " in a photo finish" if ans.photo_finish else ""
        return f"{cap(lead)} outperformed {lag} on {fmt_date(cur.end)}{photo}, {x} vs {y}."
    return (
        f"{cap(lead)} has outperformed {lag} for {cur.length} straight sessions "
        f"({fmt_range(cur.start, cur.end)}), {x} vs {y}"
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
        flat = ": virtually unchanged" if ans.photo_finish else ""
        return (
            f"{cap(name)} {'rose' if cur.sign > 0 else 'fell'} on {fmt_date(cur.end)}, "
            f"{fmt_pct_visible(cur.return_a)}{flat}."
        )
    return (
        f"{cap(name)} has {verb} for {cur.length} straight sessions "
        f"({fmt_range(cur.start, cur.end)}), {fmt_pct_visible(cur.return_a)} over the run"
        f"{_since_phrase(ans, kind)}."
    )


def streak_record_line(ans: StreakAnswer) -> str | None:
    """The record streak with this leader (``... is this one.``), or None without a streak."""
    r = ans.report
    if r.current is None or r.record is None:
        return None
    rec = r.record
    where = f"since {r.data_start.year} in this data" if _late(ans) else "in the data"
    through = _through(ans)
    if through is not None:
        where += f" through {through}"
    if ans.b is None:
        kind = "winning" if rec.sign > 0 else "losing"
        who = f"{cap(the_name(ans.a))}'s longest {kind} streak {where}"
    else:
        who = (
            f"The longest streak of {the_name(ans.leader or '')} beating "
            f"{the_name(ans.laggard or '')} {where}"
        )
    if rec.start == r.current.start:
        return f"{who} is this one."
    return f"{who}: {plural(rec.length, 'session')} ({fmt_range(rec.start, rec.end)})."


def milestone_what(m: Milestone) -> str:
    """What reaching a milestone would mean: ``tie the record of 16 (1996)``."""
    if m.kind == "tie_record":
        return f"tie the record of {m.length} ({m.compared.end.year})"
    if m.kind == "record":
        return "set a new record"
    return f"make it the longest since {fmt_month(m.compared.end)}"


def streak_milestone_line(ans: StreakAnswer) -> str | None:
    """``2 more sessions would tie the record of 16 (1996); 3 more sessions would set a new
    record.`` for a streak of at least 3 sessions, milestones at most 5 sessions away."""
    cur = ans.report.current
    if cur is None or cur.length < SINCE_MIN_LENGTH:
        return None
    near = [m for m in ans.milestones if m.sessions_to_go <= MILESTONE_MAX_TO_GO]
    if not near:
        return None
    parts = [f"{plural(m.sessions_to_go, 'more session')} would {milestone_what(m)}" for m in near]
    line = "; ".join(parts) + "."
    return line[0].upper() + line[1:]


FOLLOWED_HORIZONS = (21, 252)  # the horizons the streak answer quotes (``next`` has them all)
FOLLOWED_MAX_CASES = 4  # more earlier cases than this: the summary is left to ``next``


def _points(x: float) -> str:
    return f"{abs(x) * 100:.2f}"


def streak_followed_line(ans: StreakAnswer) -> str | None:
    """What followed the few earlier streaks as long as this one (at most 4), for a pair:
    ``After the one earlier streak this long (1996), the Russell 2000 trailed the S&P 500
    by 0.26 percentage points over the next 21 sessions and by 24.65 over the next 252.``"""
    f, cur = ans.followed, ans.report.current
    if f is None or cur is None or cur.length < SINCE_MIN_LENGTH:
        return None
    n = len(f.episodes)
    if not 1 <= n <= FOLLOWED_MAX_CASES:
        return None
    lead, lag = display_name(ans.leader or ""), display_name(ans.laggard or "")
    hs = [h for h in FOLLOWED_HORIZONS if h in f.summary and f.summary[h].n > 0]
    if not hs:
        return None
    if n == 1:
        (ep,) = f.episodes
        spreads = [fw.spread for h in hs if (fw := ep.forward[h]) is not None]
        first = spreads[0]
        text = (
            f"After the one earlier streak this long ({ep.reached.year}), the {lead} "
            f"{'led' if first > 0 else 'trailed'} the {lag} by {_points(first)} percentage points "
            f"over the next {hs[0]} sessions"
        )
        if len(spreads) > 1:
            second = spreads[1]
            verb = "" if (second > 0) == (first > 0) else ("led it " if second > 0 else "trailed it ")
            text += f" and {verb}by {_points(second)} over the next {hs[1]}"
        return text + "."
    years = ", ".join(str(e.reached.year) for e in f.episodes)
    parts = []
    for h in hs:
        sm = f.summary[h]
        assert sm.share_positive is not None and sm.median_spread is not None
        kept = round(sm.share_positive * sm.n)
        parts.append(
            f"over the next {h} sessions in {kept} of {sm.n} (median spread {fmt_pp(sm.median_spread)})"
        )
    return (
        f"After the {n} earlier streaks this long ({years}), the {lead} kept outperforming "
        f"the {lag} {' and '.join(parts)}."
    )


def fmt_pp(x: float) -> str:
    """A spread in signed percentage points: ``-0.0972`` -> ``-9.72 pp``."""
    return f"{x * 100:+.2f} pp"


def photo_finish_note(ans: StreakAnswer) -> str | None:
    """For a streak of several sessions, a latest session decided by under 0.5 bp."""
    cur = ans.report.current
    if cur is None or cur.length == 1 or not ans.photo_finish or ans.session is None:
        return None
    day = fmt_date(ans.report.as_of)
    pair = _session_pair(ans)
    if pair is None:
        return f"The latest session ({day}) was virtually unchanged: {fmt_pct_visible(ans.session[0])}."
    x, y = fmt_pct_apart(*pair)
    return f"The latest session ({day}) was a photo finish: {x} vs {y}."


def close_calls_note(ans: StreakAnswer) -> str | None:
    """A streak with photo finishes in it: how many of its sessions were decided by under 0.5 bp
    (the latest alone is :func:`photo_finish_note`'s)."""
    cur = ans.report.current
    n = ans.close_calls
    if cur is None or cur.length == 1 or n == 0 or (n == 1 and ans.photo_finish):
        return None
    what = "decided by less than 0.5 basis points" if ans.b is not None else "moves of less than 0.5 basis points"
    return (f"{n} of its {cur.length} sessions were {what}: "
            f"{'a streak built partly on photo finishes' if ans.b is not None else 'virtually unchanged days'}.")


def streak_notes(ans: StreakAnswer) -> list[str]:
    """A photo finish, gaps in the data and stale data, one sentence each."""
    out: list[str] = []
    r = ans.report
    photo = photo_finish_note(ans)
    if photo:
        out.append(photo)
    calls = close_calls_note(ans)
    if calls:
        out.append(calls)
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
    for extra in (streak_milestone_line(ans), streak_followed_line(ans)):
        if extra:
            lines.append(extra)
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
        f"{fmt_level(lr.close)} ({fmt_date(lr.date)}, {plural(lr.sessions_ago, 'session')} ago): "
        f"it needs {fmt_pct_visible(s.high_water / s.close - 1)} to a record."
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
    return f"{s.year}{partial}: {count} ({compact_dates(s.dates)}).{_pace(ans)}"


def _pace(ans: RecordsAnswer) -> str:
    """`` On pace for about 39 in 2026 (27 in 156 of its 251 sessions); the most in a year: ...``."""
    p = ans.pace
    if p is None:
        return ""
    best = ", ".join(f"{c} in {y}" for y, c in p.best)
    most = f"; the most in a year: {best}" if best else ""
    return (f" On pace for about {round(p.projected)} in {ans.summary.as_of.year} "
            f"({p.count} in {p.sessions_so_far} of its {p.sessions_in_year} sessions){most}.")


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
