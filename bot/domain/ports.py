"""The ports: what the use cases need from the outside world, as small ``Protocol`` s.

Use cases depend on these, never on the adapters that implement them (the SQL store, the
bundled files, Yahoo, Slack, exchange_calendars); the bootstrap hands in the real ones and
tests hand in fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

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


class PriceFetcher(PriceReader, Protocol):
    """A network source of daily bars (Yahoo); same shape, but each call may be slow or fail."""


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
