"""Render a :class:`~bot.services.summary.DailySummary` as a desk note or Slack blocks.

Pure functions: the same sentences feed the plain text (:func:`summary_text`) and the
Block Kit message (:func:`summary_blocks`), so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.symbols import KNOWN, display_name
from bot.render.blockkit import clamp_blocks
from bot.render.buttons import button_value
from bot.render.format import (
    a_ordinal,
    article,
    fmt_date,
    fmt_level,
    fmt_month,
    fmt_pct,
    ordinal_word,
    plural,
)
from bot.render.slack_escape import escape_mrkdwn as _esc
from bot.services.summary import (
    LEAD_MIN_LENGTH,
    CurrentStreak,
    DailySummary,
    EndedStreak,
    IndexLeftOut,
    IndexMove,
    Lead,
    MissingClose,
    NoPreviousClose,
    NotableStreak,
    Note,
    NoYtdBase,
    PairLeadership,
    PairLeftOut,
    PairNoData,
    RecordClose,
    SectorMove,
    SectorsLeftOut,
    SectorsUnranked,
    YtdLeadershipLeftOut,
)

__all__ = [
    "HEADER_TITLE",
    "lead_sentence",
    "note_lines",
    "note_text",
    "streak_lines",
    "summary_blocks",
    "summary_sections",
    "summary_text",
]

HEADER_TITLE = "Market leadership"

# How a desk note names things: "the Dow", "IWM" (no article for tickers).
_SHORT: dict[str, str] = {"^DJI": "Dow"}


def name(sym: str) -> str:
    """Short display name: ``^DJI`` -> ``Dow``, ETFs by ticker, sectors without 'sector'."""
    if sym in _SHORT:
        return _SHORT[sym]
    info = KNOWN.get(sym)
    if info is None:
        return sym
    if info.kind == "etf":
        suffix = f" sector ({sym})"
        return info.name[: -len(suffix)] if info.name.endswith(suffix) else sym
    return info.name


def the(sym: str) -> str:
    """``the S&P 500``, ``the Dow``, but ``IWM``."""
    info = KNOWN.get(sym)
    return f"the {name(sym)}" if info is not None and info.kind == "index" else name(sym)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def day_label(d: date) -> str:
    """``Wed, Dec 31, 2025``."""
    return f"{d:%a}, {fmt_date(d)}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- the lead
def _stocks(s: DailySummary) -> str:
    """``Stocks rose`` / ``fell`` / ``were mixed`` from the indices' moves (``Stocks closed``)."""
    changes = [m.change for m in s.moves if m.change is not None]
    if changes and all(c > 0 for c in changes):
        return "Stocks rose"
    if changes and all(c < 0 for c in changes):
        return "Stocks fell"
    if changes:
        return "Stocks were mixed"
    return "Stocks closed"


def _shortened(s: DailySummary) -> str:
    return " in a shortened session" if s.early_close else ""


# Who a pair's side is, as a desk says it: (group, possessive pronoun).
_GROUPS: dict[tuple[str, bool], tuple[str, str]] = {
    ("small_large", True): ("small caps", "their"),
    ("small_large", False): ("large caps", "their"),
    ("equal_cap", True): ("equal weight", "its"),
    ("equal_cap", False): ("cap weight", "its"),
    ("tech_broad", True): ("tech", "its"),
    ("tech_broad", False): ("the broad market", "its"),
}


def _group(key: str | None, first_side: bool) -> tuple[str, str]:
    """(``small caps``, ``their``) for the side of pair ``key`` that leads."""
    return _GROUPS[key or "", first_side]


def _possessive(noun: str) -> str:
    return noun + ("'" if noun.endswith("s") else "'s")


def _record_phrase(r: RecordClose) -> str:
    """``its eighth record of 2026``, or ``its first record since Nov 2021`` after a long while."""
    if r.after_long_while and r.previous is not None:
        return f"its first record since {fmt_month(r.previous.date)}"
    return f"its {ordinal_word(r.nth_of_year)} record of {r.year}"


def _lead_since(st: CurrentStreak, kind: str) -> str:
    """``longest streak since May 1996`` (``kind`` empty: ``longest since May 1996``), or
    ``longest ... in the data, which starts <date>``; the caller puts "the" or "its" before."""
    what = f"longest {kind}" if kind else "longest"
    since = st.longest_since
    if since is None:
        return f"{what} in the data, which starts {fmt_date(st.data_start)}"
    return f"{what} since {fmt_month(since.end)}"


def _streak_lead(s: DailySummary, lead: Lead) -> str:
    n = lead.streak
    assert n is not None and n.streak.current is not None
    st = n.streak
    assert st.leader is not None
    tail = f", and closed at {_record_phrase(lead.records[0])}" if lead.records else ""
    if n.kind == "pair":
        group, their = _group(n.key, st.sign > 0)
        lag = st.laggard or ""
        return (
            f"{_cap(group)} extended {their} run{_shortened(s)}: {the(st.leader)} beat {the(lag)} "
            f"for {a_ordinal(st.length)} straight session, the {_lead_since(st, 'streak')}{tail}."
        )
    verb = "rose" if st.sign > 0 else "fell"
    opening = f"In a shortened session, {the(st.a)}" if s.early_close else _cap(the(st.a))
    return (
        f"{opening} {verb} for {a_ordinal(st.length)} straight session, its "
        f"{_lead_since(st, _kind_of(st))}{tail}."
    )


def _records_lead(s: DailySummary, lead: Lead) -> str:
    first, *rest = lead.records
    parts = [f"{the(first.symbol)} closed at {_record_phrase(first)}"]
    for r in rest:
        phrase = _record_phrase(r)
        if not r.after_long_while:
            phrase = phrase.removesuffix(f" record of {r.year}")
        parts.append(f"{the(r.symbol)} at {phrase}")
    return f"{_stocks(s)}{_shortened(s)}: {_join(parts)}."


def _ended_lead(s: DailySummary, e: EndedStreak) -> str:
    """``Small caps' run ended: the S&P 500 beat the Russell 2000 (...), ending a 14-session
    streak, the longest since May 1996.``; for an index ``The S&P 500's winning streak ended
    at 9 sessions, its longest since Nov 2004: it fell 0.64% to 5,650.38.``"""
    before, today = e.streak, e.today
    assert before.current is not None and before.leader is not None
    n = before.length
    since = ""  # "longest since May 1996", only when that is over a year back
    if n >= LEAD_MIN_LENGTH and before.longest_in_days(e.previous_session):
        since = _lead_since(before, "")
    if e.kind == "pair":
        group, _ = _group(e.key, before.sign > 0)
        p = s.pair(e.key or "")
        if today.current is not None and today.leader is not None and p is not None:
            r_lead = p.return_a if today.leader == p.a else p.return_b
            r_lag = p.return_b if today.leader == p.a else p.return_a
            assert r_lead is not None and r_lag is not None
            how = (
                f"{the(today.leader)} beat {the(today.laggard or '')} "
                f"({fmt_pct(r_lead)} vs {fmt_pct(r_lag)})"
            )
        elif today.status == "tie":
            how = f"{the(today.a)} and {the(today.b or '')} returned exactly the same"
        else:
            how = "a close is missing today"
        return (
            f"{_cap(_possessive(group))} run ended{_shortened(s)}: {how}, ending "
            f"{article(n)} {n}-session streak{', the ' + since if since else ''}."
        )
    m = s.move(before.a)
    if m is None or m.change is None:
        how = "its day move cannot be measured"
    elif m.change == 0:
        how = f"it closed unchanged at {fmt_level(m.close)}"
    else:
        verb = "rose" if m.change > 0 else "fell"
        how = f"it {verb} {fmt_pct(abs(m.change))[1:]} to {fmt_level(m.close)}"
    return (
        f"{_cap(_possessive(the(before.a)))} {_kind_of(before)} ended at {n} sessions"
        f"{', its ' + since if since else ''}: {how}{_shortened(s)}."
    )


def _kind_of(st: CurrentStreak) -> str:
    return "winning streak" if st.sign > 0 else "losing streak"


def _day_verb(m: IndexMove) -> str:
    assert m.change is not None
    if m.change == 0:
        return "was unchanged at"
    if round(abs(m.change) * 100, 2) == 0:
        return "was virtually unchanged at"
    return f"{'gained' if m.change > 0 else 'lost'} {fmt_pct(abs(m.change))[1:]} to"


def _quiet_lead(s: DailySummary) -> str:
    head = f"{_stocks(s)}{_shortened(s)}"
    main = s.move("^GSPC") or (s.moves[0] if s.moves else None)
    if main is None:
        return f"{head}."
    if main.change is None:
        return f"{head}: {the(main.symbol)} closed at {fmt_level(main.close)}."
    text = f"{head}: {the(main.symbol)} {_day_verb(main)} {fmt_level(main.close)}"
    if head.startswith("Stocks were mixed") and main.change != 0:
        other = [m for m in s.moves if m.change is not None and m.change * main.change < 0]
        if other:
            o = max(other, key=lambda m: abs(m.change or 0.0))
            assert o.change is not None
            word = "rose" if o.change > 0 else "fell"
            text += f" while {the(o.symbol)} {word} {fmt_pct(abs(o.change))[1:]}"
    return text + "."


def lead_sentence(s: DailySummary) -> str:
    """The one sentence the post opens with, from :attr:`DailySummary.lead`."""
    lead = s.lead
    if lead.kind == "streak":
        return _streak_lead(s, lead)
    if lead.kind == "records":
        return _records_lead(s, lead)
    if lead.kind == "ended" and lead.ended is not None:
        return _ended_lead(s, lead.ended)
    return _quiet_lead(s)


# --------------------------------------------------------------------------- sentences
def moves_sentence(s: DailySummary) -> str:
    """``Closes on Thu, Jan 22, 2026: the S&P 500 +0.55% to 6,913.35, ...``."""
    return f"Closes on {day_label(s.session)}: {_join([_move(m) for m in s.moves])}."


def _move(m: IndexMove) -> str:
    if m.change is None:
        return f"{the(m.symbol)} at {fmt_level(m.close)} (no day move: previous close missing)"
    return f"{the(m.symbol)} {fmt_pct(m.change)} to {fmt_level(m.close)}"


def _since_phrase(st: CurrentStreak, kind: str) -> str:
    since = st.longest_since
    if since is None:
        return f", the longest {kind} in the data, which starts {fmt_date(st.data_start)}"
    return f", the longest {kind} since {fmt_month(since.end)} ({plural(since.length, 'session')})"


def pair_line(p: PairLeadership, notable: bool) -> str:
    """``Small vs large: the S&P 500 beat the Russell 2000 for a 6th straight session ...``."""
    st = p.streak
    if st.current is None or p.winner is None:
        if p.return_a is not None and p.return_a == p.return_b:
            return (
                f"{p.label}: {the(p.a)} and {the(p.b)} returned exactly the same "
                f"({fmt_pct(p.return_a)}), so no one leads."
            )
        return (
            f"{p.label}: no comparison today, a close is missing for this session or the one "
            f"before it ({p.a} vs {p.b})."
        )
    lead, lag = p.winner, p.loser or ""
    r_lead = p.return_a if lead == p.a else p.return_b
    r_lag = p.return_b if lead == p.a else p.return_a
    assert r_lead is not None and r_lag is not None
    today = f"{fmt_pct(r_lead)} vs {fmt_pct(r_lag)}"
    if st.length == 1:
        return f"{p.label}: {the(lead)} beat {the(lag)}, {today}."
    run = st.leader_returns()
    assert run is not None and run[1] is not None
    text = (
        f"{p.label}: {the(lead)} beat {the(lag)} for {a_ordinal(st.length)} straight session "
        f"({today} today, {fmt_pct(run[0])} vs {fmt_pct(run[1])} over the run)"
    )
    if notable:
        text += _since_phrase(st, "run")
    if st.preceded_by_gap:
        text += "; the data has a gap just before it, so it may be longer"
    return text + "."


def _streak_since(st: CurrentStreak) -> str:
    since = st.longest_since
    if since is None:
        return f"in the data, which starts {fmt_date(st.data_start)}"
    return f"since {fmt_month(since.end)}"


def streak_lines(streaks: list[NotableStreak]) -> list[str]:
    """The main indices' up/down streaks, one line per (direction, length):
    ``The S&P 500 (+4.75%) and the Dow (+4.29%) have risen for 5 straight sessions, in
    each case the longest winning streak since Oct 2025.``"""
    groups: dict[tuple[int, int], list[NotableStreak]] = {}
    for n in streaks:
        groups.setdefault((n.streak.sign, n.streak.length), []).append(n)
    return [_streak_group_line(g) for g in groups.values()]


def _streak_group_line(group: list[NotableStreak]) -> str:
    if len(group) == 1:
        return streak_line(group[0])
    first = group[0].streak
    assert first.current is not None
    verb, kind = ("risen", "winning streak") if first.sign > 0 else ("fallen", "losing streak")
    who = [the(n.streak.a) for n in group]
    runs = []
    for n in group:
        assert n.streak.current is not None
        runs.append(fmt_pct(n.streak.current.return_a))
    by_since: dict[str, list[str]] = {}
    for n in group:
        by_since.setdefault(_streak_since(n.streak), []).append(the(n.streak.a))
    if len(by_since) == 1:
        since = f", in each case the longest {kind} {next(iter(by_since))}"
    else:
        since = f", the longest {kind} " + "; ".join(
            f"{when} for {_join(names)}" for when, names in by_since.items()
        )
    text = (
        f"{_cap(_join(who))} have {verb} for {first.length} straight sessions "
        f"({_join(runs)} over the run){since}"
    )
    gapped = [the(n.streak.a) for n in group if n.streak.preceded_by_gap]
    if gapped:
        text += f"; the data has a gap just before it for {_join(gapped)}, so it may be longer"
    return text + "."


def streak_line(n: NotableStreak) -> str:
    """A main index's up/down streak: ``The Dow has risen for 5 straight sessions ...``."""
    st = n.streak
    cur = st.current
    assert cur is not None
    verb, kind = ("risen", "winning streak") if cur.sign > 0 else ("fallen", "losing streak")
    text = (
        f"{_cap(the(st.a))} has {verb} for {cur.length} straight sessions "
        f"({fmt_pct(cur.return_a)} over the run){_since_phrase(st, kind)}"
    )
    if st.preceded_by_gap:
        text += "; the data has a gap just before it, so it may be longer"
    return text + "."


def record_line(r: RecordClose) -> str:
    text = (
        f"{_cap(the(r.symbol))} closed at a record {fmt_level(r.close)}: its "
        f"{ordinal_word(r.nth_of_year)} closing record high of {r.year}"
    )
    if r.previous is not None:
        gap = r.sessions_since_previous
        ago = "the session before" if gap == 1 else f"{plural(gap or 0, 'session')} earlier"
        text += (
            f"; the previous one was {fmt_level(r.previous.close)} on "
            f"{fmt_date(r.previous.date)}, {ago}"
        )
    return text + "."


def _sector(m: SectorMove) -> str:
    return f"{name(m.symbol)} ({m.symbol}) {fmt_pct(m.change)}"


def sectors_line(s: DailySummary) -> str | None:
    b = s.sectors
    if b is None:
        return None
    text = f"{_join([_sector(m) for m in b.leaders])} led"
    if b.laggards:
        text += f"; {_join([_sector(m) for m in b.laggards])} lagged"
    return text + f" ({plural(len(b.ranked), 'sector ETF')}, dividend-adjusted)."


def ytd_lines(s: DailySummary) -> list[str]:
    out: list[str] = []
    if len(s.ytd) == 1:
        e = s.ytd[0]
        out.append(f"{_cap(the(e.symbol))} is {fmt_pct(e.ytd_return)} for the year.")
    elif s.ytd:
        first, rest = s.ytd[0], s.ytd[1:]
        others = _join([f"{the(e.symbol)} {fmt_pct(e.ytd_return)}" for e in rest])
        out.append(
            f"{_cap(the(first.symbol))} leads at {fmt_pct(first.ytd_return)}, then {others}."
        )
    lead = s.ytd_small_large
    sl = s.pair("small_large")
    if lead is not None and sl is not None:
        a, b = the(sl.a), the(sl.b)
        if lead.a_ahead_every_session:
            out.append(f"{_cap(a)} has been ahead of {b} on every session of {lead.year}.")
        elif lead.b_ahead_every_session:
            out.append(f"{_cap(a)} has trailed {b} on every session of {lead.year}.")
        else:
            out.append(
                f"{_cap(a)} has been ahead of {b} on {lead.sessions_a_ahead} of "
                f"{plural(lead.sessions, 'session')} in {lead.year}."
            )
    return out


def _missing(m: MissingClose, *, named: bool = True) -> str:
    """``no Russell 2000 close for Dec 31, 2025 (latest Dec 30, 2025)`` (name optional)."""
    name = f"{display_name(m.symbol)} " if named else ""
    if m.latest is None:
        return f"no {name}data"
    if m.latest < m.session:
        return f"no {name}close for {fmt_date(m.session)} (latest {fmt_date(m.latest)})"
    return f"no {name}close for {fmt_date(m.session)}"


def note_text(n: Note) -> str:
    """One sentence saying what the summary left out and why."""
    if isinstance(n, IndexLeftOut):
        return f"{display_name(n.missing.symbol)}: {_missing(n.missing, named=False)}."
    if isinstance(n, NoPreviousClose):
        return (
            f"{display_name(n.symbol)}: no close for the previous session "
            f"({fmt_date(n.previous_session)}), so no day move."
        )
    if isinstance(n, PairLeftOut):
        return f"{n.label}: {'; '.join(_missing(m) for m in n.missing)}."
    if isinstance(n, PairNoData):
        if n.symbols is not None:
            return f"{n.label}: no {' or '.join(n.symbols)} data."
        names = " / ".join(f"{a} vs {b}" for a, b in n.candidates)
        return f"{n.label}: no data for either pair of {names}."
    if isinstance(n, SectorsLeftOut):
        if n.no_moves:
            return f"Sector ETFs: no day moves measurable for {fmt_date(n.session)}."
        if n.latest is None:
            return "Sector ETFs: no data."
        return f"Sector ETFs: no data for {fmt_date(n.session)} (latest {fmt_date(n.latest)})."
    if isinstance(n, SectorsUnranked):
        parts = [
            f"{', '.join(syms)} ({f'data ends {fmt_date(end)}' if end is not None else 'no day move'})"
            for syms, end in n.groups
        ]
        return f"Sectors not ranked for {fmt_date(n.session)}: {'; '.join(parts)}."
    if isinstance(n, NoYtdBase):
        return f"{display_name(n.symbol)}: no close before {n.year}, so no year-to-date return."
    assert isinstance(n, YtdLeadershipLeftOut)
    return f"Year-to-date small vs large: {n.reason}."


def note_lines(s: DailySummary) -> tuple[str, ...]:
    """The summary's notes, one sentence each."""
    return tuple(note_text(n) for n in s.notes)


def footer(s: DailySummary) -> str:
    src = f" · Source: {s.source}" if s.source else ""
    return f"As of the {fmt_date(s.session)} close · index price returns{src}"


@dataclass(frozen=True)
class Section:
    """A titled group of sentences (``title`` is empty for the opening paragraph)."""

    key: str
    title: str
    lines: tuple[str, ...]


def summary_sections(s: DailySummary) -> list[Section]:
    """The note's sections in order; empty parts are left out."""
    notable_pairs = {n.label for n in s.notable_streaks if n.kind == "pair"}
    out = [Section("moves", "", (lead_sentence(s), moves_sentence(s)))]
    if s.pairs:
        out.append(
            Section(
                "pairs",
                "Leadership",
                tuple(pair_line(p, p.label in notable_pairs) for p in s.pairs),
            )
        )
    idx = streak_lines([n for n in s.notable_streaks if n.kind == "index"])
    if idx:
        out.append(Section("streaks", "Streak watch", tuple(idx)))
    if s.records:
        out.append(Section("records", "Records", tuple(record_line(r) for r in s.records)))
    sec = sectors_line(s)
    if sec:
        out.append(Section("sectors", "Sectors", (sec,)))
    ytd = ytd_lines(s)
    if ytd:
        out.append(Section("ytd", "Year to date", tuple(ytd)))
    return out


# --------------------------------------------------------------------------- renderers
def summary_text(s: DailySummary) -> str:
    """Plain-text desk note: one paragraph per section, then notes and the footer."""
    paras: list[str] = []
    for sec in summary_sections(s):
        if sec.key in ("moves", "pairs"):
            paras.append("\n".join(sec.lines))
        else:
            body = " ".join(sec.lines)
            if body.startswith("The "):
                body = "the " + body[4:]  # "Records: the S&P 500 closed ..."
            paras.append(f"{sec.title}: {body}")
    tail = []
    if s.notes:
        tail.append("Left out: " + " ".join(note_lines(s)))
    tail.append(footer(s))
    paras.append("\n".join(tail))
    return "\n\n".join(paras)


def _md_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def lead_actions(s: DailySummary) -> dict[str, Any] | None:
    """A "What happened next" button for the pair streak the post leads with, or None."""
    lead = s.lead.streak if s.lead.kind == "streak" else None
    if lead is None or lead.key is None:
        return None
    pair = next((p for p in s.pairs if p.key == lead.key), None)
    if pair is None:
        return None
    return {
        "type": "actions",
        "block_id": "daily_actions",
        "elements": [{
            "type": "button", "action_id": "streak_next", "text": {"type": "plain_text", "text": "What happened next"},
            "value": button_value([pair.a, pair.b], s.session),
        }],
    }


def summary_blocks(s: DailySummary) -> list[dict[str, Any]]:
    """Slack Block Kit blocks: header, one mrkdwn section per part, context footer.

    The result always passes :func:`bot.render.blockkit.clamp_blocks` limits.
    """
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"{HEADER_TITLE} · {day_label(s.session)}"},
        }
    ]
    for sec in summary_sections(s):
        if not sec.title:
            blocks.append(_md_section("\n".join(_esc(x) for x in sec.lines)))
            continue
        if sec.key == "pairs":
            lines = []
            for line in sec.lines:
                label, _, rest = line.partition(": ")
                lines.append(f"• *{_esc(label)}:* {_esc(rest)}")
        elif len(sec.lines) == 1:
            lines = [_esc(sec.lines[0])]
        else:
            lines = [f"• {_esc(x)}" for x in sec.lines]
        blocks.append(_md_section(f"*{_esc(sec.title)}*\n" + "\n".join(lines)))
    actions = lead_actions(s)
    if actions is not None:
        blocks.append(actions)
    blocks.append({"type": "divider"})
    elements: list[dict[str, Any]] = []
    if s.notes:
        elements.append({"type": "mrkdwn", "text": "_Left out:_ " + _esc(" ".join(note_lines(s)))})
    elements.append({"type": "mrkdwn", "text": _esc(footer(s))})
    blocks.append({"type": "context", "elements": elements})
    return clamp_blocks(blocks)
