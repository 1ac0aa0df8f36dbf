"""The daily post to many channels at once: bounded concurrency, one 429 gate, one chart upload.

* **Senders.** At most ``concurrency`` channels are delivered at once (a thread pool;
  ``STREAKBOT_POST_CONCURRENCY``, default 8). Each one goes through the exactly-once ledger
  of :func:`bot.services.delivery.deliver` as before: claimed before anything is sent, so the
  pool changes how many channels are in flight, never how often one is posted. Every
  sender holds at most one database connection at a time (each ledger step is its own
  short transaction), and the engine's pool has room for them (:mod:`bot.store.db`).
* **Rate limits.** Slack limits ``chat.postMessage`` to about one message per second per
  channel (each channel gets one post here) and, per workspace, to several hundred a
  minute; ``files.*`` are Tier 4 (100+ a minute). A 429's ``Retry-After`` pauses that
  method to that workspace for every sender of the run (the sender's ``post_gate_for(team)``; over Slack:
  :class:`bot.adapters.ratelimit.RateGate`), not only for the one that drew it.
* **One chart upload.** The text, blocks and chart are the same for every channel of a
  session (built once, :func:`bot.daily.commands.make_post`). Files v2 can share one upload
  with several channels (``files.completeUploadExternal`` with ``channels``, a
  comma-separated list) but only without ``thread_ts``, which Slack allows with a single
  channel. So the chart is uploaded once per :data:`CHART_CHANNELS_PER_UPLOAD` channels that
  were posted to in this run, and appears right after the summary in each channel, not in its
  thread: about 1 call per channel instead of 4, and a few Tier-4 calls instead of two per
  channel. A channel whose post was found in its history (an earlier, uncertain send) gets
  no chart; a failed share is reported on each channel of the batch and never retried. An
  upload is shared within one workspace (each has its own token in OAuth mode): the
  batches are per team.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.ports import DailySender, PostLedger, PostMarks, Subscriber
from bot.services.delivery import DailyPost, Outcome, Reason, deliver

log = logging.getLogger(__name__)

__all__ = ["CHART_CHANNELS_PER_UPLOAD", "fan_out", "share_chart"]

# Slack documents no maximum for ``channels``; a conservative batch keeps one refused
# channel from costing the chart of hundreds.
CHART_CHANNELS_PER_UPLOAD = 100


def fan_out(
    ledger: PostLedger,
    sender: DailySender,
    subscriptions: PostMarks,
    post: DailyPost,
    subs: Sequence[Subscriber],
    clock: Callable[[], datetime],
    *,
    worker_id: str,
    settle: timedelta,
    concurrency: int,
) -> list[Outcome]:
    """Deliver ``post`` to every subscription (in their order), then share the chart.

    The senders share ``sender`` and so its 429 gates (``sender.post_gate_for(team)``, one per workspace).
    """

    def one(sub: Subscriber) -> Outcome:
        try:
            return deliver(ledger, sender, subscriptions, sub, post, worker_id=worker_id, now=clock(),
                           settle=settle)
        except Exception as exc:  # a database hiccup for one channel must not stop the rest
            log.exception("delivery to %s/%s failed", sub.team_id, sub.channel_id)
            return Outcome(sub.team_id, sub.channel_id, post.session, "failed",
                           Reason("crashed", error=str(exc), exception=type(exc).__name__))

    workers = max(1, min(concurrency, len(subs)))
    if workers == 1:
        return share_chart(sender, post, [one(s) for s in subs])
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="daily-post") as pool:
        outcomes = list(pool.map(one, subs))
        return share_chart(sender, post, outcomes, pool=pool)


def share_chart(
    sender: DailySender, post: DailyPost, outcomes: list[Outcome], *, pool: ThreadPoolExecutor | None = None
) -> list[Outcome]:
    """Upload the chart once per batch of channels posted to now; the outcomes with any
    chart error filled in."""
    png = post.chart_png
    if not png:
        return outcomes
    by_team: dict[str, list[str]] = {}
    for o in outcomes:
        if o.status == "posted" and o.channel_id not in by_team.setdefault(o.team_id, []):
            by_team[o.team_id].append(o.channel_id)
    batches = [
        (team, channels[i : i + CHART_CHANNELS_PER_UPLOAD])
        for team, channels in by_team.items()
        for i in range(0, len(channels), CHART_CHANNELS_PER_UPLOAD)
    ]
    errors: dict[tuple[str, str], str] = {}

    def upload(batch: tuple[str, list[str]]) -> str | None:
        team, channels = batch
        err = sender.share_file(team, channels, png, post.chart_filename, post.chart_title)
        if err:
            errors.update(dict.fromkeys(((team, c) for c in channels), err))
        return err

    if pool is None:
        for b in batches:
            upload(b)
    else:
        list(pool.map(upload, batches))
    return [
        replace(o, chart_error=errors[o.team_id, o.channel_id])
        if o.status == "posted" and (o.team_id, o.channel_id) in errors else o
        for o in outcomes
    ]
