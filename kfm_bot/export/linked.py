"""The spec, run receipts and QA report a pack carries because its own catalogs link to them.

A dataset's DCAT, STAC and PROV name files relative to `specs/<slug>/` (`kfm:spec`,
`kfm:receipt`, `dcat:accessURL`, ...). A consumer following those links inside the pack must
find the files, so the export copies them from the promotion commit, and `verify` checks that
every link resolves to a file of the pack. The spec and the QA report are also bound to the
promotion manifest: the spec must hash to its `spec_hash`, the report to its `report_digest`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from pydantic import ValidationError

from kfm_bot.canonical import sha256_digest, spec_hash
from kfm_bot.export.layout import PackError
from kfm_bot.export.promoted import Promoted
from kfm_bot.gates.d_catalog.catalog_links import dcat_refs, prov_refs, stac_refs
from kfm_bot.models.manifest import PromotionManifest
from kfm_bot.models.spec import PipelineSpec
from kfm_bot.repo.layout import SPECS_DIR, resolve_relative, spec_path

SPEC_ROLE, RECEIPT_ROLE, QA_ROLE = "spec", "receipt", "qa"


@dataclass(frozen=True)
class Linked:
    """Repository path -> pack role of the documents the spec names (spec, receipts, QA)."""

    roles: dict[str, str]
    qa_path: str


def spec_documents(spec_bytes: bytes, manifest: PromotionManifest) -> Linked:
    """The spec's own documents, once the spec hashes to the manifest's `spec_hash`."""
    slug = manifest.dataset_slug
    path = spec_path(slug)
    spec = _spec(spec_bytes, path, manifest.spec_hash)
    base = f"{SPECS_DIR}/{slug}"
    roles = {path: SPEC_ROLE}
    for ref in spec.receipts:
        roles.setdefault(_inside(base, ref, path, "receipts"), RECEIPT_ROLE)
    qa_path = _inside(base, spec.qa, path, "qa")
    roles[qa_path] = QA_ROLE
    return Linked(roles, qa_path)


def catalog_links(slug: str, catalogs: Mapping[str, bytes]) -> dict[str, str]:
    """Repository path -> where it is linked from, for every path link of the dataset catalogs."""
    base = f"{SPECS_DIR}/{slug}"
    links: dict[str, str] = {}
    for path, data in sorted(catalogs.items()):
        try:
            doc: Any = json.loads(data)
        except ValueError:
            raise PackError(f"{path} is not valid JSON") from None
        for pointer, value in _refs(doc):
            where = f"{path} at {'/'.join(str(p) for p in pointer)}"
            target = resolve_relative(base, value) if isinstance(value, str) else None
            if target is None:
                raise PackError(f"{where} is not a path inside {base}/")
            links.setdefault(target, where)
    return links


def check_qa(path: str, data: bytes, manifest: PromotionManifest) -> None:
    if sha256_digest(data) != manifest.qa.report_digest:
        raise PackError(f"{path} does not match the promotion manifest's qa.report_digest")


def _refs(doc: Any) -> Iterator[tuple[Any, Any]]:
    return chain(dcat_refs(doc), stac_refs(doc), prov_refs(doc))


def _spec(data: bytes, path: str, expected: str) -> PipelineSpec:
    from kfm_bot.yaml.strict import load_strict

    loaded = load_strict(data, path)
    if loaded.data is None or loaded.findings:
        raise PackError(f"{path} is not a strict YAML spec")
    if spec_hash(loaded.data) != expected:
        raise PackError(f"{path} does not hash to the promotion manifest's spec_hash")
    try:
        return PipelineSpec.model_validate(loaded.data)
    except ValidationError:
        raise PackError(f"{path} is not a valid pipeline spec") from None


def _inside(base: str, ref: str, path: str, key: str) -> str:
    target = resolve_relative(base, ref)
    if target is None:
        raise PackError(f"{path}: {key} {ref!r} is not a path inside {base}/")
    return target


def read_linked(promoted: Promoted) -> dict[str, str]:
    """Reads into `promoted.files` the spec, receipts and QA report; new path -> its role."""
    manifest = PromotionManifest.model_validate(promoted.manifest)
    linked = spec_documents(read_at(promoted, spec_path(promoted.slug)), manifest)
    catalogs = {c.path: promoted.files[c.path] for c in manifest.catalogs}
    for target, where in catalog_links(promoted.slug, catalogs).items():
        # Fail closed: a file neither the manifest nor the spec names was never bound by the
        # promotion (and may be raw data), so it is not copied and nothing is exported.
        if target not in promoted.files and target not in linked.roles:
            raise PackError(
                f"{where} links to {target}, which is neither a promoted artifact or catalog "
                "nor the spec, a receipt or the QA report: nothing is exported"
            )
    added = {p: role for p, role in sorted(linked.roles.items()) if p not in promoted.files}
    for path in added:
        promoted.files[path] = read_at(promoted, path)
    check_qa(linked.qa_path, promoted.files[linked.qa_path], manifest)
    return added


def check_pack(files: Mapping[str, bytes], manifest: PromotionManifest) -> None:
    """Every document the spec names is in the pack, and every catalog link resolves in it."""
    spec_file = spec_path(manifest.dataset_slug)
    if spec_file not in files:
        raise PackError(f"{spec_file} is missing from the pack; its catalogs link to it")
    linked = spec_documents(files[spec_file], manifest)
    for path, role in linked.roles.items():
        if path not in files:
            raise PackError(f"{path} is missing from the pack; the spec names it as its {role}")
    check_qa(linked.qa_path, files[linked.qa_path], manifest)
    catalogs = {c.path: files[c.path] for c in manifest.catalogs}
    for target, where in catalog_links(manifest.dataset_slug, catalogs).items():
        if target not in files:
            raise PackError(f"{where} links to {target}, which is not in the pack")


def read_at(promoted: Promoted, path: str) -> bytes:
    """A file the pack must carry, as committed at the promotion commit; PackError if absent."""
    entry = promoted.snapshot.entry(path)
    if entry is None or not entry.is_regular:
        raise PackError(
            f"{path}, which the pack must carry, is missing at the promotion commit "
            f"{promoted.commit[:12]}"
        )
    return promoted.snapshot.read(path)
