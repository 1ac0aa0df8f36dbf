"""``post-daily --workers N``: the daily post delivered by N processes sharing one ledger.

Each process is a shard ``k/N``. It walks every subscription, its own first (those whose
position ``i`` has ``i % N == k``) and then the others, through the same exactly-once
ledger as a single run. The ledger is the coordination: a channel is claimed with one
INSERT on a UNIQUE (team, channel, session) key, so whichever process gets there first
posts it and every other gets "already claimed" at the cost of one failed insert -- the
same effect as ``SELECT ... FOR UPDATE SKIP LOCKED`` on a work queue, without a queue
table, and on SQLite as well. A channel another shard is posting right now is waited for,
as a single run waits, so every shard's exit status speaks for every channel.

Processes may run on one machine (``--workers N`` builds the post once and forks N senders,
:mod:`bot.daily.forked`; without ``fork`` it starts N children, ``--shard k/N`` each, all alike
so none gets a head start, and waits for them) or on several (start
``post-daily --shard k/N`` on each, against one PostgreSQL). Each process paces its own Slack calls: a 429's
``Retry-After`` pauses that process's senders for that workspace (Slack's limits are per
app and workspace, so N processes may draw N times the 429s, each honoured).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from bot.domain.errors import UserError

T = TypeVar("T")

__all__ = ["Shard", "parse_shard", "shard_order", "start_workers"]


@dataclass(frozen=True)
class Shard:
    index: int
    count: int


def parse_shard(text: str) -> Shard:
    """``"1/3"`` -> ``Shard(1, 3)``."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit()) or not 0 <= int(k) < int(n):
        raise UserError(f"'{text}' is not a shard: use K/N with 0 <= K < N, e.g. 1/3.")
    return Shard(int(k), int(n))


def shard_order(items: Sequence[T], shard: Shard) -> list[T]:
    """``items`` with this shard's own (``i % count == index``) first, then every other
    shard's in turn, starting with the next one (so the shards' sweeps start apart)."""
    out: list[T] = []
    for step in range(shard.count):
        k = (shard.index + step) % shard.count
        out.extend(x for i, x in enumerate(items) if i % shard.count == k)
    return out


def start_workers(count: int, session: date | None, extra: Sequence[str] = ()) -> list[subprocess.Popen[bytes]]:
    """Start shards ``0/count`` .. ``count-1/count`` of ``post-daily`` as child processes.

    They inherit this process's environment (settings, ``DATABASE_URL``) and output.
    """
    args = [sys.executable, "-m", "bot.cli", *extra, "post-daily"]
    if session is not None:
        args += ["--session", session.isoformat()]
    return [subprocess.Popen([*args, "--shard", f"{k}/{count}"]) for k in range(count)]
