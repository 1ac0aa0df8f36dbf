"""The facts the daily post leads with, as data: the ranked lead, ended streaks, long-while
records and the early close, on real sessions, checked against plain pandas."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bot
from bot.adapters.sources import BundledSource
from bot.services.summary import LONG_WHILE_SESSIONS, NOTABLE_LENGTH, build_summary

BUNDLED = Path(bot.__file__).parent / "data" / "bundled"
# (label the summary gives, A, B): the pairs and indices whose streaks can end.
SERIES: tuple[tuple[str, str, str | None], ...] = (
    ("Small vs large", "^RUT", "^GSPC"),
    ("Equal vs cap weight", "RSP", "SPY"),
    ("Tech vs broad", "^NDX", "^GSPC"),
    ("S&P 500", "^GSPC", None),
    ("Nasdaq 100", "^NDX", None),
    ("Nasdaq Composite", "^IXIC", None),
    ("Dow Jones Industrial Average", "^DJI", None),
    ("Russell 2000", "^RUT", None),
)


@pytest.fixture(scope="module")
def closes() -> dict[str, pd.Series]:
    src = BundledSource()
    return {sym: df["close"] for sym, df in src.bars(src.symbols()).items()}


def csv(sym: str) -> pd.Series:
    path = BUNDLED / f"{sym.lstrip('^')}.csv.gz"
    if not path.exists():
        path = BUNDLED / "etf_adjusted" / f"{sym}.csv.gz"
    return pd.read_csv(path, parse_dates=["date"], index_col="date")["close"].astype(float)


def signs(a: str, b: str | None, end: date) -> pd.Series:
    ca = csv(a)
    if b is None:
        s = np.sign(ca / ca.shift(1) - 1)
    else:
        both = pd.concat([ca, csv(b)], axis=1, join="inner")
        r = both / both.shift(1) - 1
        s = np.sign(r.iloc[:, 0] - r.iloc[:, 1])
    s = s.fillna(0).astype(int)
    out: pd.Series = s[s.index <= pd.Timestamp(end)]
    return out


def plain_ended(d: date) -> dict[str, int]:
    """Label -> length of a streak of 5+ sessions that ran through the session before ``d``
    and did not go on on ``d``."""
    out: dict[str, int] = {}
    for label, a, b in SERIES:
        s = signs(a, b, d)
        last, before = int(s.iloc[-1]), s.iloc[:-1]
        run_sign = int(before.iloc[-1])
        if run_sign in (0, last):
            continue
        n = 0
        for v in reversed(before.to_numpy()):
            if int(v) != run_sign:
                break
            n += 1
        if n >= NOTABLE_LENGTH:
            out[label] = n
    return out


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 23), {"Small vs large": 14}),
        (date(2025, 5, 5), {"S&P 500": 9, "Dow Jones Industrial Average": 9}),
        (date(2024, 12, 19), {"Dow Jones Industrial Average": 10}),
        (date(2025, 12, 31), {}),
        (date(2026, 1, 22), {}),
    ],
)
def test_ended_streaks_match_plain_pandas(
    closes: dict[str, pd.Series], day: date, expected: dict[str, int]
) -> None:
    assert plain_ended(day) == expected
    s = build_summary(closes, day)
    assert {e.label: e.streak.length for e in s.ended_streaks} == expected
    for e in s.ended_streaks:
        assert e.previous_session.date() < day
        assert e.today.current is None or e.today.current.start.date() == day


def test_jan23_2026_leads_with_the_ended_run(closes: dict[str, pd.Series]) -> None:
    s = build_summary(closes, date(2026, 1, 23))
    assert s.lead.kind == "ended" and s.lead.ended is not None
    e = s.lead.ended
    assert (e.key, e.streak.leader, e.today.leader, e.previous_session) == (
        "small_large", "^RUT", "^GSPC", pd.Timestamp("2026-01-22"),
    )
    assert e.streak.longest_since is not None and e.streak.longest_since.end.year == 1996


def test_jan22_2026_leads_with_the_run_and_its_record(closes: dict[str, pd.Series]) -> None:
    s = build_summary(closes, date(2026, 1, 22))
    assert s.lead.kind == "streak" and s.lead.streak is not None
    assert (s.lead.streak.key, s.lead.streak.streak.leader, s.lead.streak.streak.length) == (
        "small_large", "^RUT", 14,
    )
    assert [(r.symbol, r.nth_of_year) for r in s.lead.records] == [("^RUT", 8)]
    assert s.early_close is False


def test_a_record_after_a_long_while(closes: dict[str, pd.Series]) -> None:
    d = date(2025, 9, 18)
    s = build_summary(closes, d)
    rut = csv("^RUT")
    before = rut[rut.index < pd.Timestamp(d)]
    prev_high = before.index[int(np.argmax(before.to_numpy()))]
    gap = int(((rut.index > prev_high) & (rut.index <= pd.Timestamp(d))).sum())
    assert (prev_high.date(), gap) == (date(2021, 11, 8), 968)
    got = {r.symbol: (r.sessions_since_previous, r.after_long_while) for r in s.records}
    assert got["^RUT"] == (968, True) and gap >= LONG_WHILE_SESSIONS
    assert got["^DJI"] == (5, False)
    assert s.lead.kind == "records" and len(s.lead.records) == 5


def test_the_early_close_is_carried_as_given(closes: dict[str, pd.Series]) -> None:
    d = date(2025, 11, 28)
    assert build_summary(closes, d).early_close is False
    s = build_summary(closes, d, early_close=True)
    assert s.early_close is True and s.lead.kind == "quiet"
