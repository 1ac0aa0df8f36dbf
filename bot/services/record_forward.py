"""What happened next after a first record close in a long time: data, no words.

:func:`record_forward_answer` resolves one symbol, runs
:func:`analytics.record_forward.record_forward_report` over its closes as of a session and
returns a frozen answer; :mod:`bot.render.record_forward` puts it in words (CLI, JSON and
Slack). Dividend-adjusted ETFs are refused, as for every record answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from analytics.errors import AnalyticsError
from analytics.record_forward import COMEBACK_GAP, RecordForwardReport, record_forward_report
from bot.domain.errors import UserError
from bot.services.answers import Freshness, freshness_of, refuse_adjusted_records, sentence
from bot.services.market import Market, NoDataError

__all__ = ["RecordForwardAnswer", "record_forward_answer"]


@dataclass(frozen=True)
class RecordForwardAnswer:
    """The comeback records of one symbol and what followed them, as of a session."""

    symbol: str
    report: RecordForwardReport
    freshness: Freshness
    source: str  # a bot.domain.provenance.Origin value


def record_forward_answer(
    market: Market,
    text: str,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
    min_gap: int = COMEBACK_GAP,
) -> RecordForwardAnswer:
    """The first records after at least ``min_gap`` sessions without one, and what followed.

    Raises
    ------
    UserError
        For an unknown symbol, a dividend-adjusted ETF or a date outside the data.
    """
    sym = market.resolve(text)
    refuse_adjusted_records(sym)
    try:
        days, closes = market.close_days(sym)
        report = record_forward_report(days, closes, as_of, min_gap=min_gap)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(sentence(exc)) from None
    fresh = freshness_of(market, [sym], None if as_of else now)
    return RecordForwardAnswer(sym, report, fresh, market.origin)
