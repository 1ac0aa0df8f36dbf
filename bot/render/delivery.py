"""The words of a daily-post delivery: one line per channel, and why a post is not confirmed.

:func:`outcome_line` is what ``streakbot post-daily`` prints and the clock logs for each
channel; :func:`outcome_error` is the reason part of it (``None`` for a confirmed post).
"""

from __future__ import annotations

from typing import assert_never

from bot.services.delivery import Outcome, Reason

__all__ = ["outcome_error", "outcome_line", "reason_text"]


def reason_text(reason: Reason) -> str:
    """Why a post is not confirmed, in words.

    Parameters
    ----------
    reason
        The outcome's structured reason.

    Returns
    -------
    str
        Slack's error code as it is for a refusal, a sentence otherwise.
    """
    match reason.code:
        case "slack_refused" | "channel_refused" | "rate_limited":
            return str(reason.error)
        case "not_retried":
            text = reason.error or "not retried"
            if reason.attempts is not None:
                text += f" (gave up after {reason.attempts} attempts)"
            return text
        case "crashed":
            return f"{reason.exception}: {reason.error}"
        case "in_progress":
            return f"still being posted by another run ({reason.holder})"
        case "no_answer":
            return f"the send's outcome is unknown ({reason.error or 'a send was interrupted'})"
        case "unchecked":
            return f"the channel could not be checked ({reason.error})"
        case unknown:
            assert_never(unknown)


def outcome_error(outcome: Outcome) -> str | None:
    """Why the post to the channel is not confirmed; ``None`` when it is (or no reason is known).

    Parameters
    ----------
    outcome
        One channel's delivery outcome.

    Returns
    -------
    str or None
        :func:`reason_text` of ``outcome.reason``.
    """
    return reason_text(outcome.reason) if outcome.reason is not None else None


def outcome_line(outcome: Outcome) -> str:
    """One line for the channel: ``C123 (T456): posted``, or what went wrong.

    Parameters
    ----------
    outcome
        One channel's delivery outcome.

    Returns
    -------
    str
        The channel, its team and the outcome in words.
    """
    where = f"{outcome.channel_id} ({outcome.team_id})"
    status = outcome.status
    error = outcome_error(outcome)
    if status == "failed":
        return f"{where}: failed: {error}"
    if status == "in progress":
        return f"{where}: not confirmed: still being posted by another run ({outcome.holder})"
    if status == "uncertain":
        return (
            f"{where}: not confirmed: {error}; the next run looks for it in the "
            "channel before sending again"
        )
    if status == "found":
        return f"{where}: posted (an earlier send had gone through: found in the channel)"
    if status == "posted" and outcome.chart_error:
        return f"{where}: posted (chart not uploaded: {outcome.chart_error})"
    return f"{where}: {status}"
