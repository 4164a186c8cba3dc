"""Writes a rendered-target pack: streamed renderings, its manifest, receipt and checksums.

Rendered files are written straight into a staging folder beside `--out` and hashed as they
are written (never held whole in memory); the folder is renamed into place only when every
item is done, so a failure leaves nothing half-written. Layout:

    bundle/<key>.geojson   one rendering per exported or generalised item
    specs/<slug>/...       the spec, run receipts and QA report, as committed at promotion
    registry/promotions/<slug>/<version>/   the promotion manifest and any signed statement
    provenance.json        PROV-JSON: the published objects and documents used, files made
    pack_manifest.json     version, released_at, sources, every item's state, files+digests
    export_receipt.json    who ran it, the generalisation applied per item, pack_hash
    checksums.txt          `sha256sum` lines of every other file, sorted

The pack is byte-identical for the same inputs: sorted JSON (`json_file_bytes`), files and
tar entries with the version's released_at as mtime, no owner, host, locale or zone data.
`pack_hash` is sha256 over the sorted `path:digest` lines of every file but the receipt
and checksums.txt, so who ran the export never changes it.
"""

from __future__ import annotations

import gzip
import os
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kfm_bot.canonical import json_file_bytes, sha256_digest
from kfm_bot.errors import UsageError
from kfm_bot.export.geojson_bundle import MEDIA_TYPE, render
from kfm_bot.export.layout import JSON_MEDIA_TYPE, YAML_MEDIA_TYPE, PackError, tar_root
from kfm_bot.export.pack_plan import TARGET, BundlePlan, Item
from kfm_bot.export.prov import provenance_of
from kfm_bot.export.writer import release_epoch, staged_directory
from kfm_bot.export.zone_source import MissingObject, ZoneReader
from kfm_bot.models.export_bundle import BundleManifest, BundleReceipt

PACK_MANIFEST = "pack_manifest.json"
RECEIPT = "export_receipt.json"
CHECKSUMS = "checksums.txt"
PROVENANCE = "provenance.json"
CRS = "OGC:CRS84"  # RFC 7946: WGS 84 longitude, latitude (decimal degrees)
FORMAT_NOTE = (
    "RFC 7946 FeatureCollection, one feature per line, LF, ASCII; feature members type, id, "
    "properties, geometry; properties sorted by name; coordinates with exactly "
    "precision_decimals places, no exponent, no -0"
)


def write_pack(
    plan: BundlePlan,
    zone: ZoneReader,
    out: Path,
    identity: dict[str, Any],
    documents: dict[str, tuple[str, bytes]],
    actor: str,
    say: Callable[[str], None],
) -> str:
    """Render every item and write the pack at `out`; returns pack_hash. `identity`: the
    promotion commit, ledger_seq and manifest_digest the receipt records; `documents`: path
    -> (role, bytes) of the repository documents the pack carries (bundle_docs)."""
    with staged_directory(out) as staging:
        digest = _fill(plan, zone, staging, identity, documents, actor, say)
        epoch = release_epoch(plan.released_at)
        for path in sorted(staging.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
            os.utime(path, (epoch, epoch))
    return digest


def _fill(
    plan: BundlePlan,
    zone: ZoneReader,
    root: Path,
    identity: dict[str, Any],
    documents: dict[str, tuple[str, bytes]],
    actor: str,
    say: Callable[[str], None],
) -> str:
    files: dict[str, tuple[str, int, str, str]] = {}  # path -> digest, size, media type, role
    items: list[dict[str, Any]] = []
    for item in plan.items:
        record, made = _item(plan, item, zone, root)
        items.append(record)
        if made is not None:
            files[made[0]] = (made[1], made[2], MEDIA_TYPE, "rendering")
        say(
            f"  {record['state']:<11} {item.source}"
            + (f": {record['reason']}" if "reason" in record else "")
        )
    for path, (role, data) in sorted(documents.items()):
        if path in files or path in (PACK_MANIFEST, RECEIPT, CHECKSUMS, PROVENANCE):
            raise PackError(f"{path} would be written twice into the pack")
        _put(root, path, data, files, role, _media_type(path))
    rendered = {r["path"]: r["source"] for r in items if "path" in r}
    prov = provenance_of(
        f"kfm:export/{plan.slug}/{plan.version}/{TARGET}",
        plan.released_at,
        identity["promotion_commit"],
        {path: files[path][0] for path in documents},
        {path: entry[0] for path, entry in files.items()},
        objects={r["source"]: r["source_digest"] for r in items if "path" in r},
        renderings=rendered,
        label=f"{TARGET} rendering",
    )
    _put(root, PROVENANCE, json_file_bytes(prov), files, "provenance")
    manifest = {
        "kfm_export_bundle_manifest_version": "v1",
        "target": TARGET,
        "dataset_slug": plan.slug,
        "dataset_version_id": plan.version,
        "released_at": plan.released_at,
        "crs": CRS,
        "format": FORMAT_NOTE,
        "policy_label": plan.policy_label,
        "target_label": plan.target_label,
        "generalisation": plan.plan.applied(),
        "sources": [
            {"uri": i.source, "digest": i.digest, "media_type": i.media_type} for i in plan.items
        ],
        "items": [{k: v for k, v in r.items() if k != "generalisation"} for r in items],
        "files": [
            {"path": p, "role": r, "digest": d, "size": s, "media_type": m}
            for p, (d, s, m, r) in sorted(files.items())
        ],
    }
    _put(root, PACK_MANIFEST, _document(BundleManifest, manifest), files)
    pack_hash = sha256_digest(
        "\n".join(sorted(f"{p}:{e[0]}" for p, e in files.items())).encode("utf-8")
    )
    receipt = {
        "kfm_export_bundle_receipt_version": "v1",
        "actor": actor,
        "operation": "export",
        "target": TARGET,
        "dataset_slug": plan.slug,
        "dataset_version_id": plan.version,
        "created_at": plan.released_at,
        "why": f"{TARGET} of the promoted version {plan.slug}/{plan.version} from the published "
        f"zone, for a pack labelled {plan.target_label}",
        "source": identity,
        "inputs": [{"uri": i.source, "digest": i.digest} for i in plan.items if i.path],
        "outputs": [{"path": p, "digest": e[0]} for p, e in sorted(files.items())],
        "generalisation_applied": plan.plan.applied(),
        "items": items,
        "pack_hash": pack_hash,
    }
    _put(root, RECEIPT, _document(BundleReceipt, receipt), files)
    lines = "".join(f"{e[0][7:]}  {p}\n" for p, e in sorted(files.items()))
    (root / CHECKSUMS).write_bytes(lines.encode("utf-8"))
    return pack_hash


def _item(
    plan: BundlePlan, item: Item, zone: ZoneReader, root: Path
) -> tuple[dict[str, Any], tuple[str, str, int] | None]:
    record: dict[str, Any] = {"source": item.source, "source_digest": item.digest}
    if item.withheld is not None or item.key is None or item.path is None:
        record.update(state="withheld", reason=item.withheld or "it has no rendering")
        return record, None
    target = root / item.path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("wb") as handle:
            done = render(zone.open_stream(item.key), item.source, item.form, plan.plan, handle)
    except MissingObject:
        raise
    except PackError as exc:  # content the target cannot represent: withheld, with the reason
        target.unlink()
        record.update(state="withheld", reason=f"it cannot be rendered: {exc}")
        return record, None
    if done.source_digest != item.digest:
        raise PackError(
            f"{item.source} in the published zone does not have the digest the promotion "
            "manifest records; nothing is exported"
        )
    state = "generalised" if done.tally.changed() else "exported"
    record.update(
        state=state, path=item.path, digest=done.digest, generalisation=done.tally.as_record()
    )
    return record, (item.path, done.digest, done.size)


def _document(model: type[BaseModel], value: dict[str, Any]) -> bytes:
    """The document's bytes once it validates: a defect here is a bug, never a pack."""
    model.model_validate(value)
    return json_file_bytes(value)


def _put(
    root: Path,
    name: str,
    data: bytes,
    files: dict[str, tuple[str, int, str, str]],
    role: str = "",
    media_type: str = JSON_MEDIA_TYPE,
) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(data)
    files[name] = (sha256_digest(data), len(data), media_type, role)


def _media_type(path: str) -> str:
    if path.endswith(".json"):
        return JSON_MEDIA_TYPE
    if path.endswith((".yaml", ".yml")):
        return YAML_MEDIA_TYPE
    return "application/octet-stream"


def write_tarball(pack_dir: Path, path: Path, slug: str, version: str, released_at: str) -> None:
    """The pack folder as a byte-reproducible .tar.gz, streamed file by file."""
    if path.exists():
        raise UsageError(f"{path} already exists; remove it or choose another --out")
    epoch = release_epoch(released_at)
    temp = path.with_name(f".{path.name}.tmp")
    root = tar_root(slug, version)
    try:
        with (
            temp.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            for file in sorted(p for p in pack_dir.rglob("*") if p.is_file()):
                info = tarfile.TarInfo(f"{root}/{file.relative_to(pack_dir).as_posix()}")
                info.size = file.stat().st_size
                info.mtime, info.mode, info.uid, info.gid = epoch, 0o644, 0, 0
                info.uname = info.gname = ""
                with file.open("rb") as handle:
                    tar.addfile(info, handle)
        os.utime(temp, (epoch, epoch))
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
