"""Questions with qualifiers answered from the bundled data, figures hand-checked.

The expected figures were computed from /work/shared/data/GSPC.csv and DJI.csv with
pandas alone (a record close: above every earlier close; runs of down closes).
"""

from __future__ import annotations

import csv
import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import NOW

import bot
from bot.bootstrap import Services
from bot.questions.answer import (
    LaggardLosingStreak,
    LosingStreak,
    NotUnderstood,
    PeriodReply,
    RecordPick,
    RecordYearRank,
    SessionsSinceRecord,
    answer_text,
)
from bot.render.questions import question_message, question_text

TODAY = date(2026, 9, 21)


def ask(services: Services, text: str) -> object:
    return answer_text(text, services.market, NOW, TODAY)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("how many S&P 500 records in June 2024", 7),
        ("S&P records in 2021", 70),
        ("how many records did the S&P set in 2022", 1),
        ("how many records did the S&P set in 2023", 0),
        ("how many S&P records through June", 24),  # 2026, through Jun 30
        ("how many records has the S&P had since the election", 76),  # after the Nov 5, 2024 close
    ],
)
def test_record_counts_in_a_scope(seeded_services: Services, text: str, count: int) -> None:
    got = ask(seeded_services, text)
    if isinstance(got, RecordPick):
        assert len(got.dates) == count
    else:
        assert got.records.summary.count == count  # type: ignore[attr-defined]


def test_the_first_record_of_2024_is_jan_19(seeded_services: Services) -> None:
    got = ask(seeded_services, "What was the first record close for the S&P 500 in 2024?")
    assert isinstance(got, RecordPick)
    assert got.picked is not None
    assert got.dates[got.picked] == date(2024, 1, 19)
    assert got.closes[got.picked] == pytest.approx(4839.81)
    assert len(got.dates) == 57
    lines = question_text(got).splitlines()
    assert lines[0] == "S&P 500, the first record close in 2024:"
    assert lines[1] == (
        "The S&P 500's first record close in 2024 was 4,839.81 on Jan 19, 2024 "
        "(57 record closes in 2024 (through Dec 31, 2024))."
    )
    # Slack: the restatement is plain, the answer's first sentence bold
    slack = question_message(got).text.splitlines()
    assert slack[0] == lines[0]
    assert slack[1] == f"*{lines[1]}*"


def test_nth_and_last_records(seeded_services: Services) -> None:
    second = ask(seeded_services, "the S&P's second record close of 2024")
    assert isinstance(second, RecordPick)
    assert second.picked is not None and second.dates[second.picked] == date(2024, 1, 22)
    tenth = ask(seeded_services, "what was the 10th record for the S&P in 2024")
    assert isinstance(tenth, RecordPick)
    assert tenth.picked is not None and tenth.dates[tenth.picked] == date(2024, 2, 9)
    before = ask(seeded_services, "when was the S&P's last record before 2024?")
    assert isinstance(before, RecordPick)
    assert before.picked is not None
    assert before.dates[before.picked] == date(2022, 1, 3)
    assert before.closes[before.picked] == pytest.approx(4796.56)
    after = ask(seeded_services, "first S&P record after the election")
    assert isinstance(after, RecordPick)
    assert after.picked is not None and after.dates[after.picked] == date(2024, 11, 6)
    none_in_2023 = ask(seeded_services, "first S&P record in 2023")
    assert isinstance(none_in_2023, RecordPick)
    assert none_in_2023.picked is None
    assert question_text(none_in_2023).splitlines()[1] == (
        "The S&P 500 has no first record close in 2023: it set 0 record closes "
        "(through Dec 31, 2023)."
    )


def test_sessions_since_the_last_record(seeded_services: Services) -> None:
    got = ask(seeded_services, "how many sessions since the S&P's last record?")
    assert isinstance(got, SessionsSinceRecord)
    assert got.records.summary.last_record is not None
    assert got.records.summary.last_record.date.date() == date(2026, 8, 13)
    assert question_text(got).splitlines()[1] == (
        "24 sessions since the S&P 500's last record close (7,798.99 on Aug 13, 2026), "
        "through Sep 17, 2026."
    )


def test_best_and_worst_years_for_records(seeded_services: Services) -> None:
    best = ask(seeded_services, "which year had the most S&P records?")
    assert isinstance(best, RecordYearRank)
    assert best.ranked[:5] == ((1995, 77), (2021, 70), (1964, 62), (2017, 62), (2024, 57))
    worst = ask(seeded_services, "worst year for S&P records since 2020")
    assert isinstance(worst, RecordYearRank)
    assert worst.ranked[0] == (2023, 0)
    assert question_text(worst).splitlines()[0] == (
        "S&P 500, the years with the fewest record closes since the start of 2020:")


def test_losing_streaks(seeded_services: Services) -> None:
    got = ask(seeded_services, "is the Dow on a losing streak?")
    assert isinstance(got, LosingStreak)
    rec = got.streak.report.records[-1]
    assert rec is not None
    assert (rec.length, rec.start.date(), rec.end.date()) == (10, date(2024, 12, 5), date(2024, 12, 18))
    lines = question_text(got).splitlines()
    assert lines[0] == "Dow Jones Industrial Average losing streak (down sessions in a row):"
    assert lines[1].startswith("The Dow Jones Industrial Average is not on a losing streak: it rose on "
                               "Aug 21, 2026")
    lag = ask(seeded_services, "longest losing streak for small caps vs large caps")
    assert isinstance(lag, LaggardLosingStreak)
    assert lag.laggard == "^RUT"
    assert lag.best is not None


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("has the russell beaten the s&p for 3 weeks straight", '"for 3 weeks straight"'),
        ("S&P records in the past 3 months", '"3", "months"'),
        ("how far below its record was the S&P in 2022", '"in 2022"'),
        ("S&P records before 2024 and after 2020", '"after 2020"'),
    ],
)
def test_words_not_understood_are_quoted_never_answered(
    seeded_services: Services, text: str, quoted: str
) -> None:
    got = ask(seeded_services, text)
    assert isinstance(got, NotUnderstood)
    lines = question_text(got).splitlines()
    assert lines[0] == f"I didn't understand {quoted} in that question, so I am not answering it."
    assert "Questions I can answer:" in lines
    assert "%" not in question_text(got)
    assert "record close" not in lines[0]


BUNDLED = Path(bot.__file__).parent / "data" / "bundled"


def csv_closes(symbol: str) -> dict[date, float]:
    """One bundled series straight from its CSV (independent of the code under test)."""
    manifest = json.loads((BUNDLED / "MANIFEST.json").read_text())
    with gzip.open(BUNDLED / manifest[symbol]["file"], "rt") as fh:
        return {date.fromisoformat(r["date"]): float(r["close"]) for r in csv.DictReader(fh)}


def change(closes: dict[date, float], base: date, last: date) -> str:
    return f"{closes[last] / closes[base] - 1:+.2%}"


def test_a_day_move_on_a_past_date(seeded_services: Services) -> None:
    dji = csv_closes("^DJI")
    expected = change(dji, date(2020, 3, 13), date(2020, 3, 16))
    got = ask(seeded_services, "how did the Dow do on 3/16/2020")
    assert isinstance(got, PeriodReply)
    first, second = question_text(got).splitlines()[:2]
    assert first == "Dow Jones Industrial Average on Mar 16, 2020:"
    assert expected == "-12.93%"
    assert f"({expected})" in second and "20,188.52" in second and "Mar 13, 2020" in second


def test_ytd_return_of_one_index(seeded_services: Services) -> None:
    spx = csv_closes("^GSPC")
    expected = change(spx, date(2025, 12, 31), date(2026, 9, 17))
    got = ask(seeded_services, "S&P ytd return")
    assert isinstance(got, PeriodReply)
    first, second = question_text(got).splitlines()[:2]
    assert first == "S&P 500 year to date (2026):"
    assert expected == "+11.57%" and f"returned {expected}" in second


@pytest.mark.parametrize(
    ("text", "base", "last"),
    [
        ("how did small caps do vs large caps in 2026", date(2025, 12, 31), date(2026, 9, 17)),
        ("small caps vs large caps since the election", date(2024, 11, 5), date(2026, 9, 17)),
        ("how did the Russell do vs the S&P in January", date(2025, 12, 31), date(2026, 1, 30)),
    ],
)
def test_a_pair_over_a_period(seeded_services: Services, text: str, base: date, last: date) -> None:
    rut, spx = csv_closes("^RUT"), csv_closes("^GSPC")
    got = ask(seeded_services, text)
    assert isinstance(got, PeriodReply)
    second = question_text(got).splitlines()[1]
    assert f"Russell 2000 returned {change(rut, base, last)}" in second
    assert f"S&P 500 {change(spx, base, last)}" in second
    msg = question_message(got)
    assert not msg.text.startswith("*")  # the restatement is plain; the answer's sentence is bold
    assert msg.text.splitlines()[1].startswith("*")


def test_a_pair_without_a_period_is_not_answered_with_another_figure(seeded_services: Services) -> None:
    got = ask(seeded_services, "how did small caps do vs large caps")
    assert not isinstance(got, PeriodReply)
