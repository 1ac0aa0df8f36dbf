"""Answers name where the data comes from in words, never a path; ``-v`` logs the path."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from conftest import MakeServices

from bot.adapters.calendar import NyseCalendar
from bot.cli import main
from bot.domain.provenance import origin_of, providers, source_words


@pytest.mark.parametrize(
    ("origin", "symbols", "words"),
    [
        ("bundled", ["^RUT", "^GSPC"], "Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)"),
        ("yahoo", ["^GSPC", "^RUT"], "Yahoo Finance (S&P Dow Jones Indices, FTSE Russell)"),
        ("bundled+yahoo", ["^NDX", "^IXIC"], "Yahoo Finance (Nasdaq)"),
        ("bundled", ["^VIX"], "Yahoo Finance (Cboe)"),
        ("bundled", ["^DJI", "^VIX", "^NDX"], "Yahoo Finance (S&P Dow Jones Indices, Nasdaq, Cboe)"),
        ("bundled", ["RSP", "SPY"], "Yahoo Finance (dividend-adjusted)"),
        ("bundled", ["IWM", "^RUT"], "Yahoo Finance (FTSE Russell; ETF closes dividend-adjusted)"),
        ("bundled", ["BRK-B"], "Yahoo Finance"),
        ("csv", ["^GSPC", "^RUT"], "CSV folder"),
    ],
)
def test_source_words(origin: str, symbols: list[str], words: str) -> None:
    assert source_words(origin, symbols) == words


def test_providers_are_listed_once_in_a_fixed_order() -> None:
    assert providers(["^RUT", "^DJI", "^GSPC", "^RUT"]) == ["S&P Dow Jones Indices", "FTSE Russell"]


def test_origin_of_the_source_names() -> None:
    assert [origin_of(n) for n in ("bundled data", "Yahoo Finance", "files in /x")] == [
        "bundled", "yahoo", "csv",
    ]


CSV = "date,close\n2026-01-02,100\n2026-01-05,101\n2026-01-06,103\n"


def test_csv_folder_path_only_in_the_verbose_log(
    tmp_path: Path, calendar: NyseCalendar, make_services: MakeServices,
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:
    folder = tmp_path / "secret-server-folder"
    folder.mkdir()
    (folder / "GSPC.csv").write_text(CSV)
    svc = make_services(tmp_path, calendar, data_dir=folder)
    with caplog.at_level(logging.INFO, logger="bot"):
        assert main(["-v", "streak", "SPX"], services=svc) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "^GSPC · price returns · as of the Jan 6, 2026 close · Source: CSV folder"
    assert str(folder) not in out
    assert f"prices from the CSV folder {folder}" in caplog.text

    svc = make_services(tmp_path, calendar, data_dir=folder)
    assert main(["streak", "SPX", "--json"], services=svc) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["source"] == "csv"
