"""Exactly-once delivery against in-memory fakes of its ports: no database, no Slack.

The fakes keep the ports' contracts (a second insert of a key gets ``None``; every later
write is conditional on the row as last read, or on the claim still being held), so these
tests pin the delivery rules themselves: what is sent, when the channel is checked first,
and what each outcome says.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.domain.ports import (
    CHECKING,
    CLAIMED,
    FAILED,
    SENDING,
    SENT,
    UNCERTAIN,
    ChannelHistoryError,
    Claim,
    LedgerRow,
    SendResult,
)
from bot.render.delivery import outcome_error
from bot.services.delivery import (
    LEASE,
    MAX_ATTEMPTS,
    MAX_RETRY_AFTER,
    DailyPost,
    Reason,
    claim,
    deliver,
)
from bot.services.fanout import CHART_CHANNELS_PER_UPLOAD, fan_out

S = date(2025, 12, 31)
T0 = datetime(2025, 12, 31, 21, 30, tzinfo=UTC)
SETTLE = timedelta(seconds=30)
POST = DailyPost(S, S, "summary", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}])
Key = tuple[str, str, date]


class FakeLedger:
    """:class:`~bot.domain.ports.PostLedger` in memory; ``live`` names the live holders."""

    def __init__(self, live: Sequence[str] = ()) -> None:
        self.rows: dict[Key, LedgerRow] = {}
        self.live = set(live)
        self._lock = threading.Lock()
        self._ids = 0

    def insert_claim(self, team_id: str, channel_id: str, session: date, worker_id: str,
                     at: datetime) -> Claim | None:
        with self._lock:
            key = (team_id, channel_id, session)
            if key in self.rows:
                return None
            self._ids += 1
            self.rows[key] = LedgerRow(self._ids, team_id, channel_id, session, CLAIMED, worker_id, at, 1)
            return Claim(self._ids, team_id, channel_id, session, worker_id, at, 1)

    def row(self, team_id: str, channel_id: str, session: date) -> LedgerRow | None:
        return self.rows.get((team_id, channel_id, session))

    def last_sent(self, team_id: str, channel_id: str) -> LedgerRow | None:
        sent = [r for r in self.rows.values() if (r.team_id, r.channel_id, r.status) == (team_id, channel_id, SENT)]
        return max(sent, key=lambda r: r.session, default=None)

    def take_over(self, row: LedgerRow, worker_id: str, at: datetime, status: str) -> bool:
        with self._lock:
            key = (row.team_id, row.channel_id, row.session)
            now = self.rows[key]
            if (now.attempts, now.status) != (row.attempts, row.status):
                return False
            self.rows[key] = replace(now, status=status, claimed_by=worker_id, claimed_at=at,
                                     attempts=now.attempts + 1, error=None)
            return True

    def _move(self, c: Claim, only_from: Sequence[str] = (), **values: Any) -> bool:
        with self._lock:
            key = (c.team_id, c.channel_id, c.session)
            now = self.rows[key]
            if (now.claimed_by, now.attempts) != (c.worker_id, c.attempts):
                return False
            if only_from and now.status not in only_from:
                return False
            self.rows[key] = replace(now, **values)
            return True

    def start_sending(self, c: Claim, at: datetime) -> bool:
        return self._move(c, (CLAIMED, CHECKING, SENDING), status=SENDING, claimed_at=at)

    def mark_sent(self, c: Claim, ts: str | None, at: datetime) -> bool:
        return self._move(c, status=SENT, message_ts=ts, sent_at=at, error=None)

    def mark_failed(self, c: Claim, error: str) -> bool:
        return self._move(c, status=FAILED, error=error)

    def mark_uncertain(self, c: Claim, error: str) -> bool:
        return self._move(c, status=UNCERTAIN, error=error)

    def holder_is_live(self, worker_id: str, claimed_at: datetime, now: datetime, lease: timedelta) -> bool:
        return worker_id in self.live and now - claimed_at < lease


class FakeGate:
    """A :class:`~bot.domain.ports.PostGate` on a fake clock: waiting moves the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.until = 0.0
        self.pauses: list[float] = []

    def remaining(self) -> float:
        return max(self.until - self.now, 0.0)

    def wait(self) -> float:
        waited = self.remaining()
        self.now += waited
        return waited

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.until = max(self.until, self.now + seconds)


@dataclass
class FakeSender:
    """A :class:`~bot.domain.ports.DailySender` answering from scripts; Slack's channels in memory."""

    results: list[SendResult] = field(default_factory=list)  # next answers, then "posted"
    history_error: str | None = None
    share_error: str | None = None
    gate: FakeGate | None = None
    channels: dict[str, list[str]] = field(default_factory=dict)  # channel -> ts of keyed posts
    sends: list[str] = field(default_factory=list)
    finds: list[str] = field(default_factory=list)
    shares: list[list[str]] = field(default_factory=list)
    share_teams: list[str] = field(default_factory=list)

    def post_gate_for(self, team_id: str) -> FakeGate | None:
        return self.gate

    def send_post(self, team_id: str, channel_id: str, session: date, text: str,
                  blocks: Sequence[dict[str, Any]]) -> SendResult:
        self.sends.append(channel_id)
        result = self.results.pop(0) if self.results else SendResult("posted")
        if result.kind == "posted" or (result.kind == "unknown" and result.ts):  # taken by Slack
            ts = result.ts or f"1767.{len(self.sends):06d}"
            self.channels.setdefault(channel_id, []).append(ts)
            return SendResult("posted", ts=ts) if result.kind == "posted" else SendResult("unknown", error=result.error)
        return result

    def find_post(self, team_id: str, channel_id: str, session: date) -> str | None:
        self.finds.append(channel_id)
        if self.history_error:
            raise ChannelHistoryError(self.history_error)
        found = self.channels.get(channel_id)
        return found[0] if found else None

    def share_file(
        self, team_id: str, channels: Sequence[str], content: bytes, filename: str, title: str
    ) -> str | None:
        self.shares.append(list(channels))
        self.share_teams.append(team_id)
        return self.share_error


@dataclass(frozen=True)
class Sub:
    team_id: str
    channel_id: str
    failing: bool = False


@dataclass
class FakeMarks:
    posted: list[tuple[str, date]] = field(default_factory=list)
    failing: list[tuple[str, str]] = field(default_factory=list)

    def mark_posted(self, team_id: str, channel_id: str, session: date) -> bool:
        self.posted.append((channel_id, session))
        return True

    def mark_failing(self, team_id: str, channel_id: str, error: str, now: datetime) -> bool:
        self.failing.append((channel_id, error))
        return True


def run(ledger: FakeLedger, sender: FakeSender, marks: FakeMarks, at: datetime, worker: str = "w",
        sub: Sub = Sub("T1", "C1"), sleeps: list[float] | None = None) -> Any:
    return deliver(ledger, sender, marks, sub, POST, worker_id=worker, now=at, settle=SETTLE,
                   sleep=(sleeps if sleeps is not None else []).append)


def test_a_post_is_sent_once_and_a_rerun_says_already_posted() -> None:
    ledger, sender, marks = FakeLedger(), FakeSender(), FakeMarks()
    out = run(ledger, sender, marks, T0)
    assert (out.status, out.ok, out.ts) == ("posted", True, "1767.000001")
    again = run(ledger, sender, marks, T0 + LEASE * 3, worker="w2")
    assert (again.status, again.ts) == ("already posted", "1767.000001")
    assert sender.sends == ["C1"]
    assert marks.posted == [("C1", S), ("C1", S)]
    row = ledger.row("T1", "C1", S)
    assert row is not None and (row.status, row.attempts, row.claimed_by) == (SENT, 1, "w")


def test_an_unknown_answer_is_checked_after_it_settles_and_found() -> None:
    ledger, sender, marks = FakeLedger(), FakeSender([SendResult("unknown", ts="9.1", error="TimeoutError: x")]), FakeMarks()
    first = run(ledger, sender, marks, T0)
    assert (first.status, first.retry_at) == ("uncertain", T0 + SETTLE)
    assert outcome_error(first) == "the send's outcome is unknown (TimeoutError: x)"
    early = run(ledger, sender, marks, T0 + timedelta(seconds=1), worker="w2")
    assert (early.status, early.retry_at) == ("uncertain", T0 + SETTLE)
    assert sender.finds == []  # not read before it settles
    found = run(ledger, sender, marks, T0 + SETTLE, worker="w3")
    assert (found.status, found.ts) == ("found", "9.1")
    assert (sender.sends, sender.finds) == (["C1"], ["C1"])


def test_an_unknown_answer_slack_did_not_take_is_sent_once_more() -> None:
    ledger, sender, marks = FakeLedger(), FakeSender([SendResult("unknown", error="Slack answered HTTP 500 (x)")]), FakeMarks()
    assert run(ledger, sender, marks, T0).status == "uncertain"
    out = run(ledger, sender, marks, T0 + SETTLE, worker="w2")
    assert out.status == "posted"
    assert (sender.sends, sender.finds, len(sender.channels["C1"])) == (["C1", "C1"], ["C1"], 1)
    row = ledger.row("T1", "C1", S)
    assert row is not None and (row.status, row.attempts) == (SENT, 2)


def test_an_unreadable_history_is_never_a_blind_resend() -> None:
    ledger, marks = FakeLedger(), FakeMarks()
    sender = FakeSender([SendResult("unknown", error="e")], history_error="conversations.history: missing_scope")
    run(ledger, sender, marks, T0)
    out = run(ledger, sender, marks, T0 + SETTLE, worker="w2")
    assert (out.status, outcome_error(out)) == (
        "uncertain", "the channel could not be checked (conversations.history: missing_scope)",
    )
    assert sender.sends == ["C1"]
    row = ledger.row("T1", "C1", S)
    assert row is not None and row.status == UNCERTAIN


def test_a_429_is_waited_out_and_counts_as_one_attempt() -> None:
    ledger, marks = FakeLedger(), FakeMarks()
    sender = FakeSender([SendResult("rate_limited", error="ratelimited", retry_after=2.0)])
    sleeps: list[float] = []
    out = run(ledger, sender, marks, T0, sleeps=sleeps)
    assert (out.status, sleeps, sender.sends) == ("posted", [2.0], ["C1", "C1"])
    row = ledger.row("T1", "C1", S)
    assert row is not None and (row.attempts, row.claimed_at) == (1, T0 + timedelta(seconds=2))


def test_with_a_gate_a_429_pauses_it_and_a_long_pause_fails_without_sending() -> None:
    gate = FakeGate()
    ledger, marks = FakeLedger(), FakeMarks()
    sender = FakeSender([SendResult("rate_limited", error="ratelimited", retry_after=3.0)], gate=gate)
    sleeps: list[float] = []
    assert run(ledger, sender, marks, T0, sleeps=sleeps).status == "posted"
    assert (gate.pauses, sleeps, gate.now) == ([3.0], [], 3.0)  # the gate waited, nobody slept
    gate.pause(MAX_RETRY_AFTER + 1)
    out = run(ledger, sender, marks, T0, sub=Sub("T1", "C2"))
    assert (out.status, outcome_error(out), out.retryable) == ("failed", "ratelimited", True)
    assert sender.sends == ["C1", "C1"]


def test_a_channel_error_fails_for_good_until_subscribed_again() -> None:
    ledger, marks = FakeLedger(), FakeMarks()
    sender = FakeSender([SendResult("failed", error="channel_not_found")])
    out = run(ledger, sender, marks, T0)
    assert (out.status, outcome_error(out), out.retryable) == ("failed", "channel_not_found", False)
    assert marks.failing == [("C1", "channel_not_found")]
    refused = run(ledger, sender, marks, T0 + LEASE, worker="w2", sub=Sub("T1", "C1", failing=True))
    assert (refused.status, refused.retryable) == ("failed", False)
    assert run(ledger, sender, marks, T0 + LEASE, worker="w3").status == "posted"  # resubscribed
    assert sender.sends == ["C1", "C1"]


def test_a_live_holder_is_left_alone_and_a_dead_one_is_checked_first() -> None:
    ledger, sender, marks = FakeLedger(live=["alive"]), FakeSender(), FakeMarks()
    c = claim(ledger, "T1", "C1", S, "alive", T0)
    assert c is not None and ledger.start_sending(c, T0)
    busy = run(ledger, sender, marks, T0 + timedelta(minutes=1))
    assert (busy.status, busy.holder) == ("in progress", "alive")
    ledger.live.clear()  # its process is gone
    out = run(ledger, sender, marks, T0 + timedelta(minutes=1))
    assert out.status == "posted"
    assert (sender.finds, sender.sends) == (["C1"], ["C1"])


def test_an_outcome_says_why_in_data_not_words() -> None:
    ledger, marks = FakeLedger(live=["alive"]), FakeMarks()
    sender = FakeSender([SendResult("unknown", error="TimeoutError: x"), SendResult("failed", error="is_archived")],
                        history_error="conversations.history: missing_scope")
    assert run(ledger, sender, marks, T0).reason == Reason("no_answer", error="TimeoutError: x")
    assert run(ledger, sender, marks, T0 + SETTLE).reason == Reason(
        "unchecked", error="conversations.history: missing_scope")
    # The ledger keeps the words a later run reports, as before.
    row = ledger.row("T1", "C1", S)
    note = "the channel could not be checked (conversations.history: missing_scope)"
    assert row is not None and row.error == note
    assert run(ledger, sender, marks, T0 + SETTLE).reason == Reason("no_answer", error=note)
    assert run(ledger, sender, marks, T0, sub=Sub("T1", "C2")).reason == Reason("channel_refused", error="is_archived")
    assert run(ledger, sender, marks, T0, sub=Sub("T1", "C2", failing=True)).reason == Reason(
        "not_retried", error="is_archived")
    c = claim(ledger, "T1", "C3", S, "alive", T0)
    assert c is not None
    assert run(ledger, sender, marks, T0, sub=Sub("T1", "C3")).reason == Reason("in_progress", holder="alive")


def test_a_closed_gate_and_used_up_attempts_are_in_the_reason() -> None:
    gate = FakeGate()
    ledger, marks = FakeLedger(), FakeMarks()
    gate.pause(MAX_RETRY_AFTER + 1)
    out = run(ledger, FakeSender(gate=gate), marks, T0)
    assert out.reason == Reason("rate_limited", error="ratelimited", retry_after=MAX_RETRY_AFTER + 1)
    key = ("T1", "C1", S)
    ledger.rows[key] = replace(ledger.rows[key], attempts=MAX_ATTEMPTS)
    gave_up = run(ledger, FakeSender(), marks, T0 + timedelta(seconds=1), worker="w2")
    assert (gave_up.status, gave_up.reason) == (
        "failed", Reason("not_retried", error="ratelimited", attempts=MAX_ATTEMPTS))


class BrokenLedger(FakeLedger):
    def insert_claim(self, team_id: str, channel_id: str, session: date, worker_id: str,
                     at: datetime) -> Claim | None:
        raise ConnectionError("the database went away")


def test_a_delivery_that_raises_is_one_failed_channel_of_the_fan_out() -> None:
    outs = fan_out(BrokenLedger(), FakeSender(), FakeMarks(), POST, [Sub("T1", "C1")], lambda: T0,
                   worker_id="w", settle=SETTLE, concurrency=1)
    assert [(o.status, o.reason) for o in outs] == [
        ("failed", Reason("crashed", error="the database went away", exception="ConnectionError")),
    ]


def test_racing_claims_have_one_winner() -> None:
    n = 8
    ledger = FakeLedger(live=[f"t{i}" for i in range(n)])
    barrier = threading.Barrier(n)
    won: list[Claim] = []

    def one(i: int) -> None:
        barrier.wait()
        c = claim(ledger, "T1", "C1", S, f"t{i}", T0)
        if c is not None:
            won.append(c)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(won) == 1 and won[0].attempts == 1


def test_the_fan_out_shares_the_chart_once_per_batch_of_channels_posted_to() -> None:
    ledger, marks = FakeLedger(), FakeMarks()
    sender = FakeSender([SendResult("failed", error="is_archived")])
    subs = [Sub("T1", f"C{i:03d}") for i in range(CHART_CHANNELS_PER_UPLOAD + 2)]
    post = replace(POST, chart_png=b"png")
    outs = fan_out(ledger, sender, marks, post, subs, lambda: T0, worker_id="w", settle=SETTLE, concurrency=1)
    assert [o.channel_id for o in outs] == [s.channel_id for s in subs]
    assert [o.status for o in outs] == ["failed"] + ["posted"] * (len(subs) - 1)
    assert [len(b) for b in sender.shares] == [CHART_CHANNELS_PER_UPLOAD, 1]
    assert sender.shares[0][0] == "C001"  # the refused channel gets no chart


def test_the_chart_is_shared_per_workspace() -> None:
    """One upload is shared within one workspace: in OAuth mode each has its own token."""
    ledger, marks = FakeLedger(), FakeMarks()
    sender = FakeSender()
    subs = [Sub("T1", "C1"), Sub("T2", "C9"), Sub("T1", "C2"), Sub("T2", "C1")]
    post = replace(POST, chart_png=b"png")
    outs = fan_out(ledger, sender, marks, post, subs, lambda: T0, worker_id="w", settle=SETTLE, concurrency=1)
    assert [o.status for o in outs] == ["posted"] * 4
    assert list(zip(sender.share_teams, sender.shares, strict=True)) == [
        ("T1", ["C1", "C2"]), ("T2", ["C9", "C1"])]


def test_a_failed_chart_share_is_reported_on_its_channels() -> None:
    ledger, marks = FakeLedger(), FakeMarks()
    sender = FakeSender(share_error="not_in_channel")
    post = replace(POST, chart_png=b"png")
    outs = fan_out(ledger, sender, marks, post, [Sub("T1", "C1"), Sub("T1", "C2")], lambda: T0,
                   worker_id="w", settle=SETTLE, concurrency=2)
    assert [(o.status, o.chart_error) for o in outs] == [("posted", "not_in_channel")] * 2
    assert sender.shares == [["C1", "C2"]]
