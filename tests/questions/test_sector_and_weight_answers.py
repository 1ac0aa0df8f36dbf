"""Sector leadership, equal vs cap weight and misspelled words, checked against the CSVs.

The expected figures come straight from the bundled CSV files (``csv_closes``), not from
the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import NOW
from test_qualified_answers import csv_closes

from bot.bootstrap import Services
from bot.questions.answer import AskedStreak, PeriodReply, QuestionAnswer, answer_text
from bot.questions.parser import Question
from bot.render.questions import question_message, question_text
from bot.services.performance import SectorLeadership

TODAY = date(2026, 9, 21)
SECTORS = ("XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY")


def ask(services: Services, text: str) -> QuestionAnswer:
    return answer_text(text, services.market, NOW, TODAY)


def ranked_from_csv(base: date, last: date) -> list[tuple[str, str]]:
    """The sector SPDRs with closes on both days, best first, as (symbol, "+x.xx%")."""
    out: list[tuple[float, str]] = []
    for sym in SECTORS:
        closes = csv_closes(sym)
        if base in closes and last in closes:
            out.append((closes[last] / closes[base] - 1, sym))
    out.sort(reverse=True)
    return [(sym, f"{r:+.2%}") for r, sym in out]


@pytest.mark.parametrize(
    ("text", "base", "last", "head"),
    [
        ("which sector is leading in July", date(2026, 6, 30), date(2026, 7, 31),
         "Sector leadership in Jul 2026 (total returns):"),
        ("which sector is leading ytd", date(2025, 12, 31), date(2026, 8, 21),
         "Sector leadership in 2026 so far (total returns):"),
        ("best sector in 2025", date(2024, 12, 31), date(2025, 12, 31),
         "Sector leadership in 2025 (total returns):"),
        ("worst performing sector last month", date(2026, 7, 31), date(2026, 8, 21),
         "Sector leadership in Aug 2026 so far (total returns):"),
    ],
)
def test_sector_leadership_over_a_period(
    seeded_services: Services, text: str, base: date, last: date, head: str
) -> None:
    got = ask(seeded_services, text)
    assert isinstance(got, PeriodReply) and isinstance(got.answer, SectorLeadership)
    lines = question_text(got).splitlines()
    assert lines[0] == head
    expected = ranked_from_csv(base, last)
    assert [s.symbol for s in got.answer.ranked] == [sym for sym, _ in expected]
    for i, (sym, pct) in enumerate(expected, 1):
        assert lines[i].startswith(f"{i}. ") and lines[i].endswith(f"({sym}) {pct}")
    assert "total" in lines[-1] and f"as of the {last:%b} {last.day}, {last.year} close" in lines[-1]


def test_july_2026_leader_is_energy(seeded_services: Services) -> None:
    """A hand-read figure: XLE closed 49.07 on Jun 30 and ... on Jul 31, 2026."""
    xle = csv_closes("XLE")
    r = xle[date(2026, 7, 31)] / xle[date(2026, 6, 30)] - 1
    got = ask(seeded_services, "which sector led in july")
    assert isinstance(got, PeriodReply) and isinstance(got.answer, SectorLeadership)
    assert got.answer.ranked[0].symbol == "XLE"
    assert f"{r:+.2%}" == "+12.13%"


def test_sectors_without_a_period_rank_the_latest_session_and_say_it_is_stale(
    seeded_services: Services,
) -> None:
    got = ask(seeded_services, "which sector is leading today?")
    assert isinstance(got, PeriodReply) and isinstance(got.answer, SectorLeadership)
    text = question_text(got)
    assert text.splitlines()[0] == "Sector leadership on Aug 21, 2026 (total returns):"
    expected = ranked_from_csv(date(2026, 8, 20), date(2026, 8, 21))
    assert text.splitlines()[1].endswith(f"({expected[0][0]}) {expected[0][1]}")
    assert "Data as of Aug 21, 2026" in text
    assert "Not ranked: XLB, XLRE, XLC (their data ends Jul 1, 2026)." in text


def test_a_week_after_the_sector_data_ends_is_one_clear_line(seeded_services: Services) -> None:
    got = ask(seeded_services, "which sector is leading this week")
    text = question_text(got)
    assert text.splitlines()[0] == (
        "Sep 21, 2026 is after the last close in the data for the sector ETFs (Aug 21, 2026)."
    )
    assert "%" not in text


def test_equal_vs_cap_weight_over_a_year(seeded_services: Services) -> None:
    rsp, spy = csv_closes("RSP"), csv_closes("SPY")
    base, last = date(2024, 12, 31), date(2025, 12, 31)
    got = ask(seeded_services, "equal weight vs cap weight in 2025")
    assert isinstance(got, PeriodReply)
    second = question_text(got).splitlines()[1]
    assert f"(RSP) returned {rsp[last] / rsp[base] - 1:+.2%}" in second
    assert f"(SPY) {spy[last] / spy[base] - 1:+.2%}" in second
    assert "dividend-adjusted (total) returns" in question_text(got)


def test_is_equal_weight_beating_cap_weight_is_the_current_streak(seeded_services: Services) -> None:
    rsp, spy = csv_closes("RSP"), csv_closes("SPY")
    last, prev = date(2026, 7, 1), date(2026, 6, 30)
    got = ask(seeded_services, "is equal weight beating cap weight?")
    assert isinstance(got, AskedStreak)
    lines = question_text(got).splitlines()
    assert lines[0] == "Equal weight vs cap weight (RSP vs SPY), who is leading:"
    r_rsp, r_spy = rsp[last] / rsp[prev] - 1, spy[last] / spy[prev] - 1
    assert r_rsp > r_spy
    assert lines[1] == (
        "The Invesco S&P 500 Equal Weight ETF (RSP) outperformed the SPDR S&P 500 ETF (SPY) "
        f"on Jul 1, 2026, {r_rsp:+.2%} vs {r_spy:+.2%}."
    )


@pytest.mark.parametrize(
    ("text", "typo", "read_as"),
    [
        ("has the Rusell outperformed the S&P this year?", "Rusell", "russell"),
        ("how many recrods did the sp500 set in 2024", "recrods", "records"),
        ("how's the Nasdq doing vs the Dow", "Nasdq", "nasdaq"),
        ("is the S&P on a losign streak", "losign", "losing"),
    ],
)
def test_misspelled_words_are_read_and_the_reading_is_stated(
    seeded_services: Services, text: str, typo: str, read_as: str
) -> None:
    got = ask(seeded_services, text)
    q = getattr(got, "question", None)
    assert isinstance(q, Question)
    assert (typo, read_as) in q.corrections
    first = question_text(got).splitlines()[0]
    assert f'reading "{typo}" as "{read_as}"' in first
    assert f'reading "{typo}" as "{read_as}"' in question_message(got).text.splitlines()[0]


def test_a_misspelled_name_gives_the_same_figure_as_the_right_spelling(
    seeded_services: Services,
) -> None:
    right = question_text(ask(seeded_services, "how did the Russell do vs the S&P this year"))
    typo = question_text(ask(seeded_services, "how did the Rusell do vs the S&P this year"))
    assert right.splitlines()[1:] == typo.splitlines()[1:]
    assert "+15.82%" in typo.splitlines()[1]
