"""Answers to ``streak`` and ``records`` questions: computed once, rendered anywhere.

Each ``*_answer`` function resolves symbols, runs the analytics and returns a frozen
answer object; ``to_json`` and ``text`` render it. The CLI, Slack and plain-word
questions all go through here, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from analytics.errors import AnalyticsError
from analytics.records import RecordSummary, record_summary_days
from analytics.returns import as_date
from analytics.streaks import Streak, StreakReport, streak_report
from bot.domain.provenance import source_words
from bot.domain.symbols import UnknownSymbolError, display_name, is_adjusted
from bot.render.format import (
    compact_dates,
    fmt_date,
    fmt_level,
    fmt_month,
    fmt_pct,
    fmt_pct_unsigned,
    fmt_range,
    ordinal_word,
    plural,
)
from bot.services.market import Market, NoDataError


class InputError(ValueError):
    """Something the user asked for cannot be answered; the message says why."""


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` -> date, or :class:`InputError` with the expected format."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-01-22.") from None


@dataclass(frozen=True)
class Freshness:
    """How the data's last session compares with the last completed NYSE session."""

    data_as_of: date
    expected: date | None

    @property
    def stale(self) -> bool:
        return self.expected is not None and self.data_as_of < self.expected

    def note(self) -> str | None:
        if not self.stale:
            return None
        return (
            f"Data as of {fmt_date(self.data_as_of)}: the latest NYSE session "
            f"({fmt_date(self.expected)}) is not in the data yet."  # type: ignore[arg-type]
        )


def _freshness(market: Market, symbols: list[str], now: datetime | None) -> Freshness:
    last = min(market.last_date(s) for s in symbols)
    expected = market.expected_session(now) if now is not None else None
    return Freshness(last, expected)


def _resolve(market: Market, text: str) -> str:
    try:
        return market.resolve(text)
    except UnknownSymbolError as exc:
        raise InputError(str(exc)) from None


def _label(sym: str) -> str:
    name = display_name(sym)
    return name if name == sym else f"{name} ({sym})"


# --------------------------------------------------------------------------- streaks
@dataclass(frozen=True)
class StreakAnswer:
    """A streak question answered: A vs B, or one symbol's up/down days (``b is None``)."""

    a: str
    b: str | None
    report: StreakReport
    freshness: Freshness
    source: str  # a bot.domain.provenance.Origin value; footers put it in words

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

    # -- JSON ----------------------------------------------------------------------
    def _span(self, s: Streak | None) -> dict[str, Any] | None:
        if s is None:
            return None
        return {"start": s.start.date().isoformat(), "end": s.end.date().isoformat(), "length": s.length}

    def _oriented(self, s: Streak) -> tuple[float, float | None]:
        """(leader's return, laggard's return) over a streak."""
        if self.b is None or s.sign > 0:
            return s.return_a, s.return_b
        return s.return_b, s.return_a  # type: ignore[return-value]

    def to_json(self) -> dict[str, Any]:
        r = self.report
        cur = r.current
        lead_ret, lag_ret = self._oriented(cur) if cur else (None, None)
        out: dict[str, Any] = {
            "kind": "pair" if self.b is not None else "single",
            "symbols": [self.a] + ([self.b] if self.b else []),
            "status": r.status,
            "leader": self.leader,
            "laggard": self.laggard,
            "length": cur.length if cur else 0,
            "start": cur.start.date().isoformat() if cur else None,
            "end": cur.end.date().isoformat() if cur else None,
            "as_of": r.as_of.date().isoformat(),
            "leader_return": lead_ret,
            "laggard_return": lag_ret,
            "longest_since": self._span(r.longest_since),
            "record": self._span(r.record),
            "data_start": r.data_start.date().isoformat(),
            "preceded_by_gap": r.preceded_by_gap,
            "gaps": [d.date().isoformat() for d in r.gaps],
            "data_as_of": self.freshness.data_as_of.isoformat(),
            "stale": self.freshness.stale,
            "source": self.source,
        }
        if self.b is None:
            out["direction"] = None if cur is None else ("up" if cur.sign > 0 else "down")
            out["records"] = {"up": self._span(r.records[1]), "down": self._span(r.records[-1])}
        else:
            out["records"] = {self.a: self._span(r.records[1]), self.b: self._span(r.records[-1])}
        return out

    # -- text ----------------------------------------------------------------------
    def headline(self) -> str:
        return self._single_headline() if self.b is None else self._pair_headline()

    def _since_phrase(self, kind: str = "streak") -> str:
        r = self.report
        cur = r.current
        assert cur is not None
        if cur.length < 2:
            return ""
        s = r.longest_since
        if s is None:
            return f": the longest {kind} in the data, which starts {fmt_date(r.data_start)}"
        return (
            f": the longest {kind} since {fmt_month(s.end)} "
            f"({plural(s.length, 'session')}, {fmt_range(s.start, s.end)})"
        )

    def _pair_headline(self) -> str:
        r = self.report
        assert self.b is not None
        na, nb = display_name(self.a), display_name(self.b)
        if r.current is None:
            day = fmt_date(r.as_of)
            if r.status == "start":
                return f"The data for the {na} and the {nb} starts on {day}: there is no earlier close to compare."
            if r.status == "tie":
                return f"The {na} and the {nb} returned exactly the same on {day}: no streak in progress."
            return (
                f"No comparison of the {na} and the {nb} is possible on {day}: a close is "
                "missing from the data for that session or the one before it."
            )
        cur = r.current
        lead, lag = display_name(self.leader or ""), display_name(self.laggard or "")
        lr, gr = self._oriented(cur)
        assert gr is not None
        if cur.length == 1:
            return f"The {lead} outperformed the {lag} on {fmt_date(cur.end)}, {fmt_pct(lr)} vs {fmt_pct(gr)}."
        return (
            f"The {lead} has outperformed the {lag} for {cur.length} straight sessions "
            f"({fmt_range(cur.start, cur.end)}), {fmt_pct(lr)} vs {fmt_pct(gr)}"
            f"{self._since_phrase()}."
        )

    def _single_headline(self) -> str:
        r = self.report
        name = display_name(self.a)
        if r.current is None:
            day = fmt_date(r.as_of)
            if r.status == "start":
                return f"The data for the {name} starts on {day}: there is no earlier close to compare."
            if r.status == "tie":
                return f"The {name} closed unchanged on {day}: no winning or losing streak in progress."
            return f"The {name} has no close for {day} or the session before it in the data: no streak can be measured."
        cur = r.current
        verb, kind = ("risen", "winning streak") if cur.sign > 0 else ("fallen", "losing streak")
        if cur.length == 1:
            return f"The {name} {'rose' if cur.sign > 0 else 'fell'} on {fmt_date(cur.end)}, {fmt_pct(cur.return_a)}."
        return (
            f"The {name} has {verb} for {cur.length} straight sessions "
            f"({fmt_range(cur.start, cur.end)}), {fmt_pct(cur.return_a)} over the run"
            f"{self._since_phrase(kind)}."
        )

    def record_line(self) -> str | None:
        r = self.report
        if r.current is None or r.record is None:
            return None
        rec = r.record
        if self.b is None:
            kind = "winning" if rec.sign > 0 else "losing"
            who = f"The {display_name(self.a)}'s longest {kind} streak in the data"
        else:
            who = (
                f"The longest streak of the {display_name(self.leader or '')} beating the "
                f"{display_name(self.laggard or '')} in the data"
            )
        if rec.start == r.current.start:
            return f"{who} is this one."
        return f"{who}: {plural(rec.length, 'session')} ({fmt_range(rec.start, rec.end)})."

    def notes(self) -> list[str]:
        out: list[str] = []
        r = self.report
        if r.preceded_by_gap and r.current is not None:
            before = [g for g in r.gaps if g < r.current.start]
            out.append(
                f"This streak starts right after a gap in the data (no comparison possible on "
                f"{fmt_date(before[-1])}: a close is missing), so it may have begun earlier."
            )
        elif len(r.gaps):
            out.append(
                f"{plural(len(r.gaps), 'session')} in the data could not be compared because a "
                f"close is missing (latest: {fmt_date(r.gaps[-1])}); streaks end at gaps, "
                "they are never bridged."
            )
        stale = self.freshness.note()
        if stale:
            out.append(stale)
        return out

    def footer(self) -> str:
        syms = self.a if self.b is None else f"{self.a} vs {self.b}"
        adjusted = [s for s in (self.a, self.b) if s and is_adjusted(s)]
        kind = (
            f"{', '.join(adjusted)} dividend-adjusted (total) returns" if adjusted else "price returns"
        )
        words = source_words(self.source, [s for s in (self.a, self.b) if s])
        return f"{syms} · {kind} · as of the {fmt_date(self.report.as_of)} close · Source: {words}"

    def text(self) -> str:
        lines = [self.headline()]
        rec = self.record_line()
        if rec:
            lines.append(rec)
        lines.extend(self.notes())
        lines.append(self.footer())
        return "\n".join(lines)


def streak_answer(
    market: Market,
    a_text: str,
    b_text: str | None = None,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> StreakAnswer:
    """Answer "who has led, and for how long" for A vs B (or A's up/down days)."""
    a = _resolve(market, a_text)
    b = _resolve(market, b_text) if b_text is not None else None
    if b == a:
        raise InputError(f"Both symbols resolve to {a}: name two different ones, e.g. RUT SPX.")
    try:
        report = streak_report(market.aligned(a, b), as_of)
    except (AnalyticsError, NoDataError) as exc:
        raise InputError(_sentence(exc)) from None
    symbols = [a] + ([b] if b else [])
    fresh = _freshness(market, symbols, None if as_of else now)
    return StreakAnswer(a, b, report, fresh, market.origin)


def _sentence(exc: Exception) -> str:
    msg = str(exc)
    msg = msg[0].upper() + msg[1:] if msg else "That cannot be answered."
    return msg if msg.endswith(".") else msg + "."


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class RecordsAnswer:
    """Record-close facts for one symbol as of one session."""

    symbol: str
    summary: RecordSummary
    freshness: Freshness
    source: str  # a bot.domain.provenance.Origin value; footers put it in words

    def to_json(self) -> dict[str, Any]:
        s = self.summary

        def point(p: Any) -> dict[str, Any] | None:
            return None if p is None else {"date": p.date.date().isoformat(), "close": p.close}

        return {
            "symbol": self.symbol,
            "name": display_name(self.symbol),
            "as_of": s.as_of.date().isoformat(),
            "close": s.close,
            "year": s.year,
            "count": s.count,
            "dates": [d.date().isoformat() for d in s.dates],
            "is_record": s.is_record,
            "nth_of_year": s.nth_of_year,
            "last_record": point(s.last_record),
            "previous_record": point(s.previous_record),
            "sessions_since_last_record": s.last_record.sessions_ago if s.last_record else None,
            "sessions_between_last_two_records": s.gap_sessions,
            "high_water": s.high_water,
            "pct_below_record": s.pct_below_record,
            "data_start": s.data_start.date().isoformat(),
            "data_as_of": self.freshness.data_as_of.isoformat(),
            "stale": self.freshness.stale,
            "source": self.source,
        }

    def headline(self) -> str:
        s = self.summary
        name = display_name(self.symbol)
        day = fmt_date(s.as_of)
        if s.is_record:
            nth = s.nth_of_year or 0
            return (
                f"The {name} closed at a record {fmt_level(s.close)} on {day}: its "
                f"{ordinal_word(nth)} closing record high of {s.as_of.year}."
            )
        if s.last_record is None:
            return (
                f"The {name} closed at {fmt_level(s.close)} on {day} and has not set a record "
                f"close since the data starts ({fmt_date(s.data_start)})."
            )
        lr = s.last_record
        return (
            f"The {name} closed at {fmt_level(s.close)} on {day}, "
            f"{fmt_pct_unsigned(s.pct_below_record)} below its record close of "
            f"{fmt_level(lr.close)} ({fmt_date(lr.date)}, {plural(lr.sessions_ago, 'session')} ago)."
        )

    def previous_line(self) -> str | None:
        s = self.summary
        if s.last_record is None or s.previous_record is None:
            return None
        p = s.previous_record
        which = "This record" if s.is_record else f"That record ({fmt_date(s.last_record.date)})"
        return (
            f"{which} came {plural(s.gap_sessions or 0, 'session')} after the previous one, "
            f"{fmt_level(p.close)} on {fmt_date(p.date)}."
        )

    def year_line(self) -> str:
        s = self.summary
        partial = " so far" if s.year == s.as_of.year else ""
        count = plural(s.count, "record close")
        if s.count == 0:
            return f"{s.year}{partial}: no record closes."
        return f"{s.year}{partial}: {count} ({compact_dates(s.dates)})."

    def footer(self) -> str:
        return (
            f"{self.symbol} · closing prices · as of the {fmt_date(self.summary.as_of)} close "
            f"· Source: {source_words(self.source, [self.symbol])}"
        )

    def notes(self) -> list[str]:
        note = self.freshness.note()
        return [note] if note else []

    def text(self) -> str:
        lines = [self.headline()]
        prev = self.previous_line()
        if prev:
            lines.append(prev)
        lines.append(self.year_line())
        lines.extend(self.notes())
        lines.append(self.footer())
        return "\n".join(lines)


def records_answer(
    market: Market,
    symbol_text: str,
    *,
    year: int | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
) -> RecordsAnswer:
    """Answer "is X at a record, how many this year, how far below" for one symbol."""
    sym = _resolve(market, symbol_text)
    if is_adjusted(sym):
        raise InputError(
            f"{sym} closes in the data are dividend-adjusted, so price records would be wrong. "
            "Ask about an index instead, e.g. SPX, RUT, NDX, COMP or DJIA."
        )
    try:
        days, closes = market.close_days(sym)
        first = as_date(days[0])
        if year is not None and year < first.year:
            raise InputError(f"{year} is before the data for {sym} starts ({fmt_date(first)}).")
        summary = record_summary_days(days, closes, as_of, year)
    except (AnalyticsError, NoDataError) as exc:
        raise InputError(_sentence(exc)) from None
    if year is not None and year > summary.as_of.year:
        if as_of is not None:
            raise InputError(f"{year} is after the as-of date ({fmt_date(summary.as_of)}).")
        raise InputError(
            f"The data for {sym} ends on {fmt_date(summary.as_of)}: it has no sessions in {year} yet."
        )
    fresh = _freshness(market, [sym], None if as_of else now)
    return RecordsAnswer(sym, summary, fresh, market.origin)
