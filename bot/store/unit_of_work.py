"""A unit of work over the SQL store: one transaction per use case.

As in *Architecture Patterns with Python* (``SqlAlchemyUnitOfWork``): ``with uow:`` opens
a connection and a transaction, :attr:`~SqlAlchemyUnitOfWork.prices` reads and writes
inside it, :meth:`~SqlAlchemyUnitOfWork.commit` makes the writes stick, and leaving the
block without committing (or on an exception) rolls them back. It can be entered again
for another transaction.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from bot.store.prices import StoredPrices


class SqlAlchemyUnitOfWork:
    """A :class:`~bot.domain.ports.PricesUnitOfWork` on ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None
        self._prices: StoredPrices | None = None

    @property
    def prices(self) -> StoredPrices:
        """The price store inside the open transaction."""
        if self._prices is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._prices

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("the unit of work is already open")
        self._conn = self.engine.connect()
        self._tx = self._conn.begin()
        self._prices = StoredPrices(self._conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            if self._conn is not None:
                self._conn.close()
            self._conn = self._tx = self._prices = None

    def commit(self) -> None:
        """Make this transaction's writes stick."""
        if self._tx is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        self._tx.commit()

    def rollback(self) -> None:
        """Discard this transaction's writes (nothing to do once committed)."""
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()
