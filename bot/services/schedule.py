"""When the daily leadership post is due -- pure computation, clock injected.

A subscription asks for a wall-clock time in New York (``wanted``, default 16:30). The
post for session ``S`` is due at::

    due(S) = max(wanted on S's date in America/New_York, close(S) + SETTLE)

so it is never made before the close has settled: on a normal day (close 16:00) a wanted
time of 16:30 stands, 16:05 becomes 16:15; on an early-close day (13:00) 16:30 stands and
13:05 becomes 13:15. Because the due time always falls on ``S``'s own date, sessions and
due times are in the same order.

All wall-clock arithmetic is done with ``zoneinfo`` on local New York dates, never with
fixed UTC offsets, so 16:30 is 20:30Z under EDT and 21:30Z under EST.

This module does not know what has already been posted: :func:`due_session` says which
session's post should exist by ``now``; the caller compares it with the last session it
posted for.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.domain.ports import SessionCalendar
from bot.domain.time import NY_TZ, require_aware

__all__ = [
    "DEFAULT_POST_TIME",
    "SETTLE",
    "TZ",
    "due_session",
    "next_due",
    "parse_post_time",
    "post_time_for_session",
]

DEFAULT_POST_TIME = time(16, 30)
TZ = NY_TZ
# Delay after the official close before a post may go out (final prints, closing auction).
SETTLE = timedelta(minutes=15)

_USAGE = "Use HH:MM in New York time, e.g. 16:30"
# "16:30", "1630", "930", "4:30pm", "4:30 PM", "4pm", "4 p.m."
_TIME_RE = re.compile(
    r"^(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\s*(?P<ampm>[ap])?(?(ampm)\.?\s*m\.?)$",
    re.IGNORECASE,
)


def parse_post_time(text: str) -> time:
    """Parse a user-supplied New York post time.

    Accepts 24-hour ``"16:30"`` / ``"1630"`` / ``"930"`` and 12-hour ``"4:30pm"`` /
    ``"4:30 PM"`` / ``"4pm"``. Minutes may only be omitted with am/pm. Raises
    ``ValueError`` (message includes "Use HH:MM in New York time, e.g. 16:30") for
    anything else or out-of-range values.
    """
    cleaned = text.strip()
    m = _TIME_RE.match(cleaned)
    if m is None or (m["m"] is None and m["ampm"] is None):
        raise ValueError(f"Couldn't read {text!r} as a time. {_USAGE}")
    hour, minute = int(m["h"]), int(m["m"] or 0)
    if minute > 59:
        raise ValueError(f"{text!r} is not a valid time. {_USAGE}")
    if m["ampm"] is not None:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r} is not a valid 12-hour time. {_USAGE}")
        hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
    elif hour > 23:
        raise ValueError(f"{text!r} is not a valid time. {_USAGE}")
    return time(hour, minute)


def _check_wanted(wanted: time) -> None:
    if wanted.tzinfo is not None:
        raise ValueError("wanted must be a naive time (it is read as New York wall time)")


def post_time_for_session(cal: SessionCalendar, session: date, wanted: time) -> datetime:
    """When the post for ``session`` is due (tz-aware, America/New_York).

    ``max(datetime.combine(session, wanted, NY), session_close(session) + SETTLE)`` --
    never before the close has settled. Raises ``ValueError`` if ``session`` is not one.
    """
    _check_wanted(wanted)
    close = cal.session_close(session)
    at_wanted = datetime.combine(session, wanted, tzinfo=TZ)
    return max(at_wanted, (close + SETTLE).astimezone(TZ))


def next_due(cal: SessionCalendar, wanted: time, now: datetime) -> tuple[date, datetime]:
    """The next ``(session, due time)`` strictly after ``now``; skips weekends/holidays."""
    require_aware(now)
    today = now.astimezone(TZ).date()
    session = today if cal.is_session(today) else cal.next_session(today)
    # Due times fall on their session's own date, so at most one session is skipped.
    while True:
        due = post_time_for_session(cal, session, wanted)
        if due > now:
            return session, due
        session = cal.next_session(session)


def due_session(cal: SessionCalendar, wanted: time, now: datetime) -> date | None:
    """The session whose post is due (or overdue) at ``now``, else ``None``.

    Only the last completed session counts: if its post time has passed it is returned
    (so a post missed while the bot was down is caught up once, e.g. at 09:00 the next
    morning); older sessions never are. Between a session's close and its post time
    the result is ``None`` -- the previous session is no longer the current one.
    """
    require_aware(now)
    session = cal.last_completed_session(now)
    if post_time_for_session(cal, session, wanted) <= now:
        return session
    return None
