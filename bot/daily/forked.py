"""``post-daily --workers N`` on one machine: the post built once, then N forked senders.

Each ``post-daily`` process used to start from nothing: imports, the price refresh, the
summary and the chart (about 3 s of CPU) before its first send, so on a small machine N
processes spent longer starting than sending. Here the parent does that once, then forks N
children that only send: shard ``k/N`` walks every channel, its own first, through the same
exactly-once ledger as a lone run (:mod:`bot.daily.workers`). A child inherits the built
post; it drops the parent's database connections (``Engine.dispose(close=False)``, as
SQLAlchemy documents for a fork) and opens its own. Children send their outcomes to the
parent through a pipe; the parent prints one line per channel, the owner shard's word for
it (or, when the owner died, the word of a shard that swept it after), and exits 0 only
when every channel is confirmed and every child exited cleanly.

Where ``os.fork`` is missing (Windows), the shards run as separate processes instead.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections.abc import Sequence
from datetime import date

from bot.daily.commands import (
    EXIT_FAILURE,
    DailyRun,
    DailyServices,
    ready_post_daily,
    report_outcomes,
    settle_outcomes,
)
from bot.daily.workers import Shard, shard_order
from bot.services.delivery import Outcome, Reason

log = logging.getLogger(__name__)

__all__ = ["can_fork", "merge_outcomes", "post_daily_forked", "settle_outcomes"]


def can_fork() -> bool:
    return hasattr(os, "fork")


def merge_outcomes(run: DailyRun, results: Sequence[list[Outcome] | None]) -> list[Outcome]:
    """One outcome per channel of ``run``: the word of the shard that posted it (or found it)
    in this run, else its owner shard's (``i % N``), else a confirmed word of any shard, else
    any shard's; a channel no shard reported is failed.

    ``results[k]`` is shard ``k``'s outcomes, ``None`` when that child died.
    """
    count = len(results)
    by_shard = [
        {(o.team_id, o.channel_id): o for o in outs} if outs is not None else {} for outs in results
    ]
    merged: list[Outcome] = []
    for i, sub in enumerate(run.subs):
        key = (sub.team_id, sub.channel_id)
        words = [b[key] for b in by_shard if key in b]
        pick = (
            next((o for o in words if o.status in ("posted", "found")), None)
            or by_shard[i % count].get(key)
            or next((o for o in words if o.ok), None)
            or (words[0] if words else None)
        )
        if pick is None:
            pick = Outcome(sub.team_id, sub.channel_id, run.post.session, "failed",
                           Reason("crashed", error="no sender reported this channel", exception="ChildProcessError"))
        merged.append(pick)
    return merged


def _child(svc: DailyServices, run: DailyRun, shard: Shard, write_fd: int) -> int:
    svc.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
    outcomes = settle_outcomes(svc, svc.daily_sender, run.post, shard_order(run.subs, shard),
                               max_wait=run.max_wait)
    with os.fdopen(write_fd, "wb") as out:
        pickle.dump(outcomes, out)
    return 0


def post_daily_forked(svc: DailyServices, session: date | None, count: int) -> int:
    """``streakbot post-daily --workers N`` (N >= 2) with ``os.fork``."""
    run = ready_post_daily(svc, session)
    if isinstance(run, int):
        return run
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, int]] = []
    for k in range(count):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: send, report, and leave without running the parent's exit code
            os.close(read_fd)
            code = EXIT_FAILURE
            try:
                code = _child(svc, run, Shard(k, count), write_fd)
            except BaseException:
                log.exception("post-daily shard %d/%d failed", k, count)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(write_fd)
        children.append((pid, read_fd))
    results: list[list[Outcome] | None] = []
    clean = True
    for pid, read_fd in children:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        ok = os.waitstatus_to_exitcode(status) == 0 and bool(data)
        clean = clean and ok
        results.append(pickle.loads(data) if ok else None)
    code = report_outcomes(merge_outcomes(run, results))
    return code if clean else EXIT_FAILURE
