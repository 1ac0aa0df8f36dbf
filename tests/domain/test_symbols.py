"""Symbol aliases, names and resolution (a parser of what people type)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.symbols import UnknownSymbolError, display_name, resolve

AVAILABLE = {"^GSPC", "^RUT", "^NDX", "^IXIC", "^DJI", "SPY", "IWM", "QQQ", "XLK", "XLE", "BRK-B"}


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("SPX", "^GSPC"), ("spx", "^GSPC"), ("S&P 500", "^GSPC"), ("s&p  500", "^GSPC"),
        ("S&P", "^GSPC"), ("ES", "^GSPC"), ("GSPC", "^GSPC"), ("^GSPC", "^GSPC"),
        ("RUT", "^RUT"), ("R2K", "^RUT"), ("RTY", "^RUT"), ("Russell 2000", "^RUT"), ("^rut", "^RUT"),
        ("NDX", "^NDX"), ("Nasdaq 100", "^NDX"), ("nasdaq-100", "^NDX"),
        ("COMP", "^IXIC"), ("Nasdaq", "^IXIC"), ("IXIC", "^IXIC"), ("Nasdaq Composite", "^IXIC"),
        ("DJIA", "^DJI"), ("INDU", "^DJI"), ("Dow", "^DJI"), ("dow jones", "^DJI"),
        ("Dow Jones Industrial Average", "^DJI"),
        ("IWM", "IWM"), ("iwm", "IWM"), ("XLK", "XLK"), ("brk-b", "BRK-B"),
    ],
)
def test_aliases_names_and_raw_symbols(text: str, symbol: str) -> None:
    assert resolve(text, AVAILABLE) == symbol


def test_unknown_symbol_names_close_matches() -> None:
    with pytest.raises(UnknownSymbolError) as err:
        resolve("SXP", AVAILABLE)
    assert "Unknown symbol 'SXP'." in str(err.value)
    assert "SPX" in err.value.suggestions


def test_an_alias_without_data_is_unknown() -> None:
    with pytest.raises(UnknownSymbolError):
        resolve("NDX", {"^GSPC"})


def test_display_names() -> None:
    assert display_name("^RUT") == "Russell 2000"
    assert display_name("^GSPC") == "S&P 500"
    assert display_name("FOO") == "FOO"


@given(st.text(max_size=200))
def test_resolve_either_answers_an_available_symbol_or_raises_unknown(text: str) -> None:
    try:
        assert resolve(text, AVAILABLE) in AVAILABLE
    except UnknownSymbolError as exc:
        assert str(exc).startswith("Unknown symbol")
        # Every suggestion is itself something the user could type and get an answer for.
        assert all(resolve(s, AVAILABLE) in AVAILABLE for s in exc.suggestions)
