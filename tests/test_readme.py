"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

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
    names = re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE)
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
            "DATABASE_URL", "STREAKBOT_DATA_DIR", "PORT"} <= set(names)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            assert lines[i - 1].startswith(("# Required", "# Optional")), line
