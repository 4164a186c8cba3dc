"""The repository documents a rendered pack carries beside its renderings (DESIGN.md section 10).

A consumer of a `geojson_bundle` must be able to check what it holds without the repository:
so the pack carries, at their repository paths and as committed at the promotion commit, the
spec (it must hash to the manifest's `spec_hash`), the run receipts and the QA report the spec
names (the report must hash to `qa.report_digest`), the promotion manifest itself, and every
signed promotion statement committed beside the manifest (`*.dsse.json`, `*.intoto.json`;
whatever their content, they are copied byte for byte and `verify --repo` compares them).
"""

from __future__ import annotations

from pydantic import ValidationError

from kfm_bot.export.layout import PackError
from kfm_bot.export.linked import check_qa, read_at, spec_documents
from kfm_bot.export.promoted import Promoted
from kfm_bot.models.manifest import PromotionManifest
from kfm_bot.repo.layout import spec_path
from kfm_bot.repo.snapshot import CommitSnapshot

STATEMENT_SUFFIXES = (".dsse.json", ".intoto.json")
MANIFEST_ROLE, STATEMENT_ROLE = "promotion_manifest", "statement"


def pack_documents(promoted: Promoted) -> dict[str, tuple[str, bytes]]:
    """Repository path -> (role, bytes at the promotion commit) of every document the pack
    carries; PackError when one is missing or not bound to the promotion manifest."""
    try:
        manifest = PromotionManifest.model_validate(promoted.manifest)
    except ValidationError:
        raise PackError(f"{promoted.manifest_path} is not a valid promotion manifest") from None
    spec_file = spec_path(promoted.slug)
    linked = spec_documents(read_at(promoted, spec_file), manifest)  # spec_hash checked
    docs = {path: (role, read_at(promoted, path)) for path, role in sorted(linked.roles.items())}
    check_qa(linked.qa_path, docs[linked.qa_path][1], manifest)
    docs[promoted.manifest_path] = (MANIFEST_ROLE, promoted.manifest_bytes)
    for path in statement_paths(promoted.snapshot, promoted.manifest_path):
        docs[path] = (STATEMENT_ROLE, read_at(promoted, path))
    return docs


def statement_paths(snapshot: CommitSnapshot, manifest_path: str) -> list[str]:
    """The signed statements committed beside the promotion manifest, sorted."""
    folder = manifest_path.rsplit("/", 1)[0] + "/"
    return [
        p
        for p in snapshot.under(folder)
        if "/" not in p[len(folder) :] and p.endswith(STATEMENT_SUFFIXES)
    ]
