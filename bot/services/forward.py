"""What happened next after earlier streaks as long as the current one: data, no words.

:func:`forward_answer` resolves two symbols, runs :func:`analytics.forward.forward_report`
as of a session and returns a frozen answer; :mod:`bot.render.forward` puts it in words
(CLI, JSON and Slack).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from analytics.errors import AnalyticsError
from analytics.forward import ForwardReport, forward_report
from bot.domain.errors import UserError
from bot.services.answers import Freshness, freshness_of, sentence
from bot.services.market import Market, NoDataError


@dataclass(frozen=True)
class ForwardAnswer:
    """The episodes and summary for A vs B (or A's up/down days, ``b`` None) as of a session."""

    a: str
    b: str | None
    report: ForwardReport
    freshness: Freshness
    source: str  # a bot.domain.provenance.Origin value

    @property
    def leader(self) -> str | None:
        cur = self.report.current
        if cur is None:
            return None
        return self.a if cur.sign > 0 or self.b is None else self.b

    @property
    def laggard(self) -> str | None:
        cur = self.report.current
        if cur is None or self.b is None:
            return None
        return self.b if cur.sign > 0 else self.a


def forward_answer(
    market: Market,
    a_text: str,
    b_text: str | None,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> ForwardAnswer:
    """What followed the earlier streaks of the current leader that reached today's length
    (with ``b_text`` None: A's earlier winning or losing streaks, and A's returns after).

    Raises
    ------
    UserError
        For an unknown symbol, the same symbol twice or a date outside the data.
    """
    a = market.resolve(a_text)
    b = None if b_text is None else market.resolve(b_text)
    if b == a:
        raise UserError(f"Both symbols resolve to {a}: name two different ones, e.g. RUT SPX.")
    try:
        report = forward_report(market.aligned(a, b), as_of)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(sentence(exc)) from None
    fresh = freshness_of(market, [a] if b is None else [a, b], None if as_of else now)
    return ForwardAnswer(a, b, report, fresh, market.origin)
