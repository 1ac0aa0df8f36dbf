"""The fake Slack's load features: per-call latency, Slack-like rate limits, in-flight count."""

from __future__ import annotations

import threading

from fakeslack import FakeSlack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError


def _client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-x", base_url=fake.base_url, retry_handlers=[])


def test_latency_is_added_before_the_answer_and_counted_in_flight() -> None:
    with FakeSlack(latency=0.2) as fake:
        client = _client(fake)
        threads = [threading.Thread(target=client.auth_test) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        calls = fake.calls("auth.test")
        assert len(calls) == 4
        assert all(c.answered is not None and c.answered - c.time >= 0.2 for c in calls)
        assert 2 <= fake.max_in_flight <= 4  # served at the same time, not one by one


def test_rate_limit_answers_429_with_retry_after_and_does_not_post() -> None:
    with FakeSlack() as fake:
        fake.rate_limit("chat.postMessage", 60, burst=2)  # one a second after a burst of 2
        client = _client(fake)
        client.chat_postMessage(channel="C1", text="a")
        client.chat_postMessage(channel="C2", text="b")
        try:
            client.chat_postMessage(channel="C3", text="c")
            raise AssertionError("expected a 429")
        except SlackApiError as exc:
            assert exc.response.status_code == 429
            assert exc.response.headers["Retry-After"] in (["1"], "1")
        assert [c.status for c in fake.calls("chat.postMessage")] == [200, 200, 429]
        assert fake.calls("chat.postMessage")[2].retry_after == 1
        assert fake.messages("C3") == []


def test_per_channel_limit_keeps_a_bucket_per_channel() -> None:
    with FakeSlack() as fake:
        fake.rate_limit("chat.postMessage", 60, burst=1, per_channel=True)
        client = _client(fake)
        client.chat_postMessage(channel="C1", text="a")
        client.chat_postMessage(channel="C2", text="b")
        try:
            client.chat_postMessage(channel="C1", text="again")
        except SlackApiError as exc:
            assert exc.response.status_code == 429
        assert [(c.params["channel"], c.status) for c in fake.calls("chat.postMessage")] == [
            ("C1", 200), ("C2", 200), ("C1", 429),
        ]


def test_a_file_shared_to_several_channels_is_kept_per_channel() -> None:
    with FakeSlack() as fake:
        client = _client(fake)
        client.files_upload_v2(channels=["C1", "C2"], content=b"png", filename="c.png", title="YTD")
        (f1,), (f2,) = fake.shared_files("C1"), fake.shared_files("C2")
        assert f1["id"] == f2["id"] and f1["title"] == "YTD" and f1["thread_ts"] is None
        assert fake.shared_files("C3") == []
