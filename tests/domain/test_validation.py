"""One validation for price files: CSV folders (refused with one line) and the bundled data.

The calendar is the real XNYS one; files are hand-written so every message is exact.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import MakeServices
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import BundledSource, CsvDirSource, DataSourceError, read_price_file
from bot.cli import main
from bot.domain.validation import PRICE_INDICES, check_bars, parse_price_file
from bot.store.prices import PriceStore

# Mon Dec 15 .. Fri Dec 19, 2025: line 2 .. line 6.
GOOD_ROWS = [
    ("2025-12-15", "6816.51"),
    ("2025-12-16", "6800.26"),
    ("2025-12-17", "6721.43"),
    ("2025-12-18", "6774.76"),
    ("2025-12-19", "6834.50"),
]


def csv_text(rows: Sequence[tuple[str, ...]], header: str = "date,close") -> str:
    return header + "\n" + "".join(",".join(r) + "\n" for r in rows)


def with_row(line: int, row: tuple[str, ...]) -> str:
    """GOOD_ROWS with the row at file line ``line`` (2 = first data row) replaced."""
    rows: list[tuple[str, ...]] = list(GOOD_ROWS)
    rows[line - 2] = row
    return csv_text(rows)


def gz(text: str) -> bytes:
    return gzip.compress(text.encode())


GOOD = csv_text(list(GOOD_ROWS))
RUT_GOOD = csv_text([(d, str(2500 + i)) for i, (d, _) in enumerate(GOOD_ROWS)])

# (files in the folder besides a good RUT.csv, the one line the folder is refused with)
CORRUPT: dict[str, tuple[dict[str, str | bytes], str]] = {
    "negative close": ({"GSPC.csv": with_row(4, ("2025-12-17", "-5.0"))},
                       "GSPC.csv line 4: close -5.0 is not positive"),
    "zero close": ({"GSPC.csv": with_row(3, ("2025-12-16", "0"))},
                   "GSPC.csv line 3: close 0 is not positive"),
    "empty close": ({"GSPC.csv": with_row(5, ("2025-12-18", ""))},
                    "GSPC.csv line 5: close is empty"),
    "thousands separator": ({"GSPC.csv": with_row(4, ("2025-12-17", "6,721.43"))},
                          "GSPC.csv line 4: 3 fields where the header has 2"),
    "text close": ({"GSPC.csv": with_row(4, ("2025-12-17", "n/a"))},
                   "GSPC.csv line 4: close 'n/a' is not a number"),
    "nan close": ({"GSPC.csv": with_row(6, ("2025-12-19", "nan"))},
                  "GSPC.csv line 6: close 'nan' is not a number"),
    "US date": ({"GSPC.csv": with_row(2, ("12/15/2025", "6816.51"))},
                "GSPC.csv line 2: date '12/15/2025' is not an ISO date (YYYY-MM-DD)"),
    "impossible date": ({"GSPC.csv": with_row(6, ("2025-02-30", "6834.50"))},
                        "GSPC.csv line 6: date '2025-02-30' is not an ISO date (YYYY-MM-DD)"),
    "Saturday": ({"GSPC.csv": csv_text([*GOOD_ROWS, ("2025-12-20", "6840.00")])},
                 "GSPC.csv line 7: 2025-12-20 is a Saturday, not an NYSE session"),
    "Christmas": ({"GSPC.csv": csv_text([*GOOD_ROWS, ("2025-12-25", "6840.00")])},
                  "GSPC.csv line 7: 2025-12-25 is not an NYSE session (the exchange was closed)"),
    "beyond the calendar": (
        {"GSPC.csv": csv_text([*GOOD_ROWS, ("2099-01-02", "6840.00")])},
        "GSPC.csv line 7: 2099-01-02 is after the NYSE calendar (known to 2027-12-31)",
    ),
    "duplicate date": ({"GSPC.csv": with_row(5, ("2025-12-17", "1.0"))},
                       "GSPC.csv line 5: date 2025-12-17 repeats line 4 (closes 6721.43 and 1)"),
    "unsorted": (
        {"GSPC.csv": csv_text([GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[1], *GOOD_ROWS[3:]])},
        "GSPC.csv line 4: date 2025-12-16 comes after 2025-12-17 (line 3): dates must be ascending",
    ),
    "10x print": (
        {"GSPC.csv": with_row(5, ("2025-12-18", "67747.6"))},
        "GSPC.csv line 5: close 67747.6 is a +907.93% move from 6721.43 on 2025-12-17: an index "
        "session move beyond ±25% is implausible (and 1 more problem)",
    ),
    "no close column": ({"GSPC.csv": "date,price\n2025-12-15,6816.51\n"},
                        "GSPC.csv line 1: no close column (the header is 'date,price'; "
                        "a price CSV needs at least date and close)"),
    "no header": ({"GSPC.csv": "2025-12-15,6816.51\n"},
                  "GSPC.csv line 1: no date or close column (the header is '2025-12-15,6816.51'; "
                  "a price CSV needs at least date and close)"),
    "bad open": ({"GSPC.csv": "date,open,close\n2025-12-15,x,6816.51\n"},
                 "GSPC.csv line 2: open 'x' is not a number"),
    "empty file": ({"GSPC.csv": ""}, "GSPC.csv: the file is empty"),
    "header only": ({"GSPC.csv": "date,close\n"}, "GSPC.csv: no price rows under the header"),
    "latin-1": ({"GSPC.csv": "date,close,note\n2025-12-15,6816.51,caf\xe9\n".encode("latin-1")},
                "GSPC.csv: not UTF-8 text (byte 38: invalid continuation byte)"),
    "not gzip": ({"GSPC.csv.gz": GOOD.encode()},
                 "GSPC.csv.gz: not a valid gzip file (Not a gzipped file (b'da'))"),
    "truncated gzip": ({"GSPC.csv.gz": gz(GOOD)[:-12]},
                       "GSPC.csv.gz: not a valid gzip file (Compressed file ended before the "
                       "end-of-stream marker was reached)"),
    "corrupt gzip": ({"GSPC.csv.gz": gz(GOOD)[:12] + b"\xff" * 40 + gz(GOOD)[52:]},
                     "GSPC.csv.gz: not a valid gzip file (Error -3 while decompressing data: "
                     "invalid code lengths set)"),
    "two files, one symbol": ({"GSPC.csv": GOOD, "GSPC.csv.gz": gz(GOOD)},
                              "GSPC.csv.gz: GSPC.csv and GSPC.csv.gz are both ^GSPC: keep one"),
}


def write_folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "prices"
    folder.mkdir()
    (folder / "RUT.csv").write_text(RUT_GOOD)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return folder


@pytest.mark.parametrize(("files", "line"), list(CORRUPT.values()), ids=list(CORRUPT))
def test_corrupt_folder_refused_with_one_line(
    tmp_path: Path, calendar: NyseCalendar, files: dict[str, str | bytes], line: str
) -> None:
    folder = write_folder(tmp_path, files)
    with pytest.raises(DataSourceError) as err:
        CsvDirSource(folder, calendar)
    assert str(err.value) == f"data folder {folder} refused: {line}"


@pytest.mark.parametrize("case", ["negative close", "corrupt gzip", "latin-1", "no header"])
def test_cli_refuses_a_bad_folder_in_one_line_exit_1(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    calendar: NyseCalendar,
    make_services: MakeServices,
    case: str,
) -> None:
    files, line = CORRUPT[case]
    folder = write_folder(tmp_path, files)
    svc = make_services(tmp_path, calendar)
    rc = main(["--data-dir", str(folder), "streak", "RUT", "SPX"], services=svc)
    out, err = capsys.readouterr()
    assert rc == 1
    assert out == ""
    assert err == f"streakbot: data folder {folder} refused: {line}\n"
    assert PriceStore(svc.engine).is_empty()


def test_good_folder_reads_with_the_calendar(tmp_path: Path, calendar: NyseCalendar) -> None:
    folder = write_folder(tmp_path, {"GSPC.csv": GOOD, "IWM.csv.gz": gz(GOOD)})
    src = CsvDirSource(folder, calendar)
    assert src.symbols() == ["IWM", "^GSPC", "^RUT"]
    bars = src.bars(["^GSPC", "IWM"], start=date(2025, 12, 18))
    assert bars["^GSPC"]["close"].tolist() == [6774.76, 6834.50]
    assert bars["IWM"].index.tolist() == [pd.Timestamp("2025-12-18"), pd.Timestamp("2025-12-19")]


def test_problem_carries_file_line_kind_date_and_value(calendar: NyseCalendar) -> None:
    data = with_row(4, ("2025-12-17", "-5.0")).encode()
    _, report = read_price_file(data, "GSPC.csv", "^GSPC", calendar)
    (p,) = report.problems
    assert (p.symbol, p.kind, p.file, p.line, p.value) == ("^GSPC", "bad close", "GSPC.csv", 4, -5.0)
    frame, lines, parsed = parse_price_file(
        csv_text([*GOOD_ROWS, ("2025-12-20", "1")]).encode(), "GSPC.csv", "^GSPC"
    )
    assert parsed.ok  # parsing alone does not know the calendar
    assert lines == [2, 3, 4, 5, 6, 7]
    checked = check_bars("^GSPC", frame, calendar, lines=lines, file="GSPC.csv")
    (sat,) = checked.problems
    assert (sat.kind, sat.day, sat.line) == ("not a session", date(2025, 12, 20), 7)


def test_all_problems_counted_the_first_named(tmp_path: Path, calendar: NyseCalendar) -> None:
    rows = [(d, "-1") for d, _ in GOOD_ROWS]
    folder = write_folder(tmp_path, {"GSPC.csv": csv_text(rows)})
    with pytest.raises(DataSourceError, match=r"GSPC.csv line 2: close -1 is not positive "
                                              r"\(and 4 more problems\)$"):
        CsvDirSource(folder, calendar)


# --------------------------------------------------------------------------- plausibility
def test_real_crash_day_is_within_the_index_rule(calendar: NyseCalendar) -> None:
    # S&P 500 closes, Oct 16 and Oct 19, 1987: -20.47% in one session.
    text = csv_text([("1987-10-15", "298.08"), ("1987-10-16", "282.70"), ("1987-10-19", "224.84")])
    frame, report = read_price_file(text.encode(), "GSPC.csv", "^GSPC", calendar)
    assert report.ok and report.flags == []
    assert frame["close"].iloc[-1] / frame["close"].iloc[-2] - 1 == pytest.approx(-0.2047, abs=1e-4)


def test_vix_and_etf_moves_are_flagged_not_refused(tmp_path: Path, calendar: NyseCalendar) -> None:
    # ^VIX closes, Feb 1, 2 and 5, 2018 (+28.51%, +115.60%): a volatility level, not a price.
    vix = csv_text([("2018-02-01", "13.47"), ("2018-02-02", "17.31"), ("2018-02-05", "37.32")])
    _, report = read_price_file(vix.encode(), "VIX.csv", "^VIX", calendar)
    assert report.ok
    assert [str(f) for f in report.flags] == [
        "VIX.csv line 3: close 17.31 is a +28.51% move from 13.47 on 2018-02-01 "
        "(beyond ±25%: flagged, accepted)",
        "VIX.csv line 4: close 37.32 is a +115.60% move from 17.31 on 2018-02-02 "
        "(beyond ±25%: flagged, accepted)"
    ]
    iwm = csv_text([("2025-12-15", "250"), ("2025-12-16", "320")])
    folder = write_folder(tmp_path, {"IWM.csv": iwm})
    assert CsvDirSource(folder, calendar).bars(["IWM"])["IWM"]["close"].tolist() == [250.0, 320.0]
    assert {"^GSPC", "^RUT", "^DJI", "^IXIC", "^NDX"} == PRICE_INDICES


# --------------------------------------------------------------------------- bundled data
def test_every_bundled_file_passes_the_full_validation(calendar: NyseCalendar) -> None:
    src = BundledSource()
    files = src._files()
    assert {"^GSPC", "^RUT", "^IXIC", "^DJI", "SPY", "IWM"} <= set(files)
    for sym, handle in files.items():
        _, report = read_price_file(handle.read_bytes(), handle.name, sym, calendar)
        assert report.ok, report.summary()
        if sym in PRICE_INDICES:
            assert report.flags == [], sym


def test_bundled_sp500_worst_session_is_the_1987_crash() -> None:
    closes = BundledSource().bars(["^GSPC"])["^GSPC"]["close"]
    moves = closes.pct_change().dropna()
    assert moves.idxmin() == pd.Timestamp("1987-10-19")
    assert moves.min() == pytest.approx(-0.2047, abs=1e-4)
    assert moves.abs().max() < 0.25


# --------------------------------------------------------------------------- properties
SESSIONS = pd.bdate_range("2024-01-02", "2024-12-31")


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.integers(0, len(SESSIONS) - 1), min_size=2, max_size=40, unique=True),
    moves=st.lists(st.floats(-0.2, 0.2), min_size=40, max_size=40),
    dup=st.integers(0, 39),
)
def test_sound_series_pass_and_one_duplicate_is_one_problem(
    calendar: NyseCalendar, picks: list[int], moves: list[float], dup: int
) -> None:
    days = pd.DatetimeIndex([SESSIONS[i] for i in sorted(picks)])
    days = days[days.isin(calendar.sessions(date(2024, 1, 2), date(2024, 12, 31)))]
    if len(days) < 2:
        return
    closes = [100.0]
    for m in moves[: len(days) - 1]:
        closes.append(closes[-1] * (1 + m))
    frame = pd.DataFrame({"close": closes}, index=days)
    assert check_bars("^GSPC", frame, calendar).problems == []
    k = dup % len(days)
    doubled = pd.concat([frame.iloc[: k + 1], frame.iloc[k : k + 1], frame.iloc[k + 1 :]])
    lines = list(range(2, len(doubled) + 2))
    (p,) = check_bars("^GSPC", doubled, calendar, lines=lines, file="GSPC.csv").problems
    assert (p.kind, p.line, p.day) == ("duplicate date", k + 3, days[k].date())
