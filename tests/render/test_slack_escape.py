"""The one mrkdwn escape, and the builders that use it on data and on what users typed."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.records import RecordPoint, RecordSummary
from bot.render.messages import error_message, records_message, usage_message
from bot.render.slack_escape import escape_mrkdwn
from bot.services.answers import Freshness, RecordsAnswer

T = pd.Timestamp


def test_escapes_the_three_characters_slack_reserves() -> None:
    assert escape_mrkdwn("S&P <500> &amp;") == "S&amp;P &lt;500&gt; &amp;amp;"
    assert escape_mrkdwn("*bold* _it_ `code` :emoji:") == "*bold* _it_ `code` :emoji:"


def test_an_echoed_mention_pings_no_one_but_the_fallback_text_reads_as_typed() -> None:
    msg = usage_message("*Usage:* `/records SYMBOL`", "Unknown symbol '<!channel>'.")
    assert msg.blocks[0] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": ":warning: Unknown symbol '&lt;!channel&gt;'."},
    }
    assert msg.text.startswith("Unknown symbol '<!channel>'. ")
    assert error_message("a <b> & c").blocks[0]["text"]["text"] == ":warning: a &lt;b&gt; &amp; c"


def test_answer_sentences_and_footers_are_escaped_in_blocks_only() -> None:
    summary = RecordSummary(
        as_of=T("2025-12-24"), close=6932.05, year=2025, count=1,
        dates=(T("2025-12-24"),), is_record=True, nth_of_year=1,
        last_record=RecordPoint(T("2025-12-24"), 6932.05, 0), previous_record=None,
        gap_sessions=None, high_water=6932.05, pct_below_record=0.0, data_start=T("1927-12-30"),
    )
    msg = records_message(RecordsAnswer("^GSPC", summary, Freshness(date(2025, 12, 24), None), "bundled"))
    head = "The S&amp;P 500 closed at a record 6,932.05 on Dec 24, 2025: its first closing record high of 2025."
    assert msg.blocks[0]["text"]["text"] == f"*{head}*"
    assert msg.blocks[-1]["elements"][0]["text"].endswith("Source: Yahoo Finance (S&amp;P Dow Jones Indices)")
    assert msg.text.splitlines()[0] == head.replace("&amp;", "&")
