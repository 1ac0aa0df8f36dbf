"""What happened next after a first record close in a long time (a *comeback record*).

Definitions
-----------
* Closes are one series' rows in date order (for an index, its sessions); a ``NaN`` close
  is a missing session: never a record, it leaves the high-water mark as it was, and a
  forward return from or to it is ``None``.
* A *record close* is as in :mod:`analytics.records`: strictly above every earlier close;
  the first close of the data is the baseline, not a record.
* The *gap* of a record at row ``p`` whose previous record is at row ``q`` is
  ``p - q - 1``: the rows (sessions) *strictly between* the two records. This is the count
  the alerts use for a "first record in a long time" (``sessions_between``); it is one less
  than :attr:`analytics.records.RecordSummary.gap_sessions` (the difference of positions).
* A *comeback record* is a record whose gap is at least ``min_gap`` (default
  :data:`COMEBACK_GAP`, 250 sessions, about a year). The first record of the data has no
  previous record and is never a comeback.
* The *forward return* over ``h`` sessions is ``C_(p+h) / C_p - 1``, from the record close
  to the close ``h`` rows later. It is ``None`` when ``p + h`` is past the as-of session
  (never look ahead) or either close is missing.
* The report, as of a session: the *latest* comeback record on or before it (its forward
  returns may be partly ``None``), the *episodes* (every earlier comeback record, oldest
  first) and per horizon the *summary* over the episodes with a return at that horizon
  (:func:`analytics.forward.summarize`: ``n``, median, mean, share strictly above 0). The
  latest is not in the summary: it is the case being compared with the earlier ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray

from analytics.forward import HORIZONS, HorizonSummary, summarize
from analytics.records import RecordSummary, record_mask
from analytics.returns import DayArray, FloatArray
from analytics.streaks import as_of_position, to_datetime

__all__ = [
    "COMEBACK_GAP",
    "ComebackRecord",
    "RecordForwardReport",
    "comeback_mask",
    "is_comeback",
    "record_forward_report",
    "sessions_between",
]

COMEBACK_GAP = 250  # sessions strictly between two records: about a year without one


@dataclass(frozen=True)
class ComebackRecord:
    """One comeback record and the index's forward returns from its close.

    Attributes
    ----------
    record, previous_record : datetime
        The record session and the record before it.
    gap : int
        Sessions strictly between them.
    close : float
        The record close.
    forward : dict
        Horizon (sessions) -> return (a fraction), ``None`` past the as-of session or at a
        missing close.
    """

    record: datetime
    previous_record: datetime
    gap: int
    close: float
    forward: dict[int, float | None]


@dataclass(frozen=True)
class RecordForwardReport:
    """The comeback records of one series as of a session (see module definitions)."""

    as_of: datetime
    min_gap: int
    latest: ComebackRecord | None
    episodes: tuple[ComebackRecord, ...]
    summary: dict[int, HorizonSummary]
    horizons: tuple[int, ...]
    data_start: datetime

    @property
    def is_comeback(self) -> bool:
        """The as-of session itself is a comeback record."""
        return self.latest is not None and self.latest.record == self.as_of


def sessions_between(summary: RecordSummary) -> int | None:
    """Sessions strictly between the summary's latest record and the one before it (its
    ``gap_sessions`` is the difference of their positions); ``None`` with one record or none."""
    return None if summary.gap_sessions is None else summary.gap_sessions - 1


def is_comeback(summary: RecordSummary, min_gap: int = COMEBACK_GAP) -> bool:
    """Whether the summary's as-of close is a record with at least ``min_gap`` sessions
    strictly between it and the previous record (a comeback record, as defined above)."""
    between = sessions_between(summary)
    return summary.is_record and between is not None and between >= min_gap


def comeback_mask(
    closes: FloatArray, min_gap: int = COMEBACK_GAP
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Rows of the comeback records and, for each, the row of the previous record.

    Examples
    --------
    >>> rows, prev = comeback_mask(np.array([5.0, 6.0, 4.0, 4.0, 7.0, 8.0]), min_gap=2)
    >>> rows.tolist(), prev.tolist()
    ([4], [1])
    """
    values = np.asarray(closes, dtype=np.float64)
    finite = ~np.isnan(values)
    # A missing close neither sets nor lowers the high-water mark; the first real close
    # is the baseline even when missing rows come before it.
    mask = record_mask(np.where(finite, values, -np.inf)) & finite
    if finite.any():
        mask[int(np.argmax(finite))] = False
    rec = np.flatnonzero(mask)
    between = np.diff(rec) - 1
    come = np.flatnonzero(between >= min_gap) + 1  # index into rec of each comeback
    return rec[come], rec[come - 1]


def record_forward_report(
    days: DayArray,
    closes: FloatArray,
    as_of: date | None = None,
    *,
    min_gap: int = COMEBACK_GAP,
    horizons: tuple[int, ...] = HORIZONS,
) -> RecordForwardReport:
    """The comeback records of ``closes`` (dated ``days``) up to ``as_of`` and what followed.

    Parameters
    ----------
    days : ndarray of datetime64[D]
        The sessions, ascending.
    closes : ndarray of float
        One close per session (``NaN``: missing).
    as_of : date, optional
        The last session on or before it is used (default: the last session).
    min_gap : int
        Sessions strictly between a record and the previous one for a comeback.
    horizons : tuple of int
        Forward horizons in sessions.

    Raises
    ------
    OutOfRangeError
        If ``as_of`` is outside the data.
    """
    pos = as_of_position(days, as_of)
    values = np.asarray(closes, dtype=np.float64)[: pos + 1]
    rows, prev = comeback_mask(values, min_gap)
    hs = np.asarray(horizons, dtype=np.int64)
    ahead = rows[:, None] + hs[None, :]  # (comebacks, horizons)
    inside = ahead <= pos
    with np.errstate(invalid="ignore", divide="ignore"):
        ret = values[np.minimum(ahead, pos)] / values[rows][:, None] - 1.0
    ret = np.where(inside, ret, np.nan)
    found = [
        ComebackRecord(
            record=to_datetime(days[r]),
            previous_record=to_datetime(days[q]),
            gap=int(r - q - 1),
            close=float(values[r]),
            forward={h: (None if np.isnan(x) else float(x)) for h, x in zip(horizons, ret[i], strict=True)},
        )
        for i, (r, q) in enumerate(zip(rows, prev, strict=True))
    ]
    latest = found[-1] if found else None
    episodes = tuple(found[:-1])
    summary = {
        h: summarize([x for e in episodes if (x := e.forward[h]) is not None]) for h in horizons
    }
    return RecordForwardReport(
        as_of=to_datetime(days[pos]),
        min_gap=min_gap,
        latest=latest,
        episodes=episodes,
        summary=summary,
        horizons=horizons,
        data_start=to_datetime(days[0]),
    )
