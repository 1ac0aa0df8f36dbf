"""Benchmark: how many desk questions of a held-out table the parser reads right.

The table is ``tests/questions/desk_phrasings_fresh.txt`` (one question a line: ``question |
intent | symbols | period | direction``), written before the parser was changed for any of
them. Each question is parsed as asked on Monday Sep 21, 2026, with every bundled symbol
available (``bot/data/bundled/MANIFEST.json``), and scored:

* **right**: the parse has the expected intent, symbols and period; for the intents where
  the direction changes the figure (the year ranking of records: most or fewest; a run of
  N sessions: up or down) the direction too. A line expected ``unknown`` is right when the
  bot does not answer it (intent ``unknown`` or ``help``).
* **wrong question**: anything else that the bot would answer with a figure (an intent it
  answers and no unused words): a confident answer to a question that was not asked.
* **not understood**: the rest (the bot says what it did not understand and answers nothing).

Reported, never asserted here (``tests/questions/test_fresh_phrasings_rate.py`` asserts
at least 90% right and no wrong question). Run from the repository root::

    python -m benchmarks.bench_questions            # rates and every miss
    python -m benchmarks.bench_questions --first N  # the first N rows only (the table as first committed)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.questions import Period, Question, parse_question

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "tests" / "questions" / "desk_phrasings_fresh.txt"
MANIFEST = REPO / "bot" / "data" / "bundled" / "MANIFEST.json"
TODAY = date(2026, 9, 21)
NOT_ANSWERED = frozenset({"unknown", "help"})
DIRECTED = frozenset({"record_year_rank", "run_at_least"})


@dataclass(frozen=True)
class Row:
    text: str
    intent: str
    symbols: tuple[str, ...]
    period: Period
    direction: str


def parse_period(spec: str) -> Period:
    """``none``, ``year:2022``, ``since_year:2020``, ``date:2020-03-16``, ``week:2026-09-14``
    (its Monday), ``month:2026-08``, ``since_date:2024-11-05``, ``sessions:10``."""
    kind, _, value = spec.partition(":")
    if kind == "none":
        return Period("none")
    if kind == "year":
        return Period("year", year=int(value))
    if kind == "since_year":
        return Period("since_year", year=int(value))
    if kind == "date":
        return Period("date", date=date.fromisoformat(value))
    if kind == "week":
        return Period("week", date=date.fromisoformat(value))
    if kind == "since_date":
        day = date.fromisoformat(value)
        return Period("since_date", date=day, event="election" if day == date(2024, 11, 5) else None)
    if kind == "month":
        y, m = value.split("-")
        return Period("month", year=int(y), month=int(m))
    if kind == "sessions":
        return Period("sessions", sessions=int(value))
    raise ValueError(f"unknown period {spec!r}")


def read_table(path: Path = TABLE) -> list[Row]:
    rows: list[Row] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, intent, symbols, period, direction = (x.strip() for x in line.rsplit("|", 4))
        syms = () if symbols == "-" else tuple(symbols.split(","))
        rows.append(Row(text, intent, syms, parse_period(period), direction))
    return rows


def available() -> frozenset[str]:
    return frozenset(json.loads(MANIFEST.read_text(encoding="utf-8")))


def _same_period(got: Period, want: Period) -> bool:
    if want.kind == "since_date" and want.event is None:
        return (got.kind, got.date) == ("since_date", want.date)
    return got == want


def score(row: Row, q: Question) -> str:
    """``"right"``, ``"wrong"`` (answered, but a different question) or ``"not_understood"``."""
    answered = q.intent not in NOT_ANSWERED and not q.unused
    if row.intent == "unknown":
        return "wrong" if answered else "right"
    if not answered:
        return "not_understood"
    same = (q.intent == row.intent and q.symbols == row.symbols and _same_period(q.period, row.period)
            and (row.intent not in DIRECTED or q.direction == row.direction))
    return "right" if same else "wrong"


@dataclass(frozen=True)
class Result:
    rows: int
    right: int
    wrong: int
    not_understood: int
    misses: tuple[tuple[str, str, Question], ...]  # (score, expected, parse)

    @property
    def right_share(self) -> float:
        return self.right / self.rows

    @property
    def wrong_share(self) -> float:
        return self.wrong / self.rows


def run(rows: Sequence[Row]) -> Result:
    avail = available()
    counts = {"right": 0, "wrong": 0, "not_understood": 0}
    misses: list[tuple[str, str, Question]] = []
    for row in rows:
        q = parse_question(row.text, today=TODAY, available=avail)
        s = score(row, q)
        counts[s] += 1
        if s != "right":
            want = f"{row.intent} {row.symbols} {row.period}"
            misses.append((s, want, q))
    return Result(len(rows), counts["right"], counts["wrong"], counts["not_understood"], tuple(misses))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--first", type=int, default=None, help="score only the first N rows")
    args = ap.parse_args(argv)
    rows = read_table()[: args.first]
    res = run(rows)
    for s, want, q in res.misses:
        print(f"{s:15} {q.text!r}\n{'':15} expected {want}\n{'':15} got      {q.intent} {q.symbols} "
              f"{q.period} direction={q.direction} unused={q.unused}")
    print(f"questions: {res.rows}")
    print(f"read right: {res.right} ({res.right_share:.1%}) · target >= 90%")
    print(f"answered with a wrong question's figure: {res.wrong} ({res.wrong_share:.1%}) · target 0")
    print(f"not understood (no figure): {res.not_understood}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
