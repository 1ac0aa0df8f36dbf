"""``post-daily --workers 3``: three processes share 300 channels in 3 workspaces through one
PostgreSQL ledger, and every channel gets its post exactly once."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fakeslack import FakeSlack
from isolation import console_script, subprocess_env
from slack_harness import BOT_TOKEN
from slack_stack import make_data_dir

from benchmarks.chaos_post import SESSION, keyed_messages
from bot.daily.workers import Shard, parse_shard, shard_order
from bot.domain.errors import UserError
from bot.store.db import make_engine
from bot.store.subscriptions import SubscriptionStore
from bot.store.tables import posts

TEAMS = ("T0ALPHA", "T0BETA", "T0GAMMA")


@pytest.mark.postgres
@pytest.mark.e2e
def test_three_workers_post_three_hundred_channels_exactly_once(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    store = SubscriptionStore(engine)
    channels = [(TEAMS[i % 3], f"C{i:04d}") for i in range(300)]
    for team, ch in channels:
        store.subscribe(team, ch, dtime(16, 30), "U0TRADER", datetime(2025, 12, 1, tzinfo=UTC))
    env = subprocess_env(tmp_path, {
        "DATABASE_URL": pg_url, "SLACK_BOT_TOKEN": BOT_TOKEN, "STREAKBOT_DATA_DIR": str(make_data_dir(tmp_path / "d")),
        # two senders a process and 0.1 s a Slack call: each shard's own 100 channels take
        # seconds, longer than the processes take to start, so all three share the work
        "STREAKBOT_POST_CONCURRENCY": "2",
    })
    with FakeSlack(latency=0.1) as fake:
        env["SLACK_API_URL"] = fake.base_url
        done = subprocess.run([str(console_script()), "post-daily", "--session", SESSION, "--workers", "3"],
                              env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        counts = Counter(keyed_messages(fake, ch) for _, ch in channels)
    assert counts == {1: 300}
    with engine.connect() as conn:
        holders = conn.execute(sa.select(posts.c.claimed_by, posts.c.status)).all()
    engine.dispose()
    assert len(holders) == 300 and {s for _, s in holders} == {"sent"}
    pids = Counter(h.split(":")[-2] for h, _ in holders)
    assert len(pids) == 3, pids  # the work was shared by the three processes
    assert min(pids.values()) >= 30


def test_shard_order_puts_its_own_first_and_covers_all() -> None:
    items = list(range(10))
    assert shard_order(items, Shard(1, 3)) == [1, 4, 7, 2, 5, 8, 0, 3, 6, 9]
    assert sorted(shard_order(items, Shard(2, 3))) == items
    assert parse_shard("2/3") == Shard(2, 3)
    with pytest.raises(UserError, match="not a shard"):
        parse_shard("3/3")
