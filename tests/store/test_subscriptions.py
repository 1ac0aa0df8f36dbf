"""SubscriptionStore on SQLite and on the real PostgreSQL (per-test schema)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from bot.store.subscriptions import Subscription, SubscriptionStore

T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def store(engine: sa.Engine) -> SubscriptionStore:
    return SubscriptionStore(engine)


def test_subscribe_then_get(store: SubscriptionStore) -> None:
    sub = store.subscribe("T1", "C1", time(16, 30), "U1", T0)
    assert sub == Subscription("T1", "C1", time(16, 30), "U1", T0, None, None, None)
    assert store.get("T1", "C1") == sub
    assert sub.created_at.tzinfo is not None
    assert store.get("T1", "C2") is None
    assert store.get("T2", "C1") is None


def test_stored_as_hhmm_text(store: SubscriptionStore, engine: sa.Engine) -> None:
    store.subscribe("T1", "C1", time(9, 5), "U1", T0)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT post_time FROM subscriptions")).scalar_one() == "09:05"


def test_resubscribe_changes_time_and_clears_failing(store: SubscriptionStore) -> None:
    store.subscribe("T1", "C1", time(16, 30), "U1", T0)
    store.mark_posted("T1", "C1", date(2026, 1, 2))
    assert store.mark_failing("T1", "C1", "channel_not_found", T0 + timedelta(days=1))
    failing = store.get("T1", "C1")
    assert failing is not None and failing.failing
    assert failing.failing_error == "channel_not_found"
    assert failing.failing_since == T0 + timedelta(days=1)

    again = store.subscribe("T1", "C1", time(17, 0), "U2", T0 + timedelta(days=2))
    assert again.post_time == time(17, 0)
    assert again.created_by == "U2"
    assert not again.failing and again.failing_since is None
    assert again.created_at == T0  # the original subscription date is kept
    assert again.last_posted_session == date(2026, 1, 2)
    assert len(store.all()) == 1


def test_mark_failing_keeps_the_first_failure_time(store: SubscriptionStore) -> None:
    store.subscribe("T1", "C1", time(16, 30), "U1", T0)
    store.mark_failing("T1", "C1", "not_in_channel", T0 + timedelta(hours=1))
    store.mark_failing("T1", "C1", "channel_not_found", T0 + timedelta(hours=5))
    sub = store.get("T1", "C1")
    assert sub is not None
    assert sub.failing_error == "channel_not_found"
    assert sub.failing_since == T0 + timedelta(hours=1)
    assert not store.mark_failing("T1", "nope", "channel_not_found", T0)


def test_all_active_skips_failing_and_is_ordered(store: SubscriptionStore) -> None:
    for team, chan in [("T2", "C9"), ("T1", "C3"), ("T1", "C1")]:
        store.subscribe(team, chan, time(16, 30), None, T0)
    store.mark_failing("T1", "C3", "is_archived", T0)
    assert [(s.team_id, s.channel_id) for s in store.all_active()] == [("T1", "C1"), ("T2", "C9")]
    assert [(s.team_id, s.channel_id) for s in store.all()] == [
        ("T1", "C1"), ("T1", "C3"), ("T2", "C9"),
    ]


def test_unsubscribe(store: SubscriptionStore) -> None:
    store.subscribe("T1", "C1", time(16, 30), "U1", T0)
    assert store.unsubscribe("T1", "C1") is True
    assert store.get("T1", "C1") is None
    assert store.unsubscribe("T1", "C1") is False


def test_mark_posted_never_goes_backwards(store: SubscriptionStore) -> None:
    store.subscribe("T1", "C1", time(16, 30), "U1", T0)
    assert store.mark_posted("T1", "C1", date(2026, 1, 5))
    assert not store.mark_posted("T1", "C1", date(2026, 1, 2))
    sub = store.get("T1", "C1")
    assert sub is not None and sub.last_posted_session == date(2026, 1, 5)
    assert store.mark_posted("T1", "C1", date(2026, 1, 6))
    sub = store.get("T1", "C1")
    assert sub is not None and sub.last_posted_session == date(2026, 1, 6)


def test_naive_values_are_refused(store: SubscriptionStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.subscribe("T1", "C1", time(16, 30), "U1", datetime(2026, 1, 5, 15, 0))
    with pytest.raises(ValueError, match="naive time"):
        store.subscribe("T1", "C1", time(16, 30, tzinfo=UTC), "U1", T0)


def test_concurrent_first_subscribes_leave_one_row(store: SubscriptionStore) -> None:
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            store.subscribe("T1", "C1", time(16, i), f"U{i}", T0)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    (sub,) = store.all()
    assert sub.post_time.minute == int(str(sub.created_by)[1:])  # one writer's values, whole
