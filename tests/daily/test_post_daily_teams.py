"""``streakbot post-daily`` in multi-workspace mode: each team's channels are posted to with
that team's own bot token (from its installation), its chart shared within the team, and a
team with no installation is reported, not posted to.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from conftest import NOW
from daily_helpers import FrozenClock, daily_services
from fakeslack import FakeSlack
from slack_harness import CLIENT_ID, CLIENT_SECRET
from slack_sdk.oauth.installation_store import Installation

from bot.adapters.calendar import NyseCalendar
from bot.bootstrap import Services
from bot.cli import main

TOKENS = {"T0ONE": "xoxb-team-one", "T0TWO": "xoxb-team-two"}


def oauth_services(fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, db: Path) -> Services:
    svc = daily_services(fake.base_url, data_dir, calendar, FrozenClock(NOW), db,
                         SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                         STREAKBOT_POST_CONCURRENCY=1)
    for team, token in TOKENS.items():
        svc.installation_store.save(Installation(
            app_id="A0STREAK", team_id=team, team_name=team, bot_token=token, bot_id=f"B{team}",
            bot_user_id=f"U{team}", user_id="U0INSTALLER",
            installed_at=datetime(2026, 1, 2, tzinfo=UTC).timestamp(),
        ))
    return svc


def test_each_team_is_posted_to_with_its_own_token(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = oauth_services(fake, data_dir, calendar, tmp_path / "a.sqlite3")
    for team, channel in [("T0ONE", "C1"), ("T0TWO", "C2"), ("T0ONE", "C3"), ("T0GONE", "C4")]:
        svc.subscriptions.subscribe(team, channel, time(16, 30), "U1", NOW)

    assert main(["post-daily", "--session", "2025-12-31"], services=svc) == 1

    assert capsys.readouterr().out == (
        "Daily summary for Dec 31, 2025\n"
        "C4 (T0GONE): failed: not_installed\n"
        "C1 (T0ONE): posted\n"
        "C3 (T0ONE): posted\n"
        "C2 (T0TWO): posted\n"
    )
    sent = {(c.params["channel"], c.token) for c in fake.calls("chat.postMessage")}
    assert sent == {("C1", "xoxb-team-one"), ("C3", "xoxb-team-one"), ("C2", "xoxb-team-two")}
    shares = sorted((c.token, c.params["channels"]) for c in fake.calls("files.completeUploadExternal"))
    assert shares == [("xoxb-team-one", "C1,C3"), ("xoxb-team-two", "C2")]
    # Every Web API call carried one of the two tokens (the upload URL itself takes none).
    assert {c.token for c in fake.calls() if c.method != "upload"} == set(TOKENS.values())


def test_post_daily_in_oauth_mode_needs_no_bot_token_but_both_credentials(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = daily_services(fake.base_url, data_dir, calendar, FrozenClock(NOW), tmp_path / "a.sqlite3",
                         SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID=CLIENT_ID)
    assert main(["post-daily"], services=svc) == 2
    assert capsys.readouterr().err.startswith(
        "streakbot: SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy the Client Secret "
    )
    assert fake.calls() == []


def test_alerts_go_to_each_team_with_its_own_token(
    fake: FakeSlack, data_dir: Path, calendar: NyseCalendar, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svc = oauth_services(fake, data_dir, calendar, tmp_path / "a.sqlite3")
    for team, channel in [("T0ONE", "C1"), ("T0TWO", "C2")]:
        svc.alert_store.turn_on(team, channel, "U1", datetime(2026, 1, 2, tzinfo=UTC))

    assert main(["alerts", "--session", "2026-01-22"], services=svc) == 0

    assert capsys.readouterr().out.splitlines()[1:] == ["C1 (T0ONE): posted", "C2 (T0TWO): posted"]
    sent = {(c.params["channel"], c.token) for c in fake.calls("chat.postMessage")}
    assert sent == {("C1", "xoxb-team-one"), ("C2", "xoxb-team-two")}
    assert all("longest since May 1996" in m["text"] for m in fake.messages("C1") + fake.messages("C2"))
