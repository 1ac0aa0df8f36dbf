"""``streakbot next A B``: what followed the earlier streaks as long as the current one."""

from __future__ import annotations

import json

import pytest

from bot.bootstrap import Services
from bot.cli import main


def test_next_rut_spx_json_as_of_2026_01_22(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code = main(["next", "RUT", "SPX", "--as-of", "2026-01-22", "--json"], services=seeded_services)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert list(got) == ["leader", "laggard", "length", "as_of", "episodes", "summary"]
    assert (got["leader"], got["laggard"], got["length"], got["as_of"]) == (
        "^RUT", "^GSPC", 14, "2026-01-22",
    )
    (ep,) = got["episodes"]
    assert {k: ep[k] for k in ("reached", "start", "end", "length")} == {
        "reached": "1996-05-03", "start": "1996-04-16", "end": "1996-05-07", "length": 16,
    }
    assert list(ep["forward"]) == ["5", "21", "63", "126", "252"]
    # pandas over ../shared/data: May 3, 1996 -> Aug 2, 1996 (63 sessions)
    assert ep["forward"]["63"]["leader"] == pytest.approx(-0.064697, abs=5e-7)
    assert ep["forward"]["63"]["laggard"] == pytest.approx(0.032511, abs=5e-7)
    assert ep["forward"]["63"]["spread"] == pytest.approx(-0.097208, abs=5e-7)
    assert got["summary"]["252"] == {
        "n": 1,
        "median_spread": ep["forward"]["252"]["spread"],
        "mean_spread": ep["forward"]["252"]["spread"],
        "share_positive": 0.0,
    }
    assert got["summary"]["252"]["n"] == 1


def test_next_text_names_the_one_earlier_case(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code = main(["next", "RUT", "SPX", "--as-of", "2026-01-22"], services=seeded_services)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions (Jan 2 – Jan 22, 2026). "
        "What happened next after the one earlier streak that reached 14 sessions, from the close of "
        "its 14th session:",
        "May 3, 1996 (Apr 16 – May 7, 1996, 16 sessions): after 5 sessions +1.24% vs +1.63% (-0.39 pp); "
        "21 sessions +4.56% vs +4.82% (-0.26 pp); 63 sessions -6.47% vs +3.25% (-9.72 pp); "
        "126 sessions -1.81% vs +9.92% (-11.73 pp); 252 sessions +2.06% vs +26.70% (-24.65 pp).",
        "Only one earlier case: 1996, an anecdote rather than a pattern.",
        "^RUT vs ^GSPC · price returns over the next 5, 21, 63, 126 and 252 sessions · "
        "as of the Jan 22, 2026 close · Source: Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)",
    ]


def test_next_with_no_earlier_case_says_where_the_data_starts_and_ends(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    code = main(["next", "RUT", "SPX", "--as-of", "1996-05-07"], services=seeded_services)
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.splitlines()[0] == (
        "The Russell 2000 has outperformed the S&P 500 for 16 straight sessions (Apr 16 – May 7, 1996). "
        "No earlier streak of the Russell 2000 beating the S&P 500 reached 16 sessions in the data, "
        "which starts Sep 10, 1987, through May 7, 1996."
    )


def test_next_for_one_symbol_follows_its_earlier_winning_streaks(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    """Checked with pandas: 30 earlier S&P 500 runs of 9 up days before Apr 22, 2025; after
    the one of Jun 1987 (9th up day Jun 18) the index was +1.07% 5 sessions on, -18.85% 126 on."""
    assert main(["next", "SPX", "--as-of", "2025-05-02"], services=seeded_services) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "The S&P 500 has risen for 9 straight sessions (Apr 22 – May 2, 2025). What happened next after the "
        "30 earlier winning streaks that reached 9 sessions, from the close of each one’s 9th session:")
    assert ("Jun 18, 1987 (Jun 8 – Jun 22, 1987, 11 sessions): after 5 sessions +1.07%; 21 sessions +1.86%; "
            "63 sessions +3.02%; 126 sessions -18.85%; 252 sessions -11.75%.") in lines
    assert any(line.startswith("The S&P 500's return, after 5 sessions median ") for line in lines)
    assert lines[-1].startswith("^GSPC · price returns over the next 5, 21, 63, 126 and 252 sessions")


def test_next_takes_one_or_two_symbols(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    assert main(["next", "SPX", "RUT", "NDX"], services=seeded_services) == 2
    assert capsys.readouterr().err == "streakbot: next takes one or two symbols, got 3: SPX RUT NDX\n"


def test_next_records_rut_sep_18_2025_json(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    """Checked with pandas (record rows, ``diff - 1`` sessions between): the Russell 2000's Sep 18,
    2025 record was its first since Nov 8, 2021, 967 sessions between; 9 earlier such records."""
    code = main(["next", "RUT", "--records", "--as-of", "2025-09-18", "--json"], services=seeded_services)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert list(got) == ["symbol", "as_of", "min_gap", "latest", "episodes", "summary"]
    assert (got["symbol"], got["as_of"], got["min_gap"]) == ("^RUT", "2025-09-18", 250)
    assert got["latest"] == {
        "record": "2025-09-18", "previous_record": "2021-11-08", "gap": 967, "close": 2467.7,
        "forward": {"5": None, "21": None, "63": None, "126": None, "252": None},
    }
    assert [e["record"] for e in got["episodes"]][:3] == ["1989-06-02", "1991-10-16", "1995-05-16"]
    first = got["episodes"][0]
    assert (first["previous_record"], first["gap"]) == ("1987-10-05", 419)
    assert first["forward"]["21"]["return"] == pytest.approx(-0.033504, abs=5e-7)
    assert got["summary"]["21"]["n"] == 9
    assert got["summary"]["21"]["median"] == pytest.approx(0.027237, abs=5e-7)
    assert got["summary"]["21"]["share_positive"] == pytest.approx(6 / 9)
    assert list(got["summary"]["63"]) == ["n", "median", "mean", "share_positive"]


def test_next_records_text_sp500_as_of_2013_03_28(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    """pandas: Mar 28, 2013 was the S&P 500's first record since Oct 9, 2007 (1,375 sessions
    between); the 12 earlier ones start Sep 22, 1954 (first since Sep 16, 1929)."""
    assert main(["next", "SPX", "--records", "--as-of", "2013-03-28"], services=seeded_services) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "The S&P 500 closed at a record on Mar 28, 2013, its first since Oct 9, 2007 (1,375 sessions "
        "between). What happened next after the 12 earlier first records in 250 or more sessions, "
        "from each one’s record close:")
    assert lines[1] == "The latest 10 of 12:"
    assert len(lines) == 14  # headline, "latest 10", 10 cases, the summary, the footer
    assert lines[-3] == (
        "May 30, 2007 (first since Mar 24, 2000, 1,802 sessions between): after 5 sessions -0.84%; "
        "21 sessions -1.60%; 63 sessions -6.40%; 126 sessions -6.67%; 252 sessions -8.62%.")
    assert lines[-2].startswith("The S&P 500's return, after 5 sessions median ")
    assert lines[-1].startswith("^GSPC · price returns over the next 5, 21, 63, 126 and 252 sessions from a first")


def test_next_records_few_cases_are_called_so(
    capsys: pytest.CaptureFixture[str], seeded_services: Services
) -> None:
    """pandas: Sep 24, 1958 was a first record since Aug 2, 1956; the one earlier: Sep 22, 1954."""
    assert main(["next", "SPX", "--records", "--as-of", "1958-09-24"], services=seeded_services) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("What happened next after the one earlier first record in 250 or more sessions, "
                             "from its record close:")
    assert lines[1].startswith("Sep 22, 1954 (first since Sep 16, 1929, 6,248 sessions between): after 5 sessions +1.56%")
    assert "Only one earlier case: 1954, an anecdote rather than a pattern." in lines
    assert not any(line.startswith("The S&P 500's return") for line in lines)  # one case: no summary


def test_next_records_takes_one_index(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    assert main(["next", "RUT", "SPX", "--records"], services=seeded_services) == 2
    assert capsys.readouterr().err == "streakbot: next --records takes one symbol, got 2: RUT SPX\n"
    assert main(["next", "SPY", "--records"], services=seeded_services) == 2
    assert capsys.readouterr().err.startswith("streakbot: SPY closes in the data are dividend-adjusted")


def test_next_records_before_any_comeback(capsys: pytest.CaptureFixture[str], seeded_services: Services) -> None:
    """pandas: the S&P 500's first record after 250+ sessions without one is Sep 22, 1954."""
    assert main(["next", "SPX", "--records", "--as-of", "1954-09-21", "--json"], services=seeded_services) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["latest"], got["episodes"], got["summary"]["21"]) == (
        None, [], {"n": 0, "median": None, "mean": None, "share_positive": None},
    )
    assert main(["next", "SPX", "--records", "--as-of", "1954-09-22"], services=seeded_services) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "The S&P 500 closed at a record on Sep 22, 1954, its first since Sep 16, 1929 (6,248 sessions "
        "between). No earlier record in the data, which starts Dec 30, 1927, came after 250 or more "
        "sessions without one.")
