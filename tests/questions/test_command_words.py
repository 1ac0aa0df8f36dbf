"""Slash-command text reads symbol phrases through the one resolver's phrase list."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.errors import UserError
from bot.questions.command_text import CommandArgs, parse_command_text


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("small caps SPX", ["small caps", "SPX"]),
        ("the market Russell 2000", ["the market", "Russell 2000"]),
        ("S&P 500 tech", ["S&P 500", "tech"]),
    ],
)
def test_everyday_phrases_are_one_symbol(text: str, symbols: list[str]) -> None:
    assert parse_command_text(text) == CommandArgs(symbols=symbols)


def test_as_of_uses_the_iso_date_parser() -> None:
    assert parse_command_text("RUT --as-of 2026-01-22").as_of == date(2026, 1, 22)
    with pytest.raises(UserError) as err:
        parse_command_text("RUT --as-of 22/01/2026")
    assert str(err.value) == "'22/01/2026' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."
