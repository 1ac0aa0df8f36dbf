"""The words and the JSON of "what happened next" after a first record in a long time
(``streakbot next SPX --records``, ``/records SPX next``), laid out as :mod:`bot.render.forward`.

Returns are fractions in JSON and signed percents in text.
"""

from __future__ import annotations

from typing import Any

from analytics.record_forward import ComebackRecord, RecordForwardReport
from bot.domain.provenance import source_words
from bot.domain.symbols import display_name
from bot.render.format import fmt_date, fmt_pct
from bot.render.forward import (
    COUNT_WORDS,
    FEW_CASES,
    MAX_EPISODE_LINES,
    and_list,
    few_years_note,
    lines_message,
    lines_text,
    summary_part,
)
from bot.render.messages import Message
from bot.render.text import freshness_note
from bot.services.record_forward import RecordForwardAnswer

__all__ = [
    "record_forward_footer",
    "record_forward_headline",
    "record_forward_json",
    "record_forward_lines",
    "record_forward_message",
    "record_forward_text",
]


def _wait(r: RecordForwardReport) -> str:
    return f"{r.min_gap:,} or more sessions"


def _since(c: ComebackRecord) -> str:
    """``its first since Nov 8, 2021 (967 sessions between)``."""
    return f"its first since {fmt_date(c.previous_record)} ({c.gap:,} sessions between)"


def _returns(c: ComebackRecord, horizons: tuple[int, ...]) -> str:
    """``after 5 sessions +1.06%; 21 sessions +2.80%; 252 sessions beyond the data``."""
    shown = [f"{h} sessions {fmt_pct(x)}" for h in horizons if (x := c.forward[h]) is not None]
    missing = [str(h) for h in horizons if c.forward[h] is None]
    tail = f"{and_list(missing)} sessions beyond the data" if missing else ""
    if not shown:
        return tail
    return f"after {'; '.join(shown)}{'; ' + tail if tail else ''}"


def _through(ans: RecordForwardAnswer) -> str:
    r = ans.report
    return f", through {fmt_date(r.as_of)}" if r.as_of.date() < ans.freshness.data_as_of else ""


def record_forward_headline(ans: RecordForwardAnswer) -> str:
    """The latest first record in a long time, and how many earlier ones there are."""
    r = ans.report
    name = display_name(ans.symbol)
    c = r.latest
    if c is None:
        return (
            f"The {name} has no record close after {_wait(r)} without one in the data, which "
            f"starts {fmt_date(r.data_start)}{_through(ans)}."
        )
    if r.is_comeback:
        now = f"The {name} closed at a record on {fmt_date(c.record)}, {_since(c)}."
    else:
        now = (
            f"The {name}'s latest first record in {_wait(r)} was on {fmt_date(c.record)}, "
            f"{_since(c)}: {_returns(c, r.horizons)}."
        )
    n = len(r.episodes)
    if n == 0:
        return f"{now} No earlier record in the data, which starts {fmt_date(r.data_start)}, came after {_wait(r)} without one."
    which = "first record" if n == 1 else "first records"
    return (
        f"{now} What happened next after the {n if n >= FEW_CASES else COUNT_WORDS[n]} earlier "
        f"{which} in {_wait(r)}, from {'its' if n == 1 else 'each one’s'} record close:"
    )


def episode_line(ans: RecordForwardAnswer, c: ComebackRecord) -> str:
    """``Sep 22, 1954 (first since Sep 16, 1929, 6,248 sessions between): after 5 sessions ...``."""
    head = f"{fmt_date(c.record)} (first since {fmt_date(c.previous_record)}, {c.gap:,} sessions between)"
    return f"{head}: {_returns(c, ans.report.horizons)}."


def summary_line(ans: RecordForwardAnswer) -> str | None:
    """The index's returns per horizon over the earlier cases (None with fewer than two)."""
    r = ans.report
    if len(r.episodes) < 2:
        return None
    name = display_name(ans.symbol)
    parts = "; ".join(summary_part(h, r.summary[h], name, True) for h in r.horizons)
    return f"The {name}'s return, after {parts}."


def few_cases_note(ans: RecordForwardAnswer) -> str | None:
    """:func:`bot.render.forward.few_years_note` of the earlier comeback records' years."""
    return few_years_note([e.record.year for e in ans.report.episodes])


def record_forward_footer(ans: RecordForwardAnswer) -> str:
    """``^RUT · price returns over the next ... sessions after a first record close in ...``."""
    r = ans.report
    return (
        f"{ans.symbol} · price returns over the next 5, 21, 63, 126 and 252 sessions from a first "
        f"record close in {_wait(r)} (sessions strictly between two records) · "
        f"as of the {fmt_date(r.as_of)} close · Source: {source_words(ans.source, [ans.symbol])}"
    )


def record_forward_lines(ans: RecordForwardAnswer) -> tuple[str, list[str], list[str]]:
    """(headline, body lines, notes): the parts every front end lays out."""
    eps = ans.report.episodes
    body = [episode_line(ans, e) for e in eps[-MAX_EPISODE_LINES:]]
    if len(eps) > MAX_EPISODE_LINES:
        body.insert(0, f"The latest {MAX_EPISODE_LINES} of {len(eps)}:")
    summary = summary_line(ans)
    if summary:
        body.append(summary)
    notes = [n for n in (few_cases_note(ans), freshness_note(ans.freshness)) if n]
    return record_forward_headline(ans), body, notes


def record_forward_text(ans: RecordForwardAnswer) -> str:
    """The whole answer, one sentence a line (what ``streakbot next SYMBOL --records`` prints)."""
    return lines_text(*record_forward_lines(ans), record_forward_footer(ans))


def record_forward_message(ans: RecordForwardAnswer) -> Message:
    """The in-channel answer to ``/records SYMBOL next``."""
    return lines_message(*record_forward_lines(ans), record_forward_footer(ans))


def _case_json(c: ComebackRecord, horizons: tuple[int, ...]) -> dict[str, Any]:
    return {
        "record": c.record.date().isoformat(),
        "previous_record": c.previous_record.date().isoformat(),
        "gap": c.gap,
        "close": c.close,
        "forward": {
            str(h): None if (x := c.forward[h]) is None else {"return": x} for h in horizons
        },
    }


def record_forward_json(ans: RecordForwardAnswer) -> dict[str, Any]:
    """``next SYMBOL --records --json``: ``symbol``, ``as_of``, ``min_gap``, ``latest``,
    ``episodes``, ``summary``."""
    r = ans.report
    return {
        "symbol": ans.symbol,
        "as_of": r.as_of.date().isoformat(),
        "min_gap": r.min_gap,
        "latest": None if r.latest is None else _case_json(r.latest, r.horizons),
        "episodes": [_case_json(e, r.horizons) for e in r.episodes],
        "summary": {
            str(h): {
                "n": s.n,
                "median": s.median_spread,
                "mean": s.mean_spread,
                "share_positive": s.share_positive,
            }
            for h, s in r.summary.items()
        },
    }
