"""The bundled data is the shared data folder, and the rebuild that makes it is deterministic."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from bot.adapters.rebuild_bundled import (
    PACKAGE_DATA,
    bundled_files,
    rebuild,
    shared_csvs,
    shared_data_dir,
)
from bot.adapters.sources import BundledSource

SHARED = shared_data_dir()
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=f"the shared data folder {SHARED} is not here (it sits beside the repository in CI; "
    "set STREAKBOT_SHARED_DATA to point elsewhere)",
)

# Last date of every bundled series (the shared folder's README table).
ENDS = {
    "^GSPC": "2026-09-17", "^RUT": "2026-09-17", "^DJI": "2026-08-21", "^IXIC": "2026-08-21",
    "^NDX": "2026-07-10", "^VIX": "2026-08-20",
    **{s: "2026-08-21" for s in ("SPY", "QQQ", "IWM", "XLE", "XLF", "XLI", "XLK", "XLP", "XLU",
                                 "XLV", "XLY")},
    **{s: "2026-07-01" for s in ("RSP", "XLB", "XLC", "XLRE")},
}


def _read_plain(path: Path) -> pd.DataFrame:
    return pd.read_csv(path)


def _read_gzip(path: Path) -> pd.DataFrame:
    with gzip.open(path) as fh:
        return pd.read_csv(fh)


@needs_shared
def test_bundled_files_are_the_shared_files() -> None:
    shared, bundled = shared_csvs(SHARED), bundled_files(PACKAGE_DATA)
    assert sorted(bundled) == sorted(shared)
    for rel, src in shared.items():
        want, got = _read_plain(src), _read_gzip(bundled[rel])
        assert list(got.columns) == ["date", "open", "high", "low", "close", "volume"], rel
        # Every date and every value (NaN where the shared cell is empty).
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=rel)


def test_bundled_symbols_and_where_they_end() -> None:
    src = BundledSource()
    assert set(src.symbols()) == set(ENDS)
    for sym, frame in src.bars(src.symbols()).items():
        assert frame.index[-1] == pd.Timestamp(ENDS[sym]), sym
        assert frame.index.is_unique and frame.index.is_monotonic_increasing, sym
        assert (frame["close"] > 0).all(), sym


def test_bundled_spot_values() -> None:
    """Closes quoted in the shared README (NDX spot checks) and the end of the S&P 500."""
    bars = BundledSource().bars(["^NDX", "^GSPC"])
    ndx = bars["^NDX"]["close"]
    assert ndx[pd.Timestamp("2024-12-31")] == 21012.17
    assert ndx[pd.Timestamp("2021-11-19")] == 16573.34
    assert bars["^GSPC"].index[0] == pd.Timestamp("1927-12-30")
    assert len(bars["^GSPC"]) == 24_795


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_rebuild_is_deterministic_and_removes_stale_files(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    _write(shared / "GSPC.csv", "date,open,high,low,close,volume\n2026-01-02,1,2,0.5,1.5,\n")
    _write(shared / "etf_adjusted" / "SPY.csv", "date,open,high,low,close,volume\n2026-01-02,1,1,1,1,7\n")
    _write(shared / "README.md", "not data\n")
    out1, out2 = tmp_path / "b1", tmp_path / "b2"
    _write(out1 / "OLD.csv.gz", "stale")

    changes = rebuild(shared, out1)
    assert sorted(changes) == [
        "removed OLD.csv.gz", "wrote GSPC.csv.gz", "wrote MANIFEST.json", "wrote etf_adjusted/SPY.csv.gz",
    ]
    assert json.loads((out1 / "MANIFEST.json").read_text()) == {
        "^GSPC": {"file": "GSPC.csv.gz", "first": "2026-01-02", "last": "2026-01-02", "rows": 1},
        "SPY": {"file": "etf_adjusted/SPY.csv.gz", "first": "2026-01-02", "last": "2026-01-02", "rows": 1},
    }
    rebuild(shared, out2)
    files1 = {p.relative_to(out1): p.read_bytes() for p in out1.rglob("*.gz")}
    files2 = {p.relative_to(out2): p.read_bytes() for p in out2.rglob("*.gz")}
    assert files1 == files2
    assert (out1 / "MANIFEST.json").read_bytes() == (out2 / "MANIFEST.json").read_bytes()
    assert sorted(str(p) for p in files1) == ["GSPC.csv.gz", "etf_adjusted/SPY.csv.gz"]
    assert gzip.decompress(files1[Path("GSPC.csv.gz")]) == (shared / "GSPC.csv").read_bytes()
    assert rebuild(shared, out1) == []  # nothing left to change


def test_rebuild_of_an_empty_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no CSV files"):
        rebuild(tmp_path, tmp_path / "out")
