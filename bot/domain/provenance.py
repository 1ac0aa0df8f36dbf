"""Where the prices come from, in words for answers and posts.

Answers name the data's origin in words ("Source: Yahoo Finance (S&P Dow Jones Indices,
FTSE Russell)"), never a file path or a database URL: those are for ``-v`` logs. The
machine-friendly :data:`Origin` value is what JSON output carries as ``source``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from bot.domain.symbols import is_adjusted

Origin = Literal["bundled", "yahoo", "bundled+yahoo", "csv"]
"""``bundled``: the Yahoo Finance history shipped with the package; ``yahoo``: fetched
from Yahoo Finance; ``bundled+yahoo``: bundled history brought up to date from Yahoo;
``csv``: a ``--data-dir`` folder of CSV files."""

# Who computes and publishes each index (Yahoo Finance only redistributes the closes).
INDEX_PROVIDERS: dict[str, str] = {
    "^GSPC": "S&P Dow Jones Indices",
    "^DJI": "S&P Dow Jones Indices",
    "^RUT": "FTSE Russell",
    "^IXIC": "Nasdaq",
    "^NDX": "Nasdaq",
    "^VIX": "Cboe",
}
_PROVIDER_ORDER: tuple[str, ...] = ("S&P Dow Jones Indices", "FTSE Russell", "Nasdaq", "Cboe")


def origin_of(source_name: str) -> Origin:
    """The origin of a :class:`~bot.adapters.sources.PriceSource` by its ``name``."""
    if source_name == "bundled data":
        return "bundled"
    if source_name == "Yahoo Finance":
        return "yahoo"
    return "csv"


def origin_from_sources(sources: set[str]) -> Origin:
    """``bundled``, ``yahoo`` or ``bundled+yahoo``: what last wrote the stored series
    (the ``source`` of each)."""
    if sources == {"Yahoo Finance"}:
        return "yahoo"
    if "Yahoo Finance" in sources:
        return "bundled+yahoo"
    return "bundled"


def providers(symbols: Iterable[str]) -> list[str]:
    """The index providers behind ``symbols``, each once, in a fixed order."""
    found = {INDEX_PROVIDERS[s] for s in symbols if s in INDEX_PROVIDERS}
    return [p for p in _PROVIDER_ORDER if p in found]


def source_words(origin: str, symbols: Iterable[str]) -> str:
    """The data's origin in words, for the symbols an answer is about.

    >>> source_words("bundled", ["^RUT", "^GSPC"])
    'Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)'
    >>> source_words("yahoo", ["IWM", "SPY"])
    'Yahoo Finance (dividend-adjusted)'
    >>> source_words("csv", ["^GSPC"])
    'CSV folder'
    """
    if origin == "csv":
        return "CSV folder"
    syms = list(symbols)
    words = ", ".join(providers(syms))
    if any(is_adjusted(s) for s in syms):
        words = f"{words}; ETF closes dividend-adjusted" if words else "dividend-adjusted"
    return f"Yahoo Finance ({words})" if words else "Yahoo Finance"
