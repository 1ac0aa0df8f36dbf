"""Performance over the last N sessions ("over the past 10 days", "the last 20 sessions",
"past two weeks"), answered from the bundled data.

A day is a session and a week five sessions. The figures were computed from
/work/shared/data/GSPC.csv, RUT.csv and DJI.csv with pandas alone: the close of the last
session over the close N sessions before it, minus one.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import NOW

from bot.bootstrap import Services
from bot.questions import Period, parse_question
from bot.questions.answer import HelpReply, PeriodReply, answer_text
from bot.render.questions import question_message, question_text
from bot.services.performance import PairPerformance, PeriodReturn

TODAY = date(2026, 9, 21)
AVAILABLE = frozenset({"^GSPC", "^RUT", "^DJI", "^IXIC", "RSP", "SPY"})


def ask(services: Services, text: str) -> object:
    return answer_text(text, services.market, NOW, TODAY)


@pytest.mark.parametrize(
    ("text", "intent", "symbols", "n"),
    [
        ("small caps vs large caps over the past 10 days", "pair_performance", ("^RUT", "^GSPC"), 10),
        ("RUT vs SPX the last 20 sessions", "pair_performance", ("^RUT", "^GSPC"), 20),
        ("how has the Russell done vs the S&P in the past two weeks", "pair_performance",
         ("^RUT", "^GSPC"), 10),
        ("how did the S&P do over the last 5 days", "symbol_performance", ("^GSPC",), 5),
        ("S&P 500 past 10 sessions", "symbol_performance", ("^GSPC",), 10),
        ("how much has the dow fallen in the last 15 trading days", "symbol_performance",
         ("^DJI",), 15),
        ("the Dow over the previous three weeks, how did it do", "symbol_performance", ("^DJI",), 15),
        ("equal weight vs cap weight past 10 days", "equal_vs_cap", ("RSP", "SPY"), 10),
    ],
)
def test_the_last_n_sessions_are_read(text: str, intent: str, symbols: tuple[str, ...], n: int) -> None:
    q = parse_question(text, today=TODAY, available=AVAILABLE)
    assert (q.intent, q.symbols, q.period, q.unused) == (intent, symbols, Period("sessions", sessions=n), ())


@pytest.mark.parametrize(
    "text",
    [
        "has the Dow fallen the last 5 days in a row",  # a run, not a period: not answered as one
        "S&P records over the last 20 sessions",  # no records answer over N sessions yet
        "small caps vs large caps over the past 10 days in 2022",  # two periods
    ],
)
def test_a_last_n_question_no_answer_uses_is_not_understood(text: str) -> None:
    q = parse_question(text, today=TODAY, available=AVAILABLE)
    assert q.intent == "unknown" and q.unused


def test_a_pair_over_the_last_10_sessions(seeded_services: Services) -> None:
    got = ask(seeded_services, "small caps vs large caps over the past 10 days")
    assert isinstance(got, PeriodReply) and isinstance(got.answer, PairPerformance)
    ans = got.answer
    assert ans.last_sessions == 10
    assert (ans.span.base, ans.span.first, ans.span.last) == (
        date(2026, 9, 2), date(2026, 9, 3), date(2026, 9, 17))
    assert ans.a.change == pytest.approx(2874.63 / 2953.17 - 1)  # -2.66%
    assert ans.b.change == pytest.approx(7637.76 / 7666.60 - 1)  # -0.38%
    lines = question_text(got).splitlines()
    assert lines[0] == "Russell 2000 vs S&P 500 over the last 10 sessions (Sep 3 – Sep 17, 2026):"
    assert lines[1] == (
        "The Russell 2000 returned -2.66% and the S&P 500 -0.38% (the Sep 2, 2026 close to the "
        "Sep 17, 2026 close, 10 sessions): the S&P 500 led by 2.28 percentage points."
    )
    slack = question_message(got).text.splitlines()
    assert slack[:2] == [lines[0], f"*{lines[1]}*"]  # the restatement plain, the answer bold


def test_two_weeks_are_ten_sessions_of_the_pair_grid(seeded_services: Services) -> None:
    # The Dow's data ends Aug 21, 2026: the pair's last session is that day.
    got = ask(seeded_services, "russell vs dow past two weeks")
    assert isinstance(got, PeriodReply) and isinstance(got.answer, PairPerformance)
    ans = got.answer
    assert (ans.span.base, ans.span.last, ans.span.sessions) == (date(2026, 8, 7), date(2026, 8, 21), 10)
    assert ans.a.change == pytest.approx(-0.0054770, abs=1e-6)
    assert ans.b.change == pytest.approx(53277.01 / 54036.93 - 1)


def test_one_symbol_over_the_last_n_sessions(seeded_services: Services) -> None:
    got = ask(seeded_services, "how did the Dow do over the last 10 days")
    assert isinstance(got, PeriodReply) and isinstance(got.answer, PeriodReturn)
    assert question_text(got).splitlines()[:2] == [
        "Dow Jones Industrial Average over the last 10 sessions (Aug 10 – Aug 21, 2026):",
        "The Dow Jones Industrial Average returned -1.41%: 53,277.01 on Aug 21, 2026 against "
        "54,036.93 at the Aug 7, 2026 close (10 sessions).",
    ]
    five = ask(seeded_services, "S&P 500 past 5 sessions")
    assert isinstance(five, PeriodReply) and isinstance(five.answer, PeriodReturn)
    assert five.answer.side.change == pytest.approx(7637.76 / 7591.70 - 1)  # from the Sep 10 close
    assert five.answer.span.base == date(2026, 9, 10)


def test_more_sessions_than_the_data_has_is_said(seeded_services: Services) -> None:
    got = ask(seeded_services, "how did RSP do over the last 9000 sessions")
    assert isinstance(got, HelpReply) and got.reason == "user_error"
    # RSP's 5,829 closes start May 1, 2003: 5,828 sessions before the last one
    assert got.problem == (
        "The data for RSP has 5,828 sessions before its last close: it cannot measure the last 9,000.")
