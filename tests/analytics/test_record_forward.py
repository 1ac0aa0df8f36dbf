"""First records in a long time and what followed: a small series worked by hand, and the
real S&P 500 and Russell 2000.

The real figures were computed independently with pandas from the bundled CSVs: record rows
where ``close > close.cummax().shift(1)`` (not the first row), the sessions strictly between
consecutive record rows (``diff - 1``), and ``C[p + h] / C[p] - 1`` read off the rows.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest

from analytics.errors import OutOfRangeError
from analytics.record_forward import (
    COMEBACK_GAP,
    comeback_mask,
    is_comeback,
    record_forward_report,
    sessions_between,
)
from analytics.records import record_summary_days
from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource
from bot.services.market import Market

DAYS = np.arange("2024-01-01", "2024-01-12", dtype="datetime64[D]")  # 11 days; any ascending dates do
# rows:    0     1     2    3     4     5     6     7    8    9     10
CLOSES = [10.0, 11.0, 9.0, 9.5, 10.5, 12.0, 12.5, 8.0, 9.0, 13.0, 14.3]
# Records (strictly above every earlier close): rows 1, 5, 6, 9, 10. Sessions strictly
# between consecutive records: 1->5: 3 (rows 2-4), 5->6: 0, 6->9: 2 (rows 7-8), 9->10: 0.


def test_comebacks_by_hand_with_a_gap_of_two() -> None:
    rows, prev = comeback_mask(np.array(CLOSES), min_gap=2)
    assert (rows.tolist(), prev.tolist()) == ([5, 9], [1, 6])
    rows3, prev3 = comeback_mask(np.array(CLOSES), min_gap=3)
    assert (rows3.tolist(), prev3.tolist()) == ([5], [1])


def test_report_by_hand_latest_episode_and_summary() -> None:
    rep = record_forward_report(DAYS, np.array(CLOSES), min_gap=2, horizons=(1, 3))
    assert rep.as_of == datetime(2024, 1, 11) and rep.min_gap == 2
    assert rep.latest is not None and not rep.is_comeback  # row 9 (Jan 10); as of row 10
    assert (rep.latest.record, rep.latest.previous_record, rep.latest.gap) == (
        datetime(2024, 1, 10), datetime(2024, 1, 7), 2,
    )
    # Row 9 (13.0): after 1 session 14.3 / 13 - 1 = +10%; 3 sessions is row 12, past the data.
    assert rep.latest.forward[1] == pytest.approx(0.1)
    assert rep.latest.forward[3] is None
    (ep,) = rep.episodes
    assert (ep.record, ep.previous_record, ep.gap, ep.close) == (
        datetime(2024, 1, 6), datetime(2024, 1, 2), 3, 12.0,
    )
    # Row 5 (12.0): row 6 12.5 -> +1/24 = +4.1667%; row 8 9.0 -> -25%.
    assert ep.forward[1] == pytest.approx(1 / 24)
    assert ep.forward[3] == pytest.approx(-0.25)
    s1, s3 = rep.summary[1], rep.summary[3]
    assert (s1.n, s1.share_positive, s3.n, s3.share_positive) == (1, 1.0, 1, 0.0)
    assert s1.median_spread == pytest.approx(1 / 24) and s1.mean_spread == pytest.approx(1 / 24)
    assert s3.median_spread == pytest.approx(-0.25)


def test_as_of_never_looks_past_the_session() -> None:
    # As of row 8 the comebacks are row 5 only: its 3-session return ends on row 8 itself.
    rep8 = record_forward_report(DAYS, np.array(CLOSES), date(2024, 1, 9), min_gap=2, horizons=(1, 3))
    assert rep8.latest is not None and rep8.latest.record == datetime(2024, 1, 6)
    assert rep8.latest.forward == {1: pytest.approx(1 / 24), 3: pytest.approx(-0.25)}
    assert rep8.episodes == ()
    assert rep8.summary[1].n == 0 and rep8.summary[1].median_spread is None
    # As of row 7 the same record's 3-session return would need row 8: not known yet.
    rep7 = record_forward_report(DAYS, np.array(CLOSES), date(2024, 1, 8), min_gap=2, horizons=(1, 3))
    assert rep7.latest is not None and rep7.latest.forward[3] is None
    # As of the comeback session itself: every forward return is unknown.
    rep9 = record_forward_report(DAYS, np.array(CLOSES), date(2024, 1, 10), min_gap=2, horizons=(1, 3))
    assert rep9.is_comeback and rep9.latest is not None
    assert rep9.latest.forward == {1: None, 3: None}
    assert [e.record for e in rep9.episodes] == [datetime(2024, 1, 6)]


def test_the_first_record_of_the_data_is_never_a_comeback() -> None:
    # Row 4 is the first record, after 3 sessions below the baseline: nothing before it.
    rows, _ = comeback_mask(np.array([10.0, 9.0, 9.0, 9.0, 11.0]), min_gap=0)
    assert rows.tolist() == []
    # Leading missing closes: the first real close (row 1) is the baseline, not a record.
    rows, _ = comeback_mask(np.array([np.nan, 10.0, 11.0]), min_gap=0)
    assert rows.tolist() == []


def test_a_missing_close_is_no_record_and_no_return() -> None:
    # Records: rows 1 (11) and 5 (12, 3 sessions between); row 7 (13) has 1 between: no comeback.
    closes = np.array([10.0, 11.0, 9.0, 9.0, 9.0, 12.0, np.nan, 13.0])
    rep = record_forward_report(DAYS[:8], closes, min_gap=2, horizons=(1, 2))
    assert rep.latest is not None and rep.latest.record == datetime(2024, 1, 6)
    assert rep.latest.forward[1] is None  # row 6 is missing
    assert rep.latest.forward[2] == pytest.approx(13 / 12 - 1)


def test_no_comeback_and_a_date_before_the_data() -> None:
    rep = record_forward_report(DAYS[:3], np.array([1.0, 2.0, 3.0]))
    assert (rep.latest, rep.episodes, rep.min_gap) == (None, (), COMEBACK_GAP)
    with pytest.raises(OutOfRangeError):
        record_forward_report(DAYS, np.array(CLOSES), date(2023, 12, 1))


@pytest.fixture(scope="module")
def market(calendar: NyseCalendar) -> Market:
    return Market(BundledSource(), calendar)


def test_russell_2000_sep_18_2025_first_record_since_nov_2021(market: Market) -> None:
    days, closes = market.close_days("^RUT")
    rep = record_forward_report(days, closes, date(2025, 9, 18))
    assert rep.is_comeback and rep.latest is not None
    assert (rep.latest.previous_record, rep.latest.gap) == (datetime(2021, 11, 8), 967)
    assert all(x is None for x in rep.latest.forward.values())  # nothing after the as-of close
    assert [e.record.date() for e in rep.episodes] == [
        date(1989, 6, 2), date(1991, 10, 16), date(1995, 5, 16), date(1999, 12, 29), date(2004, 4, 5),
        date(2011, 4, 27), date(2013, 1, 2), date(2016, 11, 14), date(2020, 11, 13),
    ]
    assert rep.episodes[4].gap == 1021 and rep.episodes[4].previous_record == datetime(2000, 3, 9)
    assert rep.episodes[-1].forward[21] == pytest.approx(0.12369, abs=5e-6)
    s = rep.summary[21]
    assert s.n == 9 and s.share_positive == pytest.approx(6 / 9)
    assert s.median_spread == pytest.approx(0.027237, abs=5e-7)  # the Oct 16, 1991 case
    assert s.mean_spread == pytest.approx(0.017573, abs=5e-7)


def test_sp500_jan_19_2024_and_mar_28_2013(market: Market) -> None:
    days, closes = market.close_days("^GSPC")
    rep = record_forward_report(days, closes, date(2024, 1, 19))
    assert rep.is_comeback and rep.latest is not None
    assert (rep.latest.previous_record, rep.latest.gap) == (datetime(2022, 1, 3), 512)
    assert len(rep.episodes) == 14 and rep.episodes[0].record == datetime(1954, 9, 22)
    assert rep.episodes[0].previous_record == datetime(1929, 9, 16) and rep.episodes[0].gap == 6248
    assert rep.summary[252].n == 14 and rep.summary[252].share_positive == pytest.approx(13 / 14)
    rep13 = record_forward_report(days, closes, date(2013, 3, 28))
    assert rep13.is_comeback and rep13.latest is not None
    assert (rep13.latest.previous_record, rep13.latest.gap) == (datetime(2007, 10, 9), 1375)
    assert rep13.episodes[-1].record == datetime(2007, 5, 30)
    assert rep13.episodes[-1].forward[252] == pytest.approx(-0.086242, abs=5e-7)
    # As of the end of the data the latest is Jan 19, 2024, with all its returns known.
    last = record_forward_report(days, closes)
    assert last.latest is not None and not last.is_comeback and last.latest.record == datetime(2024, 1, 19)
    assert last.latest.forward[252] == pytest.approx(0.257564, abs=5e-7)
    assert last.latest.forward[5] == pytest.approx(0.010571, abs=5e-7)


def test_is_comeback_counts_the_sessions_strictly_between_two_records() -> None:
    days = DAYS[:5]
    closes = np.array([5.0, 6.0, 4.0, 4.0, 7.0])  # records on rows 1 and 4: rows 2 and 3 between
    last = record_summary_days(days, closes, None)
    assert sessions_between(last) == 2
    assert is_comeback(last, min_gap=2) and not is_comeback(last, min_gap=3)
    not_a_record = record_summary_days(days, closes, date(2024, 1, 4))  # row 3 closes at 4.0
    assert not is_comeback(not_a_record, min_gap=0)
    first = record_summary_days(days, closes, date(2024, 1, 2))  # the first record: nothing before
    assert sessions_between(first) is None and not is_comeback(first, min_gap=0)
