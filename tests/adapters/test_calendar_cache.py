"""The on-disk NYSE session cache: hits, misses, corrupt files, a new exchange_calendars,
and the arrays answering exactly as exchange_calendars itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import exchange_calendars as xcals
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters import calendar_cache
from bot.adapters.calendar import NY_TZ, NyseCalendar
from bot.adapters.calendar_cache import SessionTable, cache_path, load_sessions, xcals_version

START, END = date(2023, 1, 1), date(2025, 12, 31)


class CountingBuilder:
    """Stands in for ``build_sessions``: the real build, counted."""

    def __init__(self) -> None:
        self.calls: list[tuple[date, date]] = []
        self.real = calendar_cache.build_sessions

    def __call__(self, start: date, end: date) -> SessionTable:
        self.calls.append((start, end))
        return self.real(start, end)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> CountingBuilder:
    counter = CountingBuilder()
    monkeypatch.setattr(calendar_cache, "build_sessions", counter)
    return counter


def test_the_cache_lives_under_home(tmp_path: Path) -> None:
    # conftest gives every test an empty HOME
    assert Path.home() in cache_path(START, END).parents
    assert not cache_path(START, END).exists()


def test_miss_builds_and_writes_then_hit_reads(builds: CountingBuilder) -> None:
    first = load_sessions(START, END)
    assert builds.calls == [(START, END)]
    assert cache_path(START, END).is_file()
    second = load_sessions(START, END)
    assert builds.calls == [(START, END)]  # read from the file
    assert np.array_equal(first.sessions, second.sessions)
    assert np.array_equal(first.closes, second.closes)
    assert first.sessions[0] == np.datetime64("2023-01-03")
    assert not list(cache_path(START, END).parent.glob("*.tmp"))  # nothing half-written left


@pytest.mark.parametrize("garbage", [b"", b"not a zip file", b"PK\x03\x04truncated"])
def test_a_corrupt_file_is_rebuilt_silently(builds: CountingBuilder, garbage: bytes) -> None:
    path = cache_path(START, END)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(garbage)
    table = load_sessions(START, END)
    assert builds.calls == [(START, END)]
    assert table.sessions.size == 752  # 2023-2025 NYSE sessions
    assert path.read_bytes()[:2] == b"PK"  # rewritten
    load_sessions(START, END)
    assert len(builds.calls) == 1


def test_an_inconsistent_file_is_rebuilt(builds: CountingBuilder) -> None:
    path = cache_path(START, END)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:  # closes of the wrong length
        np.savez(f, sessions=np.array(["2023-01-03"], dtype="datetime64[D]"),
                 closes=np.array([1, 2], dtype=np.int64))
    assert load_sessions(START, END).sessions.size == 752
    assert len(builds.calls) == 1


def test_a_new_exchange_calendars_version_misses(
    builds: CountingBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_sessions(START, END)
    monkeypatch.setattr(calendar_cache, "xcals_version", lambda: "99.0")
    load_sessions(START, END)
    assert len(builds.calls) == 2
    assert cache_path(START, END, "99.0").is_file()
    assert cache_path(START, END, "99.0") != cache_path(START, END, xcals_version())


def test_version_is_the_installed_one() -> None:
    assert xcals_version() == version("exchange_calendars")


def test_the_default_calendar_reuses_one_entry_all_year(builds: CountingBuilder) -> None:
    NyseCalendar("2020-01-01", "2026-03-01")
    NyseCalendar("2020-01-01", "2026-11-30")
    assert builds.calls == [(date(2020, 1, 1), date(2026, 12, 31))]


def test_calendar_answers_as_exchange_calendars_does() -> None:
    """Every day of 1999-2026: is_session, closes (early ones too), previous, next."""
    cal = NyseCalendar("1999-01-01", "2026-12-31")
    ref = xcals.get_calendar("XNYS", start="1999-01-01", end="2026-12-31")
    assert cal.first_session == ref.first_session.date()
    assert cal.last_session == ref.last_session.date()
    assert list(cal.sessions("1999-01-01", "2026-12-31")) == list(ref.sessions)
    early = 0
    d = date(1999, 1, 5)  # after the first session, before the last
    while d < date(2026, 12, 31):
        ts = pd.Timestamp(d)
        is_session = bool(ref.is_session(ts))
        assert cal.is_session(d) == is_session, d
        if is_session:
            expected = ref.session_close(ts).to_pydatetime().astimezone(NY_TZ)
            assert cal.session_close(d) == expected, d
            early += expected.hour != 16
            assert cal.previous_session(d) == ref.previous_session(ts).date()
            assert cal.next_session(d) == ref.next_session(ts).date()
        else:
            assert cal.previous_session(d) == ref.date_to_session(ts, "previous").date()
            assert cal.next_session(d) == ref.date_to_session(ts, "next").date()
        d += timedelta(days=1)
    assert early > 40  # 13:00 closes: day after Thanksgiving, Christmas Eve, July 3


def test_outside_the_sessions_raises_value_error() -> None:
    cal = NyseCalendar("2024-01-01", "2024-12-31")
    for call in (lambda: cal.is_session(date(2023, 12, 29)),
                 lambda: cal.previous_session(date(2024, 1, 2)),
                 lambda: cal.next_session(date(2024, 12, 31)),
                 lambda: cal.session_close(date(2024, 12, 25)),
                 lambda: cal.sessions(date(2023, 6, 1), date(2024, 2, 1))):
        with pytest.raises(ValueError):
            call()
    with pytest.raises(ValueError, match="outside this calendar"):
        cal.session_days(date(2024, 6, 1), date(2025, 2, 1))


# --------------------------------------------------------------------------- the shipped table
def test_the_shipped_table_is_what_exchange_calendars_builds() -> None:
    with np.load(calendar_cache.shipped_file(), allow_pickle=False) as data:
        meta = [str(v) for v in data["meta"].tolist()]
    assert meta == [xcals_version(), "1970-01-01", "2035-12-31"], (
        "the shipped NYSE table is for another exchange_calendars: run python -m bot.rebuild_store"
    )
    shipped = calendar_cache.shipped_sessions(calendar_cache.SHIPPED_START, calendar_cache.SHIPPED_END)
    built = calendar_cache.build_sessions(calendar_cache.SHIPPED_START, calendar_cache.SHIPPED_END)
    assert shipped is not None
    assert np.array_equal(shipped.sessions, built.sessions)
    assert np.array_equal(shipped.closes, built.closes)
    assert shipped.sessions.size == 16631


def test_a_first_use_reads_the_shipped_table_cut_at_its_end(builds: CountingBuilder) -> None:
    start, end = date(1970, 1, 1), date(2027, 12, 31)
    table = load_sessions(start, end)
    assert builds.calls == []
    assert cache_path(start, end).is_file()  # later runs read the uncompressed cache
    built = builds.real(start, end)
    assert np.array_equal(table.sessions, built.sessions)
    assert np.array_equal(table.closes, built.closes)
    assert table.sessions[-1] == np.datetime64("2027-12-31")
    # 2026-11-27, the day after Thanksgiving: a 13:00 New York close (18:00 UTC).
    i = int(np.searchsorted(table.sessions, np.datetime64("2026-11-27")))
    assert table.closes[i] == int(datetime(2026, 11, 27, 18, 0, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    ("version", "start", "end"),
    [("99.0", date(1970, 1, 1), date(2027, 12, 31)),  # another exchange_calendars
     (None, date(1971, 1, 1), date(2027, 12, 31)),  # another start
     (None, date(1970, 1, 1), date(2036, 12, 31))],  # past the shipped end
)
def test_the_shipped_table_stands_in_only_for_its_own_build(
    builds: CountingBuilder, monkeypatch: pytest.MonkeyPatch,
    version: str | None, start: date, end: date,
) -> None:
    if version is not None:
        monkeypatch.setattr(calendar_cache, "xcals_version", lambda: version)
    assert calendar_cache.shipped_sessions(start, end) is None
    load_sessions(start, end)
    assert builds.calls == [(start, end)]


_ONE_CALENDAR = NyseCalendar(start=START, end=END, extend=False)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2023, 1, 5), max_value=datetime(2025, 12, 30),
                    timezones=st.just(UTC)))
def test_last_completed_session_is_remembered_per_day_without_changing_it(now: datetime) -> None:
    """One calendar answers many instants (its per-day memo fills up and is reused,
    before and after each close); every answer is exchange_calendars' own."""
    xcal = xcals.get_calendar("XNYS", start="2022-12-01", end="2025-12-31")
    for at in (now, now.replace(hour=20, minute=59), now.replace(hour=21, minute=1), now):
        closed = xcal.closes[xcal.closes <= pd.Timestamp(at)]
        assert _ONE_CALENDAR.last_completed_session(at) == closed.index[-1].date()
