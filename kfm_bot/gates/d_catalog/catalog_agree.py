"""Gate D's cross-checks: catalogs agree with the spec; PROV names spec, receipts and outputs."""

from __future__ import annotations

from collections.abc import Mapping

from kfm_bot.findings import Finding
from kfm_bot.gates.b_licensing import spdx
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import dataset_dir, get, located, shown, text
from kfm_bot.repo.layout import resolve_relative

# STAC 1.0 spells a licence it cannot express as a single SPDX id this way.
STAC_COMPOUND = frozenset({"other", "various"})


def _same_licence(catalog_value: object, spec_value: str | None) -> bool:
    if not isinstance(catalog_value, str) or spec_value is None:
        return bool(catalog_value == spec_value)
    mine, theirs = spdx.parse(catalog_value), spdx.parse(spec_value)
    if mine.tree is None or theirs.tree is None:
        return catalog_value.strip() == spec_value.strip()
    return bool(mine.tree.render() == theirs.tree.render())


def agrees(
    ctx: GateContext,
    slug: str,
    spec: Mapping[str, object],
    path: str,
    data: Mapping[str, object],
    id_key: str,
    licence_key: str,
) -> list[Finding]:
    """Identifier, licence and policy label of one catalog record against the spec."""
    findings = []
    if data.get(id_key) != slug:
        given = shown(data.get(id_key))
        msg = f"`{id_key}` is `{given}` but the dataset slug is `{slug}`; use `{slug}`"
        findings.append(located(ctx, "D.identifier-mismatch", msg, path, (id_key,)))
    licence, spec_licence = data.get(licence_key), text(spec, "license", "spdx")
    compound = spec_licence is not None and len(spdx.parse(spec_licence).leaves) > 1
    stac_ok = licence_key == "license" and compound and licence in STAC_COMPOUND
    if spec_licence is not None and not stac_ok and not _same_licence(licence, spec_licence):
        given = shown(licence)
        msg = f"`{licence_key}` is `{given}` but the spec's licence is `{spec_licence}`; match it"
        findings.append(located(ctx, "D.catalog-mismatch", msg, path, (licence_key,)))
    label, spec_label = data.get("kfm:policy_label"), text(spec, "policy_label")
    if spec_label is not None and label != spec_label:  # a missing spec label is gate C's
        given = shown(label)
        msg = f"`kfm:policy_label` is `{given}` but the spec's label is `{spec_label}`; match it"
        findings.append(located(ctx, "D.catalog-mismatch", msg, path, ("kfm:policy_label",)))
    return findings


def dcat_links(
    ctx: GateContext, slug: str, spec: Mapping[str, object], path: str, dcat: Mapping[str, object]
) -> list[Finding]:
    """`kfm:spec`, `kfm:prov` and `kfm:stac` in DCAT name the same files as the spec."""
    base = dataset_dir(slug)
    expected = {
        "kfm:spec": ctx.spec_path(slug),
        "kfm:prov": _resolve(base, get(spec, "catalog", "prov")),
        "kfm:stac": _resolve(base, get(spec, "catalog", "stac")),
    }
    findings = []
    for key, want in expected.items():
        have = _resolve(base, dcat.get(key))
        if have != want and (key in dcat or want is not None):
            wanted = want[len(base) + 1 :] if want else "absent"
            msg = f"`{key}` is `{shown(dcat.get(key))}` but the spec gives `{wanted}`; match it"
            findings.append(
                located(ctx, "D.catalog-mismatch", msg, path, (key,) if key in dcat else ())
            )
    return findings


def _resolve(base: str, ref: object) -> str | None:
    return resolve_relative(base, ref) if isinstance(ref, str) else None


def prov_complete(
    ctx: GateContext, slug: str, spec: Mapping[str, object], path: str, referenced: set[str]
) -> list[Finding]:
    """PROV names the spec, each receipt and each output (resolved, existing paths)."""
    base = dataset_dir(slug)
    wanted = ["spec.yaml"]
    receipts = spec.get("receipts")
    wanted += [r for r in receipts if isinstance(r, str)] if isinstance(receipts, list) else []
    outputs = spec.get("outputs")
    for out in outputs if isinstance(outputs, list) else []:
        if isinstance(text(out, "path"), str):
            wanted.append(str(text(out, "path")))
    missing = [
        ref for ref in wanted if (target := _resolve(base, ref)) and target not in referenced
    ]
    if not missing:
        return []
    msg = (
        f"PROV does not reference {', '.join(missing)}; add an entity with `kfm:path` "
        "(`kfm:spec` for the spec) or an activity with `kfm:receipt` for each"
    )
    return [located(ctx, "D.prov-incomplete", msg, path, ("entity",))]
