"""A promotion world whose dataset publishes a zone object: absolute `file://` zones (or S3)
on main, and a PR whose pipeline run wrote a GeoJSON into the processed zone."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.github.world import World
from tests.promotion.world import change_dataset, remote_git
from tests.zones.world import storage_yaml

SLUG = "ks_water_wells"
KEY = f"{SLUG}/wells.geojson"
URI = f"processed/{KEY}"
DATA = json.dumps({"type": "FeatureCollection", "features": []}).encode() + b"\n" * 3000


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def published_key(data: bytes) -> str:
    return "sha256/" + hashlib.sha256(data).hexdigest()


def file_zones(world: World) -> tuple[Path, Path]:
    """main's storage.yaml names two directories every CI clone shares (pushed by a maintainer
    before any promotion): (processed, published)."""
    processed, published = world.tmp / "zones" / "processed", world.tmp / "zones" / "published"
    use_storage(world, storage_yaml(f"file://{processed}", f"file://{published}"))
    return processed, published


def use_storage(world: World, text: str) -> None:
    world.push("main", {"policies/storage.yaml": text}, "zones", author="mara-osei")


def publishing_change(world: World, words: str, branch: str, data: bytes = DATA) -> int:
    """A PR to SLUG whose spec publishes URI and whose receipt names it with `data`'s digest
    (the object itself is put in the processed zone by the caller)."""

    def edit(dataset: Path) -> None:
        spec = dataset / "spec.yaml"
        text = spec.read_text()
        if URI not in text:
            entry = f"  - uri: {URI}\n    media_type: application/geo+json\n    publish: true\n"
            spec.write_text(text.replace("outputs:\n", "outputs:\n" + entry, 1))
        (receipt_path,) = sorted((dataset / "receipts").glob("*.json"))
        receipt = json.loads(receipt_path.read_text())
        outputs = [o for o in receipt["outputs"] if o.get("uri") != URI]
        outputs.append({"uri": URI, "digest": digest(data), "size": len(data)})
        receipt["outputs"] = outputs
        receipt_path.write_text(json.dumps(receipt, indent=2) + "\n")

    return change_dataset(world, SLUG, words, branch, edit=edit)


def put(zone: Path, key: str, data: bytes) -> None:
    (zone / key).parent.mkdir(parents=True, exist_ok=True)
    (zone / key).write_bytes(data)


def remote_manifest(world: World, tag: str) -> dict[str, object]:
    text = remote_git(world, "show", f"main:registry/promotions/{tag}/promotion_manifest.json")
    return dict(json.loads(text))
