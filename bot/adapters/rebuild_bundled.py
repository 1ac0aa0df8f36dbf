"""Rebuild ``bot/data/bundled/`` from the project's shared data folder.

The bundled files are the shared CSVs (``../shared/data`` beside the repository: the
index files and ``etf_adjusted/``), each gzipped as it is, byte for byte, with a zero
timestamp and no file name in the gzip header, so rebuilding twice gives identical
bytes. Files that are no longer in the shared folder are removed.

Run from the repository: ``python -m bot.adapters.rebuild_bundled [--shared DIR]``; the shared
folder defaults to ``$STREAKBOT_SHARED_DATA``, else ``../shared/data`` beside the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.adapters.manifest import MANIFEST_NAME
from bot.adapters.sources import symbol_for_stem

PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data" / "bundled"
REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA_ENV = "STREAKBOT_SHARED_DATA"


def shared_data_dir() -> Path:
    """Where the shared data folder is expected (it may be absent)."""
    override = os.environ.get(SHARED_DATA_ENV)
    return Path(override) if override else REPO_ROOT.parent / "shared" / "data"

FOLDERS: tuple[str, ...] = ("", "etf_adjusted")  # the index files, then the adjusted ETFs


def shared_csvs(shared: Path) -> dict[str, Path]:
    """The CSVs to bundle, by their path relative to the data folder (``etf_adjusted/SPY.csv``)."""
    found: dict[str, Path] = {}
    for folder in FOLDERS:
        for path in sorted((shared / folder).glob("*.csv")):
            found[path.relative_to(shared).as_posix()] = path
    return found


def bundled_files(bundled: Path) -> dict[str, Path]:
    """The bundled gzip files, by the relative path of the CSV they hold."""
    found: dict[str, Path] = {}
    for folder in FOLDERS:
        for path in sorted((bundled / folder).glob("*.csv.gz")):
            found[path.relative_to(bundled).as_posix()[: -len(".gz")]] = path
    return found


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip: no timestamp, no file name, maximum compression."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def manifest(sources: dict[str, Path]) -> dict[str, dict[str, object]]:
    """Per symbol: its file, first and last date, and row count (``MANIFEST.json``).

    The shared CSVs are sorted ISO dates with a header line, so the first and last data
    lines give the range without parsing the values.
    """
    out: dict[str, dict[str, object]] = {}
    for rel, src in sources.items():
        lines = [ln for ln in src.read_text(encoding="utf-8").splitlines()[1:] if ln]
        stem = Path(rel).name[: -len(".csv")]
        out[symbol_for_stem(stem)] = {
            "file": f"{rel}.gz",
            "first": lines[0].split(",", 1)[0],
            "last": lines[-1].split(",", 1)[0],
            "rows": len(lines),
        }
    return dict(sorted(out.items()))


def manifest_bytes(sources: dict[str, Path]) -> bytes:
    return (json.dumps(manifest(sources), indent=1, sort_keys=True) + "\n").encode()


def rebuild(shared: Path, bundled: Path) -> list[str]:
    """Write every shared CSV into ``bundled`` as ``.csv.gz``, and the manifest; returns
    what changed."""
    sources = shared_csvs(shared)
    if not sources:
        raise FileNotFoundError(f"no CSV files in {shared}")
    changed: list[str] = []
    for rel, src in sources.items():
        dest = bundled / f"{rel}.gz"
        data = gzip_bytes(src.read_bytes())
        if not dest.exists() or dest.read_bytes() != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            changed.append(f"wrote {rel}.gz")
    for rel, path in bundled_files(bundled).items():
        if rel not in sources:
            path.unlink()
            changed.append(f"removed {rel}.gz")
    data = manifest_bytes(sources)
    dest = bundled / MANIFEST_NAME
    if not dest.exists() or dest.read_bytes() != data:
        dest.write_bytes(data)
        changed.append(f"wrote {MANIFEST_NAME}")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = shared_data_dir()
    p.add_argument("--shared", type=Path, default=default, help=f"default: {default}")
    p.add_argument("--out", type=Path, default=PACKAGE_DATA, help=f"default: {PACKAGE_DATA}")
    args = p.parse_args(argv)
    try:
        changed = rebuild(args.shared, args.out)
    except OSError as exc:
        print(f"rebuild_bundled: {exc}", file=sys.stderr)
        return 1
    for line in changed:
        print(line)
    print(f"{len(changed)} change(s); {len(shared_csvs(args.shared))} files bundled in {args.out}")
    if changed:  # the shipped store holds these rows too (a test fails until it is rebuilt)
        print("now run: python -m bot.rebuild_store")
    return 0


if __name__ == "__main__":
    sys.exit(main())
