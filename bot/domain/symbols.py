"""Symbols: aliases, display names and resolution of what a user typed.

Resolution is pure: it takes the set of symbols that have data and never touches the
network. ``resolve("rut", available)`` -> ``"^RUT"``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class SymbolInfo:
    """Display facts about a symbol.

    ``adjusted`` marks dividend-adjusted closes (fine for relative performance, wrong
    for price-record claims). ``^VIX`` is an index *level* (implied volatility, not a
    price): it is treated like a price index, so its "records" are record levels and its
    "returns" are relative changes of the level.
    """

    symbol: str
    name: str
    kind: str  # "index" or "etf"
    adjusted: bool = False


KNOWN: dict[str, SymbolInfo] = {
    s.symbol: s
    for s in [
        SymbolInfo("^GSPC", "S&P 500", "index"),
        SymbolInfo("^RUT", "Russell 2000", "index"),
        SymbolInfo("^NDX", "Nasdaq 100", "index"),
        SymbolInfo("^IXIC", "Nasdaq Composite", "index"),
        SymbolInfo("^DJI", "Dow Jones Industrial Average", "index"),
        SymbolInfo("^VIX", "Cboe Volatility Index", "index"),
        SymbolInfo("SPY", "SPDR S&P 500 ETF (SPY)", "etf", adjusted=True),
        SymbolInfo("RSP", "Invesco S&P 500 Equal Weight ETF (RSP)", "etf", adjusted=True),
        SymbolInfo("IWM", "iShares Russell 2000 ETF (IWM)", "etf", adjusted=True),
        SymbolInfo("QQQ", "Invesco QQQ Trust (QQQ)", "etf", adjusted=True),
        SymbolInfo("XLK", "Technology sector (XLK)", "etf", adjusted=True),
        SymbolInfo("XLF", "Financials sector (XLF)", "etf", adjusted=True),
        SymbolInfo("XLE", "Energy sector (XLE)", "etf", adjusted=True),
        SymbolInfo("XLV", "Health Care sector (XLV)", "etf", adjusted=True),
        SymbolInfo("XLY", "Consumer Discretionary sector (XLY)", "etf", adjusted=True),
        SymbolInfo("XLP", "Consumer Staples sector (XLP)", "etf", adjusted=True),
        SymbolInfo("XLI", "Industrials sector (XLI)", "etf", adjusted=True),
        SymbolInfo("XLB", "Materials sector (XLB)", "etf", adjusted=True),
        SymbolInfo("XLU", "Utilities sector (XLU)", "etf", adjusted=True),
        SymbolInfo("XLRE", "Real Estate sector (XLRE)", "etf", adjusted=True),
        SymbolInfo("XLC", "Communication Services sector (XLC)", "etf", adjusted=True),
    ]
}

SECTOR_ETFS: tuple[str, ...] = (
    "XLK", "XLF", "XLE", "XLV", "XLY", "XLP", "XLI", "XLB", "XLU", "XLRE", "XLC",
)
MAIN_INDICES: tuple[str, ...] = ("^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT")

# Keys are normalised (upper case, single spaces).
ALIASES: dict[str, str] = {
    "SPX": "^GSPC", "S&P 500": "^GSPC", "S&P500": "^GSPC", "S&P": "^GSPC", "ES": "^GSPC",
    "GSPC": "^GSPC", "SP500": "^GSPC", "SP 500": "^GSPC",
    "RUT": "^RUT", "R2K": "^RUT", "RTY": "^RUT", "RUSSELL 2000": "^RUT", "RUSSELL": "^RUT",
    "RUSSELL2000": "^RUT",
    "NDX": "^NDX", "NASDAQ 100": "^NDX", "NASDAQ-100": "^NDX", "NASDAQ100": "^NDX",
    "COMP": "^IXIC", "NASDAQ": "^IXIC", "NASDAQ COMPOSITE": "^IXIC", "IXIC": "^IXIC",
    "DJIA": "^DJI", "INDU": "^DJI", "DOW": "^DJI", "DOW JONES": "^DJI", "DJI": "^DJI",
    "THE DOW": "^DJI",
    "VIX": "^VIX", "CBOE VIX": "^VIX", "VOLATILITY INDEX": "^VIX",
}

_TICKER = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]{0,14}$")


class UnknownSymbolError(ValueError):
    """What the user typed is not a symbol with data; the message suggests close ones."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown symbol '{text}'.{hint}")


def normalise(text: str) -> str:
    """Upper-case and collapse white space: ``" s&p  500 "`` -> ``"S&P 500"``."""
    return " ".join(text.strip().upper().split())


def looks_like_ticker(text: str) -> bool:
    """True for raw Yahoo-style tickers such as ``^RUT``, ``IWM``, ``BRK-B``."""
    return bool(_TICKER.match(normalise(text)))


def resolve(text: str, available: Collection[str]) -> str:
    """Resolve an alias, a display name or a raw ticker to a symbol that has data.

    Parameters
    ----------
    text : str
        What the user typed (case-insensitive): ``"rut"``, ``"S&P 500"``, ``"^RUT"``,
        ``"IWM"``, ``"GSPC"``.
    available : collection of str
        Symbols with data (``"^GSPC"``, ``"IWM"``...).

    Raises
    ------
    UnknownSymbolError
        With close matches among aliases, names and available symbols.
    """
    key = normalise(text)
    avail = set(available)
    if not key:
        raise UnknownSymbolError(text, [])
    candidates = [ALIASES.get(key), key, "^" + key]
    for info in KNOWN.values():
        if normalise(info.name) == key:
            candidates.insert(0, info.symbol)
    for cand in candidates:
        if cand is not None and cand in avail:
            return cand
    raise UnknownSymbolError(text.strip(), suggest(key, avail))


def suggest(key: str, available: Collection[str], n: int = 3) -> list[str]:
    """Up to ``n`` close matches for ``key`` among aliases and available symbols."""
    pool: dict[str, str] = {}
    for alias, sym in ALIASES.items():
        if sym in available:
            pool[alias] = alias
    for sym in available:
        pool[sym] = sym
        pool[sym.lstrip("^")] = sym
    matches = difflib.get_close_matches(normalise(key), list(pool), n=n * 2, cutoff=0.6)
    out: list[str] = []
    for m in matches:
        label = pool[m]
        if label not in out:
            out.append(label)
    return out[:n]


def display_name(symbol: str) -> str:
    """Human name: ``"^RUT"`` -> ``"Russell 2000"``; unknown symbols as themselves."""
    info = KNOWN.get(symbol)
    return info.name if info else symbol


def is_adjusted(symbol: str) -> bool:
    """True when the stored closes are dividend-adjusted (not traded prices)."""
    info = KNOWN.get(symbol)
    return bool(info and info.adjusted)


def file_stem(symbol: str) -> str:
    """File name stem for a symbol's CSV: ``"^GSPC"`` -> ``"GSPC"``, ``"IWM"`` -> ``"IWM"``."""
    return symbol.lstrip("^")
