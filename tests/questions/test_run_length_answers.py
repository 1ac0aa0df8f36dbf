"""'Has A ever beaten B for N days straight?': runs counted independently from the CSVs.

``runs_from_csv`` walks the bundled closes with a plain loop (consecutive rows of the
dates both series have), so it shares no code with the analytics it checks.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from conftest import NOW
from test_qualified_answers import csv_closes

from bot.bootstrap import Services
from bot.questions.answer import QuestionAnswer, RunsAtLeast, answer_text
from bot.render.questions import question_text

TODAY = date(2026, 9, 21)


def ask(services: Services, text: str) -> QuestionAnswer:
    return answer_text(text, services.market, NOW, TODAY)


def runs_from_csv(a: str, b: str | None, sign: int, through: date) -> list[tuple[date, date, int]]:
    """Runs of ``sign`` (+1: a beat b, or a rose) as (start, end, sessions), oldest first."""
    ca = csv_closes(a)
    cb = csv_closes(b) if b is not None else None
    days = sorted(d for d in ca if (cb is None or d in cb) and d <= through)
    runs: list[tuple[date, date, int]] = []
    start: date | None = None
    length = 0
    for prev, day in itertools.pairwise(days):
        ra = ca[day] / ca[prev] - 1
        rb = 0.0 if cb is None else cb[day] / cb[prev] - 1
        s = (ra > rb) - (ra < rb)
        if s == sign:
            start, length = (start or day), length + 1
        else:
            if length:
                runs.append((start, prev, length))  # type: ignore[arg-type]
            start, length = None, 0
    if length:
        runs.append((start, days[-1], length))  # type: ignore[arg-type]
    return runs


def test_russell_beating_the_sp_for_ten_sessions_or_more(seeded_services: Services) -> None:
    runs = [r for r in runs_from_csv("^RUT", "^GSPC", 1, date(2026, 9, 17)) if r[2] >= 10]
    got = ask(seeded_services, "has the Russell ever outperformed the S&P for 10 days straight?")
    assert isinstance(got, RunsAtLeast)
    assert got.count == len(runs) == 8
    assert got.latest is not None and (got.latest.start, got.latest.end, got.latest.length) == runs[-1]
    assert runs[-1] == (date(2026, 1, 2), date(2026, 1, 22), 14)
    assert got.longest is not None and got.longest.length == max(r[2] for r in runs) == 16
    lines = question_text(got).splitlines()
    assert lines[0] == "Russell 2000 beating S&P 500 for 10 or more sessions in a row:"
    assert lines[1] == (
        "Yes: the Russell 2000 has outperformed the S&P 500 for 10 or more straight sessions "
        "8 times in the data (from Sep 10, 1987); the latest: 14 sessions (Jan 2 – Jan 22, 2026); "
        "the longest: 16 sessions (Apr 16 – May 7, 1996)."
    )
    assert lines[2].startswith("Now: ")


def test_a_yes_no_about_the_current_run_answers_it_first(seeded_services: Services) -> None:
    got = ask(seeded_services, "has the Russell outperformed SPX for 10 consecutive sessions as of Jan 22, 2026")
    assert isinstance(got, RunsAtLeast) and got.current == 14
    lines = question_text(got).splitlines()
    assert lines[1] == (
        "Yes: the Russell 2000 has outperformed the S&P 500 for 14 straight sessions, "
        "as of the Jan 22, 2026 close."
    )
    assert "(from Sep 10, 1987 through Jan 22, 2026)" in lines[2]


def test_a_run_shorter_than_asked_is_a_no(seeded_services: Services) -> None:
    got = ask(seeded_services, "has the Russell outperformed SPX for 20 consecutive sessions as of Jan 22, 2026")
    assert isinstance(got, RunsAtLeast)
    lines = question_text(got).splitlines()
    assert lines[1] == (
        "No: the Russell 2000 has outperformed the S&P 500 for 14 straight sessions (not 20), "
        "as of the Jan 22, 2026 close."
    )
    assert lines[2] == (
        "No: the Russell 2000 has outperformed the S&P 500 for 20 or more straight sessions at no "
        "time in the data (from Sep 10, 1987 through Jan 22, 2026); the longest such run: "
        "16 sessions (Apr 16 – May 7, 1996)."
    )


def test_the_dow_fell_ten_sessions_in_a_row_once_in_this_data(seeded_services: Services) -> None:
    runs = [r for r in runs_from_csv("^DJI", None, -1, date(2026, 9, 17)) if r[2] >= 10]
    assert runs == [(date(2024, 12, 5), date(2024, 12, 18), 10)]
    got = ask(seeded_services, "has the Dow ever fallen for 10 straight sessions")
    assert isinstance(got, RunsAtLeast) and got.count == 1 and got.sign == -1
    assert question_text(got).splitlines()[1] == (
        "Yes: the Dow Jones Industrial Average has fallen for 10 or more straight sessions once "
        "in the data (from Jan 2, 1992): 10 sessions (Dec 5 – Dec 18, 2024)."
    )


@pytest.mark.parametrize(
    ("text", "runner", "sign", "since"),
    [
        ("has the russell ever lagged the s&p for 12 straight sessions", "^GSPC", 1, None),
        ("how often has the S&P risen 9 days in a row since 2000", "^GSPC", 1, 2000),
        ("how many times has the Nasdaq 100 fallen 7 sessions in a row", "^NDX", -1, None),
    ],
)
def test_run_counts_match_a_plain_loop(
    seeded_services: Services, text: str, runner: str, sign: int, since: int | None
) -> None:
    got = ask(seeded_services, text)
    assert isinstance(got, RunsAtLeast) and got.runner == runner
    assert got.window is not None
    last = got.streak.report.as_of.date()
    if got.other is not None:  # "lagged": the S&P beating the Russell
        runs = runs_from_csv(runner, got.other, sign, last)
    else:
        runs = runs_from_csv(runner, None, got.sign, last)
    if since is not None:
        runs = [r for r in runs if r[0] >= date(since, 1, 1)]
    long_enough = [r for r in runs if r[2] >= got.window]
    assert got.count == len(long_enough) > 0
    assert got.latest is not None and got.latest.end == long_enough[-1][1]


def test_weeks_are_not_read_as_sessions(seeded_services: Services) -> None:
    got = ask(seeded_services, "has the Russell beaten the S&P for 3 weeks straight")
    assert not isinstance(got, RunsAtLeast)
    assert question_text(got).startswith('I didn\'t understand "for 3 weeks straight"')
