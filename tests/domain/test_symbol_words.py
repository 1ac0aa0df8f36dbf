"""The one resolver of what users type: everyday words, tickers to fetch, phrases to group."""

from __future__ import annotations

import pytest

from bot.domain.errors import UserError
from bot.domain.symbols import (
    EVERYDAY,
    UnknownSymbolError,
    fetch_symbol,
    multi_word_phrases,
    phrase_sources,
    resolve,
)

AVAILABLE = {"^GSPC", "^RUT", "^NDX", "^IXIC", "^DJI", "XLK", "RSP"}


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("small caps", "^RUT"), ("Small  Caps", "^RUT"), ("large caps", "^GSPC"),
        ("the market", "^GSPC"), ("tech", "^NDX"), ("big tech", "^NDX"), ("the Dow", "^DJI"),
        ("blue chips", "^DJI"), ("the composite", "^IXIC"), ("equal weight", "RSP"),
        ("tech sector", "XLK"),
    ],
)
def test_everyday_words_resolve(text: str, symbol: str) -> None:
    assert resolve(text, AVAILABLE) == symbol


def test_a_symbol_in_the_data_wins_over_an_everyday_word() -> None:
    assert resolve("tech", {"TECH", "^NDX"}) == "TECH"


def test_an_everyday_word_without_data_is_an_unknown_symbol_and_a_user_error() -> None:
    with pytest.raises(UnknownSymbolError) as err:
        resolve("energy", AVAILABLE)
    assert isinstance(err.value, UserError)
    assert str(err.value).startswith("Unknown symbol 'energy'.")


@pytest.mark.parametrize(
    ("text", "symbol"),
    [("SPX", "^GSPC"), ("small caps", "^RUT"), ("NDX", "^NDX"), ("xlk", "XLK"), ("^vix", "^VIX")],
)
def test_fetch_symbol_names_stored_symbols_aliases_and_raw_tickers(text: str, symbol: str) -> None:
    assert fetch_symbol(text, {"^GSPC", "^RUT"}) == symbol


def test_fetch_symbol_refuses_what_is_not_a_ticker() -> None:
    with pytest.raises(UserError) as err:
        fetch_symbol("not a ticker!", {"^GSPC"})
    assert str(err.value) == "'not a ticker!' is not a ticker (e.g. ^RUT, IWM, SPX)"


def test_multi_word_phrases_are_normalised_and_longest_first() -> None:
    phrases = multi_word_phrases()
    assert {"S&P 500", "RUSSELL 2000", "SMALL CAPS", "THE EQUAL WEIGHT S&P 500"} <= set(phrases)
    lengths = [len(p.split()) for p in phrases]
    assert lengths == sorted(lengths, reverse=True)
    assert all(" " in p and p == p.upper() for p in phrases)


def test_phrase_sources_put_everyday_words_first_then_aliases_then_names() -> None:
    sources = phrase_sources()
    assert sources[: len(EVERYDAY)] == list(EVERYDAY.items())
    assert ("SPX", "^GSPC") in sources
    assert ("Technology sector", "XLK") in sources  # the name without "(XLK)"
