"""Daily leadership summary on the real bundled data, checked against plain pandas.

Every expected figure is recomputed here straight from the bundled CSVs (``pd.read_csv``,
``shift``, ``cummax``), without the analytics package, and the key facts are also
pinned as literals (read off the data once) so a bug shared by both sides still shows.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pytest

import bot
from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource
from bot.render.blockkit import (
    MAX_BLOCKS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    clamp_blocks,
    clamp_text,
    slack_len,
)
from bot.render.charts import relative_chart_png, ytd_chart_png
from bot.render.daily import note_lines, summary_blocks, summary_text
from bot.services.summary import DailySummary, build_summary

DEC31 = date(2025, 12, 31)
DEC24 = date(2025, 12, 24)  # S&P 500 and Dow record closes
JUL10 = date(2025, 7, 10)  # sector ETFs still in the data
INDICES = ("^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT")
SECTORS = ("XLK", "XLF", "XLE", "XLV", "XLY", "XLP", "XLI", "XLB", "XLU", "XLRE", "XLC")
BUNDLED = Path(bot.__file__).parent / "data" / "bundled"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SOURCE = "Yahoo Finance (S&P Dow Jones Indices, FTSE Russell, Nasdaq; ETF closes dividend-adjusted)"


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def closes() -> dict[str, pd.Series]:
    """What the bot passes in: close columns from the bundled source."""
    src = BundledSource()
    bars = src.bars(src.symbols())
    return {sym: df["close"] for sym, df in bars.items()}


def _csv(sym: str) -> pd.Series:
    stem = sym.lstrip("^")
    path = BUNDLED / f"{stem}.csv.gz"
    if not path.exists():
        path = BUNDLED / "etf_adjusted" / f"{stem}.csv.gz"
    df = pd.read_csv(path, parse_dates=["date"], index_col="date")
    return df["close"].astype(float)


@pytest.fixture(scope="module")
def csv() -> dict[str, pd.Series]:
    """The same data read independently, straight from the CSV files."""
    return {s: _csv(s) for s in (*INDICES, "SPY", "RSP", "IWM", *SECTORS)}


@pytest.fixture(scope="module")
def sessions_2025() -> pd.DatetimeIndex:
    """NYSE sessions of 2025 (a small calendar: quick to build)."""
    return NyseCalendar("2025-01-01", "2026-03-31").sessions("2025-01-02", "2025-12-31")


@pytest.fixture(scope="module")
def dec31(closes: dict[str, pd.Series]) -> DailySummary:
    return build_summary(closes, DEC31, source=SOURCE)


@pytest.fixture(scope="module")
def dec24(closes: dict[str, pd.Series]) -> DailySummary:
    return build_summary(closes, DEC24, source=SOURCE)


# --------------------------------------------------------------------------- plain pandas
def day_return(c: pd.Series, d: date) -> float:
    ts = pd.Timestamp(d)
    pos = cast(int, c.index.get_loc(ts))  # the index is unique: one position
    return float(c.iloc[pos] / c.iloc[pos - 1] - 1)


def plain_runs(a: pd.Series, b: pd.Series | None) -> pd.DataFrame:
    """Runs of the comparison sign (A vs B, or A vs 0), one row per run."""
    if b is None:
        r = a / a.shift(1) - 1
        sign = np.sign(r)
    else:
        both = pd.concat([a, b], axis=1, join="inner")
        rets = both / both.shift(1) - 1
        sign = np.sign(rets.iloc[:, 0] - rets.iloc[:, 1])
    sign = sign.fillna(0).astype(int)
    block = (sign != sign.shift()).cumsum()
    runs = (
        pd.DataFrame({"sign": sign, "date": sign.index, "block": block})
        .groupby("block")
        .agg(
            sign=("sign", "first"),
            start=("date", "first"),
            end=("date", "last"),
            length=("date", "size"),
        )
    )
    return runs[runs["sign"] != 0].reset_index(drop=True)


def plain_streak(
    a: pd.Series, b: pd.Series | None, d: date
) -> tuple[int, int, pd.Timestamp, pd.Series | None]:
    """(sign, length, start, longest_since row) of the streak in progress on ``d``."""
    end = pd.Timestamp(d)
    runs = plain_runs(a[a.index <= end], None if b is None else b[b.index <= end])
    cur = runs.iloc[-1]
    assert cur["end"] == end
    earlier = runs.iloc[:-1]
    since = earlier[(earlier["sign"] == cur["sign"]) & (earlier["length"] >= cur["length"])]
    return (
        int(cur["sign"]),
        int(cur["length"]),
        cur["start"],
        (since.iloc[-1] if len(since) else None),
    )


def plain_ytd(c: pd.Series, d: date) -> float:
    ts = pd.Timestamp(d)
    base = c[cast(pd.DatetimeIndex, c.index).year < ts.year].iloc[-1]
    return float(c.loc[ts] / base - 1)


def plain_records(c: pd.Series, d: date) -> pd.Series:
    """Record closes up to ``d``: strictly above every earlier close."""
    c = c[c.index <= pd.Timestamp(d)]
    prior_max = c.cummax().shift(1)
    return c[c > prior_max]


# --------------------------------------------------------------------------- data sanity
def test_the_indices_share_every_session_in_2024_2025(csv: Mapping[str, pd.Series]) -> None:
    # The plain-pandas inner joins below compare on consecutive rows; that is only the
    # same as the session grid if no series misses a session the others have.
    idx = [
        csv[s].index[
            (cast(pd.DatetimeIndex, csv[s].index).year >= 2024)
            & (cast(pd.DatetimeIndex, csv[s].index).year <= 2025)
        ]
        for s in (*INDICES, "SPY", "RSP", *SECTORS)
    ]
    for other in idx[1:]:
        assert other.equals(idx[0])


# --------------------------------------------------------------------------- Dec 31, 2025
def test_moves_dec31(dec31: DailySummary, csv: Mapping[str, pd.Series]) -> None:
    assert [m.symbol for m in dec31.moves] == ["^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT"]
    for m in dec31.moves:
        assert m.change is not None
        assert round(m.change, 4) == round(day_return(csv[m.symbol], DEC31), 4)
        assert m.close == csv[m.symbol].loc["2025-12-31"]
        assert m.previous_session == pd.Timestamp("2025-12-30")
    spx = dec31.move("^GSPC")
    assert spx is not None and spx.change is not None
    assert (round(spx.change, 4), spx.close) == (-0.0074, 6845.50)


def test_pairs_dec31(dec31: DailySummary, csv: Mapping[str, pd.Series]) -> None:
    assert [(p.key, p.label, p.a, p.b) for p in dec31.pairs] == [
        ("small_large", "Small vs large", "^RUT", "^GSPC"),
        ("equal_cap", "Equal vs cap weight", "RSP", "SPY"),
        ("tech_broad", "Tech vs broad", "^NDX", "^GSPC"),
    ]
    for p in dec31.pairs:
        ra, rb = day_return(csv[p.a], DEC31), day_return(csv[p.b], DEC31)
        assert p.return_a is not None and p.return_b is not None
        assert (round(p.return_a, 4), round(p.return_b, 4)) == (round(ra, 4), round(rb, 4))
        assert p.winner == (p.a if ra > rb else p.b)
        sign, length, start, since = plain_streak(csv[p.a], csv[p.b], DEC31)
        cur = p.streak.current
        assert cur is not None
        assert (cur.sign, cur.length, cur.start, cur.end) == (
            sign,
            length,
            start,
            pd.Timestamp(DEC31),
        )
        assert since is not None and p.streak.longest_since is not None
        ls = p.streak.longest_since
        assert (ls.start, ls.end, ls.length) == (since["start"], since["end"], since["length"])

    sl, eq, tech = dec31.pairs
    # Pinned facts: the S&P 500 beat the Russell 2000 six sessions running from Dec 23,
    # the longest such run since Jul 24 - Aug 1, 2025 (7 sessions).
    assert sl.winner == "^GSPC" and sl.streak.leader == "^GSPC"
    assert sl.streak.current is not None and sl.streak.longest_since is not None
    assert (sl.streak.length, sl.streak.current.start) == (6, pd.Timestamp("2025-12-23"))
    assert (
        sl.streak.longest_since.start,
        sl.streak.longest_since.end,
        sl.streak.longest_since.length,
    ) == (
        pd.Timestamp("2025-07-24"),
        pd.Timestamp("2025-08-01"),
        7,
    )
    assert (round(sl.return_a or 0, 4), round(sl.return_b or 0, 4)) == (-0.0075, -0.0074)
    # SPY beat RSP on Dec 30 and 31 (-0.74% vs -0.85% on the day).
    assert eq.winner == "SPY" and (eq.streak.leader, eq.streak.length) == ("SPY", 2)
    assert (round(eq.return_a or 0, 4), round(eq.return_b or 0, 4)) == (-0.0085, -0.0074)
    assert tech.streak.leader == "^GSPC" and tech.streak.length == 5
    assert tech.streak.longest_since is not None
    assert (tech.streak.longest_since.end, tech.streak.longest_since.length) == (
        pd.Timestamp("2025-02-25"),
        6,
    )


def test_notable_streaks_dec31(dec31: DailySummary, csv: Mapping[str, pd.Series]) -> None:
    expected: list[str] = []
    session = pd.Timestamp(DEC31)
    cands: list[tuple[str | None, str, str | None]] = [
        ("Small vs large", "^RUT", "^GSPC"),
        ("Equal vs cap weight", "RSP", "SPY"),
        ("Tech vs broad", "^NDX", "^GSPC"),
    ]
    cands += [(None, s, None) for s in INDICES]
    for label, a, b in cands:
        _, length, _, since = plain_streak(csv[a], None if b is None else csv[b], DEC31)
        old = since is None or (session - since["end"]).days > 365
        if length >= 5 or (length >= 2 and old):
            expected.append(label or a)
    got = [n.label if n.kind == "pair" else n.streak.a for n in dec31.notable_streaks]
    assert got == expected == ["Small vs large", "Tech vs broad"]


def test_ytd_dec31(dec31: DailySummary, csv: Mapping[str, pd.Series]) -> None:
    plain = {s: plain_ytd(csv[s], DEC31) for s in INDICES}
    ranking = sorted(plain, key=lambda s: -plain[s])
    assert [e.symbol for e in dec31.ytd] == ranking == ["^IXIC", "^NDX", "^GSPC", "^DJI", "^RUT"]
    for e in dec31.ytd:
        assert round(e.ytd_return, 4) == round(plain[e.symbol], 4)
        assert e.base_date == pd.Timestamp("2024-12-31")
    assert [round(e.ytd_return, 4) for e in dec31.ytd] == [0.2036, 0.2017, 0.1639, 0.1297, 0.1129]

    # Sessions of 2025 with the Russell 2000's YTD return above the S&P 500's.
    rut, spx = csv["^RUT"], csv["^GSPC"]
    rut_year = cast(pd.DatetimeIndex, rut.index).year
    spx_year = cast(pd.DatetimeIndex, spx.index).year
    y_rut = rut[rut_year == 2025] / rut[rut_year < 2025].iloc[-1] - 1
    y_spx = spx[spx_year == 2025] / spx[spx_year < 2025].iloc[-1] - 1
    both = pd.concat([y_rut, y_spx], axis=1, join="inner")
    lead = dec31.ytd_small_large
    assert lead is not None
    assert (lead.sessions_a_ahead, lead.sessions) == (
        int((both.iloc[:, 0] > both.iloc[:, 1]).sum()),
        len(both),
    )
    assert (lead.sessions_a_ahead, lead.sessions) == (14, 250)


def test_no_records_and_nothing_left_out_dec31(
    dec31: DailySummary, csv: Mapping[str, pd.Series]
) -> None:
    assert dec31.records == ()
    for s in INDICES:
        assert pd.Timestamp(DEC31) not in plain_records(csv[s], DEC31).index
    assert dec31.sectors is not None
    plain = {sym: day_return(csv[sym], DEC31) for sym in SECTORS}
    assert [m.symbol for m in dec31.sectors.ranked] == sorted(SECTORS, key=lambda x: -plain[x])
    assert [m.symbol for m in dec31.sectors.leaders] == ["XLC", "XLE", "XLV"]
    assert [m.symbol for m in dec31.sectors.laggards] == ["XLK", "XLRE", "XLI"]
    assert dec31.notes == ()
    assert dec31.source == SOURCE


def test_text_dec31(dec31: DailySummary, csv: Mapping[str, pd.Series]) -> None:
    text = summary_text(dec31)
    spx = csv["^GSPC"]
    pct = f"{day_return(spx, DEC31) * 100:+.2f}%"
    assert text.startswith(
        f"Stocks fell: the S&P 500 lost {pct[1:]} to 6,845.50.\n"
        f"Closes on Wed, Dec 31, 2025: the S&P 500 {pct} to 6,845.50,"
    )
    assert "the Nasdaq 100 -0.84% to 25,249.85, the Nasdaq Composite -0.76% to 23,241.99, " in text
    assert "the Dow -0.63% to 48,063.29 and the Russell 2000 -0.75% to 2,481.91." in text
    assert (
        "Small vs large: the S&P 500 beat the Russell 2000 for a 6th straight session "
        "(-0.74% vs -0.75% today, -0.48% vs -3.00% over the run), "
        "the longest run since Aug 2025 (7 sessions)."
    ) in text
    assert (
        "Equal vs cap weight: SPY beat RSP for a 2nd straight session "
        "(-0.74% vs -0.85% today, -0.86% vs -1.01% over the run)."
    ) in text
    assert (
        "Tech vs broad: the S&P 500 beat the Nasdaq 100 for a 5th straight session "
        "(-0.74% vs -0.84% today, -0.93% vs -1.32% over the run), "
        "the longest run since Feb 2025 (6 sessions)."
    ) in text
    assert (
        "Sectors: Communication Services (XLC) -0.48%, Energy (XLE) -0.56% and Health Care "
        "(XLV) -0.57% led; Technology (XLK) -0.99%, Real Estate (XLRE) -0.91% and Industrials "
        "(XLI) -0.83% lagged (11 sector ETFs, dividend-adjusted)."
    ) in text
    assert (
        "Year to date: the Nasdaq Composite leads at +20.36%, then the Nasdaq 100 +20.17%, "
        "the S&P 500 +16.39%, the Dow +12.97% and the Russell 2000 +11.29%."
    ) in text
    assert "The Russell 2000 has been ahead of the S&P 500 on 14 of 250 sessions in 2025." in text
    assert "Left out" not in text
    assert text.endswith(f"As of the Dec 31, 2025 close · index price returns · Source: {SOURCE}")
    assert "Records" not in text


# --------------------------------------------------------------------------- Dec 24, 2025
def test_records_dec24(dec24: DailySummary, csv: Mapping[str, pd.Series]) -> None:
    expected = []
    for s in INDICES:
        recs = plain_records(csv[s], DEC24)
        if recs.index[-1] == pd.Timestamp(DEC24):
            nth = int((cast(pd.DatetimeIndex, recs.index).year == 2025).sum())
            expected.append((s, float(recs.iloc[-1]), nth, recs.index[-2], float(recs.iloc[-2])))
    got = [
        (
            r.symbol,
            r.close,
            r.nth_of_year,
            r.previous.date if r.previous else None,
            r.previous.close if r.previous else None,
        )
        for r in dec24.records
    ]
    assert got == expected
    assert got == [
        ("^GSPC", 6932.05, 39, pd.Timestamp("2025-12-23"), 6909.79),
        ("^DJI", 48731.16, 19, pd.Timestamp("2025-12-11"), 48704.01),
    ]
    dji = dec24.records[1]
    rows = csv["^DJI"].index
    assert (
        dji.sessions_since_previous
        == cast(int, rows.get_loc(pd.Timestamp(DEC24)))
        - cast(int, rows.get_loc(pd.Timestamp("2025-12-11")))
        == 9
    )

    text = summary_text(dec24)
    assert (
        "Records: the S&P 500 closed at a record 6,932.05: its 39th closing record high of 2025; "
        "the previous one was 6,909.79 on Dec 23, 2025, the session before."
    ) in text
    assert (
        "The Dow closed at a record 48,731.16: its 19th closing record high of 2025; "
        "the previous one was 48,704.01 on Dec 11, 2025, 9 sessions earlier."
    ) in text


def test_index_streaks_dec24(dec24: DailySummary, csv: Mapping[str, pd.Series]) -> None:
    # S&P 500, Nasdaq and Dow each rose five sessions running (Dec 18-24): notable.
    got = {n.streak.a: n for n in dec24.notable_streaks if n.kind == "index"}
    for s in INDICES:
        sign, length, start, since = plain_streak(csv[s], None, DEC24)
        if length >= 5:
            n = got[s]
            assert n.long and (n.streak.sign, n.streak.length) == (sign, length)
            assert n.streak.current is not None and n.streak.current.start == start
            assert since is not None and n.streak.longest_since is not None
            assert n.streak.longest_since.end == since["end"]
        else:
            assert s not in got
    assert sorted(got) == ["^DJI", "^GSPC", "^IXIC", "^NDX"]
    # One line for the four indices on the same streak, not one each.
    assert (
        "Streak watch: the S&P 500, the Nasdaq 100, the Nasdaq Composite and the Dow have risen "
        "for 5 straight sessions (+3.13%, +4.09%, +4.05% and +1.77% over the run), in each case "
        "the longest winning streak since Nov 2025."
    ) in summary_text(dec24)


# --------------------------------------------------------------------------- Jul 10, 2025
def test_sectors_jul10(closes: dict[str, pd.Series], csv: Mapping[str, pd.Series]) -> None:
    s = build_summary(closes, JUL10)
    assert s.sectors is not None
    plain = {sym: day_return(csv[sym], JUL10) for sym in SECTORS}
    order = sorted(SECTORS, key=lambda x: -plain[x])
    assert [m.symbol for m in s.sectors.ranked] == order
    assert [m.symbol for m in s.sectors.leaders] == order[:3] == ["XLY", "XLU", "XLE"]
    assert [m.symbol for m in s.sectors.laggards] == order[::-1][:3] == ["XLC", "XLK", "XLP"]
    for m in s.sectors.ranked:
        assert round(m.change, 4) == round(plain[m.symbol], 4)
    assert not any(n.startswith("Sector ETFs") for n in note_lines(s))
    assert [(r.symbol, r.nth_of_year) for r in s.records] == [("^GSPC", 8), ("^IXIC", 6)]
    assert (
        "Sectors: Consumer Discretionary (XLY) +1.11%, Utilities (XLU) +0.82% and Energy (XLE) +0.76% led"
        in (summary_text(s))
    )


def test_iwm_spy_stand_in_without_russell(
    closes: dict[str, pd.Series], csv: Mapping[str, pd.Series]
) -> None:
    no_rut = {k: v for k, v in closes.items() if k != "^RUT"}
    s = build_summary(no_rut, JUL10)
    sl = s.pair("small_large")
    assert sl is not None and (sl.a, sl.b) == ("IWM", "SPY")
    assert sl.return_a is not None
    assert round(sl.return_a, 4) == round(day_return(csv["IWM"], JUL10), 4)
    assert [m.symbol for m in s.moves] == ["^GSPC", "^NDX", "^IXIC", "^DJI"]
    # With ^RUT present, IWM vs SPY is not used.
    full = build_summary(closes, JUL10)
    assert [(p.a, p.b) for p in full.pairs] == [("^RUT", "^GSPC"), ("RSP", "SPY"), ("^NDX", "^GSPC")]


# --------------------------------------------------------------------------- gaps, errors
@pytest.mark.parametrize("with_calendar", [False, True])
def test_missing_previous_session_is_not_bridged(
    closes: dict[str, pd.Series], sessions_2025: pd.DatetimeIndex, with_calendar: bool
) -> None:
    holed = dict(closes)
    holed["^RUT"] = closes["^RUT"].drop(pd.Timestamp("2025-12-30"))
    s = build_summary(holed, DEC31, sessions_2025 if with_calendar else None)
    rut = s.move("^RUT")
    assert rut is not None
    assert rut.change is None and rut.previous_session == pd.Timestamp("2025-12-30")
    assert (
        "Russell 2000: no close for the previous session (Dec 30, 2025), so no day move." in note_lines(s)
    )
    sl = s.pair("small_large")
    assert sl is not None and sl.return_a is None and sl.winner is None
    assert sl.streak.status == "gap" and sl.streak.current is None
    assert "no comparison today" in summary_text(s)
    spx = s.move("^GSPC")
    assert spx is not None and spx.change is not None  # others unaffected


def test_calendar_grid_gives_the_same_summary(
    closes: dict[str, pd.Series], dec31: DailySummary, sessions_2025: pd.DatetimeIndex
) -> None:
    s = build_summary(closes, DEC31, sessions_2025, source=SOURCE)
    assert summary_text(s) == summary_text(dec31)


def test_stale_index_is_left_out_with_a_note(closes: dict[str, pd.Series]) -> None:
    stale = dict(closes)
    stale["^DJI"] = closes["^DJI"][closes["^DJI"].index <= "2025-12-30"]
    s = build_summary(stale, DEC31)
    assert [m.symbol for m in s.moves] == ["^GSPC", "^NDX", "^IXIC", "^RUT"]
    assert (
        "Dow Jones Industrial Average: no close for Dec 31, 2025 (latest Dec 30, 2025)." in note_lines(s)
    )
    assert [e.symbol for e in s.ytd] == ["^IXIC", "^NDX", "^GSPC", "^RUT"]


@pytest.mark.parametrize(
    ("session", "message"),
    [
        (date(2025, 12, 25), "No S&P 500 (^GSPC) close for Dec 25, 2025"),
        (date(2026, 9, 18), "the data ends Sep 17, 2026"),
    ],
)
def test_session_must_be_in_the_sp500_data(
    closes: dict[str, pd.Series], session: date, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build_summary(closes, session)
    with pytest.raises(ValueError, match="No S&P 500"):
        build_summary({k: v for k, v in closes.items() if k != "^GSPC"}, DEC31)


# --------------------------------------------------------------------------- blocks
def test_summary_blocks_structure(dec31: DailySummary, dec24: DailySummary) -> None:
    for s in (dec31, dec24):
        blocks = summary_blocks(s)
        assert 3 <= len(blocks) <= MAX_BLOCKS
        assert blocks[0]["type"] == "header"
        assert blocks[0]["text"]["type"] == "plain_text"
        assert len(blocks[0]["text"]["text"]) <= MAX_HEADER_TEXT
        assert blocks[-1]["type"] == "context"
        for b in blocks[1:-1]:
            assert b["type"] in ("section", "divider")
            if b["type"] == "section":
                assert b["text"]["type"] == "mrkdwn"
                assert 0 < slack_len(b["text"]["text"]) <= MAX_SECTION_TEXT
                assert "S&P" not in b["text"]["text"]  # & escaped for mrkdwn
    blocks = summary_blocks(dec31)
    assert blocks[0]["text"]["text"] == "Market leadership · Wed, Dec 31, 2025"
    assert blocks[1]["text"]["text"].startswith(
        "Stocks fell: the S&amp;P 500 lost 0.74% to 6,845.50.\n"
        "Closes on Wed, Dec 31, 2025: the S&amp;P 500 -0.74%"
    )
    leadership = blocks[2]["text"]["text"]
    assert leadership.startswith(
        "*Leadership*\n• *Small vs large:* the S&amp;P 500 beat the Russell 2000"
    )
    footer = blocks[-1]["elements"]
    assert [e["text"] for e in footer] == [
        "As of the Dec 31, 2025 close · index price returns · Source: Yahoo Finance (S&amp;P Dow "
        "Jones Indices, FTSE Russell, Nasdaq; ETF closes dividend-adjusted)"
    ]
    kinds = [b["type"] for b in summary_blocks(dec24)]
    assert kinds.count("section") == 6  # moves, leadership, streak watch, records, sectors, YTD


def test_clamp_blocks_oversized() -> None:
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "H" * 400}}]
    blocks += [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{i} " + "x" * 5000}}
        for i in range(59)
    ]
    original = [dict(b) for b in blocks]
    out = clamp_blocks(blocks)
    assert len(blocks) == 60 and blocks == original  # input untouched
    assert len(out) == MAX_BLOCKS
    assert slack_len(out[0]["text"]["text"]) <= MAX_HEADER_TEXT
    assert out[0]["text"]["text"].endswith("…")
    for b in out[1:-1]:
        assert b["type"] == "section"
        assert slack_len(b["text"]["text"]) <= MAX_SECTION_TEXT
        assert b["text"]["text"].endswith("…")
    assert out[-1]["type"] == "context"
    assert out[-1]["elements"][0]["text"] == "… 11 more blocks not shown."
    # Already-valid blocks pass through unchanged.
    small = [{"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}]
    assert clamp_blocks(small) == small


def test_clamp_text_is_safe() -> None:
    link = "<https://example.com/a-long-path|a link>"
    cut = clamp_text("a" * 2980 + " " + link, MAX_SECTION_TEXT, mrkdwn=True)
    assert slack_len(cut) <= MAX_SECTION_TEXT and "<" not in cut and cut.endswith("…")
    emoji = "📈" * 2000  # 2 UTF-16 units each
    cut = clamp_text(emoji, MAX_SECTION_TEXT)
    assert slack_len(cut) <= MAX_SECTION_TEXT and set(cut[:-1]) == {"📈"}
    # Empty sections are dropped (Slack rejects them).
    assert clamp_blocks([{"type": "section", "text": {"type": "mrkdwn", "text": " "}}]) == []


# --------------------------------------------------------------------------- charts
def test_charts_are_png_and_thread_safe(closes: dict[str, pd.Series]) -> None:
    results: dict[str, bytes] = {}
    errors: list[BaseException] = []

    def run(key: str) -> None:
        try:
            if key == "ytd":
                results[key] = ytd_chart_png(closes, DEC31)
            else:
                results[key] = relative_chart_png(
                    closes["^RUT"],
                    closes["^GSPC"],
                    "Russell 2000",
                    "S&P 500",
                    date(2025, 12, 23),
                    DEC31,
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in ("ytd", "relative")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    for key in ("ytd", "relative"):
        png = results[key]
        assert png.startswith(PNG_MAGIC)
        assert len(png) > 20_000
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (1200, 675)


def test_chart_errors(closes: dict[str, pd.Series]) -> None:
    with pytest.raises(ValueError, match="year-to-date"):
        ytd_chart_png({"XLK": closes["XLK"]}, DEC31)
    with pytest.raises(ValueError, match="too few sessions"):
        relative_chart_png(closes["^RUT"], closes["^GSPC"], "A", "B", None, date(1987, 9, 10))
