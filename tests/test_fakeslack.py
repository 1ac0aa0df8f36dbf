"""Tests for the in-repo fake Slack server, driven through the real slack_sdk clients."""

from __future__ import annotations

import json
import random
import threading

import pytest
from fakeslack import FakeSlack, Installation
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00fake-chart-pixels\xff" * 8

_PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.base_url, timeout=5)


def test_urls_point_at_loopback(fake: FakeSlack) -> None:
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/api/"
    assert fake.response_url() == f"http://127.0.0.1:{fake.port}/response/r1"
    assert fake.response_url("cmd-7").endswith("/response/cmd-7")
    assert fake.port > 0


def test_auth_test(fake: FakeSlack, client: WebClient) -> None:
    resp = client.auth_test()

    assert resp.status_code == 200
    assert resp["ok"] is True
    assert resp["team_id"] == "T0FAKE"
    assert resp["user_id"] == "U0BOT"
    assert resp["bot_id"] == "B0BOT"
    assert resp["url"].startswith("https://")
    assert resp["team"] and resp["user"]
    (call,) = fake.calls("auth.test")
    assert call.path == "/api/auth.test"
    assert call.token == "xoxb-test"
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert call.status == 200


def test_oauth_v2_access_trades_a_code_once_for_the_teams_installation(fake: FakeSlack) -> None:
    fake.add_installation("code-1", Installation(team_id="T0SECOND", bot_token="xoxb-second"))
    app = WebClient(base_url=fake.base_url, timeout=5)  # no token: the app's credentials

    resp = app.oauth_v2_access(client_id="111.222", client_secret="shh", code="code-1")

    assert (resp["team"], resp["access_token"], resp["token_type"]) == (
        {"id": "T0SECOND", "name": "Second Workspace"}, "xoxb-second", "bot")
    assert resp["bot_user_id"] == "U0BOT2" and resp["authed_user"] == {"id": "U0INSTALLER"}
    (call,) = fake.calls("oauth.v2.access")
    assert call.params["code"] == "code-1" and call.token is None
    # Its token now answers for its team; others still for the default one.
    second = WebClient(token="xoxb-second", base_url=fake.base_url, timeout=5).auth_test()
    assert (second["team_id"], second["user_id"], second["bot_id"]) == ("T0SECOND", "U0BOT2", "B0BOT2")
    assert WebClient(token="xoxb-other", base_url=fake.base_url).auth_test()["team_id"] == "T0FAKE"
    # A code works once; an unknown one never.
    for code in ("code-1", "made-up"):
        with pytest.raises(SlackApiError) as err:
            app.oauth_v2_access(client_id="111.222", client_secret="shh", code=code)
        assert err.value.response["error"] == "invalid_code"


def test_chat_post_message_records_json_body(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*SPY* leads, 5 days"}}]

    first = client.chat_postMessage(channel="C0MARKET", text="SPY leads", blocks=blocks)
    second = client.chat_postMessage(channel="C0MARKET", text="again", thread_ts=first["ts"])

    assert first["channel"] == "C0MARKET"
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "SPY leads"
    assert first["message"]["blocks"] == blocks
    assert first["message"]["bot_id"] == "B0BOT"
    assert second["message"]["thread_ts"] == first["ts"]

    calls = fake.calls("chat.postMessage")
    assert len(calls) == 2
    call = calls[0]
    assert call.headers["content-type"].startswith("application/json")
    assert call.json is not None
    assert call.json["channel"] == "C0MARKET"
    assert call.json["text"] == "SPY leads"
    assert call.json["blocks"] == blocks
    assert call.params["channel"] == "C0MARKET"
    assert json.loads(call.body)["text"] == "SPY leads"
    assert fake.calls() == [*calls]  # nothing else was called


def test_form_encoded_methods_are_parsed(fake: FakeSlack, client: WebClient) -> None:
    resp = client.conversations_info(channel="C0MARKET")

    assert resp["channel"]["id"] == "C0MARKET"
    assert resp["channel"]["is_member"] is True
    (call,) = fake.calls("conversations.info")
    assert call.json is None
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert call.params == {"channel": "C0MARKET"}


def test_update_ephemeral_and_unknown_methods(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="draft")
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="final")
    ephemeral = client.chat_postEphemeral(channel="C1", user="U0HUMAN", text="only you")
    other = client.reactions_add(channel="C1", timestamp=posted["ts"], name="chart")

    assert updated["ts"] == posted["ts"]
    assert updated["text"] == "final"
    assert updated["message"]["text"] == "final"
    assert float(ephemeral["message_ts"]) > float(posted["ts"])
    assert other.data == {"ok": True}
    assert [c.method for c in fake.calls()] == [
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "reactions.add",
    ]
    assert fake.calls("chat.postEphemeral")[0].params["user"] == "U0HUMAN"


def test_files_upload_v2_end_to_end(fake: FakeSlack, client: WebClient) -> None:
    resp = client.files_upload_v2(
        channel="C0MARKET",
        content=PNG_BYTES,
        filename="chart.png",
        title="SPY vs QQQ",
        initial_comment="today's chart",
    )

    assert resp["ok"] is True
    assert resp["file"]["id"] == "F0000001"
    assert resp["file"]["title"] == "SPY vs QQQ"
    assert [c.method for c in fake.calls()] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    get_url, upload, complete = fake.calls()
    assert get_url.params["filename"] == "chart.png"
    assert get_url.params["length"] == str(len(PNG_BYTES))
    assert upload.path == "/upload/F0000001"
    assert upload.body == PNG_BYTES
    assert upload.params == {}
    assert upload.status == 200
    assert complete.params["channel_id"] == "C0MARKET"
    assert complete.params["initial_comment"] == "today's chart"
    assert json.loads(complete.params["files"]) == [{"id": "F0000001", "title": "SPY vs QQQ"}]


def test_rate_limit_is_retried_by_retry_handler(
    fake: FakeSlack, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handler sleeps Retry-After + random.random() seconds; drop the jitter to stay fast.
    monkeypatch.setattr(random, "random", lambda: 0.0)
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))

    resp = client.chat_postMessage(channel="C0MARKET", text="retry me")

    assert resp["ok"] is True
    first, second = fake.calls("chat.postMessage")
    assert (first.status, second.status) == (429, 200)
    assert first.json == second.json
    assert second.time - first.time >= 1.0  # honoured Retry-After: 1


def test_rate_limit_without_retry_handler_raises(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", retry_after=7)

    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C0MARKET", text="x")

    assert info.value.response.status_code == 429
    assert info.value.response["error"] == "ratelimited"
    assert info.value.response.headers["Retry-After"] == "7"
    assert client.chat_postMessage(channel="C0MARKET", text="x")["ok"] is True  # only once


def test_api_error_raises_slack_api_error(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="channel_not_found")

    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C0GONE", text="hello?")

    assert info.value.response.status_code == 200
    assert info.value.response["ok"] is False
    assert info.value.response["error"] == "channel_not_found"
    (call,) = fake.calls("chat.postMessage")
    assert call.status == 200
    assert call.params["channel"] == "C0GONE"


def test_server_error_times(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("auth.test", status=500, times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            client.auth_test()
        assert info.value.response.status_code == 500
    assert client.auth_test()["ok"] is True
    assert [c.status for c in fake.calls("auth.test")] == [500, 500, 200]


def test_response_url_webhook(fake: FakeSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": "SPY: 5-day streak"}}]
    webhook = WebhookClient(fake.response_url("r1"), timeout=5)

    resp = webhook.send(text="SPY: 5-day streak", blocks=blocks, response_type="in_channel")

    assert resp.status_code == 200
    assert resp.body == "ok"
    (call,) = fake.calls("response_url")
    assert call.path == "/response/r1"
    assert call.json == {
        "text": "SPY: 5-day streak",
        "blocks": blocks,
        "response_type": "in_channel",
    }


def test_response_url_failure_injection(fake: FakeSlack) -> None:
    fake.fail_next("response_url", status=500)
    fake.fail_next("response_url", error="expired_url", status=404)
    webhook = WebhookClient(fake.response_url("r2"), timeout=5)

    first = webhook.send(text="one")
    second = webhook.send(text="two")
    third = webhook.send(text="three")

    assert (first.status_code, second.status_code, third.status_code) == (500, 404, 200)
    assert second.body == "expired_url"
    assert [c.status for c in fake.calls("response_url")] == [500, 404, 200]


def test_valid_tokens_are_enforced() -> None:
    with FakeSlack(valid_tokens={"xoxb-good"}) as fake:
        good = WebClient(token="xoxb-good", base_url=fake.base_url, timeout=5)
        bad = WebClient(token="xoxb-bad", base_url=fake.base_url, timeout=5)

        assert good.auth_test()["user_id"] == "U0BOT"
        with pytest.raises(SlackApiError) as info:
            bad.auth_test()
        assert info.value.response["error"] == "invalid_auth"
        assert [c.token for c in fake.calls("auth.test")] == ["xoxb-good", "xoxb-bad"]


def test_respond_with_overrides_answer(fake: FakeSlack, client: WebClient) -> None:
    fake.respond_with("users.info", lambda call: {"ok": True, "user": {"id": call.params["user"]}})

    assert client.users_info(user="U0HUMAN")["user"] == {"id": "U0HUMAN"}


def test_wait_for_and_reset(fake: FakeSlack, client: WebClient) -> None:
    worker = threading.Timer(0.05, lambda: client.chat_postMessage(channel="C1", text="later"))
    worker.start()
    try:
        (call,) = fake.wait_for("chat.postMessage", timeout=3)
    finally:
        worker.join()
    assert call.params["text"] == "later"

    client.auth_test()
    with pytest.raises(AssertionError, match=r"chat\.update.*chat\.postMessage x1.*auth\.test x1"):
        fake.wait_for("chat.update", timeout=0.1)

    fake.fail_next("auth.test", error="account_inactive")
    fake.reset()
    assert fake.calls() == []
    assert client.auth_test()["ok"] is True  # queued failure was dropped too


def test_start_stop_are_idempotent() -> None:
    fake = FakeSlack()
    with pytest.raises(RuntimeError):
        _ = fake.base_url
    fake.start()
    port = fake.port
    assert fake.start().port == port
    fake.stop()
    fake.stop()
