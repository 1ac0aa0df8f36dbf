"""The one sentence on what followed the earlier first records in a long time, shared by a
records answer (``/records``, ``streakbot records``) and the record alert.

It imports no Block Kit module, so the records answer's words can use it without a cycle.
"""

from __future__ import annotations

from analytics.record_forward import RecordForwardReport
from bot.domain.symbols import display_name
from bot.render.format import cardinal_words

__all__ = ["FOLLOW_HORIZON", "comeback_followed_line", "comeback_words"]

FOLLOW_HORIZON = 21  # sessions: about a month on, as the streak alert quotes
YEARS_LISTED = 4  # up to this many earlier cases, their years are named


def comeback_words(
    symbol: str, min_gap: int, years: tuple[int, ...], median: float | None, higher: int, counted: int
) -> str:
    """`` After the 9 earlier first records in 250 or more sessions, the Russell 2000 rose by a
    median of 2.72% over the next 21 sessions, higher in 6 of 9.`` (one sentence, no lead space)."""
    name = display_name(symbol)
    wait = f"{min_gap:,} or more sessions"
    if not years:
        return f"No earlier record of the {name} in the data came after {wait} without one."
    n = len(years)
    cases = (f"the one earlier first record in {wait}" if n == 1
             else f"the {n if n > YEARS_LISTED else cardinal_words(n)} earlier first records in {wait}")
    when = f" ({', '.join(str(y) for y in years)})" if n <= YEARS_LISTED else ""
    if median is None or counted == 0:
        return f"What followed {cases}{when} is not yet {FOLLOW_HORIZON} sessions old in the data."
    how = "rose" if median > 0 else "fell"
    by = f"{abs(median) * 100:.2f}%" if counted == 1 else f"a median of {abs(median) * 100:.2f}%"
    tail = f", higher in {higher} of {counted}" if counted > 1 else ""
    return f"After {cases}{when}, the {name} {how} by {by} over the next {FOLLOW_HORIZON} sessions{tail}."


def comeback_followed_line(report: RecordForwardReport | None, symbol: str) -> str | None:
    """:func:`comeback_words` when the report's as-of session is itself a first record in a
    long time (None otherwise)."""
    if report is None or not report.is_comeback:
        return None
    years = tuple(e.record.year for e in report.episodes)
    s = report.summary.get(FOLLOW_HORIZON)
    if s is None or s.n == 0 or s.share_positive is None:
        return comeback_words(symbol, report.min_gap, years, None, 0, 0)
    higher = round(s.share_positive * s.n)
    return comeback_words(symbol, report.min_gap, years, s.median_spread, higher, s.n)
