"""The ``streakbot`` command line end to end: bundled data, --data-dir, errors, update."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pytest
from conftest import NOW, FakeFetcher, MakeServices, bars_frame, sqlite_url
from fakeyahoo import FakeYahooSession, synthetic_chart
from isolation import console_script, subprocess_env

from bot.adapters.calendar import NyseCalendar
from bot.adapters.yahoo import YahooSource
from bot.bootstrap import Services, bootstrap
from bot.cli import main
from bot.questions.answer import answer_text
from bot.render.questions import question_message
from bot.settings import Settings
from bot.store.db import make_engine
from bot.store.prices import PriceStore


def run(
    capsys: pytest.CaptureFixture[str], services: Services | None, *argv: str
) -> tuple[int, str, str]:
    code = main(list(argv), services=services)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], services: Services, *argv: str) -> Any:
    code, out, err = run(capsys, services, *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def bundled_closes(stem: str) -> pd.Series:
    """Closes straight from the bundled CSV (independent of the store and the CLI)."""
    path = resources.files("bot") / "data" / "bundled" / f"{stem}.csv.gz"
    with resources.as_file(path) as p:
        df = pd.read_csv(p, compression="gzip", parse_dates=["date"], index_col="date")
    return df["close"]


# --------------------------------------------------------------------------- streaks (bundled)
def test_streak_rut_spx_json(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    got = run_json(capsys, seeded_services, "streak", "RUT", "SPX", "--as-of", "2026-01-22")
    assert got["kind"] == "pair"
    assert got["symbols"] == ["^RUT", "^GSPC"]
    assert got["status"] == "streak"
    assert got["leader"] == "^RUT"
    assert got["laggard"] == "^GSPC"
    assert got["length"] == 14
    assert (got["start"], got["end"], got["as_of"]) == ("2026-01-02", "2026-01-22", "2026-01-22")
    assert got["longest_since"] == {"start": "1996-04-16", "end": "1996-05-07", "length": 16}
    assert got["record"] == got["longest_since"]
    assert got["records"]["^RUT"] == got["record"]
    assert got["records"]["^GSPC"] == {"start": "2021-11-12", "end": "2021-12-01", "length": 13}
    assert got["data_start"] == "1987-09-10"
    assert got["gaps"] == []
    # Returns over the streak, from the close before Jan 2 (Dec 31, 2025) to Jan 22.
    spx, rut = bundled_closes("GSPC"), bundled_closes("RUT")
    assert got["leader_return"] == pytest.approx(
        rut["2026-01-22"] / rut["2025-12-31"] - 1, abs=1e-12
    )
    assert got["laggard_return"] == pytest.approx(
        spx["2026-01-22"] / spx["2025-12-31"] - 1, abs=1e-12
    )
    assert got["leader_return"] == pytest.approx(0.0954, abs=5e-5)
    assert got["laggard_return"] == pytest.approx(0.0099, abs=5e-5)
    # Every one of the 14 sessions: the Russell's daily return strictly above the S&P's.
    window = pd.concat([rut, spx], axis=1, keys=["rut", "spx"], sort=True)["2025-12-31":"2026-01-22"]
    daily = window.pct_change().dropna()
    assert len(daily) == 14 and bool((daily["rut"] > daily["spx"]).all())
    assert got["data_as_of"] == "2026-09-17"
    assert got["stale"] is False  # an explicit as-of date is never "stale"
    assert got["source"] == "bundled"


def test_streak_latest_is_one_session_stale(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    got = run_json(capsys, seeded_services, "streak", "RUT", "SPX")
    # Sep 17, 2026: the S&P 500 +1.14% vs the Russell 2000 +0.55%; Sep 16 went to the Russell.
    spx, rut = bundled_closes("GSPC"), bundled_closes("RUT")
    assert spx["2026-09-17"] / spx["2026-09-16"] > rut["2026-09-17"] / rut["2026-09-16"]
    assert rut["2026-09-16"] / rut["2026-09-15"] > spx["2026-09-16"] / spx["2026-09-15"]
    assert (got["leader"], got["length"], got["start"], got["end"]) == (
        "^GSPC", 1, "2026-09-17", "2026-09-17"
    )
    # NOW is Monday Sep 21, 2026: the Friday Sep 18 session is not in the bundled data.
    assert got["as_of"] == got["data_as_of"] == "2026-09-17"
    assert got["stale"] is True
    assert got["source"] == "bundled"


def test_streak_argument_order_does_not_change_the_leader(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    a = run_json(capsys, seeded_services, "streak", "RUT", "SPX")
    b = run_json(capsys, seeded_services, "streak", "SPX", "RUT")
    assert b["symbols"] == ["^GSPC", "^RUT"]
    for key in (
        "leader",
        "laggard",
        "length",
        "start",
        "end",
        "leader_return",
        "laggard_return",
        "longest_since",
        "record",
        "records",
    ):
        assert b[key] == a[key], key
    assert b["leader"] == "^GSPC"


def test_streak_text(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    code, out, err = run(capsys, seeded_services, "streak", "RUT", "SPX", "--as-of", "2026-01-22")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions "
        "(Jan 2 – Jan 22, 2026), +9.54% vs +0.99%: the longest streak since May 1996 "
        "(16 sessions, Apr 16 – May 7, 1996).",
        "The longest streak of the Russell 2000 beating the S&P 500 in the data through "
        "Jan 22, 2026: 16 sessions (Apr 16 – May 7, 1996).",
        "2 more sessions would tie the record of 16 (1996); 3 more sessions would set a new record.",
        "After the one earlier streak this long (1996), the Russell 2000 trailed the S&P 500 by "
        "0.26 percentage points over the next 21 sessions and by 24.65 over the next 252.",
        "^RUT vs ^GSPC · price returns · as of the Jan 22, 2026 close · "
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)",
    ]
    code, out, err = run(capsys, seeded_services, "streak", "RUT", "SPX")
    assert (code, err) == (0, "")
    assert "Data as of Sep 17, 2026: the latest NYSE session (Sep 18, 2026) is not in the data yet." in out
    assert out.splitlines()[-1] == (
        "^RUT vs ^GSPC · price returns · as of the Sep 17, 2026 close · "
        "Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)"
    )


def test_streak_as_of_longest_in_data(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    got = run_json(capsys, seeded_services, "streak", "RUT", "SPX", "--as-of", "1996-05-07")
    assert got["leader"] == "^RUT"
    assert got["laggard"] == "^GSPC"
    assert got["length"] == 16
    assert (got["start"], got["end"], got["as_of"]) == ("1996-04-16", "1996-05-07", "1996-05-07")
    assert got["longest_since"] is None
    assert got["record"] == {"start": "1996-04-16", "end": "1996-05-07", "length": 16}
    assert got["stale"] is False  # an explicit as-of date is never "stale"

    code, out, err = run(capsys, seeded_services, "streak", "RUT", "SPX", "--as-of", "1996-05-07")
    assert (code, err) == (0, "")
    assert "for 16 straight sessions (Apr 16 – May 7, 1996)" in out
    assert "the longest streak in the data from Sep 10, 1987 through May 7, 1996." in out
    assert (
        "The longest streak of the Russell 2000 beating the S&P 500 in the data through "
        "May 7, 1996 is this one." in out
    )


def test_streak_as_of_weekend_uses_previous_session(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    sat = run_json(capsys, seeded_services, "streak", "RUT", "SPX", "--as-of", "1996-05-11")
    fri = run_json(capsys, seeded_services, "streak", "RUT", "SPX", "--as-of", "1996-05-10")
    assert sat["as_of"] == fri["as_of"] == "1996-05-10"
    assert sat == fri


# --------------------------------------------------------------------------- records (bundled)
def _records_per_year(stem: str, year: int) -> int:
    closes = bundled_closes(stem)
    prior_max = closes.cummax().shift(1)
    is_record = closes > prior_max
    return int(is_record[cast(pd.DatetimeIndex, closes.index).year == year].sum())


@pytest.mark.parametrize(
    ("year", "count"), [(2021, 70), (2022, 1), (2023, 0), (2024, 57), (2025, 39), (2026, 27)]
)
def test_records_per_year(
    capsys: pytest.CaptureFixture[str], seeded_services: Services, year: int, count: int
) -> None:
    got = run_json(capsys, seeded_services, "records", "SPX", "--year", str(year))
    assert got["symbol"] == "^GSPC"
    assert got["year"] == year
    assert got["count"] == count
    assert len(got["dates"]) == count
    assert _records_per_year("GSPC", year) == count  # cross-check from the raw CSV
    assert got["as_of"] == "2026-09-17"
    if year == 2022:
        assert got["dates"] == ["2022-01-03"]
    if year == 2026:  # the latest: 7,798.99 on Aug 13, 2026, the highest close in the data
        closes = bundled_closes("GSPC")
        assert (got["dates"][0], got["dates"][-1]) == ("2026-01-06", "2026-08-13")
        assert got["last_record"] == {"date": "2026-08-13", "close": 7798.99}
        assert closes["2026-08-13"] == closes.max() == 7798.99


def test_records_rut_first_record_of_2025(
    capsys: pytest.CaptureFixture[str], seeded_services: Services, calendar: NyseCalendar
) -> None:
    got = run_json(capsys, seeded_services, "records", "RUT", "--as-of", "2025-09-18")
    closes = bundled_closes("RUT")[:"2025-09-18"]
    records = closes[closes > closes.cummax().shift(1)]
    last, previous = records.index[-1], records.index[-2]
    # The index is unique: get_loc gives one position.
    expected_gap = cast(int, closes.index.get_loc(last)) - cast(int, closes.index.get_loc(previous))

    assert got["is_record"] is True
    assert got["as_of"] == "2025-09-18"
    assert got["close"] == closes["2025-09-18"] == 2467.7
    assert got["last_record"] == {"date": "2025-09-18", "close": 2467.7}
    assert got["previous_record"]["date"] == "2021-11-08" == f"{previous:%Y-%m-%d}"
    assert got["previous_record"]["close"] == closes["2021-11-08"]
    assert got["sessions_between_last_two_records"] == expected_gap
    # Every NYSE session in between is in the data, so rows == sessions.
    assert len(calendar.sessions(date(2021, 11, 9), date(2025, 9, 18))) == expected_gap
    assert got["nth_of_year"] == 1
    assert got["count"] == 1
    assert got["dates"] == ["2025-09-18"]
    assert got["pct_below_record"] == 0.0

    code, out, err = run(capsys, seeded_services, "records", "RUT", "--as-of", "2025-09-18")
    assert (code, err) == (0, "")
    assert "first closing record high of 2025" in out
    assert f"This record came {expected_gap} sessions after the previous one" in out
    # A first record in 250+ sessions (967 strictly between): what followed the 9 earlier ones
    # (pandas: 21-session returns, median +2.72% on the Oct 16, 1991 case, 6 of 9 higher).
    assert out.splitlines()[2] == (
        "After the 9 earlier first records in 250 or more sessions, the Russell 2000 rose by a median "
        "of 2.72% over the next 21 sessions, higher in 6 of 9."
    )
    # The next record (pandas: Oct 3, 2025, 10 sessions between) is no comeback: no such line.
    _, out, _ = run(capsys, seeded_services, "records", "RUT", "--as-of", "2025-10-03")
    assert "closed at a record 2,476.18 on Oct 3, 2025" in out
    assert "earlier first records" not in out


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        # a ticker-like word is looked up on Yahoo first; here the network fails
        (["streak", "RUT", "FOOBAR"], "FOOBAR is not in the data, and fetching it from Yahoo Finance failed"),
        (["streak", "RUT", "SXP"], "SPX"),
        (["streak", "SPX", "^GSPC"], "Both symbols resolve to ^GSPC"),
        (["streak", "RUT", "SPX", "--as-of", "2025-13-01"], "'2025-13-01' is not a date"),
        (["streak", "RUT", "SPX", "--as-of", "1980-01-01"], "before the data starts (1987-09-10)"),
        (
            ["streak", "RUT", "SPX", "--as-of", "2026-10-01"],
            "after the last close in the data (2026-09-17)",
        ),
        (["streak", "RUT", "SPX", "DJIA"], "one or two symbols, got 3"),
        (["records", "SPY"], "dividend-adjusted"),
        (["records", "SPX", "--year", "21"], "is not a year"),
        (["records", "RUT", "--year", "1950"], "1950"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exit_2_one_line(
    capsys: pytest.CaptureFixture[str],
    seeded_services: Services,
    argv: list[str],
    needle: str,
) -> None:
    code, out, err = run(capsys, seeded_services, *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("streakbot: ")
    assert needle in lines[0]
    assert "Traceback" not in err


def test_sxp_suggests_spx(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    _, _, err = run(capsys, seeded_services, "streak", "RUT", "SXP")
    assert err.startswith("streakbot: Unknown symbol 'SXP'. Did you mean ")
    assert "SPX" in err.split("Did you mean ", 1)[1]


# --------------------------------------------------------------------------- update
def test_update_offline_fails_and_leaves_store_unchanged(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    fetcher = FakeFetcher({"^GSPC": bars_frame({"2026-01-02": 6900.0})})
    seeded_services.fetcher_factory = lambda: fetcher
    store = PriceStore(seeded_services.engine)
    version, info = store.version(), store.info()

    code, out, err = run(capsys, seeded_services, "--offline", "update")

    assert code == 1
    assert out == ""
    assert err.strip() == "update: offline mode: nothing fetched, the store is unchanged."
    assert fetcher.calls == []
    assert store.version() == version
    assert store.info() == info


def test_update_fetches_new_session_then_streak_is_fresh(
    capsys: pytest.CaptureFixture[str],
    seeded_services: Services,
) -> None:
    store = PriceStore(seeded_services.engine)
    recent = store.bars(["^GSPC", "^RUT"], start=date(2026, 9, 1))
    # Yahoo re-sends the overlap unchanged plus Friday Sep 18, 2026.
    frames = {
        "^GSPC": pd.concat([recent["^GSPC"], bars_frame({"2026-09-18": 7700.0})]),
        "^RUT": pd.concat([recent["^RUT"], bars_frame({"2026-09-18": 2850.0})]),
    }
    fetcher = FakeFetcher(frames)
    seeded_services.fetcher_factory = lambda: fetcher

    code, out, err = run(capsys, seeded_services, "update", "SPX", "RUT")

    assert (code, err) == (0, "")
    assert fetcher.calls == [(("^GSPC", "^RUT"), date(2026, 9, 7))]
    assert out.splitlines() == [
        "^GSPC: updated, 1 new session(s), last close 2026-09-18",
        "^RUT: updated, 1 new session(s), last close 2026-09-18",
    ]
    info = store.info()
    assert info["^GSPC"].last_date == date(2026, 9, 18)
    assert info["^GSPC"].source == "Yahoo Finance"
    assert info["^DJI"].last_date == date(2026, 8, 21)  # not asked for, not touched

    got = run_json(capsys, seeded_services, "streak", "RUT", "SPX")
    # Sep 18: SPX 7637.76 -> 7700 (+0.81%), RUT 2874.63 -> 2850 (down): SPX again.
    assert got["end"] == "2026-09-18"
    assert got["length"] == 2
    assert got["leader"] == "^GSPC"
    assert got["stale"] is False
    assert got["source"] == "bundled+yahoo"


def test_update_fetch_failure_exit_1(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    store = PriceStore(seeded_services.engine)
    version = store.version()
    code, out, err = run(capsys, seeded_services, "update", "SPX")
    assert code == 1
    assert out == ""
    assert err.strip() == (
        "update failed, the store is unchanged: no network in tests. Data as of 2026-09-17."
    )
    assert store.version() == version


# --------------------------------------------------------------------------- --data-dir
# Eight hand-made sessions (Dec 1-10, 2025). Daily returns, SPX vs RUT:
#   Dec 2  +2.00%  vs +0.50%   SPX
#   Dec 3   0      vs  0       tie (both unchanged)
#   Dec 4  -0.99%  vs +1.00%   RUT
#   Dec 5  +1.98%  vs +0.49%   SPX
#   Dec 8  +0.97%  vs +2.94%   RUT  <- streak starts
#   Dec 9  -0.96%  vs -0.48%   RUT (falls less)
#   Dec 10 +1.94%  vs +2.39%   RUT
SPX_CSV = """date,close
2025-12-01,100
2025-12-02,102
2025-12-03,102
2025-12-04,101
2025-12-05,103
2025-12-08,104
2025-12-09,103
2025-12-10,105
"""
RUT_CSV = """date,close
2025-12-01,200
2025-12-02,201
2025-12-03,201
2025-12-04,203
2025-12-05,204
2025-12-08,210
2025-12-09,209
2025-12-10,214
"""


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "prices"
    folder.mkdir()
    (folder / "GSPC.csv").write_text(SPX_CSV)
    (folder / "RUT.csv").write_text(RUT_CSV)
    return folder


def test_data_dir_streak_exact(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    calendar: NyseCalendar,
    make_services: MakeServices,
    csv_dir: Path,
) -> None:
    svc = make_services(tmp_path, calendar)
    got = run_json(capsys, svc, "--data-dir", str(csv_dir), "streak", "RUT", "SPX")
    assert got["leader"] == "^RUT"
    assert got["laggard"] == "^GSPC"
    assert got["length"] == 3
    assert (got["start"], got["end"]) == ("2025-12-08", "2025-12-10")
    # From the Dec 5 closes to the Dec 10 closes.
    assert got["leader_return"] == pytest.approx(214 / 204 - 1)  # 0.0490196...
    assert got["laggard_return"] == pytest.approx(105 / 103 - 1)  # 0.0194174...
    assert got["leader_return"] == pytest.approx(0.049019607843137254)
    assert got["laggard_return"] == pytest.approx(0.019417475728155338)
    assert got["longest_since"] is None
    assert got["record"] == {"start": "2025-12-08", "end": "2025-12-10", "length": 3}
    # SPX's best: one session; Dec 2 and Dec 5 tie at 1, the earliest wins.
    assert got["records"]["^GSPC"] == {"start": "2025-12-02", "end": "2025-12-02", "length": 1}
    assert got["data_start"] == "2025-12-01"
    assert got["gaps"] == []
    assert got["source"] == "csv"
    # Nothing was read from or written to the SQL store.
    assert PriceStore(svc.engine).is_empty()


def test_data_dir_tie_and_text(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    calendar: NyseCalendar,
    make_services: MakeServices,
    csv_dir: Path,
) -> None:
    svc = make_services(tmp_path, calendar, data_dir=csv_dir)
    tie = run_json(capsys, svc, "streak", "SPX", "RUT", "--as-of", "2025-12-03")
    assert tie["status"] == "tie"
    assert tie["leader"] is None
    assert tie["length"] == 0

    code, out, err = run(capsys, svc, "streak", "RUT", "SPX")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "The Russell 2000 has outperformed the S&P 500 for 3 straight sessions "
        "(Dec 8 – Dec 10, 2025), +4.90% vs +1.94%: the longest streak in the data, "
        "which starts Dec 1, 2025."
    )


def test_data_dir_update_refused_nothing_written(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    calendar: NyseCalendar,
    make_services: MakeServices,
    csv_dir: Path,
) -> None:
    fetcher = FakeFetcher({"^GSPC": bars_frame({"2025-12-11": 106.0})})
    svc = make_services(tmp_path, calendar, fetcher=fetcher)
    before = {p.name: p.read_bytes() for p in csv_dir.iterdir()}

    code, out, err = run(capsys, svc, "--data-dir", str(csv_dir), "update")

    assert code == 2
    assert out == ""
    assert "nothing is fetched or written" in err
    assert fetcher.calls == []
    assert {p.name: p.read_bytes() for p in csv_dir.iterdir()} == before
    assert PriceStore(svc.engine).is_empty()


@pytest.mark.e2e
def test_console_script_with_data_dir(tmp_path: Path, csv_dir: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = subprocess_env(home)
    proc = subprocess.run(
        [str(console_script()), "--data-dir", str(csv_dir), "streak", "RUT", "SPX"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.startswith(
        "The Russell 2000 has outperformed the S&P 500 for 3 straight sessions (Dec 8 – Dec 10, 2025)"
    )
    assert proc.stdout.splitlines()[-1].endswith("· Source: CSV folder")
    assert str(csv_dir) not in proc.stdout
    assert list(home.rglob("*.sqlite3")) == []  # --data-dir never creates a store


def test_streak_with_an_adjusted_etf_says_total_returns(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code, out, _ = run(capsys, seeded_services, "streak", "IWM", "SPX")
    assert code == 0
    footer = out.strip().splitlines()[-1]
    assert footer == (
        "IWM vs ^GSPC · IWM dividend-adjusted (total) returns · as of the Aug 21, 2026 close · "
        "Source: Yahoo Finance (S&P Dow Jones Indices; ETF closes dividend-adjusted)"
    )
    code, out, _ = run(capsys, seeded_services, "streak", "RUT", "SPX")
    assert "^RUT vs ^GSPC · price returns ·" in out


# --------------------------------------------------------------------------- ask
ASK_TODAY = date(2026, 9, 21)  # NOW in New York


@pytest.mark.parametrize(
    ("question", "first_line"),
    [
        (
            "how many records did the S&P set in 2024?",
            "The S&P 500 has set 57 record closes in 2024.",
        ),
        (
            "Is the S&P at a record?",
            "The S&P 500 closed at 7,637.76 on Sep 17, 2026, 2.07% below its record close of "
            "7,798.99 (Aug 13, 2026, 24 sessions ago): it needs +2.11% to a record.",
        ),
        (
            "Are small caps beating large caps as of 2026-01-22?",
            "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions "
            "(Jan 2 – Jan 22, 2026), +9.54% vs +0.99%: the longest streak since May 1996 "
            "(16 sessions, Apr 16 – May 7, 1996).",
        ),
    ],
)
def test_ask_answers_like_a_slack_mention(
    capsys: pytest.CaptureFixture[str], seeded_services: Services, question: str, first_line: str
) -> None:
    code, out, err = run(capsys, seeded_services, "ask", question)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # a plain-words answer may open with a restatement of the question ("...:")
    assert (lines[1] if lines[0].endswith(":") else lines[0]) == first_line
    # The same words in Slack: the same answer, the Slack text only adds bold markers.
    slack = question_message(answer_text(question, seeded_services.market, NOW, ASK_TODAY))
    assert out == slack.text.replace("*", "") + "\n"
    assert out.splitlines()[-1].startswith(("^GSPC", "^RUT vs ^GSPC"))


def test_ask_takes_the_question_unquoted(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    quoted = run(capsys, seeded_services, "ask", "is the Dow at a record?")
    words = run(capsys, seeded_services, "ask", "is", "the", "Dow", "at", "a", "record?")
    assert quoted == words
    assert quoted[0] == 0


def test_ask_not_understood_gets_the_help_reply(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code, out, err = run(capsys, seeded_services, "ask", "what's the weather like?")
    assert (code, err) == (0, "")
    assert out == (
        "Sorry, I didn't understand that question.\n"
        "Try for example:\n"
        "• How many record closes has the Russell 2000 had this year?\n"
        "• Are small caps beating large caps?\n"
        "• How far is the S&P 500 below its record?\n"
        "Or use streakbot streak RUT SPX and streakbot records SPX (see streakbot --help).\n"
    )


def test_ask_a_question_it_cannot_answer_is_a_user_error(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code, out, err = run(capsys, seeded_services, "ask", "how many records did the S&P set in 1900?")
    assert (code, out) == (2, "")
    assert err == "streakbot: 1900 is before the data for ^GSPC starts (Dec 30, 1927).\n"
    # Slack answers the same words with the help reply, the problem first.
    slack = question_message(
        answer_text("how many records did the S&P set in 1900?", seeded_services.market, NOW, ASK_TODAY)
    )
    assert slack.text.startswith(":warning: 1900 is before the data for ^GSPC starts (Dec 30, 1927).\n")


@pytest.mark.e2e
def test_console_script_ask(tmp_path: Path, csv_dir: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.run(
        [str(console_script()), "--data-dir", str(csv_dir), "ask", "are small caps beating the S&P?"],
        cwd=tmp_path,
        env=subprocess_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    # a restatement of the question, then the answer
    assert proc.stdout.startswith("Russell 2000 vs S&P 500, who is leading:\n")
    assert proc.stdout.splitlines()[1].startswith(
        "The Russell 2000 has outperformed the S&P 500 for 3 straight sessions (Dec 8 – Dec 10, 2025)"
    )
    assert proc.stdout.splitlines()[-1].endswith("· Source: CSV folder")


# --------------------------------------------------------------------------- check
NOTE = ("The Russell 2000 has outperformed the S&P 500 for 10 consecutive days, the longest streak since "
        "1990, and closed at its eighth record high of 2026. Small caps rose 0.8% on Thursday.")


def test_check_marks_each_claim_with_the_right_figure(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code, out, err = run(capsys, seeded_services, "check", "--as-of", "2026-01-22", NOTE)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Checked 4 claims as of the Jan 22, 2026 close: 2 true, 2 false."
    assert lines[1] == ("✗ “The Russell 2000 has outperformed the S&P 500 for 10 consecutive days” — "
                        "false: 14 sessions, not 10.")
    assert lines[3] == "✗ “longest streak since 1990” (^RUT vs ^GSPC) — false: the longest since May 1996, not 1990."
    assert lines[5] == "✓ “eighth record high of 2026” (^RUT) — true."
    assert lines[7] == "✓ “rose 0.8%” (^RUT) — true."
    assert lines[8] == "  Russell 2000: 2,698.17 on Jan 21, 2026 → 2,718.77 on Jan 22, 2026 (+20.60 points, +0.76%)."
    assert lines[-1].startswith("Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell).")


def test_check_json_has_every_claim(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    data = run_json(capsys, seeded_services, "check", "--as-of", "2026-01-22", NOTE)
    assert data["as_of"] == "2026-01-22"
    claims = data["claims"]
    assert [(c["kind"], c["verdict"], c["stated"], c["actual"]) for c in claims] == [
        ("relative_streak", "false", 10, 14), ("longest_since", "false", 1990, 1996),
        ("nth_record", "true", 8, 8), ("move_pct", "true", 0.8, 0.7635),
    ]
    first = claims[0]
    assert set(first) >= {"text", "span", "kind", "verdict", "stated", "actual", "evidence", "symbols"}
    assert NOTE[slice(*first["span"])] == first["text"]
    assert NOTE[slice(*first["phrase_span"])] == first["phrase"]
    assert first["symbols"] == ["^RUT", "^GSPC"]
    assert first["evidence"]["start"] == "2026-01-02" and first["evidence"]["length"] == 14


def test_check_reads_the_note_from_standard_input(
    capsys: pytest.CaptureFixture[str], seeded_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(NOTE))
    from_stdin = run(capsys, seeded_services, "check", "-", "--as-of", "2026-01-22")
    given = run(capsys, seeded_services, "check", "--as-of", "2026-01-22", NOTE)
    assert from_stdin == given and given[0] == 0


def test_check_with_no_figures_gives_examples(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code, out, _ = run(capsys, seeded_services, "check", "--as-of", "2026-01-22", "What a week it was.")
    assert code == 0
    assert out.splitlines()[0] == ("I found no figures I can check in that text (as of the Jan 22, 2026 close). "
                                   "I check sentences like these:")
    assert len(out.splitlines()) == 3


def test_readme_check_example_is_what_the_cli_prints(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ streakbot check --as-of 2026-01-22 ", 1)[1].split("```", 1)[0]
    command, _, output = block.partition("\n")
    note = command.strip().strip('"')
    code, out, _ = run(capsys, seeded_services, "check", "--as-of", "2026-01-22", note)
    assert code == 0
    assert out == output


def test_a_new_ticker_is_fetched_then_answered(
    capsys: pytest.CaptureFixture[str], seeded_db: Path, calendar: NyseCalendar
) -> None:
    """NVDA and AMD are not in the data: made-up closes, served through the real yfinance code."""
    nvda = {"2026-09-15": 105.0, "2026-09-16": 108.0, "2026-09-17": 110.0}
    amd = {"2026-09-15": 53.0, "2026-09-16": 53.5, "2026-09-17": 54.0}
    yahoo = FakeYahooSession({"NVDA": synthetic_chart("NVDA", nvda, name="NVIDIA Corporation"),
                              "AMD": synthetic_chart("AMD", amd, name="Advanced Micro Devices, Inc.")})
    source = YahooSource(session=yahoo, sleep=lambda _: None)
    services = bootstrap(Settings(_env_file=None), calendar=calendar, clock=lambda: NOW,
                         fetcher_factory=lambda: source, engine=make_engine(sqlite_url(seeded_db)))
    code, out, err = run(capsys, services, "streak", "NVDA", "AMD")
    assert (code, err) == (0, "")
    assert out.startswith("NVDA has outperformed AMD for 2 straight sessions (Sep 16 – Sep 17, 2026), +4.76% vs +1.89%")
    again = run(capsys, services, "records", "NVDA")
    assert again[1].startswith("NVDA closed at a record 110.00 on Sep 17, 2026")


def test_offline_a_new_ticker_says_how_to_add_it(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code, out, err = run(capsys, seeded_services, "--offline", "streak", "NVDA", "SPX")
    assert (code, out) == (2, "")
    assert err.startswith("streakbot: NVDA is not in the data, and Yahoo Finance cannot be reached from here to "
                          "add it: streakbot update NVDA adds it where the network is.")


def test_records_give_the_years_pace_against_the_best_years(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    """Checked with pandas: 27 S&P 500 records in the 154 sessions of 2026 to Aug 13, of the
    year's 251 NYSE sessions; the best full years 1995 (77), 2021 (70), 1964 and 2017 (62)."""
    code, out, _ = run(capsys, seeded_services, "records", "SPX", "--as-of", "2026-08-13")
    assert code == 0
    assert out.splitlines()[2].endswith(
        "On pace for about 44 in 2026 (27 in 154 of its 251 sessions); the most in a year: 77 in 1995, "
        "70 in 2021, 62 in 1964.")
    data = run_json(capsys, seeded_services, "records", "SPX", "--as-of", "2026-08-13")
    assert data["pace"]["projected"] == pytest.approx(27 * 251 / 154)
    assert data["pace"]["best"][0] == {"year": 1995, "count": 77}
    assert run_json(capsys, seeded_services, "records", "SPX", "--year", "2024")["pace"] is None


def test_a_streak_built_on_photo_finishes_is_flagged(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    """Checked with pandas: the Nasdaq beat the S&P 500 on 9 sessions (Sep 20 - Oct 2, 2007),
    two of them by less than 0.5 basis points."""
    code, out, _ = run(capsys, seeded_services, "streak", "COMP", "SPX", "--as-of", "2007-10-02")
    assert code == 0
    assert ("2 of its 9 sessions were decided by less than 0.5 basis points: a streak built partly on "
            "photo finishes.") in out.splitlines()
