"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from isolation import console_script, subprocess_env

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    head = (REPO / "README.md").read_text(encoding="utf-8").split("---", 1)[0]
    return re.findall(r"^`([^`]+)`$", head, flags=re.MULTILINE)


def test_readme_starts_with_the_two_setup_commands() -> None:
    cmds = readme_commands()
    assert len(cmds) == 2
    assert cmds[0].endswith("streakbot leaders")
    assert "pytest" in cmds[1] and "ruff check" in cmds[1] and "mypy" in cmds[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_env_example_marks_every_setting() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
            "DATABASE_URL", "STREAKBOT_DATA_DIR", "PORT"} <= env_example_names()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^(# )?[A-Z][A-Z0-9_]+=", line):
            assert lines[i - 1].startswith(("# Required", "# Optional")), line


def env_example_names() -> set[str]:
    """Variables in .env.example, set or shown commented out (``# NAME=example``)."""
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_settings_field() -> None:
    expected = {(f.alias or name).upper() for name, f in Settings.model_fields.items()}
    assert expected - env_example_names() == set()


def test_env_example_shows_database_url_commented_out_with_a_postgresql_example() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    (line,) = [x for x in text.splitlines() if "DATABASE_URL=" in x]
    assert line.startswith("# DATABASE_URL=postgresql://")


@pytest.mark.e2e
def test_env_example_copied_as_it_is_works_on_a_fresh_machine(tmp_path: Path) -> None:
    """Copy .env.example to .env in an empty folder, fresh HOME, run the console script."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    shutil.copy(REPO / ".env.example", work / ".env")
    proc = subprocess.run(
        [str(console_script()), "streak", "RUT", "SPX", "--as-of", "2026-01-22"],
        cwd=work, env=subprocess_env(home), capture_output=True, text=True, timeout=180, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "The Russell 2000 has outperformed the S&P 500 for 14 straight sessions (Jan 2 – Jan 22, 2026), "
        "+9.54% vs +0.99%: the longest streak since May 1996 (16 sessions, Apr 16 – May 7, 1996)."
    )
    assert lines[-1].startswith("^RUT vs ^GSPC · price returns · as of the Jan 22, 2026 close · ")
    # The store is the default SQLite file in the fresh HOME: .env.example points nowhere else.
    assert [p.name for p in home.rglob("*.sqlite3")] == ["streakbot.sqlite3"]
    assert list(work.iterdir()) == [work / ".env"]
