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
from bot.render.format import (
    fmt_date,
    fmt_level,
    fmt_month,
    fmt_pct,
    ordinal,
    ordinal_word,
    plural,
)
from bot.render.slack_escape import escape_mrkdwn as _esc
from bot.services.summary import (
    CurrentStreak,
    DailySummary,
    IndexLeftOut,
    IndexMove,
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

__all__ = ["HEADER_TITLE", "note_lines", "note_text", "summary_blocks", "summary_sections", "summary_text"]

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


# --------------------------------------------------------------------------- sentences
def moves_sentence(s: DailySummary) -> str:
    changes = [m.change for m in s.moves if m.change is not None]
    if changes and all(c > 0 for c in changes):
        verb = "Stocks rose"
    elif changes and all(c < 0 for c in changes):
        verb = "Stocks fell"
    elif changes:
        verb = "Stocks were mixed"
    else:
        verb = "Closes"
    return f"{verb} on {day_label(s.session)}: {_join([_move(m) for m in s.moves])}."


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
        f"{p.label}: {the(lead)} beat {the(lag)} for a {ordinal(st.length)} straight session "
        f"({today} today, {fmt_pct(run[0])} vs {fmt_pct(run[1])} over the run)"
    )
    if notable:
        text += _since_phrase(st, "run")
    if st.preceded_by_gap:
        text += "; the data has a gap just before it, so it may be longer"
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
    out = [Section("moves", "", (moves_sentence(s),))]
    if s.pairs:
        out.append(
            Section(
                "pairs",
                "Leadership",
                tuple(pair_line(p, p.label in notable_pairs) for p in s.pairs),
            )
        )
    idx = [streak_line(n) for n in s.notable_streaks if n.kind == "index"]
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
    blocks.append({"type": "divider"})
    elements: list[dict[str, Any]] = []
    if s.notes:
        elements.append({"type": "mrkdwn", "text": "_Left out:_ " + _esc(" ".join(note_lines(s)))})
    elements.append({"type": "mrkdwn", "text": _esc(footer(s))})
    blocks.append({"type": "context", "elements": elements})
    return clamp_blocks(blocks)
