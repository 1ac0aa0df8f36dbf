"""NYSE calendar helpers and daily-post schedule, with frozen (explicit) clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest

from bot.adapters.calendar import CALENDAR_RELIABLE_FROM, NyseCalendar
from bot.services.schedule import (
    DEFAULT_POST_TIME,
    SETTLE,
    TZ,
    due_session,
    next_due,
    parse_post_time,
    post_time_for_session,
)


@pytest.fixture(scope="module")
def cal() -> NyseCalendar:
    return NyseCalendar(start="2024-01-01", end="2027-12-31")


def ny(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


# --------------------------------------------------------------------------- calendar


def test_constants() -> None:
    assert time(16, 30) == DEFAULT_POST_TIME
    assert timedelta(minutes=15) == SETTLE
    assert date(1970, 1, 1) == CALENDAR_RELIABLE_FROM


def test_sessions_thanksgiving_week(cal: NyseCalendar) -> None:
    got = cal.sessions(date(2026, 11, 20), date(2026, 11, 30))
    assert list(got) == [
        pd.Timestamp(d)
        for d in [
            "2026-11-20",
            "2026-11-23",
            "2026-11-24",
            "2026-11-25",
            "2026-11-27",
            "2026-11-30",
        ]
    ]
    assert got.tz is None
    assert cal.sessions(pd.Timestamp("2026-11-28"), pd.Timestamp("2026-11-29")).empty


def test_is_session(cal: NyseCalendar) -> None:
    assert cal.is_session(date(2026, 11, 25))
    assert not cal.is_session(date(2026, 11, 26))  # Thanksgiving
    assert cal.is_session(pd.Timestamp("2026-11-27"))  # early close, still a session
    assert not cal.is_session(date(2026, 11, 28))  # Saturday
    assert not cal.is_session(date(2026, 12, 25))  # Christmas


def test_rejects_datetimes_as_session_labels(cal: NyseCalendar) -> None:
    with pytest.raises(TypeError):
        cal.is_session(datetime(2026, 11, 25, 12, 0))
    with pytest.raises(ValueError):
        cal.is_session(pd.Timestamp("2026-11-25 12:00"))


@pytest.mark.parametrize(
    ("session", "close"),
    [
        (date(2026, 11, 25), ny(2026, 11, 25, 16)),  # day before Thanksgiving: normal
        (date(2026, 11, 27), ny(2026, 11, 27, 13)),  # day after Thanksgiving: early
        (date(2026, 12, 24), ny(2026, 12, 24, 13)),  # Christmas Eve: early
        (date(2026, 3, 6), ny(2026, 3, 6, 16)),  # EST
        (date(2026, 3, 9), ny(2026, 3, 9, 16)),  # EDT
    ],
)
def test_session_close(cal: NyseCalendar, session: date, close: datetime) -> None:
    got = cal.session_close(session)
    assert got == close
    assert got.tzinfo == TZ
    assert got.hour == close.hour and got.minute == 0


def test_session_close_utc_across_dst(cal: NyseCalendar) -> None:
    assert cal.session_close(date(2026, 3, 6)) == utc(2026, 3, 6, 21)
    assert cal.session_close(date(2026, 3, 9)) == utc(2026, 3, 9, 20)
    assert cal.session_close(date(2026, 10, 30)) == utc(2026, 10, 30, 20)
    assert cal.session_close(date(2026, 11, 2)) == utc(2026, 11, 2, 21)


def test_session_close_not_a_session(cal: NyseCalendar) -> None:
    with pytest.raises(ValueError):
        cal.session_close(date(2026, 11, 26))


def test_previous_and_next_session(cal: NyseCalendar) -> None:
    assert cal.previous_session(date(2026, 11, 27)) == date(2026, 11, 25)
    assert cal.previous_session(date(2026, 11, 26)) == date(2026, 11, 25)  # holiday
    assert cal.previous_session(date(2026, 11, 30)) == date(2026, 11, 27)
    assert cal.next_session(date(2026, 11, 25)) == date(2026, 11, 27)
    assert cal.next_session(date(2026, 11, 28)) == date(2026, 11, 30)  # Saturday
    assert cal.next_session(date(2026, 12, 24)) == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (ny(2026, 11, 25, 15, 59), date(2026, 11, 24)),  # normal day, before close
        (ny(2026, 11, 25, 16, 0), date(2026, 11, 25)),  # exactly at close
        (ny(2026, 11, 26, 12, 0), date(2026, 11, 25)),  # Thanksgiving
        (ny(2026, 11, 27, 12, 59), date(2026, 11, 25)),  # early-close day, before 13:00
        (ny(2026, 11, 27, 13, 0), date(2026, 11, 27)),  # early close at 13:00
        (ny(2026, 11, 29, 12, 0), date(2026, 11, 27)),  # Sunday
        (ny(2026, 11, 30, 9, 0), date(2026, 11, 27)),  # Monday morning
        (utc(2026, 11, 25, 20, 59), date(2026, 11, 24)),  # UTC input, 15:59 EST
        (utc(2026, 11, 25, 21, 0), date(2026, 11, 25)),  # UTC input, 16:00 EST
        (utc(2026, 11, 26, 3, 0), date(2026, 11, 25)),  # next UTC day, still 25th in NY
    ],
)
def test_last_completed_session(cal: NyseCalendar, now: datetime, expected: date) -> None:
    assert cal.last_completed_session(now) == expected


def test_last_completed_session_needs_aware_now(cal: NyseCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.last_completed_session(datetime(2026, 11, 25, 17, 0))


def test_check_dates_missing_and_extra(cal: NyseCalendar) -> None:
    # Sessions 23, 24, 25, 27 (day after Thanksgiving), 30 Nov; data lacks 25th, has Sat 28th.
    dates = pd.DatetimeIndex(["2026-11-23", "2026-11-24", "2026-11-27", "2026-11-28", "2026-11-30"])
    missing, extra = cal.check_dates(dates)
    assert list(missing) == [pd.Timestamp("2026-11-25")]
    assert list(extra) == [pd.Timestamp("2026-11-28")]


def test_check_dates_explicit_range(cal: NyseCalendar) -> None:
    dates = pd.DatetimeIndex(["2026-11-24", "2026-11-27", "2026-11-28"])
    missing, extra = cal.check_dates(dates, start=date(2026, 11, 23), end=date(2026, 11, 27))
    assert list(missing) == [pd.Timestamp("2026-11-23"), pd.Timestamp("2026-11-25")]
    assert list(extra) == []  # the Saturday is outside the range
    clean_missing, clean_extra = cal.check_dates(cal.sessions(date(2026, 1, 1), date(2026, 12, 31)))
    assert clean_missing.empty and clean_extra.empty


def test_check_dates_outside_calendar_raises(cal: NyseCalendar) -> None:
    with pytest.raises(ValueError, match="outside this calendar"):
        cal.check_dates(pd.DatetimeIndex(["2023-06-01", "2026-11-23"]))


def test_check_dates_ignores_pre_1970() -> None:
    small = NyseCalendar(start="1969-01-01", end="1970-02-28")
    jan_1970 = small.sessions(date(1970, 1, 1), date(1970, 1, 31))
    # 1969-12-25 is not a session and 1969-12-24 is one absent from the data, but
    # neither is checked: only sessions from CALENDAR_RELIABLE_FROM are trusted.
    dates = pd.DatetimeIndex([pd.Timestamp("1969-12-25"), *jan_1970])
    missing, extra = small.check_dates(dates)
    assert missing.empty and extra.empty


# --------------------------------------------------------------------------- schedule


def test_post_time_for_session(cal: NyseCalendar) -> None:
    assert post_time_for_session(cal, date(2026, 11, 25), time(16, 30)) == ny(2026, 11, 25, 16, 30)
    # before the close (or within SETTLE of it): close + 15 minutes
    assert post_time_for_session(cal, date(2026, 11, 25), time(9, 0)) == ny(2026, 11, 25, 16, 15)
    assert post_time_for_session(cal, date(2026, 11, 25), time(16, 5)) == ny(2026, 11, 25, 16, 15)
    # early close 13:00
    assert post_time_for_session(cal, date(2026, 11, 27), time(13, 5)) == ny(2026, 11, 27, 13, 15)
    assert post_time_for_session(cal, date(2026, 11, 27), time(16, 30)) == ny(2026, 11, 27, 16, 30)
    with pytest.raises(ValueError):
        post_time_for_session(cal, date(2026, 11, 26), time(16, 30))


def test_next_due_weekend(cal: NyseCalendar) -> None:
    session, due = next_due(cal, DEFAULT_POST_TIME, ny(2026, 11, 28, 10, 0))  # Saturday
    assert session == date(2026, 11, 30)
    assert due == ny(2026, 11, 30, 16, 30)
    assert due.tzinfo == TZ


def test_next_due_thanksgiving(cal: NyseCalendar) -> None:
    now = ny(2026, 11, 26, 10, 0)  # Thanksgiving: not a session
    assert next_due(cal, time(16, 30), now) == (date(2026, 11, 27), ny(2026, 11, 27, 16, 30))
    # early close 13:00 + SETTLE beats a wanted 13:05
    assert next_due(cal, time(13, 5), now) == (date(2026, 11, 27), ny(2026, 11, 27, 13, 15))


def test_next_due_christmas_eve(cal: NyseCalendar) -> None:
    morning = ny(2026, 12, 24, 10, 0)
    assert next_due(cal, time(16, 30), morning) == (date(2026, 12, 24), ny(2026, 12, 24, 16, 30))
    assert next_due(cal, time(10, 0), morning) == (date(2026, 12, 24), ny(2026, 12, 24, 13, 15))
    # after the post: Christmas (Fri) and the weekend are skipped
    evening = ny(2026, 12, 24, 16, 30)
    assert next_due(cal, time(16, 30), evening) == (date(2026, 12, 28), ny(2026, 12, 28, 16, 30))


def test_next_due_is_strictly_after_now(cal: NyseCalendar) -> None:
    at_due = ny(2026, 11, 25, 16, 30)
    assert next_due(cal, time(16, 30), at_due - timedelta(seconds=1)) == (
        date(2026, 11, 25),
        at_due,
    )
    # at the due instant itself the next one is returned (the holiday is skipped)
    assert next_due(cal, time(16, 30), at_due) == (date(2026, 11, 27), ny(2026, 11, 27, 16, 30))


def test_next_due_spring_forward(cal: NyseCalendar) -> None:
    # DST starts Sun 2026-03-08: Fri 6th is EST (UTC-5), Mon 9th is EDT (UTC-4).
    before = next_due(cal, time(16, 30), ny(2026, 3, 6, 9, 0))
    assert before == (date(2026, 3, 6), ny(2026, 3, 6, 16, 30))
    assert before[1] == utc(2026, 3, 6, 21, 30)
    session, due = next_due(cal, time(16, 30), utc(2026, 3, 6, 21, 30))  # now given in UTC
    assert session == date(2026, 3, 9)
    assert due == ny(2026, 3, 9, 16, 30)
    assert due == utc(2026, 3, 9, 20, 30)
    assert due.astimezone(TZ).hour == 16 and due.astimezone(TZ).minute == 30
    # (same-tzinfo subtraction is wall-clock in Python, so compare UTC instants)
    assert due.astimezone(UTC) - before[1].astimezone(UTC) == timedelta(hours=71)


def test_next_due_fall_back(cal: NyseCalendar) -> None:
    # DST ends Sun 2026-11-01: Fri Oct 30 is EDT (UTC-4), Mon Nov 2 is EST (UTC-5).
    before = next_due(cal, time(16, 30), ny(2026, 10, 30, 9, 0))
    assert before == (date(2026, 10, 30), ny(2026, 10, 30, 16, 30))
    assert before[1] == utc(2026, 10, 30, 20, 30)
    session, due = next_due(cal, time(16, 30), utc(2026, 10, 30, 20, 30))
    assert session == date(2026, 11, 2)
    assert due == ny(2026, 11, 2, 16, 30)
    assert due == utc(2026, 11, 2, 21, 30)
    assert due.astimezone(UTC) - before[1].astimezone(UTC) == timedelta(hours=73)


def test_next_due_needs_aware_now(cal: NyseCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_due(cal, time(16, 30), datetime(2026, 11, 25, 17, 0))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Tue 2026-11-24, wanted 16:30
        (ny(2026, 11, 24, 16, 30), date(2026, 11, 24)),  # exactly at due time
        (ny(2026, 11, 24, 16, 31), date(2026, 11, 24)),  # right after
        (ny(2026, 11, 24, 16, 29), None),  # closed but not yet due; Mon 23rd no longer counts
        (ny(2026, 11, 24, 15, 0), date(2026, 11, 23)),  # before close: 23rd is still current
        (ny(2026, 11, 25, 9, 0), date(2026, 11, 24)),  # next morning: catch-up
        (ny(2026, 11, 25, 16, 20), None),  # 25th closed, not due; 24th not caught up
        # Mon 2026-11-30 post missed; two days later only Tue 1 Dec counts
        (ny(2026, 12, 2, 9, 0), date(2026, 12, 1)),
        # early-close day, wanted 16:30
        (ny(2026, 11, 27, 13, 30), None),
        (ny(2026, 11, 27, 16, 30), date(2026, 11, 27)),
        # weekend after it: still the 27th (it is the last completed session)
        (ny(2026, 11, 29, 12, 0), date(2026, 11, 27)),
    ],
)
def test_due_session(cal: NyseCalendar, now: datetime, expected: date | None) -> None:
    assert due_session(cal, time(16, 30), now) == expected


def test_due_session_early_close_settle(cal: NyseCalendar) -> None:
    assert due_session(cal, time(13, 5), ny(2026, 11, 27, 13, 14)) is None
    assert due_session(cal, time(13, 5), ny(2026, 11, 27, 13, 15)) == date(2026, 11, 27)


def test_due_session_across_dst_in_utc(cal: NyseCalendar) -> None:
    # EST: 16:30 NY = 21:30Z
    assert due_session(cal, time(16, 30), utc(2026, 3, 6, 21, 29)) is None
    assert due_session(cal, time(16, 30), utc(2026, 3, 6, 21, 30)) == date(2026, 3, 6)
    # EDT: 16:30 NY = 20:30Z
    assert due_session(cal, time(16, 30), utc(2026, 3, 9, 20, 29)) is None
    assert due_session(cal, time(16, 30), utc(2026, 3, 9, 20, 30)) == date(2026, 3, 9)
    # back to EST after Nov 1
    assert due_session(cal, time(16, 30), utc(2026, 11, 2, 21, 29)) is None
    assert due_session(cal, time(16, 30), utc(2026, 11, 2, 21, 30)) == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16:30", time(16, 30)),
        ("4:30pm", time(16, 30)),
        ("4:30 PM", time(16, 30)),
        ("1630", time(16, 30)),
        ("  09:45 ", time(9, 45)),
        ("0930", time(9, 30)),
        ("930", time(9, 30)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("12:00am", time(0, 0)),
        ("12:15pm", time(12, 15)),
        ("4pm", time(16, 0)),
        ("4 p.m.", time(16, 0)),
        ("9:05 AM", time(9, 5)),
    ],
)
def test_parse_post_time_good(text: str, expected: time) -> None:
    assert parse_post_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "24:00",
        "25:00",
        "16:60",
        "13:00pm",
        "0:30am",
        "16",
        "16:3",
        "163",
        "16:30:00",
        "16.30",
        "-4:30",
        "4:30 xm",
        "4:30 p",
        "half four",
        "16:30 EST",
    ],
)
def test_parse_post_time_bad(text: str) -> None:
    with pytest.raises(ValueError, match=r"Use HH:MM in New York time, e\.g\. 16:30"):
        parse_post_time(text)
