"""Small, pure formatting helpers for desk-note style text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.domain.dates import DateLike, fmt_date
from bot.domain.dates import day_of as _d

__all__ = [
    "DateLike",
    "a_ordinal",
    "article",
    "cardinal_words",
    "compact_dates",
    "fmt_date",
    "fmt_level",
    "fmt_month",
    "fmt_pct",
    "fmt_pct_apart",
    "fmt_pct_unsigned",
    "fmt_pct_visible",
    "fmt_range",
    "ordinal",
    "ordinal_word",
    "plural",
    "spelled_ordinal",
]


def fmt_month(x: DateLike) -> str:
    """``May 1996``."""
    return f"{_d(x):%b %Y}"


def fmt_range(start: DateLike, end: DateLike) -> str:
    """``Jan 2 – Jan 22, 2026``; across years ``Dec 29, 2025 – Jan 5, 2026``; one day alone."""
    s, e = _d(start), _d(end)
    if s == e:
        return fmt_date(s)
    if s.year == e.year:
        return f"{s:%b} {s.day} – {e:%b} {e.day}, {e.year}"
    return f"{fmt_date(s)} – {fmt_date(e)}"


def fmt_pct(x: float, digits: int = 2) -> str:
    """Signed percent of a fraction: ``0.0123`` -> ``+1.23%``, ``-0.004`` -> ``-0.40%``."""
    return f"{x * 100:+.{digits}f}%"


MAX_PCT_DIGITS = 6  # decimals of a percent at most: 0.000001% is a hundredth of a millionth


def _rounds_to_zero(x: float, digits: int) -> bool:
    return set(f"{abs(x) * 100:.{digits}f}") <= {"0", "."}


def fmt_pct_visible(x: float, digits: int = 2) -> str:
    """:func:`fmt_pct` with more decimals when a non-zero move would show as ``+0.00%``:
    ``0.000012`` -> ``+0.0012%`` (``0.0`` stays ``+0.00%``)."""
    d = digits
    while x != 0 and d < MAX_PCT_DIGITS and _rounds_to_zero(x, d):
        d += 1
    return fmt_pct(x, d)


def fmt_pct_apart(x: float, y: float, digits: int = 2) -> tuple[str, str]:
    """Both as percents with enough decimals to tell them apart when they differ:
    ``(0.0043121, 0.0043089)`` -> ``("+0.4312%", "+0.4309%")``; each is also visible."""
    d = digits
    while x != y and d < MAX_PCT_DIGITS and fmt_pct(x, d) == fmt_pct(y, d):
        d += 1
    return fmt_pct_visible(x, d), fmt_pct_visible(y, d)


def fmt_pct_unsigned(x: float, digits: int = 2) -> str:
    """``0.0123`` -> ``1.23%``."""
    return f"{x * 100:.{digits}f}%"


def fmt_level(x: float) -> str:
    """Index level with thousands separators: ``6932.05`` -> ``6,932.05``."""
    return f"{x:,.2f}"


def ordinal(n: int) -> str:
    """``1`` -> ``1st``, ``2`` -> ``2nd``, ``11`` -> ``11th``, ``23`` -> ``23rd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_WORDS = [
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth",
]


def ordinal_word(n: int) -> str:
    """``8`` -> ``eighth`` up to twelfth, then ``13th``: how a desk note writes it."""
    return _WORDS[n] if 0 < n < len(_WORDS) else ordinal(n)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 session``, ``14 sessions``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def compact_dates(dates: Iterable[date]) -> str:
    """Dates grouped by month: ``Jan 23, 24; Feb 18; Dec 24`` (one year assumed)."""
    ds = [_d(x) for x in dates]
    groups: list[tuple[str, list[str]]] = []
    for d in ds:
        label = f"{d:%b}"
        if groups and groups[-1][0] == label:
            groups[-1][1].append(str(d.day))
        else:
            groups.append((label, [str(d.day)]))
    return "; ".join(f"{m} {', '.join(days)}" for m, days in groups)


_UNITS = [
    "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth",
              "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def cardinal_words(n: int) -> str:
    """``113`` -> ``one hundred thirteen`` (1 to 999)."""
    if not 0 < n < 1000:
        raise ValueError(f"cardinal_words takes 1..999, got {n}")
    hundreds, rest = divmod(n, 100)
    parts = [f"{_UNITS[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        parts.append(_TENS[tens] + (f"-{_UNITS[unit]}" if unit else ""))
    elif rest:
        parts.append(_UNITS[rest])
    return " ".join(parts)


def spelled_ordinal(n: int) -> str:
    """``8`` -> ``eighth``, ``21`` -> ``twenty-first``, ``113`` -> ``one hundred thirteenth``."""
    words = cardinal_words(n)
    head, sep, last = words.rpartition("-") if "-" in words else words.rpartition(" ")
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def article(n: int) -> str:
    """The article before the ordinal of ``n`` as it is read aloud: ``an`` for 8th, 11th,
    18th, 80th-89th (an eighth, an eleventh), ``a`` otherwise (a 1st: "a first")."""
    spoken = spelled_ordinal(n)
    return "an" if spoken[0] in "aeiou" and not spoken.startswith("one") else "a"


def a_ordinal(n: int, *, words: bool = False) -> str:
    """``an 11th``, ``a 14th``; with ``words`` ``an eleventh``, ``a fourteenth``."""
    return f"{article(n)} {spelled_ordinal(n) if words else ordinal(n)}"
