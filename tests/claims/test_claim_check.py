"""Claims read from desk prose and checked against the bundled closes (figures verified there)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource
from bot.claims.check import check_text, rounds_to
from bot.services.market import Market


@pytest.fixture(scope="module")
def market(calendar: NyseCalendar) -> Market:
    return Market(BundledSource(), calendar)


# (as of, sentence, [(kind, outcome, actual)]) -- the actual figure from the data
CASES = [
    ("2026-01-22", "The recent 14-day win streak for the RUT vs. the SPX is the second longest on record; "
     "the longest lasted 16 days and ended in May of 1996.",
     [("relative_streak", "true", 14), ("streak_rank", "true", 2), ("record_streak", "true", 16)]),
    ("2026-01-22", "The recent 12-day win streak for the RUT vs. the SPX is the longest on record.",
     [("relative_streak", "false", 14), ("streak_rank", "false", 2)]),
    ("2026-01-22", "The Russell 2000 has outperformed the S&P 500 for 14 consecutive days, the longest streak "
     "since 1996, and closed at 2,718.77.",
     [("relative_streak", "true", 14), ("longest_since", "true", 1996), ("close_level", "true", 2718.77)]),
    ("2026-01-22", "The Russell 2000 has outperformed the S&P 500 for 10 sessions, the longest since 1990.",
     [("relative_streak", "false", 14), ("longest_since", "false", 1996)]),
    ("2026-01-22", "Small caps rose 0.8% on Thursday while the broader S&P 500 index gained 0.5%. "
     "The Dow added 306.78 points.",
     [("move_pct", "true", 0.7635), ("move_pct", "true", 0.5488), ("move_points", "true", 306.78)]),
    ("2026-01-22", "Small caps rose 0.7% on Thursday.", [("move_pct", "false", 0.7635)]),
    ("2024-12-31", "The S&P 500 set 57 record closes in 2024.", [("record_count", "true", 57)]),
    ("2024-12-31", "The S&P 500 set 58 record closes in 2024.", [("record_count", "false", 57)]),
    ("2025-09-18", "The Russell 2000 index closed at a record high, its first record since November 2021, "
     "ending a stretch of 967 trading days without a record.",
     [("record_close", "true", True), ("first_record_since", "true", "2021-11"),
      ("sessions_without_record", "true", 967)]),
    ("2025-09-18", "It was the Russell's first closing high in 968 sessions.",
     [("sessions_without_record", "true", 967)]),
    ("2025-09-18", "The Russell 2000 ended a stretch of 900 trading days without a record.",
     [("sessions_without_record", "false", 967)]),
    ("2026-01-22", "The Russell 2000 has beaten the S&P 500 on every trading day this year.",
     [("relative_streak", "true", 14)]),
    ("2026-01-22", "The Nasdaq is up 0.9% this year.", [("ytd", "false", 0.8348)]),
    ("2026-08-13", "The S&P 500 closed at a record, its 27th closing record high of 2026.",
     [("record_close", "true", True), ("nth_record", "true", 27)]),
    ("2026-08-13", "The S&P 500 notched its 26th record close of 2026.", [("nth_record", "false", 27)]),
]


@pytest.mark.parametrize(("as_of", "text", "expected"), CASES, ids=[c[1][:40] for c in CASES])
def test_each_claim_gets_its_verdict_and_figure(
    market: Market, as_of: str, text: str, expected: list[tuple[str, str, object]]
) -> None:
    result = check_text(market, text, date.fromisoformat(as_of))
    got = [(v.claim.kind, v.outcome, v.actual) for v in result.verdicts]
    assert got == expected


def test_no_claim_in_plain_prose(market: Market) -> None:
    assert check_text(market, "Hello world, nothing here.", date(2026, 1, 22)).verdicts == ()


def test_rounding_as_stated() -> None:
    assert rounds_to(0.76, "0.8")
    assert not rounds_to(0.70, "0.8")
    assert rounds_to(0.75, "0.8")  # half up


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(market: Market, text: str) -> None:
    check_text(market, text, date(2026, 1, 22))
