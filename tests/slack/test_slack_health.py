"""``/healthz`` from its three dependencies, with fakes (no database, no price data)."""

from __future__ import annotations

from datetime import date

from bot.services.market import Market
from bot.slack.deps import HealthDeps
from bot.slack.health import health


def fine() -> None:
    pass


def unreachable() -> None:
    raise OSError("connection refused\nsecond line never shown")


def no_prices() -> Market:
    raise LookupError("no price data")


def test_an_unreachable_database_and_no_data_is_503_in_one_line_each() -> None:
    status, body = health(HealthDeps(ping=unreachable, latest_session=lambda: date(2026, 9, 18), market=no_prices))
    assert (status, body) == (503, {
        "ok": False, "database": "unreachable", "database_error": "connection refused",
        "latest_session": "2026-09-18", "data": "error", "data_error": "no price data",
    })


def test_a_database_that_answers_with_no_data_is_still_503() -> None:
    status, body = health(HealthDeps(ping=fine, latest_session=lambda: date(2026, 9, 18), market=no_prices))
    assert status == 503
    assert (body["database"], body["data"]) == ("ok", "error")
