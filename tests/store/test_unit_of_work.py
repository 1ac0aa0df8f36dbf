"""The SQL unit of work: one transaction, rolled back on exit unless committed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import bars_frame

from bot.store.prices import PriceStore
from bot.store.unit_of_work import SqlAlchemyUnitOfWork

FRAME = bars_frame({"2026-01-05": 100.0, "2026-01-06": 101.0})


def test_committed_writes_stick(engine: sa.Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        assert uow.prices.write_many({"^GSPC": FRAME}, "seed") == 2
        assert uow.prices.info()["^GSPC"].rows == 2  # visible inside the transaction
        uow.commit()
    store = PriceStore(engine)
    assert store.info()["^GSPC"].rows == 2
    assert store.bars(["^GSPC"])["^GSPC"]["close"].tolist() == [100.0, 101.0]


def test_leaving_without_a_commit_rolls_back(engine: sa.Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.prices.write_many({"^GSPC": FRAME}, "seed")
    assert PriceStore(engine).info() == {}


def test_an_exception_rolls_back(engine: sa.Engine) -> None:
    uow = SqlAlchemyUnitOfWork(engine)
    with pytest.raises(RuntimeError, match="boom"), uow:
        uow.prices.write_many({"^GSPC": FRAME}, "seed")
        raise RuntimeError("boom")
    assert PriceStore(engine).info() == {}


def test_it_can_be_entered_again_and_only_inside_a_block(engine: sa.Engine) -> None:
    uow = SqlAlchemyUnitOfWork(engine)
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.prices
    with uow:
        uow.prices.write_many({"^GSPC": FRAME}, "seed")
        uow.commit()
    with uow:
        assert sorted(uow.prices.bars(["^GSPC", "^NOPE"])) == ["^GSPC"]
        with pytest.raises(RuntimeError, match="already open"), uow:
            pass
    with pytest.raises(RuntimeError, match="not open"):
        uow.commit()
