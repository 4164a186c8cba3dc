"""One interface over every zone, built on obstore (one library for file:// and s3://).

Callers never learn which kind they talk to. Every obstore error becomes one of ours: a missing
object is `None` (head) or `ObjectMissing`; a different object in the way is `ObjectExists`;
anything else (connection refused, 5xx after obstore's bounded retries, timeouts, bad
credentials) is `ZoneUnreachable`, a `ServiceError` (exit 3). Messages name the zone and the key,
never a credential: they are built here from our own words plus the clipped, secret-scrubbed
reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from kfm_bot.errors import ServiceError, UsageError, one_line
from kfm_bot.zones.config import Zone

if TYPE_CHECKING:
    from obstore.store import LocalStore, S3Store

CHUNK = 1 << 20  # 1 MiB: hashing cost dominates, memory stays a few chunks per reader
S3_ENV = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION")
# obstore retries 5xx, dropped connections and timeouts of safe requests itself, this often:
MAX_RETRIES = 3
RETRY_WINDOW = timedelta(seconds=60)
STAGING = ".kfm-staging"  # put_if_absent writes here first, so a reader never sees half a file


@dataclass(frozen=True)
class ObjectInfo:
    """What one metadata request tells about an object. `version` is the store's version id
    when it keeps versions, else its ETag: it changes whenever the bytes do."""

    key: str
    size: int
    version: str


class ZoneUnreachable(ServiceError):
    """The zone did not answer usefully after bounded retries: fail closed (exit 3)."""


class ObjectMissing(UsageError):
    """A key that should exist does not."""


class ObjectExists(UsageError):
    """put_if_absent/copy_if_absent found another object at the destination: never overwrite."""

    def __init__(self, message: str, existing: ObjectInfo) -> None:
        super().__init__(message)
        self.existing = existing


class ZoneStore:
    """The objects of one zone, by key relative to the zone (`wells/v1.parquet`)."""

    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self._store = _open(zone)

    # -- reading ---------------------------------------------------------------------------

    def head(self, key: str) -> ObjectInfo | None:
        """The object's size and version, or None when there is none: one request."""
        import obstore
        from obstore.exceptions import NotFoundError

        path = _checked(key)
        if self._leaves_zone(path):
            return None
        try:
            meta = obstore.head(self._store, path)
        except (NotFoundError, FileNotFoundError):
            return None
        except Exception as exc:
            raise self._unreachable("HEAD", key, exc) from None
        version = meta.get("version") or meta.get("e_tag") or ""
        return ObjectInfo(key, int(meta["size"]), str(version))

    def open_stream(self, key: str, chunk_size: int = CHUNK) -> Iterator[bytes | memoryview]:
        """The object's bytes as chunks of about `chunk_size`, never the whole object at once.
        ObjectMissing when absent; ZoneUnreachable when the read fails (also mid-stream)."""
        import obstore
        from obstore.exceptions import NotFoundError

        path = _checked(key)
        if self._leaves_zone(path):
            raise ObjectMissing(f"zone {self.zone.name!r} has no object {key!r}")
        try:
            result = obstore.get(self._store, path)
            stream = result.stream(min_chunk_size=chunk_size)
        except (NotFoundError, FileNotFoundError):
            raise ObjectMissing(f"zone {self.zone.name!r} has no object {key!r}") from None
        except Exception as exc:
            raise self._unreachable("GET", key, exc) from None
        try:
            for chunk in stream:
                yield memoryview(chunk)
        except Exception as exc:
            raise self._unreachable("GET (mid-stream)", key, exc) from None

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Every object under `prefix` (keys relative to the zone), staging area excluded."""
        import obstore

        try:
            for batch in obstore.list(self._store, prefix=prefix.strip("/") or None):
                for meta in batch:
                    key = str(meta["path"])
                    if key.startswith(STAGING + "/"):
                        continue
                    version = meta.get("version") or meta.get("e_tag") or ""
                    yield ObjectInfo(key, int(meta["size"]), str(version))
        except Exception as exc:
            raise self._unreachable("LIST", prefix or "/", exc) from None

    # -- writing (never overwrites) --------------------------------------------------------

    def put_if_absent(self, key: str, chunks: Iterable[bytes | memoryview]) -> ObjectInfo:
        """Write `key` from a stream unless an object is there (ObjectExists, nothing written).

        The bytes go to a staging key first (multipart on S3: constant memory), which is then
        copied into place with a copy that refuses to overwrite; a crash leaves at most a
        staging object, never a partial `key`."""
        import obstore

        existing = self.head(_checked(key))
        if existing is not None:
            raise self._exists(key, existing)
        staging = f"{STAGING}/{uuid.uuid4().hex}"
        done = False
        try:
            # Chunks are pulled here, in Python, and pushed one by one: obstore cannot be
            # handed an iterator that is itself an obstore stream (one runtime per call).
            # Memory: a buffer of 8 MiB times two parts in flight. An error of the source
            # (another zone, a file) propagates as it is: it is not this zone's fault.
            try:
                writer = obstore.open_writer(
                    self._store, staging, buffer_size=8 * CHUNK, max_concurrency=2
                )
            except Exception as exc:
                raise self._unreachable("PUT", key, exc) from None
            for chunk in chunks:
                try:
                    writer.write(chunk)
                except Exception as exc:
                    raise self._unreachable("PUT", key, exc) from None
            try:
                writer.close()
            except Exception as exc:
                raise self._unreachable("PUT", key, exc) from None
            done = True
        finally:
            if not done:
                self._delete_quietly(staging)
        try:
            return self._copy_within(staging, key)
        finally:
            self._delete_quietly(staging)

    def copy_if_absent(self, source: ZoneStore, src_key: str, dst_key: str) -> ObjectInfo:
        """Copy `source`'s `src_key` to `dst_key` here, server-side when both zones live in one
        S3 bucket, else streamed; ObjectExists when any object is already at `dst_key`."""
        existing = self.head(dst_key)
        if existing is not None:
            raise self._exists(dst_key, existing)
        if source.zone == self.zone:
            return self._copy_within(src_key, dst_key)
        if _same_bucket(source.zone, self.zone):
            return self._copy_in_bucket(source, src_key, dst_key)
        return self.put_if_absent(dst_key, source.open_stream(src_key))

    def _copy_within(self, src: str, dst: str) -> ObjectInfo:
        import obstore
        from obstore.exceptions import AlreadyExistsError, NotFoundError, PreconditionError

        src, dst = _checked(src), _checked(dst)
        try:
            obstore.copy(self._store, src, dst, overwrite=False)
        except (AlreadyExistsError, PreconditionError):
            raise self._exists(dst, self.head(dst) or ObjectInfo(dst, -1, "")) from None
        except (NotFoundError, FileNotFoundError):
            raise ObjectMissing(f"zone {self.zone.name!r} has no object {src!r}") from None
        except Exception as exc:
            if not _unsupported(exc):
                raise self._unreachable("COPY", dst, exc) from None
            # The store offers no conditional copy: check, then copy. The window between the
            # two is what the store allows; the caller verifies the digest after the copy.
            if (found := self.head(dst)) is not None:
                raise self._exists(dst, found) from None
            try:
                obstore.copy(self._store, src, dst, overwrite=True)
            except Exception as exc2:
                raise self._unreachable("COPY", dst, exc2) from None
        info = self.head(dst)
        if info is None:
            raise self._unreachable("COPY", dst, RuntimeError("object absent after the copy"))
        return info

    def _copy_in_bucket(self, source: ZoneStore, src_key: str, dst_key: str) -> ObjectInfo:
        bucket_store = ZoneStore(
            Zone(
                f"{source.zone.name}+{self.zone.name}",
                f"s3://{self.zone.bucket}",
                "s3",
                bucket=self.zone.bucket,
                timeout_s=self.zone.timeout_s,
            )
        )
        src = "/".join(p for p in (source.zone.prefix, _checked(src_key)) if p)
        dst = "/".join(p for p in (self.zone.prefix, _checked(dst_key)) if p)
        bucket_store._copy_within(src, dst)
        info = self.head(dst_key)
        if info is None:
            raise self._unreachable("COPY", dst_key, RuntimeError("object absent after the copy"))
        return info

    def _delete_quietly(self, key: str) -> None:
        import obstore

        try:
            obstore.delete(self._store, key)
        except Exception:  # a staging leftover is harmless: `zones audit` ignores staging
            return

    def _leaves_zone(self, key: str) -> bool:
        """A file:// key reached through a symbolic link: obstore's LocalStore follows links,
        and a link in the zone directory could lead anywhere on the machine (an export or a
        digest check would read it). Such an object is treated as absent. S3 has no links."""
        if self.zone.directory is None:
            return False
        path = self.zone.directory / key
        try:
            inside = path.resolve().is_relative_to(self.zone.directory.resolve())
        except OSError:  # a link loop
            return True
        return not inside or path.is_symlink()

    # -- errors ----------------------------------------------------------------------------

    def _unreachable(self, what: str, key: str, exc: BaseException) -> ZoneUnreachable:
        reason = one_line(f"{type(exc).__name__}: {exc}", limit=200)
        return ZoneUnreachable(
            f"zone {self.zone.name!r} ({self.zone.url}) failed on {what} {key!r} "
            f"after retries: {reason}"
        )

    def _exists(self, key: str, found: ObjectInfo) -> ObjectExists:
        return ObjectExists(
            f"zone {self.zone.name!r} already holds another object at {key!r}; "
            "objects are never overwritten",
            found,
        )


def _checked(key: str) -> str:
    """A key relative to the zone: no empty, `.` or `..` segment, no leading slash."""
    parts = key.split("/")
    if not key or any(p in ("", ".", "..") for p in parts) or "\\" in key or "\x00" in key:
        raise UsageError(f"object key {key!r} is not a relative path inside the zone")
    return key


def _same_bucket(a: Zone, b: Zone) -> bool:
    return a.kind == b.kind == "s3" and a.bucket == b.bucket


def _unsupported(exc: BaseException) -> bool:
    from obstore.exceptions import NotSupportedError

    return isinstance(exc, NotSupportedError) or "not supported" in str(exc).lower()


def _open(zone: Zone) -> LocalStore | S3Store:
    if zone.kind == "file":
        from obstore.store import LocalStore

        assert zone.directory is not None
        try:
            return LocalStore(str(zone.directory), mkdir=True)
        except Exception as exc:
            reason = one_line(f"{type(exc).__name__}: {exc}", limit=200)
            raise ZoneUnreachable(
                f"zone {zone.name!r} ({zone.url}) cannot be opened: {reason}"
            ) from None
    return _open_s3(zone)


def _open_s3(zone: Zone) -> S3Store:
    from obstore.store import S3Store

    env = {name: os.environ.get(name, "") for name in S3_ENV}
    config: dict[str, Any] = {"region": env["AWS_REGION"] or "us-east-1"}
    if env["AWS_ENDPOINT_URL"]:
        config["endpoint"] = env["AWS_ENDPOINT_URL"]
    if env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"]:
        config["access_key_id"] = env["AWS_ACCESS_KEY_ID"]
        config["secret_access_key"] = env["AWS_SECRET_ACCESS_KEY"]
        if token := os.environ.get("AWS_SESSION_TOKEN"):
            config["token"] = token
    else:
        raise ZoneUnreachable(
            f"zone {zone.name!r} ({zone.url}) needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "in the environment"
        )
    timeout = timedelta(seconds=zone.timeout_s)
    client: dict[str, Any] = {
        "timeout": timeout,
        "connect_timeout": timedelta(seconds=min(zone.timeout_s, 10.0)),
        "allow_http": env["AWS_ENDPOINT_URL"].startswith("http://"),
    }
    retry: dict[str, Any] = {
        "max_retries": MAX_RETRIES,
        "retry_timeout": RETRY_WINDOW,
        "backoff": {
            "init_backoff": timedelta(milliseconds=100),
            "max_backoff": timedelta(seconds=2),
            "base": 2,
        },
    }
    try:
        # Path-style addressing: what self-hosted stores (SeaweedFS, MinIO) serve.
        config["virtual_hosted_style_request"] = False
        return S3Store(
            zone.bucket,
            prefix=zone.prefix or None,
            config=config,  # type: ignore[arg-type]  # a TypedDict built from the environment
            client_options=client,  # type: ignore[arg-type]
            retry_config=retry,  # type: ignore[arg-type]
        )
    except Exception as exc:
        reason = one_line(f"{type(exc).__name__}: {exc}", limit=200)
        raise ZoneUnreachable(
            f"zone {zone.name!r} ({zone.url}) cannot be opened: {reason}"
        ) from None
