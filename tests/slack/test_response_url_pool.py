"""Answers to ``response_url``: pooled keep-alive connections, resent only when not taken.

Against :class:`FakeSlack` on loopback, which speaks HTTP/1.1 keep-alive and numbers the
TCP connections its calls arrive on.
"""

from __future__ import annotations

import http.client
import uuid
from collections.abc import Iterator

import pytest
import urllib3
from fakeslack import FakeSlack
from isolation import PROXY_VARS

from bot.adapters.response_url import USER_AGENT, ResponsePoster, _ProcessPool, post_response


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    with FakeSlack() as server:
        yield server
        assert server.errors == []


def url(fake: FakeSlack) -> tuple[str, str]:
    name = f"r-{uuid.uuid4().hex[:8]}"
    return name, fake.response_url(name)


def test_the_fake_keeps_a_connection_alive_for_the_next_request(fake: FakeSlack) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    for text in ("one", "two"):
        conn.request("POST", "/response/keep", body=f'{{"text": "{text}"}}',
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        assert (resp.status, resp.read(), resp.will_close) == (200, b"ok", False)
    conn.close()
    first, second = fake.responses("keep")
    assert first.connection == second.connection != 0
    assert [c.json for c in (first, second)] == [{"text": "one"}, {"text": "two"}]


def test_answers_reuse_one_pooled_connection(fake: FakeSlack) -> None:
    before = fake.connections()
    names = []
    for i in range(5):
        name, address = url(fake)
        assert post_response(address, {"text": f"answer {i}", "response_type": "in_channel"}, timeout=5)
        names.append(name)
    calls = [fake.wait_for_response(n)[0] for n in names]
    assert [c.json and c.json["text"] for c in calls] == [f"answer {i}" for i in range(5)]
    assert len({c.connection for c in calls}) == 1
    assert fake.connections() - before == 1


@pytest.mark.parametrize("status", [429, 503])
def test_a_refused_answer_is_sent_again(fake: FakeSlack, status: int) -> None:
    name, address = url(fake)
    fake.fail_next("response_url", status=status, retry_after=0)
    assert post_response(address, {"text": "hi"}, timeout=5)
    assert [c.status for c in fake.responses(name)] == [status, 200]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_an_answer_with_an_unknown_outcome_is_not_resent(fake: FakeSlack, status: int) -> None:
    name, address = url(fake)
    fake.fail_next("response_url", status=status)
    assert not post_response(address, {"text": "hi"}, timeout=5)
    assert [c.status for c in fake.responses(name)] == [status]


def test_a_connection_dropped_after_the_request_is_not_resent(fake: FakeSlack) -> None:
    name, address = url(fake)
    fake.drop_next("response_url")
    assert not post_response(address, {"text": "hi"}, timeout=5)
    assert [c.status for c in fake.responses(name)] == [0]
    # the pool recovers: the next answer goes out on a fresh connection
    name2, address2 = url(fake)
    assert post_response(address2, {"text": "next"}, timeout=5)
    assert fake.responses(name2)[0].connection != fake.responses(name)[0].connection


def test_a_read_timeout_is_not_resent(fake: FakeSlack) -> None:
    name, address = url(fake)
    fake.stall_next("response_url", 5.0)
    assert not post_response(address, {"text": "hi"}, timeout=1)
    assert [c.status for c in fake.responses(name)] == [200]  # Slack took it; we never heard


def test_a_refused_connection_is_reported_not_raised() -> None:
    with FakeSlack() as gone:
        address = gone.response_url("gone")
    assert not post_response(address, {"text": "hi"}, timeout=1)


def test_a_poster_keeps_its_own_pool_of_connections(fake: FakeSlack) -> None:
    """:class:`ResponsePoster` (what the app uses): its own pool, ``connections`` per host."""
    poster = ResponsePoster(timeout=5, connections=2)
    before = fake.connections()
    names = []
    for i in range(3):
        name, address = url(fake)
        assert poster(address, {"text": f"answer {i}"})
        names.append(name)
    calls = [fake.wait_for_response(n)[0] for n in names]
    assert [c.json for c in calls] == [{"text": f"answer {i}"} for i in range(3)]
    assert len({c.connection for c in calls}) == 1
    assert fake.connections() - before == 1


def test_an_answer_names_its_client_and_keeps_its_query_string(fake: FakeSlack) -> None:
    """The direct path (no proxy) writes the path with its query and the same headers."""
    name, address = url(fake)
    assert ResponsePoster(timeout=5)(f"{address}?thread=1", {"text": "hi"})
    call = fake.wait_for_response(name)[0]
    assert call.path == f"/response/{name}?thread=1"
    assert call.headers["user-agent"] == USER_AGENT
    assert call.headers["content-type"] == "application/json; charset=utf-8"
    assert call.json == {"text": "hi"}


def test_behind_a_proxy_answers_go_through_the_proxy_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy needs the absolute URL on the request line, which the manager writes."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    pool = _ProcessPool()
    assert pool.host_pool("https", "hooks.slack.com") is None
    assert isinstance(pool.get(), urllib3.ProxyManager)
    monkeypatch.delenv("HTTPS_PROXY")
    direct = _ProcessPool()
    host = direct.host_pool("https", "hooks.slack.com")
    assert host is not None and host.host == "hooks.slack.com" and host.port == 443
    assert direct.host_pool("https", "hooks.slack.com") is host  # kept per host
