"""The App Home tab: this workspace's subscriptions, the latest session, today's lead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bot.render.blockkit import clamp_blocks
from bot.render.format import fmt_date
from bot.render.messages import Block, context, section
from bot.render.slack_escape import escape_mrkdwn as esc

__all__ = ["HomeChannel", "home_view"]


@dataclass(frozen=True)
class HomeChannel:
    """One subscribed channel as the Home tab shows it."""

    channel_id: str
    post_time: time  # New York wall time
    failing_error: str | None = None
    failing_since: datetime | None = None


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def home_view(
    subs: Sequence[HomeChannel],
    latest: date,
    lead: str | None,
    alerts: Sequence[tuple[str, int]] = (),
) -> dict[str, Any]:
    """A ``home`` view for ``views.publish``: the lead sentence of the latest session in the
    data, then each subscribed channel (post time, failing or not) and each channel with
    alerts on (``(channel_id, streak threshold)``)."""
    blocks: list[Block] = [_header("streakbot"), section(f"*Latest session in the data:* {fmt_date(latest)}")]
    if lead:
        blocks.append(section(f"*Today's lead:* {esc(lead)}"))
    blocks.append(_header("Daily post in this workspace"))
    if not subs:
        blocks.append(section("No channel gets the daily post yet: `/leaders subscribe` in a channel starts it."))
    for sub in subs:
        state = f" — not delivered since {fmt_date(sub.failing_since.date())}: {esc(sub.failing_error or '')}" \
            if sub.failing_since else ""
        blocks.append(section(f"<#{sub.channel_id}> at {sub.post_time:%H:%M} New York time{state}"))
    blocks.append(_header("Alerts in this workspace"))
    if not alerts:
        blocks.append(section("No channel gets alerts yet: `/alerts on` in a channel starts them."))
    blocks.extend(section(f"<#{channel}>: on, streaks from {threshold} sessions, record closes, "
                          "and longest-since moves (`/alerts status` there for its watch list)")
                  for channel, threshold in alerts)
    blocks.append(context("Ask in any channel: `/streak RUT SPX`, `/records SPX`, `/check TEXT`, or mention me."))
    return {"type": "home", "blocks": clamp_blocks(blocks)}
