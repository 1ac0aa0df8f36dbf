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
from collections.abc import Sequence
from datetime import date

import pandas as pd

from bot.domain.errors import DataSourceError
from bot.domain.ports import PriceFetcher


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
        outcome: list[dict[str, pd.DataFrame] | BaseException] = []
        done = threading.Event()

        def run() -> None:
            try:
                outcome.append(self.inner.bars(symbols, start))
            except BaseException as exc:  # handed to the waiting caller
                outcome.append(exc)
            finally:
                done.set()

        threading.Thread(target=run, name="price-download", daemon=True).start()
        if not done.wait(self.seconds):
            raise DataSourceError(f"{self.name} did not answer within {self.seconds:g} s")
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result
