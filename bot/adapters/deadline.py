"""An overall deadline for a price download.

yfinance's per-request ``timeout`` bounds each HTTP request, not a whole download (with
retries and backoff, or a request that trickles bytes). :class:`DeadlineSource` runs
``bars`` in a worker thread and stops waiting after ``seconds``: the caller gets a
:class:`DataSourceError` and never writes, so a late answer changes nothing. The worker
cannot be killed; it ends when its own request times out (daemon thread: it never keeps
the process alive).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

import pandas as pd

from bot.domain.errors import DataSourceError
from bot.domain.ports import InstrumentLookup, PriceFetcher
from bot.domain.series import InstrumentInfo


class DeadlineSource:
    """A :class:`~bot.domain.ports.PriceFetcher` whose ``bars`` answers within ``seconds`` or raises."""

    def __init__(self, inner: PriceFetcher, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds
        self.name = inner.name

    def symbols(self) -> list[str]:
        return self.inner.symbols()

    def bars(
        self, symbols: Sequence[str], start: date | None = None
    ) -> dict[str, pd.DataFrame]:
        return _within(self.seconds, self.name, lambda: self.inner.bars(symbols, start))

    def describe(self, symbol: str) -> InstrumentInfo | None:
        """The inner source's metadata for ``symbol``, within the same deadline."""
        if not isinstance(self.inner, InstrumentLookup):
            raise DataSourceError(f"{self.name} cannot look up new symbols")
        lookup = self.inner
        return _within(self.seconds, self.name, lambda: lookup.describe(symbol))


T = TypeVar("T")


def _within(seconds: float, name: str, work: Callable[[], T]) -> T:
    outcome: list[T | BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the waiting caller
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name="price-download", daemon=True).start()
    if not done.wait(seconds):
        raise DataSourceError(f"{name} did not answer within {seconds:g} s")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result
