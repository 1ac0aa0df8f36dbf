"""Record closes and YTD leadership: hand-computed cases and public facts from real data."""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from analytics import (
    record_closes,
    record_mask,
    record_summary,
    records_per_year,
    ytd_leadership,
    ytd_returns,
)


def bundled_close(stem: str) -> pd.Series:
    path = resources.files("bot") / "data" / "bundled" / f"{stem}.csv.gz"
    with path.open("rb") as raw, gzip.open(raw) as fh:
        df = pd.read_csv(fh, parse_dates=["date"], index_col="date")
    return df["close"]


@pytest.fixture(scope="module")
def gspc() -> pd.Series:
    return bundled_close("GSPC")


@pytest.fixture(scope="module")
def rut() -> pd.Series:
    return bundled_close("RUT")


@pytest.mark.parametrize(
    ("closes", "expected"),
    [
        ([10.0], [False]),  # the first close is the baseline, not a record
        ([10.0, 11.0, 11.0, 10.5, 12.0], [False, True, False, False, True]),  # equal is not above
        ([5.0, 4.0, 3.0], [False, False, False]),
        ([1.0, 2.0, 3.0], [False, True, True]),
        ([], []),
    ],
)
def test_record_mask_hand_cases(closes: list[float], expected: list[bool]) -> None:
    assert record_mask(np.array(closes, dtype=float)).tolist() == expected


def test_record_summary_hand_case() -> None:
    dates = pd.bdate_range("2025-12-29", periods=6)  # Dec 29, 30, 31, Jan 1 (bdate), 2, 5
    c = pd.Series([100.0, 101.0, 100.5, 102.0, 99.0, 103.0], index=dates)
    s = record_summary(c)
    assert s.is_record and s.nth_of_year == 2  # Jan 1 and Jan 5 (2026 records)
    assert s.count == 2 and s.year == 2026
    assert s.last_record is not None and s.last_record.date == dates[5]
    assert s.previous_record is not None and s.previous_record.date == dates[3]
    assert s.gap_sessions == 2
    assert s.pct_below_record == 0.0
    mid = record_summary(c, dates[4])
    assert not mid.is_record and mid.nth_of_year is None
    assert mid.pct_below_record == pytest.approx(1 - 99 / 102)
    assert mid.last_record is not None and mid.last_record.sessions_ago == 1
    y2025 = record_summary(c, dates[4], year=2025)
    assert y2025.count == 1 and list(y2025.dates) == [dates[1]]


@pytest.mark.parametrize(("year", "count"), [(2021, 70), (2022, 1), (2023, 0), (2024, 57)])
def test_sp500_record_closes_per_year_public_facts(gspc: pd.Series, year: int, count: int) -> None:
    assert int(records_per_year(gspc).loc[year]) == count


def test_russell_2021_record_stood_until_september_2025(rut: pd.Series) -> None:
    recs = record_closes(rut)
    after_2021 = recs[recs.index > "2021-11-08"]
    assert recs.loc[:"2021-12-31"].index[-1] == pd.Timestamp("2021-11-08")
    assert after_2021.index[0] == pd.Timestamp("2025-09-18")
    s = record_summary(rut, pd.Timestamp("2025-09-18"))
    assert s.is_record and s.nth_of_year == 1
    assert s.previous_record is not None
    assert s.previous_record.date == pd.Timestamp("2021-11-08")
    assert s.previous_record.close == pytest.approx(2442.74)
    sessions_between = int(((rut.index > "2021-11-08") & (rut.index <= "2025-09-18")).sum())
    assert s.gap_sessions == sessions_between


def test_ytd_returns_and_leadership_hand_case() -> None:
    dates = pd.DatetimeIndex(["2025-12-30", "2025-12-31", "2026-01-02", "2026-01-05", "2026-01-06"])
    a = pd.Series([90.0, 100.0, 102.0, 101.0, 104.0], index=dates)
    b = pd.Series([40.0, 50.0, 50.5, 51.0, 51.5], index=dates)
    assert ytd_returns(a, 2026).round(6).tolist() == [0.02, 0.01, 0.04]
    lead = ytd_leadership(a, b)
    # A's YTD: 2%, 1%, 4%; B's: 1%, 2%, 3%  -> A ahead on 2 of 3 sessions.
    assert (lead.sessions, lead.sessions_a_ahead) == (3, 2)
    assert not lead.a_ahead_every_session and not lead.b_ahead_every_session
    assert lead.return_a == pytest.approx(0.04) and lead.return_b == pytest.approx(0.03)
    early = ytd_leadership(a, b, pd.Timestamp("2026-01-02"))
    assert early.a_ahead_every_session and early.sessions == 1
