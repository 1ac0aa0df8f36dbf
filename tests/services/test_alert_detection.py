"""Notable events of real sessions (the bundled data), and their words.

Every figure was checked by an independent pandas script over the CSVs of ``../shared/data``
(inner-joined closes, ``pct_change``, runs grouped in a plain Python loop, records as closes
above every earlier close), not copied from this code's output.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analytics import streak_report
from analytics.records import RecordPoint
from bot.bootstrap import Services
from bot.render.alerts import alert_text, event_lines
from bot.services.alerts import (
    DEFAULT_PAIRS,
    Followed,
    Notable,
    PastStreak,
    StreakEvent,
    detect,
    watch_list,
)
from bot.services.market import Market

DEFAULT = watch_list(10)


@pytest.fixture
def market(seeded_services: Services) -> Market:
    return seeded_services.market


def _pairs(n: Notable) -> list[tuple[str, str, str, int]]:
    return [(e.kind, e.leader, e.laggard, e.length) for e in n.streaks]


def test_default_watch_list() -> None:
    assert len(DEFAULT_PAIRS) == 10 + 1 + 11  # main indices pairwise, RSP vs SPY, 11 sectors vs SPY
    assert ("^GSPC", "^RUT") in DEFAULT.pairs and ("RSP", "SPY") in DEFAULT.pairs
    assert ("XLK", "SPY") in DEFAULT.pairs
    assert DEFAULT.records == ("^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT")
    assert DEFAULT.threshold == 10


def test_watch_list_changes_pairs_in_either_order() -> None:
    w = watch_list(7, pairs_added=[("^VIX", "^GSPC"), ("^GSPC", "^VIX")], pairs_removed=[("SPY", "RSP")],
                   records_added=["^VIX"], records_removed=["^DJI"])
    assert ("RSP", "SPY") not in w.pairs
    assert w.pairs[-1] == ("^VIX", "^GSPC") and len(w.pairs) == len(DEFAULT_PAIRS)
    assert w.records == ("^GSPC", "^NDX", "^IXIC", "^RUT", "^VIX")
    assert w.threshold == 7


def test_jan_22_2026_longest_since_may_1996_and_the_eighth_record(market: Market) -> None:
    n = detect(market, date(2026, 1, 22), DEFAULT)
    assert _pairs(n) == [("current", "^RUT", "^GSPC", 14)]
    (s,) = n.streaks
    assert (s.start, s.end) == (date(2026, 1, 2), date(2026, 1, 22))
    assert s.longest_since == PastStreak(date(1996, 4, 16), date(1996, 5, 7), 16)
    assert (s.new_longest_since, s.reached_threshold) == (True, False)
    assert (round(s.leader_return, 4), round(s.laggard_return, 4)) == (0.0954, 0.0099)
    (r,) = n.records
    assert (r.symbol, r.close, r.nth_of_year, r.sessions_between, r.long_wait) == ("^RUT", 2718.77, 8, 0, False)
    assert r.previous == RecordPoint(datetime(2026, 1, 21), 2698.17, 1)
    assert event_lines(n) == [
        "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions (Jan 2 – Jan 22, 2026), "
        "+9.54% vs +0.99%: the longest since May 1996 (16 sessions, Apr 16 – May 7, 1996). After the one "
        "earlier streak this long (1996), the Russell 2000 trailed by 0.26 percentage points over the next "
        "21 sessions.",
        "The Russell 2000 closed at a record 2,718.77: its eighth closing record high of 2026. "
        "The previous record was 2,698.17 on Jan 21, 2026.",
    ]


def test_jan_15_2026_reaches_ten_and_becomes_the_longest_since_june_2008(market: Market) -> None:
    n = detect(market, date(2026, 1, 15), DEFAULT)
    assert _pairs(n) == [("current", "^RUT", "^GSPC", 10), ("current", "^RUT", "^DJI", 10)]
    rut_spx = n.streaks[0]
    assert rut_spx.longest_since == PastStreak(date(2008, 5, 20), date(2008, 6, 6), 13)
    assert (rut_spx.reached_threshold, rut_spx.new_longest_since) == (True, True)
    assert n.streaks[1].longest_since == PastStreak(date(2013, 9, 17), date(2013, 10, 1), 11)
    assert [(r.symbol, r.nth_of_year) for r in n.records] == [("^RUT", 5)]
    assert event_lines(n)[0].endswith(
        ": the longest since Jun 2008 (13 sessions, May 20 – Jun 6, 2008). "
        "It reached this channel's threshold of 10 sessions. After the 7 earlier streaks this long, the "
        "Russell 2000 led by a median of 0.69 percentage points over the next 21 sessions, ahead in 5 of 7."
    )


def test_jan_16_2026_still_since_june_2008_is_not_told_again(market: Market) -> None:
    # RUT vs SPX is 11 sessions, the longest since Jun 2008, as it already was on Jan 15:
    # with the default threshold nothing new about it. Other news that session: XLI's run
    # over SPY became the longest since Nov 2022, and the Russell's sixth record of 2026.
    n = detect(market, date(2026, 1, 16), DEFAULT)
    assert _pairs(n) == [("current", "XLI", "SPY", 7)]
    assert n.streaks[0].longest_since == PastStreak(date(2022, 10, 31), date(2022, 11, 9), 8)
    assert [(r.symbol, r.nth_of_year, r.close) for r in n.records] == [("^RUT", 6, 2677.74)]


def test_jan_16_2026_with_a_threshold_of_11(market: Market) -> None:
    n = detect(market, date(2026, 1, 16), watch_list(11))
    assert _pairs(n) == [("current", "^RUT", "^GSPC", 11), ("current", "^RUT", "^DJI", 11),
                         ("current", "XLI", "SPY", 7)]
    s = n.streaks[0]
    assert (s.reached_threshold, s.new_longest_since) == (True, False)
    assert s.longest_since == PastStreak(date(2008, 5, 20), date(2008, 6, 6), 13)
    assert event_lines(n)[0] == (
        "The Russell 2000 has outperformed the S&P 500 for 11 straight sessions (Jan 2 – Jan 16, 2026), "
        "+7.89% vs +1.38%: the longest since Jun 2008 (13 sessions, May 20 – Jun 6, 2008). "
        "It reached this channel's threshold of 11 sessions. After the 5 earlier streaks this long, the "
        "Russell 2000 led by a median of 0.11 percentage points over the next 21 sessions, ahead in 3 of 5."
    )


@pytest.mark.parametrize("session", [date(2026, 1, 20), date(2026, 1, 21)])
def test_rut_spx_stays_quiet_while_its_reference_holds(market: Market, session: date) -> None:
    n = detect(market, session, DEFAULT)
    assert ("^RUT", "^GSPC") not in [(e.leader, e.laggard) for e in n.streaks]


def test_sep_18_2025_the_russells_first_record_since_nov_2021(market: Market) -> None:
    n = detect(market, date(2025, 9, 18), DEFAULT)
    assert n.streaks == ()
    got = [(r.symbol, r.nth_of_year, r.long_wait) for r in n.records]
    assert got == [("^GSPC", 26, False), ("^NDX", 25, False), ("^IXIC", 27, False), ("^DJI", 5, False),
                   ("^RUT", 1, True)]
    rut = n.records[-1]
    assert (rut.close, rut.sessions_between) == (2467.70, 967)
    assert rut.previous == RecordPoint(datetime(2021, 11, 8), 2442.74, 968)
    # pandas: the 9 earlier first records in 250+ sessions (1989 ... 2020), 21-session returns
    # with median +2.72% (Oct 16, 1991), 6 of 9 higher.
    f = rut.followed
    assert f is not None and f.median == pytest.approx(0.027237, abs=5e-7)
    assert f == Followed(9, (1989, 1991, 1995, 1999, 2004, 2011, 2013, 2016, 2020), f.median, 6, 9)
    assert [r.followed for r in n.records[:-1]] == [None] * 4  # not first records in a long time
    assert event_lines(n)[-1] == (
        "The Russell 2000 closed at a record 2,467.70: its first record since Nov 8, 2021 (967 sessions "
        "between, the previous record 2,442.74), and its first closing record high of 2025. After the 9 "
        "earlier first records in 250 or more sessions, the Russell 2000 rose by a median of 2.72% over the "
        "next 21 sessions, higher in 6 of 9."
    )


def test_jan_19_2024_the_sp500s_first_record_since_jan_2022(market: Market) -> None:
    """pandas: 512 sessions between; 14 earlier such records, 21-session median +1.82% (the
    mean of the 2013 and 2016 cases' +1.56% and +2.09%), 10 of 14 higher."""
    n = detect(market, date(2024, 1, 19), DEFAULT)
    spx = next(r for r in n.records if r.symbol == "^GSPC")
    assert (spx.long_wait, spx.sessions_between) == (True, 512)
    assert spx.followed is not None and (spx.followed.cases, spx.followed.ahead, spx.followed.counted) == (14, 10, 14)
    assert spx.followed.median == pytest.approx(0.0182105, abs=5e-7)
    (line,) = [x for x in event_lines(n) if x.startswith("The S&P 500 closed at a record")]
    assert line.endswith(
        "After the 14 earlier first records in 250 or more sessions, the S&P 500 rose by a median of 1.82% "
        "over the next 21 sessions, higher in 10 of 14."
    )


def test_jan_23_2026_the_fourteen_session_runs_ended(market: Market) -> None:
    n = detect(market, date(2026, 1, 23), DEFAULT)
    assert _pairs(n) == [("ended", "^RUT", "^GSPC", 14), ("ended", "^RUT", "^DJI", 14)]
    assert n.records == ()
    assert event_lines(n)[0] == (
        "The Russell 2000's streak of 14 straight sessions outperforming the S&P 500 ended on Jan 23, 2026: "
        "Jan 2 – Jan 22, 2026, +9.54% vs +0.99%, the longest since May 1996 (16 sessions, Apr 16 – May 7, 1996)."
    )


@pytest.mark.parametrize("session", [date(2025, 3, 12), date(2026, 1, 26)])
def test_a_quiet_session_has_nothing(market: Market, session: date) -> None:
    n = detect(market, session, DEFAULT)
    assert not n
    assert (n.streaks, n.records) == ((), ())


def test_the_scan_agrees_with_each_pairs_own_streak_report(market: Market) -> None:
    session = date(2026, 1, 22)
    n = detect(market, session, watch_list(1))  # threshold 1: not a filter on long streaks
    by_pair = {frozenset((e.leader, e.laggard)): e for e in n.streaks if e.kind == "current"}
    checked = 0
    for a, b in DEFAULT_PAIRS:
        if market.last_date(a) < session or market.last_date(b) < session:
            continue
        r = streak_report(market.pair(a, b), session)
        e: StreakEvent | None = by_pair.get(frozenset((a, b)))
        if e is None or r.current is None:
            continue
        checked += 1
        assert e.length == r.current.length, (a, b)
        since = r.longest_since
        assert e.longest_since == (None if since is None else
                                   PastStreak(since.start.date(), since.end.date(), since.length)), (a, b)
    assert checked >= 3


def test_the_message_text(market: Market) -> None:
    text = alert_text(detect(market, date(2026, 1, 22), DEFAULT), "Yahoo Finance (FTSE Russell)")
    assert text.splitlines()[0] == "Notable at the Jan 22, 2026 close:"
    assert text.splitlines()[-1] == (
        "Source: Yahoo Finance (FTSE Russell) · streaks count sessions · threshold 10 sessions · /alerts status"
    )
