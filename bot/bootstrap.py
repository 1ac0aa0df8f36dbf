"""The one place that builds real objects (cosmicpython-style bootstrap).

Every front end asks :func:`bootstrap` for a :class:`Services` bundle; tests pass fakes
for the fetcher, the clock and the calendar instead of patching.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.adapters.calendar import NyseCalendar
from bot.adapters.deadline import DeadlineSource
from bot.adapters.senders import holder_is_live
from bot.adapters.sources import BundledSource, CsvDirSource
from bot.adapters.summary_cache import keep_shipped_summary
from bot.adapters.yahoo import YahooSource
from bot.domain.ports import Clock, PriceFetcher
from bot.domain.provenance import Origin, origin_from_sources
from bot.services.market import Market
from bot.services.new_symbols import NewSymbols
from bot.services.seeding import ensure_seeded
from bot.settings import ConfigError, Settings
from bot.store.alerts import AlertStore
from bot.store.close_reads import open_ready_sqlite
from bot.store.db import make_engine, open_engine
from bot.store.events import EventLedger
from bot.store.instruments import InstrumentStore
from bot.store.paths import sqlite_file
from bot.store.post_ledger import SqlPostLedger
from bot.store.prices import PriceStore
from bot.store.shipped import install_shipped_store, open_shipped_prices
from bot.store.subscriptions import SubscriptionStore
from bot.store.tables import alert_posts
from bot.store.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:
    from slack_sdk import WebClient
    from slack_sdk.oauth.installation_store import InstallationStore
    from slack_sdk.oauth.state_store import OAuthStateStore

    from bot.adapters.response_url import ResponsePoster
    from bot.adapters.slack_installs import TeamTokens
    from bot.adapters.slack_sender import SlackSender, TeamSlackSender

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """What the entry points need, wired once."""

    settings: Settings
    calendar: NyseCalendar
    clock: Clock
    fetcher_factory: Callable[[], PriceFetcher] | None
    _engine: Engine | None = field(default=None, repr=False)

    @cached_property
    def engine(self) -> Engine:
        """The SQL store, its schema brought to the latest migration on first use.

        A SQLite store that does not exist yet starts as a copy of the ready-made one the
        package ships (migrated and seeded: see :mod:`bot.store.shipped`), unless the
        prices come from ``--data-dir`` (then the store is made empty, as before)."""
        if self._engine is not None:
            return self._engine
        url = self.settings.database_url_value
        path = sqlite_file(url)
        if (path is not None and not self.read_only_prices and not path.exists()
                and install_shipped_store(path, utc_now())):  # as seeding stamps its series
            _keep_shipped_summary(path)
        return make_engine(url)

    def unmigrated_engine(self) -> Engine:
        """The store with its schema as it is (``streakbot db``), not brought to head."""
        return self._engine or open_engine(self.settings.database_url_value)

    @property
    def read_only_prices(self) -> bool:
        """``--data-dir``: that folder is the only price data; nothing is fetched or written."""
        return self.settings.data_dir is not None

    @cached_property
    def bundled_prices(self) -> BundledSource:
        """The price files shipped with the package (what an empty store is seeded from)."""
        return BundledSource()

    @cached_property
    def price_store(self) -> PriceStore:
        """The SQL price store, seeded from (or topped up to) the bundled data on first use:
        from the shipped store's rows when it holds the bundle's (no CSV to parse again)."""
        store = PriceStore(self.engine)
        last_dates = self.bundled_prices.last_dates()
        # PostgreSQL loads the bundled files whole with COPY, faster than any row reading.
        shipped = None if store.loads_csv_files else open_shipped_prices(last_dates)
        try:
            ensure_seeded(store, shipped or self.bundled_prices, last_dates)
        finally:
            if shipped is not None:
                shipped.close()
        return store

    def bundled_market_if_unseeded(self) -> Market | None:
        """A market over the bundled data when the store is empty and not opened yet.

        For a read-only look (a summary) that must not seed the store; ``None`` when the
        store is open or holds series (then :attr:`market` is the one to read).
        """
        if "price_store" in self.__dict__ or not PriceStore(self.engine).is_empty():
            return None
        return Market(self.bundled_prices, self.calendar, origin="bundled")

    def prices_unit_of_work(self) -> SqlAlchemyUnitOfWork:
        """A unit of work on the (seeded) price store, for a use case that writes prices."""
        return SqlAlchemyUnitOfWork(self.price_store.engine)

    @cached_property
    def market(self) -> Market:
        if self.settings.data_dir is not None:
            src = CsvDirSource(self.settings.data_dir, self.calendar)
            # The path is for the operator (-v), never for answers: they say "CSV folder".
            log.info("prices from the CSV folder %s", self.settings.data_dir)
            return Market(src, self.calendar, origin="csv")
        store = self.price_store
        log.info("prices from the store at %s", self.engine.url.render_as_string(hide_password=True))
        return Market(store, self.calendar, version=store.version, origin=lambda: store_origin(store))

    def summary_market(self) -> Market:
        """The market to read for a summary, without seeding an empty store (read-only use)."""
        if self.read_only_prices or "price_store" in self.__dict__:
            return self.market
        if PriceStore(self.engine).is_empty():  # not opened (and seeded) yet, and empty
            return Market(BundledSource(), self.calendar, origin="bundled")
        return self.market

    @cached_property
    def subscriptions(self) -> SubscriptionStore:
        """The channels subscribed to the daily post."""
        return SubscriptionStore(self.engine)

    @cached_property
    def post_ledger(self) -> SqlPostLedger:
        """The daily post's claim ledger (exactly once per channel and session)."""
        return SqlPostLedger(self.engine, holder_is_live)

    @cached_property
    def daily_sender(self) -> SlackSender | TeamSlackSender:
        """The daily post's Slack sender, its 429s through one shared gate: one client on
        ``SLACK_BOT_TOKEN``, or in OAuth mode a client per team on its installation's token."""
        from bot.adapters.ratelimit import daily_client  # noqa: PLC0415 (slack_sdk only for paths that post)
        from bot.adapters.slack_sender import (  # noqa: PLC0415 (slack_sdk only for paths that post)
            SlackSender,
            TeamSlackSender,
        )

        s = self.settings
        if s.oauth:
            tokens = self.team_tokens
            return TeamSlackSender(
                tokens.bot_token,
                lambda token, gate: daily_client(
                    token=token, api_url=s.slack_api_url, timeout=s.slack_timeout, gate=gate
                ),
            )
        token = s.slack_bot_token.get_secret_value() if s.slack_bot_token else None
        return SlackSender(daily_client(token=token, api_url=s.slack_api_url, timeout=s.slack_timeout))

    @cached_property
    def installation_store(self) -> InstallationStore:
        """OAuth mode: the workspaces that installed the app (slack_sdk's SQLAlchemy store
        on the app's database)."""
        from bot.adapters.slack_installs import installation_store  # noqa: PLC0415 (slack_sdk's OAuth: OAuth mode only)

        client_id = self.settings.slack_client_id
        if not client_id:
            raise ConfigError("SLACK_CLIENT_ID is not set: OAuth installs need the app's Client ID.")
        return installation_store(client_id, self.engine)

    @cached_property
    def team_tokens(self) -> TeamTokens:
        """OAuth mode: each team's bot token, from :attr:`installation_store`."""
        from bot.adapters.slack_installs import TeamTokens  # noqa: PLC0415 (slack_sdk's OAuth: OAuth mode only)

        return TeamTokens(self.installation_store)

    def oauth_state_store(self, expiration_seconds: int) -> OAuthStateStore:
        """OAuth mode: the one-time states of the "Add to Slack" links."""
        from bot.adapters.slack_installs import state_store  # noqa: PLC0415 (slack_sdk's OAuth: OAuth mode only)

        return state_store(self.engine, expiration_seconds)

    @cached_property
    def alert_store(self) -> AlertStore:
        """Channels' alert settings and watch lists."""
        return AlertStore(self.engine)

    @cached_property
    def alert_ledger(self) -> SqlPostLedger:
        """The alerts' claim ledger (exactly once per channel and session)."""
        return SqlPostLedger(self.engine, holder_is_live, table=alert_posts)

    @cached_property
    def alert_sender(self) -> SlackSender | TeamSlackSender:
        """The alerts' Slack sender: the daily post's clients (each team's in OAuth mode), the
        alerts' metadata key."""
        from bot.adapters.slack_history import ALERT_EVENT_TYPE  # noqa: PLC0415 (slack_sdk only for paths that post)
        from bot.adapters.slack_sender import SlackSender, TeamSlackSender  # noqa: PLC0415 (as above)

        daily = self.daily_sender
        if isinstance(daily, TeamSlackSender):
            return TeamSlackSender(daily.token_for, daily.make_client, event_type=ALERT_EVENT_TYPE)
        return SlackSender(daily.client, event_type=ALERT_EVENT_TYPE)

    @cached_property
    def event_ledger(self) -> EventLedger:
        """Slack events claimed before they are answered (retries are answered once)."""
        return EventLedger(self.engine, self.clock)

    def slack_client(self) -> WebClient:
        """The bot's WebClient from ``SLACK_BOT_TOKEN``, ``SLACK_API_URL`` and the Slack timeout."""
        from bot.adapters.slack_client import make_web_client  # noqa: PLC0415 (slack_sdk only for Slack paths)

        s = self.settings
        token = s.slack_bot_token.get_secret_value() if s.slack_bot_token else None
        return make_web_client(token=token, base_url=s.slack_api_url, timeout=s.slack_timeout)

    def response_poster(self, connections: int) -> ResponsePoster:
        """Slash-command answers to ``response_url``, on ``connections`` pooled connections."""
        from bot.adapters.response_url import ResponsePoster  # noqa: PLC0415 (urllib3 pool: serve only)

        return ResponsePoster(timeout=self.settings.slack_timeout, connections=connections)

    @cached_property
    def instruments(self) -> InstrumentStore:
        """The metadata of symbols added on request."""
        return InstrumentStore(self.engine)

    @cached_property
    def new_symbols(self) -> NewSymbols:
        """Adds a symbol the store lacks from Yahoo, once however many ask (see the module)."""
        return NewSymbols(self.network_source, self.prices_unit_of_work, self.calendar, self.instruments,
                          self.clock, on_added=self.market.refresh)

    def network_source(self) -> DeadlineSource | None:
        """:meth:`fetcher`, which can also describe a new symbol."""
        f = self.fetcher()
        return f if isinstance(f, DeadlineSource) else None

    def fetcher(self) -> PriceFetcher | None:
        """The network source, or ``None`` when offline or reading a data folder."""
        if self.settings.offline or self.read_only_prices or self.fetcher_factory is None:
            return None
        inner = self.fetcher_factory()
        if inner is None:  # a factory may have nothing to offer
            return None
        return DeadlineSource(inner, self.settings.download_deadline_seconds)


def _keep_shipped_summary(path: Path) -> None:
    """The shipped summary under the key of the store just installed at ``path``."""
    reader = open_ready_sqlite(path)
    if reader is not None:
        try:
            keep_shipped_summary(reader.data_version())
        finally:
            reader.close()


def store_origin(store: PriceStore) -> Origin:
    """``bundled``, ``yahoo`` or ``bundled+yahoo``: what last wrote the stored series."""
    return origin_from_sources({i.source for i in store.info().values()})


def store_engine(settings: Settings) -> Engine:
    """The store with its schema as it is, and nothing else (``streakbot db``: no calendar)."""
    return open_engine(settings.database_url_value)


def bootstrap(
    settings: Settings | None = None,
    *,
    calendar: NyseCalendar | None = None,
    clock: Clock = utc_now,
    fetcher_factory: Callable[[], PriceFetcher] | None = None,
    engine: Engine | None = None,
) -> Services:
    """Build the services from settings; every argument can be replaced by a fake."""
    settings = settings or Settings()
    if fetcher_factory is None:
        cfg = settings

        def yahoo() -> PriceFetcher:
            return YahooSource(timeout=cfg.download_timeout_seconds)

        fetcher_factory = yahoo
    return Services(
        settings=settings,
        calendar=calendar or NyseCalendar(),
        clock=clock,
        fetcher_factory=fetcher_factory,
        _engine=engine,
    )
