"""Hand-computed streak cases (each expected value worked out on paper)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics import (
    NoOverlapError,
    OutOfRangeError,
    align_pair,
    align_single,
    streak_report,
    streak_table,
)
from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import CsvDirSource
from bot.render.json import streak_json
from bot.render.text import streak_notes
from bot.services.answers import streak_answer
from bot.services.market import Market

D = pd.bdate_range("2026-01-02", periods=8)  # Fri Jan 2 .. Tue Jan 13 (no holidays in range)


def s(values: list[float], dates: pd.DatetimeIndex = D) -> pd.Series:
    return pd.Series(values, index=dates[: len(values)], dtype=float)


def test_outperforming_while_both_fall() -> None:
    # r_A: -1.00%, -1.0101%; r_B: -3.00%, -2.0619%: A fell less both days, so A led.
    a, b = s([100, 99, 98]), s([100, 97, 95])
    rep = streak_report(align_pair(a, b))
    assert rep.status == "streak"
    cur = rep.current
    assert cur is not None
    assert (cur.sign, cur.length, cur.start, cur.end) == (1, 2, D[1], D[2])
    assert cur.return_a == pytest.approx(98 / 100 - 1)  # -2%
    assert cur.return_b == pytest.approx(95 / 100 - 1)  # -5%
    assert rep.longest_since is None  # the longest in the data
    assert rep.record == cur


def test_tie_ends_a_streak() -> None:
    # r_A = +10% every day. r_B: +5%, +10% (a tie: 115.5/105 == 121/110 == 11/10), +3.896%.
    a, b = s([100, 110, 121, 133.1]), s([100, 105, 115.5, 120])
    frame = align_pair(a, b)
    assert frame.signs.tolist() == [0, 1, 0, 1]
    rep = streak_report(frame)
    cur = rep.current
    assert cur is not None
    assert (cur.length, cur.start) == (1, D[3])
    since = rep.longest_since
    assert since is not None and (since.start, since.end, since.length) == (D[1], D[1], 1)
    tie = streak_report(frame, D[2])
    assert tie.status == "tie" and tie.current is None


def test_exact_tie_on_the_as_of_session_is_no_streak() -> None:
    a, b = s([100, 200, 400]), s([50, 75, 150])  # +100%/+100%, +50%/+100%
    rep = streak_report(align_pair(a, b))
    assert rep.status == "tie"
    assert rep.records[1] is not None and rep.records[1].length == 1
    assert rep.records[-1] is None


def test_gap_is_reported_and_never_bridged() -> None:
    # A has no close on D[3]: the D[3] and D[4] comparisons are impossible.
    a = s([100, 101, 102, 103, 104, 105]).drop(D[3])
    b = s([100, 100, 100, 100, 100, 100])
    frame = align_pair(a, b, sessions=D[:6])
    assert frame.missing_a.tolist() == [D[3]]
    assert frame.gap.tolist() == [False, False, False, True, True, False]
    rep = streak_report(frame)
    cur = rep.current
    assert cur is not None and (cur.length, cur.start) == (1, D[5])
    assert rep.preceded_by_gap
    assert list(rep.gaps) == [D[3], D[4]]
    # Without a calendar the 2-session streak before the gap and the one after stay apart
    # only if the missing date is known: pass it through ``sessions`` as above. As of the
    # gap itself, the status says so.
    assert streak_report(frame, D[4]).status == "gap"


def test_first_session_of_the_data_has_no_return() -> None:
    rep = streak_report(align_pair(s([100, 101]), s([100, 100])), D[0])
    assert rep.status == "start" and rep.current is None


def test_as_of_before_any_streak_and_before_the_data() -> None:
    a, b = s([100, 101, 103, 104]), s([100, 100, 101, 105])
    first = streak_report(align_pair(a, b), D[1])
    assert first.current is not None and first.current.length == 1
    assert first.longest_since is None
    with pytest.raises(OutOfRangeError, match="before the data starts"):
        streak_report(align_pair(a, b), pd.Timestamp("2025-12-31"))
    with pytest.raises(OutOfRangeError, match="after the last close"):
        streak_report(align_pair(a, b), pd.Timestamp("2026-02-01"))


def test_as_of_on_a_weekend_uses_the_last_session_before_it() -> None:
    a, b = s([100, 101, 102]), s([100, 100, 100])  # Jan 2 (Fri), Jan 5, Jan 6
    rep = streak_report(align_pair(a, b), pd.Timestamp("2026-01-04"))  # Sunday
    assert rep.as_of == D[0] and rep.status == "start"


def test_longest_since_is_the_most_recent_earlier_run_at_least_as_long() -> None:
    # signs (from session 1): + + + - + + - + +   -> runs A3, B1, A2, B1, A2(current)
    ra = [0, 1, 1, 1, -1, 1, 1, -1, 1, 1]
    dates = pd.bdate_range("2026-02-02", periods=len(ra))
    a = pd.Series(np.cumprod([1.0] + [1.01 if x > 0 else 0.99 for x in ra[1:]]), index=dates)
    b = pd.Series(1.0, index=dates)
    rep = streak_report(align_pair(a, b))
    cur, since = rep.current, rep.longest_since
    assert cur is not None and since is not None
    assert (cur.start, cur.length) == (dates[8], 2)
    # The most recent earlier A-run with length >= 2 is the one at sessions 5-6, not 1-3.
    assert (since.start, since.end, since.length) == (dates[5], dates[6], 2)
    assert rep.record is not None and (rep.record.start, rep.record.length) == (dates[1], 3)


def test_streak_table_lists_every_run_with_returns() -> None:
    a, b = s([100, 99, 98, 99]), s([100, 97, 95, 100])
    tab = streak_table(align_pair(a, b))
    assert tab["sign"].tolist() == [1, -1]
    assert tab["length"].tolist() == [2, 1]
    assert tab["start"].tolist() == [D[1], D[3]]
    assert tab["return_a"].iloc[1] == pytest.approx(99 / 98 - 1)
    assert tab["return_b"].iloc[1] == pytest.approx(100 / 95 - 1)


def test_single_series_up_and_down_days() -> None:
    # up, up, unchanged (ends it), down, down, down
    c = s([100, 101, 102, 102, 101, 100, 99])
    rep = streak_report(align_single(c))
    cur = rep.current
    assert cur is not None and (cur.sign, cur.length, cur.start) == (-1, 3, D[4])
    assert cur.return_a == pytest.approx(99 / 102 - 1)
    assert cur.return_b is None
    up = rep.records[1]
    assert up is not None and (up.start, up.end, up.length) == (D[1], D[2], 2)


def test_series_that_do_not_overlap() -> None:
    a = s([1, 2, 3])
    b = pd.Series([1.0, 2.0], index=pd.bdate_range("2027-01-04", periods=2))
    with pytest.raises(NoOverlapError):
        align_pair(a, b)


def test_answers_say_what_was_skipped(tmp_path: Path) -> None:
    """Through the CLI answer layer: a gap before the streak, and a gap further back."""
    dates = pd.bdate_range("2026-03-02", periods=8)  # Mon Mar 2 .. Wed Mar 11
    spx = [100, 101, 102, 103, 104, 105, 106, 107]
    rut = [100, 102, 104, 106, 108, 110, 112, 114]  # +2%/day beats SPX's ~+1% every day
    for name, values, drop in (("GSPC", spx, None), ("RUT", rut, dates[4])):
        rows = [f"{d:%Y-%m-%d},{v}" for d, v in zip(dates, values, strict=True) if d != drop]
        (tmp_path / f"{name}.csv").write_text("date,close\n" + "\n".join(rows) + "\n")
    cal = NyseCalendar(start="2026-01-01", end="2026-12-31")
    market = Market(CsvDirSource(tmp_path), cal)
    ans = streak_answer(market, "RUT", "SPX")
    assert ans.report.current is not None and ans.report.current.start == dates[6]
    assert streak_notes(ans) == [
        "This streak starts right after a gap in the data (no comparison possible on "
        "Mar 9, 2026: a close is missing), so it may have begun earlier."
    ]
    earlier = streak_answer(market, "RUT", "SPX", as_of=dates[3].date())
    assert streak_notes(earlier) == []
    later = streak_answer(market, "SPX", "RUT", as_of=dates[7].date())
    assert streak_json(later)["gaps"] == ["2026-03-06", "2026-03-09"]
    # RUT falls on the last day: SPX leads for one session that does not follow the gap.
    (tmp_path / "RUT.csv").write_text(
        (tmp_path / "RUT.csv").read_text().replace("2026-03-11,114", "2026-03-11,111")
    )
    fresh = streak_answer(Market(CsvDirSource(tmp_path), cal), "RUT", "SPX")
    assert fresh.leader == "^GSPC" and fresh.report.current is not None
    assert fresh.report.current.length == 1
    assert streak_notes(fresh) == [
        "2 sessions in the data could not be compared because a close is missing "
        "(latest: Mar 9, 2026); streaks end at gaps, they are never bridged."
    ]
