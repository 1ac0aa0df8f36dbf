"""Plain-word questions with real figures, end to end: a signed event in, one post out.

Every kind of question the parser reads goes through the HTTP endpoint and the fake Slack
(tests/fakeslack.py) against all the bundled series (the indices, SPY, RSP, QQQ, IWM and
the sector SPDRs). Each expected figure was computed on its own from the CSVs in
/work/shared/data with pandas (record = a close above every earlier close; returns =
last close over the base close; runs = consecutive sessions with the same sign), not
copied from the bot. One stack serves the whole module, so the table stays fast.
"""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakeslack import FakeSlack
from slack_harness import send_event
from slack_stack import BUNDLED, Stack, app_on_loopback, slack_settings

from bot.adapters.calendar import NyseCalendar

# Monday Sep 21, 2026, 11:00 in New York: "this year" is 2026, "last month" Aug 2026. The
# S&P 500 and the Russell 2000 end Sep 17, 2026; the Dow, the Nasdaq and most ETFs Aug 21.
NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


def _all_series(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for src in [*BUNDLED.glob("*.csv.gz"), *(BUNDLED / "etf_adjusted").glob("*.csv.gz")]:
        with gzip.open(src, "rb") as fin, open(dest / src.name[: -len(".gz")], "wb") as fout:
            shutil.copyfileobj(fin, fout)
    return dest


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        yield f
        assert f.errors == []


@pytest.fixture(scope="module")
def stack(
    fake: FakeSlack, calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("figures")
    settings = slack_settings(fake.base_url, _all_series(tmp / "data"))
    with app_on_loopback(settings, calendar, lambda: NOW, tmp / "events.sqlite3") as s:
        market = s.services.market
        for symbol in market.available():  # read and validate every series once, up front
            market.closes(symbol)
        yield s


_counter = iter(range(10_000))


def ask(stack: Stack, fake: FakeSlack, text: str) -> str:
    """Mention the bot with ``text``; the text of the one message posted in reply."""
    n = next(_counter)
    before = len(fake.calls("chat.postMessage"))
    event = {"type": "app_mention", "user": "U0DESK", "text": f"<@U0BOT> {text}",
             "ts": f"1767700000.{n:06d}", "channel": "C0NEWS"}
    status, _, _ = send_event(stack.base_url, event, event_id=f"EvFig{n}")
    assert status == 200
    # a generous cap (not a timing check): other test runs share the machine's two cores
    post = fake.wait_for("chat.postMessage", before + 1, timeout=60.0)[before]
    assert post.params["channel"] == "C0NEWS"
    return str(post.params["text"])


FIGURES: list[tuple[str, tuple[str, ...]]] = [
    # streak of a pair: returns on Sep 17, 2026 (S&P +1.138%, Russell +0.553%)
    ("are small caps beating large caps?",
     ("Russell 2000 vs S&P 500, who is leading:",
      "The S&P 500 outperformed the Russell 2000 on Sep 17, 2026, +1.14% vs +0.55%.")),
    # record closes in a year
    ("how many record closes did the Dow set in 2024?",
     ("Dow Jones Industrial Average record closes in 2024:", "has set 48 record closes in 2024.")),
    ("how many records has the S&P had since 2020?",
     ("227 record closes since the start of 2020",
      "By year: 2020: 33, 2021: 70, 2022: 1, 2023: 0, 2024: 57, 2025: 39, 2026: 27.")),
    ("how many S&P records through June?", ("set 24 record closes in 2026 through Jun 30, 2026",)),
    # records before / after a date, first and Nth of a year
    ("when was the S&P's last record before 2024?",
     ("S&P 500, the last record close before Jan 1, 2024:", "was 4,796.56 on Jan 3, 2022.")),
    ("how many records has the Nasdaq set after the 2020 election",
     ("Nasdaq Composite record closes after Nov 3, 2020:", "set 152 record closes after Nov 3, 2020",
      "First: Nov 25, 2020; last: Jun 2, 2026.")),
    ("first S&P record after the election",
     ("S&P 500, the first record close after Nov 5, 2024:", "was 5,929.04 on Nov 6, 2024.")),
    ("what was the first record close for the Russell in 2025?",
     ("Russell 2000, the first record close in 2025:", "was 2,467.70 on Sep 18, 2025",
      "9 record closes in 2025")),
    ("the S&P's 10th record of 2024", ("tenth record close in 2024 was 5,026.61 on Feb 9, 2024",)),
    # sessions since the last record
    ("how many sessions since the Nasdaq's last record?",
     ("Nasdaq Composite sessions since the last record close:",
      "56 sessions since the Nasdaq Composite's last record close (27,093.90 on Jun 2, 2026)")),
    # best and worst years of records
    ("which year had the most Dow records?",
     ("the years with the most record closes:", "2017, with 71.", "Ranked: 2017: 71, 1995: 69, 2013: 52")),
    ("worst year for Dow records since 2000",
     ("the years with the fewest record closes since the start of 2000:", "2001, with 0.")),
    # losing streaks: one symbol, a pair's laggard, "down N sessions in a row"
    ("is the Nasdaq on a losing streak?",
     ("Nasdaq Composite losing streak (down sessions in a row):",
      "is not on a losing streak: it rose on Aug 21, 2026",
      "Its longest losing streak in the data: 16 sessions (Jan 19 – Feb 9, 1984).")),
    ("longest losing streak for small caps vs large caps",
     ("The laggard now is the Russell 2000.",
      "against the S&P 500 in the data: 13 sessions (Nov 12 – Dec 1, 2021).")),
    ("has the Dow fallen 5 sessions in a row?",
     ("fallen for 5 or more straight sessions 90 times in the data (from Jan 2, 1992)",
      "the latest: 5 sessions (Apr 23 – Apr 29, 2026)", "the longest: 10 sessions (Dec 5 – Dec 18, 2024)")),
    # "ever beaten for N days straight"
    ("has the Russell ever beaten the S&P for 15 days straight?",
     ("Russell 2000 beating S&P 500 for 15 or more sessions in a row:",
      "Yes: the Russell 2000 has outperformed the S&P 500 for 15 or more straight sessions once",
      "16 sessions (Apr 16 – May 7, 1996)")),
    # pair performance: YTD, last month, a named month, since the election, since a date
    ("small caps vs large caps ytd",
     ("Russell 2000 vs S&P 500 in 2026 so far:", "The Russell 2000 returned +15.82% and the S&P 500 +11.57%",
      "the Russell 2000 led by 4.25 percentage points")),
    ("RUT vs SPX last month",
     ("Russell 2000 vs S&P 500 in Aug 2026:", "returned +0.86% and the S&P 500 +2.62%")),
    ("Nasdaq vs the Dow in March 2025",
     ("in Mar 2025:", "The Nasdaq Composite returned -8.21% and the Dow Jones Industrial Average -4.20%")),
    ("how have small caps done vs large caps since the election?",
     ("(the Nov 5, 2024 close to the Sep 17, 2026 close", "returned +27.15% and the S&P 500 +32.08%")),
    ("r2k vs spx since 3/16/2020", ("returned +177.09% and the S&P 500 +220.09%",)),
    # the last N sessions (a day is a session, a week five)
    ("small caps vs large caps over the past 10 days",
     ("Russell 2000 vs S&P 500 over the last 10 sessions (Sep 3 – Sep 17, 2026):",
      "The Russell 2000 returned -2.66% and the S&P 500 -0.38%")),
    ("how did the Dow do over the last 10 days",
     ("Dow Jones Industrial Average over the last 10 sessions (Aug 10 – Aug 21, 2026):",
      "returned -1.41%: 53,277.01 on Aug 21, 2026 against 54,036.93 at the Aug 7, 2026 close")),
    ("how did the nasdaq do in the past two weeks",
     ("Nasdaq Composite over the last 10 sessions", "returned -1.91%")),
    # a day's move: today (the latest close), a past date, a holiday
    ("what did the S&P do today",
     ("S&P 500 on Sep 17, 2026:", "closed at 7,637.76, up 85.95 (+1.14%) from 7,551.81 on Sep 16, 2026.")),
    ("how did the Dow do on 3/16/2020",
     ("closed at 20,188.52, down 2,997.10 (-12.93%) from 23,185.62 on Mar 13, 2020.",)),
    ("how did the S&P do on 7/3/2026",
     ("Jul 3, 2026 was not an NYSE session (a market holiday). The nearest sessions: Jul 2, 2026 and Jul 6, 2026.",)),
    # one index's YTD return
    ("what is the Nasdaq 100 up year to date",
     ("Nasdaq 100 year to date (2026):", "returned +18.12%: 29,825.11 on Jul 10, 2026")),
    # misspelled names and words: the reading is stated
    ("how many recrods has the Rusell had this year?",
     ('(reading "recrods" as "records", "Rusell" as "russell"):', "has set 29 record closes in 2026 so far")),
    ("how did the Nasdq do on 3/16/2020",
     ('(reading "Nasdq" as "nasdaq")', "closed at 6,904.59", "(-12.32%)")),
    # sectors, equal vs cap weight, ETFs by ticker
    ("which sector is leading ytd?",
     ("Sector leadership in 2026 so far (total returns):", "1. Energy sector (XLE) +43.27%",
      "2. Technology sector (XLK) +27.48%", "8. Consumer Discretionary sector (XLY) -0.97%")),
    ("which sector led last month?",
     ("1. Health Care sector (XLV) +7.43%", "8. Utilities sector (XLU) -3.56%")),
    ("equal weight vs cap weight ytd",
     ("returned +12.32% and the SPDR S&P 500 ETF (SPY) +9.66%",)),
    ("XLE vs XLU in 2025",
     ("Energy sector (XLE) vs Utilities sector (XLU) in 2025:",
      "The Energy sector (XLE) returned +7.88% and the Utilities sector (XLU) +16.02%")),
    # at or below a record, the record before the last one
    ("how far is the Dow below its record?",
     ("1.97% below its record close of 54,349.12 (Aug 5, 2026",)),
    ("Is the S&P at a record?", ("2.07% below its record close of 7,798.99 (Aug 13, 2026",)),
    ("What was the record before the last one for the Russell?",
     ("Before its latest record (3,068.42 on Aug 14, 2026), the Russell 2000's previous record close "
      "was 3,052.85 on Aug 13, 2026: a gap of 1 session.",)),
    # longest streaks each way, up days in a row (the grid starts in 1970)
    ("Longest streak of small caps beating the S&P since 2020",
     ("beating the S&P 500 since the start of 2020: 14 sessions (Jan 2 – Jan 22, 2026).",
      "beating the Russell 2000 since the start of 2020: 13 sessions (Nov 12 – Dec 1, 2021).")),
    ("How many days in a row has the S&P gone up?",
     ("The S&P 500 rose on Sep 17, 2026, +1.14%.", "14 sessions (Mar 26 – Apr 15, 1971)")),
    # one symbol since a year, a past year's return, a pair written with a slash
    ("S&P 500 return since 2020", ("S&P 500 since Jan 1, 2020:", "returned +136.41%", "3,230.78 at the Dec 31, 2019 close")),
    ("How did the S&P do in 2022?", ("S&P 500 in 2022, the whole year:", "returned -19.44%")),
    ("RUT/SPX in 2025", ("The Russell 2000 returned +11.29% and the S&P 500 +16.39%",)),
]

NOT_UNDERSTOOD: list[tuple[str, str]] = [
    ("what's for lunch?", "Sorry, I didn't understand that question."),
    ("S&P records in the past 3 months", 'I didn\'t understand "3", "months" in that question'),
    ("is the S&P closer to its record than the nasdaq",
     'I didn\'t understand "Nasdaq Composite (one symbol at a time)" in that question'),
    ("has the russell beaten the s&p for 3 weeks straight",
     'I didn\'t understand "for 3 weeks straight" in that question'),
]

_FIGURE = re.compile(r"[+-]?\d[\d,]*\.\d\d|\d+ (?:record closes|sessions)\b")


def test_the_table_covers_30_questions() -> None:
    assert len(FIGURES) + len(NOT_UNDERSTOOD) >= 30
    assert len({q for q, _ in FIGURES}) == len(FIGURES)


@pytest.mark.parametrize(("question", "expected"), FIGURES, ids=[q for q, _ in FIGURES])
def test_a_question_gets_its_own_figures(
    stack: Stack, fake: FakeSlack, question: str, expected: tuple[str, ...]
) -> None:
    text = ask(stack, fake, question)
    for part in expected:
        assert part in text, f"{part!r} missing from:\n{text}"
    assert "Source: CSV folder" in text  # every answer names where its closes came from


@pytest.mark.parametrize(("question", "opening"), NOT_UNDERSTOOD, ids=[q for q, _ in NOT_UNDERSTOOD])
def test_a_question_not_understood_gets_no_figure(
    stack: Stack, fake: FakeSlack, question: str, opening: str
) -> None:
    text = ask(stack, fake, question)
    assert text.startswith(opening)
    assert _FIGURE.search(text) is None and "%" not in text, text
