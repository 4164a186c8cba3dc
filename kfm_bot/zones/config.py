"""The zones of `policies/storage.yaml` as places: a directory or an S3 bucket and prefix.

Only this module and `store.py` know the two kinds; everyone else holds a `Zone` and asks
`open_store` for its `ZoneStore`. S3 endpoint and credentials come only from the standard
environment variables, never from the repository (the URL pattern forbids `user@` and queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kfm_bot.errors import UsageError

STORAGE_PATH = "policies/storage.yaml"
ZoneKind = Literal["file", "s3"]


@dataclass(frozen=True)
class Zone:
    """One zone: its name, kind and location (an absolute directory, or bucket + prefix)."""

    name: str
    url: str  # as written in storage.yaml: safe to print (no credential can be in it)
    kind: ZoneKind
    directory: Path | None = None  # file://
    bucket: str = ""  # s3://
    prefix: str = ""  # s3://, without leading or trailing slash
    timeout_s: float = 30.0

    @property
    def identity(self) -> str:
        """What names this zone's bytes across runs (the cache key): its resolved location."""
        if self.kind == "file":
            return f"file://{self.directory}"
        return f"s3://{self.bucket}/{self.prefix}"


def zone_from_url(name: str, url: str, repo_root: Path, timeout_s: float = 30.0) -> Zone:
    """A zone from a URL already checked by the model's pattern; relative files are under root."""
    if url.startswith("file://"):
        rest = url.removeprefix("file://")
        directory = Path(rest) if rest.startswith("/") else repo_root / rest
        return Zone(name, url, "file", directory=directory.resolve(), timeout_s=timeout_s)
    if url.startswith("s3://"):
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        return Zone(name, url, "s3", bucket=bucket, prefix=prefix.strip("/"), timeout_s=timeout_s)
    raise UsageError(f"{STORAGE_PATH}: zone {name!r} has URL {url!r}; use file:// or s3://")


@dataclass(frozen=True)
class Zones:
    """Every configured zone by name."""

    by_name: dict[str, Zone]

    def get(self, name: str) -> Zone | None:
        return self.by_name.get(name)

    def __getitem__(self, name: str) -> Zone:
        zone = self.by_name.get(name)
        if zone is None:
            known = ", ".join(sorted(self.by_name))
            raise UsageError(f"{STORAGE_PATH} names no zone {name!r} (zones: {known})")
        return zone


def zones_from_policy(policy: object, repo_root: Path) -> Zones:
    """The `Zones` of a validated `StoragePolicy` (typed loosely: models import nothing here)."""
    from kfm_bot.models.storage import StoragePolicy

    assert isinstance(policy, StoragePolicy)
    return Zones(
        {
            name: zone_from_url(name, entry.url, repo_root, entry.timeout_s)
            for name, entry in sorted(policy.zones.items())
        }
    )


def load_zones(repo_root: Path) -> Zones:
    """The zones of `<repo_root>/policies/storage.yaml`, loaded strictly; UsageError, located,
    when the file is missing or invalid."""
    path = repo_root / STORAGE_PATH
    if not path.is_file():
        raise UsageError(
            f"{STORAGE_PATH} is missing; it names the zones (`processed`, `published`) by URL:"
            " see https://github.com/kfm-bot/kfm-bot#zones-the-bytes"
        )
    from kfm_bot.yaml.guard import MAX_BYTES

    with path.open("rb") as handle:  # bounded, as every strict YAML read
        return zones_from_bytes(handle.read(MAX_BYTES + 1), repo_root)


def zones_from_bytes(data: bytes, repo_root: Path, where: str = STORAGE_PATH) -> Zones:
    """The zones of storage.yaml's bytes (e.g. as committed at a promotion commit); relative
    file:// URLs are under `repo_root`. UsageError, located at `where`, when invalid."""
    from pydantic import ValidationError

    from kfm_bot.models.storage import StoragePolicy
    from kfm_bot.yaml.strict import load_strict

    loaded = load_strict(data, where)
    if loaded.data is None:
        first = loaded.findings[0] if loaded.findings else None
        at = f"{where}:{first.line}:{first.column}" if first else where
        raise UsageError(f"{at}: {first.message if first else 'not a YAML mapping'}")
    try:
        policy = StoragePolicy.model_validate(loaded.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        pointer = tuple(p for p in err["loc"] if isinstance(p, str | int))
        line, col = loaded.locate(pointer)
        field = "/".join(str(p) for p in pointer) or "(document)"
        raise UsageError(f"{where}:{line}:{col}: {field}: {err['msg']}") from None
    return zones_from_policy(policy, repo_root)


def zone_override(name: str, url: str, repo_root: Path, flag: str) -> Zone:
    """A zone given on the command line (`flag`) instead of storage.yaml, checked by the same
    pattern: file:// or s3://, never a credential in it."""
    import re

    from kfm_bot.models.storage import ZONE_URL_PATTERN

    if len(url) > 1024 or not re.match(ZONE_URL_PATTERN, url):
        raise UsageError(
            f"{flag}: not a zone URL; use file:///path or s3://bucket/prefix (credentials only "
            "from the AWS_* environment variables, never in the URL)"
        )
    return zone_from_url(name, url, repo_root)
