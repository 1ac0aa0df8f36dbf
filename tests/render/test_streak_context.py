"""Desk context in streak answers: milestones, photo finishes, and when "longest since" is said.

Real sessions from the bundled data; each figure checked by hand from the closes in
``../shared/data`` (quoted in the comments).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import CsvDirSource
from bot.render.format import fmt_pct_apart
from bot.render.json import records_json, streak_json
from bot.render.text import records_headline, streak_headline, streak_notes, streak_text
from bot.services.answers import records_answer, streak_answer
from bot.services.market import Market


@pytest.fixture(scope="module")
def market(data_dir: Path, calendar: NyseCalendar) -> Market:
    return Market(CsvDirSource(data_dir), calendar)


# --------------------------------------------------------------------------- milestones
def test_rut_spx_on_2026_01_22_is_two_sessions_from_the_1996_record(market: Market) -> None:
    ans = streak_answer(market, "RUT", "SPX", as_of=date(2026, 1, 22))
    assert streak_json(ans)["milestones"] == [
        {"length": 16, "sessions_to_go": 2, "what": "tie the record of 16 (1996)"},
        {"length": 17, "sessions_to_go": 3, "what": "set a new record"},
    ]
    assert (
        "2 more sessions would tie the record of 16 (1996); 3 more sessions would set a new record."
        in streak_text(ans).splitlines()
    )


def test_the_next_rung_of_the_longest_since_ladder(market: Market) -> None:
    # SPX beat RUT Jan 23-28, 2026 (4 sessions). Earlier SPX streaks of at least 5: Dec 23-31,
    # 2025 (6 sessions); of at least 7: Jul 24 - Aug 1, 2025 (7). Record: Nov 12 - Dec 1, 2021 (13).
    ans = streak_answer(market, "SPX", "RUT", as_of=date(2026, 1, 28))
    assert streak_json(ans)["milestones"] == [
        {"length": 7, "sessions_to_go": 3, "what": "make it the longest since Aug 2025"},
        {"length": 13, "sessions_to_go": 9, "what": "tie the record of 13 (2021)"},
        {"length": 14, "sessions_to_go": 10, "what": "set a new record"},
    ]
    # Only milestones at most 5 sessions away are written out.
    assert "3 more sessions would make it the longest since Aug 2025." in streak_text(ans)
    assert "tie the record" not in streak_text(ans)


def test_a_record_streak_has_no_milestones(market: Market) -> None:
    ans = streak_answer(market, "RUT", "SPX", as_of=date(1996, 5, 7))
    assert streak_json(ans)["milestones"] == []


def test_records_answer_gives_the_gain_needed_for_a_record(market: Market) -> None:
    # Sep 17, 2026: 7,637.76; record 7,798.99 (Aug 13): 7798.99 / 7637.76 - 1 = +2.11%.
    ans = records_answer(market, "SPX", as_of=date(2026, 9, 17))
    assert records_headline(ans).endswith("24 sessions ago): it needs +2.11% to a record.")
    assert records_json(ans)["gain_to_record"] == pytest.approx(7798.99 / 7637.76 - 1, abs=1e-12)
    at_record = records_answer(market, "SPX", as_of=date(2026, 8, 13))
    assert records_json(at_record)["gain_to_record"] == 0.0


# --------------------------------------------------------------------------- photo finishes
def test_a_photo_finish_shows_the_decimals_that_decide_it(market: Market) -> None:
    # Jul 25, 2025: RUT 2252.13 -> 2261.07 (+0.39696%), SPX 6363.35 -> 6388.64 (+0.39743%).
    ans = streak_answer(market, "RUT", "SPX", as_of=date(2025, 7, 25))
    got = streak_json(ans)
    assert got["leader"] == "^GSPC" and got["length"] == 2
    assert got["margin"] == pytest.approx(2261.07 / 2252.13 - 6388.64 / 6363.35, abs=1e-15)
    assert got["photo_finish"] is True
    assert streak_notes(ans)[0] == "The latest session (Jul 25, 2025) was a photo finish: +0.3974% vs +0.3970%."


def test_a_one_session_photo_finish_is_called_so_in_the_headline(market: Market) -> None:
    # Feb 27, 2025: SPX 5956.06 -> 5861.57 (-1.5865%), RUT 2174.17 -> 2139.66 (-1.5873%).
    ans = streak_answer(market, "RUT", "SPX", as_of=date(2025, 2, 27))
    assert streak_headline(ans) == (
        "The S&P 500 outperformed the Russell 2000 on Feb 27, 2025 in a photo finish, "
        "-1.586% vs -1.587%."
    )
    assert streak_json(ans)["margin"] == pytest.approx(
        (2139.66 / 2174.17 - 1) - (5861.57 / 5956.06 - 1), abs=1e-15
    )
    day_before = streak_answer(market, "RUT", "SPX", as_of=date(2025, 2, 26))
    assert not day_before.photo_finish
    assert "photo finish" not in streak_text(day_before)


def test_a_tiny_move_is_virtually_unchanged(market: Market) -> None:
    # Jul 2, 2026: SPX 7483.23 -> 7483.24, +0.000134%, which would print as +0.00%.
    ans = streak_answer(market, "SPX", as_of=date(2026, 7, 2))
    assert streak_headline(ans) == "The S&P 500 rose on Jul 2, 2026, +0.0001%: virtually unchanged."
    got = streak_json(ans)
    assert got["margin"] == pytest.approx(7483.24 / 7483.23 - 1, abs=1e-15)
    assert got["photo_finish"] is True
    plain = streak_json(streak_answer(market, "SPX", as_of=date(2026, 7, 1)))
    assert plain["photo_finish"] is False


# --------------------------------------------------------------------------- noise rules
def test_longest_since_a_streak_that_ended_18_sessions_ago_is_not_said(market: Market) -> None:
    # SPX over RUT Jan 23-28, 2026 (4 sessions); its "longest since" comparison, Dec 23-31,
    # 2025 (6 sessions), ended 18 sessions before Jan 28: within the 21-session window.
    ans = streak_answer(market, "SPX", "RUT", as_of=date(2026, 1, 28))
    assert ans.report.longest_since is not None and ans.since_sessions_back == 18
    assert streak_headline(ans) == (
        "The S&P 500 has outperformed the Russell 2000 for 4 straight sessions "
        "(Jan 23 – Jan 28, 2026), +0.94% vs -2.40%."
    )


def test_longest_since_is_said_when_it_reaches_back_far_enough(market: Market) -> None:
    ans = streak_answer(market, "RUT", "SPX", as_of=date(2026, 1, 22))
    assert ans.since_sessions_back is not None and ans.since_sessions_back > 21
    assert streak_headline(ans).endswith(": the longest streak since May 1996 (16 sessions, Apr 16 – May 7, 1996).")


def test_the_dow_data_starts_in_1992_and_says_so(market: Market) -> None:
    # The Dow rose 13 sessions Jul 10-26, 2023: its longest in the data, which starts Jan 2, 1992.
    ans = streak_answer(market, "DJIA", as_of=date(2023, 7, 26))
    lines = streak_text(ans).splitlines()
    assert lines[0] == (
        "The Dow Jones Industrial Average has risen for 13 straight sessions (Jul 10 – Jul 26, 2023), "
        "+5.29% over the run: the longest winning streak since 1992 in this data, from Jan 2, 1992 "
        "through Jul 26, 2023."
    )
    assert lines[1] == (
        "The Dow Jones Industrial Average's longest winning streak since 1992 in this data through "
        "Jul 26, 2023 is this one."
    )


# --------------------------------------------------------------------------- decimals
@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        (0.0043121, 0.0043089, ("+0.4312%", "+0.4309%")),  # 4 decimals tell them apart
        (0.0123, -0.004, ("+1.23%", "-0.40%")),  # already apart: 2 decimals
        (0.0043, 0.0043, ("+0.43%", "+0.43%")),  # equal: nothing to tell apart
        (0.0043, 0.0000012, ("+0.43%", "+0.0001%")),  # a tiny move is shown, not +0.00%
    ],
)
def test_returns_get_the_decimals_that_tell_them_apart(
    x: float, y: float, expected: tuple[str, str]
) -> None:
    assert fmt_pct_apart(x, y) == expected


# --------------------------------------------------------------------------- what followed
def test_the_streak_answer_says_what_followed_1996(market: Market) -> None:
    # From the May 3, 1996 close: 21 sessions RUT +4.5582% vs SPX +4.8205%, 252 sessions
    # +2.0556% vs +26.7039% (pandas over the CSVs).
    ans = streak_answer(market, "RUT", "SPX", as_of=date(2026, 1, 22))
    assert (
        "After the one earlier streak this long (1996), the Russell 2000 trailed the S&P 500 by "
        "0.26 percentage points over the next 21 sessions and by 24.65 over the next 252."
        in streak_text(ans).splitlines()
    )


def test_with_four_earlier_cases_the_answer_counts_them(market: Market) -> None:
    # As of Jan 20, 2026 (12 sessions), earlier RUT streaks of 12+: reached Feb 5, 1991,
    # May 1, 1996, Dec 18, 2001, Jun 5, 2008. Spreads after 21 sessions: +4.61, +1.08, -0.95,
    # -2.95 pp (median +0.07); after 252: +20.54, -24.50, +1.11, +2.53 pp (median +1.82).
    ans = streak_answer(market, "RUT", "SPX", as_of=date(2026, 1, 20))
    assert (
        "After the 4 earlier streaks this long (1991, 1996, 2001, 2008), the Russell 2000 kept "
        "outperforming the S&P 500 over the next 21 sessions in 2 of 4 (median spread +0.07 pp) "
        "and over the next 252 sessions in 3 of 4 (median spread +1.82 pp)."
        in streak_text(ans).splitlines()
    )


def test_common_streaks_leave_what_followed_to_next(market: Market) -> None:
    ans = streak_answer(market, "SPX", "RUT", as_of=date(2026, 1, 28))  # 4 sessions: many cases
    assert ans.followed is not None and len(ans.followed.episodes) > 4
    assert "earlier streak" not in streak_text(ans)
