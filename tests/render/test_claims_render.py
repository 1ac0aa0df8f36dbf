"""The claim check's words: an editor's markup in text, Block Kit within limits, and JSON."""

from __future__ import annotations

from datetime import date

import pytest

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource
from bot.claims.check import check_text
from bot.render.blockkit import MAX_BLOCKS, MAX_SECTION_TEXT, slack_len
from bot.render.claims import EXAMPLES, check_json, check_message, render_check_text
from bot.services.market import Market

JAN22 = date(2026, 1, 22)
PARAGRAPH = (
    "Small caps extended their run. The Russell 2000 has outperformed the S&P 500 for 14 consecutive "
    "days, the longest streak since 1996, and closed at 2,718.77. The Dow added 306.78 points, "
    "while the FTSE 100 rose 1%. The Nasdaq is up 0.9% this year."
)


@pytest.fixture(scope="module")
def market(calendar: NyseCalendar) -> Market:
    return Market(BundledSource(), calendar)


def test_text_is_an_editors_markup(market: Market) -> None:
    assert render_check_text(check_text(market, PARAGRAPH, JAN22)).splitlines() == [
        "Checked 6 claims as of the Jan 22, 2026 close: 4 true, 1 false, 1 cannot be checked.",
        "✓ “The Russell 2000 has outperformed the S&P 500 for 14 consecutive days” — true.",
        "  Russell 2000 (^RUT) over S&P 500 (^GSPC): 14 sessions, Jan 2 – Jan 22, 2026, +9.54% vs +0.99%.",
        "✓ “longest streak since 1996” (^RUT vs ^GSPC) — true.",
        "  Russell 2000 (^RUT) over S&P 500 (^GSPC): 14 sessions, Jan 2 – Jan 22, 2026, +9.54% vs +0.99%. "
        "The most recent earlier streak at least as long: Apr 16 – May 7, 1996 (16 sessions).",
        "✓ “closed at 2,718.77” (^RUT) — true.",
        "  Russell 2000: 2,698.17 on Jan 21, 2026 → 2,718.77 on Jan 22, 2026 (+20.60 points, +0.76%).",
        "✓ “added 306.78 points” (^DJI) — true.",
        "  Dow Jones Industrial Average: 49,077.23 on Jan 21, 2026 → 49,384.01 on Jan 22, 2026 "
        "(+306.78 points, +0.63%).",
        "? “rose 1%” — cannot be checked: the FTSE 100 is not in the data (US indices, their ETFs and the "
        "sector SPDRs).",
        "✗ “is up 0.9% this year” (^IXIC) — false: +0.83% year to date, not +0.9%.",
        "  Nasdaq Composite: 23,241.99 at the end of 2025 → 23,436.02 on Jan 22, 2026.",
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell, Nasdaq). Streaks count sessions; "
        "percentages are checked as rounded in the text.",
    ]


def test_block_kit_marks_each_claim(market: Market) -> None:
    msg = check_message(check_text(market, PARAGRAPH, JAN22))
    texts = [b["text"]["text"] for b in msg.blocks if b["type"] == "section"]
    assert texts[0] == "Checked 6 claims as of the Jan 22, 2026 close: 4 true, 1 false, 1 cannot be checked."
    assert texts[1].startswith(":white_check_mark: “The Russell 2000 has outperformed the S&amp;P 500 for 14")
    assert texts[5].startswith(":grey_question: “rose 1%” — cannot be checked")
    assert texts[6].startswith(":x: “is up 0.9% this year” (^IXIC) — false: +0.83% year to date")
    assert msg.blocks[-1]["type"] == "context"
    assert msg.text == render_check_text(check_text(market, PARAGRAPH, JAN22))


def test_a_long_note_stays_within_block_kit_limits(market: Market) -> None:
    note = " ".join(f"The Dow added {n}.5 points on Thursday." for n in range(80))
    msg = check_message(check_text(market, note, JAN22))
    assert len(msg.blocks) <= MAX_BLOCKS
    assert all(slack_len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in msg.blocks if b["type"] == "section")
    assert "more blocks not shown" in msg.blocks[-1]["elements"][0]["text"]
    assert msg.text.count("added") == 80  # the plain text keeps every claim


def test_json_claims(market: Market) -> None:
    data = check_json(check_text(market, PARAGRAPH, JAN22))
    assert data["as_of"] == "2026-01-22"
    got = [(c["kind"], c["verdict"], c["stated"], c["actual"], c["symbols"]) for c in data["claims"]]
    assert got == [
        ("relative_streak", "true", 14, 14, ["^RUT", "^GSPC"]),
        ("longest_since", "true", 1996, 1996, ["^RUT", "^GSPC"]),
        ("close_level", "true", 2718.77, 2718.77, ["^RUT"]),
        ("move_points", "true", 306.78, 306.78, ["^DJI"]),
        ("move_pct", "unverifiable", "1", None, []),
        ("ytd", "false", 0.9, 0.8348, ["^IXIC"]),
    ]
    assert data["claims"][4]["why"] == "unknown_symbol"
    since = data["claims"][1]["evidence"]
    assert (since["other_start"], since["other_end"], since["other_length"]) == ("1996-04-16", "1996-05-07", 16)
    for c in data["claims"]:
        assert PARAGRAPH[slice(*c["span"])] == c["text"]


def test_no_figures_reply_offers_two_checkable_examples(market: Market) -> None:
    msg = check_message(check_text(market, "Quiet day.", JAN22))
    assert msg.text.startswith("I found no figures I can check in that text")
    assert len(EXAMPLES) == 2
    # the examples are checkable, and true on the day they describe
    for example, day in zip(EXAMPLES, (JAN22, date(2026, 8, 13)), strict=True):
        verdicts = check_text(market, example, day).verdicts
        assert verdicts and all(v.outcome == "true" for v in verdicts), example


def test_a_note_dated_after_the_data_says_so(market: Market) -> None:
    text = render_check_text(check_text(market, "The Russell 2000 rose 1% today.", date(2026, 9, 21)))
    assert text.splitlines()[0] == ("Checked 1 claim as of Sep 21, 2026 (data as of Sep 17, 2026): 0 true, "
                                    "0 false, 1 cannot be checked.")
    assert "Sep 21, 2026 is not in it yet" in text
