"""Parse the text of ``/streak`` and ``/records`` (pure; every failure is a UserError).

The same natural forms as the questions, read by the same resolver:

* symbols may be phrases of several words (``S&P 500``, ``Russell 2000``, ``small caps``,
  even misspelled: ``Russel 2000``): consecutive words are grouped when together they name
  one symbol (:func:`bot.domain.symbols.phrase_length`), longest first; each group is
  resolved later by :func:`bot.domain.symbols.resolve`;
* ``vs``, ``vs.``, ``versus``, ``against``, ``and``, ``&`` between two symbols, and a
  ``the`` before one, are dropped: ``small caps vs large caps``, ``rut vs. the spx``;
  ``RUT/SPX`` is two symbols;
* a bare date (``2026-01-22``, or ``1/22/2026`` month first) is the as-of, like
  ``--as-of 2026-01-22``;
* ``/records`` also takes a year (``/records spx 2022``); ``/streak`` takes ``chart`` and
  ``next`` (what happened after the earlier streaks as long as this one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.domain.errors import UserError
from bot.domain.symbols import MAX_PHRASE_WORDS, phrase_length
from bot.domain.time import parse_iso_date

MAX_WORDS = MAX_PHRASE_WORDS

# Words between two symbols that only join them; "v" and "v." only there (V is a ticker).
CONNECTORS = frozenset({"vs", "vs.", "v", "v.", "versus", "against", "and", "&"})

_DATE_LIKE = re.compile(r"^[0-9][0-9./\-]*[0-9]$")
_ISO = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")
_US = re.compile(r"^(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})/(?P<y>[0-9]{4})$")
_YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class CommandArgs:
    """What a slash command asked for."""

    symbols: list[str] = field(default_factory=list)
    as_of: date | None = None
    year: int | None = None
    chart: bool = False
    help: bool = False
    next: bool = False  # ``/streak A B next``: what happened after earlier streaks this long


def parse_date_word(word: str) -> date | None:
    """A date written as one word, or ``None`` when the word is not date-like.

    ``2026-01-22`` (ISO) or ``1/22/2026`` (month first, as US desks write it) -> the date;
    ``SPX`` or ``2024`` -> ``None``.

    Raises
    ------
    UserError
        For a date-like word that is no date (``2025-13-01``), in one line.
    """
    w = word.strip()
    if not _DATE_LIKE.match(w) or _YEAR.match(w) or not ("-" in w or "/" in w):
        return None
    if _ISO.match(w):
        y, m, d = (int(p) for p in w.split("-"))
    elif (us := _US.match(w)) is not None:
        y, m, d = int(us["y"]), int(us["m"]), int(us["d"])
    else:
        return parse_iso_date(w)  # raises: says the format
    try:
        return date(y, m, d)
    except ValueError:
        raise UserError(f"'{w}' is not a date: use YYYY-MM-DD, e.g. 2026-01-22.") from None


def _split_slashes(words: list[str]) -> list[str]:
    """``RUT/SPX`` -> ``RUT``, ``SPX`` (a date such as ``1/22/2026`` stays whole)."""
    out: list[str] = []
    for w in words:
        parts = w.split("/")
        if len(parts) > 1 and all(parts) and not _DATE_LIKE.match(w):
            out += parts
        else:
            out.append(w)
    return out


def _group_words(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        n = phrase_length(words, i)
        out.append(" ".join(words[i : i + n]))
        i += n
    return out


def _drop_joiners(items: list[str]) -> list[str]:
    """Connectors between two items and a ``the`` before one are not symbols."""
    out: list[str] = []
    for k, item in enumerate(items):
        low = item.lower()
        inner = 0 < k < len(items) - 1
        if (low in CONNECTORS and inner) or (low == "the" and k < len(items) - 1):
            continue
        out.append(item)
    return out


def _one_date(current: date | None, new: date) -> date:
    if current is not None and current != new:
        raise UserError(
            f"Give one date at most: {current:%Y-%m-%d} or {new:%Y-%m-%d}? e.g. /streak RUT SPX 2026-01-22."
        )
    return new


def parse_command_text(
    text: str, *, allow_year: bool = False, allow_chart: bool = False, allow_next: bool = False
) -> CommandArgs:
    """Split ``small caps vs SPX 2026-01-22 chart`` into symbols and options.

    Raises
    ------
    UserError
        When the text cannot be understood; the message names the problem.
    """
    words = (text or "").replace("\u2014", "--").replace("\u2013", "--").split()
    if not words or (len(words) == 1 and words[0].lower() in {"help", "-h", "--help", "?"}):
        return CommandArgs(help=True)
    as_of: date | None = None
    year: int | None = None
    chart = False
    want_next = False
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
            as_of = _one_date(as_of, parse_date_word(value) or parse_iso_date(value))
        elif low == "chart" and allow_chart:
            chart = True
        elif low == "next" and allow_next:
            want_next = True
        elif low.startswith("--"):
            raise UserError(f"Unknown option {w}.")
        else:
            rest.append(w)
        i += 1
    symbols: list[str] = []
    for item in _drop_joiners(_group_words(_split_slashes(rest))):
        day = parse_date_word(item)
        if day is not None:
            as_of = _one_date(as_of, day)
        # ASCII only: str.isdigit() also accepts '²⁰²⁴', which int() rejects.
        elif allow_year and _YEAR.match(item):
            if year is not None:
                raise UserError("Give one year at most, e.g. /records SPX 2024.")
            year = int(item)
        else:
            symbols.append(item)
    return CommandArgs(symbols=symbols, as_of=as_of, year=year, chart=chart, next=want_next)


__all__ = ["CONNECTORS", "MAX_WORDS", "CommandArgs", "parse_command_text", "parse_date_word"]
