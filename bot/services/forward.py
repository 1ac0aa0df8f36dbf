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
    """The episodes and summary for A vs B as of one session."""

    a: str
    b: str
    report: ForwardReport
    freshness: Freshness
    source: str  # a bot.domain.provenance.Origin value

    @property
    def leader(self) -> str | None:
        cur = self.report.current
        if cur is None:
            return None
        return self.a if cur.sign > 0 else self.b

    @property
    def laggard(self) -> str | None:
        cur = self.report.current
        if cur is None:
            return None
        return self.b if cur.sign > 0 else self.a


def forward_answer(
    market: Market,
    a_text: str,
    b_text: str,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> ForwardAnswer:
    """What followed the earlier streaks of the current leader that reached today's length.

    Raises
    ------
    UserError
        For an unknown symbol, the same symbol twice or a date outside the data.
    """
    a = market.resolve(a_text)
    b = market.resolve(b_text)
    if b == a:
        raise UserError(f"Both symbols resolve to {a}: name two different ones, e.g. RUT SPX.")
    try:
        report = forward_report(market.aligned(a, b), as_of)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(sentence(exc)) from None
    fresh = freshness_of(market, [a, b], None if as_of else now)
    return ForwardAnswer(a, b, report, fresh, market.origin)
