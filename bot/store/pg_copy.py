"""PostgreSQL's binary ``COPY`` stream for ``bars`` rows, built by numpy without a Python
object per row.

``copy.write_row`` turns each row into Python objects and encodes them one at a time; for
the 170,000 bundled rows that is most of a seed. The binary format is fixed-width once a
row's NULL cells are known: a 16-bit field count, then each field as a 32-bit length
(``-1`` for NULL) and its big-endian bytes. Rows are grouped by which cells are NULL (a
handful of patterns: indices have no volume, early sessions only a close), each group is
one structured array filled column by column, and the groups are concatenated: ``COPY``
does not care about row order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = (-1).to_bytes(2, "big", signed=True)
PG_EPOCH_DAY = np.datetime64("2000-01-01", "D")  # PostgreSQL dates count days from here


def bars_copy_data(
    symbol: str, days: NDArray[np.datetime64], values: NDArray[np.float64]
) -> bytes:
    """The binary ``COPY bars (symbol, date, c1, ..., cn) FROM STDIN (FORMAT binary)`` data
    for one symbol: ``days`` as ``datetime64[D]``, ``values`` one float64 column per value
    column (NaN is NULL)."""
    sym = symbol.encode("utf-8")
    day_numbers = (days.astype("datetime64[D]") - PG_EPOCH_DAY).astype(np.int32)
    nulls = np.isnan(values)
    patterns, which = np.unique(nulls, axis=0, return_inverse=True)
    chunks = [HEADER]
    for k, pattern in enumerate(patterns):
        rows = np.flatnonzero(which.reshape(-1) == k)
        fields: list[tuple[str, Any]] = [
            ("count", ">i2"), ("sym_len", ">i4"), ("sym", f"S{len(sym)}"),
            ("date_len", ">i4"), ("date", ">i4"),
        ]
        for j, is_null in enumerate(pattern.tolist()):
            fields.append((f"len{j}", ">i4"))
            if not is_null:
                fields.append((f"v{j}", ">f8"))
        block = np.empty(rows.size, dtype=np.dtype(fields))
        block["count"] = 2 + values.shape[1]
        block["sym_len"] = len(sym)
        block["sym"] = sym
        block["date_len"] = 4
        block["date"] = day_numbers[rows]
        for j, is_null in enumerate(pattern.tolist()):
            block[f"len{j}"] = -1 if is_null else 8
            if not is_null:
                block[f"v{j}"] = values[rows, j]
        chunks.append(block.tobytes())
    chunks.append(TRAILER)
    return b"".join(chunks)
