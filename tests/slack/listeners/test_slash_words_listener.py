"""The slash commands read the same natural forms as questions, through the real app.

``app.dispatch`` of the real app against FakeSlack (as the other listener tests), on a data
folder of every bundled series. The figures are checked against the bundled CSVs, read
here with the csv module (not with the bot's code). The clock is Monday Sep 21, 2026; the
S&P 500 and the Russell 2000 end Sep 17, 2026.
"""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fakeslack import Call, FakeSlack
from slack_harness import command_request
from slack_stack import BUNDLED, InProcess, in_process_fixtures

from bot.render.messages import STREAK_USAGE, usage_message
from bot.slack.listeners.leaders import LEADERS_USAGE

NOW = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


def closes(stem: str) -> dict[date, float]:
    """The bundled closes of one series, straight from its CSV."""
    manifest = json.loads((BUNDLED / "MANIFEST.json").read_text())
    (entry,) = [v for k, v in manifest.items() if k.lstrip("^") == stem]
    with gzip.open(BUNDLED / entry["file"], "rt") as fh:
        return {date.fromisoformat(r["date"]): float(r["close"]) for r in csv.DictReader(fh)}


def day_return(series: dict[date, float], day: date) -> float:
    days = sorted(series)
    i = days.index(day)
    return series[day] / series[days[i - 1]] - 1


def pct(x: float) -> str:
    return f"{x:+.2%}"


@pytest.fixture(scope="module")
def all_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every bundled series (indices and adjusted ETFs) as plain CSVs."""
    dest = tmp_path_factory.mktemp("all_closes")
    for src in [*BUNDLED.glob("*.csv.gz"), *BUNDLED.glob("etf_adjusted/*.csv.gz")]:
        with gzip.open(src, "rb") as fin, open(dest / src.name[: -len(".gz")], "wb") as fout:
            shutil.copyfileobj(fin, fout)
    return dest


slack, bot, _fresh = in_process_fixtures("words", NOW, data="all_series")


def answer(bot: InProcess, slack: FakeSlack, command: str, text: str) -> dict[str, Any]:
    """``command text``: an empty ack, then the one answer posted to ``response_url``."""
    response = bot.app.dispatch(command_request(command, text, slack.response_url("w")))
    assert (response.status, response.body) == (200, ""), response.body
    assert bot.later.run() == [command]
    calls: list[Call] = slack.calls("response_url")
    assert len(calls) == 1
    assert calls[0].json is not None
    slack.reset()
    return calls[0].json


def refused_in_ack(bot: InProcess, slack: FakeSlack, command: str, text: str) -> Any:
    response = bot.app.dispatch(command_request(command, text, slack.response_url("r")))
    assert response.status == 200
    assert bot.later.pending == []
    return json.loads(response.body)


# --------------------------------------------------------------------------- /streak
def test_small_caps_vs_large_caps_is_rut_vs_spx(bot: InProcess, slack: FakeSlack) -> None:
    words = answer(bot, slack, "/streak", "small caps vs large caps")
    tickers = answer(bot, slack, "/streak", "RUT SPX")
    assert words == tickers
    assert words["response_type"] == "in_channel"
    spx, rut = closes("GSPC"), closes("RUT")
    last = date(2026, 9, 17)
    assert max(spx) == max(rut) == last
    # Sep 17, 2026: S&P 500 7551.81 -> 7637.76 (+1.14%), Russell 2000 2858.81 -> 2874.63 (+0.55%).
    assert (pct(day_return(spx, last)), pct(day_return(rut, last))) == ("+1.14%", "+0.55%")
    assert words["text"].startswith(
        "The S&P 500 outperformed the Russell 2000 on Sep 17, 2026, +1.14% vs +0.55%."
    )


@pytest.mark.parametrize(
    "text", ["rut spx 2026-01-22", "rut vs. spx 2026-01-22", "Rusell vs the S&P500 1/22/2026",
             "r2k/spx --as-of 2026-01-22", "Russel 2000 versus sp500 2026-01-22"],
)
def test_a_bare_date_is_the_as_of(bot: InProcess, slack: FakeSlack, text: str) -> None:
    got = answer(bot, slack, "/streak", text)
    assert got == answer(bot, slack, "/streak", "RUT SPX --as-of 2026-01-22")
    # By hand from the CSVs: the Russell 2000 beat the S&P 500 on every session of 2026
    # through Jan 22 (14 sessions), +9.54% vs +0.99% from the Dec 31, 2025 close.
    spx, rut = closes("GSPC"), closes("RUT")
    sessions = [d for d in sorted(spx) if date(2026, 1, 1) <= d <= date(2026, 1, 22)]
    assert len(sessions) == 14
    assert all(day_return(rut, d) > day_return(spx, d) for d in sessions)
    prev = max(d for d in spx if d < date(2026, 1, 2))
    assert prev == date(2025, 12, 31)
    assert day_return(rut, prev) <= day_return(spx, prev)  # the run starts Jan 2
    run = (rut[date(2026, 1, 22)] / rut[prev] - 1, spx[date(2026, 1, 22)] / spx[prev] - 1)
    assert (pct(run[0]), pct(run[1])) == ("+9.54%", "+0.99%")
    assert got["text"].startswith(
        "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions "
        "(Jan 2 – Jan 22, 2026), +9.54% vs +0.99%"
    )


def test_equal_weight_vs_cap_weight_is_rsp_vs_spy_in_total_return(bot: InProcess, slack: FakeSlack) -> None:
    got = answer(bot, slack, "/streak", "equal weight vs cap weight 2026-06-30")
    assert got == answer(bot, slack, "/streak", "RSP SPY 2026-06-30")
    rsp, spy = closes("RSP"), closes("SPY")
    start, end = date(2026, 6, 29), date(2026, 6, 30)
    assert day_return(spy, start) > day_return(rsp, start) and day_return(spy, end) > day_return(rsp, end)
    before = date(2026, 6, 26)  # the session before the run (a Friday)
    assert day_return(spy, before) <= day_return(rsp, before)
    run = pct(spy[end] / spy[before] - 1), pct(rsp[end] / rsp[before] - 1)
    assert run == ("+2.44%", "+1.17%")
    assert got["text"].startswith(
        "The SPDR S&P 500 ETF (SPY) has outperformed the Invesco S&P 500 Equal Weight ETF (RSP) "
        "for 2 straight sessions (Jun 29 – Jun 30, 2026), +2.44% vs +1.17%"
    )
    assert "dividend-adjusted (total) returns" in got["text"]


def test_a_sector_by_name_against_its_ticker_is_refused_as_one_symbol(bot: InProcess, slack: FakeSlack) -> None:
    got = answer(bot, slack, "/streak", "energy XLE")
    assert got["response_type"] == "ephemeral"
    assert "Both symbols resolve to XLE" in got["text"]


def test_utilities_vs_tech_sector(bot: InProcess, slack: FakeSlack) -> None:
    got = answer(bot, slack, "/streak", "utilities vs tech sector 2026-01-22")
    assert got == answer(bot, slack, "/streak", "XLU XLK 2026-01-22")
    xlu, xlk = closes("XLU"), closes("XLK")
    day, before = date(2026, 1, 22), date(2026, 1, 20)
    # The summary of that day: Technology (XLK) +0.74%, Utilities (XLU) -0.72%.
    assert (pct(day_return(xlk, day)), pct(day_return(xlu, day))) == ("+0.74%", "-0.72%")
    assert day_return(xlk, date(2026, 1, 21)) > day_return(xlu, date(2026, 1, 21))
    assert day_return(xlk, before) <= day_return(xlu, before)
    run = pct(xlk[day] / xlk[before] - 1), pct(xlu[day] / xlu[before] - 1)
    assert run == ("+2.14%", "-0.58%")
    assert got["text"].startswith(
        "The Technology sector (XLK) has outperformed the Utilities sector (XLU) for 2 straight "
        "sessions (Jan 21 – Jan 22, 2026), +2.14% vs -0.58%"
    )


def test_two_dates_are_one_clear_line(bot: InProcess, slack: FakeSlack) -> None:
    problem = "Give one date at most: 2026-01-22 or 2026-01-23? e.g. /streak RUT SPX 2026-01-22."
    body = refused_in_ack(bot, slack, "/streak", "rut spx 2026-01-22 2026-01-23")
    assert body == usage_message(STREAK_USAGE, problem).ack_args()


def test_an_ordinary_word_is_no_symbol(bot: InProcess, slack: FakeSlack) -> None:
    got = answer(bot, slack, "/streak", "teck spx")
    assert got["response_type"] == "ephemeral"
    assert got["text"].startswith("Unknown symbol 'teck'.")


# --------------------------------------------------------------------------- /records
def test_records_spx_2022(bot: InProcess, slack: FakeSlack) -> None:
    got = answer(bot, slack, "/records", "spx 2022")
    assert got == answer(bot, slack, "/records", "the S&P 500 2022")
    spx = closes("GSPC")
    best = 0.0
    by_year: dict[int, int] = {}
    for i, d in enumerate(sorted(spx)):
        if i and spx[d] > best:
            by_year[d.year] = by_year.get(d.year, 0) + 1
        best = max(best, spx[d])
    assert (by_year[2021], by_year.get(2022, 0), by_year.get(2023, 0), by_year[2024]) == (70, 1, 0, 57)
    first_2022 = min(d for d in spx if d.year == 2022)
    assert first_2022 == date(2022, 1, 3) and spx[first_2022] > max(v for d, v in spx.items() if d < first_2022)
    # The year asked about first, in the past tense, before any line about the latest close.
    first, second = got["text"].split("\n")[:2]
    assert first == "The S&P 500 set 1 record close in 2022 (Jan 3)."
    assert second.startswith("The S&P 500 closed at 7,637.76 on Sep 17, 2026, ")


# --------------------------------------------------------------------------- /leaders
@pytest.mark.parametrize("text", ["2026-01-22", "--session 2026-01-22", "--session=2026-01-22", "1/22/2026"])
def test_leaders_on_a_past_session(bot: InProcess, slack: FakeSlack, text: str) -> None:
    got = answer(bot, slack, "/leaders", text)
    assert got["response_type"] == "in_channel"
    assert got["blocks"][0] == {
        "type": "header", "text": {"type": "plain_text", "text": "Market leadership · Thu, Jan 22, 2026"},
    }
    day = date(2026, 1, 22)
    spx, rut = closes("GSPC"), closes("RUT")
    # S&P 500 6875.62 -> 6913.35 (+0.55%); Russell 2000 2698.17 -> 2718.77 (+0.76%).
    assert f"the S&P 500 {pct(day_return(spx, day))} to {spx[day]:,.2f}" in got["text"]
    assert f"the Russell 2000 {pct(day_return(rut, day))} to {rut[day]:,.2f}" in got["text"]
    assert "the S&P 500 +0.55% to 6,913.35" in got["text"]
    # Its 8th record close of 2026: a close above every earlier close, counted by hand.
    days = sorted(rut)
    records_2026 = [d for i, d in enumerate(days)
                    if d.year == 2026 and d <= day and rut[d] > max(rut[x] for x in days[:i])]
    assert len(records_2026) == 8 and records_2026[-1] == day
    assert "the Russell 2000 closed at a record 2,718.77: its eighth closing record high of 2026" in got["text"]
    assert not got["text"].startswith("Data as of")  # a past session in the data: no stale note


def test_leaders_on_a_weekend_is_one_line(bot: InProcess, slack: FakeSlack) -> None:
    got = answer(bot, slack, "/leaders", "2026-01-24")
    assert got["response_type"] == "ephemeral"
    assert "2026-01-24 is not an NYSE session (holiday or weekend)." in got["text"]
    assert "\n" not in got["text"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13-01", "'2026-13-01' is not a date: use YYYY-MM-DD, e.g. 2026-01-22."),
        ("--session", "--session needs a date, e.g. /leaders --session 2026-01-22."),
        ("--session 2026-01-22 now", "`/leaders --session 2026-01-22` takes nothing after it."),
    ],
)
def test_leaders_bad_dates_get_the_usage_in_the_ack(
    bot: InProcess, slack: FakeSlack, text: str, problem: str
) -> None:
    assert refused_in_ack(bot, slack, "/leaders", text) == usage_message(LEADERS_USAGE, problem).ack_args()
