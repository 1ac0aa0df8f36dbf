"""What happened next: hand-computed forward returns on a small series, and the real
Russell 2000 vs S&P 500 streak of Jan 2026 against the 1996 one.

The real figures were computed independently from ``../shared/data`` (RUT.csv, GSPC.csv)
with pandas: closes joined on their common dates, the Russell's leading runs found from
``pct_change``, and ``C[p + h] / C[p] - 1`` read off the rows.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from analytics.forward import HORIZONS, forward_report, summarize
from analytics.returns import align_pair, align_single
from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import CsvDirSource
from bot.services.market import Market

D = pd.bdate_range("2026-01-05", periods=11)  # Mon Jan 5 .. Mon Jan 19 (no holiday before 19th)

# r_A: +2.00 +1.96 +1.92 -0.94 +1.90 +1.87 -0.92 +1.85 +1.82 +1.79 (%)
# r_B: +1.00 +0.99 +0.98 +0.97 +0.48 +0.48 +0.95 +0.47 +0.47 +0.47 (%)
# A led on rows 1-3 (3 sessions), 5-6 (2), 8-10 (3); B on rows 4 and 7.
A = [100, 102, 104, 106, 105, 107, 109, 108, 110, 112, 114]
B = [100, 101, 102, 103, 104, 104.5, 105, 106, 106.5, 107, 107.5]


def test_the_signs_are_as_worked_out() -> None:
    f = align_pair(pd.Series(A, index=D, dtype=float), pd.Series(B, index=D, dtype=float))
    assert f.signs.tolist() == [0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 1]


def test_one_earlier_streak_of_three_and_the_horizon_past_the_data() -> None:
    f = align_pair(pd.Series(A, index=D, dtype=float), pd.Series(B, index=D, dtype=float))
    rep = forward_report(f, horizons=(1, 2, 20))
    assert rep.current is not None and rep.current.length == 3
    (ep,) = rep.episodes  # rows 5-6 are only 2 sessions long
    assert (ep.start, ep.end, ep.length) == (D[1], D[3], 3)
    assert ep.reached == D[3]  # its third session: row 1 + 3 - 1
    one, two = ep.forward[1], ep.forward[2]
    assert one is not None and two is not None
    assert one.leader == pytest.approx(105 / 106 - 1)  # -0.9434%
    assert one.laggard == pytest.approx(104 / 103 - 1)  # +0.9709%
    assert one.spread == pytest.approx((105 / 106 - 1) - (104 / 103 - 1))  # -1.9143 pp
    assert two.leader == pytest.approx(107 / 106 - 1)
    assert two.laggard == pytest.approx(104.5 / 103 - 1)
    assert ep.forward[20] is None  # row 23 is past the data
    assert rep.summary[1].n == 1 and rep.summary[1].share_positive == 0.0
    assert rep.summary[20].n == 0 and rep.summary[20].median_spread is None


def test_two_episodes_summary_and_no_look_ahead_past_the_as_of() -> None:
    f = align_pair(pd.Series(A, index=D, dtype=float), pd.Series(B, index=D, dtype=float))
    rep = forward_report(f, D[9], horizons=(1, 2, 3, 4))  # current: rows 8-9, 2 sessions
    assert rep.current is not None and rep.current.length == 2
    assert [(e.start, e.reached, e.length) for e in rep.episodes] == [
        (D[1], D[2], 3),
        (D[5], D[6], 2),
    ]
    s1 = [(106 / 104 - 1) - (103 / 102 - 1), (108 / 109 - 1) - (106 / 105 - 1)]  # +0.94, -1.87 pp
    h1 = rep.summary[1]
    assert h1.n == 2
    assert h1.median_spread == pytest.approx(sum(s1) / 2)
    assert h1.mean_spread == pytest.approx(sum(s1) / 2)
    assert h1.share_positive == 0.5
    # Row 6 + 4 = row 10, the session after the as-of: not used although the data has it.
    assert rep.episodes[1].forward[4] is None
    f3 = rep.episodes[1].forward[3]
    assert f3 is not None and f3.spread == pytest.approx((112 / 109 - 1) - (107 / 105 - 1))
    assert rep.summary[4].n == 1


def test_when_b_leads_the_returns_are_oriented_to_b() -> None:
    f = align_pair(pd.Series(A, index=D, dtype=float), pd.Series(B, index=D, dtype=float))
    rep = forward_report(f, D[7], horizons=(1,))  # B led on row 7 alone; earlier: row 4
    assert rep.current is not None and rep.current.sign == -1
    (ep,) = rep.episodes
    assert ep.reached == D[4]
    fw = ep.forward[1]
    assert fw is not None
    assert fw.leader == pytest.approx(104.5 / 104 - 1)  # B, the leader
    assert fw.laggard == pytest.approx(107 / 105 - 1)
    assert fw.spread == pytest.approx(fw.leader - fw.laggard)


def test_a_tie_has_no_current_streak_and_no_episodes() -> None:
    a = pd.Series([100, 110, 121], index=D[:3], dtype=float)
    b = pd.Series([100, 105, 115.5], index=D[:3], dtype=float)  # +10% both on row 2
    rep = forward_report(align_pair(a, b))
    assert rep.current is None and rep.episodes == ()
    assert rep.summary[21].n == 0


def test_one_series_up_streaks_by_hand() -> None:
    # up, up (a 2-session streak), down, up, up (the current one, 2 sessions) as of row 5;
    # the earlier streak reached 2 on row 2 (close 121): a session later 108.9 (-10%), two
    # sessions later 114.345 (-5.5%); five sessions later is past the as-of row.
    closes = pd.Series([100, 110, 121, 108.9, 114.345, 119.79], index=D[:6], dtype=float)
    rep = forward_report(align_single(closes), horizons=(1, 2, 5))
    assert rep.current is not None and (rep.current.length, rep.current.sign) == (2, 1)
    (ep,) = rep.episodes
    assert (ep.length, ep.reached.date()) == (2, D[2].date())
    f1, f2 = ep.forward[1], ep.forward[2]
    assert f1 is not None and f2 is not None and ep.forward[5] is None
    assert f1.leader == pytest.approx(108.9 / 121 - 1) and f1.laggard == 0.0
    assert f2.spread == pytest.approx(114.345 / 121 - 1)  # its own return: the laggard is "no change"
    assert rep.summary[2].share_positive == 0.0


def test_summarize_by_hand() -> None:
    s = summarize([0.01, -0.02, 0.03, 0.0])
    assert (s.n, s.share_positive) == (4, 0.5)  # 0.0 is not "kept outperforming"
    assert s.median_spread == pytest.approx(0.005)
    assert s.mean_spread == pytest.approx(0.005)


# --------------------------------------------------------------------------- real data
def test_rut_spx_as_of_2026_01_22_has_the_1996_episode(data_dir: Path, calendar: NyseCalendar) -> None:
    market = Market(CsvDirSource(data_dir), calendar)
    rep = forward_report(market.aligned("^RUT", "^GSPC"), datetime(2026, 1, 22))
    assert rep.horizons == HORIZONS == (5, 21, 63, 126, 252)
    assert rep.current is not None
    assert (rep.current.length, rep.current.start) == (14, datetime(2026, 1, 2))
    (ep,) = rep.episodes
    assert (ep.start, ep.end, ep.length) == (datetime(1996, 4, 16), datetime(1996, 5, 7), 16)
    assert ep.reached == datetime(1996, 5, 3)
    # From the May 3, 1996 close to the close h sessions later (pandas over the CSVs):
    expected = {  # h: (Russell, S&P 500, spread), the end session in the comment
        5: (0.012397, 0.016302, -0.003905),  # May 10, 1996
        21: (0.045582, 0.048205, -0.002624),  # Jun 4, 1996
        63: (-0.064697, 0.032511, -0.097208),  # Aug 2, 1996
        126: (-0.018106, 0.099185, -0.117291),  # Oct 31, 1996
        252: (0.020556, 0.267039, -0.246482),  # May 2, 1997
    }
    for h, (lead, lag, spread) in expected.items():
        fw = ep.forward[h]
        assert fw is not None
        assert (fw.leader, fw.laggard, fw.spread) == pytest.approx((lead, lag, spread), abs=5e-7)
        s = rep.summary[h]
        assert (s.n, s.share_positive) == (1, 0.0)
        assert s.median_spread == s.mean_spread == fw.spread


def test_rut_spx_as_of_1996_05_07_has_no_earlier_16_session_streak(
    data_dir: Path, calendar: NyseCalendar
) -> None:
    market = Market(CsvDirSource(data_dir), calendar)
    rep = forward_report(market.aligned("^RUT", "^GSPC"), datetime(1996, 5, 7))
    assert rep.current is not None and rep.current.length == 16
    assert rep.episodes == ()


def test_thousands_of_episodes_carry_the_same_values_as_their_arrays(data_dir: Path, calendar: NyseCalendar) -> None:
    """A one-session streak has thousands of earlier ones; every episode's dates, length
    and returns are plain Python values read from the aligned closes."""
    market = Market(CsvDirSource(data_dir), calendar)
    frame = market.aligned("^RUT", "^GSPC")
    rep = forward_report(frame, datetime(2026, 9, 17))
    assert rep.current is not None and rep.current.length == 1  # the S&P 500 led on Sep 17
    assert len(rep.episodes) > 2000
    at = {d: i for i, d in enumerate(frame.dates.astype("datetime64[us]").tolist())}
    a, b = frame.close_a, frame.close_b
    assert b is not None
    for ep in rep.episodes[::97]:
        assert type(ep.reached) is datetime and type(ep.length) is int
        assert at[ep.end] - at[ep.start] + 1 == ep.length
        i = at[ep.reached]
        fw = ep.forward[5]
        if fw is not None:  # the S&P 500 leads: it is the leader's return
            assert fw.leader == pytest.approx(b[i + 5] / b[i] - 1, abs=1e-12)
            assert fw.laggard == pytest.approx(a[i + 5] / a[i] - 1, abs=1e-12)
            assert type(fw.spread) is float
