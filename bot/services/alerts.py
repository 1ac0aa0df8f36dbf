"""What was notable in one session, for a channel's watch list: data, never words.

:func:`detect` compares every watched pair's streak as of the session with its streak as of
the previous session, all pairs at once (:func:`analytics.tail_scan.pair_streaks` over one
close matrix on the NYSE session grid), and checks each watched index for a record close
(:func:`analytics.records.record_summary_days`). The words are in :mod:`bot.render.alerts`.

Definitions (streaks, "longest since" and records as in :mod:`analytics`):

* **Reached the threshold**: the pair's current streak is exactly ``threshold`` sessions long
  on the session (so it is told once, the day it gets there).
* **New "longest since"**: the current streak's "longest since" reference is a streak that
  ended more than :data:`LONG_AGO_DAYS` days before the session (or there is none: the
  longest in the data), and it is not the reference the same streak had on the previous
  session (a streak that stays "the longest since Jun 2008" is told once, the day it
  becomes so, and again the day it becomes the longest since 1996). A streak that began on
  the session had no reference before.
* **Ended**: the previous session's streak was at least ``threshold`` sessions long, and on
  the session it did not go on (the other side led, or a tie). Its "longest since" is the
  one it had when it last grew.
* **Record close**: a watched index closed at a record on the session (its Nth of the year);
  it is a **first record in a long time** when at least :data:`LONG_WAIT_SESSIONS` sessions
  lay strictly between it and the previous record. Such a record carries what followed the
  earlier ones (:mod:`analytics.record_forward`): the index's own return over the next 21
  sessions, as a streak carries what followed the earlier streaks as long.

A pair is only looked at when both sides have a close on the session and on the previous
session; a series whose data stops earlier is left out, never reported on stale figures.
Dividend-adjusted ETFs are never watched for records (adjusted closes are not traded prices).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import numpy as np

from analytics.errors import AnalyticsError
from analytics.forward import forward_report
from analytics.record_forward import (
    COMEBACK_GAP,
    is_comeback,
    record_forward_report,
    sessions_between,
)
from analytics.records import RecordPoint, record_summary_days
from analytics.returns import DayArray, FloatArray, as_date
from analytics.runs import CurrentStreaks
from analytics.tail_scan import pair_streaks
from bot.domain.sessions import CALENDAR_RELIABLE_FROM
from bot.domain.symbols import MAIN_INDICES, SECTOR_ETFS, is_adjusted
from bot.services.market import Market, NoDataError

__all__ = [
    "DEFAULT_PAIRS",
    "DEFAULT_RECORDS",
    "LONG_AGO_DAYS",
    "LONG_WAIT_SESSIONS",
    "Notable",
    "PastStreak",
    "RecordEvent",
    "StreakEvent",
    "WatchList",
    "detect",
    "notable_key",
    "watch_list",
]

LONG_AGO_DAYS = 365  # a "longest since" further back than this is news
LONG_WAIT_SESSIONS = COMEBACK_GAP  # a record after at least this many sessions without one is news


def _default_pairs() -> tuple[tuple[str, str], ...]:
    out = [(a, b) for i, a in enumerate(MAIN_INDICES) for b in MAIN_INDICES[i + 1:]]
    out.append(("RSP", "SPY"))  # equal vs cap weight
    # Each sector SPDR against the S&P 500 as the data has it with dividends: SPY (both
    # sides dividend-adjusted, so neither is favoured by its payouts).
    out += [(s, "SPY") for s in SECTOR_ETFS]
    return tuple(out)


# The main indices against each other (small vs large, ^RUT vs ^GSPC, among them), equal vs
# cap weight, each sector vs the S&P 500; records of the main indices.
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = _default_pairs()
DEFAULT_RECORDS: tuple[str, ...] = MAIN_INDICES


@dataclass(frozen=True)
class WatchList:
    """What one channel watches: unordered pairs, symbols for records, the threshold."""

    pairs: tuple[tuple[str, str], ...]
    records: tuple[str, ...]
    threshold: int


def watch_list(
    threshold: int,
    pairs_added: Sequence[tuple[str, str]] = (),
    pairs_removed: Sequence[tuple[str, str]] = (),
    records_added: Sequence[str] = (),
    records_removed: Sequence[str] = (),
) -> WatchList:
    """The defaults, minus what was removed, plus what was added (pairs in either order)."""
    gone = {frozenset(p) for p in pairs_removed}
    pairs: list[tuple[str, str]] = []
    seen: set[frozenset[str]] = set()
    for p in (*DEFAULT_PAIRS, *pairs_added):
        k = frozenset(p)
        if k in seen or (k in gone and p in DEFAULT_PAIRS):
            continue
        seen.add(k)
        pairs.append(p)
    records = [s for s in DEFAULT_RECORDS if s not in set(records_removed)]
    records += [s for s in records_added if s not in records]
    return WatchList(tuple(pairs), tuple(records), threshold)


@dataclass(frozen=True)
class PastStreak:
    """A streak's dates and length (a "longest since" reference)."""

    start: date
    end: date
    length: int


@dataclass(frozen=True)
class StreakEvent:
    """One pair's notable streak on the session.

    ``kind``: ``"current"`` (reached the threshold and/or a new "longest since") or
    ``"ended"`` (a streak of at least the threshold that ended on the session; its figures
    are as of the previous session). ``longest_since`` ``None``: the longest in the data,
    which starts ``data_start``.
    """

    kind: Literal["current", "ended"]
    leader: str
    laggard: str
    length: int
    start: date
    end: date
    leader_return: float
    laggard_return: float
    longest_since: PastStreak | None
    data_start: date
    reached_threshold: bool = False
    new_longest_since: bool = False
    # What followed the earlier streaks with this leader that reached this length (a current
    # streak only): over the next 21 sessions, leader minus laggard (analytics.forward).
    followed: Followed | None = None


@dataclass(frozen=True)
class Followed:
    """The earlier cases and their 21-session spreads (``median``/``ahead`` None when no
    earlier case has 21 sessions after it in the data)."""

    cases: int
    years: tuple[int, ...]
    median: float | None
    ahead: int
    counted: int


@dataclass(frozen=True)
class RecordEvent:
    """A watched index's record close on the session."""

    symbol: str
    close: float
    year: int
    nth_of_year: int
    previous: RecordPoint | None
    sessions_between: int | None  # strictly between the previous record and this one
    long_wait: bool  # sessions_between >= LONG_WAIT_SESSIONS
    # A first record in a long time: what followed the earlier ones over the next 21
    # sessions, the index's own return (analytics.record_forward); ``None`` otherwise.
    followed: Followed | None = None


@dataclass(frozen=True)
class Notable:
    """Everything notable on ``session`` for one watch list (empty: nothing to send)."""

    session: date
    threshold: int
    streaks: tuple[StreakEvent, ...]
    records: tuple[RecordEvent, ...]

    def __bool__(self) -> bool:
        return bool(self.streaks or self.records)

    def symbols(self) -> list[str]:
        out: list[str] = []
        for s in self.streaks:
            out += [s.leader, s.laggard]
        out += [r.symbol for r in self.records]
        return list(dict.fromkeys(out))


def _day(d: np.datetime64) -> date:
    return as_date(d)


def _matrix(market: Market, symbols: Sequence[str], grid: np.ndarray) -> np.ndarray:
    """Closes of ``symbols`` on ``grid`` (rows), NaN where a series has no close."""
    out = np.full((grid.size, len(symbols)), np.nan)
    for j, sym in enumerate(symbols):
        days, closes = market.close_days(sym)
        pos = np.searchsorted(grid, days)
        ok = (pos < grid.size) & (grid[np.minimum(pos, grid.size - 1)] == days)
        out[pos[ok], j] = closes[ok]
    return out


FOLLOW_HORIZON = 21  # sessions: about a month on, the horizon an alert quotes


def _streak_events(
    market: Market, pairs: Sequence[tuple[str, str]], session: date, threshold: int
) -> list[StreakEvent]:
    syms = list(dict.fromkeys(s for p in pairs for s in p))
    if not syms:
        return []
    first = max(min(_day(market.close_days(s)[0][0]) for s in syms), CALENDAR_RELIABLE_FROM)
    grid = np.asarray(market.calendar.session_days(first, session), dtype="datetime64[D]")
    if grid.size < 3 or _day(grid[-1]) != session:
        return []
    m = _matrix(market, syms, grid)
    col = {s: j for j, s in enumerate(syms)}
    ia = np.array([col[a] for a, _ in pairs], dtype=np.int64)
    ib = np.array([col[b] for _, b in pairs], dtype=np.int64)
    t = grid.size - 1
    have = ~np.isnan(m[t - 1 :, ia]).any(axis=0) & ~np.isnan(m[t - 1 :, ib]).any(axis=0)
    now = pair_streaks(m, m, ia, ib)
    before = pair_streaks(m[:t], m[:t], ia, ib)
    going = now.sign != 0
    same = going & (before.sign == now.sign) & (before.start == now.start)
    far = now.since_start < 0
    ended_at = grid[np.maximum(now.since_end, 0)]
    far |= (grid[t] - ended_at).astype(np.int64) > LONG_AGO_DAYS
    changed = ~same | (before.since_start != now.since_start)
    reached = going & (now.length == threshold)
    longest = going & far & changed
    ended = (before.sign != 0) & (before.length >= threshold) & ~same

    def event(p: int, cs: CurrentStreaks, end: int, kind: Literal["current", "ended"]) -> StreakEvent:
        sign, start = int(cs.sign[p]), int(cs.start[p])
        a, b = pairs[p]
        lead, lag = (a, b) if sign > 0 else (b, a)
        cl, cg = m[:, col[lead]], m[:, col[lag]]
        both = np.flatnonzero(~np.isnan(cl) & ~np.isnan(cg))
        s0, s1 = int(cs.since_start[p]), int(cs.since_end[p])
        since = None if s0 < 0 else PastStreak(_day(grid[s0]), _day(grid[s1]), s1 - s0 + 1)
        return StreakEvent(
            kind=kind, leader=lead, laggard=lag, length=end - start + 1,
            start=_day(grid[start]), end=_day(grid[end]),
            leader_return=float(cl[end] / cl[start - 1] - 1.0),
            laggard_return=float(cg[end] / cg[start - 1] - 1.0),
            longest_since=since, data_start=_day(grid[int(both[0])]),
            reached_threshold=kind == "current" and bool(reached[p]),
            new_longest_since=kind == "current" and bool(longest[p]),
        )

    out: list[StreakEvent] = []
    for p in np.flatnonzero(have & (reached | longest)):
        e = event(int(p), now, t, "current")
        out.append(replace(e, followed=_followed(market, e, session)))
    for p in np.flatnonzero(have & ended):
        out.append(event(int(p), before, t - 1, "ended"))
    # Longest first, then in watch-list order (stable).
    out.sort(key=lambda e: (e.kind != "current", -e.length))
    return out


def _followed(market: Market, e: StreakEvent, session: date) -> Followed | None:
    """What followed the earlier streaks of ``e``'s leader that reached its length."""
    try:
        rep = forward_report(market.aligned(e.leader, e.laggard), session, horizons=(FOLLOW_HORIZON,))
    except (AnalyticsError, NoDataError):
        return None
    if not rep.episodes:
        return None
    s = rep.summary[FOLLOW_HORIZON]
    ahead = round((s.share_positive or 0.0) * s.n)
    return Followed(len(rep.episodes), tuple(ep.reached.year for ep in rep.episodes), s.median_spread, ahead, s.n)


def _record_followed(days: DayArray, closes: FloatArray, session: date) -> Followed:
    """What followed the earlier first records in a long time (the index's own 21-session
    return: ``median`` of it, ``ahead`` the cases after which it was higher)."""
    rep = record_forward_report(days, closes, session, min_gap=LONG_WAIT_SESSIONS, horizons=(FOLLOW_HORIZON,))
    s = rep.summary[FOLLOW_HORIZON]
    ahead = round((s.share_positive or 0.0) * s.n)
    return Followed(len(rep.episodes), tuple(e.record.year for e in rep.episodes), s.median_spread, ahead, s.n)


def _record_events(market: Market, symbols: Collection[str], session: date) -> list[RecordEvent]:
    out: list[RecordEvent] = []
    for sym in symbols:
        if is_adjusted(sym):
            continue
        days, closes = market.close_days(sym)
        if days.size < 2 or _day(days[-1]) < session or _day(days[0]) > session:
            continue
        rs = record_summary_days(days, closes, session)
        if not rs.is_record or rs.as_of.date() != session:
            continue
        between = sessions_between(rs)
        long_wait = is_comeback(rs, LONG_WAIT_SESSIONS)
        out.append(RecordEvent(
            symbol=sym, close=rs.close, year=session.year, nth_of_year=int(rs.nth_of_year or 0),
            previous=rs.previous_record, sessions_between=between, long_wait=long_wait,
            followed=_record_followed(days, closes, session) if long_wait else None,
        ))
    return out


def detect(market: Market, session: date, watch: WatchList) -> Notable:
    """The notable events of ``session`` (a session in the data) for ``watch``."""
    available = set(market.available())
    pairs = [p for p in watch.pairs if p[0] in available and p[1] in available]
    records = [s for s in watch.records if s in available]
    return Notable(
        session=session,
        threshold=watch.threshold,
        streaks=tuple(_streak_events(market, pairs, session, watch.threshold)),
        records=tuple(_record_events(market, records, session)),
    )


def notable_key(watch: WatchList) -> tuple[object, ...]:
    """A cache key for :func:`detect` results of one watch list (channels often share one)."""
    return (tuple(watch.pairs), tuple(watch.records), watch.threshold)

