"""Every example the README and ``/streak help`` advertise works on the bundled data.

The README's ``$ streakbot ...`` examples are run and their output compared line by line;
the slash-command and plain-word examples must be answered (not refused, not misread).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import NOW

from bot.bootstrap import Services
from bot.cli import main
from bot.questions.answer import answer_text
from bot.questions.command_text import parse_command_text
from bot.questions.parser import EXAMPLES
from bot.render.messages import RECORDS_USAGE, STREAK_USAGE
from bot.render.questions import NOT_UNDERSTOOD, question_message
from bot.render.record_forward import record_forward_footer
from bot.render.text import records_footer, streak_footer
from bot.services.answers import records_answer, streak_answer
from bot.services.record_forward import record_forward_answer

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def readme_cli_examples() -> list[tuple[str, list[str]]]:
    """``(command, output lines)`` for each ``$ streakbot ...`` in the README."""
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```\n(.*?)```", README, flags=re.DOTALL):
        for chunk in re.split(r"\n(?=\$ )", block.strip()):
            if chunk.startswith("$ streakbot "):
                cmd, *lines = chunk.strip().splitlines()
                out.append((cmd[len("$ streakbot ") :], lines))
    return out


def slash_examples() -> list[str]:
    """``/streak`` and ``/records`` examples from the help texts and the README's list."""
    found = re.findall(r"• `(/(?:streak|records) [^`]+)`", STREAK_USAGE + RECORDS_USAGE)
    commands = README.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    for ex in re.findall(r"`(/(?:streak|records) [^`]+)`", commands):
        # "[--as-of 2026-01-22]" -> the option used; a placeholder DATE -> a real session.
        found.append(re.sub(r"[\[\]]", "", ex).replace("DATE", "2025-12-31"))
    return [ex for ex in found if not ex.endswith(" help")]


def readme_questions() -> list[str]:
    section = README.split("## Plain-word questions", 1)[1].split("Everyday words", 1)[0]
    lines = [ln[2:] for ln in section.splitlines() if ln.startswith("- ")]
    return [q.strip() for ln in lines for q in ln.split(" · ")]


def test_the_readme_shows_the_examples_the_issue_asks_for() -> None:
    cmds = [c for c, _ in readme_cli_examples()]
    assert "streak RUT SPX --as-of 2026-01-22" in cmds
    assert len(slash_examples()) >= 8
    assert any(ex.startswith("/streak NDX") for ex in slash_examples())
    assert len(readme_questions()) >= 10


@pytest.mark.parametrize(("command", "lines"), readme_cli_examples())
def test_readme_cli_example_output(
    capsys: pytest.CaptureFixture[str], seeded_services: Services, command: str, lines: list[str]
) -> None:
    assert main(command.split(), services=seeded_services) == 0
    assert capsys.readouterr().out.splitlines() == lines


@pytest.mark.parametrize("example", slash_examples())
def test_slash_command_example_is_answered(seeded_services: Services, example: str) -> None:
    name, _, text = example.partition(" ")
    market = seeded_services.market
    if name == "/streak":
        args = parse_command_text(text, allow_chart=True)
        b = args.symbols[1] if len(args.symbols) > 1 else None
        ans = streak_answer(market, args.symbols[0], b, as_of=args.as_of, now=NOW)
        assert ans.report.current is not None
        footer = streak_footer(ans)
    else:
        args = parse_command_text(text, allow_year=True, allow_next=True)
        if args.next:
            nxt = record_forward_answer(market, args.symbols[0], as_of=args.as_of, now=NOW)
            assert nxt.report.latest is not None
            footer = record_forward_footer(nxt)
        else:
            rec = records_answer(market, args.symbols[0], year=args.year, as_of=args.as_of, now=NOW)
            assert rec.summary.close > 0
            footer = records_footer(rec)
    assert "Source: Yahoo Finance (" in footer


@pytest.mark.parametrize("question", readme_questions() + list(EXAMPLES))
def test_plain_word_example_is_answered(seeded_services: Services, question: str) -> None:
    msg = question_message(answer_text(question, seeded_services.market, NOW, date(2026, 9, 21)))
    assert not msg.text.startswith((NOT_UNDERSTOOD, "I answer questions")), msg.text
    assert ":warning:" not in msg.text
    assert "Source: Yahoo Finance (" in msg.text
