"""Parse the text of ``/streak`` and ``/records`` (pure; every failure is a UserError).

Symbols may be phrases of several words (``S&P 500``, ``Russell 2000``, ``small caps``):
consecutive words are joined when together they form one that
:func:`bot.domain.symbols.resolve` knows, longest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.domain.errors import UserError
from bot.domain.symbols import multi_word_phrases, normalise
from bot.domain.time import parse_iso_date

_MULTI = multi_word_phrases()
MAX_WORDS = 3


@dataclass(frozen=True)
class CommandArgs:
    """What a slash command asked for."""

    symbols: list[str] = field(default_factory=list)
    as_of: date | None = None
    year: int | None = None
    chart: bool = False
    help: bool = False


def _group_words(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase in _MULTI:
            n = len(phrase.split())
            if normalise(" ".join(words[i : i + n])) == phrase:
                out.append(" ".join(words[i : i + n]))
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def parse_command_text(text: str, *, allow_year: bool = False, allow_chart: bool = False) -> CommandArgs:
    """Split ``RUT SPX --as-of 2026-01-22 chart`` into symbols and options.

    Raises
    ------
    UserError
        When the text cannot be understood; the message names the problem.
    """
    words = (text or "").replace("\u2014", "--").replace("\u2013", "--").split()
    if not words or (len(words) == 1 and words[0].lower() in {"help", "-h", "--help", "?"}):
        return CommandArgs(help=True)
    symbols: list[str] = []
    as_of: date | None = None
    year: int | None = None
    chart = False
    rest: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        low = w.lower()
        if low.startswith("--as-of"):
            if "=" in w:
                value = w.split("=", 1)[1]
            elif i + 1 < len(words):
                value = words[i + 1]
                i += 1
            else:
                raise UserError("--as-of needs a date, e.g. --as-of 2026-01-22.")
            as_of = parse_iso_date(value)
        elif low == "chart" and allow_chart:
            chart = True
        elif low.startswith("--"):
            raise UserError(f"Unknown option {w}.")
        else:
            rest.append(w)
        i += 1
    for item in _group_words(rest):
        # ASCII only: str.isdigit() also accepts '²⁰²⁴', which int() rejects.
        if allow_year and item.isascii() and item.isdigit() and len(item) == 4:
            if year is not None:
                raise UserError("Give one year at most, e.g. /records SPX 2024.")
            year = int(item)
        else:
            symbols.append(item)
    return CommandArgs(symbols=symbols, as_of=as_of, year=year, chart=chart)


__all__ = ["MAX_WORDS", "CommandArgs", "parse_command_text"]
