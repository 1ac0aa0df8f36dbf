"""``benchmarks/chaos_post.py`` in the normal suite: a few trials, on PostgreSQL.

The first trials of every run are named cases: a sender killed while Slack holds its taken
post; two senders at once with a 5xx after Slack took the message, a post answered after
the client's timeout, a 429 and a dropped answer. 30 trials (the rest randomized) are
``python -m benchmarks.chaos_post``.
"""

from __future__ import annotations

import random
import sys
from datetime import date

import pytest
from fakeslack import FakeSlack
from slack_sdk import WebClient
from slack_stack import REPO

from bot.adapters.slack_history import post_metadata

sys.path.insert(0, str(REPO))  # benchmarks/ is not an installed package
from benchmarks import chaos_post as chaos


@pytest.mark.postgres
@pytest.mark.e2e
def test_a_few_chaos_trials_post_every_channel_exactly_once(pg_url: str) -> None:
    # pg_url: skips with the reason when PostgreSQL is absent (the trials make their own schemas)
    summary = chaos.run(2, channels=2, seed=3, verbose=False)
    assert (summary.trials, summary.posts) == (2, 4)
    assert (summary.duplicates, summary.misses, summary.false_success) == (0, 0, 0), summary.line()
    assert summary.killed == 1  # the "mid-post" case
    assert summary.faults == {"stall": 2, "500-taken": 1, "429": 1, "drop": 1}
    assert summary.ok
    assert summary.line().startswith("chaos_post: 2 trials, 4 channel posts: 0 duplicates, 0 misses, ")


def test_keyed_messages_counts_only_this_sessions_posts() -> None:
    with FakeSlack() as fake:
        client = WebClient(token="xoxb-x", base_url=fake.base_url)
        client.chat_postMessage(channel="C1", text="a", metadata=post_metadata("T0FAKE", "C1", _d("2025-12-31")))
        client.chat_postMessage(channel="C1", text="b", metadata=post_metadata("T0FAKE", "C1", _d("2025-12-31")))
        client.chat_postMessage(channel="C1", text="c", metadata=post_metadata("T0FAKE", "C1", _d("2025-12-30")))
        client.chat_postMessage(channel="C1", text="chatter")
        assert chaos.keyed_messages(fake, "C1") == 2  # a duplicate is seen as one
        assert chaos.keyed_messages(fake, "C2") == 0  # a miss


def test_the_plans_cover_the_named_cases() -> None:
    rng = random.Random(1)
    plans = [chaos.make_plan(rng, i, 1.0) for i in range(30)]
    assert [(p.processes, p.kill) for p in plans[:3]] == [(1, "mid-post"), (2, None), (1, "mid-post")]
    assert {p.processes for p in plans[3:]} == {1, 2}
    assert {p.kill for p in plans[3:]} == {None, "mid-post", "random"}
    assert set(chaos.POST_FAULTS) <= {f for p in plans for f in p.faults}


def _d(text: str) -> date:
    return date.fromisoformat(text)
