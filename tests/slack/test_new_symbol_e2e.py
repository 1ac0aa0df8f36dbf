"""``/streak NVDA AMD`` for symbols the store lacks, over signed HTTP: an interim line
while the histories are fetched (the real yfinance code, a fake Yahoo session), then the
answer; offline, one line saying how to add them.

NVDA's and AMD's closes are made up, hand-chosen: NVDA beat AMD on Sep 16 (+2.86% vs
+0.94%) and Sep 17, 2026 (+1.85% vs +0.93%), after trailing on Sep 15 (-0.94% vs +1.92%).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from conftest import NOW, sqlite_url
from fakeslack import FakeSlack
from fakeyahoo import FakeYahooSession, synthetic_chart
from isolation import PROXY_VARS
from slack_harness import BOT_TOKEN, SIGNING_SECRET, send_command, wsgi_server
from slack_stack import Stack

from bot.adapters.calendar import NyseCalendar
from bot.adapters.yahoo import YahooSource
from bot.bootstrap import bootstrap
from bot.settings import Settings
from bot.slack.app import make_wsgi_app
from bot.slack.health import health
from bot.slack.serve import health_deps, slack_app
from bot.store.db import make_engine

NVDA = {"2026-09-14": 106.0, "2026-09-15": 105.0, "2026-09-16": 108.0, "2026-09-17": 110.0}
AMD = {"2026-09-14": 52.0, "2026-09-15": 53.0, "2026-09-16": 53.5, "2026-09-17": 54.0}


@contextmanager
def online_app(fake: FakeSlack, yahoo: FakeYahooSession | None, db: Path,
               calendar: NyseCalendar) -> Iterator[Stack]:
    """The real app on loopback over a seeded store, Yahoo behind ``yahoo`` (None: offline)."""
    settings = Settings(_env_file=None, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                        SLACK_API_URL=fake.base_url, STREAKBOT_OFFLINE=yahoo is None)
    with pytest.MonkeyPatch.context() as mp:
        for name in PROXY_VARS:
            mp.delenv(name, raising=False)
        services = bootstrap(settings, calendar=calendar, clock=lambda: NOW,
                             fetcher_factory=lambda: YahooSource(session=yahoo, sleep=lambda _: None),
                             engine=make_engine(sqlite_url(db)))
        app = slack_app(services)
        with wsgi_server(make_wsgi_app(app, partial(health, health_deps(services)))) as base:
            yield Stack(services, app, base)
        services.engine.dispose()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        yield f


def copy_of(template: Path, dest: Path) -> Path:
    shutil.copy(template, dest)
    return dest


def test_new_tickers_are_fetched_then_answered(fake: FakeSlack, calendar: NyseCalendar,
                                               seeded_sqlite_template: Path, tmp_path: Path) -> None:
    yahoo = FakeYahooSession({"NVDA": synthetic_chart("NVDA", NVDA, name="NVIDIA Corporation"),
                              "AMD": synthetic_chart("AMD", AMD, name="Advanced Micro Devices, Inc.")})
    with online_app(fake, yahoo, copy_of(seeded_sqlite_template, tmp_path / "s.sqlite3"), calendar) as stack:
        status, body, elapsed = send_command(stack.base_url, "/streak", "NVDA AMD", fake.response_url("new"))
        assert (status, body) == (200, b"") and elapsed < 3
        interim, answer = fake.wait_for_response("new", 2, timeout=30)
    assert interim.json is not None and interim.json["response_type"] == "ephemeral"
    assert interim.json["text"] == ("Fetching the daily histories of NVDA and AMD from Yahoo Finance… "
                                    "the answer follows here in a moment.")
    assert answer.json is not None and answer.json["response_type"] == "in_channel"
    assert answer.json["text"].startswith(
        "NVDA has outperformed AMD for 2 straight sessions (Sep 16 – Sep 17, 2026), +4.76% vs +1.89%")
    assert yahoo.unexpected == []


def test_offline_says_how_to_add_a_ticker(fake: FakeSlack, calendar: NyseCalendar,
                                         seeded_sqlite_template: Path, tmp_path: Path) -> None:
    with online_app(fake, None, copy_of(seeded_sqlite_template, tmp_path / "o.sqlite3"), calendar) as stack:
        send_command(stack.base_url, "/streak", "NVDA SPX", fake.response_url("off"))
        (reply,) = fake.wait_for_response("off")
    assert reply.json is not None and reply.json["response_type"] == "ephemeral"
    assert reply.json["text"].startswith(
        "NVDA is not in the data, and Yahoo Finance cannot be reached from here to add it: "
        "`streakbot update NVDA` adds it where the network is.")


def test_a_ticker_yahoo_does_not_know_is_explained(fake: FakeSlack, calendar: NyseCalendar,
                                                   seeded_sqlite_template: Path, tmp_path: Path) -> None:
    yahoo = FakeYahooSession({}, missing={"NOPE"})
    with online_app(fake, yahoo, copy_of(seeded_sqlite_template, tmp_path / "u.sqlite3"), calendar) as stack:
        send_command(stack.base_url, "/records", "NOPE", fake.response_url("unk"))
        _interim, reply = fake.wait_for_response("unk", 2, timeout=30)
    assert reply.json is not None and reply.json["response_type"] == "ephemeral"
    assert reply.json["text"] == "Yahoo Finance has no symbol NOPE: check the ticker (Yahoo's spelling, e.g. BRK-B, ^SOX)."
