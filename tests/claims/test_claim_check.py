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
    # Dec 5 - Dec 18, 2024: ten straight Dow declines; the Dow's data starts in 1992, so a
    # comparison with 1974 is beyond it (not false).
    ("2024-12-18", "The Dow fell for a 10th straight session on Wednesday, its longest losing streak since 1974.",
     [("streak", "true", 10), ("longest_since", "unverifiable", None)]),
    ("2024-12-18", "The Dow fell for a 9th straight session on Wednesday.", [("streak", "false", 10)]),
    ("2024-12-18", "The Dow Jones Industrial Average has fallen for 10 consecutive sessions, shedding 1,123 "
     "points on Wednesday alone.", [("streak", "true", 10), ("move_points", "true", -1123.03)]),
    ("2024-12-18", "The S&P 500 has risen for two straight sessions.", [("streak", "false", -2)]),
    # Mar 16, 2020
    ("2020-03-16", "The S&P 500 plunged 12% on Monday, while the Dow lost 2,997.10 points and closed at 20,188.52.",
     [("move_pct", "true", -11.9841), ("move_points", "true", -2997.1), ("close_level", "true", 20188.52)]),
    ("2020-03-16", "The S&P 500 plunged 11% on Monday, while the Dow lost 2,897.10 points and closed at 20,188.25.",
     [("move_pct", "false", -11.9841), ("move_points", "false", -2997.1), ("close_level", "false", 20188.52)]),
    ("2020-03-16", "Stocks cratered 12% on Monday.", [("move_pct", "unverifiable", None)]),
    # Apr 9, 2025
    ("2025-04-09", "The Nasdaq soared 12.2% and the S&P 500 jumped 9.5% after the tariff pause.",
     [("move_pct", "true", 12.1632), ("move_pct", "true", 9.5154)]),
    ("2025-04-09", "The Nasdaq soared 12.5% and the S&P 500 jumped 9.5% after the tariff pause.",
     [("move_pct", "false", 12.1632), ("move_pct", "true", 9.5154)]),
    ("2025-04-09", "The Dow surged 2,963 points, while small caps rose 8.7%.",
     [("move_points", "true", 2962.86), ("move_pct", "true", 8.6584)]),
    # Jan 19, 2024: the first S&P 500 record since Jan 3, 2022, 512 sessions between them
    ("2024-01-19", "The S&P 500 closed at a record high on Friday, its first record since January 2022, "
     "ending a stretch of 512 trading days without a record.",
     [("record_close", "true", True), ("first_record_since", "true", "2022-01"),
      ("sessions_without_record", "true", 512)]),
    ("2024-01-19", "The S&P 500 closed at a record high on Friday, its first record since December 2021, "
     "ending a stretch of 500 trading days without a record.",
     [("record_close", "true", True), ("first_record_since", "false", "2022-01"),
      ("sessions_without_record", "false", 512)]),
    ("2024-01-18", "The S&P 500 closed at a record high on Thursday.", [("record_close", "false", False)]),
    # record counts and full-year returns
    ("2021-12-31", "The S&P 500 set 70 record closes in 2021.", [("record_count", "true", 70)]),
    ("2021-12-31", "The S&P 500 set 71 record closes in 2021.", [("record_count", "false", 70)]),
    ("2022-12-30", "The S&P 500 notched only one record close in 2022.", [("record_count", "true", 1)]),
    ("2025-12-31", "The S&P 500 posted 39 record closes in 2025 and was up 16.4% for the year.",
     [("record_count", "true", 39), ("ytd", "true", 16.3878)]),
    ("2024-12-31", "The S&P 500 is up 23.3% this year.", [("ytd", "true", 23.309)]),
    ("2024-12-31", "The S&P 500 is up 23.0% this year.", [("ytd", "false", 23.309)]),
    # Jan 2026: small caps' run
    ("2026-01-16", "The Russell 2000 has outperformed the S&P 500 for 11 straight sessions, the longest streak "
     "since June 2008, and closed at its sixth record of 2026.",
     [("relative_streak", "true", 11), ("longest_since", "true", "2008-06"), ("nth_record", "true", 6)]),
    ("2026-01-16", "The Russell 2000 has outperformed the S&P 500 for 12 straight sessions, the longest streak "
     "since May 2008, and closed at its fifth record of 2026.",
     [("relative_streak", "false", 11), ("longest_since", "false", "2008-06"), ("nth_record", "false", 6)]),
    ("2026-01-23", "The Russell 2000 fell 1.8% on Friday, snapping its streak of outperformance.",
     [("move_pct", "true", -1.8247)]),
    ("2026-01-26", "Small caps slid 1.8% on Friday while the S&P 500 edged up 0.03%.",
     [("move_pct", "true", -1.8247), ("move_pct", "true", 0.0327)]),
    ("2026-01-23", "The Russell 2000 has outperformed the S&P 500 for 15 straight sessions.",
     [("relative_streak", "false", -1)]),
    ("2026-01-22", "The small-cap index is up 9.5% this year.", [("ytd", "true", 9.5435)]),
    ("2026-01-22", "The Nasdaq Composite has beaten the S&P 500 for two straight days.",
     [("relative_streak", "true", 2)]),
    ("2026-08-13", "The S&P 500 has risen for two straight sessions and closed at 7,798.99.",
     [("streak", "true", 2), ("close_level", "true", 7798.99)]),
    # a paragraph of wire coverage of Jan 22, 2026, claim by claim; then with figures changed
    ("2026-01-22", "The Russell 2000 rose 0.8% to close at a record 2,718.77 on Thursday, its 14th straight "
     "session outperforming the S&P 500. That's the longest such streak since 1996. The S&P 500 added 0.55%, "
     "and the Dow Jones Industrial Average gained 306.78 points, or 0.63%, to end at 49,384.01. The Nasdaq "
     "Composite climbed 0.91%. It has outperformed the S&P 500 for two straight sessions.",
     [("move_pct", "true", 0.7635), ("record_close", "true", True), ("close_level", "true", 2718.77),
      ("relative_streak", "true", 14), ("longest_since", "true", 1996), ("move_pct", "true", 0.5488),
      ("move_points", "true", 306.78), ("move_pct", "true", 0.6251), ("close_level", "true", 49384.01),
      ("move_pct", "true", 0.9094), ("relative_streak", "true", 2)]),
    ("2026-01-22", "The Russell 2000 rose 0.7% to close at a record 2,718.77 on Thursday, its 13th straight "
     "session outperforming the S&P 500. The Dow gained 306.78 points, or 0.6%, to end at 49,384.10.",
     [("move_pct", "false", 0.7635), ("record_close", "true", True), ("close_level", "true", 2718.77),
      ("relative_streak", "false", 14), ("move_points", "true", 306.78), ("move_pct", "true", 0.6251),
      ("close_level", "false", 49384.01)]),
    # markets the data does not have are named, never checked against a US index
    ("2026-01-22", "Bitcoin fell 3% and gold rose 1.2%, while the Russell 2000 gained 0.8%.",
     [("move_pct", "unverifiable", None), ("move_pct", "unverifiable", None), ("move_pct", "true", 0.7635)]),
    ("2026-01-22", "The Nasdaq is up 0.8% this year. The FTSE 100 rose 1%.",
     [("ytd", "true", 0.8348), ("move_pct", "unverifiable", None)]),
    ("2026-01-22", "The Nasdaq is up 0.8% this year. It rose 0.9% on Thursday.",
     [("ytd", "true", 0.8348), ("move_pct", "true", 0.9094)]),
]


@pytest.mark.parametrize(("as_of", "text", "expected"), CASES, ids=[c[1][:40] for c in CASES])
def test_each_claim_gets_its_verdict_and_figure(
    market: Market, as_of: str, text: str, expected: list[tuple[str, str, object]]
) -> None:
    result = check_text(market, text, date.fromisoformat(as_of))
    got = [(v.claim.kind, v.outcome, v.actual) for v in result.verdicts]
    assert got == expected


def test_at_least_forty_sentences_with_false_variants() -> None:
    assert len(CASES) >= 40
    expected: list[list[tuple[str, str, object]]] = [c[2] for c in CASES]  # type: ignore[misc]
    assert sum(any(o == "false" for _, o, _ in claims) for claims in expected) >= 15


def test_unknown_markets_are_named(market: Market) -> None:
    (v,) = check_text(market, "The FTSE 100 rose 1% on Thursday.", date(2026, 1, 22)).verdicts
    assert (v.outcome, v.why, v.claim.unresolved, v.claim.symbols) == ("unverifiable", "unknown_symbol",
                                                                        "The FTSE 100", ())


def test_each_claim_quotes_its_words_with_their_place(market: Market) -> None:
    text = "Markets were busy. The Dow added 306.78 points on Thursday."
    (v,) = check_text(market, text, date(2026, 1, 22)).verdicts
    assert v.claim.phrase == "added 306.78 points"
    a, b = v.claim.phrase_span
    assert text[a:b] == "added 306.78 points"
    assert text[slice(*v.claim.span)] == "The Dow added 306.78 points on Thursday."


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
