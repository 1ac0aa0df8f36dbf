"""Price files behind the :class:`~bot.domain.ports.PriceReader` port.

A reader returns daily bars for symbols in the shape of :mod:`bot.domain.bars`.
Implementations: the bundled files shipped in the package and a folder of CSVs
(``--data-dir``) here, Yahoo Finance (:mod:`bot.adapters.yahoo`) and the SQL store
(:mod:`bot.store.prices`).

Files are validated on reading (:mod:`bot.domain.validation`): a CSV folder with one bad
file is refused as a whole, with one line naming the file, the line and the problem.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from bot.adapters.manifest import BUNDLED_SOURCE, bundled_last_dates, bundled_manifest
from bot.domain.bars import COLUMNS as COLUMNS  # noqa: PLC0414 (re-export)
from bot.domain.errors import DataSourceError as DataSourceError  # noqa: PLC0414 (re-export)
from bot.domain.ports import CsvSeries, PriceReader
from bot.domain.symbols import KNOWN
from bot.domain.validation import Problem, Report, Sessions, check_bars, parse_price_file

PriceSource = PriceReader  # the name the readers used before the port existed


def symbol_for_stem(stem: str) -> str:
    """``GSPC`` -> ``^GSPC`` for the known indices; other stems are symbols as they are."""
    caret = "^" + stem.upper()
    return caret if caret in KNOWN else stem.upper()


def read_price_file(
    data: bytes, file: str, symbol: str, calendar: Sessions | None = None
) -> tuple[pd.DataFrame, Report]:
    """Parse and validate one price file; the frame is only meaningful when the report is ok."""
    frame, lines, report = parse_price_file(data, file, symbol)
    if report.ok:
        report.extend(check_bars(symbol, frame, calendar, lines=lines, file=file))
    return frame, report


class _FileSource:
    """Shared logic: one file per symbol, validated and cached."""

    name = "files"

    def __init__(self) -> None:
        self._cache: dict[str, pd.DataFrame] = {}

    def _files(self) -> dict[str, Traversable]:
        raise NotImplementedError

    def _read(self, symbol: str, handle: Traversable) -> pd.DataFrame:
        raise NotImplementedError

    def symbols(self) -> list[str]:
        return sorted(self._files())

    def bars(
        self, symbols: Sequence[str], start: date | None = None
    ) -> dict[str, pd.DataFrame]:
        files = self._files()
        out: dict[str, pd.DataFrame] = {}
        for sym in symbols:
            if sym not in files:
                continue
            if sym not in self._cache:
                self._cache[sym] = self._read(sym, files[sym])
            df = self._cache[sym]
            out[sym] = df if start is None else df[df.index >= pd.Timestamp(start)]
        return out


def _gunzip(handle: Traversable) -> bytes:
    return gzip.decompress(handle.read_bytes())


def _stem_files(entries: Iterable[Traversable], suffixes: Sequence[str]) -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for entry in sorted(entries, key=lambda e: e.name):
        for suffix in suffixes:
            if entry.name.endswith(suffix):
                found.setdefault(symbol_for_stem(entry.name[: -len(suffix)]), entry)
    return found


class BundledSource(_FileSource):
    """The real daily closes shipped inside the package (works offline, no set-up).

    Index files are price closes; ``etf_adjusted/`` holds dividend-adjusted ETF closes.
    The files are checked structurally on reading; the full validation (NYSE sessions
    included) is a test over every bundled file.
    """

    name = BUNDLED_SOURCE

    def _files(self) -> dict[str, Traversable]:
        root = resources.files("bot") / "data" / "bundled"
        entries = [*root.iterdir(), *(root / "etf_adjusted").iterdir()]
        return _stem_files(entries, (".csv.gz",))

    def _read(self, symbol: str, handle: Traversable) -> pd.DataFrame:
        frame, report = read_price_file(handle.read_bytes(), handle.name, symbol)
        if not report.ok:
            raise DataSourceError(f"bundled data {report.summary()}")
        return frame

    def last_dates(self) -> dict[str, date]:
        """The last session of every bundled series, from ``MANIFEST.json`` (no file is
        parsed): what lets a store seeded by an older release catch up cheaply."""
        return bundled_last_dates()

    def csv_files(self) -> dict[str, CsvSeries]:
        """Every bundled file (decompressed when read) with its manifest entry (for
        PostgreSQL's ``COPY``, :mod:`bot.store.pg_seed`)."""
        root = resources.files("bot") / "data" / "bundled"
        out: dict[str, CsvSeries] = {}
        for sym, entry in bundled_manifest().items():
            handle = root / str(entry["file"])
            out[sym] = CsvSeries(partial(_gunzip, handle), date.fromisoformat(str(entry["first"])),
                                 date.fromisoformat(str(entry["last"])), int(entry["rows"]))
        return out


class CsvDirSource(_FileSource):
    """A folder of per-symbol CSVs (``GSPC.csv`` for ^GSPC, ``IWM.csv``), optionally gzipped.

    Every file is read and validated when the source is made (against ``calendar`` when
    given, else weekends only): one bad file refuses the folder with a
    :class:`DataSourceError` naming the file, the line and the problem.
    """

    def __init__(self, folder: Path, calendar: Sessions | None = None) -> None:
        super().__init__()
        if not folder.is_dir():
            raise DataSourceError(f"data folder {folder} does not exist")
        self.folder = folder
        self.name = f"files in {folder}"
        report = Report()
        files = self._by_symbol = _stem_files(folder.iterdir(), CSV_SUFFIXES)
        for entry in sorted(folder.iterdir()):
            sym = _stem(entry.name)
            if sym is not None and files[sym].name != entry.name:
                report.problems.append(Problem(
                    sym, "duplicate file",
                    f"{files[sym].name} and {entry.name} are both {sym}: keep one", file=entry.name,
                ))
        for sym, handle in files.items():
            try:
                data = handle.read_bytes()
            except OSError as exc:
                report.problems.append(Problem(sym, "unreadable", f"cannot read ({exc.strerror})",
                                               file=handle.name))
                continue
            frame, checked = read_price_file(data, handle.name, sym, calendar)
            report.extend(checked)
            self._cache[sym] = frame
        if not report.ok:
            raise DataSourceError(f"data folder {folder} refused: {report.summary()}")

    def _files(self) -> dict[str, Traversable]:
        return self._by_symbol

    def _read(self, symbol: str, handle: Traversable) -> pd.DataFrame:
        return self._cache[symbol]


CSV_SUFFIXES = (".csv", ".csv.gz")


def _stem(name: str) -> str | None:
    for suffix in CSV_SUFFIXES:
        if name.endswith(suffix):
            return symbol_for_stem(name[: -len(suffix)])
    return None
