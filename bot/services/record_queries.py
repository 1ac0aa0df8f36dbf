"""Record-close questions beyond "is it at a record": records in a period (first, last, Nth,
through a month), the record before or after a date, sessions since the last record, and
the years ranked by record count.

Definitions (README, "Record close"): a record close is strictly above every earlier close
of the series' full history in the data, whatever the period asked about; the first close
of the data is the baseline. "Sessions since" counts the series' rows after the record up
to the as-of session. Dividend-adjusted ETFs are refused: their closes are not traded
prices. Years are those with a session in the data (the first and the as-of year may be
partial, which the answer says).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import numpy as np

from analytics.errors import AnalyticsError
from analytics.periods import period_bounds, records_per_year_days
from analytics.records import record_mask
from analytics.returns import DayArray, FloatArray, as_date
from bot.domain.dates import fmt_date
from bot.domain.errors import UserError
from bot.services.answers import Freshness, refuse_adjusted_records
from bot.services.market import Market, NoDataError
from bot.services.spans import freshness

__all__ = [
    "RecordMark",
    "RecordYears",
    "RecordsInPeriod",
    "SinceLastRecord",
    "Which",
    "record_after",
    "record_before",
    "record_years",
    "records_in_period",
    "records_through_month",
    "sessions_since_record",
]

Which = Literal["all", "first", "last"] | int  # an int n: the nth record of the period (1-based)
Scope = Literal["period", "before", "after", "through_month"]


@dataclass(frozen=True)
class RecordMark:
    """One record close."""

    date: date
    close: float


@dataclass(frozen=True)
class RecordsInPeriod:
    """The record closes of one symbol dated in ``[first, last]`` (sessions of the data).

    Attributes
    ----------
    start, end : date
        The period as asked (``end`` may be after the data: ``last`` is then the last session).
    first, last : date
        The first and last sessions of the data inside the period.
    records : tuple of RecordMark
        Every record close in the period, in date order.
    which : "all", "first", "last" or int
        What was asked; :attr:`chosen` is that record (``None``: there are not enough).
    data_start, data_end : date
        The series' first and last sessions.
    scope : "period", "before", "after" or "through_month"
        How the period was asked: ``before``/``after`` a date (``anchor``), or Jan 1
        through the end of a month.
    """

    symbol: str
    start: date
    end: date
    first: date
    last: date
    records: tuple[RecordMark, ...]
    which: Which
    scope: Scope
    anchor: date | None
    data_start: date
    data_end: date
    open_end: bool  # the period runs past the data (or has no end): counts are "so far"
    freshness: Freshness
    source: str

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def chosen(self) -> RecordMark | None:
        if not self.records or self.which == "all":
            return None
        if self.which == "first":
            return self.records[0]
        if self.which == "last":
            return self.records[-1]
        n = int(self.which)
        return self.records[n - 1] if 1 <= n <= len(self.records) else None



def _closes(market: Market, text: str) -> tuple[str, DayArray, FloatArray]:
    sym = market.resolve(text)
    refuse_adjusted_records(sym)
    try:
        days, closes = market.close_days(sym)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(str(exc)) from None
    return sym, days, closes


def records_in_period(
    market: Market,
    text: str,
    start: date | None,
    end: date | None,
    *,
    which: Which = "all",
    scope: Scope = "period",
    anchor: date | None = None,
    now: datetime | None = None,
) -> RecordsInPeriod:
    """Record closes of ``text``'s symbol dated in ``[start, end]`` (None: the data's ends).

    Raises
    ------
    UserError
        For an unknown symbol, an adjusted ETF, an ``n`` below 1, or a period outside the data.
    """
    if isinstance(which, int) and which < 1:
        raise UserError(f"There is no record number {which}: count from 1.")
    sym, days, closes = _closes(market, text)
    data_start, data_end = as_date(days[0]), as_date(days[-1])
    lo = data_start if start is None else start
    hi = data_end if end is None else end
    if hi < data_start:
        raise UserError(f"{fmt_date(hi)} is before the data for {sym} starts ({fmt_date(data_start)}).")
    if lo > data_end:
        raise UserError(f"{fmt_date(lo)} is after the last close in the data for {sym} ({fmt_date(data_end)}).")
    b = period_bounds(days, lo, hi)
    if b.empty:
        raise UserError(f"There is no session between {fmt_date(lo)} and {fmt_date(hi)} in the data for {sym}.")
    mask = record_mask(np.asarray(closes, dtype=np.float64))
    pos = np.flatnonzero(mask[b.first : b.last + 1]) + b.first
    marks = tuple(RecordMark(as_date(days[p]), float(closes[p])) for p in pos)
    fresh = freshness(market, [sym], end is not None and end <= data_end, now)
    return RecordsInPeriod(
        sym, lo, hi, as_date(days[b.first]), as_date(days[b.last]), marks, which, scope, anchor,
        data_start, data_end, end is None or end > data_end, fresh, market.origin,
    )


def record_before(market: Market, text: str, day: date, *, now: datetime | None = None) -> RecordsInPeriod:
    """The last record close strictly before ``day``."""
    return records_in_period(
        market, text, None, day - timedelta(days=1), which="last", scope="before", anchor=day, now=now
    )


def record_after(
    market: Market, text: str, day: date, *, which: Which = "first", now: datetime | None = None
) -> RecordsInPeriod:
    """The first (or ``which``) record close strictly after ``day``."""
    return records_in_period(
        market, text, day + timedelta(days=1), None, which=which, scope="after", anchor=day, now=now
    )


def records_through_month(
    market: Market, text: str, year: int, month: int, *, now: datetime | None = None
) -> RecordsInPeriod:
    """Record closes from Jan 1 through the end of ``month`` of ``year``."""
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return records_in_period(
        market, text, date(year, 1, 1), nxt - timedelta(days=1), scope="through_month", now=now
    )


@dataclass(frozen=True)
class SinceLastRecord:
    """Sessions since the latest record close on or before ``as_of``, and the one before it.

    ``last`` is ``None`` when the data has no record up to ``as_of``. ``sessions_since``
    counts the series' sessions after ``last`` up to ``as_of`` (0: ``as_of`` is a record).
    ``gap`` is the number of sessions from ``previous`` to ``last``.
    """

    symbol: str
    as_of: date
    close: float
    last: RecordMark | None
    sessions_since: int | None
    previous: RecordMark | None
    gap: int | None
    data_start: date
    freshness: Freshness
    source: str


def sessions_since_record(
    market: Market, text: str, *, as_of: date | None = None, now: datetime | None = None
) -> SinceLastRecord:
    """Sessions since the last record close (as of the last session on or before ``as_of``)."""
    sym, days, closes = _closes(market, text)
    data_start = as_date(days[0])
    if as_of is not None and as_of < data_start:
        raise UserError(f"{fmt_date(as_of)} is before the data for {sym} starts ({fmt_date(data_start)}).")
    pos = days.size - 1 if as_of is None else int(np.searchsorted(days, np.datetime64(as_of.isoformat(), "D"), "right")) - 1
    mask = record_mask(np.asarray(closes[: pos + 1], dtype=np.float64))
    rec = np.flatnonzero(mask)

    def mark(p: int) -> RecordMark:
        return RecordMark(as_date(days[p]), float(closes[p]))

    last = mark(int(rec[-1])) if rec.size else None
    prev = mark(int(rec[-2])) if rec.size >= 2 else None
    fresh = freshness(market, [sym], as_of is not None, now)
    return SinceLastRecord(
        sym, as_date(days[pos]), float(closes[pos]), last,
        pos - int(rec[-1]) if rec.size else None, prev,
        int(rec[-1] - rec[-2]) if rec.size >= 2 else None, data_start, fresh, market.origin,
    )


@dataclass(frozen=True)
class RecordYears:
    """Record closes per calendar year of the data, up to the as-of session.

    ``per_year`` holds every year with a session, ascending. ``first_partial`` / ``last_partial``
    say the first year starts after Jan 1 (its first close is the baseline) and the
    as-of year is not over in the data.
    """

    symbol: str
    as_of: date
    data_start: date
    per_year: tuple[tuple[int, int], ...]
    first_partial: bool
    last_partial: bool
    freshness: Freshness
    source: str

    def best(self, n: int = 5) -> tuple[tuple[int, int], ...]:
        """The ``n`` years with the most records (most first, the earlier year on ties)."""
        return tuple(sorted(self.per_year, key=lambda yc: (-yc[1], yc[0]))[:n])

    @property
    def fewest(self) -> int:
        return min(c for _, c in self.per_year)

    @property
    def worst(self) -> tuple[int, ...]:
        """Every year with the fewest records, ascending."""
        low = self.fewest
        return tuple(y for y, c in self.per_year if c == low)


def record_years(
    market: Market, text: str, *, as_of: date | None = None, now: datetime | None = None
) -> RecordYears:
    """Record closes per year of the data, for the best and worst years."""
    sym, days, closes = _closes(market, text)
    data_start = as_date(days[0])
    if as_of is not None and as_of < data_start:
        raise UserError(f"{fmt_date(as_of)} is before the data for {sym} starts ({fmt_date(data_start)}).")
    pos = days.size - 1 if as_of is None else int(np.searchsorted(days, np.datetime64(as_of.isoformat(), "D"), "right")) - 1
    years, counts = records_per_year_days(days[: pos + 1], closes[: pos + 1])
    end = as_date(days[pos])
    # The as-of year is over when the series' next session is in a later year (at the end
    # of the data: only when it ends on Dec 31).
    if pos < days.size - 1:
        last_partial = as_date(days[pos + 1]).year == end.year
    else:
        last_partial = end != date(end.year, 12, 31)
    # The first year is partial when the data starts after its first week.
    first_partial = data_start > date(data_start.year, 1, 7)
    fresh = freshness(market, [sym], as_of is not None, now)
    return RecordYears(
        sym, end, data_start,
        tuple((int(y), int(c)) for y, c in zip(years, counts, strict=True)),
        first_partial, last_partial, fresh, market.origin,
    )
