"""The words of the period answers, exactly, on the bundled data.

Each answer opens with the question as understood, then the figures (hand-checked in
tests/services/test_period_use_cases.py against the CSVs), then the footer naming the
resolved symbols, the as-of session and the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import pytest

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource
from bot.render.period_answers import period_message, period_text, period_words
from bot.services.day_move import day_move
from bot.services.losing_streaks import losing_streaks, relative_losing_streaks
from bot.services.market import Market
from bot.services.performance import pair_performance, sector_leadership, ytd_return
from bot.services.record_queries import (
    record_before,
    record_years,
    records_in_period,
    records_through_month,
    sessions_since_record,
)

SPX_FOOTER = "^GSPC · closing prices · as of the {} close · Source: Yahoo Finance (S&P Dow Jones Indices)"


@pytest.fixture(scope="module")
def market(calendar: NyseCalendar) -> Market:
    return Market(BundledSource(), calendar)


def test_period_words() -> None:
    assert period_words(date(2022, 1, 1), date(2022, 12, 31)) == "in 2022"
    assert period_words(date(2026, 1, 1), date(2026, 9, 17), open_end=True) == "in 2026 so far"
    assert period_words(date(2026, 3, 1), date(2026, 3, 31)) == "in Mar 2026"
    assert period_words(date(2026, 9, 17), date(2026, 9, 17)) == "on Sep 17, 2026"
    assert period_words(date(2024, 11, 5), date(2026, 9, 17), open_end=True) == "since Nov 5, 2024"
    assert period_words(date(2026, 1, 5), date(2026, 3, 3)) == "over Jan 5 – Mar 3, 2026"


def test_pair_performance_text(market: Market) -> None:
    got = period_text(pair_performance(market, "RUT", "SPX", date(2026, 1, 1)))
    assert got == (
        "Russell 2000 vs S&P 500 in 2026 so far:\n"
        "The Russell 2000 returned +15.82% and the S&P 500 +11.57% (the Dec 31, 2025 close to the "
        "Sep 17, 2026 close, 178 sessions): the Russell 2000 led by 4.25 percentage points.\n"
        "^RUT vs ^GSPC · price returns · as of the Sep 17, 2026 close · "
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)"
    )


def test_ytd_text(market: Market) -> None:
    assert period_text(ytd_return(market, "SPX", year=2025)).splitlines()[:2] == [
        "S&P 500 in 2025, the whole year:",
        "The S&P 500 returned +16.39%: 6,845.50 on Dec 31, 2025 against 5,881.63 at the Dec 31, 2024 "
        "close (250 sessions).",
    ]
    assert period_text(ytd_return(market, "SPX")).splitlines()[0] == "S&P 500 year to date (2026):"


def test_sector_text(market: Market) -> None:
    got = period_text(sector_leadership(market, None)).splitlines()
    assert got[0] == "Sector leadership on Aug 21, 2026 (total returns):"
    assert got[1] == "1. Health Care sector (XLV) +1.29%"
    assert got[8] == "8. Utilities sector (XLU) -2.28%"
    assert got[9] == "Not ranked: XLB, XLRE, XLC (their data ends Jul 1, 2026)."
    assert got[10] == (
        "sector SPDR ETFs · dividend-adjusted (total) returns · as of the Aug 21, 2026 close · "
        "Source: Yahoo Finance (dividend-adjusted)"
    )


def test_day_move_text(market: Market) -> None:
    assert period_text(day_move(market, "DJIA", date(2020, 3, 16))) == (
        "Dow Jones Industrial Average on Mar 16, 2020:\n"
        "The Dow Jones Industrial Average closed at 20,188.52, down 2,997.10 (-12.93%) from "
        "23,185.62 on Mar 13, 2020.\n"
        "^DJI · closing prices · as of the Mar 16, 2020 close · Source: Yahoo Finance (S&P Dow Jones Indices)"
    )
    assert period_text(day_move(market, "SPX", date(2026, 7, 3))).splitlines()[:2] == [
        "S&P 500 on Jul 3, 2026:",
        "Jul 3, 2026 was not an NYSE session (a market holiday). The nearest sessions: Jul 2, 2026 "
        "and Jul 6, 2026.",
    ]
    assert period_text(day_move(market, "SPX", date(2026, 7, 4))).splitlines()[1].startswith(
        "Jul 4, 2026 was a Saturday."
    )


def test_record_texts(market: Market) -> None:
    assert period_text(records_in_period(market, "SPX", date(2022, 1, 1), date(2022, 12, 31))) == (
        "S&P 500 record closes in 2022:\n1 record close (Jan 3 – Dec 30, 2022): Jan 3.\n"
        + SPX_FOOTER.format("Dec 30, 2022")
    )
    assert period_text(records_in_period(market, "SPX", date(2023, 1, 1), date(2023, 12, 31))).splitlines()[:2] == [
        "S&P 500 record closes in 2023:", "No record close (Jan 3 – Dec 29, 2023).",
    ]
    third = records_in_period(market, "SPX", date(2024, 1, 1), date(2024, 12, 31), which=3)
    assert period_text(third).splitlines()[:2] == [
        "S&P 500's third record close in 2024:",
        "The S&P 500 closed at a record 4,864.60 on Jan 23, 2024, the third of 57 record closes "
        "(Jan 2 – Dec 31, 2024).",
    ]
    assert period_text(record_before(market, "SPX", date(2024, 1, 1))).splitlines()[:2] == [
        "S&P 500's last record close before Jan 1, 2024:",
        "The S&P 500 closed at a record 4,796.56 on Jan 3, 2022.",
    ]
    june = period_text(records_through_month(market, "SPX", 2026, 6)).splitlines()
    assert june[0] == "S&P 500 record closes through June 2026:"
    assert june[1].startswith("24 record closes (Jan 2 – Jun 30, 2026): Jan 6, 9, 12, 27; Apr 15,")
    since = period_text(records_in_period(market, "SPX", date(2021, 1, 1), None)).splitlines()
    assert since[0] == "S&P 500 record closes since Jan 1, 2021:"
    assert since[1].startswith("194 record closes (Jan 4, 2021 – Sep 17, 2026). By year: 2021: 70, 2022: 1, 2023: 0, 2024: 57,")


def test_sessions_since_and_years_texts(market: Market) -> None:
    assert period_text(sessions_since_record(market, "RUT")) == (
        "Russell 2000 sessions since the last record close:\n"
        "23 sessions since the Russell 2000's last record close, 3,068.42 on Aug 14, 2026 "
        "(as of Sep 17, 2026, 6.32% below it).\n"
        "The record before it: 3,052.85 on Aug 13, 2026, 1 session earlier.\n"
        "^RUT · closing prices · as of the Sep 17, 2026 close · Source: Yahoo Finance (FTSE Russell)"
    )
    assert period_text(record_years(market, "SPX")).splitlines()[:4] == [
        "S&P 500 years ranked by record closes:",
        "Most: 1995 (77), 2021 (70), 1964 (62), 2017 (62), 2024 (57).",
        "Fewest: 0 record closes, in 52 years (latest: 2023, 2012, 2011, 2010, 2009).",
        "Years of the data: 1927 to 2026 (1927 from Dec 30, 1927; 2026 through Sep 17, 2026).",
    ]


def test_losing_streak_texts(market: Market) -> None:
    assert period_text(losing_streaks(market, "SPX", as_of=date(2026, 9, 16))) == (
        "S&P 500 losing streaks (sessions it fell):\n"
        "The S&P 500 has fallen for 3 straight sessions (Sep 14 – Sep 16, 2026), -1.37% over the run: "
        "the longest since Sep 2026 (4 sessions, Sep 4 – Sep 10, 2026).\n"
        "The longest losing streak in the data: 12 sessions (Apr 22 – May 9, 1966), -6.60%.\n"
        "^GSPC · price returns · as of the Sep 16, 2026 close · Source: Yahoo Finance (S&P Dow Jones Indices)"
    )
    assert period_text(relative_losing_streaks(market, "SPX", "RUT")).splitlines()[:3] == [
        "S&P 500 losing streaks against the Russell 2000 (sessions it returned less):",
        "The S&P 500 is not on a losing streak: it beat the Russell 2000 on Sep 17, 2026. Its last "
        "one: 1 session (Sep 16, 2026), -0.45% vs -0.40%.",
        "The longest streak of the S&P 500 lagging the Russell 2000 in the data: 16 sessions "
        "(Apr 16 – May 7, 1996), -0.66% vs +3.64%.",
    ]


class _Reader:
    name = "bundled data"

    def __init__(self, closes: dict[str, dict[str, float]]) -> None:
        self._closes = closes

    def symbols(self) -> list[str]:
        return list(self._closes)

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        return {
            s: pd.DataFrame(
                {"close": list(self._closes[s].values())},
                index=pd.DatetimeIndex([pd.Timestamp(d) for d in self._closes[s]], name="date"),
            )
            for s in symbols if s in self._closes
        }


def test_a_gap_is_said_not_bridged(calendar: NyseCalendar) -> None:
    days = ["2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"]
    spx = dict(zip(days, [100.0, 101.0, 102.0, 103.0, 104.0], strict=True))
    rut = {d: v for d, v in zip(days, [50.0, 51.0, 52.0, 53.0, 54.0], strict=True) if d != "2026-01-06"}
    m = Market(_Reader({"^GSPC": spx, "^RUT": rut}), calendar)
    assert period_text(pair_performance(m, "RUT", "SPX", date(2026, 1, 5), date(2026, 1, 8))) == (
        "Russell 2000 vs S&P 500 over Jan 5 – Jan 8, 2026:\n"
        "The returns cannot be measured over the Jan 2, 2026 close to the Jan 8, 2026 close, "
        "4 sessions: a close is missing.\n"
        "1 close missing from the data in this period (first: Jan 6, 2026): a gap is reported, never bridged.\n"
        "^RUT vs ^GSPC · price returns · as of the Jan 8, 2026 close · "
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)"
    )


def test_the_slack_message_bolds_the_restatement(market: Market) -> None:
    msg = period_message(records_in_period(market, "SPX", date(2022, 1, 1), date(2022, 12, 31)))
    assert msg.text.splitlines()[0] == "*S&P 500 record closes in 2022:*"
    assert msg.text.splitlines()[1] == "1 record close (Jan 3 – Dec 30, 2022): Jan 3."
    assert msg.blocks[0]["text"]["text"].startswith("*S&amp;P 500 record closes in 2022:*\n")
