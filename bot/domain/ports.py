"""The ports: what the use cases need from the outside world, as small ``Protocol`` s.

Use cases depend on these, never on the adapters that implement them (the SQL store, the
bundled files, Yahoo, Slack, exchange_calendars); the bootstrap hands in the real ones and
tests hand in fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, runtime_checkable

from bot.domain.series import InstrumentInfo, SeriesInfo

if TYPE_CHECKING:  # types only: importing this module must not import pandas
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

Clock = Callable[[], datetime]
"""The current instant, tz-aware (``datetime.now(UTC)`` in production)."""


class PriceReader(Protocol):
    """Anything that can hand out stored daily bars (store, bundled files, a CSV folder)."""

    name: str

    def symbols(self) -> list[str]:
        """Symbols this source can serve without a network call (may be empty)."""
        ...

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        """Daily bars per symbol from ``start`` (inclusive; all history if ``None``).

        Symbols the source has nothing for are left out of the result.
        """
        ...


@dataclass(frozen=True)
class CsvSeries:
    """One price file whose lines are ``bars`` rows as they are (``date,open,high,low,
    close,volume``, a header line first, an empty cell for a missing value), with what its
    manifest says it holds. ``read()`` gives its bytes (read when asked, so that a load can
    send one file while the next is read)."""

    read: Callable[[], bytes]
    first: date
    last: date
    rows: int


@runtime_checkable
class CsvFilesReader(Protocol):
    """A reader whose files a store can load whole without parsing them (the bundled
    files, already validated when they were made and by a test over every one of them)."""

    def csv_files(self) -> Mapping[str, CsvSeries]:
        """Every series by symbol (each file read, decompressed, when asked)."""
        ...


class PriceFetcher(PriceReader, Protocol):
    """A network source of daily bars (Yahoo); same shape, but each call may be slow or fail."""


@runtime_checkable
class InstrumentLookup(Protocol):
    """Who a symbol is, asked of the network source before its history is fetched."""

    name: str

    def describe(self, symbol: str) -> InstrumentInfo | None:
        """The instrument's metadata; ``None`` when the source does not know the symbol.

        Raises ``DataSourceError`` when the source cannot be reached.
        """
        ...


class BundledReader(PriceReader, Protocol):
    """The bars shipped with the package, which also know each series' last session cheaply."""

    def last_dates(self) -> dict[str, date]:
        """The last session of every series (read without parsing the bars)."""
        ...


class PriceWriter(Protocol):
    """What the incremental updater needs of the store, inside one unit of work."""

    def info(self) -> Mapping[str, SeriesInfo]:
        """Per-symbol metadata of the stored series."""
        ...

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        """Stored bars per symbol from ``start``, as :meth:`PriceReader.bars` gives them."""
        ...

    def write_many(self, frames: Mapping[str, pd.DataFrame], source: str) -> int:
        """Insert or replace the given sessions of each symbol; the rows written."""
        ...


class PricesUnitOfWork(Protocol):
    """One transaction of a use case over the prices: rolled back on exit unless committed.

    ``with uow:`` opens it; :meth:`commit` makes the writes stick; leaving the block
    without committing (or on an exception) discards them.
    """

    @property
    def prices(self) -> PriceWriter: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class SeedableStore(Protocol):
    """What seeding needs of the store: its series, and copying from a reader."""

    def info(self) -> Mapping[str, SeriesInfo]: ...

    def is_empty(self) -> bool: ...

    def seed_from(self, source: PriceReader) -> int:
        """Copy every symbol of ``source`` into an empty store; rows written (0 if seeded)."""
        ...

    def top_up_from(self, source: PriceReader, last_dates: Mapping[str, date]) -> int:
        """Append what ``source`` has after each stored series' last session; rows written."""
        ...


class SessionCalendar(Protocol):
    """The NYSE sessions: dates are ``datetime.date``, instants tz-aware."""

    @property
    def first_session(self) -> date: ...

    @property
    def last_session(self) -> date: ...

    def session_days(self, start: date | str, end: date | str) -> NDArray[np.datetime64]:
        """Sessions in ``[start, end]`` as ``datetime64[D]``."""
        ...

    def sessions(self, start: date | str, end: date | str) -> pd.DatetimeIndex:
        """Sessions in ``[start, end]`` as naive, normalized dates."""
        ...

    def is_session(self, d: date | str) -> bool: ...

    def session_close(self, d: date | str) -> datetime:
        """Close of session ``d`` in America/New_York (13:00 on early closes)."""
        ...

    def previous_session(self, d: date | str) -> date: ...

    def next_session(self, d: date | str) -> date: ...

    def last_completed_session(self, now: datetime) -> date:
        """The most recent session whose close is ``<= now``."""
        ...


class MessageSender(Protocol):
    """Posts a message to a Slack channel and says where it landed."""

    def post(self, channel: str, text: str, blocks: Sequence[dict[str, Any]]) -> str:
        """Post and return the message's ``ts``; raise on a failure the caller must see."""
        ...


# --------------------------------------------------------------------------- the daily post
@dataclass(frozen=True)
class SendResult:
    """What Slack made of one ``chat.postMessage`` of the daily post.

    ``kind``:

    * ``posted`` -- taken, ``ts`` says where;
    * ``rate_limited`` -- a 429: not taken, try again after ``retry_after`` seconds;
    * ``failed`` -- not taken (Slack refused it, or the request was never fully written);
      ``error`` is Slack's error code (``channel_not_found``...) or the exception;
    * ``unknown`` -- written, but no clear answer (a timeout, a dropped connection, a 5xx):
      Slack may or may not have posted it.
    """

    kind: Literal["posted", "rate_limited", "failed", "unknown"]
    ts: str | None = None
    error: str | None = None
    retry_after: float = 0.0


class ChannelHistoryError(RuntimeError):
    """A channel's history could not be read to the end (the message says why)."""


class PostGate(Protocol):
    """The ``chat.postMessage`` back-off shared by every sender of a run (a 429 pauses all)."""

    def remaining(self) -> float:
        """Seconds until posting may resume (0.0 when open)."""
        ...

    def wait(self) -> float:
        """Block until posting may resume; the seconds waited."""
        ...

    def pause(self, seconds: float) -> None:
        """Nobody posts for ``seconds`` from now (a later pause only extends it)."""
        ...


class DailySender(Protocol):
    """The Slack side of the daily post: the keyed post, finding it again, the chart.

    Every post carries its ledger key (team, channel, session) so that :meth:`find_post`
    can tell whether an earlier send with no clear answer went through.
    """

    def post_gate_for(self, team_id: str) -> PostGate | None:
        """The 429 gate of ``team_id``'s workspace, shared by every sender of the run
        (Slack's limits are per app and workspace), or ``None`` (then the caller sleeps on
        a 429 itself)."""
        ...

    def send_post(
        self, team_id: str, channel_id: str, session: date, text: str, blocks: Sequence[dict[str, Any]]
    ) -> SendResult:
        """Post once (never retried by the client); never raises."""
        ...

    def find_post(self, team_id: str, channel_id: str, session: date) -> str | None:
        """The ``ts`` of the session's post in the channel, or ``None`` if it is not there.

        Raises :class:`ChannelHistoryError` when that cannot be said for sure.
        """
        ...

    def share_file(
        self, team_id: str, channels: Sequence[str], content: bytes, filename: str, title: str
    ) -> str | None:
        """Upload ``content`` once, shared with ``channels`` (all of workspace ``team_id``);
        ``None`` or the error."""
        ...


CLAIMED, SENDING, UNCERTAIN, CHECKING, SENT, FAILED = (
    "claimed", "sending", "uncertain", "checking", "sent", "failed",
)
POST_STATUSES = frozenset({CLAIMED, SENDING, UNCERTAIN, CHECKING, SENT, FAILED})
"""A ledger row's states (what each means: :mod:`bot.services.delivery`)."""


@dataclass(frozen=True)
class Claim:
    """The right to send one post: the ledger row ``id`` at ``attempts``, held by ``worker_id``.

    ``check_first``: an earlier send may have reached Slack; look for it before sending.
    """

    id: int
    team_id: str
    channel_id: str
    session: date
    worker_id: str
    claimed_at: datetime
    attempts: int
    check_first: bool = False


@dataclass(frozen=True)
class LedgerRow:
    """One post's row of the claim ledger, as stored (``claimed_at`` aware UTC)."""

    id: int
    team_id: str
    channel_id: str
    session: date
    status: str
    claimed_by: str
    claimed_at: datetime
    attempts: int
    error: str | None = None
    message_ts: str | None = None
    sent_at: datetime | None = None


class PostLedger(Protocol):
    """The claim ledger of the daily post: one row per (team, channel, session).

    Every write after the first is conditional -- on the row as the caller last read it, or
    on the caller still holding it -- so two runs can never both win; the rules of who may
    take a row over are the caller's (:mod:`bot.services.delivery`). ``status`` is one of
    :data:`POST_STATUSES`.
    """

    def insert_claim(self, team_id: str, channel_id: str, session: date, worker_id: str,
                     at: datetime) -> Claim | None:
        """A new ``claimed`` row held by ``worker_id``; ``None`` when the row exists already."""
        ...

    def row(self, team_id: str, channel_id: str, session: date) -> LedgerRow | None: ...

    def last_sent(self, team_id: str, channel_id: str) -> LedgerRow | None:
        """The most recent ``sent`` row of a channel."""
        ...

    def take_over(self, row: LedgerRow, worker_id: str, at: datetime, status: str) -> bool:
        """Hold ``row``, unchanged since it was read, for ``worker_id`` as its next attempt."""
        ...

    def start_sending(self, c: Claim, at: datetime) -> bool:
        """``sending`` from ``at``, committed before the request is written; False if lost."""
        ...

    def mark_sent(self, c: Claim, ts: str | None, at: datetime) -> bool: ...

    def mark_failed(self, c: Claim, error: str) -> bool: ...

    def mark_uncertain(self, c: Claim, error: str) -> bool: ...

    def holder_is_live(self, worker_id: str, claimed_at: datetime, now: datetime, lease: timedelta) -> bool:
        """May the holder of a claim taken at ``claimed_at`` still be working on it?"""
        ...


class PostMarks(Protocol):
    """What delivery records on a subscription (the subscriptions store)."""

    def mark_posted(self, team_id: str, channel_id: str, session: date) -> bool: ...

    def mark_failing(self, team_id: str, channel_id: str, error: str, now: datetime) -> bool: ...


class Subscriber(Protocol):
    """A subscription as delivery sees it."""

    @property
    def team_id(self) -> str: ...

    @property
    def channel_id(self) -> str: ...

    @property
    def failing(self) -> bool:
        """Slack refused posts to the channel for good (until it is subscribed again)."""
        ...
