"""The sentence on what followed earlier first records in a long time, in each of its forms."""

from __future__ import annotations

from bot.render.comeback import comeback_words


def test_many_cases_a_median_and_the_count_higher() -> None:
    assert comeback_words("^RUT", 250, (1989,) * 9, 0.027237, 6, 9) == (
        "After the 9 earlier first records in 250 or more sessions, the Russell 2000 rose by a median of "
        "2.72% over the next 21 sessions, higher in 6 of 9.")


def test_few_cases_are_named_by_year_and_a_fall_is_a_fall() -> None:
    assert comeback_words("^GSPC", 250, (1954, 1958), -0.0125, 0, 2) == (
        "After the two earlier first records in 250 or more sessions (1954, 1958), the S&P 500 fell by a "
        "median of 1.25% over the next 21 sessions, higher in 0 of 2.")
    assert comeback_words("^GSPC", 250, (1954,), 0.004063, 1, 1) == (
        "After the one earlier first record in 250 or more sessions (1954), the S&P 500 rose by 0.41% over "
        "the next 21 sessions.")


def test_no_case_or_none_old_enough() -> None:
    assert comeback_words("^GSPC", 250, (), None, 0, 0) == (
        "No earlier record of the S&P 500 in the data came after 250 or more sessions without one.")
    assert comeback_words("^GSPC", 250, (2026,), None, 0, 0) == (
        "What followed the one earlier first record in 250 or more sessions (2026) is not yet 21 sessions "
        "old in the data.")
