"""The shape of daily bars that every price source hands out.

A bars frame is indexed by naive session dates named ``date``, ascending and unique, with
float columns ``open``, ``high``, ``low``, ``close``, ``volume`` (NaN where unknown). The
index is ``datetime64[ns]``, like the calendar's sessions: pandas 3 infers a resolution per
input (seconds from ``date`` objects, microseconds from strings), so every source pins it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from bot.domain.time import NY_TZ

COLUMNS: tuple[str, ...] = ("open", "high", "low", "close", "volume")


def empty_bars() -> pd.DataFrame:
    """An empty bars frame with the standard columns and index."""
    return pd.DataFrame(
        {c: pd.Series(dtype="float64") for c in COLUMNS},
        index=pd.DatetimeIndex([], dtype="datetime64[ns]", name="date"),
    )


def normalise_bars(df: pd.DataFrame) -> pd.DataFrame:
    """Standard shape: naive date index named ``date``, the five float columns, sorted.

    A tz-aware index is converted to New York time before its date is taken (dropping the
    zone would keep another zone's wall date). Duplicate dates are kept, in order, so
    validation can see and reject them.
    """
    out = df.copy()
    out.columns = [str(c).lower() for c in out.columns]
    if "date" in out.columns:
        out = out.set_index("date")
    idx = pd.DatetimeIndex(pd.to_datetime(out.index))
    if idx.tz is not None:
        idx = idx.tz_convert(NY_TZ).tz_localize(None)
    out.index = idx.normalize().as_unit("ns").rename("date")
    for c in COLUMNS:
        if c not in out.columns:
            out[c] = float("nan")
    out = out[list(COLUMNS)].astype("float64")
    return out.sort_index(kind="stable")


def merge_bars(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate bars; later frames win on duplicate dates."""
    parts = [f for f in frames if not f.empty]
    if not parts:
        return empty_bars()
    df = pd.concat(parts)
    return df[~df.index.duplicated(keep="last")].sort_index()
