"""The binary COPY stream of bars rows: byte for byte on a hand-built case, and through a
real PostgreSQL server (skipped without one) back to the same values."""

from __future__ import annotations

import struct
from datetime import date

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from bot.store.pg_copy import HEADER, TRAILER, bars_copy_data
from bot.store.prices import PriceStore


def test_one_row_with_a_null_cell_byte_for_byte() -> None:
    days = np.array(["2000-01-03"], dtype="datetime64[D]")  # day 2 after PostgreSQL's epoch
    values = np.array([[1.5, np.nan]])
    expected = (
        b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
        + struct.pack(">h", 4)  # symbol, date and two values
        + struct.pack(">i", 3) + b"^VX"
        + struct.pack(">ii", 4, 2)
        + struct.pack(">id", 8, 1.5)
        + struct.pack(">i", -1)  # NULL: a length of -1, no bytes
        + struct.pack(">h", -1)
    )
    assert bars_copy_data("^VX", days, values) == expected


def test_rows_are_grouped_by_their_null_cells() -> None:
    days = np.array(["1999-12-31", "2000-01-01", "2000-01-02"], dtype="datetime64[D]")
    values = np.array([[np.nan, 1.0], [2.0, 3.0], [np.nan, 4.0]])
    data = bars_copy_data("A", days, values)
    assert data.startswith(HEADER) and data.endswith(TRAILER)
    body = data[len(HEADER):-len(TRAILER)]

    def row(day: int, first: float | None, second: float) -> bytes:
        cell = struct.pack(">i", -1) if first is None else struct.pack(">id", 8, first)
        return struct.pack(">hi", 4, 1) + b"A" + struct.pack(">ii", 4, day) + cell + struct.pack(">id", 8, second)

    # np.unique orders the NULL patterns: (no NULL) first, then (first cell NULL), each
    # group in the rows' own order.
    assert body == row(0, 2.0, 3.0) + row(-1, None, 1.0) + row(1, None, 4.0)


@pytest.mark.postgres
def test_written_through_copy_reads_back_the_same(pg_engine: sa.Engine) -> None:
    idx = pd.DatetimeIndex(["1928-01-03", "2026-09-16", "2026-09-17"]).as_unit("ns")
    df = pd.DataFrame(
        {"open": [np.nan, 6600.25, 6610.5], "high": [np.nan, 6620.0, 6631.75],
         "low": [np.nan, 6590.0, 6601.0], "close": [17.76, 6612.5, 6629.07],
         "volume": [np.nan, np.nan, 3.2e9]},
        index=idx,
    )
    store = PriceStore(pg_engine)
    assert store.write("^GSPC", df, "test") == 3
    got = store.bars(["^GSPC"])["^GSPC"]
    pd.testing.assert_frame_equal(got, df, check_freq=False, check_names=False)
    info = store.info()["^GSPC"]
    assert (info.first_date, info.last_date, info.rows) == (date(1928, 1, 3), date(2026, 9, 17), 3)
