"""What an export of a promoted version to a rendered target will do, item by item.

Made before a byte is read or written, so `--dry-run` can print it. Each artifact of the
promotion manifest becomes an item that is rendered from the published zone or withheld with
its reason; an artifact located in another zone (raw, work, quarantine, processed) refuses
the whole export, naming the manifest entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kfm_bot.export.generalise import Plan, plan_of
from kfm_bot.export.layout import PackError
from kfm_bot.export.promoted import Promoted
from kfm_bot.export.zone_source import plain_key, published_key, zone_of
from kfm_bot.repo.layout import spec_path

TARGET = "geojson_bundle"
BUNDLE_DIR = "bundle"
# Media type (without parameters) -> how the source is read (geojson_bundle.Form).
SOURCE_FORMS = {
    "application/geo+json": "collection",
    "application/geo+json-seq": "sequence",
    "text/csv": "csv",  # lon/lat columns, one Point feature per row
}
# A file name's limit on common file systems (ext4, APFS, NTFS: 255), with room for the
# staging and temporary names a writer puts beside it.
MAX_NAME_BYTES = 200
SEQUENCE_SUFFIXES = (".geojsonl", ".geojsons", ".geojsonseq", ".ndjson", ".jsonl")


@dataclass(frozen=True)
class Item:
    source: str  # the manifest's location of the artifact, e.g. published/<key>
    digest: str  # the manifest's digest of it
    media_type: str
    key: str | None = None  # the published zone key, when rendered
    form: str = "collection"  # collection, sequence (GeoJSON text sequence) or csv
    path: str | None = None  # where the rendering goes in the pack
    withheld: str | None = None  # why it is not rendered


@dataclass(frozen=True)
class BundlePlan:
    slug: str
    version: str
    released_at: str
    policy_label: str
    target_label: str
    plan: Plan
    items: tuple[Item, ...]

    def lines(self) -> list[str]:
        """The plan as `--dry-run` prints it: one line per item, its state and reason."""
        applied = " ".join(
            f"{k}={v}" for k, v in self.plan.applied().items() if v not in (None, [])
        )
        out = [
            f"{TARGET} of {self.slug}/{self.version} (released_at {self.released_at}, "
            f"label {self.policy_label} into a {self.target_label} pack)",
            f"generalisation: {applied}",
        ]
        for item in self.items:
            if item.withheld is not None:
                out.append(f"  withhold {item.source}: {item.withheld}")
            else:
                out.append(f"  render   {item.source} -> {item.path}")
        return out


def make_plan(
    promoted: Promoted, policy_label: str, target_label: str, requires: bool
) -> BundlePlan:
    """`requires`: the version's label requires a redaction plan (restricted)."""
    redaction = _redaction(promoted)
    plan = plan_of(redaction)
    blocked = plan.unusable()
    if requires and redaction is None:
        blocked = f"its label {policy_label!r} requires a redaction plan and the spec has none"
    items: list[Item] = []
    taken = _Taken()
    for n, artifact in enumerate(promoted.manifest["artifacts"]):
        item = _item(artifact, f"{promoted.manifest_path}: artifacts[{n}]", blocked)
        clash = None if item.path is None else taken.clash(item.path)
        if clash is not None:
            item = Item(item.source, item.digest, item.media_type, withheld=clash)
        elif item.path is not None:
            taken.add(item.path)
        items.append(item)
    return BundlePlan(
        promoted.slug,
        promoted.version,
        promoted.manifest["released_at"],
        policy_label,
        target_label,
        plan,
        tuple(sorted(items, key=lambda i: i.source)),
    )


def _item(artifact: dict[str, Any], where: str, blocked: str | None) -> Item:
    """A manifest artifact: a repository file (`path`, withheld) or an object promotion
    published (`uri`, with the processed `source` it was copied from), rendered."""
    digest, media = artifact["digest"], artifact["media_type"]
    if "uri" not in artifact:
        return Item(
            artifact["path"],
            digest,
            media,
            withheld=(
                "it is a file in the repository, not an object of the published zone; exports "
                "render published objects only"
            ),
        )
    source = artifact["uri"]
    key = published_key(source, where)  # refuses raw, work, quarantine and processed
    # The rendering is named after the object the pipeline wrote (`processed/<key>`), which
    # says what it is; the published key is only its digest.
    name = _source_key(artifact.get("source")) or key
    form = SOURCE_FORMS.get(media.split(";", 1)[0].strip().lower())
    if form is None:
        return Item(source, digest, media, key, withheld=f"{TARGET} does not render {media}")
    if form == "collection" and name.lower().endswith(SEQUENCE_SUFFIXES):
        form = "sequence"
    if blocked is not None:
        return Item(source, digest, media, key, form, withheld=blocked)
    stem = name.rsplit(".", 1)[0] if "." in name.rsplit("/", 1)[-1] else name
    path = f"{BUNDLE_DIR}/{stem}.geojson"
    if any(len(part.encode()) > MAX_NAME_BYTES for part in path.split("/")):
        reason = f"its source key has a name longer than {MAX_NAME_BYTES} bytes"
        return Item(source, digest, media, key, form, withheld=reason)
    return Item(source, digest, media, key, form, path)


class _Taken:
    """The renderings planned so far. A new one may not be one of them, nor a folder of one
    (`bundle/a.geojson` and `bundle/a.geojson/b.geojson`), nor differ from one only in case:
    the pack is unpacked on file systems that cannot hold both."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.folders: dict[str, str] = {}

    def clash(self, path: str) -> str | None:
        folded = path.casefold()
        parents = ["/".join(folded.split("/")[:i]) for i in range(1, folded.count("/") + 1)]
        other = self.files.get(folded) or self.folders.get(folded)
        other = other or next((self.files[p] for p in parents if p in self.files), None)
        return None if other is None else f"another artifact already renders to {other}"

    def add(self, path: str) -> None:
        folded = path.casefold()
        self.files[folded] = path
        for i in range(1, folded.count("/") + 1):
            self.folders.setdefault("/".join(folded.split("/")[:i]), path)


def _source_key(source: object) -> str | None:
    """The key of the processed object a published artifact was copied from, when plain."""
    if not isinstance(source, str) or zone_of(source) is None:
        return None
    key = source.split("/", 1)[1]
    return key if plain_key(key) else None


def _redaction(promoted: Promoted) -> dict[str, Any] | None:
    """The spec's redaction plan at the promotion commit (the spec that was promoted)."""
    from kfm_bot.repo.documents import DocumentStore

    path = spec_path(promoted.slug)
    data = DocumentStore(promoted.snapshot).data(path)
    if data is None:
        raise PackError(f"{path} is missing or unreadable at the promotion commit")
    redaction = data.get("redaction")
    if redaction is not None and not isinstance(redaction, dict):
        raise PackError(f"{path}: `redaction` is not a mapping")
    return redaction
