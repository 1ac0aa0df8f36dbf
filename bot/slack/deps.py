"""What each feature's listeners need, and nothing more (built by :mod:`bot.slack.serve`).

Each listener module has ``register(app, deps)`` taking its own dataclass below, so a
listener sees exactly the market, clock, calendar and stores its feature uses, and a test
can build one with fakes. Only the starter (:mod:`bot.slack.serve`) knows the
``Services`` bundle these come from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.adapters.calendar import NyseCalendar
from bot.domain.ports import LedgerRow
from bot.services.market import Market
from bot.services.new_symbols import NewSymbols
from bot.store.alerts import AlertStore
from bot.store.events import EventLedger
from bot.store.subscriptions import SubscriptionStore

Clock = Callable[[], datetime]
MarketProvider = Callable[[], Market]  # built on first use: opening the data takes seconds
# (response_url, JSON payload) -> True when Slack took it
Respond = Callable[[str, dict[str, Any]], bool]
# (work, what it is for the log): runs ``work`` after the acknowledgement, off the request
RunLater = Callable[[Callable[[], None], str], object]
LastSent = Callable[[str, str], LedgerRow | None]  # (team, channel) -> its last sent post


@dataclass(frozen=True)
class CommandDeps:
    """What every slash command shares: the time, the answer channel, the answer runner."""

    clock: Clock
    respond: Respond
    run_later: RunLater


@dataclass(frozen=True)
class MarketCommandDeps:
    """``/streak`` and ``/records``: the prices, besides what every command has, and what
    adds a symbol the store lacks (None: never fetch, e.g. a read-only data folder)."""

    command: CommandDeps
    market: MarketProvider
    new_symbols: NewSymbols | None = None


# ``/check`` and the "Check figures" shortcut need the same: the prices and the command channel.
CheckDeps = MarketCommandDeps


@dataclass(frozen=True)
class LeadersDeps:
    """``/leaders``: the summary's inputs and the channel subscriptions."""

    command: CommandDeps
    market: MarketProvider
    calendar: NyseCalendar
    subscriptions: SubscriptionStore
    last_sent: LastSent


@dataclass(frozen=True)
class AlertsDeps:
    """``/alerts``: the prices (to resolve symbols) and the channels' alert settings."""

    command: CommandDeps
    market: MarketProvider
    alerts: AlertStore


@dataclass(frozen=True)
class QuestionsDeps:
    """Mentions and DMs: the prices, the time and the event ledger."""

    market: MarketProvider
    clock: Clock
    ledger: EventLedger
    run_later: RunLater


# (team, enterprise or None): remove the workspace's installation, subscriptions and alerts
Forget = Callable[[str, str | None], None]


@dataclass(frozen=True)
class InstallDeps:
    """``app_uninstalled``/``tokens_revoked``: how to forget a workspace."""

    forget: Forget


@dataclass(frozen=True)
class HomeDeps:
    """The App Home tab: the prices and calendar (for the lead), the subscriptions, and each
    team's channels with alerts on (``(channel_id, threshold)``)."""

    market: MarketProvider
    calendar: NyseCalendar
    subscriptions: SubscriptionStore
    clock: Clock
    run_later: RunLater
    alert_channels: Callable[[str], list[tuple[str, int]]] = lambda team: []


@dataclass(frozen=True)
class HealthDeps:
    """``/healthz``: a database ping, the latest completed session and the prices."""

    ping: Callable[[], None]
    latest_session: Callable[[], date]
    market: MarketProvider


@dataclass(frozen=True)
class SlackDeps:
    """Every feature's dependencies, for :func:`bot.slack.listeners.register_all`."""

    streak: MarketCommandDeps
    records: MarketCommandDeps
    leaders: LeadersDeps
    questions: QuestionsDeps
    check: MarketCommandDeps
    installs: InstallDeps
    alerts: AlertsDeps
    home: HomeDeps | None = None


__all__ = [
    "AlertsDeps",
    "CheckDeps",
    "Clock",
    "CommandDeps",
    "Forget",
    "HealthDeps",
    "HomeDeps",
    "InstallDeps",
    "LastSent",
    "LeadersDeps",
    "MarketCommandDeps",
    "MarketProvider",
    "QuestionsDeps",
    "Respond",
    "RunLater",
    "SlackDeps",
]
