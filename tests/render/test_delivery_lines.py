"""The words of each daily-post outcome, written out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from bot.render.delivery import outcome_error, outcome_line
from bot.services.delivery import Outcome, OutcomeStatus, Reason

S = date(2026, 9, 18)


def outcome(status: OutcomeStatus, reason: Reason | None = None, chart_error: str | None = None) -> Outcome:
    return Outcome("T1", "C1", S, status, reason, chart_error=chart_error)


@pytest.mark.parametrize(
    ("status", "reason", "error", "line"),
    [
        ("failed", Reason("slack_refused", error="invalid_blocks"), "invalid_blocks",
         "C1 (T1): failed: invalid_blocks"),
        ("failed", Reason("slack_refused", error="URLError: <urlopen error refused>"),
         "URLError: <urlopen error refused>", "C1 (T1): failed: URLError: <urlopen error refused>"),
        ("failed", Reason("channel_refused", error="channel_not_found"), "channel_not_found",
         "C1 (T1): failed: channel_not_found"),
        ("failed", Reason("rate_limited", error="ratelimited", retry_after=90.0), "ratelimited",
         "C1 (T1): failed: ratelimited"),
        ("failed", Reason("not_retried"), "not retried", "C1 (T1): failed: not retried"),
        ("failed", Reason("not_retried", error="is_archived"), "is_archived",
         "C1 (T1): failed: is_archived"),
        ("failed", Reason("not_retried", error="internal_error", attempts=6),
         "internal_error (gave up after 6 attempts)",
         "C1 (T1): failed: internal_error (gave up after 6 attempts)"),
        ("failed", Reason("not_retried", attempts=7), "not retried (gave up after 7 attempts)",
         "C1 (T1): failed: not retried (gave up after 7 attempts)"),
        ("failed", Reason("crashed", error="database is locked", exception="OperationalError"),
         "OperationalError: database is locked", "C1 (T1): failed: OperationalError: database is locked"),
        ("in progress", Reason("in_progress", holder="host:42:ab12"),
         "still being posted by another run (host:42:ab12)",
         "C1 (T1): not confirmed: still being posted by another run (host:42:ab12)"),
        ("uncertain", Reason("no_answer", error="TimeoutError: timed out"),
         "the send's outcome is unknown (TimeoutError: timed out)",
         "C1 (T1): not confirmed: the send's outcome is unknown (TimeoutError: timed out); "
         "the next run looks for it in the channel before sending again"),
        ("uncertain", Reason("no_answer"), "the send's outcome is unknown (a send was interrupted)",
         "C1 (T1): not confirmed: the send's outcome is unknown (a send was interrupted); "
         "the next run looks for it in the channel before sending again"),
        ("uncertain", Reason("unchecked", error="conversations.history: missing_scope"),
         "the channel could not be checked (conversations.history: missing_scope)",
         "C1 (T1): not confirmed: the channel could not be checked (conversations.history: "
         "missing_scope); the next run looks for it in the channel before sending again"),
    ],
)
def test_an_unconfirmed_post_says_why(status: OutcomeStatus, reason: Reason, error: str, line: str) -> None:
    out = outcome(status, reason)
    assert (outcome_error(out), outcome_line(out)) == (error, line)


@pytest.mark.parametrize(
    ("status", "chart_error", "line"),
    [
        ("posted", None, "C1 (T1): posted"),
        ("posted", "not_allowed_token_type", "C1 (T1): posted (chart not uploaded: not_allowed_token_type)"),
        ("already posted", None, "C1 (T1): already posted"),
        ("found", None, "C1 (T1): posted (an earlier send had gone through: found in the channel)"),
    ],
)
def test_a_confirmed_post_has_no_error(status: OutcomeStatus, chart_error: str | None, line: str) -> None:
    out = outcome(status, chart_error=chart_error)
    assert (out.ok, outcome_error(out), outcome_line(out)) == (True, None, line)


def test_the_holder_of_a_post_in_progress_is_data() -> None:
    out = outcome("in progress", Reason("in_progress", holder="host:42:ab12"))
    assert (out.ok, out.holder) == (False, "host:42:ab12")
