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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("small caps vs large caps", CommandArgs(symbols=["small caps", "large caps"])),
        ("rut spx 2026-01-22", CommandArgs(symbols=["rut", "spx"], as_of=date(2026, 1, 22))),
        ("rut vs. spx", CommandArgs(symbols=["rut", "spx"])),
        ("rut versus the spx", CommandArgs(symbols=["rut", "the spx"])),
        ("RUT/SPX", CommandArgs(symbols=["RUT", "SPX"])),
        ("Russel 2000 against S & P 500", CommandArgs(symbols=["Russel 2000", "S & P 500"])),
        ("equal weight vs cap weight", CommandArgs(symbols=["equal weight", "cap weight"])),
        ("tech sector and utilities 1/22/2026", CommandArgs(symbols=["tech sector", "utilities"],
                                                            as_of=date(2026, 1, 22))),
        ("V SPX", CommandArgs(symbols=["V", "SPX"])),  # V first is a ticker, not "versus"
    ],
)
def test_streak_forms(text: str, expected: CommandArgs) -> None:
    assert parse_command_text(text, allow_chart=True) == expected


def test_records_forms() -> None:
    assert parse_command_text("spx 2022", allow_year=True) == CommandArgs(symbols=["spx"], year=2022)
    assert parse_command_text("the Russell 2000 2021", allow_year=True) == CommandArgs(
        symbols=["the Russell 2000"], year=2021,
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rut spx 2026-02-30", "'2026-02-30' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."),
        ("rut spx 13/01/2026", "'13/01/2026' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."),
        ("rut spx 2026-01-22 --as-of 2026-01-23",
         "Give one date at most: 2026-01-23 or 2026-01-22? e.g. /streak RUT SPX 2026-01-22."),
    ],
)
def test_bad_dates_are_one_line(text: str, problem: str) -> None:
    with pytest.raises(UserError) as err:
        parse_command_text(text)
    assert str(err.value) == problem


def test_next_is_an_option_only_where_allowed() -> None:
    assert parse_command_text("RUT SPX 2026-01-22 next", allow_next=True) == CommandArgs(
        symbols=["RUT", "SPX"], as_of=date(2026, 1, 22), next=True,
    )
    assert parse_command_text("small caps vs large caps NEXT", allow_next=True).symbols == [
        "small caps", "large caps",
    ]
    assert parse_command_text("RUT SPX next").symbols == ["RUT", "SPX", "next"]
