"""The words of a claim check: an editor's markup of a note, as text, Block Kit and JSON.

Each claim is quoted as written, marked ✓ (true), ✗ (false, with the right figure) or ?
(cannot be checked, with why), and followed by one line of evidence from the data: the
run's dates and both returns, the record dates, or the two closes of a move.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.claims.model import CheckResult, Claim, Evidence, Verdict
from bot.domain.provenance import source_words
from bot.domain.symbols import display_name
from bot.render.blockkit import clamp_blocks
from bot.render.format import fmt_date, fmt_level, fmt_month, fmt_pct, fmt_range, ordinal, plural
from bot.render.messages import Block, Message, context, section
from bot.render.slack_escape import escape_mrkdwn as esc

__all__ = [
    "EXAMPLES",
    "check_json",
    "check_message",
    "check_text_lines",
    "evidence_line",
    "finding",
    "render_check_text",
]

MARKS = {"true": "✓", "false": "✗", "unverifiable": "?"}
SLACK_MARKS = {"true": ":white_check_mark:", "false": ":x:", "unverifiable": ":grey_question:"}
EXAMPLES = (
    "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions, the longest streak since 1996.",
    "The S&P 500 closed at a record, its 27th closing record high of 2026, and is up 13.9% this year.",
)


def _name(sym: str) -> str:
    name = display_name(sym)
    return sym if name == sym else f"the {name}"


def _names(ev: Evidence | None, claim: Claim) -> tuple[str, ...]:
    return ev.symbols if ev is not None and ev.symbols else claim.symbols


def _when(value: float | int | str | None) -> str:
    """A stated or actual "since" value: ``1996`` or ``"1996-05"`` -> ``May 1996``."""
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        return fmt_month(date(int(value[:4]), int(value[5:]), 1))
    return str(value)


def _sessions(n: int) -> str:
    return plural(n, "session")


# --------------------------------------------------------------------------- the right figure
def finding(v: Verdict) -> str:
    """``true``, ``false: 14 sessions, not 10`` or ``cannot be checked: <why>``."""
    if v.outcome == "unverifiable":
        return f"cannot be checked: {_why(v).rstrip('.')}"
    if v.outcome == "true":
        return "true" + (f" ({_accepted(v)})" if len(v.accepted) > 1 else "")
    return f"false: {_correct(v)}"


def _why(v: Verdict) -> str:
    if v.why == "unknown_symbol":
        name = v.claim.unresolved or "that name"
        return v.detail or f"{name} is not in the data (US indices, their ETFs and the sector SPDRs)."
    if v.why == "ambiguous":
        if v.claim.kind == "record_streak":
            return "there is no earlier streak in the data to compare with."
        return "the sentence does not say which index it is about."
    return v.detail or "that is outside the data."


def _accepted(v: Verdict) -> str:
    if v.claim.kind == "sessions_without_record":
        between, after = v.accepted[:2]
        return (f"{between} sessions strictly between the two records, {after} counting the new "
                "record's session: both conventions are accepted")
    return "a tie in length can be counted either way: " + " or ".join(ordinal(int(a)) for a in v.accepted)


def _correct(v: Verdict) -> str:
    c, a, ev = v.claim, v.actual, v.evidence
    kind = c.kind
    if kind in ("relative_streak", "streak"):
        return _correct_streak(v)
    if kind == "longest_since":
        if a is None:
            if ev is not None and ev.length and ev.other_length is None:
                return (f"it is the longest in the data, which starts {fmt_date(ev.data_start)}"
                        if ev.data_start else "no earlier streak was as long")
            return "that streak is not running"
        if c.in_years:
            return f"the last streak at least as long ended {a} years earlier, not {v.stated}"
        since = fmt_month(ev.other_end) if ev is not None and ev.other_end is not None else _when(a)
        return f"the longest since {since}, not {_when(v.stated)}"
    if kind == "streak_rank":
        if a is None:
            return "that streak is not running"
        return f"it is the {_rank(int(a))} on record, not the {_rank(int(v.stated or 1))}"
    if kind == "record_streak":
        if ev is not None and ev.other_end is not None:
            return f"the longest lasted {_sessions(int(a or 0))} and ended in {fmt_month(ev.other_end)}"
        return "that streak is not running"
    if kind == "record_close":
        return "it did not close at a record" + (
            f": {fmt_level(ev.close)}, below the record of {fmt_level(ev.previous_close)} set on {fmt_date(ev.end)}"
            if ev is not None and ev.close is not None and ev.previous_close is not None and ev.end else "")
    if kind == "nth_record":
        if a is None:
            return f"that close was not a record, so not its {ordinal(int(v.stated or 0))} of {c.year}"
        return f"its {ordinal(int(a))} record of {c.year}, not {ordinal(int(v.stated or 0))}"
    if kind == "record_count":
        return f"{plural(int(a or 0), 'record close')} in {c.year}, not {v.stated}"
    if kind == "first_record_since":
        if a is None:
            return "that close was not a first record after a gap"
        return f"the previous record was in {_when(a)}, not {_when(v.stated)}"
    if kind == "sessions_without_record":
        if a is None:
            return "there was no earlier record to count from"
        between, after = v.accepted[:2] if len(v.accepted) >= 2 else (a, a)
        return f"{between} sessions without a record ({after} counting the new record's session), not {v.stated}"
    if kind in ("move_pct", "ytd"):
        what = "year to date" if kind == "ytd" else "on the day"
        return f"{fmt_pct(float(a or 0) / 100)} {what}, not {fmt_pct(float(v.stated or 0) / 100, _decimals(c))}"
    if kind == "move_points":
        return f"{float(a or 0):+,.2f} points, not {float(v.stated or 0):+,.2f}"
    if kind == "close_level":
        return f"it closed at {fmt_level(float(a or 0))}, not {c.number}"
    return f"{a}, not {v.stated}"


def _decimals(c: Claim) -> int:
    n = c.number or ""
    return len(n.split(".")[1]) if "." in n else 0


def _rank(n: int) -> str:
    return "longest" if n == 1 else f"{ordinal(n)}-longest"


def _correct_streak(v: Verdict) -> str:
    c, ev = v.claim, v.evidence
    actual = int(v.actual or 0) if not isinstance(v.actual, str) else 0
    if c.kind == "relative_streak":
        a, b = (_name(s) for s in c.symbols[:2])
        if actual > 0 and c.every_session_of_year and ev is not None and ev.start is not None:
            return f"{a} has led for {_sessions(actual)}, since {fmt_date(ev.start)}: not every session this year"
        if actual > 0:
            return f"{_sessions(actual)}, not {v.stated}"
        if actual < 0:
            return f"{b} has outperformed {a} for {_sessions(-actual)}, not the other way round"
        return f"{a} and {b} are not on a streak: the last session was a tie or a gap"
    went = "risen" if c.sign > 0 else "fallen"
    if actual > 0:
        return f"it has {went} for {_sessions(actual)}, not {v.stated}"
    other = "fallen" if c.sign > 0 else "risen"
    if actual < 0:
        return f"it has {other} for {_sessions(-actual)}: it has not {went}"
    return "it is not on a streak: the last session was unchanged"


# --------------------------------------------------------------------------- evidence
def evidence_line(v: Verdict) -> str | None:
    """One line of data behind the verdict, or None when there is none."""
    ev, c = v.evidence, v.claim
    if ev is None:
        return None
    syms = _names(ev, c)
    on = ev.session or c.session
    if c.kind in ("relative_streak", "streak", "longest_since", "streak_rank", "record_streak"):
        line = _run_line(ev, syms, on)
        if ev.other_start is not None and ev.other_end is not None and ev.other_length is not None:
            what = "The longest" if c.kind in ("streak_rank", "record_streak") else (
                "The most recent earlier streak at least as long")
            line += (f" {what}: {fmt_range(ev.other_start, ev.other_end)} "
                     f"({_sessions(ev.other_length)}).")
        return line
    if c.kind == "record_count":
        dates = ev.record_dates
        if not dates:
            return f"{display_name(syms[0])}: no record close in {c.year} through {fmt_date(on)}."
        return (f"{display_name(syms[0])} record closes in {c.year} through {fmt_date(on)}: "
                f"first {fmt_date(dates[0])}, latest {fmt_date(dates[-1])}.")
    if c.kind in ("record_close", "nth_record", "first_record_since", "sessions_without_record"):
        return _record_line(ev, syms[0], on)
    if c.kind == "ytd":
        if ev.close is None or ev.previous_close is None:
            return None
        return (f"{display_name(syms[0])}: {fmt_level(ev.previous_close)} at the end of "
                f"{(ev.session or c.session).year - 1} → {fmt_level(ev.close)} on {fmt_date(on)}.")
    if ev.close is None:
        return None
    if ev.previous_close is None or ev.previous_session is None:
        return f"{display_name(syms[0])} closed at {fmt_level(ev.close)} on {fmt_date(on)}."
    points = ev.close - ev.previous_close
    return (f"{display_name(syms[0])}: {fmt_level(ev.previous_close)} on {fmt_date(ev.previous_session)} → "
            f"{fmt_level(ev.close)} on {fmt_date(on)} ({points:+,.2f} points, "
            f"{fmt_pct(ev.change or 0.0)}).")


def _run_line(ev: Evidence, syms: tuple[str, ...], on: date) -> str:
    if ev.start is None or ev.end is None or ev.length is None:
        return f"No streak is running as of {fmt_date(on)}."
    if len(syms) > 1 and ev.return_b is not None and ev.return_a is not None:
        lead, lag = (syms[0], syms[1]) if ev.return_a > ev.return_b else (syms[1], syms[0])
        ra, rb = (ev.return_a, ev.return_b) if lead == syms[0] else (ev.return_b, ev.return_a)
        return (f"{display_name(lead)} ({lead}) over {display_name(lag)} ({lag}): "
                f"{_sessions(ev.length)}, {fmt_range(ev.start, ev.end)}, {fmt_pct(ra)} vs {fmt_pct(rb)}.")
    ret = f", {fmt_pct(ev.return_a)}" if ev.return_a is not None else ""
    return f"{display_name(syms[0])} ({syms[0]}): {_sessions(ev.length)}, {fmt_range(ev.start, ev.end)}{ret}."


def _record_line(ev: Evidence, sym: str, on: date) -> str:
    name = display_name(sym)
    close = f"closed at {fmt_level(ev.close)} on {fmt_date(on)}" if ev.close is not None else ""
    if ev.end is not None and ev.end == ev.session:
        prev = (f"; the previous record was {fmt_level(ev.previous_close)} on {fmt_date(ev.start)}, "
                f"{_sessions(ev.length or 0)} earlier") if ev.start is not None and ev.previous_close else ""
        return f"{name} {close}, a record{prev}."
    if ev.end is not None:
        return f"{name} {close}; its latest record was on {fmt_date(ev.end)}."
    return f"{name} {close}."


# --------------------------------------------------------------------------- layouts
def _quote(c: Claim) -> str:
    return f"“{c.phrase}”"


def _about(c: Claim) -> str:
    """Who the claim is about, when the quoted words do not name it."""
    if not c.symbols or any(display_name(s).lower() in c.phrase.lower() for s in c.symbols):
        return ""
    return " (" + " vs ".join(c.symbols) + ")"


def _headline(result: CheckResult) -> str:
    counts = {k: sum(1 for v in result.verdicts if v.outcome == k) for k in MARKS}
    parts = [f"{counts['true']} true", f"{counts['false']} false"]
    if counts["unverifiable"]:
        parts.append(f"{counts['unverifiable']} cannot be checked")
    n = len(result.verdicts)
    return f"Checked {plural(n, 'claim')} {_dated(result)}: {', '.join(parts)}."


def _dated(result: CheckResult) -> str:
    """``as of the Jan 22, 2026 close``, or the note's date and how far the data goes."""
    through = result.data_through
    if through is not None and through < result.as_of:
        return f"as of {fmt_date(result.as_of)} (data as of {fmt_date(through)})"
    return f"as of the {fmt_date(result.as_of)} close"


def _footer(result: CheckResult) -> str:
    syms = sorted({s for v in result.verdicts for s in v.claim.symbols})
    return (f"Source: {source_words(result.source, syms)}. Streaks count sessions; "
            "percentages are checked as rounded in the text.")


def _none_found(result: CheckResult) -> str:
    return f"I found no figures I can check in that text ({_dated(result)}). I check sentences like these:"


def check_text_lines(result: CheckResult) -> list[str]:
    """The plain-text check, one line per claim and one per evidence (what the CLI prints)."""
    if not result.verdicts:
        return [_none_found(result), *(f"  • {e}" for e in EXAMPLES)]
    lines = [_headline(result)]
    for v in result.verdicts:
        lines.append(f"{MARKS[v.outcome]} {_quote(v.claim)}{_about(v.claim)} — {finding(v)}.")
        ev = evidence_line(v)
        if ev:
            lines.append(f"  {ev}")
    lines.append(_footer(result))
    return lines


def render_check_text(result: CheckResult) -> str:
    return "\n".join(check_text_lines(result))


def check_message(result: CheckResult) -> Message:
    """The Slack reply: one section per claim (mark, quote, finding, evidence), within limits."""
    text = render_check_text(result)
    if not result.verdicts:
        body = "\n".join(f"• {esc(e)}" for e in EXAMPLES)
        return Message(text, [section(esc(_none_found(result))), section(body)])
    blocks: list[Block] = [section(esc(_headline(result)))]
    for v in result.verdicts:
        line = f"{SLACK_MARKS[v.outcome]} {esc(_quote(v.claim))}{esc(_about(v.claim))} — {esc(finding(v))}."
        ev = evidence_line(v)
        blocks.append(section(line + (f"\n{esc(ev)}" if ev else "")))
    blocks.append(context(esc(_footer(result))))
    return Message(text, clamp_blocks(blocks))


# --------------------------------------------------------------------------- JSON
def _plain(x: object) -> Any:
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, tuple):
        return [_plain(i) for i in x]
    return x


def _evidence_json(v: Verdict) -> dict[str, Any] | None:
    ev = v.evidence
    if ev is None:
        return None
    out = {k: _plain(val) for k, val in vars(ev).items() if val not in (None, ())}
    out["line"] = evidence_line(v)
    return out


def check_json(result: CheckResult) -> dict[str, Any]:
    """``{"as_of", "source", "claims": [{"text", "span", "phrase", "kind", "verdict", ...}]}``."""
    return {
        "as_of": result.as_of.isoformat(),
        "source": source_words(result.source, sorted({s for v in result.verdicts for s in v.claim.symbols})),
        "claims": [
            {
                "text": v.claim.text,
                "span": list(v.claim.span),
                "phrase": v.claim.phrase,
                "phrase_span": list(v.claim.phrase_span),
                "kind": v.claim.kind,
                "verdict": v.outcome,
                "stated": v.stated,
                "actual": v.actual,
                "accepted": list(v.accepted),
                "why": v.why,
                "finding": finding(v),
                "evidence": _evidence_json(v),
                "symbols": list(v.claim.symbols),
                "session": v.claim.session.isoformat(),
            }
            for v in result.verdicts
        ],
    }
