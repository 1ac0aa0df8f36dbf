"""What the daily market-leadership post says, computed once as frozen data.

:func:`build_summary` is pure: it takes close series by symbol (whatever is available),
the session to describe and, optionally, the NYSE sessions, and returns a
:class:`DailySummary`. It reads no clock, no file and no network; rendering lives in
:mod:`bot.render.daily` and charts in :mod:`bot.render.charts`.

Definitions
-----------
* *Grid*: the sessions used to decide what "the previous session" is. It is
  ``sessions`` when given, else the union of the dates of every series passed in. A
  day's move is ``C_t / C_(t-1) - 1`` with ``t-1`` the previous grid session; if a
  series has no close for that session its move is not reported (no bridging).
* *Pairs* (A vs B), in this order, each the first candidate with both closes on the
  session: small vs large (^RUT vs ^GSPC, else IWM vs SPY), equal vs cap weight (RSP vs
  SPY), tech vs broad (^NDX vs ^GSPC, else ^IXIC vs ^GSPC). The day's winner is the
  side with the strictly higher return; the streak is :func:`analytics.streak_report` on
  :func:`analytics.align_pair` over the grid, as of the session.
* *Notable streak*: a current streak (pair, or a main index's up/down days) that is at
  least :data:`NOTABLE_LENGTH` sessions long, or at least 2 sessions long and the longest
  in over :data:`NOTABLE_DAYS` calendar days (its ``longest_since`` is ``None`` or ended
  more than that many days before the session).
* *Records*: :func:`analytics.record_summary` of each main index with a close on the
  session (dividend-adjusted series are never used for records).
* *YTD*: :func:`analytics.ytd_returns` as of the session, ranked highest first; YTD
  leadership is :func:`analytics.ytd_leadership` of the small-vs-large pair.
* *Ended streak*: a pair's or main index's streak that was at least
  :data:`NOTABLE_LENGTH` sessions long on the previous grid session and is not going on
  on the session (the other side led, a tie, a flat day or a gap).
* *Lead*: the one fact the post opens with, the first of, in this order: a current streak
  of at least :data:`LEAD_MIN_LENGTH` sessions that is the longest in over
  :data:`NOTABLE_DAYS` days (the oldest ``longest_since`` first, the data's whole history
  oldest of all; then the longer); the record closes; an ended streak (the longest). With
  none of these the day is quiet (:attr:`Lead.kind` ``"quiet"``). A streak lead carries its
  leader's record close of the session, if any.
* *Long while*: a record close that came at least :data:`LONG_WHILE_SESSIONS` sessions
  after the previous one (:attr:`RecordClose.after_long_while`).
* *Early close*: passed in (``early_close``) from the NYSE calendar; the summary only
  carries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import numpy as np
import pandas as pd

from analytics import (
    RecordPoint,
    Streak,
    YtdLeadership,
    align_pair,
    align_single,
    record_summary,
    streak_report,
    ytd_leadership,
    ytd_returns,
)
from analytics.errors import AnalyticsError
from analytics.leadership import consecutive_move
from analytics.returns import PairFrame
from bot.domain.symbols import MAIN_INDICES, SECTOR_ETFS, display_name, is_adjusted

__all__ = [
    "LEAD_MIN_LENGTH",
    "LONG_WHILE_SESSIONS",
    "NOTABLE_DAYS",
    "NOTABLE_LENGTH",
    "PAIR_CANDIDATES",
    "CurrentStreak",
    "DailySummary",
    "EndedStreak",
    "IndexLeftOut",
    "IndexMove",
    "Lead",
    "MissingClose",
    "NoPreviousClose",
    "NoYtdBase",
    "NotableStreak",
    "Note",
    "PairLeadership",
    "PairLeftOut",
    "PairNoData",
    "RecordClose",
    "SectorBoard",
    "SectorMove",
    "SectorsLeftOut",
    "SectorsUnranked",
    "YtdEntry",
    "YtdLeadershipLeftOut",
    "build_summary",
]

NOTABLE_LENGTH = 5
NOTABLE_DAYS = 365
SECTOR_TOP = 3
LEAD_MIN_LENGTH = 3
LONG_WHILE_SESSIONS = 250

PairKey = Literal["small_large", "equal_cap", "tech_broad"]

# (key, [(a, b, label), ...]): the first candidate with data on the session is used.
PAIR_CANDIDATES: tuple[tuple[PairKey, tuple[tuple[str, str, str], ...]], ...] = (
    ("small_large", (("^RUT", "^GSPC", "Small vs large"), ("IWM", "SPY", "Small vs large"))),
    ("equal_cap", (("RSP", "SPY", "Equal vs cap weight"),)),
    ("tech_broad", (("^NDX", "^GSPC", "Tech vs broad"), ("^IXIC", "^GSPC", "Nasdaq vs S&P 500"))),
)


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class IndexMove:
    """A main index on the session: its close and (when measurable) the day's return."""

    symbol: str
    close: float
    previous_session: pd.Timestamp | None
    previous_close: float | None
    change: float | None  # None: the previous session's close is missing

    @property
    def name(self) -> str:
        return display_name(self.symbol)


@dataclass(frozen=True)
class CurrentStreak:
    """The streak in progress on the session for A vs B, or A's up/down days (``b=None``).

    ``current`` is ``None`` on a tie, a gap, or the first session of the data
    (``status`` says which). ``sign`` +1 means A led (or A rose).
    """

    a: str
    b: str | None
    status: str
    current: Streak | None
    longest_since: Streak | None
    record: Streak | None
    data_start: datetime
    preceded_by_gap: bool

    @property
    def length(self) -> int:
        return self.current.length if self.current else 0

    @property
    def sign(self) -> int:
        return self.current.sign if self.current else 0

    @property
    def leader(self) -> str | None:
        """The side leading the streak (A for an up streak of one series)."""
        if self.current is None:
            return None
        if self.b is None:
            return self.a
        return self.a if self.current.sign > 0 else self.b

    @property
    def laggard(self) -> str | None:
        if self.current is None or self.b is None:
            return None
        return self.b if self.current.sign > 0 else self.a

    def leader_returns(self) -> tuple[float, float | None] | None:
        """(leader's, laggard's) return over the streak; (return, None) for one series."""
        cur = self.current
        if cur is None:
            return None
        if self.b is None or cur.sign > 0:
            return cur.return_a, cur.return_b
        assert cur.return_b is not None
        return cur.return_b, cur.return_a

    def longest_in_days(self, session: pd.Timestamp) -> bool:
        """True when no earlier same-sign streak at least as long ended within
        :data:`NOTABLE_DAYS` days of ``session`` (``longest_since`` is None or older)."""
        if self.current is None:
            return False
        s = self.longest_since
        return s is None or (session - s.end).days > NOTABLE_DAYS


@dataclass(frozen=True)
class PairLeadership:
    """One leadership pair on the session: the day's winner and the streak."""

    key: PairKey
    label: str
    a: str
    b: str
    return_a: float | None
    return_b: float | None
    streak: CurrentStreak

    @property
    def winner(self) -> str | None:
        """The side with the strictly higher return on the session (None: tie or gap)."""
        if self.return_a is None or self.return_b is None or self.return_a == self.return_b:
            return None
        return self.a if self.return_a > self.return_b else self.b

    @property
    def loser(self) -> str | None:
        w = self.winner
        if w is None:
            return None
        return self.b if w == self.a else self.a


@dataclass(frozen=True)
class SectorMove:
    symbol: str
    change: float

    @property
    def name(self) -> str:
        return display_name(self.symbol)


@dataclass(frozen=True)
class SectorBoard:
    """Sector ETF returns on the session, best first; leaders and laggards (worst first).

    Leaders and laggards never overlap: with fewer than ``2 * 3`` sectors measured, the
    ranking is split in two (the extra one goes to the leaders).
    """

    ranked: tuple[SectorMove, ...]
    leaders: tuple[SectorMove, ...]
    laggards: tuple[SectorMove, ...]


@dataclass(frozen=True)
class NotableStreak:
    """A current streak worth a line: long, or the longest in over a year."""

    label: str  # the pair label, or the index name
    kind: Literal["pair", "index"]
    streak: CurrentStreak
    long: bool  # length >= NOTABLE_LENGTH
    longest_in_a_year: bool
    key: PairKey | None = None  # the pair's key (None for an index)


@dataclass(frozen=True)
class EndedStreak:
    """A streak of at least :data:`NOTABLE_LENGTH` sessions on the previous session that
    did not go on: ``streak`` is as of that session, ``today`` the pair or index's
    streak now (the other side's first session, or none on a tie, flat day or gap)."""

    label: str
    kind: Literal["pair", "index"]
    streak: CurrentStreak
    today: CurrentStreak
    previous_session: pd.Timestamp
    key: PairKey | None = None


@dataclass(frozen=True)
class RecordClose:
    """A main index that closed at a record high on the session."""

    symbol: str
    close: float
    year: int
    nth_of_year: int
    previous: RecordPoint | None
    sessions_since_previous: int | None

    @property
    def name(self) -> str:
        return display_name(self.symbol)

    @property
    def after_long_while(self) -> bool:
        """The first record in at least :data:`LONG_WHILE_SESSIONS` sessions."""
        gap = self.sessions_since_previous
        return self.previous is not None and gap is not None and gap >= LONG_WHILE_SESSIONS


@dataclass(frozen=True)
class Lead:
    """What the post leads with (see the module's *Lead*).

    ``kind`` ``"streak"``: ``streak`` (and ``records``: its leader's record close, if any);
    ``"records"``: every record close of the session; ``"ended"``: ``ended``; ``"quiet"``:
    nothing of these, the moves say it.
    """

    kind: Literal["streak", "records", "ended", "quiet"]
    streak: NotableStreak | None = None
    records: tuple[RecordClose, ...] = ()
    ended: EndedStreak | None = None


@dataclass(frozen=True)
class YtdEntry:
    symbol: str
    ytd_return: float
    base_date: pd.Timestamp  # last close of the previous year
    base_close: float

    @property
    def name(self) -> str:
        return display_name(self.symbol)


@dataclass(frozen=True)
class DailySummary:
    """Everything the daily post says about one session.

    Attributes
    ----------
    session : date
    moves : IndexMove per main index with a close on the session (^GSPC, ^NDX, ^IXIC,
        ^DJI, ^RUT order)
    pairs : PairLeadership per leadership pair with data on the session
    sectors : SectorBoard or None (no sector data on the session)
    notable_streaks : NotableStreak, pairs first then indices
    records : RecordClose per main index at a record close on the session
    ytd : YtdEntry per main index, highest YTD return first
    ytd_small_large : YTD leadership of the small-vs-large pair (A = the small caps)
    notes : what was left out and why (:data:`Note`, worded by :mod:`bot.render.daily`)
    source : where the data came from in words (for the footer), if known
    early_close : the NYSE closed early that session (13:00), as the caller's calendar says
    ended_streaks : notable streaks that ended on the session, pairs first then indices
    lead : the fact the post opens with
    """

    session: date
    moves: tuple[IndexMove, ...]
    pairs: tuple[PairLeadership, ...]
    sectors: SectorBoard | None
    notable_streaks: tuple[NotableStreak, ...]
    records: tuple[RecordClose, ...]
    ytd: tuple[YtdEntry, ...]
    ytd_small_large: YtdLeadership | None
    notes: tuple[Note, ...]
    source: str | None = None
    early_close: bool = False
    ended_streaks: tuple[EndedStreak, ...] = ()
    lead: Lead = Lead("quiet")

    def symbols(self) -> list[str]:
        """The symbols whose closes the summary reports (moves, pairs, sectors)."""
        out = [m.symbol for m in self.moves]
        for p in self.pairs:
            out += [p.a, p.b]
        if self.sectors is not None:
            out += [m.symbol for m in self.sectors.ranked]
        return list(dict.fromkeys(out))

    def move(self, symbol: str) -> IndexMove | None:
        return next((m for m in self.moves if m.symbol == symbol), None)

    def pair(self, key: str) -> PairLeadership | None:
        return next((p for p in self.pairs if p.key == key), None)


# --------------------------------------------------------------------------- notes
# What was left out and why, as data; :mod:`bot.render.daily` words each one.
@dataclass(frozen=True)
class MissingClose:
    """``symbol`` has no close on ``session``: ``latest`` is its last one (``None``: no data)."""

    symbol: str
    session: date
    latest: date | None


@dataclass(frozen=True)
class IndexLeftOut:
    """A main index with no close on the session."""

    missing: MissingClose


@dataclass(frozen=True)
class NoPreviousClose:
    """A main index with no close on the previous session, so no day move."""

    symbol: str
    previous_session: date


@dataclass(frozen=True)
class PairLeftOut:
    """A pair (``label``) left out: its first usable candidate lacks these closes."""

    label: str
    missing: tuple[MissingClose, ...]


@dataclass(frozen=True)
class PairNoData:
    """A pair left out for lack of any data: ``symbols`` have none (``None``: for either
    candidate pair of ``candidates``)."""

    label: str
    symbols: tuple[str, ...] | None
    candidates: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SectorsLeftOut:
    """No sector ranking: no data (``latest`` is ``None``), data ending ``latest`` before
    ``session``, or no day move measurable (``no_moves``)."""

    session: date
    latest: date | None
    no_moves: bool = False


@dataclass(frozen=True)
class SectorsUnranked:
    """Sector ETFs left out of the ranking: ``(symbols, data end or None for "no day move")``."""

    session: date
    groups: tuple[tuple[tuple[str, ...], date | None], ...]


@dataclass(frozen=True)
class NoYtdBase:
    """A main index with no close before ``year``, so no year-to-date return."""

    symbol: str
    year: int


@dataclass(frozen=True)
class YtdLeadershipLeftOut:
    """The year-to-date small-vs-large leadership could not be computed (``reason``)."""

    reason: str


Note = (
    IndexLeftOut | NoPreviousClose | PairLeftOut | PairNoData | SectorsLeftOut | SectorsUnranked
    | NoYtdBase | YtdLeadershipLeftOut
)


# --------------------------------------------------------------------------- building
def _clean(s: pd.Series) -> pd.Series:
    out = s.dropna().astype(np.float64)
    out.index = pd.DatetimeIndex(out.index)
    if not out.index.is_monotonic_increasing:
        out = out.sort_index()
    return out


def _has(closes: Mapping[str, pd.Series], sym: str, ts: pd.Timestamp) -> bool:
    s = closes.get(sym)
    return s is not None and ts in s.index


def _missing(closes: Mapping[str, pd.Series], sym: str, ts: pd.Timestamp) -> MissingClose:
    s = closes.get(sym)
    latest = None if s is None or s.empty else s.index[-1].date()
    return MissingClose(sym, ts.date(), latest)


def _on(d: date) -> str:
    """A date in an error message (``Dec 31, 2025``); the summary's own words are rendered."""
    return f"{d:%b} {d.day}, {d.year}"


def _current(frame: PairFrame, a: str, b: str | None, ts: pd.Timestamp) -> CurrentStreak:
    r = streak_report(frame, ts)
    return CurrentStreak(
        a=a,
        b=b,
        status=str(r.status),
        current=r.current,
        longest_since=r.longest_since,
        record=r.record,
        data_start=r.data_start,
        preceded_by_gap=r.preceded_by_gap,
    )


def _frame_move(closes: np.ndarray, pos: int) -> float | None:
    if pos < 1 or np.isnan(closes[pos]) or np.isnan(closes[pos - 1]):
        return None
    return float(closes[pos] / closes[pos - 1] - 1.0)


def _pairs(
    closes: Mapping[str, pd.Series],
    ts: pd.Timestamp,
    grid: pd.DatetimeIndex,
    notes: list[Note],
    frames: dict[str, PairFrame],
) -> list[PairLeadership]:
    out: list[PairLeadership] = []
    for key, candidates in PAIR_CANDIDATES:
        usable = [(a, b, lab) for a, b, lab in candidates if a in closes and b in closes]
        chosen = next(
            ((a, b, lab) for a, b, lab in usable if _has(closes, a, ts) and _has(closes, b, ts)),
            None,
        )
        label0 = candidates[0][2]
        if chosen is None:
            if usable:
                a, b, _ = usable[0]
                why = tuple(_missing(closes, s, ts) for s in (a, b) if not _has(closes, s, ts))
                notes.append(PairLeftOut(label0, why))
            elif key == "equal_cap":
                missing = tuple(s for s in ("RSP", "SPY") if s not in closes)
                notes.append(PairNoData(label0, missing, ()))
            else:
                notes.append(PairNoData(label0, None, tuple((a, b) for a, b, _ in candidates)))
            continue
        a, b, label = chosen
        frame = align_pair(closes[a], closes[b], sessions=grid)
        frames[key] = frame
        pos = int(frame.dates.searchsorted(ts))  # ts is on the grid: both have it
        assert frame.close_b is not None
        out.append(
            PairLeadership(
                key=key,
                label=label,
                a=a,
                b=b,
                return_a=_frame_move(frame.close_a, pos),
                return_b=_frame_move(frame.close_b, pos),
                streak=_current(frame, a, b, ts),
            )
        )
    return out


def _sectors(
    closes: Mapping[str, pd.Series], ts: pd.Timestamp, grid: pd.DatetimeIndex, notes: list[Note]
) -> SectorBoard | None:
    present = [s for s in SECTOR_ETFS if s in closes and not closes[s].empty]
    if not present:
        notes.append(SectorsLeftOut(ts.date(), None))
        return None
    moves: list[SectorMove] = []
    for sym in present:
        m = consecutive_move(closes[sym], ts, grid)
        if m is not None and m.change is not None:
            moves.append(SectorMove(sym, m.change))
    if not moves:
        latest = max(closes[s].index[-1] for s in present)
        if latest < ts:
            notes.append(SectorsLeftOut(ts.date(), latest.date()))
        else:
            notes.append(SectorsLeftOut(ts.date(), None, no_moves=True))
        return None
    unranked = [s for s in present if s not in {m.symbol for m in moves}]
    if unranked:
        notes.append(_unranked_sectors_note(closes, unranked, ts))
    # Best first; ties broken by the order of SECTOR_ETFS (stable sort).
    ranked = tuple(sorted(moves, key=lambda m: -m.change))
    n = len(ranked)
    k = min(SECTOR_TOP, (n + 1) // 2)
    leaders = ranked[:k]
    laggards = tuple(reversed(ranked[max(k, n - SECTOR_TOP) :]))
    return SectorBoard(ranked, leaders, laggards)


def _unranked_sectors_note(
    closes: Mapping[str, pd.Series], symbols: list[str], ts: pd.Timestamp
) -> SectorsUnranked:
    """The unranked sectors grouped by why: the data ends before ``ts``, or no day move."""
    by_end: dict[date | None, list[str]] = {}
    for sym in symbols:
        last = closes[sym].index[-1]
        by_end.setdefault(last.date() if last < ts else None, []).append(sym)
    return SectorsUnranked(ts.date(), tuple((tuple(syms), end) for end, syms in by_end.items()))


def _records(
    closes: Mapping[str, pd.Series], present: list[str], ts: pd.Timestamp
) -> list[RecordClose]:
    out: list[RecordClose] = []
    for sym in present:
        if is_adjusted(sym):
            continue
        rs = record_summary(closes[sym], ts)
        if not rs.is_record or rs.as_of != ts:
            continue
        out.append(
            RecordClose(
                symbol=sym,
                close=rs.close,
                year=rs.as_of.year,
                nth_of_year=int(rs.nth_of_year or 0),
                previous=rs.previous_record,
                sessions_since_previous=rs.gap_sessions,
            )
        )
    return out


def _ytd(
    closes: Mapping[str, pd.Series], present: list[str], ts: pd.Timestamp, notes: list[Note]
) -> list[YtdEntry]:
    out: list[YtdEntry] = []
    for sym in present:
        s = closes[sym]
        ytd = ytd_returns(s, ts.year)
        if ts not in ytd.index:
            notes.append(NoYtdBase(sym, ts.year))
            continue
        before = s[pd.DatetimeIndex(s.index).year < ts.year]
        out.append(YtdEntry(sym, float(ytd.loc[ts]), before.index[-1], float(before.iloc[-1])))
    out.sort(key=lambda e: -e.ytd_return)
    return out


def _previous_session(grid: pd.DatetimeIndex, ts: pd.Timestamp) -> pd.Timestamp | None:
    i = int(grid.searchsorted(ts))
    return pd.Timestamp(grid[i - 1]) if i > 0 else None


def _ended(
    label: str,
    kind: Literal["pair", "index"],
    key: PairKey | None,
    frame: PairFrame,
    today: CurrentStreak,
    prev: pd.Timestamp | None,
) -> EndedStreak | None:
    """The streak of the previous session, if notable and not going on today."""
    if prev is None or prev < frame.dates[0]:
        return None
    before = _current(frame, today.a, today.b, prev)
    if before.current is None or before.length < NOTABLE_LENGTH:
        return None
    going_on = (
        today.current is not None
        and today.current.sign == before.current.sign
        and today.current.start == before.current.start
    )
    return None if going_on else EndedStreak(label, kind, before, today, prev, key)


def _streak_rank(n: NotableStreak) -> tuple[int, datetime, int]:
    """Oldest comparison first (none at all: the whole data), then the longer."""
    since = n.streak.longest_since
    if since is None:
        return (0, datetime.min, -n.streak.length)
    return (1, since.end, -n.streak.length)


def _lead(
    notable: list[NotableStreak],
    records: list[RecordClose],
    ended: list[EndedStreak],
    ts: pd.Timestamp,
) -> Lead:
    big = [
        n for n in notable
        if n.streak.length >= LEAD_MIN_LENGTH and n.streak.longest_in_days(ts)
    ]
    if big:
        top = min(big, key=_streak_rank)
        own = tuple(r for r in records if r.symbol == top.streak.leader)
        return Lead("streak", streak=top, records=own)
    if records:
        return Lead("records", records=tuple(records))
    if ended:
        return Lead("ended", ended=max(ended, key=lambda e: e.streak.length))
    return Lead("quiet")


def build_summary(
    closes: Mapping[str, pd.Series],
    session: date,
    sessions: pd.DatetimeIndex | None = None,
    *,
    source: str | None = None,
    early_close: bool = False,
) -> DailySummary:
    """Build the daily leadership summary for ``session`` (see the module definitions).

    Parameters
    ----------
    closes : mapping of symbol -> Series of closes indexed by session date
        Whatever is available; missing symbols just leave their part out (with a note).
    session : date
        The session to describe. ^GSPC must have a close on it.
    sessions : DatetimeIndex, optional
        NYSE sessions (e.g. :meth:`bot.services.market.Market.sessions_between`); any of them
        missing from a series is a gap rather than bridged over.
    source : str, optional
        Where the data came from, for the footer.
    early_close : bool
        The NYSE closed early on ``session`` (from the caller's calendar).

    Raises
    ------
    ValueError
        If ^GSPC is absent or has no close on ``session``.
    """
    ts = pd.Timestamp(session).normalize()
    day = ts.date()
    data = {sym: _clean(s) for sym, s in closes.items()}
    spx = data.get("^GSPC")
    if spx is None or spx.empty:
        raise ValueError("No S&P 500 (^GSPC) data: the daily summary needs it.")
    if ts not in spx.index:
        if ts > spx.index[-1]:
            why = f"the data ends {_on(spx.index[-1].date())}"
        elif ts < spx.index[0]:
            why = f"the data starts {_on(spx.index[0].date())}"
        else:
            why = "it is not a session in the data"
        raise ValueError(f"No S&P 500 (^GSPC) close for {_on(day)}: {why}.")

    if sessions is not None:
        grid = pd.DatetimeIndex(sessions)
    else:
        grid = pd.DatetimeIndex([], dtype="datetime64[ns]")
        for s in data.values():
            grid = grid.union(pd.DatetimeIndex(s.index))
    notes: list[Note] = []

    # Main indices: moves and up/down streaks.
    present: list[str] = []
    moves: list[IndexMove] = []
    index_streaks: list[tuple[str, CurrentStreak]] = []
    frames: dict[str, PairFrame] = {}
    for sym in MAIN_INDICES:
        if sym not in data:
            continue
        m = consecutive_move(data[sym], ts, grid)
        if m is None:
            notes.append(IndexLeftOut(_missing(data, sym, ts)))
            continue
        present.append(sym)
        if m.change is None and m.previous_session is not None:
            notes.append(NoPreviousClose(sym, m.previous_session.date()))
        moves.append(IndexMove(sym, m.close, m.previous_session, m.previous_close, m.change))
        frame = align_single(data[sym], sessions=grid)
        frames[sym] = frame
        index_streaks.append((sym, _current(frame, sym, None, ts)))

    pairs = _pairs(data, ts, grid, notes, frames)
    sectors = _sectors(data, ts, grid, notes)

    notable: list[NotableStreak] = []
    ended: list[EndedStreak] = []
    prev = _previous_session(grid, ts)
    candidates: list[tuple[str, Literal["pair", "index"], PairKey | None, str, CurrentStreak]] = [
        (p.label, "pair", p.key, p.key, p.streak) for p in pairs
    ] + [(display_name(sym), "index", None, sym, st) for sym, st in index_streaks]
    for label, kind, key, frame_key, st in candidates:
        gone = _ended(label, kind, key, frames[frame_key], st, prev)
        if gone is not None:
            ended.append(gone)
        if st.current is None:
            continue
        long = st.length >= NOTABLE_LENGTH
        rare = st.length >= 2 and st.longest_in_days(ts)
        if long or rare:
            notable.append(NotableStreak(label, kind, st, long, rare, key))

    records = _records(data, present, ts)
    ytd = _ytd(data, present, ts, notes)

    ytd_sl: YtdLeadership | None = None
    sl = next((p for p in pairs if p.key == "small_large"), None)
    if sl is not None:
        try:
            lead = ytd_leadership(data[sl.a], data[sl.b], ts)
        except AnalyticsError as exc:
            notes.append(YtdLeadershipLeftOut(str(exc)))
        else:
            if lead.as_of == ts and lead.sessions > 0:
                ytd_sl = lead

    return DailySummary(
        session=day,
        moves=tuple(moves),
        pairs=tuple(pairs),
        sectors=sectors,
        notable_streaks=tuple(notable),
        records=tuple(records),
        ytd=tuple(ytd),
        ytd_small_large=ytd_sl,
        notes=tuple(notes),
        source=source,
        early_close=early_close,
        ended_streaks=tuple(ended),
        lead=_lead(notable, records, ended, ts),
    )
