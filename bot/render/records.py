"""The order and tense of a records answer: a past year is answered first, in the past tense.

``/records SPX 2022`` (and ``streakbot records SPX --year 2022``) asks about 2022, so the
answer opens with it ("The S&P 500 set 1 record close in 2022 (Jan 3).") before any line
about the as-of session. For the as-of session's own year the answer is as before: the
as-of close first, then "2026 so far: ...". The sentences themselves are those of
:mod:`bot.render.text`.
"""

from __future__ import annotations

from bot.domain.symbols import display_name
from bot.render.comeback import comeback_followed_line
from bot.render.format import compact_dates, plural
from bot.render.text import (
    records_footer,
    records_headline,
    records_notes,
    records_previous_line,
    records_year_line,
)
from bot.services.answers import RecordsAnswer

__all__ = ["is_past_year", "past_year_sentence", "records_lines", "records_text"]


def is_past_year(ans: RecordsAnswer) -> bool:
    """The year asked about ended before the as-of session's year."""
    return ans.summary.year < ans.summary.as_of.year


def past_year_sentence(ans: RecordsAnswer) -> str:
    """``The S&P 500 set 1 record close in 2022 (Jan 3).`` / ``... set no record closes in 2023.``"""
    s = ans.summary
    name = display_name(ans.symbol)
    if s.count == 0:
        return f"The {name} set no record closes in {s.year}."
    return f"The {name} set {plural(s.count, 'record close')} in {s.year} ({compact_dates(s.dates)})."


def records_lines(ans: RecordsAnswer) -> list[str]:
    """The answer's sentences in order, without notes and footer."""
    extra = [x for x in (records_previous_line(ans), comeback_followed_line(ans.followed, ans.symbol)) if x]
    today = [records_headline(ans), *extra]
    if is_past_year(ans):
        return [past_year_sentence(ans), *today]
    return [*today, records_year_line(ans)]


def records_text(ans: RecordsAnswer) -> str:
    """The whole answer, one sentence a line (what ``streakbot records`` prints)."""
    return "\n".join([*records_lines(ans), *records_notes(ans), records_footer(ans)])
