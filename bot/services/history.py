"""The longest streaks of a pair, each leader's, up to an as-of session (the History button)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from analytics.returns import as_date
from analytics.runs import find_runs
from analytics.streaks import as_of_position
from bot.domain.symbols import resolve
from bot.services.market import Market

__all__ = ["PairHistory", "PastStreak", "pair_history"]


@dataclass(frozen=True)
class PastStreak:
    start: date
    end: date
    length: int
    return_leader: float  # C_end / C_(start-1) - 1 of the side that led
    return_laggard: float


@dataclass(frozen=True)
class PairHistory:
    """``top[s]``: the longest streaks led by symbol ``s``, longest first (earlier on ties)."""

    a: str
    b: str
    as_of: date
    data_start: date
    top: dict[str, tuple[PastStreak, ...]]
    source: str


def pair_history(market: Market, a_text: str, b_text: str, as_of: date | None = None, n: int = 5) -> PairHistory:
    """The ``n`` longest streaks each of A and B has led, in the data up to ``as_of``.

    A streak is a run of consecutive sessions with ``r_A > r_B`` (or ``<``) strictly; each
    side's return over it is ``C_end / C_(start-1) - 1`` (a streak that starts the data has
    no earlier close and is left out).
    """
    available = market.available()
    a, b = resolve(a_text, available), resolve(b_text, available)
    al = market.aligned(a, b)
    assert al.close_b is not None
    pos = as_of_position(al.dates, as_of)
    runs = find_runs(al.signs[: pos + 1])
    top: dict[str, tuple[PastStreak, ...]] = {}
    for sym, sign, lead, lag in ((a, 1, al.close_a, al.close_b), (b, -1, al.close_b, al.close_a)):
        mine = np.flatnonzero((runs.sign == sign) & (runs.start > 0))
        lengths = runs.end[mine] - runs.start[mine] + 1
        order = mine[np.lexsort((runs.start[mine], -lengths))][:n]
        top[sym] = tuple(
            PastStreak(as_date(al.dates[s]), as_date(al.dates[e]), int(e - s + 1),
                       float(lead[e] / lead[s - 1] - 1), float(lag[e] / lag[s - 1] - 1))
            for s, e in ((int(runs.start[i]), int(runs.end[i])) for i in order)
        )
    return PairHistory(a, b, as_date(al.dates[pos]), as_date(al.dates[0]), top, market.origin)
