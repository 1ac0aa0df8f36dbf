"""One validation for price data: Yahoo downloads, CSV folders and the bundled files.

Pure functions that return a :class:`Report` (problems reject the data, flags are
reported and accepted); callers decide what a rejection means (the updater leaves the
store untouched, a CSV folder is refused, the bundled files are checked by a test).

Rules
-----
* **Dates**: ISO ``YYYY-MM-DD`` in files; a tz-aware index is converted to
  America/New_York and its date taken there (never just stripped of its zone, see
  :func:`bot.domain.bars.normalise_bars`). Strictly ascending, no duplicates, and NYSE
  sessions: from :data:`~bot.domain.time.CALENDAR_RELIABLE_FROM` (1970) against the
  ``exchange_calendars`` XNYS calendar, or, where no calendar is at hand, weekends only.
* **Closes**: numeric, finite and positive. ``open``/``high``/``low``/``volume`` are
  numeric or empty.
* **Plausibility**: a session move (close against the previous row's close) beyond
  ±:data:`MAX_INDEX_MOVE` (25%) is rejected for the price indices in
  :data:`PRICE_INDICES` -- that is a 10x print or a lost digit, not a market: the worst
  real session, the S&P 500 on 1987-10-19, was -20.47%. For everything else (ETFs,
  ``^VIX``, a volatility *level* that rose 115% on 2018-02-05) such a move is flagged and
  accepted.
* **Revisions** (downloads only): a close revised by more than :data:`MAX_REVISION`
  (5%) in the re-read overlap window is rejected as suspicious, and so is an overlap whose
  closes match the stored closes one session away (dates shifted by a day).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd

from bot.domain.bars import COLUMNS, empty_bars
from bot.domain.sessions import CALENDAR_RELIABLE_FROM
from bot.domain.symbols import MAIN_INDICES

__all__ = [
    "MAX_INDEX_MOVE",
    "MAX_REVISION",
    "PRICE_INDICES",
    "Problem",
    "Report",
    "check_bars",
    "check_moves",
    "check_overlap",
    "parse_price_file",
]

PRICE_INDICES: frozenset[str] = frozenset(MAIN_INDICES)  # ^GSPC ^NDX ^IXIC ^DJI ^RUT
MAX_INDEX_MOVE = 0.25
MAX_REVISION = 0.05
REVISION_TOLERANCE = 0.01  # absolute: below this a re-read close is rounding, not a revision
PER_CHECK_LIMIT = 20  # problems itemised per check; the rest are only counted

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_OPTIONAL = ("open", "high", "low", "volume")
_RELIABLE_FROM = pd.Timestamp(CALENDAR_RELIABLE_FROM)


class Sessions(Protocol):
    """What validation needs of the NYSE sessions (a :class:`~bot.domain.ports.SessionCalendar`)."""

    @property
    def first_session(self) -> date: ...

    @property
    def last_session(self) -> date: ...

    def sessions(self, start: date, end: date) -> pd.DatetimeIndex: ...


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a series, located as precisely as the source allows."""

    symbol: str
    kind: str
    detail: str
    day: date | None = None
    value: float | None = None
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file} line {self.line}"
        elif self.day is None or f"{self.day:%Y-%m-%d}" in self.detail.split(" from ")[0]:
            where = self.symbol
        else:
            where = f"{self.symbol} {self.day:%Y-%m-%d}"
        return f"{where}: {self.detail}"


@dataclass
class Report:
    """Problems (the data is rejected) and flags (suspicious, accepted, reported)."""

    problems: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)
    omitted: int = 0  # further problems counted but not itemised

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def count(self) -> int:
        return len(self.problems) + self.omitted

    def extend(self, other: Report) -> None:
        self.problems += other.problems
        self.flags += other.flags
        self.omitted += other.omitted

    def summary(self) -> str:
        """The first problem in one line, with how many more there are."""
        if not self.problems:
            return "no problems"
        more = self.count - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return f"{self.problems[0]}{suffix}"

    def _add(self, problems: list[Problem], *, flag: bool = False) -> None:
        target = self.flags if flag else self.problems
        target += problems[:PER_CHECK_LIMIT]
        if not flag:
            self.omitted += max(0, len(problems) - PER_CHECK_LIMIT)


def _num(v: float) -> str:
    return f"{v:.10g}"


def _where(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)]


# --------------------------------------------------------------------------- files
def parse_price_file(
    data: bytes, file: str, symbol: str
) -> tuple[pd.DataFrame, list[int], Report]:
    """Parse a price CSV (gzipped when ``file`` ends in ``.gz``) without trusting it.

    Returns the rows in file order as standard bars (see :mod:`bot.domain.bars`; rows
    with problems are left out), the line number of each row, and the report. Order,
    sessions and moves are checked by :func:`check_bars`.
    """
    report = Report()

    def refuse(kind: str, detail: str, line: int | None = None) -> tuple[pd.DataFrame, list[int], Report]:
        report.problems.append(Problem(symbol, kind, detail, file=file, line=line))
        return empty_bars(), [], report

    if file.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            return refuse("unreadable", f"not a valid gzip file ({exc})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return refuse("unreadable", f"not UTF-8 text (byte {exc.start}: {exc.reason})")
    if not text.strip():
        return refuse("unreadable", "the file is empty")

    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    width_problems: list[Problem] = []
    header: list[str] | None = None
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                missing = [c for c in ("date", "close") if c not in header]
                if missing:
                    return refuse(
                        "missing column",
                        f"no {' or '.join(missing)} column (the header is {','.join(row)!r}; "
                        "a price CSV needs at least date and close)",
                        reader.line_num,
                    )
                continue
            if len(row) != len(header):
                width_problems.append(Problem(
                    symbol, "bad row", f"{len(row)} fields where the header has {len(header)}",
                    file=file, line=reader.line_num,
                ))
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        return refuse("unreadable", f"not a CSV file ({exc})", reader.line_num)
    report._add(width_problems)
    if header is None:
        return refuse("unreadable", "the file is empty")
    if not rows:
        if report.ok:
            report.problems.append(Problem(symbol, "no rows", "no price rows under the header",
                                           file=file))
        return empty_bars(), [], report

    table = pd.DataFrame(rows, columns=header, dtype=object)
    line_arr = np.asarray(lines)
    keep = np.ones(len(table), dtype=bool)

    raw_dates = table["date"].astype(str).str.strip()
    iso = raw_dates.str.fullmatch(_ISO_DATE.pattern).to_numpy(dtype=bool, na_value=False)
    parsed = pd.to_datetime(raw_dates.where(iso), format="%Y-%m-%d", errors="coerce")
    bad_date = np.asarray(parsed.isna(), dtype=bool)
    report._add([
        Problem(symbol, "bad date", f"date {raw_dates.iat[i]!r} is not an ISO date (YYYY-MM-DD)",
                file=file, line=int(line_arr[i]))
        for i in _where(bad_date)
    ])
    keep &= ~bad_date

    values: dict[str, np.ndarray] = {}
    for col in ("close", *_OPTIONAL):
        if col not in table.columns:
            values[col] = np.full(len(table), np.nan)
            continue
        raw = table[col].astype(str).str.strip()
        empty = (raw == "").to_numpy(dtype=bool)
        num = pd.to_numeric(raw.where(~empty), errors="coerce").to_numpy(dtype=np.float64)
        not_number = ~empty & ~np.isfinite(num)
        report._add([
            Problem(symbol, "bad number", f"{col} {raw.iat[i]!r} is not a number",
                    file=file, line=int(line_arr[i]))
            for i in _where(not_number)
        ])
        keep &= ~not_number
        if col == "close":
            report._add([
                Problem(symbol, "bad close", "close is empty", file=file, line=int(line_arr[i]))
                for i in _where(empty)
            ])
            not_positive = np.isfinite(num) & (num <= 0)
            report._add([
                Problem(symbol, "bad close", f"close {raw.iat[i]} is not positive",
                        value=float(num[i]), file=file, line=int(line_arr[i]))
                for i in _where(not_positive)
            ])
            keep &= ~empty & ~not_positive
        values[col] = num

    index = pd.DatetimeIndex(parsed[keep], name="date").as_unit("ns")
    frame = pd.DataFrame({c: values[c][keep] for c in COLUMNS}, index=index).astype("float64")
    return frame, [int(x) for x in line_arr[keep]], report


# --------------------------------------------------------------------------- series
def check_bars(
    symbol: str,
    df: pd.DataFrame,
    calendar: Sessions | None = None,
    *,
    lines: Sequence[int] | None = None,
    file: str | None = None,
    moves: bool = True,
) -> Report:
    """Dates ascending, unique and NYSE sessions; closes positive; session moves plausible.

    ``df`` is in source order (a file's rows, or a download), indexed by naive dates.
    ``lines`` locates each row in ``file`` for the messages.
    """
    report = Report()
    if df.empty:
        return report
    idx = pd.DatetimeIndex(df.index)
    line_of = list(lines) if lines is not None else None

    def at(i: int, kind: str, detail: str, value: float | None = None) -> Problem:
        return Problem(symbol, kind, detail, day=idx[i].date(), value=value, file=file,
                       line=line_of[i] if line_of is not None else None)

    def loc(i: int) -> str:
        return f"line {line_of[i]}" if line_of is not None else f"{idx[i]:%Y-%m-%d}"

    closes = df["close"].to_numpy(dtype=np.float64)
    seen: dict[pd.Timestamp, int] = {}
    dups: list[Problem] = []
    unsorted: list[Problem] = []
    # Strictly ascending dates have no duplicate and no disorder: the row-by-row walk that
    # words each problem runs only when there is one (it cost ~2 s over the bundled data).
    ascending = bool(np.all(np.diff(idx.asi8) > 0))
    for i, ts in enumerate(() if ascending else idx):
        if ts in seen:
            j = seen[ts]
            where = f"line {line_of[j]}" if line_of is not None else "an earlier row"
            dups.append(at(i, "duplicate date", f"date {ts:%Y-%m-%d} repeats {where} "
                           f"(closes {_num(closes[j])} and {_num(closes[i])})"))
            continue
        seen[ts] = i
        if i and ts < idx[i - 1]:
            unsorted.append(at(i, "unsorted", f"date {ts:%Y-%m-%d} comes after "
                               f"{idx[i - 1]:%Y-%m-%d} ({loc(i - 1)}): dates must be ascending"))
    report._add(dups)
    report._add(unsorted)

    report._add(_session_problems(idx, calendar, at))

    bad = ~np.isfinite(closes) | (closes <= 0)
    report._add([
        at(i, "bad close", f"close {_num(closes[i])} is not positive"
           if np.isfinite(closes[i]) else "close is missing", float(closes[i]))
        for i in _where(bad)
    ])
    if moves and report.ok:
        report.extend(check_moves(symbol, df["close"], lines=line_of, file=file))
    return report


def _session_problems(idx: pd.DatetimeIndex, calendar: Sessions | None, at: _At) -> list[Problem]:
    checked = np.asarray(idx >= _RELIABLE_FROM)
    weekend = checked & (np.asarray(idx.day_of_week) >= 5)
    out = [
        at(i, "not a session", f"{idx[i]:%Y-%m-%d} is a {idx[i]:%A}, not an NYSE session")
        for i in _where(weekend)
    ]
    if calendar is None:
        return out
    first, last = pd.Timestamp(calendar.first_session), pd.Timestamp(calendar.last_session)
    after = checked & np.asarray(idx > last)
    out += [
        at(i, "not a session", f"{idx[i]:%Y-%m-%d} is after the NYSE calendar "
           f"(known to {last:%Y-%m-%d})")
        for i in _where(after)
    ]
    inside = checked & ~weekend & np.asarray((idx >= first) & (idx <= last))
    if inside.any():
        span = idx[inside]
        sessions = calendar.sessions(span.min().date(), span.max().date())
        closed = inside & ~np.asarray(idx.isin(sessions))
        out += [
            at(i, "not a session", f"{idx[i]:%Y-%m-%d} is not an NYSE session "
               "(the exchange was closed)")
            for i in _where(closed)
        ]
    return out


class _At(Protocol):
    def __call__(self, i: int, kind: str, detail: str, value: float | None = None) -> Problem: ...


def check_moves(
    symbol: str,
    closes: pd.Series,
    *,
    only_from: pd.Timestamp | None = None,
    lines: Sequence[int] | None = None,
    file: str | None = None,
) -> Report:
    """Session moves beyond ±25%: rejected for :data:`PRICE_INDICES`, flagged otherwise.

    ``closes`` is one sorted, unique series; only moves onto dates ``>= only_from`` are
    checked (a download is checked against the stored close before it).
    """
    report = Report()
    values = closes.to_numpy(dtype=np.float64)
    if len(values) < 2:
        return report
    move = values[1:] / values[:-1] - 1
    big = np.abs(move) > MAX_INDEX_MOVE
    idx = pd.DatetimeIndex(closes.index)
    if only_from is not None:
        big &= np.asarray(idx[1:] >= only_from)
    index = symbol in PRICE_INDICES
    found = []
    for k in _where(big):
        i = k + 1
        detail = (
            f"close {_num(values[i])} is a {move[k]:+.2%} move from {_num(values[i - 1])} on "
            f"{idx[i - 1]:%Y-%m-%d}"
        )
        detail += (": an index session move beyond ±25% is implausible" if index
                   else " (beyond ±25%: flagged, accepted)")
        found.append(Problem(symbol, "implausible move" if index else "large move", detail,
                             day=idx[i].date(), value=float(values[i]), file=file,
                             line=lines[i] if lines is not None else None))
    report._add(found, flag=not index)
    return report


def check_overlap(symbol: str, stored: pd.Series, fetched: pd.Series) -> Report:
    """A re-read overlap window: revisions beyond 5% and dates shifted by one session.

    ``stored`` and ``fetched`` are sorted, unique close series; only common dates count.
    """
    report = Report()
    both = pd.concat({"old": stored, "new": fetched}, axis=1, join="inner")
    if both.empty:
        return report
    old, new = both["old"].to_numpy(np.float64), both["new"].to_numpy(np.float64)
    revised = np.abs(new - old) > REVISION_TOLERANCE
    if revised.sum() >= 2 and revised.sum() >= len(both) - 1:
        pos = stored.index.get_indexer(both.index)
        svals = stored.to_numpy(np.float64)
        for step, word in ((-1, "previous"), (1, "next")):
            ok = (pos + step >= 0) & (pos + step < len(svals))
            neighbour = np.where(ok, svals[np.clip(pos + step, 0, len(svals) - 1)], np.nan)
            match = ok & (np.abs(new - neighbour) <= REVISION_TOLERANCE)
            if match[revised].all():
                report.problems.append(Problem(
                    symbol, "shifted dates",
                    f"the dates look shifted by one session: {int(match.sum())} re-read closes "
                    f"equal the stored closes of the {word} session (a timezone mix-up?)",
                ))
                return report
    rel = new / old - 1
    report._add([
        Problem(symbol, "revision",
                f"close revised from {_num(old[i])} to {_num(new[i])} ({rel[i]:+.2%}): "
                "a revision of more than 5% is suspicious",
                day=both.index[i].date(), value=float(new[i]))
        for i in _where(np.abs(rel) > MAX_REVISION)
    ])
    return report
