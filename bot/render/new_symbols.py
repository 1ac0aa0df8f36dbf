"""The words for a symbol added on request: the interim line and each outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.symbols import UnknownSymbolError

if TYPE_CHECKING:  # pandas, through the updater: never on the CLI's light start
    from bot.services.new_symbols import Added

__all__ = ["fetching_line", "not_added_line", "offline_line"]


def fetching_line(tickers: list[str], source: str) -> str:
    """``Fetching NVDA's daily history from Yahoo Finance…`` (shown while it runs)."""
    names = " and ".join(tickers)
    what = f"{names}'s daily history" if len(tickers) == 1 else f"the daily histories of {names}"
    return f"Fetching {what} from {source}… the answer follows here in a moment."


def offline_line(exc: UnknownSymbolError) -> str:
    """A ticker not in the data, with the network out of reach: how to add it."""
    ticker = exc.text.strip().upper()
    close = f" Close matches in the data: {', '.join(exc.suggestions)}." if exc.suggestions else ""
    return (f"{ticker} is not in the data, and Yahoo Finance cannot be reached from here to add it: "
            f"`streakbot update {ticker}` adds it where the network is.{close}")


def not_added_line(outcome: Added, source: str) -> str:
    """Why a requested symbol was not added (``status`` other than added or stored)."""
    s = outcome.symbol
    if outcome.status == "unknown":
        return f"{source} has no symbol {s}: check the ticker (Yahoo's spelling, e.g. BRK-B, ^SOX)."
    if outcome.status == "refused":
        return f"{outcome.reason}: streaks here count NYSE sessions, so {s} is not added."
    if outcome.status == "offline":
        return f"{s} is not in the data and the network is off: `streakbot update {s}` adds it where it is on."
    why = (outcome.reason or "no answer").split(" See https://")[0]
    return (f"{s} is not in the data, and fetching it from {source} failed ({why}); nothing was stored. "
            "Please try again in a few minutes.")
