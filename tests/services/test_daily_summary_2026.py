"""The daily summary in 2026, where the bundled series end on different days.

Equal vs cap weight (RSP vs SPY) and the sectors are in the post when their data reaches
the session; when it stops before, the post says so instead of showing stale figures.
Expected figures are recomputed with plain pandas from the bundled CSVs, and pinned.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import pandas as pd
import pytest

import bot
from bot.adapters.sources import BundledSource
from bot.render.daily import note_lines, summary_text
from bot.services.summary import DailySummary, build_summary

BUNDLED = Path(bot.__file__).parent / "data" / "bundled"
SECTORS = ("XLK", "XLF", "XLE", "XLV", "XLY", "XLP", "XLI", "XLB", "XLU", "XLRE", "XLC")
JUN30 = date(2026, 6, 30)  # every series reaches it
AUG21 = date(2026, 8, 21)  # ^NDX ended Jul 10; RSP, XLB, XLC, XLRE ended Jul 1
SEP17 = date(2026, 9, 17)  # the last session: only the S&P 500 and the Russell 2000


@pytest.fixture(scope="module")
def closes() -> dict[str, pd.Series]:
    src = BundledSource()
    return {sym: df["close"] for sym, df in src.bars(src.symbols()).items()}


def csv(sym: str) -> pd.Series:
    stem = sym.lstrip("^")
    path = BUNDLED / f"{stem}.csv.gz"
    if not path.exists():
        path = BUNDLED / "etf_adjusted" / f"{stem}.csv.gz"
    return pd.read_csv(path, parse_dates=["date"], index_col="date")["close"].astype(float)


def day_return(sym: str, d: date) -> float:
    c = csv(sym)
    pos = cast(int, c.index.get_loc(pd.Timestamp(d)))  # the index is unique: one position
    return float(c.iloc[pos] / c.iloc[pos - 1] - 1)


def summary(closes: dict[str, pd.Series], d: date) -> DailySummary:
    return build_summary(closes, d, source="Yahoo Finance")


def test_jun30_has_every_part(closes: dict[str, pd.Series]) -> None:
    s = summary(closes, JUN30)
    assert [m.symbol for m in s.moves] == ["^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT"]
    assert [(p.key, p.a, p.b) for p in s.pairs] == [
        ("small_large", "^RUT", "^GSPC"),
        ("equal_cap", "RSP", "SPY"),
        ("tech_broad", "^NDX", "^GSPC"),
    ]
    eq = s.pair("equal_cap")
    assert eq is not None and eq.return_a is not None and eq.return_b is not None
    assert (eq.return_a, eq.return_b) == pytest.approx((day_return("RSP", JUN30), day_return("SPY", JUN30)))
    assert (round(eq.return_a, 4), round(eq.return_b, 4)) == (-0.0013, 0.0078)
    assert eq.winner == "SPY" and eq.streak.length == 2  # Jun 29 and Jun 30

    assert s.sectors is not None
    plain = {sym: day_return(sym, JUN30) for sym in SECTORS}
    assert [m.symbol for m in s.sectors.ranked] == sorted(SECTORS, key=lambda x: -plain[x])
    assert [m.symbol for m in s.sectors.leaders] == ["XLK", "XLI", "XLB"]
    assert [m.symbol for m in s.sectors.laggards] == ["XLRE", "XLP", "XLU"]
    assert s.notes == ()

    text = summary_text(s)
    assert (
        "Equal vs cap weight: SPY beat RSP for a 2nd straight session "
        "(+0.78% vs -0.13% today, +2.44% vs +1.17% over the run)."
    ) in text
    assert "Sectors: Technology (XLK) +2.76%, Industrials (XLI) +1.35% and Materials (XLB)" in text
    assert "(11 sector ETFs, dividend-adjusted)" in text
    assert "Left out" not in text


def test_jun30_records(closes: dict[str, pd.Series]) -> None:
    s = summary(closes, JUN30)
    expected = []
    for sym in ("^GSPC", "^NDX", "^IXIC", "^DJI", "^RUT"):
        c = csv(sym)[: pd.Timestamp(JUN30)]
        recs = c[c > c.cummax().shift(1)]
        if recs.index[-1] == pd.Timestamp(JUN30):
            expected.append((sym, int((cast(pd.DatetimeIndex, recs.index).year == 2026).sum())))
    assert [(r.symbol, r.nth_of_year) for r in s.records] == expected == [("^DJI", 19), ("^RUT", 25)]


def test_aug21_says_what_stopped(closes: dict[str, pd.Series]) -> None:
    s = summary(closes, AUG21)
    assert [m.symbol for m in s.moves] == ["^GSPC", "^IXIC", "^DJI", "^RUT"]
    # No equal vs cap weight; the Nasdaq Composite stands in for the Nasdaq 100.
    assert [(p.key, p.a, p.b) for p in s.pairs] == [
        ("small_large", "^RUT", "^GSPC"),
        ("tech_broad", "^IXIC", "^GSPC"),
    ]
    assert s.sectors is not None
    reaching = [sym for sym in SECTORS if sym not in ("XLB", "XLRE", "XLC")]
    plain = {sym: day_return(sym, AUG21) for sym in reaching}
    assert [m.symbol for m in s.sectors.ranked] == sorted(reaching, key=lambda x: -plain[x])
    assert note_lines(s) == (
        "Nasdaq 100: no close for Aug 21, 2026 (latest Jul 10, 2026).",
        "Equal vs cap weight: no Invesco S&P 500 Equal Weight ETF (RSP) close for Aug 21, 2026 "
        "(latest Jul 1, 2026).",
        "Sectors not ranked for Aug 21, 2026: XLB, XLRE, XLC (data ends Jul 1, 2026).",
    )
    text = summary_text(s)
    assert "(8 sector ETFs, dividend-adjusted)" in text
    assert "Equal vs cap weight:" not in text.split("Left out:")[0]
    assert "Left out: Nasdaq 100: no close for Aug 21, 2026" in text


def test_sep17_has_no_stale_etf_figures(closes: dict[str, pd.Series]) -> None:
    s = summary(closes, SEP17)
    assert [m.symbol for m in s.moves] == ["^GSPC", "^RUT"]
    assert [p.key for p in s.pairs] == ["small_large"]
    assert s.sectors is None
    assert "Sector ETFs: no data for Sep 17, 2026 (latest Aug 21, 2026)." in note_lines(s)
    assert any(n.startswith("Equal vs cap weight: no Invesco") for n in note_lines(s))
    sl = s.pair("small_large")
    assert sl is not None and sl.winner == "^GSPC"
    assert (round(sl.return_b or 0, 4), round(sl.return_a or 0, 4)) == (0.0114, 0.0055)
    assert day_return("^GSPC", SEP17) > day_return("^RUT", SEP17)
    text = summary_text(s)
    assert "Sectors:" not in text and "Equal vs cap weight: SPY" not in text
