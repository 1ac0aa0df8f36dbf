"""Symbols the store does not have, added on request: looked up, fetched once, validated.

``/streak NVDA AMD`` with NVDA not in the store: :meth:`NewSymbols.add` asks the network
source who NVDA is (Yahoo's chart metadata), refuses what does not trade on NYSE sessions
(:func:`~bot.domain.series.calendar_refusal`), then fetches and stores its whole daily
history through :func:`~bot.services.refresh.update_prices`, validated exactly as
``streakbot update`` validates. Rules:

* One fetch per symbol at a time in a process, however many people ask: later callers wait
  for the first one's outcome (a single flight), and a symbol stored meanwhile is not
  fetched again.
* A symbol Yahoo does not know is remembered as unknown for :data:`UNKNOWN_FOR`, so a
  mistyped ticker asked twenty times costs one lookup.
* A network failure is not remembered: the next request tries again (the source itself
  retries with backoff within a request).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from bot.domain.errors import DataSourceError
from bot.domain.ports import InstrumentLookup, PriceFetcher, PricesUnitOfWork
from bot.domain.series import InstrumentInfo, calendar_refusal
from bot.services.refresh import SessionCalendar, update_prices

log = logging.getLogger(__name__)

UNKNOWN_FOR = timedelta(hours=6)

Status = Literal["added", "stored", "unknown", "refused", "failed", "offline"]


class NetworkSource(PriceFetcher, InstrumentLookup, Protocol):
    """A source that can both describe a symbol and download its bars."""


@dataclass(frozen=True)
class Added:
    """What became of one request for a new symbol."""

    symbol: str
    status: Status
    info: InstrumentInfo | None = None
    sessions: int = 0  # stored for the symbol
    reason: str | None = None  # why it was refused or failed, fit to show


class InstrumentRecords(Protocol):
    """Where instrument metadata goes (:class:`bot.store.instruments.InstrumentStore`)."""

    def put(self, info: InstrumentInfo, now: datetime) -> None: ...


class NewSymbols:
    """Adds symbols from the network source, one fetch per symbol at a time."""

    def __init__(
        self,
        source: Callable[[], NetworkSource | None],
        unit_of_work: Callable[[], PricesUnitOfWork],
        calendar: SessionCalendar,
        instruments: InstrumentRecords,
        clock: Callable[[], datetime],
        *,
        on_added: Callable[[], None] = lambda: None,
        unknown_for: timedelta = UNKNOWN_FOR,
    ) -> None:
        self._source = source
        self._uow = unit_of_work
        self._calendar = calendar
        self._instruments = instruments
        self._clock = clock
        self._on_added = on_added
        self._unknown_for = unknown_for
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight] = {}
        self._unknown: dict[str, datetime] = {}

    @property
    def online(self) -> bool:
        return self._source() is not None

    def add(self, symbol: str) -> Added:
        """Look ``symbol`` up and store its history; concurrent calls share one fetch."""
        with self._lock:
            seen = self._unknown.get(symbol)
            if seen is not None and self._clock() - seen < self._unknown_for:
                return Added(symbol, "unknown")
            flight = self._flights.get(symbol)
            leader = flight is None
            if flight is None:
                flight = self._flights[symbol] = _Flight()
        if not leader:
            flight.done.wait()
            assert flight.result is not None
            return flight.result
        try:
            result = self._fetch(symbol)
        except Exception as exc:  # the waiting callers get an answer, not a hang
            log.exception("adding %s failed", symbol)
            result = Added(symbol, "failed", reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        with self._lock:
            if result.status == "unknown":
                self._unknown[symbol] = self._clock()
            del self._flights[symbol]
        flight.result = result
        flight.done.set()
        return result

    def _fetch(self, symbol: str) -> Added:
        source = self._source()
        if source is None:
            return Added(symbol, "offline")
        with self._uow() as uow:
            stored = uow.prices.info().get(symbol)
        if stored is not None and stored.rows:
            return Added(symbol, "stored", sessions=stored.rows)
        try:
            info = source.describe(symbol)
        except DataSourceError as exc:
            return Added(symbol, "failed", reason=str(exc))
        if info is None:
            return Added(symbol, "unknown")
        refusal = calendar_refusal(info)
        if refusal is not None:
            return Added(symbol, "refused", info, reason=refusal)
        log.info("fetching the daily history of %s (%s) from %s", symbol, info.name, source.name)
        report = update_prices(self._uow(), source, self._calendar, [symbol], self._clock())
        (result,) = report.results if report.results else (None,)
        if report.error or result is None or result.status in ("no data", "rejected"):
            why = report.error or "; ".join(report.problems or (result.rejected if result else [])) or "no data"
            return Added(symbol, "failed", info, reason=why)
        self._instruments.put(info, self._clock())
        self._on_added()
        return Added(symbol, "added", info, sessions=result.added)


def add_all(new: NewSymbols, tickers: list[str]) -> Added | None:
    """Add each ticker in turn; the first outcome that leaves one without data, else None."""
    for ticker in tickers:
        outcome = new.add(ticker)
        if outcome.status not in ("added", "stored"):
            return outcome
    return None


class _Flight:
    """One fetch in progress, and its outcome for everyone who waited on it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Added | None = None


__all__ = ["UNKNOWN_FOR", "Added", "InstrumentRecords", "NetworkSource", "NewSymbols", "add_all"]
