"""The "data as of" note of a summary whose data is behind the session asked for."""

from __future__ import annotations

from datetime import date

from bot.render.format import fmt_date


def stale_note(
    data_as_of: date, wanted: date, refresh_error: str | None = None, *, latest: bool = False
) -> str:
    """``Data as of Dec 31, 2025: the Jan 2, 2026 close is not in the data yet.``

    ``latest``: ``wanted`` is the last completed NYSE session (worded as in ``/streak``).

    >>> stale_note(date(2026, 9, 17), date(2026, 12, 3), latest=True)
    'Data as of Sep 17, 2026: the latest NYSE session (Dec 3, 2026) is not in the data yet.'
    """
    what = (
        f"the latest NYSE session ({fmt_date(wanted)})" if latest else f"the {fmt_date(wanted)} close"
    )
    text = f"Data as of {fmt_date(data_as_of)}: {what} is not in the data yet"
    if refresh_error:
        text += f" (the price update failed: {refresh_error})"
    return text + "."


def with_note(note: str | None, body: str) -> str:
    """The note (if any), a blank line, then ``body``: how ``streakbot leaders`` prints."""
    return f"{note}\n\n{body}" if note else body


__all__ = ["stale_note", "with_note"]
