"""The words and the JSON of "what happened next" (``streakbot next``, ``/streak A B next``).

Returns are fractions in JSON and signed percents in text; a spread (leader's return minus
the laggard's) is written in percentage points (``-9.72 pp``).
"""

from __future__ import annotations

from typing import Any

from analytics.forward import Episode, ForwardReturns, HorizonSummary
from bot.domain.provenance import source_words
from bot.domain.symbols import display_name, is_adjusted
from bot.render.blockkit import clamp_blocks
from bot.render.format import fmt_date, fmt_pct, fmt_range, ordinal, plural
from bot.render.messages import Block, Message, context, section
from bot.render.slack_escape import escape_mrkdwn as esc
from bot.render.text import freshness_note
from bot.services.forward import ForwardAnswer

__all__ = [
    "COUNT_WORDS",
    "FEW_CASES",
    "MAX_EPISODE_LINES",
    "and_list",
    "few_years_note",
    "forward_headline",
    "forward_json",
    "forward_lines",
    "forward_message",
    "forward_text",
    "lines_message",
    "lines_text",
    "summary_part",
]

FEW_CASES = 5  # fewer earlier cases than this get the "only N earlier cases" note
MAX_EPISODE_LINES = 10  # the text lists the latest ones; the JSON has every episode

COUNT_WORDS = ["no", "one", "two", "three", "four"]


def fmt_pp(x: float) -> str:
    """A spread as signed percentage points: ``-0.0972`` -> ``-9.72 pp``."""
    return f"{x * 100:+.2f} pp"


def _through(ans: ForwardAnswer) -> str:
    """``, through Jan 22, 2026`` when the data goes on past the as-of session."""
    r = ans.report
    if r.as_of.date() < ans.freshness.data_as_of:
        return f", through {fmt_date(r.as_of)}"
    return ""


def forward_headline(ans: ForwardAnswer) -> str:
    """The current streak and how many earlier ones reached its length."""
    if ans.b is None:
        return _single_headline(ans)
    r = ans.report
    na, nb = display_name(ans.a), display_name(ans.b)
    cur = r.current
    if cur is None:
        return (
            f"No streak of the {na} against the {nb} is in progress on {fmt_date(r.as_of)}, "
            "so there is nothing to compare with earlier streaks."
        )
    lead, lag = display_name(ans.leader or ""), display_name(ans.laggard or "")
    if cur.length == 1:
        now = f"The {lead} outperformed the {lag} on {fmt_date(cur.end)}."
    else:
        now = (
            f"The {lead} has outperformed the {lag} for {cur.length} straight sessions "
            f"({fmt_range(cur.start, cur.end)})."
        )
    n = len(r.episodes)
    if n == 0:
        return (
            f"{now} No earlier streak of the {lead} beating the {lag} reached "
            f"{plural(cur.length, 'session')} in the data, which starts "
            f"{fmt_date(r.data_start)}{_through(ans)}."
        )
    return f"{now} {_what_next(n, 'streak', cur.length)}"


def _what_next(n: int, kind: str, length: int) -> str:
    which = f"earlier {kind}" if n == 1 else f"earlier {kind}s"
    return (
        f"What happened next after the {n if n >= FEW_CASES else COUNT_WORDS[n]} "
        f"{which} that reached {plural(length, 'session')}, from the close of "
        f"{'its' if n == 1 else 'each one’s'} {ordinal(length)} session:"
    )


def _single_headline(ans: ForwardAnswer) -> str:
    """One symbol: its winning or losing streak, and the earlier ones as long."""
    r = ans.report
    name = display_name(ans.a)
    cur = r.current
    if cur is None:
        return (f"The {name} closed unchanged on {fmt_date(r.as_of)}: no winning or losing streak "
                "is in progress to compare with earlier ones.")
    up = cur.sign > 0
    kind = "winning streak" if up else "losing streak"
    if cur.length == 1:
        now = f"The {name} {'rose' if up else 'fell'} on {fmt_date(cur.end)}."
    else:
        now = (f"The {name} has {'risen' if up else 'fallen'} for {cur.length} straight sessions "
               f"({fmt_range(cur.start, cur.end)}).")
    n = len(r.episodes)
    if n == 0:
        return (f"{now} No earlier {kind} of the {name} reached {plural(cur.length, 'session')} in the data, "
                f"which starts {fmt_date(r.data_start)}{_through(ans)}.")
    return f"{now} {_what_next(n, kind, cur.length)}"


def _side(f: ForwardReturns, h: int, single: bool = False) -> str:
    if single:  # one symbol: its own return
        return f"{h} sessions {fmt_pct(f.leader)}"
    return f"{h} sessions {fmt_pct(f.leader)} vs {fmt_pct(f.laggard)} ({fmt_pp(f.spread)})"


def and_list(items: list[str]) -> str:
    """``5``, ``5 and 21``, ``5, 21 and 63``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def episode_line(ans: ForwardAnswer, e: Episode) -> str:
    """``May 3, 1996 (Apr 16 – May 7, 1996, 16 sessions): after 5 sessions +1.24% vs ...``."""
    hs = ans.report.horizons
    shown = [_side(f, h, ans.b is None) for h in hs if (f := e.forward[h]) is not None]
    missing = [str(h) for h in hs if e.forward[h] is None]
    head = f"{fmt_date(e.reached)} ({fmt_range(e.start, e.end)}, {plural(e.length, 'session')})"
    tail = f"{and_list(missing)} sessions beyond the data" if missing else ""
    if not shown:
        return f"{head}: {tail}."
    return f"{head}: after {'; '.join(shown)}{'; ' + tail if tail else ''}."


def summary_part(h: int, s: HorizonSummary, lead: str, single: bool = False) -> str:
    if s.n == 0 or s.median_spread is None or s.mean_spread is None or s.share_positive is None:
        return f"{h} sessions none in the data yet"
    kept = round(s.share_positive * s.n)
    if single:
        return (f"{h} sessions median {fmt_pct(s.median_spread)}, mean {fmt_pct(s.mean_spread)}, "
                f"higher in {kept} of {s.n}")
    return (
        f"{h} sessions median {fmt_pp(s.median_spread)}, mean {fmt_pp(s.mean_spread)}, "
        f"the {lead} ahead in {kept} of {s.n}"
    )


def summary_line(ans: ForwardAnswer) -> str | None:
    """The spreads per horizon over the episodes (None without episodes)."""
    r = ans.report
    if not r.episodes:
        return None
    lead = display_name(ans.leader or "")
    if ans.b is None:
        parts = "; ".join(summary_part(h, r.summary[h], lead, True) for h in r.horizons)
        return f"The {lead}'s return, after {parts}."
    lag = display_name(ans.laggard or "")
    parts = "; ".join(summary_part(h, r.summary[h], lead) for h in r.horizons)
    return f"{lead} minus {lag}, after {parts}."


def few_years_note(years: list[int]) -> str | None:
    """``Only one earlier case: 1996, an anecdote rather than a pattern.`` for 1-4 years."""
    if not years or len(years) >= FEW_CASES:
        return None
    cases = "case" if len(years) == 1 else "cases"
    listed = ", ".join(str(y) for y in years)
    return f"Only {COUNT_WORDS[len(years)]} earlier {cases}: {listed}, an anecdote rather than a pattern."


def few_cases_note(ans: ForwardAnswer) -> str | None:
    """:func:`few_years_note` of the years the earlier streaks reached this length."""
    return few_years_note([e.reached.year for e in ans.report.episodes])


def forward_footer(ans: ForwardAnswer) -> str:
    """``^RUT vs ^GSPC · price returns · ... · as of the <date> close · Source: ...``."""
    syms = [ans.a] if ans.b is None else [ans.a, ans.b]
    adjusted = [s for s in syms if is_adjusted(s)]
    kind = (
        f"{', '.join(adjusted)} dividend-adjusted (total) returns" if adjusted else "price returns"
    )
    return (
        f"{' vs '.join(syms)} · {kind} over the next 5, 21, 63, 126 and 252 sessions · "
        f"as of the {fmt_date(ans.report.as_of)} close · "
        f"Source: {source_words(ans.source, syms)}"
    )


def forward_lines(ans: ForwardAnswer) -> tuple[str, list[str], list[str]]:
    """(headline, body lines, notes): the parts every front end lays out."""
    eps = ans.report.episodes
    body = [episode_line(ans, e) for e in eps[-MAX_EPISODE_LINES:]]
    if len(eps) > MAX_EPISODE_LINES:
        body.insert(0, f"The latest {MAX_EPISODE_LINES} of {len(eps)}:")
    summary = summary_line(ans)
    if summary and len(eps) > 1:
        body.append(summary)
    notes = [n for n in (few_cases_note(ans), freshness_note(ans.freshness)) if n]
    return forward_headline(ans), body, notes


def lines_text(head: str, body: list[str], notes: list[str], footer: str) -> str:
    """A what-happened-next answer as text, one sentence a line."""
    return "\n".join([head, *body, *notes, footer])


def lines_message(head: str, body: list[str], notes: list[str], footer: str) -> Message:
    """The same answer in Block Kit: the headline in bold, the cases as bullets, the notes
    and the footer as context."""
    blocks: list[Block] = [section(f"*{esc(head)}*")]
    if body:
        blocks.append(section("\n".join(f"• {esc(b)}" for b in body)))
    if notes:
        blocks.append(context(*(f":information_source: {esc(n)}" for n in notes)))
    blocks.append(context(esc(footer)))
    return Message(lines_text(head, body, notes, footer), clamp_blocks(blocks))


def forward_text(ans: ForwardAnswer) -> str:
    """The whole answer, one sentence a line (what ``streakbot next`` prints)."""
    return lines_text(*forward_lines(ans), forward_footer(ans))


def forward_message(ans: ForwardAnswer) -> Message:
    """The in-channel answer to ``/streak A B next``."""
    return lines_message(*forward_lines(ans), forward_footer(ans))


def _forward_json(f: ForwardReturns | None) -> dict[str, float] | None:
    if f is None:
        return None
    return {"leader": f.leader, "laggard": f.laggard, "spread": f.spread}


def forward_json(ans: ForwardAnswer) -> dict[str, Any]:
    """``next --json``: ``leader``, ``laggard``, ``length``, ``as_of``, ``episodes``, ``summary``."""
    r = ans.report
    return {
        "leader": ans.leader,
        "laggard": ans.laggard,
        "length": r.current.length if r.current else 0,
        "as_of": r.as_of.date().isoformat(),
        "episodes": [
            {
                "reached": e.reached.date().isoformat(),
                "start": e.start.date().isoformat(),
                "end": e.end.date().isoformat(),
                "length": e.length,
                "forward": {str(h): _forward_json(e.forward[h]) for h in r.horizons},
            }
            for e in r.episodes
        ],
        "summary": {
            str(h): {
                "n": s.n,
                "median_spread": s.median_spread,
                "mean_spread": s.mean_spread,
                "share_positive": s.share_positive,
            }
            for h, s in r.summary.items()
        },
    }
