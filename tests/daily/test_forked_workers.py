"""``post-daily --workers N`` by fork: the post is built once, N children send it through the
one ledger, and the parent reports every channel once, even when a child dies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from daily_helpers import FrozenClock, daily_services, ny, subscribe
from fakeslack import FakeSlack

from bot.adapters.calendar import NyseCalendar
from bot.bootstrap import Services
from bot.daily import forked
from bot.daily.commands import DailyRun
from bot.daily.forked import can_fork, merge_outcomes, post_daily_forked
from bot.services.delivery import DailyPost, Outcome, OutcomeStatus, Reason
from bot.store.subscriptions import Subscription

pytestmark = pytest.mark.skipif(not can_fork(), reason="os.fork is not available on this platform")

SESSION = date(2025, 12, 31)
CHANNELS = [f"C{i}" for i in range(9)]


@pytest.fixture
def svc(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path) -> Services:
    s = daily_services(fake.base_url, data_dir, calendar, FrozenClock(ny(2026, 1, 2, 12, 0)),
                       tmp_path / "app.sqlite3", STREAKBOT_POST_CONCURRENCY=2)
    for ch in CHANNELS:
        subscribe(s, ch, created=datetime(2025, 12, 1, tzinfo=UTC))
    return s


def _posts(fake: FakeSlack) -> Counter[str]:
    return Counter(str(c.params["channel"]) for c in fake.calls("chat.postMessage"))


def test_three_children_post_each_channel_once(svc: Services, fake: FakeSlack,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert post_daily_forked(svc, SESSION, 3) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Daily summary for Dec 31, 2025"
    assert sorted(out[1:]) == sorted(f"{ch} (T0FAKE): posted" for ch in CHANNELS)
    assert _posts(fake) == dict.fromkeys(CHANNELS, 1)
    # The chart was drawn once, in the parent, and shared by the children that posted.
    assert sum(len(str(c.params["channels"]).split(",")) for c in fake.calls("files.completeUploadExternal")) == 9


def test_a_dead_child_s_channels_are_swept_by_the_others(svc: Services, fake: FakeSlack,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    real = forked.settle_outcomes

    def dies_as_shard_one(s: Any, sender: Any, post: DailyPost, subs: Sequence[Subscription],
                          *, max_wait: float) -> list[Outcome]:
        if subs[0].channel_id == "C1":  # shard 1/3 walks C1 first
            raise RuntimeError("killed")
        return real(s, sender, post, subs, max_wait=max_wait)

    monkeypatch.setattr(forked, "settle_outcomes", dies_as_shard_one)
    assert post_daily_forked(svc, SESSION, 3) == 1  # a child failed: not a clean run
    out = capsys.readouterr().out.splitlines()
    assert sorted(out[1:]) == sorted(f"{ch} (T0FAKE): posted" for ch in CHANNELS)
    assert _posts(fake) == dict.fromkeys(CHANNELS, 1)


def _outcome(ch: str, status: OutcomeStatus) -> Outcome:
    return Outcome("T0FAKE", ch, SESSION, status, None if status != "in progress" else Reason("in_progress"))


def test_merge_takes_the_owner_then_a_confirmed_word_then_says_nobody_reported() -> None:
    subs = [Subscription("T0FAKE", ch, time(16, 30), "U1", datetime(2025, 12, 1, tzinfo=UTC))
            for ch in ("C0", "C1", "C2")]
    post = DailyPost(SESSION, SESSION, "t", [], None, "f.png", "title")
    run = DailyRun(post, subs, 1.0)
    shard0 = [_outcome("C0", "already posted"), _outcome("C1", "in progress"), _outcome("C2", "posted")]
    shard1 = None  # died
    shard2 = [_outcome("C0", "posted"), _outcome("C1", "already posted"), _outcome("C2", "already posted")]
    merged = merge_outcomes(run, [shard0, shard1, shard2])
    # C0: the shard that posted it, not its owner's "already posted"; C1: its owner died, a
    # confirmed word over an "in progress"; C2: posted by shard 0.
    assert [(o.channel_id, o.status) for o in merged] == [
        ("C0", "posted"), ("C1", "already posted"), ("C2", "posted")]
    lone = merge_outcomes(run, [None, None, [_outcome("C2", "posted")]])
    assert [(o.channel_id, o.status) for o in lone][:2] == [("C0", "failed"), ("C1", "failed")]
    assert lone[0].reason is not None and lone[0].reason.error == "no sender reported this channel"
