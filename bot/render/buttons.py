"""Buttons on answers, and the words of what they answer (History, By year).

A button carries what its answer needs in its ``value`` (JSON: the symbols and the as-of
session), never a key into server state: any worker, after any restart, can answer it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.domain.provenance import source_words
from bot.domain.symbols import display_name
from bot.render.format import fmt_date, fmt_pct, fmt_range, plural
from bot.services.history import PairHistory
from bot.services.record_queries import RecordYears

__all__ = [
    "RECORDS_BUTTONS",
    "STREAK_BUTTONS",
    "button_value",
    "history_lines",
    "parse_button_value",
    "record_years_lines",
    "records_actions",
    "streak_actions",
]

STREAK_BUTTONS = {"streak_chart": "Chart", "streak_next": "What happened next", "streak_history": "History"}
RECORDS_BUTTONS = {"records_chart": "Chart", "records_by_year": "By year"}
Block = dict[str, Any]


def button_value(symbols: list[str], as_of: date) -> str:
    return json.dumps({"symbols": symbols, "as_of": as_of.isoformat()}, separators=(",", ":"))


def parse_button_value(value: str) -> tuple[list[str], date]:
    """The symbols and as-of session a button carries (ValueError when it is not ours)."""
    data = json.loads(value)
    syms = data["symbols"]
    if not isinstance(syms, list) or not all(isinstance(s, str) for s in syms) or not 1 <= len(syms) <= 2:
        raise ValueError("not a streakbot button value")
    return syms, date.fromisoformat(data["as_of"])


def _actions(block_id: str, buttons: dict[str, str], value: str) -> Block:
    return {
        "type": "actions",
        "block_id": block_id,
        "elements": [
            {"type": "button", "action_id": action, "text": {"type": "plain_text", "text": label}, "value": value}
            for action, label in buttons.items()
        ],
    }


def streak_actions(a: str, b: str | None, as_of: date) -> Block | None:
    """Chart, What happened next and History for a pair (none for one symbol's streak)."""
    if b is None:
        return None
    return _actions("streak_actions", STREAK_BUTTONS, button_value([a, b], as_of))


def records_actions(symbol: str, as_of: date) -> Block:
    return _actions("records_actions", RECORDS_BUTTONS, button_value([symbol], as_of))


def history_lines(h: PairHistory) -> list[str]:
    """The longest streaks each side has led, with dates and both returns."""
    lines = [f"Longest streaks, {display_name(h.a)} vs {display_name(h.b)}, through {fmt_date(h.as_of)}:"]
    for sym, other in ((h.a, h.b), (h.b, h.a)):
        top = h.top[sym]
        if not top:
            lines.append(f"{display_name(sym)} ahead of {display_name(other)}: no streak in the data.")
            continue
        lines.append(f"{display_name(sym)} ahead of {display_name(other)}:")
        lines.extend(
            f"  {i}. {plural(s.length, 'session')}, {fmt_range(s.start, s.end)}: "
            f"{fmt_pct(s.return_leader)} vs {fmt_pct(s.return_laggard)}"
            for i, s in enumerate(top, 1)
        )
    lines.append(f"Data from {fmt_date(h.data_start)} · Source: {source_words(h.source, [h.a, h.b])}")
    return lines


def record_years_lines(r: RecordYears, last: int = 12) -> list[str]:
    """Record closes per year, the latest ``last`` years, and the best years."""
    lines = [f"{display_name(r.symbol)} record closes per year, through {fmt_date(r.as_of)}:"]
    for year, count in r.per_year[-last:]:
        so_far = " (so far)" if year == r.as_of.year and r.last_partial else ""
        lines.append(f"  {year}: {count}{so_far}")
    best = ", ".join(f"{y} ({c})" for y, c in r.best(3))
    lines.append(f"Most in a year: {best}. Data from {fmt_date(r.data_start)} · "
                 f"Source: {source_words(r.source, [r.symbol])}")
    return lines
