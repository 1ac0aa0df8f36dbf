"""Plain-words questions answered as data, then rendered for Slack and for the command line."""

from __future__ import annotations

from datetime import date

from conftest import NOW

from bot.bootstrap import Services
from bot.questions.answer import (
    HelpReply,
    LastRecord,
    LongestStreak,
    RecordCount,
    Run,
    answer_question,
    answer_text,
)
from bot.questions.parser import NO_PERIOD, Question
from bot.render.questions import help_message, question_message, question_text
from bot.services.answers import RecordsAnswer, StreakAnswer

TODAY = date(2026, 9, 21)


def test_help_and_not_understood_are_help_replies(seeded_services: Services) -> None:
    market = seeded_services.market
    assert answer_text("help", market, NOW, TODAY) == HelpReply("asked")
    assert answer_text("what's the weather?", market, NOW, TODAY) == HelpReply("not_understood")
    one = Question("current_streak", ("^GSPC",), NO_PERIOD, "is the S&P beating?")
    assert answer_question(one, market, NOW) == HelpReply("needs_two_symbols")
    assert question_text(HelpReply("needs_two_symbols")).splitlines()[0] == (
        "Sorry, I didn't understand that question. A streak question needs two indices, "
        "e.g. small caps vs the S&P 500."
    )


def test_a_user_error_is_a_help_reply_with_the_problem(seeded_services: Services) -> None:
    got = answer_text("S&P records in 1900", seeded_services.market, NOW, TODAY)
    assert got == HelpReply("user_error", "1900 is before the data for ^GSPC starts (Dec 30, 1927).")
    msg = question_message(got)
    assert msg.text.startswith(":warning: 1900 is before the data for ^GSPC starts (Dec 30, 1927).\n")
    assert question_text(got).startswith("1900 is before the data for ^GSPC starts (Dec 30, 1927).\n")


def test_record_count_since_a_year_counts_each_year(seeded_services: Services) -> None:
    got = answer_text("how many records has the S&P set since 2024?", seeded_services.market, NOW, TODAY)
    assert isinstance(got, RecordCount)
    assert got.since_year == 2024
    assert [y for y, _ in got.per_year] == [2024, 2025, 2026]
    assert got.per_year[0] == (2024, 57)
    assert got.total == sum(n for _, n in got.per_year)
    text = question_text(got)
    assert text.splitlines()[0] == "S&P 500 record closes since the start of 2024:"  # plain
    assert text.splitlines()[1] == (
        f"The S&P 500 has set {got.total} record closes since the start of 2024 (through Sep 17, 2026)."
    )
    assert question_message(got).text.splitlines()[0] == text.splitlines()[0]
    assert question_message(got).text.splitlines()[1] == f"*{text.splitlines()[1]}*"


def test_longest_streak_gives_each_side_and_the_current_one(seeded_services: Services) -> None:
    got = answer_text(
        "longest streak of small caps beating large caps", seeded_services.market, NOW, TODAY
    )
    assert isinstance(got, LongestStreak)
    assert got.scope == "data"
    assert (got.sides[0].leader, got.sides[0].laggard) == ("^RUT", "^GSPC")
    assert got.sides[0].best == Run(date(1996, 4, 16), date(1996, 5, 7), 16)
    lines = question_text(got).splitlines()
    assert lines[0] == "Russell 2000 vs S&P 500 longest streak each way:"
    assert lines[1] == (
        "Longest streak of the Russell 2000 beating the S&P 500 in the data: 16 sessions "
        "(Apr 16 – May 7, 1996)."
    )
    assert lines[3].startswith("Current: The ")


def test_commands_style_questions_reuse_the_command_answers(seeded_services: Services) -> None:
    market = seeded_services.market
    assert isinstance(answer_text("is the Dow at a record?", market, NOW, TODAY), RecordsAnswer)
    assert isinstance(answer_text("small caps vs large caps", market, NOW, TODAY), StreakAnswer)
    assert isinstance(answer_text("when was the S&P's last record?", market, NOW, TODAY), LastRecord)


def test_the_listeners_apology_keeps_its_help_message() -> None:
    msg = help_message("Sorry, something went wrong on our side while answering; it has been logged.")
    assert msg.text.startswith("Sorry, something went wrong on our side while answering; it has been logged.\n")
    assert msg.blocks[0]["type"] == "section"
