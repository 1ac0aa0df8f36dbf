"""Incremental, validated price updates: fetch only what is missing, store only what is sound.

Rules (each one is a test):
* One batched download for all symbols, from the earliest date any of them needs.
* A download that fails or comes back empty never touches the store.
* Rows after the last *completed* NYSE session are dropped (today's bar before the
  close is a moving intraday price, not a close).
* NaN or non-positive closes are rejected; dates that are not NYSE sessions are
  rejected; NYSE sessions missing from the download are reported, never filled in.
* A few already-stored sessions are downloaded again as an overlap check; a close that
  Yahoo has since revised by more than 0.01 is replaced and reported.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

import numpy as np
import pandas as pd

from bot.data.sources import DataSourceError, PriceSource
from bot.store.prices import PriceStore

log = logging.getLogger(__name__)

OVERLAP_DAYS = 10  # calendar days of already-stored data re-fetched as a consistency check


class SessionCalendar(Protocol):
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


@dataclass
class UpdateReport:
    """Outcome of one ``update`` run."""

    as_of_session: date
    results: list[SymbolUpdate]
    error: str | None = None

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
    store: PriceStore,
    fetcher: PriceSource,
    calendar: SessionCalendar,
    symbols: Sequence[str],
    now: datetime,
) -> UpdateReport:
    """Fetch what ``symbols`` are missing in one batched download and store it."""
    last_session = calendar.last_completed_session(now)
    info = store.info()
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
    stored = store.bars(todo, start=start)
    for sym in todo:
        results.append(_apply(store, fetcher.name, sym, frames.get(sym), stored.get(sym), calendar, last_session))
    return UpdateReport(last_session, results)


def _apply(
    store: PriceStore,
    source_name: str,
    sym: str,
    fetched: pd.DataFrame | None,
    stored: pd.DataFrame | None,
    calendar: SessionCalendar,
    last_session: date,
) -> SymbolUpdate:
    if fetched is None or fetched.empty:
        last = stored.index[-1].date() if stored is not None and not stored.empty else None
        return SymbolUpdate(sym, "no data", last_date=last)
    clean, notes, missing = validate_bars(fetched, calendar, last_session)
    if clean.empty:
        return SymbolUpdate(sym, "rejected", rejected=notes)
    last = clean.index[-1]
    if stored is not None and not stored.empty:
        last_stored = stored.index[-1]
        last = max(last, last_stored)  # the store's last close, not just the download's
        new = clean[clean.index > last_stored]
        both = stored[["close"]].join(clean[["close"]], how="inner", rsuffix="_new")
        changed = both.index[(both["close"] - both["close_new"]).abs() > 0.01]
        write = pd.concat([clean.loc[changed], new]).sort_index()
        # Only sessions after the stored ones can be "missing" news; older ones are known.
        missing = [d for d in missing if pd.Timestamp(d) > last_stored]
    else:
        changed = pd.DatetimeIndex([])
        write = clean
    if write.empty:
        return SymbolUpdate(sym, "up to date", rejected=notes, missing_sessions=missing,
                            last_date=last.date())
    store.write(sym, write, source_name)
    return SymbolUpdate(
        sym,
        "updated",
        added=int(len(write) - len(changed)),
        revised=[d.date() for d in changed],
        rejected=notes,
        missing_sessions=missing,
        last_date=last.date(),
    )
