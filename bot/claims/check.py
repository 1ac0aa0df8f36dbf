"""Give each claim a verdict from the data, with the analytics and use cases the bot has.

See :mod:`bot.claims.model` for the counting and rounding conventions. A claim the data
cannot settle (a name not in the data, a day outside it, a phrase that does not say which
streak it is about) is ``unverifiable`` with the reason; nothing here raises for any text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

from analytics.errors import AnalyticsError
from analytics.returns import as_date
from analytics.runs import find_runs
from analytics.streaks import as_of_position
from bot.claims.extract import extract
from bot.claims.model import CheckResult, Claim, Evidence, Verdict
from bot.domain.errors import UserError
from bot.domain.symbols import UnknownSymbolError, is_adjusted
from bot.services.answers import StreakAnswer, records_answer, streak_answer
from bot.services.day_move import NotASession, day_move
from bot.services.market import Market, NoDataError
from bot.services.performance import ytd_return

__all__ = ["as_of_for", "check_claim", "check_text"]


def as_of_for(market: Market, as_of: date | None) -> date:
    """The reference day: ``as_of``, else the S&P 500's last session in the data."""
    if as_of is not None:
        return as_of
    for sym in ("^GSPC", *market.available()):
        try:
            return market.last_date(sym)
        except NoDataError:
            continue
    return date.today()


def check_text(market: Market, text: str, as_of: date | None = None) -> CheckResult:
    """Extract and check every claim of ``text`` as of ``as_of`` (see :func:`as_of_for`)."""
    last = as_of_for(market, None)
    ref = as_of or last
    claims = extract(text, ref, market.available())
    return CheckResult(ref, tuple(check_claim(market, c) for c in claims), market.origin, last)


def check_claim(market: Market, claim: Claim) -> Verdict:
    """One claim's verdict; a refusal of the data becomes ``unverifiable``, never an error."""
    if claim.unresolved is not None:
        return Verdict(claim, "unverifiable", claim.number, None, why="unknown_symbol")
    if not claim.symbols:
        return Verdict(claim, "unverifiable", claim.number, None, why="ambiguous")
    try:
        return _CHECKS[claim.kind](market, claim)
    except UnknownSymbolError as exc:
        return Verdict(claim, "unverifiable", claim.number, None, why="unknown_symbol", detail=str(exc))
    except (UserError, AnalyticsError, NoDataError) as exc:
        return Verdict(claim, "unverifiable", claim.number, None, why="outside_data", detail=_line(exc))


def _line(exc: Exception) -> str:
    msg = str(exc).strip() or "That cannot be checked."
    msg = msg[0].upper() + msg[1:]
    return msg if msg.endswith(".") else msg + "."


def rounds_to(actual: float, stated: str) -> bool:
    """``actual`` rounded half-up to ``stated``'s decimals equals ``stated``."""
    try:
        want = Decimal(stated)
    except InvalidOperation:
        return False
    places = Decimal(1).scaleb(want.as_tuple().exponent)  # type: ignore[arg-type]
    return Decimal(repr(actual)).quantize(places, rounding=ROUND_HALF_UP) == want


def _int(claim: Claim) -> int:
    return int(claim.number or 0)


def _session_of(market: Market, sym: str, day: date) -> date:
    """The last session of ``sym`` on or before ``day`` (a day past the data is refused)."""
    days = market.close_days(sym)[0]
    last = as_date(days[-1])
    if day > last:
        raise UserError(f"The data for {sym} ends on {last:%b %-d, %Y}: {day:%b %-d, %Y} is not in it yet.")
    return as_date(days[as_of_position(days, day)])


def _verdict(claim: Claim, ok: bool, stated: float | int | str | None, actual: float | int | str | None,
             ev: Evidence, accepted: tuple[float | int | str, ...] = ()) -> Verdict:
    return Verdict(claim, "true" if ok else "false", stated, actual, ev, accepted=accepted)


# --------------------------------------------------------------------------- streaks
def _streak_of(market: Market, claim: Claim) -> StreakAnswer:
    b = claim.symbols[1] if len(claim.symbols) > 1 else None
    return streak_answer(market, claim.symbols[0], b, as_of=claim.session)


def _streak_evidence(ans: StreakAnswer) -> Evidence:
    cur = ans.report.current
    syms = (ans.a,) if ans.b is None else (ans.a, ans.b)
    if cur is None:
        return Evidence(syms, session=ans.report.as_of.date())
    ra, rb = cur.return_a, cur.return_b
    return Evidence(syms, session=ans.report.as_of.date(), start=cur.start.date(), end=cur.end.date(),
                    length=cur.length, return_a=ra, return_b=rb, data_start=ans.report.data_start.date())


def _leading(ans: StreakAnswer, claim: Claim) -> bool:
    """The current streak is the claimed one: A leads B (pair) or the stated direction (one)."""
    cur = ans.report.current
    if cur is None:
        return False
    return cur.sign == (1 if ans.b is not None else claim.sign)


def _check_streak(market: Market, claim: Claim) -> Verdict:
    ans = _streak_of(market, claim)
    ev = _streak_evidence(ans)
    cur = ans.report.current
    length = cur.length if cur is not None else 0
    if not _leading(ans, claim):
        return _verdict(claim, False, claim.number, -length if cur else 0, ev)
    if claim.every_session_of_year:
        year_start = date(ans.report.as_of.year, 1, 1)
        assert cur is not None
        ok = cur.start.date() <= _first_session(market, claim.symbols[0], year_start)
        return _verdict(claim, ok, "every session this year", length, ev)
    return _verdict(claim, length == _int(claim), _int(claim), length, ev)


def _first_session(market: Market, sym: str, day: date) -> date:
    days = market.close_days(sym)[0]
    pos = int(np.searchsorted(days, np.datetime64(day.isoformat(), "D")))
    return as_date(days[min(pos, days.size - 1)])


def _runs_before(market: Market, claim: Claim, ans: StreakAnswer) -> tuple[list[tuple[date, date, int]], int]:
    """Earlier runs with the current streak's sign as (start, end, length), and its length."""
    b = claim.symbols[1] if len(claim.symbols) > 1 else None
    al = market.aligned(claim.symbols[0], b)
    pos = as_of_position(al.dates, claim.session)
    runs = find_runs(al.signs[: pos + 1])
    cur = ans.report.current
    assert cur is not None
    out = []
    for i in np.flatnonzero(runs.sign == cur.sign):
        s, e = int(runs.start[i]), int(runs.end[i])
        if e < pos - cur.length + 1:
            out.append((as_date(al.dates[s]), as_date(al.dates[e]), e - s + 1))
    return out, cur.length


def _check_longest_since(market: Market, claim: Claim) -> Verdict:
    ans = _streak_of(market, claim)
    ev = _streak_evidence(ans)
    if not _leading(ans, claim):
        return _verdict(claim, False, _since_stated(claim), None, ev)
    since = ans.report.longest_since
    if since is not None:
        ev = _with_other(ev, since.start.date(), since.end.date(), since.length)
    if claim.in_years:
        if since is None:
            return _verdict(claim, False, _int(claim), None, ev)
        years = (ans.report.as_of - since.end).days / 365.25
        ok = _int(claim) in (int(years), round(years))
        return _verdict(claim, ok, _int(claim), round(years, 1), ev)
    if since is None:
        start = ans.report.data_start.date()
        if claim.year is not None and claim.year < start.year:  # the data cannot go back that far
            return Verdict(claim, "unverifiable", _since_stated(claim), None, ev, why="outside_data",
                           detail=f"The data for {' vs '.join(ev.symbols)} starts on {start:%b %-d, %Y}: "
                           f"it is the longest streak in the data, which cannot say whether it is the longest since {claim.year}.")
        return _verdict(claim, False, _since_stated(claim), None, ev)
    end = since.end.date()
    ok = end.year == claim.year and (claim.month is None or end.month == claim.month)
    actual = f"{end:%Y-%m}" if claim.month is not None else end.year
    return _verdict(claim, ok, _since_stated(claim), actual, ev)


def _since_stated(claim: Claim) -> str | int | None:
    if claim.year is None:
        return None
    return f"{claim.year}-{claim.month:02d}" if claim.month is not None else claim.year


def _with_other(ev: Evidence, start: date, end: date, length: int) -> Evidence:
    return Evidence(ev.symbols, ev.session, ev.start, ev.end, ev.length, ev.return_a, ev.return_b,
                    other_start=start, other_end=end, other_length=length, data_start=ev.data_start)


def _check_rank(market: Market, claim: Claim) -> Verdict:
    ans = _streak_of(market, claim)
    ev = _streak_evidence(ans)
    if not _leading(ans, claim):
        return _verdict(claim, False, _int(claim), None, ev)
    runs, length = _runs_before(market, claim, ans)
    longer = sorted((r for r in runs if r[2] > length), key=lambda r: -r[2])
    ties = [r for r in runs if r[2] == length]
    rank = 1 + len(longer)
    accepted = tuple(range(rank, rank + len(ties) + 1))  # a tie may be counted either side
    if longer:
        ev = _with_other(ev, *longer[0])
    return _verdict(claim, _int(claim) in accepted, _int(claim), rank, ev, accepted)


def _check_record_streak(market: Market, claim: Claim) -> Verdict:
    ans = _streak_of(market, claim)
    ev = _streak_evidence(ans)
    if not _leading(ans, claim):
        return _verdict(claim, False, _int(claim), None, ev)
    runs, _ = _runs_before(market, claim, ans)
    if not runs:
        return Verdict(claim, "unverifiable", _int(claim), None, ev, why="ambiguous")
    best = max(runs, key=lambda r: r[2])  # max: the earliest on ties
    start, end, length = best
    ev = _with_other(ev, start, end, length)
    ok = length == _int(claim)
    if claim.year is not None:
        ok = ok and end.year == claim.year and (claim.month is None or end.month == claim.month)
    return _verdict(claim, ok, _int(claim), length, ev)


# --------------------------------------------------------------------------- records
def _records(market: Market, claim: Claim, year: int | None = None, on: date | None = None):  # type: ignore[no-untyped-def]
    sym = claim.symbols[0]
    if is_adjusted(sym):
        raise UserError(f"{sym} closes in the data are dividend-adjusted: price records cannot be checked.")
    day = _session_of(market, sym, on or claim.session)
    return records_answer(market, sym, year=year, as_of=day).summary


def _record_evidence(claim: Claim, s) -> Evidence:  # type: ignore[no-untyped-def]
    prev, last = s.previous_record, s.last_record
    return Evidence(
        (claim.symbols[0],), session=s.as_of.date(), close=s.close,
        record_dates=tuple(d.date() for d in s.dates[-5:]),
        start=prev.date.date() if prev else None, end=last.date.date() if last else None,
        length=s.gap_sessions, previous_close=prev.close if prev else None,
    )


def _check_record_close(market: Market, claim: Claim) -> Verdict:
    s = _records(market, claim)
    return _verdict(claim, s.is_record, True, s.is_record, _record_evidence(claim, s))


def _check_nth_record(market: Market, claim: Claim) -> Verdict:
    s = _records(market, claim)
    ev = _record_evidence(claim, s)
    if claim.year != s.as_of.year:
        return _verdict(claim, False, _int(claim), None, ev)
    actual = s.nth_of_year if s.is_record else None
    return _verdict(claim, actual == _int(claim), _int(claim), actual, ev)


def _check_count(market: Market, claim: Claim) -> Verdict:
    year = claim.year or claim.session.year
    on = min(claim.session, date(year, 12, 31))
    sym = claim.symbols[0]
    last = market.last_date(sym)
    if on > last and year < last.year + 1:
        on = last
    s = _records(market, claim, year=year, on=on)
    ev = Evidence((sym,), session=s.as_of.date(), record_dates=tuple(d.date() for d in s.dates),
                  close=s.close)
    return _verdict(claim, s.count == _int(claim), _int(claim), s.count, ev)


def _check_first_since(market: Market, claim: Claim) -> Verdict:
    s = _records(market, claim)
    ev = _record_evidence(claim, s)
    if not s.is_record or s.previous_record is None:
        return _verdict(claim, False, _since_stated(claim), None, ev)
    prev = s.previous_record.date.date()
    ok = prev.year == claim.year and (claim.month is None or prev.month == claim.month)
    actual = f"{prev:%Y-%m}" if claim.month is not None else prev.year
    return _verdict(claim, ok, _since_stated(claim), actual, ev)


def _check_without(market: Market, claim: Claim) -> Verdict:
    s = _records(market, claim)
    ev = _record_evidence(claim, s)
    if s.gap_sessions is None:
        return _verdict(claim, False, _int(claim), None, ev)
    between, after = s.gap_sessions - 1, s.gap_sessions
    ok = _int(claim) in (between, after)
    return _verdict(claim, ok, _int(claim), between, ev, accepted=(between, after))


# --------------------------------------------------------------------------- moves
def _move(market: Market, claim: Claim):  # type: ignore[no-untyped-def]
    sym = claim.symbols[0]
    day = _session_of(market, sym, claim.session)
    mv = day_move(market, sym, day)
    if isinstance(mv, NotASession):  # never: day is a session of the series
        raise UserError(f"{day:%b %-d, %Y} is not a session.")
    return mv


def _move_evidence(mv) -> Evidence:  # type: ignore[no-untyped-def]
    return Evidence((mv.symbol,), session=mv.session, close=mv.close, previous_session=mv.previous_session,
                    previous_close=mv.previous_close, change=mv.change)


def _check_pct(market: Market, claim: Claim) -> Verdict:
    mv = _move(market, claim)
    if mv.change is None:
        return Verdict(claim, "unverifiable", claim.value, None, _move_evidence(mv), why="outside_data")
    ok = (mv.change > 0) == (claim.sign > 0) and rounds_to(abs(mv.change) * 100, claim.number or "")
    return _verdict(claim, ok, claim.sign * (claim.value or 0.0), round(mv.change * 100, 4), _move_evidence(mv))


def _check_points(market: Market, claim: Claim) -> Verdict:
    mv = _move(market, claim)
    if mv.points is None:
        return Verdict(claim, "unverifiable", claim.value, None, _move_evidence(mv), why="outside_data")
    ok = (mv.points > 0) == (claim.sign > 0) and rounds_to(abs(mv.points), claim.number or "")
    return _verdict(claim, ok, claim.sign * (claim.value or 0.0), round(mv.points, 2), _move_evidence(mv))


def _check_level(market: Market, claim: Claim) -> Verdict:
    mv = _move(market, claim)
    if mv.close is None:
        return Verdict(claim, "unverifiable", claim.value, None, _move_evidence(mv), why="outside_data")
    return _verdict(claim, rounds_to(mv.close, claim.number or ""), claim.value, mv.close, _move_evidence(mv))


def _check_ytd(market: Market, claim: Claim) -> Verdict:
    sym = claim.symbols[0]
    day = _session_of(market, sym, claim.session)
    r = ytd_return(market, sym, as_of=day)
    ch = r.side.change
    ev = Evidence((sym,), session=r.span.last, close=r.side.close, previous_close=r.side.base_close, change=ch)
    if ch is None:
        return Verdict(claim, "unverifiable", claim.value, None, ev, why="outside_data")
    ok = (ch > 0) == (claim.sign > 0) and rounds_to(abs(ch) * 100, claim.number or "")
    return _verdict(claim, ok, claim.sign * (claim.value or 0.0), round(ch * 100, 4), ev)


_CHECKS: dict[str, Callable[[Market, Claim], Verdict]] = {
    "relative_streak": _check_streak,
    "streak": _check_streak,
    "longest_since": _check_longest_since,
    "streak_rank": _check_rank,
    "record_streak": _check_record_streak,
    "record_close": _check_record_close,
    "nth_record": _check_nth_record,
    "record_count": _check_count,
    "first_record_since": _check_first_since,
    "sessions_without_record": _check_without,
    "move_pct": _check_pct,
    "move_points": _check_points,
    "close_level": _check_level,
    "ytd": _check_ytd,
}
