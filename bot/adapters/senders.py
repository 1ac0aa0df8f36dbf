"""Who holds a post's claim, and whether that sender can still be sending.

A claim is held by ``host:pid:token`` (the ledger's ``claimed_by``, at most 64 characters).
A holder counts as **live** until its lease expires; before that, a holder on this host
whose process is gone (or a zombie) is dead at once. A holder on another host is only
known dead by lease expiry: its pid means nothing here.

"This host" is the hostname: two containers given the same hostname but separate process
namespaces must not share a database (one would take the other's live senders for dead).
A pid reused by an unrelated process only makes a dead sender look live until the lease
expires -- a delay, never a second post.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

__all__ = ["Holder", "holder_is_live", "new_worker_id", "parse_worker_id", "pid_is_running"]

MAX_ID = 64  # posts.claimed_by is String(64)
TOKEN_LENGTH = 8
# The host part has one length whatever the pid: ``:`` + at most 7 pid digits (Linux's
# pid_max is 4,194,304) + ``:`` + the token. A length that followed the pid's digits
# made one host's name differ between two of its pids.
HOST_LENGTH = MAX_ID - (1 + 7 + 1 + TOKEN_LENGTH)


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    token: str


def new_worker_id() -> str:
    """``host:pid:token`` for this process (the host is shortened to fit 64 characters)."""
    pid, token = os.getpid(), uuid.uuid4().hex[:TOKEN_LENGTH]
    return f"{_this_host()}:{pid}:{token}"


def parse_worker_id(worker_id: str) -> Holder | None:
    host, sep, rest = worker_id.rpartition(":")
    host2, sep2, pid = host.rpartition(":")
    if not (sep and sep2 and host2 and pid.isdigit()):
        return None
    return Holder(host2, int(pid), rest)


def pid_is_running(pid: int) -> bool:
    """Is process ``pid`` alive on this host (a zombie -- killed, not yet reaped -- is not)?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    if not Path("/proc/self").exists():  # no procfs (macOS): os.kill said it exists
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:  # it exited meanwhile
        return False
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def holder_is_live(worker_id: str, claimed_at: datetime, now: datetime, lease: timedelta) -> bool:
    """May the holder of a claim taken at ``claimed_at`` still be working on it?"""
    if now - claimed_at >= lease:
        return False
    holder = parse_worker_id(worker_id)
    if holder is None or holder.host != _this_host():
        return True  # another host (or not our format): only the lease tells
    return pid_is_running(holder.pid)


def _this_host() -> str:
    """This host's name as :func:`new_worker_id` writes it."""
    return socket.gethostname()[:HOST_LENGTH]
