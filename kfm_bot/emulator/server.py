"""The loopback HTTP transport: a stdlib ThreadingHTTPServer in front of the pipeline."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kfm_bot.emulator.pipeline import Pipeline
from kfm_bot.emulator.responses import RATE_HEADERS

MAX_BODY = 32 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as PyGithub's requests session expects
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, MAX_BODY)) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        answer = self.server.pipeline.handle(self.command, self.path, headers, raw)
        if answer is None:
            self.close_connection = True  # dropped: the client sees the socket close
            return
        payload = answer.encoded()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        for name, value in {**RATE_HEADERS, **answer.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Silence: the pipeline keeps its own request log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    pipeline: Pipeline


class HttpServer:
    """Serves a pipeline on 127.0.0.1 in a background thread."""

    def __init__(self, pipeline: Pipeline, port: int = 0) -> None:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.pipeline = pipeline
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits at most this long
            daemon=True,
            name="kfm-github-emulator",
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
