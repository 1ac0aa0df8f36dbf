"""The next thresholds of a streak, on a series worked out by hand."""

from __future__ import annotations

import pandas as pd

from analytics.returns import align_pair
from analytics.streaks import session_returns, streak_milestones

# Leaders by session: A x5, B, A x3, B, A x2. A leads with +1% against a flat B, B with
# +1% against a flat A.
LEADERS = "AAAAABAAABAA"
D = pd.bdate_range("2026-03-02", periods=len(LEADERS) + 1)  # Mar 2 .. Mar 18, no holiday


def closes() -> tuple[pd.Series, pd.Series]:
    a, b = [100.0], [100.0]
    for who in LEADERS:
        a.append(a[-1] * (1.01 if who == "A" else 1.0))
        b.append(b[-1] * (1.01 if who == "B" else 1.0))
    return pd.Series(a, index=D), pd.Series(b, index=D)


def test_the_ladder_then_the_record() -> None:
    frame = align_pair(*closes())
    assert frame.signs.tolist()[1:] == [1 if w == "A" else -1 for w in LEADERS]
    got = streak_milestones(frame)
    # Current: 2 sessions. Longest since the 3-session streak; at 4 it is the longest since
    # the 5-session one (which is also the record): 5 ties it, 6 beats it.
    assert [(m.length, m.sessions_to_go, m.kind) for m in got] == [
        (4, 2, "longest_since"),
        (5, 3, "tie_record"),
        (6, 4, "record"),
    ]
    assert got[0].compared.start == D[1] and got[0].compared.length == 5
    assert got[1].compared == got[2].compared


def test_at_three_the_ladder_rung_is_the_record_tie_itself() -> None:
    a, b = closes()
    frame = align_pair(a, b)
    got = streak_milestones(frame, D[9].date())  # the 3-session streak, rows 7-9
    # Longest since the 5-session one: next comes the tie at 5, then the record at 6.
    assert [(m.length, m.sessions_to_go, m.kind) for m in got] == [(5, 2, "tie_record"), (6, 3, "record")]


def test_none_for_the_first_streak_and_for_a_record() -> None:
    frame = align_pair(*closes())
    assert streak_milestones(frame, D[5].date()) == ()  # the 5-session streak: nothing before it
    # Row 10: B leads for 1 session, as long as its one earlier streak (row 6): 1 more is a record.
    got = streak_milestones(frame, D[10].date())
    assert [(m.length, m.sessions_to_go, m.kind) for m in got] == [(2, 1, "record")]


def test_session_returns_are_the_as_of_session_moves() -> None:
    frame = align_pair(*closes())
    ra, rb = session_returns(frame, D[6].date())  # B led: A flat, B +1%
    assert ra == 0.0 and rb is not None and abs(rb - 0.01) < 1e-12
