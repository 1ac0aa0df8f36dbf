"""Answers to ``streak`` and ``records`` questions: computed once, rendered anywhere.

Each ``*_answer`` function resolves symbols, runs the analytics and returns a frozen
answer object: data, no words. :mod:`bot.render.text`, :mod:`bot.render.json` and
:mod:`bot.render.messages` put it in words for the CLI, JSON and Slack. The CLI, Slack and
plain-word questions all go through here, so they always agree.

Unanswerable input raises :class:`~bot.domain.errors.UserError` (an unknown symbol is one),
whose message is fit to show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from analytics.errors import AnalyticsError
from analytics.forward import ForwardReport, forward_report
from analytics.periods import records_per_year_days
from analytics.record_forward import RecordForwardReport, is_comeback, record_forward_report
from analytics.records import RecordSummary, record_summary_days
from analytics.returns import DayArray, FloatArray, as_date
from analytics.streaks import (
    Milestone,
    Streak,
    StreakReport,
    as_of_position,
    close_calls,
    session_returns,
    streak_milestones,
    streak_report,
)
from bot.domain.dates import fmt_date
from bot.domain.errors import UserError
from bot.domain.symbols import is_adjusted
from bot.services.market import Market, NoDataError


@dataclass(frozen=True)
class Freshness:
    """How the data's last session compares with the last completed NYSE session."""

    data_as_of: date
    expected: date | None

    @property
    def stale(self) -> bool:
        return self.expected is not None and self.data_as_of < self.expected


def freshness_of(market: Market, symbols: list[str], now: datetime | None) -> Freshness:
    """The data's last common session against the last completed NYSE session at ``now``."""
    last = min(market.last_date(s) for s in symbols)
    expected = market.expected_session(now) if now is not None else None
    return Freshness(last, expected)


# --------------------------------------------------------------------------- streaks
PHOTO_FINISH = 0.00005  # 0.5 basis points: a margin (or a move) below it shows as 0.00%


@dataclass(frozen=True)
class StreakAnswer:
    """A streak question answered: A vs B, or one symbol's up/down days (``b is None``).

    ``milestones``: the next thresholds of the streak (see
    :func:`analytics.streaks.streak_milestones`). ``session``: ``(r_A, r_B)`` on the as-of
    session (``r_B`` ``None`` for one symbol; NaN at a gap). ``since_sessions_back``:
    sessions from the end of the "longest since" comparison to the as-of session.
    ``followed``: for a pair, what followed the earlier streaks as long as this one
    (:func:`analytics.forward.forward_report`).
    """

    a: str
    b: str | None
    report: StreakReport
    freshness: Freshness
    source: str  # a bot.domain.provenance.Origin value; footers put it in words
    milestones: tuple[Milestone, ...] = ()
    session: tuple[float, float | None] | None = None
    since_sessions_back: int | None = None
    followed: ForwardReport | None = None
    close_calls: int = 0  # sessions of the current streak decided by under PHOTO_FINISH

    @property
    def margin(self) -> float | None:
        """``r_A - r_B`` on the as-of session (``r_A`` against 0 for one symbol), or None."""
        if self.session is None:
            return None
        ra, rb = self.session
        m = ra - (rb if rb is not None else 0.0)
        return None if math.isnan(m) else m  # NaN: a gap

    @property
    def photo_finish(self) -> bool:
        """The as-of session was decided by less than :data:`PHOTO_FINISH` (not a tie)."""
        m = self.margin
        return m is not None and 0.0 < abs(m) < PHOTO_FINISH

    @property
    def leader(self) -> str | None:
        if self.report.current is None:
            return None
        if self.b is None:
            return self.a
        return self.a if self.report.current.sign > 0 else self.b

    @property
    def laggard(self) -> str | None:
        if self.report.current is None or self.b is None:
            return None
        return self.b if self.report.current.sign > 0 else self.a

    def oriented(self, s: Streak) -> tuple[float, float | None]:
        """(leader's return, laggard's return) over a streak (laggard ``None`` for one symbol)."""
        if self.b is None or s.sign > 0:
            return s.return_a, s.return_b
        return s.return_b, s.return_a  # type: ignore[return-value]


def streak_answer(
    market: Market,
    a_text: str,
    b_text: str | None = None,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> StreakAnswer:
    """Answer "who has led, and for how long" for A vs B (or A's up/down days).

    Raises
    ------
    UserError
        For an unknown symbol, the same symbol twice or a date outside the data.
    """
    a = market.resolve(a_text)
    b = market.resolve(b_text) if b_text is not None else None
    if b == a:
        raise UserError(f"Both symbols resolve to {a}: name two different ones, e.g. RUT SPX.")
    try:
        frame = market.aligned(a, b)
        report = streak_report(frame, as_of)
        milestones = streak_milestones(frame, as_of)
        session = session_returns(frame, as_of)
        followed = None if b is None else forward_report(frame, as_of, report=report)
        back = None
        if report.longest_since is not None:
            pos = as_of_position(frame.dates, as_of)
            back = pos - as_of_position(frame.dates, report.longest_since.end)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(sentence(exc)) from None
    symbols = [a] + ([b] if b else [])
    fresh = freshness_of(market, symbols, None if as_of else now)
    calls = close_calls(frame, as_of, report.current.length, PHOTO_FINISH) if report.current else 0
    return StreakAnswer(a, b, report, fresh, market.origin, milestones, session, back, followed, calls)


def sentence(exc: Exception) -> str:
    """An error's message as one sentence fit to show."""
    msg = str(exc)
    msg = msg[0].upper() + msg[1:] if msg else "That cannot be answered."
    return msg if msg.endswith(".") else msg + "."


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class RecordPace:
    """The year's record count against the year so far: ``projected = count * sessions_in_year
    / sessions_so_far`` (the count if the rest of the year set records at the same rate), and
    the best full years of the data before it, most records first (earlier on ties)."""

    count: int
    sessions_so_far: int
    sessions_in_year: int
    projected: float
    best: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class RecordsAnswer:
    """Record-close facts for one symbol as of one session."""

    symbol: str
    summary: RecordSummary
    freshness: Freshness
    source: str  # a bot.domain.provenance.Origin value; footers put it in words
    pace: RecordPace | None = None  # the as-of year still running, with records in it
    # The as-of close is a first record in a long time: the earlier ones and what followed
    # (analytics.record_forward).
    followed: RecordForwardReport | None = None


def refuse_adjusted_records(symbol: str) -> None:
    """Refuse price-record claims for a dividend-adjusted ETF (its closes are not traded prices).

    Raises
    ------
    UserError
        When ``symbol`` is a dividend-adjusted series.
    """
    if is_adjusted(symbol):
        raise UserError(
            f"{symbol} closes in the data are dividend-adjusted, so price records would be wrong. "
            "Ask about an index instead, e.g. SPX, RUT, NDX, COMP or DJIA."
        )


def records_answer(
    market: Market,
    symbol_text: str,
    *,
    year: int | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
) -> RecordsAnswer:
    """Answer "is X at a record, how many this year, how far below" for one symbol.

    Raises
    ------
    UserError
        For an unknown symbol, an adjusted ETF (its closes are not traded prices) or a
        year or date outside the data.
    """
    sym = market.resolve(symbol_text)
    refuse_adjusted_records(sym)
    try:
        days, closes = market.close_days(sym)
        first = as_date(days[0])
        if year is not None and year < first.year:
            raise UserError(f"{year} is before the data for {sym} starts ({fmt_date(first)}).")
        summary = record_summary_days(days, closes, as_of, year)
        followed = None
        if is_comeback(summary):
            followed = record_forward_report(days, closes, summary.as_of.date())
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(sentence(exc)) from None
    if year is not None and year > summary.as_of.year:
        if as_of is not None:
            raise UserError(f"{year} is after the as-of date ({fmt_date(summary.as_of)}).")
        raise UserError(
            f"The data for {sym} ends on {fmt_date(summary.as_of)}: it has no sessions in {year} yet."
        )
    fresh = freshness_of(market, [sym], None if as_of else now)
    pace = record_pace(market, days, closes, summary)
    return RecordsAnswer(sym, summary, fresh, market.origin, pace, followed)


def record_pace(market: Market, days: DayArray, closes: FloatArray, summary: RecordSummary) -> RecordPace | None:
    """The pace of the as-of year's records, when that year is still running and has some."""
    end = summary.as_of.date()
    if summary.year != end.year or summary.count == 0:
        return None
    in_year = market.session_count(date(end.year, 1, 1), date(end.year, 12, 31))
    so_far = market.session_count(date(end.year, 1, 1), end)
    if not in_year or not so_far or so_far >= in_year:
        return None
    pos = int(np.searchsorted(days, np.datetime64(f"{end.year}-01-01", "D")))
    years, counts = records_per_year_days(days[:pos], closes[:pos])
    first_full = as_date(days[0]).year + (0 if as_date(days[0]) <= date(as_date(days[0]).year, 1, 7) else 1)
    full = [(int(y), int(c)) for y, c in zip(years, counts, strict=True) if y >= first_full]
    best = tuple(sorted(full, key=lambda yc: (-yc[1], yc[0]))[:3])
    return RecordPace(summary.count, so_far, in_year, summary.count * in_year / so_far, best)
