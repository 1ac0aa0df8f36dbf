"""Symbols: aliases, everyday words, display names and the one resolver of what users type.

Resolution is pure: it takes the set of symbols that have data and never touches the
network. ``resolve("rut", available)`` -> ``"^RUT"``, ``resolve("small caps", available)``
-> ``"^RUT"``. The slash commands, the plain-words question parser and the command line all
read symbols through this module, so a word means the same thing everywhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass

from bot.domain.errors import UserError


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

# Everyday words for a symbol, lower case as people write them (only used when they have
# data): "small caps", "the market", "tech". Multi-word aliases above and display names
# are phrases too; see :func:`phrase_sources`.
EVERYDAY: dict[str, str] = {
    # small caps
    "small caps": "^RUT", "small cap": "^RUT", "the russell": "^RUT", "russell 2k": "^RUT",
    "small cap index": "^RUT",
    # large caps / the market
    "large caps": "^GSPC", "large cap": "^GSPC", "the market": "^GSPC",
    "the stock market": "^GSPC", "stock market": "^GSPC", "the broad market": "^GSPC",
    "the s&p": "^GSPC", "stocks": "^GSPC", "the spx": "^GSPC",
    # tech
    "tech": "^NDX", "tech stocks": "^NDX", "big tech": "^NDX", "technology stocks": "^NDX",
    "the nasdaq 100": "^NDX", "the ndx": "^NDX",
    # the Nasdaq Composite
    "the nasdaq": "^IXIC", "nasdaq composite": "^IXIC", "the nasdaq composite": "^IXIC",
    "the composite": "^IXIC",
    # the Dow
    "the dow": "^DJI", "blue chips": "^DJI", "blue chip": "^DJI", "the dow jones": "^DJI",
    "dow industrials": "^DJI", "the dow industrials": "^DJI",
    # equal weight and sectors (used only when they have data)
    "equal weight": "RSP", "equal weight s&p": "RSP", "equal weight s&p 500": "RSP",
    "equal weighted s&p": "RSP", "equal weighted s&p 500": "RSP",
    "the equal weight s&p": "RSP", "the equal weight s&p 500": "RSP",
    "tech sector": "XLK", "technology sector": "XLK", "financials": "XLF", "banks": "XLF",
    "energy": "XLE", "energy stocks": "XLE", "health care": "XLV", "healthcare": "XLV",
    "consumer discretionary": "XLY", "discretionary": "XLY",
    "consumer staples": "XLP", "staples": "XLP", "industrials": "XLI",
    "materials": "XLB", "utilities": "XLU", "real estate": "XLRE",
    "communication services": "XLC", "communications": "XLC",
}

_EVERYDAY_KEYS: dict[str, str] = {" ".join(k.upper().split()): v for k, v in EVERYDAY.items()}
_TICKER = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]{0,14}$")


class UnknownSymbolError(UserError):
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
    """Resolve an alias, a display name, an everyday word or a raw ticker to a symbol that has data.

    Parameters
    ----------
    text : str
        What the user typed (case-insensitive): ``"rut"``, ``"S&P 500"``, ``"^RUT"``,
        ``"IWM"``, ``"GSPC"``, ``"small caps"``.
    available : collection of str
        Symbols with data (``"^GSPC"``, ``"IWM"``...).

    Raises
    ------
    UnknownSymbolError
        With close matches among aliases, names and available symbols.
    """
    found = find(text, available)
    if found is not None:
        return found
    key = normalise(text)
    if not key:
        raise UnknownSymbolError(text, [])
    raise UnknownSymbolError(text.strip(), suggest(key, set(available)))


def find(text: str, available: Collection[str]) -> str | None:
    """What :func:`resolve` answers, or ``None`` (no suggestions computed: cheap to call).

    For scanning free text, where most words name no symbol.
    """
    key = normalise(text)
    if not key:
        return None
    for cand in _candidates(key):
        if cand is not None and cand in available:
            return cand
    return None


def _candidates(key: str) -> list[str | None]:
    """What a normalised ``key`` may name, most specific first (raw tickers before words)."""
    names = [info.symbol for info in KNOWN.values() if normalise(info.name) == key]
    return [*reversed(names), ALIASES.get(key), key, "^" + key, _EVERYDAY_KEYS.get(key)]


def fetch_symbol(text: str, stored: Collection[str]) -> str:
    """The symbol to fetch for what a user typed: one with data, else the alias's or the ticker.

    ``streakbot update`` may name a symbol that is not stored yet (``"XLK"``, ``"^VIX"``).

    Raises
    ------
    UserError
        When ``text`` names nothing with data and does not look like a ticker.
    """
    try:
        return resolve(text, stored)
    except UnknownSymbolError:
        if not looks_like_ticker(text):
            raise UserError(f"'{text}' is not a ticker (e.g. ^RUT, IWM, SPX)") from None
        return ALIASES.get(normalise(text), normalise(text))


def phrase_sources() -> list[tuple[str, str]]:
    """Every word or phrase that names a symbol, as ``(phrase, symbol)``, in precedence order.

    Everyday words first, then aliases, then display names without their parenthesised
    ticker (``"Technology sector"``). The question parser builds its phrase table from this.
    """
    out: list[tuple[str, str]] = list(EVERYDAY.items())
    out += list(ALIASES.items())
    out += [(re.sub(r"\s*\([^)]*\)", "", info.name), info.symbol) for info in KNOWN.values()]
    return out


def multi_word_phrases() -> list[str]:
    """Normalised aliases, display names and everyday words of several words, longest first.

    The slash commands join consecutive words that together form one of these
    (``S&P 500``, ``Russell 2000``, ``small caps``), so :func:`resolve` sees the phrase.
    """
    phrases = (
        {a for a in ALIASES if " " in a}
        | {normalise(i.name) for i in KNOWN.values() if " " in i.name}
        | {k for k in _EVERYDAY_KEYS if " " in k}
    )
    return sorted(phrases, key=lambda p: -len(p.split()))


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
