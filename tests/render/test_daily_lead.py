"""The daily post's lead sentence for real sessions, compared with expected text.

Each expected sentence is written out in full; the facts in it (streak lengths, the
"longest since" month, the record's rank in its year, the day's move, the early close)
are recomputed here with plain pandas from the bundled CSVs and with exchange_calendars'
own early-close list, not with the analytics package.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import exchange_calendars as xcals
import numpy as np
import pandas as pd
import pytest

import bot
from bot.adapters.sources import BundledSource
from bot.render.buttons import button_value
from bot.render.daily import (
    lead_actions,
    lead_sentence,
    streak_lines,
    summary_sections,
    summary_text,
)
from bot.services.summary import DailySummary, build_summary

BUNDLED = Path(bot.__file__).parent / "data" / "bundled"
INDICES = ("^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT")


@pytest.fixture(scope="module")
def closes() -> dict[str, pd.Series]:
    src = BundledSource()
    return {sym: df["close"] for sym, df in src.bars(src.symbols()).items()}


@pytest.fixture(scope="module")
def early_closes() -> set[date]:
    """The NYSE's early closes of 2024-2026, from exchange_calendars directly."""
    cal = xcals.get_calendar("XNYS", start="2024-01-01", end="2026-12-31")
    return {ts.date() for ts in cal.early_closes}


def summary(closes: dict[str, pd.Series], d: date, early: set[date]) -> DailySummary:
    return build_summary(closes, d, early_close=d in early)


# --------------------------------------------------------------------------- plain pandas
def csv(sym: str) -> pd.Series:
    df = pd.read_csv(BUNDLED / f"{sym.lstrip('^')}.csv.gz", parse_dates=["date"], index_col="date")
    return df["close"].astype(float)


def runs(a: pd.Series, b: pd.Series | None, end: date) -> pd.DataFrame:
    """Runs of the sign of A's return minus B's (or of A's return), through ``end``."""
    a = a[a.index <= pd.Timestamp(end)]
    if b is None:
        sign = np.sign(a / a.shift(1) - 1)
    else:
        both = pd.concat([a, b[b.index <= pd.Timestamp(end)]], axis=1, join="inner")
        rets = both / both.shift(1) - 1
        sign = np.sign(rets.iloc[:, 0] - rets.iloc[:, 1])
    sign = sign.fillna(0).astype(int)
    block = (sign != sign.shift()).cumsum()
    out = pd.DataFrame({"sign": sign, "date": sign.index, "block": block}).groupby("block").agg(
        sign=("sign", "first"), start=("date", "first"), end=("date", "last"),
        length=("date", "size"),
    )
    return out.reset_index(drop=True)


def streak(a: str, b: str | None, d: date) -> tuple[int, int, str | None]:
    """(sign, length, month of the longest-since streak's end or None) on ``d``."""
    r = runs(csv(a), None if b is None else csv(b), d)
    cur = r.iloc[-1]
    assert cur["end"] == pd.Timestamp(d)
    earlier = r.iloc[:-1]
    since = earlier[(earlier["sign"] == cur["sign"]) & (earlier["length"] >= cur["length"])]
    month = f"{since.iloc[-1]['end']:%b %Y}" if len(since) else None
    return int(cur["sign"]), int(cur["length"]), month


def record_rank(sym: str, d: date) -> int | None:
    """The record close's rank in its year on ``d`` (None: no record that day)."""
    c = csv(sym)
    rec = c[c > c.cummax().shift(1)]
    ts = pd.Timestamp(d)
    if ts not in rec.index:
        return None
    idx = cast(pd.DatetimeIndex, rec.index)
    return int(((idx.year == ts.year) & (idx <= ts)).sum())


def move(sym: str, d: date) -> float:
    c = csv(sym)
    pos = cast(int, c.index.get_loc(pd.Timestamp(d)))
    return float(c.iloc[pos] / c.iloc[pos - 1] - 1)


# --------------------------------------------------------------------------- the sessions
def test_jan22_2026_streak_and_record_in_one_sentence(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2026, 1, 22)
    assert streak("^RUT", "^GSPC", d) == (1, 14, "May 1996")
    assert record_rank("^RUT", d) == 8
    assert d not in early_closes
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "Small caps extended their run: the Russell 2000 beat the S&P 500 for a 14th straight "
        "session, the longest streak since May 1996, and closed at its eighth record of 2026."
    )


def test_jan16_2026_an_11th_session(closes: dict[str, pd.Series], early_closes: set[date]) -> None:
    d = date(2026, 1, 16)
    assert streak("^RUT", "^GSPC", d) == (1, 11, "Jun 2008")
    assert record_rank("^RUT", d) == 6
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "Small caps extended their run: the Russell 2000 beat the S&P 500 for an 11th straight "
        "session, the longest streak since Jun 2008, and closed at its sixth record of 2026."
    )


def test_jan23_2026_the_run_ended(closes: dict[str, pd.Series], early_closes: set[date]) -> None:
    d = date(2026, 1, 23)
    assert streak("^RUT", "^GSPC", d)[:2] == (-1, 1)  # the S&P 500 led on the day
    assert streak("^RUT", "^GSPC", date(2026, 1, 22)) == (1, 14, "May 1996")
    assert all(record_rank(s, d) is None for s in INDICES)
    assert (round(move("^GSPC", d) * 100, 2), round(move("^RUT", d) * 100, 2)) == (0.03, -1.82)
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "Small caps' run ended: the S&P 500 beat the Russell 2000 (+0.03% vs -1.82%), ending a "
        "14-session streak, the longest since May 1996."
    )


def test_dec24_2025_records_in_a_shortened_session(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2025, 12, 24)
    assert d in early_closes  # Christmas Eve: 13:00
    assert {s: record_rank(s, d) for s in INDICES} == {
        "^GSPC": 39, "^NDX": None, "^IXIC": None, "^DJI": 19, "^RUT": None,
    }
    assert all(move(s, d) > 0 for s in INDICES)
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "Stocks rose in a shortened session: the S&P 500 closed at its 39th record of 2025 and "
        "the Dow at its 19th."
    )


def test_nov28_2025_a_quiet_shortened_session(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2025, 11, 28)
    assert d in early_closes  # the day after Thanksgiving
    assert all(record_rank(s, d) is None for s in INDICES)
    assert all(move(s, d) > 0 for s in INDICES)
    assert round(move("^GSPC", d) * 100, 2) == 0.54 and csv("^GSPC").loc["2025-11-28"] == 6849.09
    # Streaks, yes (each index up 5 sessions), but none the longest in over a year.
    assert {s: streak(s, None, d) for s in INDICES} == {s: (1, 5, "Oct 2025") for s in INDICES}
    assert streak("^RUT", "^GSPC", d) == (1, 5, "Apr 2025")
    s = summary(closes, d, early_closes)
    assert s.lead.kind == "quiet"
    assert lead_sentence(s) == "Stocks rose in a shortened session: the S&P 500 gained 0.54% to 6,849.09."


def test_dec31_2025_a_quiet_day(closes: dict[str, pd.Series], early_closes: set[date]) -> None:
    d = date(2025, 12, 31)
    assert d not in early_closes
    assert all(record_rank(s, d) is None for s in INDICES)
    assert all(move(s, d) < 0 for s in INDICES)
    assert round(move("^GSPC", d) * 100, 2) == -0.74
    s = summary(closes, d, early_closes)
    assert s.lead.kind == "quiet"
    assert lead_sentence(s) == "Stocks fell: the S&P 500 lost 0.74% to 6,845.50."
    assert summary_text(s).startswith(
        "Stocks fell: the S&P 500 lost 0.74% to 6,845.50.\n"
        "Closes on Wed, Dec 31, 2025: the S&P 500 -0.74% to 6,845.50, "
    )


def test_may2_2025_a_record_free_day_led_by_a_streak(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2025, 5, 2)
    assert all(record_rank(s, d) is None for s in INDICES)
    assert streak("^GSPC", None, d) == (1, 9, "Nov 2004")
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "The S&P 500 rose for a 9th straight session, its longest winning streak since Nov 2004."
    )


def test_may5_2025_an_index_streak_ended(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2025, 5, 5)
    assert streak("^GSPC", None, d)[:2] == (-1, 1)
    assert round(move("^GSPC", d) * 100, 2) == -0.64
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "The S&P 500's winning streak ended at 9 sessions, its longest since Nov 2004: it fell "
        "0.64% to 5,650.38."
    )


def test_sep18_2025_a_first_record_in_a_long_while(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2025, 9, 18)
    rut = csv("^RUT")
    before = rut[rut.index < pd.Timestamp(d)]
    assert f"{before.idxmax():%b %Y}" == "Nov 2021" and record_rank("^RUT", d) == 1
    assert [record_rank(s, d) for s in INDICES] == [26, 25, 27, 5, 1]
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "Stocks rose: the S&P 500 closed at its 26th record of 2025, the Nasdaq 100 at its 25th, "
        "the Nasdaq Composite at its 27th, the Dow at its fifth and the Russell 2000 at its first "
        "record since Nov 2021."
    )


def test_dec18_2024_the_longest_in_the_data(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2024, 12, 18)
    assert streak("^DJI", None, d) == (-1, 10, None)
    assert f"{csv('^DJI').index[0]:%b %-d, %Y}" == "Jan 2, 1992"
    assert lead_sentence(summary(closes, d, early_closes)) == (
        "The Dow fell for a 10th straight session, its longest losing streak in the data, which "
        "starts Jan 2, 1992."
    )


# --------------------------------------------------------------------------- the sections
def test_several_indices_on_the_same_streak_share_one_line(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2025, 11, 28)
    runs_pct = []
    for sym in INDICES:
        c = csv(sym)
        pos = cast(int, c.index.get_loc(pd.Timestamp(d)))
        runs_pct.append(f"{(c.iloc[pos] / c.iloc[pos - 5] - 1) * 100:+.2f}%")
    assert runs_pct == ["+4.75%", "+5.74%", "+5.83%", "+4.29%", "+8.47%"]
    s = summary(closes, d, early_closes)
    (watch,) = [sec for sec in summary_sections(s) if sec.key == "streaks"]
    assert watch.lines == (
        "The S&P 500, the Nasdaq 100, the Nasdaq Composite, the Dow and the Russell 2000 have "
        "risen for 5 straight sessions (+4.75%, +5.74%, +5.83%, +4.29% and +8.47% over the run), "
        "in each case the longest winning streak since Oct 2025.",
    )


def test_a_shared_streak_line_names_each_since_when_they_differ(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2023, 11, 7)
    assert streak("^GSPC", None, d) == (1, 7, "Nov 2021")
    assert streak("^DJI", None, d) == (1, 7, "Jul 2023")
    assert [streak(x, None, d)[:2] for x in ("^NDX", "^IXIC", "^RUT")] != [(1, 7)] * 3
    s = summary(closes, d, early_closes)
    (watch,) = [sec for sec in summary_sections(s) if sec.key == "streaks"]
    shared = [line for line in watch.lines if line.startswith("The S&P 500 and the Dow")]
    assert shared == [
        "The S&P 500 and the Dow have risen for 7 straight sessions (+6.34% and +5.35% over the "
        "run), the longest winning streak since Nov 2021 for the S&P 500; since Jul 2023 for the "
        "Dow."
    ]
    assert streak_lines([n for n in s.notable_streaks if n.kind == "index"]) == list(watch.lines)


def test_pair_lines_use_the_right_article(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    text = summary_text(summary(closes, date(2026, 1, 16), early_closes))
    assert "the Russell 2000 beat the S&P 500 for an 11th straight session" in text
    assert "a 11th" not in text


def test_oct17_2025_a_mixed_quiet_day_names_the_biggest_move_the_other_way(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    d = date(2025, 10, 17)
    moves = {s: move(s, d) for s in INDICES}
    assert all(record_rank(s, d) is None for s in INDICES)
    assert moves["^GSPC"] > 0 and min(moves, key=lambda s: moves[s]) == "^RUT"
    assert (round(moves["^GSPC"] * 100, 2), round(moves["^RUT"] * 100, 2)) == (0.53, -0.60)
    s = summary(closes, d, early_closes)
    assert s.lead.kind == "quiet"
    assert lead_sentence(s) == (
        "Stocks were mixed: the S&P 500 gained 0.53% to 6,664.01 while the Russell 2000 fell 0.60%."
    )


def test_the_post_offers_what_happened_next_for_its_lead_streak(
    closes: dict[str, pd.Series], early_closes: set[date]
) -> None:
    actions = lead_actions(summary(closes, date(2026, 1, 22), early_closes))
    assert actions is not None
    (button,) = actions["elements"]
    assert (button["action_id"], button["text"]["text"]) == ("streak_next", "What happened next")
    assert button["value"] == button_value(["^RUT", "^GSPC"], date(2026, 1, 22))
    assert lead_actions(summary(closes, date(2025, 12, 31), early_closes)) is None  # a quiet lead
