"""``streakbot leaders`` and ``streakbot post-daily``, and the pieces the clock shares.

* :func:`print_summary` prints the summary of one session (default: the latest session in
  the data). It only reads: on a fresh machine whose store is still empty it reads the
  bundled files directly instead of seeding the store first (seeding writes ~140k rows
  and takes far longer than the summary), so it works offline with no settings.
* :func:`post_daily` refreshes the prices (unless ``--data-dir``/offline), builds the post
  once and delivers it to every active subscription through the exactly-once ledger of
  :mod:`bot.services.delivery`.

"Data as of": when the data does not reach the session asked for (the close has not
arrived yet, or the price update failed), the latest session in the data is described
and the post says so in one line at the top.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from bot.adapters.calendar import NyseCalendar
from bot.adapters.senders import new_worker_id
from bot.daily.leaders import (
    SUMMARY_SYMBOLS,
    Prepared,
    leaders_text,
    prepare,
)
from bot.daily.workers import Shard, shard_order
from bot.domain.errors import UserError
from bot.domain.ports import Clock, DailySender, PostLedger, PriceFetcher, PricesUnitOfWork
from bot.render.blockkit import clamp_blocks
from bot.render.daily import summary_blocks, summary_text
from bot.render.delivery import outcome_line
from bot.render.format import fmt_date
from bot.render.slack_escape import escape_mrkdwn
from bot.services.delivery import DailyPost, Outcome
from bot.services.fanout import fan_out
from bot.services.market import Market
from bot.services.refresh import update_prices
from bot.settings import ConfigError, Settings
from bot.store.prices import PriceStore
from bot.store.subscriptions import Subscription, SubscriptionStore

log = logging.getLogger(__name__)


class DailyServices(Protocol):
    """What the daily commands need (the bootstrap's ``Services`` has it all)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def calendar(self) -> NyseCalendar: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def read_only_prices(self) -> bool: ...

    @property
    def market(self) -> Market: ...

    @property
    def price_store(self) -> PriceStore: ...

    @property
    def subscriptions(self) -> SubscriptionStore: ...

    @property
    def post_ledger(self) -> PostLedger: ...

    @property
    def daily_sender(self) -> DailySender: ...

    def summary_market(self) -> Market: ...

    def fetcher(self) -> PriceFetcher | None: ...

    def prices_unit_of_work(self) -> PricesUnitOfWork: ...

__all__ = [
    "EXIT_FAILURE",
    "EXIT_OK",
    "SUMMARY_SYMBOLS",
    "DailyRun",
    "Prepared",
    "make_post",
    "post_daily",
    "post_to",
    "prepare",
    "print_summary",
    "ready_post_daily",
    "refresh_prices",
    "report_outcomes",
    "require_bot_token",
    "settle_outcomes",
    "settle_time",
    "summary_message",
    "summary_output",
]

EXIT_OK, EXIT_FAILURE = 0, 1
MAX_PASSES = 200  # of settle_outcomes (its time bound usually ends it first)


def require_bot_token(settings: Settings) -> None:
    """Posting needs the bot token (not the signing secret), or in OAuth mode the client
    ID and secret (each team's token is then its installation's): one clear line otherwise."""
    settings.check_slack_mode()
    if settings.oauth:
        return
    tok = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    if not tok:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app."
        )
    if not tok.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")


def refresh_prices(svc: DailyServices, now: datetime) -> str | None:
    """Fetch the missing closes of the summary's symbols into the store.

    Returns ``None`` when nothing needed doing or it worked, else the error (logged; the
    caller posts anyway with a "data as of" note). Never raises.
    """
    if svc.read_only_prices:
        return None
    fetcher = svc.fetcher()
    if fetcher is None:
        log.info("offline: prices not refreshed")
        return None
    try:
        store = svc.price_store
        stored = set(store.symbols())
        symbols = [s for s in SUMMARY_SYMBOLS if s in stored]
        report = update_prices(svc.prices_unit_of_work(), fetcher, svc.calendar, symbols, now)
    except Exception as exc:
        log.exception("price refresh failed")
        return f"{type(exc).__name__}: {exc}"
    finally:
        svc.market.refresh()
    if report.error:
        log.error("price refresh failed: %s", report.error)
        return report.error
    log.info(
        "prices refreshed: %s",
        ", ".join(f"{r.symbol} {r.status}" for r in report.results) or "nothing to do",
    )
    return None


def summary_message(prep: Prepared) -> tuple[str, list[dict[str, Any]]]:
    """(plain-text fallback, Block Kit blocks), the note first when there is one."""
    text = summary_text(prep.summary)
    blocks = summary_blocks(prep.summary)
    if prep.note:
        text = f"{prep.note}\n\n{text}"
        esc = escape_mrkdwn(prep.note)
        note_block = {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f":information_source: {esc}"}],
        }
        at = 1 if blocks and blocks[0].get("type") == "header" else 0
        blocks = clamp_blocks([*blocks[:at], note_block, *blocks[at:]])
    return text, blocks


def make_post(prep: Prepared, *, chart: bool = True) -> DailyPost:
    """The message (and YTD chart) every channel gets for ``prep.session``."""
    text, blocks = summary_message(prep)
    png: bytes | None = None
    if chart:
        from bot.render.charts import ytd_chart_png  # noqa: PLC0415 (matplotlib: only to draw)

        try:
            png = ytd_chart_png(prep.closes, prep.data_session)
        except Exception:  # the post is complete without it
            log.exception("YTD chart for %s failed; posting without it", prep.data_session)
    return DailyPost(
        session=prep.session,
        data_session=prep.data_session,
        text=text,
        blocks=blocks,
        chart_png=png,
        chart_filename=f"market-leadership-{prep.data_session:%Y-%m-%d}.png",
        chart_title=f"Year to date through {fmt_date(prep.data_session)}",
    )


def settle_time(settings: Settings) -> timedelta:
    """How long after a send with no answer the channel is checked: twice the client timeout."""
    return timedelta(seconds=2 * settings.slack_timeout)


def post_to(
    svc: DailyServices,
    sender: DailySender,
    post: DailyPost,
    subs: Sequence[Subscription],
    now: datetime,
    *,
    worker_id: str | None = None,
    concurrency: int | None = None,
) -> list[Outcome]:
    """Deliver ``post`` to each subscription (exactly once each, see :func:`bot.services.delivery.deliver`),
    ``concurrency`` (default ``STREAKBOT_POST_CONCURRENCY``) at a time, then share the chart
    (:mod:`bot.services.fanout`). Each delivery starts at the later of ``now`` and the clock."""
    return fan_out(
        svc.post_ledger, sender, svc.subscriptions, post, subs, lambda: max(now, svc.clock()),
        worker_id=worker_id or new_worker_id(), settle=settle_time(svc.settings),
        concurrency=concurrency or svc.settings.post_concurrency,
    )


# --------------------------------------------------------------------------- commands
def summary_output(svc: DailyServices, session: date | None) -> str:
    """What ``streakbot leaders [--session DATE]`` prints (:func:`bot.daily.leaders.leaders_text`)."""
    return leaders_text(svc.summary_market(), svc.calendar, session, svc.clock())


def print_summary(svc: DailyServices, session: date | None) -> int:
    """``streakbot leaders [--session DATE]``: print the summary (0), or UserError (exit 2)."""
    print(summary_output(svc, session))
    return EXIT_OK


def settle_outcomes(
    svc: DailyServices,
    sender: DailySender,
    post: DailyPost,
    subs: Sequence[Subscription],
    *,
    max_wait: float,
    poll: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Outcome]:
    """Deliver to ``subs`` until each is confirmed or failed, or ``max_wait`` seconds passed.

    Channels held by a live sender are polled every ``poll`` seconds; an uncertain send is
    looked up in the channel once it has settled (``Outcome.retry_at``). Bounded in time
    (``max_wait``) and in passes.
    """
    worker = new_worker_id()
    final: dict[tuple[str, str], Outcome] = {}
    pending = list(subs)
    deadline = time.monotonic() + max_wait
    for _ in range(MAX_PASSES):
        outs = post_to(svc, sender, post, pending, svc.clock(), worker_id=worker)
        for o in outs:
            final[o.team_id, o.channel_id] = o
        waits: list[float] = []
        now = svc.clock()
        again = []
        for sub, o in zip(pending, outs, strict=True):
            if o.status == "in progress":
                waits.append(poll)
            elif o.status == "uncertain" and o.retry_at is not None:
                waits.append(max((o.retry_at - now).total_seconds(), 0.05))
            else:
                continue
            again.append(sub)
        remaining = deadline - time.monotonic()
        if not again or remaining <= 0:
            break
        sleep(min(*waits, remaining))
        pending = again
    return [final[s.team_id, s.channel_id] for s in subs]


@dataclass(frozen=True)
class DailyRun:
    """One ``post-daily`` run made ready: the post built once and the channels due it."""

    post: DailyPost
    subs: list[Subscription]
    max_wait: float  # seconds a run waits for a channel another sender holds


def ready_post_daily(svc: DailyServices, session: date | None) -> DailyRun | int:
    """Check the session, refresh the prices and build the post: a :class:`DailyRun`, or the
    exit status when there is nothing to post (after saying why)."""
    require_bot_token(svc.settings)
    now = svc.clock()
    cal = svc.calendar
    last_completed = cal.last_completed_session(now)
    if session is None:
        session = last_completed
    else:
        try:
            is_session = cal.is_session(session)
        except ValueError:
            raise UserError(f"{session:%Y-%m-%d} is outside the NYSE calendar.") from None
        if not is_session:
            print(f"{session:%Y-%m-%d} is not an NYSE session (holiday or weekend): nothing posted.")
            return EXIT_OK
        if session > last_completed:
            raise UserError(
                f"The {fmt_date(session)} session has not closed yet (the last completed NYSE "
                f"session is {fmt_date(last_completed)}): nothing posted."
            )
    subs = svc.subscriptions.all_active()
    if not subs:
        print("No channel is subscribed to the daily post: nothing posted.")
        return EXIT_OK
    refresh_error = refresh_prices(svc, now)
    prep = prepare(svc.market, cal, session, now, allow_stale=True, refresh_error=refresh_error)
    post = make_post(prep)
    print(f"Daily summary for {fmt_date(session)}" + (f" ({prep.note})" if prep.note else ""))
    return DailyRun(post, list(subs), 2 * settle_time(svc.settings).total_seconds())


def post_daily(svc: DailyServices, session: date | None, shard: Shard | None = None) -> int:
    """``streakbot post-daily [--session DATE]``: post to every active subscription, once.

    Exit 0 only when every channel is confirmed (posted now, found in the channel, or
    already posted); otherwise 1, with one line per channel saying why. A channel another
    run is posting to right now is waited for (up to four times the Slack timeout), not
    counted as done: a cron job's exit status must not claim a post nobody has seen.
    """
    run = ready_post_daily(svc, session)
    if isinstance(run, int):
        return run
    subs = run.subs
    if shard is not None:  # one of several processes: its own channels first (bot.daily.workers)
        subs = shard_order(subs, shard)
    outcomes = settle_outcomes(svc, svc.daily_sender, run.post, subs, max_wait=run.max_wait)
    return report_outcomes(outcomes)


def report_outcomes(outcomes: Sequence[Outcome]) -> int:
    """One line per channel; 0 when every channel is confirmed, else 1."""
    for o in outcomes:
        print(outcome_line(o))
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_FAILURE
