"""Pure tests of the Block Kit builders (exact JSON) and of slash-command text parsing.

The answers are built by hand from analytics results (no data, no calendar, no Slack), so
every expected block below is a literal.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.records import RecordPoint, RecordSummary
from analytics.streaks import Streak, StreakReport
from bot.domain.errors import UserError
from bot.questions.command_text import CommandArgs, parse_command_text
from bot.render.messages import (
    RECORDS_USAGE,
    STREAK_USAGE,
    Message,
    error_message,
    records_message,
    streak_message,
    usage_message,
)
from bot.services.answers import Freshness, RecordsAnswer, StreakAnswer

T = pd.Timestamp
SOURCE = "bundled"  # the origin; footers put it in words
STALE = Freshness(date(2025, 12, 31), date(2026, 1, 2))
FRESH = Freshness(date(2025, 12, 31), date(2025, 12, 31))
NO_GAPS: tuple[pd.Timestamp, ...] = ()


def wire(text: str) -> str:
    """What Slack is sent for ``text`` shown as is in mrkdwn: & < > escaped, as Slack asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> dict[str, object]:
    """An answer's mrkdwn section showing ``text`` (escaped on the wire)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": wire(text)}}


def context(*texts: str) -> dict[str, object]:
    """An answer's context block showing ``texts`` (escaped on the wire)."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": wire(t)} for t in texts]}


# --------------------------------------------------------------------------- answers
def rut_vs_spx(freshness: Freshness = STALE) -> StreakAnswer:
    """^RUT vs ^GSPC as of 2025-12-31: the S&P 500 led 6 sessions (sign -1: B led)."""
    current = Streak(-1, T("2025-12-23"), T("2025-12-31"), 6, -0.0300, -0.0048)
    since = Streak(-1, T("2025-07-24"), T("2025-08-01"), 7, -0.0400, -0.0100)
    record = Streak(-1, T("2021-11-12"), T("2021-12-01"), 13, -0.0900, -0.0100)
    report = StreakReport(
        as_of=T("2025-12-31"), status="streak", current=current, longest_since=since,
        record=record, records={1: None, -1: record}, data_start=T("1987-09-10"),
        preceded_by_gap=False, gaps=NO_GAPS,
    )
    return StreakAnswer("^RUT", "^GSPC", report, freshness, SOURCE)


def spx_vs_rut_1996() -> StreakAnswer:
    """^GSPC vs ^RUT as of 1996-05-07: the Russell led 16 sessions, a record."""
    current = Streak(-1, T("1996-04-16"), T("1996-05-07"), 16, -0.0066, 0.0364)
    report = StreakReport(
        as_of=T("1996-05-07"), status="streak", current=current, longest_since=None,
        record=current, records={1: None, -1: current}, data_start=T("1987-09-10"),
        preceded_by_gap=True, gaps=(T("1996-04-15"),),
    )
    return StreakAnswer("^GSPC", "^RUT", report, Freshness(date(2025, 12, 31), None), SOURCE)


def spx_record_day() -> RecordsAnswer:
    summary = RecordSummary(
        as_of=T("2025-12-24"), close=6932.05, year=2025, count=3,
        dates=(T("2025-12-11"), T("2025-12-23"), T("2025-12-24")),
        is_record=True, nth_of_year=3,
        last_record=RecordPoint(T("2025-12-24"), 6932.05, 0),
        previous_record=RecordPoint(T("2025-12-23"), 6909.79, 1),
        gap_sessions=1, high_water=6932.05, pct_below_record=0.0, data_start=T("1927-12-30"),
    )
    return RecordsAnswer("^GSPC", summary, Freshness(date(2025, 12, 31), None), SOURCE)


def spx_below_record() -> RecordsAnswer:
    summary = RecordSummary(
        as_of=T("2025-12-31"), close=6845.50, year=2024, count=2,
        dates=(T("2024-01-19"), T("2024-01-22")),
        is_record=False, nth_of_year=None,
        last_record=RecordPoint(T("2025-12-24"), 6932.05, 4),
        previous_record=RecordPoint(T("2025-12-23"), 6909.79, 5),
        gap_sessions=1, high_water=6932.05, pct_below_record=1 - 6845.50 / 6932.05,
        data_start=T("1927-12-30"),
    )
    return RecordsAnswer("^GSPC", summary, STALE, SOURCE)


# --------------------------------------------------------------------------- streak_message
def test_streak_message_pair_with_stale_data() -> None:
    msg = streak_message(rut_vs_spx())
    headline = (
        "The S&P 500 has outperformed the Russell 2000 for 6 straight sessions "
        "(Dec 23 – Dec 31, 2025), -0.48% vs -3.00%: the longest streak since Aug 2025 "
        "(7 sessions, Jul 24 – Aug 1, 2025)."
    )
    record = (
        "The longest streak of the S&P 500 beating the Russell 2000 in the data: "
        "13 sessions (Nov 12 – Dec 1, 2021)."
    )
    stale = "Data as of Dec 31, 2025: the latest NYSE session (Jan 2, 2026) is not in the data yet."
    footer = (
        "^RUT vs ^GSPC · price returns · as of the Dec 31, 2025 close · "
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)"
    )
    assert msg.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": wire(f"*{headline}*")}},
        {"type": "section", "text": {"type": "mrkdwn", "text": wire(record)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": wire(f":information_source: {stale}")}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": wire(footer)}]},
    ]
    assert msg.text == "\n".join([headline, record, stale, footer])


def test_streak_message_fresh_data_has_no_note() -> None:
    msg = streak_message(rut_vs_spx(FRESH))
    assert [b["type"] for b in msg.blocks] == ["section", "section", "context"]
    assert "Data as of" not in msg.text


def test_streak_message_record_streak_after_a_gap() -> None:
    msg = streak_message(spx_vs_rut_1996())
    assert msg.blocks == [
        section(
            "*The Russell 2000 has outperformed the S&P 500 for 16 straight sessions "
            "(Apr 16 – May 7, 1996), +3.64% vs -0.66%: the longest streak in the data "
            "from Sep 10, 1987 through May 7, 1996.*"
        ),
        section(
            "The longest streak of the Russell 2000 beating the S&P 500 in the data through "
            "May 7, 1996 is this one."
        ),
        context(
            ":information_source: This streak starts right after a gap in the data (no "
            "comparison possible on Apr 15, 1996: a close is missing), so it may have begun earlier."
        ),
        context(
            "^GSPC vs ^RUT · price returns · as of the May 7, 1996 close · "
            "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)"
        ),
    ]


def test_streak_message_payloads() -> None:
    msg = streak_message(rut_vs_spx())
    assert msg.payload("in_channel") == {
        "response_type": "in_channel",
        "replace_original": False,
        "text": msg.text,
        "blocks": msg.blocks,
    }
    assert msg.payload()["response_type"] == "in_channel"
    assert msg.ack_args() == {"text": msg.text, "blocks": msg.blocks, "response_type": "ephemeral"}


# --------------------------------------------------------------------------- records_message
def test_records_message_on_a_record_day() -> None:
    msg = records_message(spx_record_day())
    assert msg.blocks == [
        section("*The S&P 500 closed at a record 6,932.05 on Dec 24, 2025: its third closing record high of 2025.*"),
        section(
            "This record came 1 session after the previous one, 6,909.79 on Dec 23, 2025.\n"
            "2025 so far: 3 record closes (Dec 11, 23, 24)."
        ),
        context("^GSPC · closing prices · as of the Dec 24, 2025 close · Source: Yahoo Finance (S&P Dow Jones Indices)"),
    ]
    assert msg.text == (
        "The S&P 500 closed at a record 6,932.05 on Dec 24, 2025: its third closing record high of 2025.\n"
        "This record came 1 session after the previous one, 6,909.79 on Dec 23, 2025.\n"
        "2025 so far: 3 record closes (Dec 11, 23, 24).\n"
        "^GSPC · closing prices · as of the Dec 24, 2025 close · Source: Yahoo Finance (S&P Dow Jones Indices)"
    )


def test_records_message_below_the_record_for_a_past_year() -> None:
    msg = records_message(spx_below_record())
    assert msg.blocks == [
        # The year asked about first, in the past tense; then the as-of close.
        section("*The S&P 500 set 2 record closes in 2024 (Jan 19, 22).*"),
        section(
            "The S&P 500 closed at 6,845.50 on Dec 31, 2025, 1.25% below its record close of "
            "6,932.05 (Dec 24, 2025, 4 sessions ago): it needs +1.26% to a record.\n"
            "That record (Dec 24, 2025) came 1 session after the previous one, 6,909.79 on Dec 23, 2025."
        ),
        context(
            ":information_source: Data as of Dec 31, 2025: the latest NYSE session (Jan 2, 2026) "
            "is not in the data yet."
        ),
        context("^GSPC · closing prices · as of the Dec 31, 2025 close · Source: Yahoo Finance (S&P Dow Jones Indices)"),
    ]
    assert msg.text.split("\n")[:2] == [
        "The S&P 500 set 2 record closes in 2024 (Jan 19, 22).",
        "The S&P 500 closed at 6,845.50 on Dec 31, 2025, 1.25% below its record close of "
        "6,932.05 (Dec 24, 2025, 4 sessions ago): it needs +1.26% to a record.",
    ]


def test_records_message_for_a_past_year_without_records() -> None:
    none = replace(spx_below_record(), summary=replace(spx_below_record().summary, year=2023, count=0, dates=()))
    msg = records_message(none)
    assert msg.blocks[0] == section("*The S&P 500 set no record closes in 2023.*")
    assert "2023: no record closes" not in msg.text


# --------------------------------------------------------------------------- usage / error
def test_usage_message_without_a_problem() -> None:
    msg = usage_message(STREAK_USAGE)
    assert msg == Message(
        text=(
            "Usage: `/streak A B` — who has led, and for how many straight sessions.\n"
            "• `/streak RUT SPX` — Russell 2000 vs S&P 500\n"
            "• `/streak NDX SPX --as-of 2025-06-30` — as of a past session\n"
            "• `/streak RUT SPX chart` — with a one-year chart of RUT relative to SPX\n"
            "• `/streak RUT SPX next` — what happened after the earlier streaks as long as this one\n"
            "• `/streak SPX` — the S&P 500's winning or losing streak\n"
            "• `/streak small caps vs large caps 2026-01-22` — everyday words; a bare date is the as-of\n"
            "Symbols: SPX, RUT, NDX, COMP, DJIA, or any symbol in the data (e.g. ^RUT, IWM, XLE)."
        ),
        blocks=[
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": (
                        "*Usage:* `/streak A B` — who has led, and for how many straight sessions.\n"
                        "• `/streak RUT SPX` — Russell 2000 vs S&P 500\n"
                        "• `/streak NDX SPX --as-of 2025-06-30` — as of a past session\n"
                        "• `/streak RUT SPX chart` — with a one-year chart of RUT relative to SPX\n"
                        "• `/streak RUT SPX next` — what happened after the earlier streaks as long as this one\n"
                        "• `/streak SPX` — the S&P 500's winning or losing streak\n"
                        "• `/streak small caps vs large caps 2026-01-22` — everyday words; a bare date is the as-of\n"
                        "Symbols: SPX, RUT, NDX, COMP, DJIA, or any symbol in the data (e.g. ^RUT, IWM, XLE)."
                    ),
                },
            }
        ],
    )


def test_usage_message_with_a_problem_puts_it_first() -> None:
    msg = usage_message(RECORDS_USAGE, "Unknown symbol 'FOO'.")
    assert msg.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": ":warning: Unknown symbol 'FOO'."}},
        {"type": "section", "text": {"type": "mrkdwn", "text": RECORDS_USAGE}},
    ]
    assert msg.text == "Unknown symbol 'FOO'. " + RECORDS_USAGE.replace("*", "")
    assert msg.ack_args()["response_type"] == "ephemeral"
    assert msg.payload("ephemeral") == {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": msg.text,
        "blocks": msg.blocks,
    }


def test_error_message() -> None:
    assert error_message("Slack did not accept the chart.") == Message(
        "Slack did not accept the chart.",
        [{"type": "section", "text": {"type": "mrkdwn", "text": ":warning: Slack did not accept the chart."}}],
    )


# --------------------------------------------------------------------------- parse_command_text
@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("RUT SPX", {}, CommandArgs(symbols=["RUT", "SPX"])),
        ("  rut   spx  ", {}, CommandArgs(symbols=["rut", "spx"])),
        ("SPX", {}, CommandArgs(symbols=["SPX"])),
        ("^RUT ^GSPC", {}, CommandArgs(symbols=["^RUT", "^GSPC"])),
        ("Russell 2000 S&P 500", {}, CommandArgs(symbols=["Russell 2000", "S&P 500"])),
        ("russell  2000 s&p 500", {}, CommandArgs(symbols=["russell 2000", "s&p 500"])),
        ("the dow Nasdaq 100", {}, CommandArgs(symbols=["the dow", "Nasdaq 100"])),
        ("Dow Jones Industrial Average SPX", {}, CommandArgs(symbols=["Dow Jones Industrial Average", "SPX"])),
        ("Russell 2000", {"allow_year": True}, CommandArgs(symbols=["Russell 2000"])),
        ("Russell 2000 2021", {"allow_year": True}, CommandArgs(symbols=["Russell 2000"], year=2021)),
        ("SPX 2024", {"allow_year": True}, CommandArgs(symbols=["SPX"], year=2024)),
        ("SPX 2024", {}, CommandArgs(symbols=["SPX", "2024"])),
        ("RUT SPX --as-of 2025-06-30", {}, CommandArgs(symbols=["RUT", "SPX"], as_of=date(2025, 6, 30))),
        ("RUT SPX --as-of=2025-06-30", {}, CommandArgs(symbols=["RUT", "SPX"], as_of=date(2025, 6, 30))),
        ("--as-of 2025-06-30 RUT SPX", {}, CommandArgs(symbols=["RUT", "SPX"], as_of=date(2025, 6, 30))),
        ("RUT SPX --AS-OF 2025-06-30", {}, CommandArgs(symbols=["RUT", "SPX"], as_of=date(2025, 6, 30))),
        # Slack clients turn "--" into an em or en dash.
        ("RUT SPX —as-of 2025-06-30", {}, CommandArgs(symbols=["RUT", "SPX"], as_of=date(2025, 6, 30))),
        ("RUT SPX –as-of 2025-06-30", {}, CommandArgs(symbols=["RUT", "SPX"], as_of=date(2025, 6, 30))),
        ("RUT SPX chart", {"allow_chart": True}, CommandArgs(symbols=["RUT", "SPX"], chart=True)),
        ("chart RUT SPX", {"allow_chart": True}, CommandArgs(symbols=["RUT", "SPX"], chart=True)),
        ("RUT SPX CHART", {"allow_chart": True}, CommandArgs(symbols=["RUT", "SPX"], chart=True)),
        ("RUT SPX chart", {}, CommandArgs(symbols=["RUT", "SPX", "chart"])),
        (
            "RUT SPX --as-of 2025-06-30 chart",
            {"allow_chart": True},
            CommandArgs(symbols=["RUT", "SPX"], as_of=date(2025, 6, 30), chart=True),
        ),
        (
            "S&P 500 2024 --as-of=2024-12-31",
            {"allow_year": True},
            CommandArgs(symbols=["S&P 500"], year=2024, as_of=date(2024, 12, 31)),
        ),
        ("RUT SPX NDX", {}, CommandArgs(symbols=["RUT", "SPX", "NDX"])),  # the listener refuses 3
        ("", {}, CommandArgs(help=True)),
        ("   ", {}, CommandArgs(help=True)),
        ("help", {}, CommandArgs(help=True)),
        ("HELP", {}, CommandArgs(help=True)),
        ("--help", {}, CommandArgs(help=True)),
        ("-h", {}, CommandArgs(help=True)),
        ("?", {}, CommandArgs(help=True)),
        ("help SPX", {}, CommandArgs(symbols=["help", "SPX"])),
    ],
)
def test_parse_command_text(text: str, options: dict[str, bool], expected: CommandArgs) -> None:
    assert parse_command_text(text, **options) == expected


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("RUT SPX --as-of", {}, "--as-of needs a date, e.g. --as-of 2026-01-22."),
        ("RUT SPX --as-of 2025-13-01", {}, "'2025-13-01' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."),
        ("RUT SPX --as-of=", {}, "'' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."),
        ("RUT SPX --as-of yesterday", {}, "'yesterday' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."),
        ("RUT SPX --weekly", {}, "Unknown option --weekly."),
        ("SPX 2024 2025", {"allow_year": True}, "Give one year at most, e.g. /records SPX 2024."),
    ],
)
def test_parse_command_text_errors(text: str, options: dict[str, bool], message: str) -> None:
    with pytest.raises(UserError) as err:
        parse_command_text(text, **options)
    assert str(err.value) == message


@pytest.mark.parametrize("digits", ["²⁰²⁴", "２０２４", "٢٠٢٤"])
def test_non_ascii_digits_are_not_a_year(digits: str) -> None:
    """``str.isdigit`` accepts these, ``int`` does not (or reads them as a year nobody typed)."""
    assert parse_command_text(f"SPX {digits}", allow_year=True) == CommandArgs(symbols=["SPX", digits])


WORDS = st.sampled_from(
    [
        "RUT", "SPX", "S&P", "500", "Russell", "2000", "2024", "²⁰²⁴", "chart", "help", "--as-of",
        "--as-of=", "--as-of=2025-01-02", "2025-01-02", "2025-13-01", "—as-of", "–", "--", "-",
        "=", "the", "dow", "?", "\u00a0", "\t", "\n", "🙂", "^GSPC", "0000", "9999",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=60), st.lists(WORDS, max_size=8).map(" ".join)),
    allow_year=st.booleans(),
    allow_chart=st.booleans(),
)
def test_parse_command_text_only_raises_usage_error(text: str, allow_year: bool, allow_chart: bool) -> None:
    try:
        args = parse_command_text(text, allow_year=allow_year, allow_chart=allow_chart)
    except UserError as exc:
        assert str(exc)  # always says what is wrong
        return
    assert isinstance(args, CommandArgs)
    assert args.help or args.symbols or args.as_of or args.year is not None or args.chart
    if args.year is not None:
        assert allow_year and 0 <= args.year <= 9999
    assert not args.chart or allow_chart
