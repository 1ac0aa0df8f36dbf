"""Time helpers: the New York zone, the first trusted NYSE session, aware-instant checks and
the one ISO date parser."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError

NY_TZ = ZoneInfo("America/New_York")
"""The NYSE's zone: sessions, closes and the daily post's times are New York times."""



def require_aware(now: datetime, name: str = "now") -> None:
    """Raise ``ValueError`` unless ``now`` is a tz-aware instant (a naive one is ambiguous)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {now!r}")


def parse_iso_date(text: str) -> date:
    """``YYYY-MM-DD`` (surrounding spaces allowed) as a date.

    Raises
    ------
    UserError
        With the expected format, fit to show to whoever typed ``text``.
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-01-22.") from None
