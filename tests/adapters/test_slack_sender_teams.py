"""Each workspace has its own 429 gate: Slack's rate limits are per app and workspace, so a
429 from one team pauses only that team's posts."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.adapters.ratelimit import RateGate
from bot.adapters.slack_sender import TeamSlackSender

TOKENS = {"T0ONE": "xoxb-one", "T0TWO": "xoxb-two"}


def sender() -> TeamSlackSender:
    return TeamSlackSender(TOKENS.get, lambda token, gate: WebClient(token=token, base_url="http://127.0.0.1:9/"))


def test_a_429_from_one_workspace_pauses_only_that_workspace() -> None:
    s = sender()
    one, two = s.post_gate_for("T0ONE"), s.post_gate_for("T0TWO")
    one.pause(30)
    assert one.remaining() > 29
    assert two.remaining() == 0
    assert s.post_gate_for("T0ONE").remaining() > 29  # the same gate for every sender of the run


def test_each_team_sender_uses_its_workspace_gate() -> None:
    s = sender()
    a, b = s.sender("T0ONE"), s.sender("T0TWO")
    assert a is not None and b is not None
    a.post_gate.pause(10)
    assert b.post_gate.remaining() == 0
    assert s.sender("T0GONE") is None


def test_one_given_gate_is_shared_by_every_workspace() -> None:
    gate = RateGate()
    s = TeamSlackSender(TOKENS.get, lambda token, g: WebClient(token=token), gate)
    s.post_gate_for("T0ONE").pause(5)
    assert s.post_gate_for("T0TWO").remaining() > 4
