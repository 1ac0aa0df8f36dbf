"""Incremental, validated price updates: fetch only what is missing, store only what is sound.

Rules (each one is a test):
* One batched download for all symbols, from the earliest date any of them needs.
* A download that fails or comes back empty never touches the store.
* Rows after the last *completed* NYSE session are dropped (today's bar before the
  close is a moving intraday price, not a close).
* Rows with a NaN or non-positive close, and rows dated on a weekday the NYSE was closed
  (Cboe publishes ^VIX on some NYSE holidays), are dropped and reported; NYSE sessions
  missing from the download are reported, never filled in.
* The download is *rejected* -- nothing is written for any symbol, the report carries one
  line per problem -- when a symbol has a duplicated date, a date on a weekend or dates
  shifted by one session (a timezone mix-up), an implausible index move (beyond ±25%
  against the previous close, stored or downloaded), or a revision of more than 5% in
  the overlap (see :mod:`bot.domain.validation`). Large moves of other instruments are
  flagged and stored.
* A few already-stored sessions are downloaded again as an overlap check; a close that
  Yahoo has since revised by more than 0.01 (and at most 5%) is replaced and reported.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

import numpy as np
import pandas as pd

from bot.domain.errors import DataSourceError
from bot.domain.ports import PriceFetcher, PricesUnitOfWork
from bot.domain.validation import (
    REVISION_TOLERANCE,
    Report,
    check_bars,
    check_moves,
    check_overlap,
)

log = logging.getLogger(__name__)

OVERLAP_DAYS = 10  # calendar days of already-stored data re-fetched as a consistency check


class SessionCalendar(Protocol):
    """What the updater needs of the NYSE sessions (:class:`~bot.domain.ports.SessionCalendar`
    and the calendar's ``check_dates``)."""

    @property
    def first_session(self) -> date: ...

    @property
    def last_session(self) -> date: ...

    def sessions(self, start: date, end: date) -> pd.DatetimeIndex: ...

    def last_completed_session(self, now: datetime) -> date: ...

    def check_dates(
        self,
        dates: pd.DatetimeIndex,
        start: date | pd.Timestamp | str | None = None,
        end: date | pd.Timestamp | str | None = None,
    ) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]: ...


@dataclass
class SymbolUpdate:
    """Outcome for one symbol."""

    symbol: str
    status: str  # "updated", "up to date", "no data", "rejected"
    added: int = 0
    revised: list[date] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    missing_sessions: list[date] = field(default_factory=list)
    last_date: date | None = None
    flagged: list[str] = field(default_factory=list)  # suspicious but accepted (see validation)


@dataclass
class UpdateReport:
    """Outcome of one ``update`` run."""

    as_of_session: date
    results: list[SymbolUpdate]
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # why the download was rejected

    @property
    def ok(self) -> bool:
        return self.error is None and all(r.status != "no data" for r in self.results)


def validate_bars(
    df: pd.DataFrame, calendar: SessionCalendar, last_session: date
) -> tuple[pd.DataFrame, list[str], list[date]]:
    """Clean a downloaded frame. Returns (clean rows, rejection notes, missing sessions)."""
    notes: list[str] = []
    after = df.index > pd.Timestamp(last_session)
    if after.any():
        notes.append(
            f"dropped {int(after.sum())} row(s) after the last completed session "
            f"{last_session:%Y-%m-%d} (not a final close yet)"
        )
    df = df[~after]
    close = df["close"].to_numpy(dtype=np.float64)
    bad = ~np.isfinite(close) | (close <= 0)
    if bad.any():
        days = ", ".join(f"{d:%Y-%m-%d}" for d in df.index[bad][:5])
        notes.append(f"rejected {int(bad.sum())} row(s) with a missing or non-positive close ({days})")
    df = df[~bad]
    if df.empty:
        return df, notes, []
    missing, extra = calendar.check_dates(
        pd.DatetimeIndex(df.index), start=df.index[0], end=df.index[-1]
    )
    if len(extra):
        days = ", ".join(f"{d:%Y-%m-%d}" for d in extra[:5])
        notes.append(f"rejected {len(extra)} row(s) dated on days the NYSE was closed ({days})")
        df = df[~df.index.isin(extra)]
    return df, notes, [d.date() for d in missing]


def update_prices(
    uow: PricesUnitOfWork,
    fetcher: PriceFetcher,
    calendar: SessionCalendar,
    symbols: Sequence[str],
    now: datetime,
) -> UpdateReport:
    """Fetch what ``symbols`` are missing in one batched download and store it.

    Two transactions of ``uow``, none held over the download: one reads what is stored, the
    other re-reads the overlap, validates and writes (committed only when all of it passes).
    """
    last_session = calendar.last_completed_session(now)
    with uow:
        info = uow.prices.info()
    starts: dict[str, date | None] = {}
    for sym in symbols:
        meta = info.get(sym)
        starts[sym] = (
            meta.last_date - timedelta(days=OVERLAP_DAYS)
            if meta and meta.last_date
            else None
        )
    todo = [s for s in symbols if starts[s] is None or info[s].last_date < last_session]  # type: ignore[operator]
    results = [
        SymbolUpdate(s, "up to date", last_date=info[s].last_date)
        for s in symbols
        if s not in todo
    ]
    if not todo:
        return UpdateReport(last_session, results)
    needed = [starts[s] for s in todo]
    start = None if any(s is None for s in needed) else min(d for d in needed if d)
    try:
        frames = fetcher.bars(todo, start=start)
    except DataSourceError as exc:
        log.error("price update failed, store untouched: %s", exc)
        return UpdateReport(last_session, results, error=str(exc))
    with uow:
        stored = uow.prices.bars(todo, start=start)
        plans = [
            _plan(sym, frames.get(sym), stored.get(sym), calendar, last_session) for sym in todo
        ]
        problems = Report()
        for plan in plans:
            problems.extend(plan.checks)
        if not problems.ok:
            lines = [str(p) for p in problems.problems]
            if problems.omitted:
                lines.append(f"... and {problems.omitted} more problem(s)")
            error = f"the {fetcher.name} download failed validation: {problems.summary()}"
            log.error("price update rejected, store untouched: %s", "; ".join(lines))
            rejected = [
                SymbolUpdate(p.result.symbol, "rejected",
                             rejected=[str(x) for x in p.checks.problems],
                             last_date=_last(p.stored))
                for p in plans
            ]
            return UpdateReport(last_session, results + rejected, error=error, problems=lines)
        uow.prices.write_many(
            {p.result.symbol: p.write for p in plans if not p.write.empty}, fetcher.name
        )
        uow.commit()
    return UpdateReport(last_session, results + [p.result for p in plans])


@dataclass
class _Plan:
    """What one symbol's download would do: the rows to write and the outcome."""

    result: SymbolUpdate
    write: pd.DataFrame
    checks: Report
    stored: pd.DataFrame | None


def _last(df: pd.DataFrame | None) -> date | None:
    return df.index[-1].date() if df is not None and not df.empty else None


def _plan(
    sym: str,
    fetched: pd.DataFrame | None,
    stored: pd.DataFrame | None,
    calendar: SessionCalendar,
    last_session: date,
) -> _Plan:
    nothing = fetched.iloc[:0] if fetched is not None else pd.DataFrame()
    if fetched is None or fetched.empty:
        return _Plan(SymbolUpdate(sym, "no data", last_date=_last(stored)), nothing, Report(),
                     stored)
    # Structure first (duplicates, weekend dates), on completed sessions only: a repeated
    # intraday row for today is dropped below, not a reason to reject the download.
    completed = fetched[fetched.index <= pd.Timestamp(last_session)]
    checks = check_bars(sym, completed, None, moves=False)
    checks.problems = [p for p in checks.problems if p.kind in ("duplicate date", "unsorted", "not a session")]
    if not checks.ok:
        return _Plan(SymbolUpdate(sym, "rejected"), nothing, checks, stored)
    clean, notes, missing = validate_bars(fetched, calendar, last_session)
    if clean.empty:
        return _Plan(SymbolUpdate(sym, "rejected", rejected=notes), nothing, checks, stored)
    last = clean.index[-1]
    if stored is not None and not stored.empty:
        checks.extend(check_overlap(sym, stored["close"], clean["close"]))
        last_stored = stored.index[-1]
        last = max(last, last_stored)  # the store's last close, not just the download's
        new = clean[clean.index > last_stored]
        both = stored[["close"]].join(
            clean[["close"]].rename(columns={"close": "close_new"}), how="inner"
        )
        changed = both.index[(both["close"] - both["close_new"]).abs() > REVISION_TOLERANCE]
        write = pd.concat([clean.loc[changed], new]).sort_index()
        # Only sessions after the stored ones can be "missing" news; older ones are known.
        missing = [d for d in missing if pd.Timestamp(d) > last_stored]
        merged = pd.concat([stored["close"], clean["close"]])
        merged = merged[~merged.index.duplicated(keep="last")].sort_index()
    else:
        changed = pd.DatetimeIndex([], dtype="datetime64[ns]")
        write = clean
        merged = clean["close"]
    if not write.empty:  # moves onto what would be written (stored rows were checked before)
        checks.extend(check_moves(sym, merged, only_from=write.index[0]))
    flagged = [str(f) for f in checks.flags]
    if write.empty:
        result = SymbolUpdate(sym, "up to date", rejected=notes, missing_sessions=missing,
                              last_date=last.date(), flagged=flagged)
    else:
        result = SymbolUpdate(
            sym,
            "updated",
            added=int(len(write) - len(changed)),
            revised=[d.date() for d in changed],
            rejected=notes,
            missing_sessions=missing,
            last_date=last.date(),
            flagged=flagged,
        )
    return _Plan(result, write, checks, stored)
