"""Time helpers: the New York zone, the first trusted NYSE session, aware-instant checks and
the one ISO date parser."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError

NY_TZ = ZoneInfo("America/New_York")
"""The NYSE's zone: sessions, closes and the daily post's times are New York times."""

# exchange_calendars' pre-1970 NYSE holidays do not match the historical data (verified:
# the bundled GSPC closes have 416 sessions before 1970 that the XNYS calendar expects but
# the data lacks -- special closures it does not know about -- against 0 mismatches either
# way from 1970 to 2025), so gap checks only use sessions from 1970.
CALENDAR_RELIABLE_FROM = date(1970, 1, 1)


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
