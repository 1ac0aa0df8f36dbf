"""Price sources behind one small interface.

A :class:`PriceSource` returns daily bars for symbols: a DataFrame indexed by naive
session dates (``date``), ascending and unique, with float columns ``open``, ``high``,
``low``, ``close``, ``volume`` (NaN where unknown). Implementations: the bundled files
shipped in the package, a folder of CSVs (``--data-dir``), Yahoo Finance
(:mod:`bot.data.yahoo`) and the SQL store (:mod:`bot.store.prices`).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import IO, Protocol

import pandas as pd

from bot.symbols import KNOWN

COLUMNS: tuple[str, ...] = ("open", "high", "low", "close", "volume")


class DataSourceError(RuntimeError):
    """A source could not deliver data (network down, bad file...)."""


class PriceSource(Protocol):
    """Anything that can hand out daily bars."""

    name: str

    def symbols(self) -> list[str]:
        """Symbols this source can serve without a network call (may be empty)."""
        ...

    def bars(
        self, symbols: Sequence[str], start: date | None = None
    ) -> dict[str, pd.DataFrame]:
        """Daily bars per symbol from ``start`` (inclusive; all history if ``None``).

        Symbols the source has nothing for are left out of the result.
        """
        ...


def empty_bars() -> pd.DataFrame:
    """An empty bars frame with the standard columns and index."""
    return pd.DataFrame(
        {c: pd.Series(dtype="float64") for c in COLUMNS},
        index=pd.DatetimeIndex([], name="date"),
    )


def normalise_bars(df: pd.DataFrame) -> pd.DataFrame:
    """Standard shape: naive date index named ``date``, the five float columns, sorted."""
    out = df.copy()
    out.columns = [str(c).lower() for c in out.columns]
    if "date" in out.columns:
        out = out.set_index("date")
    idx = pd.DatetimeIndex(pd.to_datetime(out.index))
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    out.index = idx.normalize().rename("date")
    for c in COLUMNS:
        if c not in out.columns:
            out[c] = float("nan")
    out = out[list(COLUMNS)].astype("float64")
    out = out[~out.index.duplicated(keep="last")].sort_index()
    return out


def symbol_for_stem(stem: str) -> str:
    """``GSPC`` -> ``^GSPC`` for the known indices; other stems are symbols as they are."""
    caret = "^" + stem.upper()
    return caret if caret in KNOWN else stem.upper()


def read_csv_bars(fh: IO[bytes] | IO[str] | Path) -> pd.DataFrame:
    """Read a ``date,close[,open,high,low,volume]`` CSV into standard bars."""
    df = pd.read_csv(fh)  # type: ignore[arg-type]
    if "date" not in [str(c).lower() for c in df.columns] or "close" not in [
        str(c).lower() for c in df.columns
    ]:
        raise DataSourceError("a price CSV needs at least the columns date and close")
    return normalise_bars(df)


class _FileSource:
    """Shared logic: one file per symbol, read lazily, cached."""

    name = "files"

    def __init__(self) -> None:
        self._cache: dict[str, pd.DataFrame] = {}

    def _files(self) -> dict[str, object]:
        raise NotImplementedError

    def _read(self, handle: object) -> pd.DataFrame:
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
                self._cache[sym] = self._read(files[sym])
            df = self._cache[sym]
            out[sym] = df if start is None else df[df.index >= pd.Timestamp(start)]
        return out


class BundledSource(_FileSource):
    """The real daily closes shipped inside the package (works offline, no set-up).

    Index files are price closes; ``etf_adjusted/`` holds dividend-adjusted ETF closes.
    """

    name = "bundled data"

    def _files(self) -> dict[str, object]:
        root = resources.files("bot") / "data" / "bundled"
        found: dict[str, object] = {}
        for folder in (root, root / "etf_adjusted"):
            for entry in folder.iterdir():
                if entry.name.endswith(".csv.gz"):
                    found[symbol_for_stem(entry.name[: -len(".csv.gz")])] = entry
        return found

    def _read(self, handle: object) -> pd.DataFrame:
        with handle.open("rb") as raw, gzip.open(raw) as fh:  # type: ignore[attr-defined]
            return read_csv_bars(fh)  # type: ignore[arg-type]


class CsvDirSource(_FileSource):
    """A folder of per-symbol CSVs (``GSPC.csv`` for ^GSPC, ``IWM.csv``), optionally gzipped."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        if not folder.is_dir():
            raise DataSourceError(f"data folder {folder} does not exist")
        self.folder = folder
        self.name = f"files in {folder}"

    def _files(self) -> dict[str, object]:
        found: dict[str, object] = {}
        for path in sorted(self.folder.iterdir()):
            for suffix in (".csv", ".csv.gz"):
                if path.name.endswith(suffix):
                    found[symbol_for_stem(path.name[: -len(suffix)])] = path
        return found

    def _read(self, handle: object) -> pd.DataFrame:
        path = Path(str(handle))
        try:
            return read_csv_bars(path)
        except (OSError, ValueError) as exc:
            raise DataSourceError(f"cannot read {path.name}: {exc}") from exc


def merge_bars(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate bars; later frames win on duplicate dates."""
    parts = [f for f in frames if not f.empty]
    if not parts:
        return empty_bars()
    df = pd.concat(parts)
    return df[~df.index.duplicated(keep="last")].sort_index()
