"""A calendar built without an end extends itself: a process running for years needs no restart."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from bot.adapters import calendar as calendar_mod
from bot.adapters.calendar import MAX_AHEAD, NyseCalendar
from bot.adapters.calendar_cache import SessionTable, load_sessions

TODAY = date(2026, 1, 5)


def near_end(**kw: object) -> NyseCalendar:
    return NyseCalendar("2025-01-01", "2026-02-15", extend=True, today=lambda: TODAY, **kw)  # type: ignore[arg-type]


def test_a_date_a_year_past_the_end_is_answered() -> None:
    cal = near_end()
    assert cal.end == date(2026, 2, 15)
    assert cal.is_session(date(2027, 2, 10))  # a Wednesday a year after the first end
    assert not cal.is_session(date(2026, 12, 25))
    assert cal.end == date(2028, 2, 11)  # Feb 10, 2027 + 366 days
    assert cal.next_session(date(2026, 12, 31)) == date(2027, 1, 4)
    assert cal.session_close(date(2026, 11, 27)).hour == 13  # the day after Thanksgiving
    assert cal.last_session >= date(2028, 2, 10)
    assert list(cal.session_days(date(2027, 12, 29), date(2028, 1, 3)).astype(str)) == [
        "2027-12-29", "2027-12-30", "2027-12-31", "2028-01-03",
    ]


def test_the_next_session_after_the_last_one_extends() -> None:
    cal = near_end()
    last = cal.last_session
    assert last == date(2026, 2, 13)  # Feb 15, 2026 is a Sunday; the 16th a holiday
    assert cal.next_session(last) == date(2026, 2, 17)


def test_a_fixed_calendar_and_dates_too_far_ahead_still_raise() -> None:
    fixed = NyseCalendar("2025-01-01", "2026-02-15")
    assert not fixed.extends
    with pytest.raises(ValueError, match="outside the sessions"):
        fixed.is_session(date(2027, 2, 10))
    cal = near_end()
    with pytest.raises(ValueError, match="outside"):
        cal.is_session(TODAY + MAX_AHEAD + (date(2026, 1, 2) - date(2026, 1, 1)))
    assert cal.end == date(2026, 2, 15)
    assert NyseCalendar(today=lambda: TODAY).extends  # the bootstrap's: no end given


def test_threads_asking_at_once_extend_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    cal = near_end()
    loads: list[date] = []
    real = load_sessions  # what calendar_mod calls

    def counted(start: date, end: date) -> SessionTable:
        loads.append(end)
        return real(start, end)

    monkeypatch.setattr(calendar_mod, "load_sessions", counted)
    n = 8
    barrier = threading.Barrier(n)
    answers: list[bool] = []

    def ask() -> None:
        barrier.wait()
        answers.append(cal.is_session(date(2026, 6, 30)))

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert answers == [True] * n
    assert loads == [date(2027, 12, 31)]  # one extension, from the cache's year-end entry
