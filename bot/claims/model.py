"""Claims read from prose and their verdicts: data only (the renderers put them in words).

Counting conventions (the checker accepts both where prose is ambiguous):

* A streak counts sessions (prose "days" are sessions).
* "N sessions without a record" counts the sessions strictly between two records; "the
  record came N sessions after the previous one" counts the sessions after the previous
  record up to the new one. The two differ by one, and prose uses both for the same fact
  ("a stretch of 967 trading days without a record" and "968 sessions after the previous
  record"), so either count is accepted for a ``sessions_without_record`` claim.
* A percentage or a level is compared as stated: the actual figure rounded half-up to the
  stated number of decimals must equal it ("up 0.8%" is true for +0.76%, false for +0.70%).
* "The longest since YEAR": the most recent earlier streak at least as long ended in YEAR
  (and MONTH when stated). "The longest in N years": it ended N years before, rounded or
  truncated. "The Nth-longest on record": 1 + the number of earlier streaks strictly longer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Kind = Literal[
    "relative_streak",  # A has outperformed B for N sessions (every session this year)
    "streak",  # A rose/fell for N sessions
    "longest_since",  # the longest (streak) since YEAR / MONTH YEAR / in N years
    "streak_rank",  # the (Nth-)longest on record
    "record_streak",  # the longest lasted N sessions and ended in MONTH YEAR
    "record_close",  # closed at a record
    "nth_record",  # its Nth record close of YEAR
    "record_count",  # N record closes in YEAR
    "first_record_since",  # first record since MONTH YEAR
    "sessions_without_record",  # a stretch of N trading days without a record
    "move_pct",  # closed up/down X%
    "move_points",  # gained/lost N points
    "close_level",  # closed at 2,718.77
    "ytd",  # is up X% this year
]
KINDS: tuple[Kind, ...] = (
    "relative_streak", "streak", "longest_since", "streak_rank", "record_streak", "record_close",
    "nth_record", "record_count", "first_record_since", "sessions_without_record", "move_pct",
    "move_points", "close_level", "ytd",
)

Outcome = Literal["true", "false", "unverifiable"]
# Why a claim could not be checked: a name the data does not have, a date outside the data,
# a phrase that does not say which streak or symbol it is about, or a service's own refusal.
Why = Literal["unknown_symbol", "outside_data", "ambiguous", "not_a_session", "refused"]


@dataclass(frozen=True)
class Claim:
    """One checkable statement.

    Attributes
    ----------
    kind : Kind
        What is claimed.
    text : str
        The sentence it was read from, as written.
    span : tuple of int
        ``(start, end)`` character offsets of that sentence in the checked text.
    phrase : str
        The words that make the claim, as written.
    phrase_span : tuple of int
        ``(start, end)`` of ``phrase`` in the checked text.
    symbols : tuple of str
        Resolved symbols (A then B for a pair); empty when the prose does not say.
    session : date
        The day the claim is about (``--as-of``, a weekday, "today", a date in the text).
    number : str or None
        The stated figure as written, without separators (``"14"``, ``"0.8"``, ``"2718.77"``).
    sign : int
        +1 up / A leads / higher, -1 down; 0 when it does not apply.
    year, month : int or None
        A stated year (and month) ("since May 1996", "of 2026").
    every_session_of_year : bool
        For ``relative_streak``: "on every trading day this year".
    """

    kind: Kind
    text: str
    span: tuple[int, int]
    phrase: str
    symbols: tuple[str, ...]
    session: date
    number: str | None = None
    sign: int = 0
    year: int | None = None
    month: int | None = None
    every_session_of_year: bool = False
    in_years: bool = False  # "the longest in N years": ``number`` is the years
    unresolved: str | None = None  # a market named that the data does not have
    phrase_span: tuple[int, int] = (0, 0)

    @property
    def value(self) -> float | None:
        return None if self.number is None else float(self.number)


@dataclass(frozen=True)
class Evidence:
    """The data behind a verdict (every field optional: each kind uses a few)."""

    symbols: tuple[str, ...] = ()
    session: date | None = None
    start: date | None = None
    end: date | None = None
    length: int | None = None
    return_a: float | None = None
    return_b: float | None = None
    close: float | None = None
    previous_session: date | None = None
    previous_close: float | None = None
    change: float | None = None
    record_dates: tuple[date, ...] = ()
    other_start: date | None = None  # the earlier streak compared with, or the previous record
    other_end: date | None = None
    other_length: int | None = None
    data_start: date | None = None


@dataclass(frozen=True)
class Verdict:
    """A claim with its outcome.

    ``stated`` and ``actual`` are the figure as claimed and as in the data, as numbers,
    dates or ``None`` (``actual`` ``None`` when nothing comparable exists, e.g. the streak
    is the longest in the data). ``accepted`` lists every stated figure that would be true
    (two where a counting convention is ambiguous).
    """

    claim: Claim
    outcome: Outcome
    stated: float | int | str | None
    actual: float | int | str | None
    evidence: Evidence | None = None
    why: Why | None = None
    detail: str | None = None  # a service's refusal, fit to show (a UserError message)
    accepted: tuple[float | int | str, ...] = field(default=())


@dataclass(frozen=True)
class CheckResult:
    """Every verdict for one text, as of one session."""

    as_of: date
    verdicts: tuple[Verdict, ...]
    source: str
    data_through: date | None = None  # the S&P 500's last session in the data
