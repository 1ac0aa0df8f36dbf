"""What the store holds per symbol, and which stored series are behind a source.

No pandas here: the light one-shot start asks :func:`behind` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class SeriesInfo:
    """What the store holds for one symbol."""

    symbol: str
    source: str
    first_date: date | None
    last_date: date | None
    rows: int
    updated_at: datetime


class SeriesEnd(Protocol):
    """Who wrote a stored series last, and its last session (a :class:`SeriesInfo` is one)."""

    @property
    def source(self) -> str: ...

    @property
    def last_date(self) -> date | None: ...


@dataclass(frozen=True)
class StoredEnd:
    """A :class:`SeriesEnd` read without the rest of the series row."""

    source: str
    last_date: date | None


def behind(stored: Mapping[str, date | None], last_dates: Mapping[str, date]) -> list[str]:
    """Symbols of ``last_dates`` that ``stored`` lacks or that end earlier there."""
    return sorted(
        sym for sym, last in last_dates.items()
        if (have := stored.get(sym)) is None or have < last
    )
