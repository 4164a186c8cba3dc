"""The zone store, verification, digest cache and progress over `file://` zones (no server)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfm_bot.errors import UsageError
from kfm_bot.zones.cache import DigestCache, default_path
from kfm_bot.zones.config import STORAGE_PATH, Zones, load_zones, zone_from_url
from kfm_bot.zones.store import STAGING, ObjectExists, ObjectMissing, ZoneStore
from kfm_bot.zones.verify import ObjectRef, Progress, verify_objects

DATA = bytes(range(256)) * 9000  # ~2.2 MiB: three chunks
DIGEST = "sha256:" + hashlib.sha256(DATA).hexdigest()


def _zones(root: Path) -> Zones:
    return Zones(
        {n: zone_from_url(n, f"file://zones/{n}", root) for n in ("processed", "published")}
    )


def _store(root: Path, name: str = "processed") -> ZoneStore:
    return ZoneStore(_zones(root)[name])


def test_relative_and_absolute_file_urls(tmp_path: Path) -> None:
    assert zone_from_url("processed", "file://z/p", tmp_path).directory == tmp_path / "z/p"
    assert zone_from_url("processed", "file:///srv/p", tmp_path).directory == Path("/srv/p")
    s3 = zone_from_url("published", "s3://bucket/a/b/", tmp_path)
    assert (s3.kind, s3.bucket, s3.prefix) == ("s3", "bucket", "a/b")


def test_put_head_stream_copy_list(tmp_path: Path) -> None:
    processed, published = _store(tmp_path), _store(tmp_path, "published")
    info = processed.put_if_absent("w/v1.parquet", [DATA[:1000], DATA[1000:]])
    assert info.size == len(DATA) and info.version
    assert processed.head("w/v1.parquet") == info
    assert b"".join(bytes(c) for c in processed.open_stream("w/v1.parquet")) == DATA
    copied = published.copy_if_absent(processed, "w/v1.parquet", "sha256/" + DIGEST[7:])
    assert copied.size == len(DATA)
    assert [o.key for o in published.list()] == ["sha256/" + DIGEST[7:]]
    assert not (tmp_path / "zones/processed" / STAGING).exists() or not any(
        (tmp_path / "zones/processed" / STAGING).iterdir()
    )


def test_never_overwrites_and_names_the_existing_object(tmp_path: Path) -> None:
    processed = _store(tmp_path)
    processed.put_if_absent("k", [b"one"])
    with pytest.raises(ObjectExists) as caught:
        processed.put_if_absent("k", [b"two"])
    assert caught.value.existing.size == 3
    assert b"".join(bytes(c) for c in processed.open_stream("k")) == b"one"


def test_a_failing_source_leaves_nothing_behind(tmp_path: Path) -> None:
    processed = _store(tmp_path)

    def broken() -> list[bytes]:
        raise OSError("source went away")

    def chunks() -> Iterator[bytes]:
        yield b"half"
        broken()

    with pytest.raises(OSError):
        processed.put_if_absent("k", chunks())
    assert processed.head("k") is None
    assert list(processed.list()) == []


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b", "./a", "a\\b"])
def test_keys_stay_inside_the_zone(tmp_path: Path, key: str) -> None:
    with pytest.raises(UsageError):
        _store(tmp_path).head(key)


def test_missing_object(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.head("nope") is None
    with pytest.raises(ObjectMissing):
        list(store.open_stream("nope"))


def test_verdicts_and_the_cache(tmp_path: Path) -> None:
    zones, store = _zones(tmp_path), _store(tmp_path)
    store.put_if_absent("a", [DATA])
    store.put_if_absent("b", [DATA[:-1] + b"x"])
    refs = [
        ObjectRef("processed", "a", DIGEST, len(DATA)),
        ObjectRef("processed", "b", DIGEST),
        ObjectRef("processed", "a", DIGEST, 5),
        ObjectRef("processed", "gone", DIGEST),
    ]
    cache_file = tmp_path / "cache" / "d.json"
    got = verify_objects(zones, refs, DigestCache(cache_file), workers=3)
    assert [v.status for v in got] == ["ok", "digest-mismatch", "size-mismatch", "missing"]
    saved = json.loads(cache_file.read_text())
    assert len(saved) == 2 and all(isinstance(v, list) for v in saved.values())
    again = verify_objects(zones, refs[:2], DigestCache(cache_file))
    assert [(v.status, v.cached) for v in again] == [("ok", True), ("digest-mismatch", True)]


def test_a_broken_cache_file_is_ignored(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.put_if_absent("a", [DATA])
    cache_file = tmp_path / "d.json"
    cache_file.write_text("{not json")
    (v,) = verify_objects(
        _zones(tmp_path), [ObjectRef("processed", "a", DIGEST)], DigestCache(cache_file)
    )
    assert (v.status, v.cached) == ("ok", False)
    assert json.loads(cache_file.read_text())  # rewritten whole


def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg/kfm-bot/zone-digests.v1.json"
    monkeypatch.setenv("KFM_CACHE_DIR", str(tmp_path / "kfm"))
    assert default_path() == tmp_path / "kfm/zone-digests.v1.json"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.put_if_absent("a", [DATA])
    refs = [ObjectRef("processed", "a", DIGEST)]
    tty, pipe = _Tty(), io.StringIO()
    verify_objects(_zones(tmp_path), refs, progress=Progress(1, tty))
    verify_objects(_zones(tmp_path), refs, progress=Progress(1, pipe))
    assert "verifying zone objects: 1/1" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_storage_yaml_is_loaded_strictly_with_located_errors(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    path = tmp_path / STORAGE_PATH
    with pytest.raises(UsageError, match="is missing"):
        load_zones(tmp_path)
    path.write_text("kfm_storage_version: v1\nzones:\n  processed:\n    url: file://p\n")
    with pytest.raises(UsageError, match="zones missing: published"):
        load_zones(tmp_path)
    path.write_text(
        "kfm_storage_version: v1\nzones:\n  processed:\n    url: file://p\n"
        "  published:\n    url: s3://user:pw@bucket/x\n"
    )
    with pytest.raises(UsageError, match=r"storage.yaml:6:\d+: zones/published/url"):
        load_zones(tmp_path)
    path.write_text("kfm_storage_version: v1\nzones: {processed: {url: file://p}, processed: {}}\n")
    with pytest.raises(UsageError, match=r"storage.yaml:2:"):
        load_zones(tmp_path)
    path.write_text(
        "kfm_storage_version: v1\nzones:\n  processed:\n    url: file://p\n"
        "  published:\n    url: file:///srv/pub\n"
    )
    zones = load_zones(tmp_path)
    assert zones["processed"].directory == tmp_path / "p"
    with pytest.raises(UsageError, match="no zone 'raw'"):
        zones["raw"]


def test_a_spec_output_is_a_file_or_a_zone_object_and_may_be_published() -> None:
    from pydantic import ValidationError

    from kfm_bot.models.spec import Output

    out = Output.model_validate(
        {
            "uri": "processed/w/v1.parquet",
            "media_type": "application/vnd.apache.parquet",
            "publish": True,
        }
    )
    assert (out.uri, out.path, out.publish) == ("processed/w/v1.parquet", None, True)
    assert Output.model_validate({"path": "f.geojson", "media_type": "application/geo+json"})
    for bad in (
        {"media_type": "application/geo+json"},
        {"path": "f", "uri": "processed/f", "media_type": "application/geo+json"},
        {"uri": "processed/../x", "media_type": "application/geo+json"},
        {"uri": "s3://b/x", "media_type": "application/geo+json"},
    ):
        with pytest.raises(ValidationError):
            Output.model_validate(bad)


def test_a_key_reached_through_a_link_is_absent(tmp_path: Path) -> None:
    """A link in a file:// zone could point anywhere on the machine (/etc, a home folder):
    neither gate E nor an export may read through it."""
    store = _store(tmp_path, "published")
    store.put_if_absent("real/kept.bin", [DATA])
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.bin").write_bytes(b"not zone bytes")
    assert store.zone.directory is not None
    (store.zone.directory / "linked").symlink_to(outside, target_is_directory=True)
    (store.zone.directory / "file.bin").symlink_to(outside / "secret.bin")
    for key in ("linked/secret.bin", "file.bin"):
        assert store.head(key) is None
        with pytest.raises(ObjectMissing):
            list(store.open_stream(key))
    assert store.head("real/kept.bin") is not None
