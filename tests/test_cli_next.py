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
