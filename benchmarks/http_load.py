"""A lean closed-loop HTTP/1.1 load generator, run as its own process.

``python -m benchmarks.http_load HOST PORT CONCURRENCY < jobs.json > samples.json``

Reads a JSON list of ``[name, raw_request]`` (each raw request a complete HTTP/1.1 POST
with its ``Content-Length``, latin-1 text) and sends them over ``CONCURRENCY`` keep-alive
connections, each sending its next request as soon as the previous one's response is in
(a closed loop: at most ``CONCURRENCY`` in flight). One thread and a ``selectors`` loop:
the generator's own CPU per request is tens of microseconds, so on a small machine it
takes little from the server it measures, and no other work (the fake Slack receiving
the answers) shares its interpreter lock. It waits for ``go`` on standard input after
connecting, so that connection set-up is not timed.

Writes one JSON object: ``samples``, a list of ``[name, sent, ack_s, status, body]``
(``sent`` on ``time.monotonic()``, the system-wide clock the fake Slack also stamps its
calls with), and ``cpu_s``, this process's CPU time during the run.
"""

from __future__ import annotations

import json
import selectors
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class _Conn:
    sock: socket.socket
    name: str = ""
    sent: float = 0.0
    buf: bytearray = field(default_factory=bytearray)


def _response_complete(buf: bytearray) -> tuple[int, bytes] | None:
    """(status, body) once ``buf`` holds a whole response with a Content-Length, else None."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buf[:end]).decode("latin-1").split("\r\n")
    length = 0
    for line in head[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == "content-length":
            length = int(value)
    if len(buf) < end + 4 + length:
        return None
    status = int(head[0].split()[1])
    return status, bytes(buf[end + 4 : end + 4 + length])


def run(host: str, port: int, concurrency: int, jobs: list[tuple[str, bytes]]) -> dict[str, object]:
    queue = deque(jobs)
    sel = selectors.DefaultSelector()
    conns = []
    for _ in range(min(concurrency, len(jobs))):
        sock = socket.create_connection((host, port), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        conns.append(_Conn(sock))
    print("ready", flush=True, file=sys.stderr)
    sys.stdin.readline()  # "go"
    samples: list[list[object]] = []
    cpu0 = time.process_time()

    def send_next(conn: _Conn) -> None:
        name, raw = queue.popleft()
        conn.name, conn.buf = name, bytearray()
        conn.sent = time.monotonic()
        conn.sock.setblocking(True)
        conn.sock.sendall(raw)
        conn.sock.setblocking(False)

    for conn in conns:
        send_next(conn)
        sel.register(conn.sock, selectors.EVENT_READ, conn)
    in_flight = len(conns)
    while in_flight:
        for key, _ in sel.select(timeout=30):
            conn = key.data
            chunk = conn.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"the server closed a connection during {conn.name}")
            conn.buf += chunk
            done = _response_complete(conn.buf)
            if done is None:
                continue
            now = time.monotonic()
            samples.append([conn.name, conn.sent, now - conn.sent, done[0], done[1].decode("latin-1")])
            if queue:
                send_next(conn)
            else:
                sel.unregister(conn.sock)
                conn.sock.close()
                in_flight -= 1
    return {"samples": samples, "cpu_s": time.process_time() - cpu0}


def main() -> int:
    host, port, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    jobs = [(name, raw.encode("latin-1")) for name, raw in json.loads(sys.stdin.readline())]
    json.dump(run(host, port, concurrency, jobs), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
