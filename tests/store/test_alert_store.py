"""AlertStore on SQLite and on the real PostgreSQL (per-test schema)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.store.alerts import AlertChannel, AlertStore, pair_key, split_pair_key

T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def store(engine: sa.Engine) -> AlertStore:
    return AlertStore(engine)


def test_a_channel_without_a_row_has_the_defaults_and_alerts_off(store: AlertStore) -> None:
    assert store.get("T1", "C1") == AlertChannel("T1", "C1")
    assert store.all_enabled() == []


def test_pair_keys() -> None:
    assert pair_key("^RUT", "^GSPC") == "^RUT|^GSPC"
    assert split_pair_key("^GSPC|^RUT") == ("^GSPC", "^RUT")


def test_on_off_threshold_and_watch_lists_persist(store: AlertStore) -> None:
    before, after = store.turn_on("T1", "C1", "U1", T0)
    assert not before.enabled and after.enabled and after.enabled_at == T0
    store.set_threshold("T1", "C1", 12, "U2", T0 + timedelta(minutes=1))
    store.watch_pair("T1", "C1", pair_key("XLK", "^NDX"), False, "U2", T0)
    store.watch_pair("T1", "C1", pair_key("^NDX", "XLK"), False, "U2", T0)  # either order: once
    store.unwatch_pair("T1", "C1", pair_key("RSP", "SPY"), True, "U2", T0)
    store.watch_record("T1", "C1", "^VIX", False, "U2", T0)
    store.unwatch_record("T1", "C1", "^DJI", True, "U2", T0)
    ch = store.get("T1", "C1")
    assert (ch.enabled, ch.threshold, ch.updated_by) == (True, 12, "U2")
    assert (ch.pairs_added, ch.pairs_removed) == (("XLK|^NDX",), ("RSP|SPY",))
    store.unwatch_pair("T1", "C1", pair_key("SPY", "RSP"), True, "U2", T0)  # already removed
    assert store.get("T1", "C1").pairs_removed == ("RSP|SPY",)
    assert (ch.records_added, ch.records_removed) == (("^VIX",), ("^DJI",))
    assert ch.version == 7  # the row as read before the last change
    # Back again: a removed default is restored, an added one dropped.
    store.watch_pair("T1", "C1", pair_key("SPY", "RSP"), True, "U3", T0)
    store.unwatch_pair("T1", "C1", pair_key("^NDX", "XLK"), False, "U3", T0)
    store.watch_record("T1", "C1", "^DJI", True, "U3", T0)
    store.unwatch_record("T1", "C1", "^VIX", False, "U3", T0)
    ch = store.get("T1", "C1")
    assert (ch.pairs_added, ch.pairs_removed, ch.records_added, ch.records_removed) == ((), (), (), ())
    assert [c.channel_id for c in store.all_enabled()] == ["C1"]
    store.turn_off("T1", "C1", "U1", T0)
    assert store.all_enabled() == []


def test_turning_on_again_keeps_the_first_time_and_clears_a_failure(store: AlertStore) -> None:
    store.turn_on("T1", "C1", "U1", T0)
    assert store.mark_failing("T1", "C1", "not_in_channel", T0 + timedelta(hours=1))
    assert store.mark_failing("T1", "C1", "channel_not_found", T0 + timedelta(hours=2))
    failing = store.get("T1", "C1")
    assert (failing.failing_error, failing.failing_since) == ("channel_not_found", T0 + timedelta(hours=1))
    assert store.all_enabled() == []
    _, again = store.turn_on("T1", "C1", "U2", T0 + timedelta(days=1))
    assert (again.failing, again.enabled_at) == (False, T0)


def test_mark_posted_never_goes_back(store: AlertStore) -> None:
    store.turn_on("T1", "C1", "U1", T0)
    assert store.mark_posted("T1", "C1", date(2026, 1, 22))
    assert not store.mark_posted("T1", "C1", date(2026, 1, 16))
    assert store.get("T1", "C1").last_alerted_session == date(2026, 1, 22)


def test_concurrent_changes_all_land(store: AlertStore) -> None:
    store.turn_on("T1", "C1", "U0", T0)
    symbols = ["^VIX", "NVDA", "AAPL", "MSFT", "AMD", "TSLA"]
    start = threading.Barrier(len(symbols))

    def add(sym: str) -> None:
        start.wait()
        store.watch_record("T1", "C1", sym, False, "U1", T0)

    threads = [threading.Thread(target=add, args=(s,)) for s in symbols]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(store.get("T1", "C1").records_added) == sorted(symbols)
