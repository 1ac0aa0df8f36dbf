"""Sessions decided by a hair (photo finishes) inside a streak."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.returns import align_pair, align_single
from analytics.streaks import close_calls

D = pd.bdate_range("2026-01-05", periods=5)


def test_pair_margins_by_hand() -> None:
    # A's returns: +1%, +1.00002%, +2%, +0.5%; B's: 0, +1%, +1.99999%, +0.5% (a tie)
    a = pd.Series([100.0, 101.0, 101.0 * 1.0100002, 0.0, 0.0], index=D)
    a.iloc[3] = a.iloc[2] * 1.02
    a.iloc[4] = a.iloc[3] * 1.005
    b = pd.Series([100.0, 100.0, 101.0, 101.0 * 1.0199999, 0.0], index=D)
    b.iloc[4] = b.iloc[3] * 1.005
    frame = align_pair(a, b)
    # margins: 1% | 0.2 bp (+1.00002% vs +1%) | 0.1 bp (+2% vs +1.99999%) | 0 (a tie, not counted)
    assert close_calls(frame, D[-1].date(), 4, 0.00005) == 2
    assert close_calls(frame, D[-1].date(), 1, 0.00005) == 0  # the tie alone
    assert close_calls(frame, D[2].date(), 2, 0.00005) == 1


def test_one_series_counts_moves_under_the_margin() -> None:
    closes = pd.Series(np.array([100.0, 100.004, 101.0, 101.0, 101.002]), index=D)
    # +0.4 bp, +0.996%, 0 (unchanged: not counted), +0.2 bp
    assert close_calls(align_single(closes), None, 4, 0.00005) == 2
