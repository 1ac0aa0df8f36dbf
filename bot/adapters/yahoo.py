"""Yahoo Finance through yfinance, behind the :class:`~bot.domain.ports.PriceFetcher` port.

yfinance does not raise when Yahoo fails: ``download`` logs the error and returns an
empty (or partly empty) frame. This adapter turns that into explicit results: symbols
with no rows are simply absent, and a complete failure raises :class:`DataSourceError`
so the caller never mistakes it for "no new data". Downloads are batched (one request
for all symbols) and retried with exponential backoff.

``session`` is handed to yfinance as it is: ``None`` in production (yfinance builds its
own curl_cffi session), a curl_cffi ``Session`` that replays recordings in the tests.
Each request has a ``timeout``; the overall deadline is
:class:`bot.adapters.deadline.DeadlineSource`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pandas as pd

from bot.domain.bars import normalise_bars
from bot.domain.errors import DataSourceError
from bot.domain.series import InstrumentInfo

log = logging.getLogger(__name__)

Downloader = Callable[..., Any]
CHART_URL = "https://query2.finance.yahoo.com/v8/finance/chart/"


class YahooSource:
    """Daily bars from Yahoo (price closes: ``auto_adjust=False``)."""

    name = "Yahoo Finance"

    def __init__(
        self,
        downloader: Downloader | None = None,
        *,
        session: object | None = None,
        timeout: float = 30.0,
        attempts: int = 3,
        backoff: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._download = downloader
        self.session = session
        self.timeout = timeout  # seconds per HTTP request, passed to yfinance
        self.attempts = attempts
        self.backoff = backoff
        self._sleep = sleep

    def symbols(self) -> list[str]:
        return []  # nothing is local: every symbol needs a download

    def _downloader(self) -> Downloader:
        if self._download is None:
            import yfinance  # noqa: PLC0415 (slow to import, only needed when fetching)

            self._download = yfinance.download
        return self._download

    def bars(
        self, symbols: Sequence[str], start: date | None = None
    ) -> dict[str, pd.DataFrame]:
        if not symbols:
            return {}
        last_error: Exception | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                raw = self._downloader()(
                    list(symbols),
                    start=(start or date(1927, 12, 1)).isoformat(),
                    # ``end`` is exclusive in yfinance: ask up to tomorrow.
                    end=(date.today() + timedelta(days=1)).isoformat(),
                    interval="1d",
                    auto_adjust=False,
                    actions=False,
                    group_by="ticker",
                    progress=False,
                    threads=True,
                    multi_level_index=True,
                    timeout=self.timeout,
                    session=self.session,
                )
                frames = split_download(raw, symbols)
                if frames:
                    return frames
                last_error = DataSourceError("Yahoo returned no data")
            except DataSourceError as exc:
                last_error = exc
            except Exception as exc:  # yfinance/curl errors are not a stable hierarchy
                last_error = exc
            log.warning(
                "Yahoo download attempt %d/%d failed: %s", attempt, self.attempts, last_error
            )
            if attempt < self.attempts:
                self._sleep(self.backoff * 2 ** (attempt - 1))
        raise DataSourceError(
            f"Yahoo Finance is unreachable or returned no data after {self.attempts} attempts "
            f"({last_error})"
        )


    def describe(self, symbol: str) -> InstrumentInfo | None:
        """Yahoo's chart metadata for ``symbol`` (one small request through yfinance's own
        session, cookie and crumb); ``None`` when Yahoo answers that it has no such symbol.

        ``yfinance.Ticker.history`` cannot tell an unknown symbol from an unreachable Yahoo
        (both come back as "no timezone found"), so the chart endpoint is asked directly:
        a 404 means unknown; a connection error, a 429 or a 5xx is retried with backoff,
        then raises :class:`DataSourceError`.
        """
        from yfinance.data import YfData  # noqa: PLC0415 (slow to import, only needed when fetching)

        last_error: Exception | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                rsp = YfData(session=self.session).get(
                    CHART_URL + quote(symbol), params={"range": "5d", "interval": "1d"}, timeout=self.timeout
                )
                if rsp.status_code == 404:
                    return None
                if rsp.status_code >= 400:
                    raise DataSourceError(f"Yahoo answered HTTP {rsp.status_code}")
                return _instrument(symbol, rsp.json())
            except Exception as exc:  # yfinance/curl errors are not a stable hierarchy
                last_error = exc
            log.warning("Yahoo lookup of %s, attempt %d/%d failed: %s", symbol, attempt, self.attempts, last_error)
            if attempt < self.attempts:
                self._sleep(self.backoff * 2 ** (attempt - 1))
        raise DataSourceError(f"Yahoo Finance could not be reached to look up {symbol} ({last_error})")


def _instrument(symbol: str, payload: Any) -> InstrumentInfo | None:
    result = (payload.get("chart") or {}).get("result") or []
    if not result:
        return None
    meta = result[0].get("meta") or {}
    return InstrumentInfo(
        symbol=symbol,
        name=str(meta.get("longName") or meta.get("shortName") or symbol),
        kind=str(meta.get("instrumentType") or ""),
        currency=str(meta.get("currency") or ""),
        exchange=str(meta.get("fullExchangeName") or meta.get("exchangeName") or ""),
        timezone=str(meta.get("exchangeTimezoneName") or ""),
    )


def split_download(raw: Any, symbols: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Split a yfinance ``download`` result into one standard frame per symbol.

    Handles both column layouts (``(ticker, field)`` with ``group_by="ticker"`` and a
    flat frame for a single symbol) and drops rows whose close is missing.
    """
    if raw is None or not isinstance(raw, pd.DataFrame) or raw.empty:
        return {}
    out: dict[str, pd.DataFrame] = {}
    if isinstance(raw.columns, pd.MultiIndex):
        level0 = set(raw.columns.get_level_values(0))
        for sym in symbols:
            part: pd.DataFrame
            if sym in level0:
                part = pd.DataFrame(raw[sym])
            elif sym in set(raw.columns.get_level_values(1)):
                part = pd.DataFrame(raw.xs(sym, axis=1, level=1))
            else:
                continue
            df = normalise_bars(part)
            df = df[df["close"].notna()]
            if not df.empty:
                out[sym] = df
    elif len(symbols) == 1:
        df = normalise_bars(raw)
        df = df[df["close"].notna()]
        if not df.empty:
            out[symbols[0]] = df
    return out
