"""The zone store and gate E's verification against a real S3 server (SeaweedFS), with faults
injected between the bot and the store by a loopback proxy."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfm_bot.zones.cache import DigestCache
from kfm_bot.zones.config import Zones, zone_from_url
from kfm_bot.zones.store import ObjectExists, ZoneStore, ZoneUnreachable
from kfm_bot.zones.verify import ObjectRef, verify_objects
from tests.zones.faultproxy import FaultProxy
from tests.zones.seaweed import SECRET_KEY, S3Server

pytestmark = pytest.mark.slow
DATA = os.urandom(3 << 20)  # 3 MiB: several 1 MiB chunks per read
DIGEST = "sha256:" + hashlib.sha256(DATA).hexdigest()


def _zones(prefix: str, timeout_s: float = 5.0) -> Zones:
    return Zones(
        {
            name: zone_from_url(name, f"s3://kfm/{prefix}/{name}", Path("."), timeout_s)
            for name in ("processed", "published")
        }
    )


@pytest.fixture
def prefix() -> str:
    return uuid.uuid4().hex[:12]


@pytest.fixture
def direct(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    return s3_server


@pytest.fixture
def proxy(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    host, port = s3_server.endpoint.removeprefix("http://").split(":")
    faulty = FaultProxy((host, int(port)))
    for name, value in s3_server.env(faulty.endpoint).items():
        monkeypatch.setenv(name, value)
    yield faulty
    faulty.close()


def _seed(zones: Zones, key: str = "wells/v1.parquet", data: bytes = DATA) -> ZoneStore:
    store = ZoneStore(zones["processed"])
    store.put_if_absent(key, [data[i : i + (1 << 20)] for i in range(0, len(data), 1 << 20)])
    return store


def test_store_round_trip_never_overwrites(direct: S3Server, prefix: str) -> None:
    zones = _zones(prefix)
    processed = _seed(zones)
    info = processed.head("wells/v1.parquet")
    assert info is not None and info.size == len(DATA) and info.version
    assert b"".join(bytes(c) for c in processed.open_stream("wells/v1.parquet")) == DATA
    published = ZoneStore(zones["published"])
    copied = published.copy_if_absent(processed, "wells/v1.parquet", "sha256/abc")
    assert copied.size == len(DATA)
    with pytest.raises(ObjectExists):
        published.copy_if_absent(processed, "wells/v1.parquet", "sha256/abc")
    with pytest.raises(ObjectExists):
        processed.put_if_absent("wells/v1.parquet", [b"other bytes"])
    assert [o.key for o in processed.list()] == ["wells/v1.parquet"]
    assert [o.key for o in published.list()] == ["sha256/abc"]
    assert processed.head("nothing/here") is None


def test_credentials_are_required_and_never_printed(
    direct: S3Server, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    zones = _zones(prefix)
    _seed(zones)
    wrong = "wrong-secret-value-0000"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", wrong)
    with pytest.raises(ZoneUnreachable) as caught:
        ZoneStore(zones["processed"]).head("wells/v1.parquet")
    text = str(caught.value)
    assert "zone 'processed'" in text and "HEAD" in text
    assert wrong not in text and SECRET_KEY not in text


def test_verify_passes_and_a_warm_cache_costs_one_head(
    proxy: FaultProxy, prefix: str, tmp_path: Path
) -> None:
    zones = _zones(prefix)
    _seed(zones, "a.bin")
    _seed(zones, "b.bin", DATA[::-1])
    refs = [
        ObjectRef("processed", "a.bin", DIGEST, len(DATA)),
        ObjectRef("processed", "b.bin", "sha256:" + hashlib.sha256(DATA[::-1]).hexdigest()),
    ]
    cache_file = tmp_path / "cache.json"
    proxy.reset()
    cold = verify_objects(zones, refs, DigestCache(cache_file))
    assert [v.status for v in cold] == ["ok", "ok"] and not any(v.cached for v in cold)
    assert proxy.counts == {"HEAD": 2, "GET": 2}
    proxy.reset()
    warm = verify_objects(zones, refs, DigestCache(cache_file))
    assert [v.status for v in warm] == ["ok", "ok"] and all(v.cached for v in warm)
    assert proxy.counts == {"HEAD": 2}


def test_an_altered_object_is_rehashed_despite_the_cache(
    direct: S3Server, prefix: str, tmp_path: Path
) -> None:
    zones = _zones(prefix)
    _seed(zones, "a.bin")
    cache = tmp_path / "cache.json"
    ref = ObjectRef("processed", "a.bin", DIGEST)
    assert verify_objects(zones, [ref], DigestCache(cache))[0].status == "ok"
    # Replace the bytes (same size) behind the bot's back: a new ETag, so a new hash.
    import obstore
    from obstore.store import S3Store

    raw = S3Store(
        "kfm",
        prefix=f"{prefix}/processed",
        config={
            "endpoint": direct.endpoint,
            "access_key_id": os.environ["AWS_ACCESS_KEY_ID"],
            "secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"],
            "region": "us-east-1",
        },
        client_options={"allow_http": True},
    )
    obstore.put(raw, "a.bin", bytes(len(DATA)))
    (v,) = verify_objects(zones, [ref], DigestCache(cache))
    assert (v.status, v.cached) == ("digest-mismatch", False)


def test_transient_5xx_and_a_dropped_stream_are_retried(proxy: FaultProxy, prefix: str) -> None:
    zones = _zones(prefix)
    _seed(zones, "a.bin")
    proxy.reset()
    proxy.fail("503", 2, {"HEAD"})
    proxy.fail("drop", 1, {"GET"})
    (v,) = verify_objects(zones, [ObjectRef("processed", "a.bin", DIGEST)])
    assert v.status == "ok"
    assert proxy.injected == {"503": 2, "drop": 1}


@pytest.mark.parametrize(
    ("mode", "method", "what"),
    [("503", "HEAD", "HEAD"), ("stall", "HEAD", "HEAD"), ("drop", "GET", "GET")],
)
def test_a_store_that_keeps_failing_fails_closed(
    proxy: FaultProxy, prefix: str, mode: str, method: str, what: str
) -> None:
    zones = _zones(prefix, timeout_s=1.0)
    _seed(zones, "a.bin")
    proxy.reset()
    proxy.fail(mode, 1000, {method})
    with pytest.raises(ZoneUnreachable) as caught:
        verify_objects(zones, [ObjectRef("processed", "a.bin", DIGEST)])
    text = str(caught.value)
    assert "zone 'processed'" in text and what in text and "a.bin" in text
    assert SECRET_KEY not in text
    assert 1 < proxy.injected[mode] < 20  # retried, and bounded
