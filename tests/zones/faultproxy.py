"""A loopback HTTP proxy between the bot and the S3 server that injects faults on demand.

One request per client connection (the proxy answers `Connection: close`), so each fault hits
exactly one request. Faults are queued: `fail(mode, n, methods)` makes the next `n` requests of
those methods (all when None) get:
- `503`: an immediate `503 Slow Down` from the "store";
- `stall`: nothing at all until the client gives up (its timeout);
- `drop`: the real response's headers and half its body, then the connection is cut.
Every request is counted by method, so tests can tell how many the bot made.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from dataclasses import dataclass, field

STALL_S = 30.0


@dataclass
class Fault:
    mode: str
    left: int
    methods: frozenset[str] | None


@dataclass
class FaultProxy:
    upstream: tuple[str, int]
    faults: list[Fault] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    injected: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail(self, mode: str, n: int, methods: set[str] | None = None) -> None:
        with self._lock:
            self.faults.append(Fault(mode, n, frozenset(methods) if methods else None))

    def reset(self) -> None:
        with self._lock:
            self.faults.clear()
            self.counts.clear()
            self.injected.clear()

    def close(self) -> None:
        self._closed.set()
        self._server.close()

    def _take(self, method: str) -> str | None:
        with self._lock:
            self.counts[method] += 1
            for fault in self.faults:
                if fault.left > 0 and (fault.methods is None or method in fault.methods):
                    fault.left -= 1
                    self.injected[fault.mode] += 1
                    return fault.mode
        return None

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            client.settimeout(STALL_S)
            try:
                head, body = _read_request(client)
            except (OSError, ValueError):
                return
            method = head.split(b" ", 1)[0].decode("ascii", "replace")
            mode = self._take(method)
            if mode == "503":
                msg = b"<Error><Code>SlowDown</Code></Error>"
                client.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(msg), msg)
                )
                return
            if mode == "stall":
                self._closed.wait(STALL_S)
                return
            try:
                self._relay(client, head, body, drop=mode == "drop", bodiless=method == "HEAD")
            except OSError:
                return

    def _relay(
        self, client: socket.socket, head: bytes, body: bytes, drop: bool, bodiless: bool
    ) -> None:
        with socket.create_connection(self.upstream, timeout=STALL_S) as up:
            up.sendall(_with_close(head) + b"\r\n\r\n" + body)
            response = b""
            while b"\r\n\r\n" not in response:
                chunk = up.recv(65536)
                if not chunk:
                    break
                response += chunk
            rhead, _, rest = response.partition(b"\r\n\r\n")
            length = 0 if bodiless else _content_length(rhead)
            client.sendall(_with_close(rhead) + b"\r\n\r\n")
            sent, limit = 0, (length // 2 if drop and length else None)
            pending = rest
            while True:
                if pending:
                    if limit is not None and sent + len(pending) >= limit:
                        client.sendall(pending[: limit - sent])
                        client.shutdown(socket.SHUT_RDWR)  # cut mid-body
                        return
                    client.sendall(pending)
                    sent += len(pending)
                if length is not None and sent >= length:
                    return
                pending = up.recv(1 << 20)
                if not pending:
                    return


def _read_request(sock: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ValueError("client closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = _content_length(head) or 0
    while len(body) < length:
        chunk = sock.recv(min(1 << 20, length - len(body)))
        if not chunk:
            raise ValueError("client closed mid-body")
        body += chunk
    return head, body


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return None


def _with_close(head: bytes) -> bytes:
    lines = [
        line
        for line in head.split(b"\r\n")
        if line.partition(b":")[0].strip().lower() not in (b"connection", b"keep-alive")
    ]
    return b"\r\n".join([*lines, b"Connection: close"])
