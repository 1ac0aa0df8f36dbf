"""How a date is written for people (``Jan 2, 2026``): the one format, shared by answers and errors.

It lives in the domain because user-error messages raised below the render layer name
dates too; :mod:`bot.render.format` re-exports it beside the other desk-note formats.
"""

from __future__ import annotations

from datetime import date, datetime

DateLike = date  # a date, a datetime or a pd.Timestamp (both are dates): its date is used


def day_of(x: DateLike) -> date:
    """The calendar day of a date, a datetime or a ``pd.Timestamp``."""
    return x.date() if isinstance(x, datetime) else x


def fmt_date(x: DateLike) -> str:
    """``Jan 2, 2026``."""
    d = day_of(x)
    return f"{d:%b} {d.day}, {d.year}"
