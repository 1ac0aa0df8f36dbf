"""The kept ``leaders`` texts: a key for everything the text depends on, atomic files, a bound."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from bot.adapters.summary_cache import (
    KEEP,
    code_fingerprint,
    keep_shipped_summary,
    read_summary,
    shipped_summary_file,
    summary_key,
    write_summary,
)

JAN22, JAN23 = date(2026, 1, 22), date(2026, 1, 23)


def test_the_key_changes_with_each_thing_the_text_depends_on() -> None:
    base = summary_key("v1", JAN22, "code1")
    assert summary_key("v1", JAN22, "code1") == base
    others = {
        summary_key("v2", JAN22, "code1"),  # new prices
        summary_key("v1", None, "code1"),  # the latest session, not Jan 22
        summary_key("v1", JAN23, "code1"),  # another session
        summary_key("v1", JAN22, "code2"),  # another release or an edit
    }
    assert base not in others and len(others) == 4


def test_the_shipped_summary_is_kept_under_the_installed_stores_key(tmp_path: Path) -> None:
    assert keep_shipped_summary("installed-v", tmp_path)
    kept = read_summary(summary_key("installed-v", None, code_fingerprint()), tmp_path)
    assert kept == shipped_summary_file().read_text(encoding="utf-8")
    assert kept.startswith("Stocks rose: the S&P 500 gained 1.14% to 7,637.76.\nCloses on Thu, Sep 17, 2026:")


def test_kept_text_reads_back_and_a_missing_one_is_a_miss(tmp_path: Path) -> None:
    assert read_summary("k1", tmp_path) is None
    write_summary("k1", "Closes on Thu, Jan 22, 2026: ...\n", tmp_path)
    assert read_summary("k1", tmp_path) == "Closes on Thu, Jan 22, 2026: ...\n"
    assert [p.name for p in tmp_path.iterdir()] == ["k1.txt"]  # no temporary file left
    (tmp_path / "k2.txt").write_bytes(b"\xff\xfe not utf-8")
    assert read_summary("k2", tmp_path) is None


def test_at_most_keep_files_are_kept_the_oldest_go_first(tmp_path: Path) -> None:
    for i in range(KEEP + 3):
        write_summary(f"k{i}", str(i), tmp_path)
        os.utime(tmp_path / f"k{i}.txt", ns=(i * 10**9, i * 10**9))
    write_summary("last", "x", tmp_path)
    names = {p.stem for p in tmp_path.glob("*.txt")}
    assert len(names) == KEEP and "last" in names
    assert not {"k0", "k1", "k2", "k3"} & names


def test_a_folder_it_cannot_write_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    write_summary("k", "text", blocker / "summaries")  # logged, not raised
    assert read_summary("k", blocker / "summaries") is None


def test_the_code_fingerprint_follows_every_module(tmp_path: Path) -> None:
    pkg = tmp_path / "bot"
    pkg.mkdir()
    mod = pkg / "render.py"
    mod.write_text("WORD = 'record'\n")
    before = code_fingerprint((pkg,))
    assert code_fingerprint((pkg,)) == before
    mod.write_text("WORD = 'record close'\n")
    assert code_fingerprint((pkg,)) != before
    assert len(code_fingerprint()) == 32  # the installed packages
