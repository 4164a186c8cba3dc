"""`kfm-bot verify`: an intact pack says ok; each kind of tampering is named, first one first."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kfm_bot.export.layout import checksums_text
from tests.export.conftest import Kfm
from tests.export.forge import reseal_everything

Tamper = Callable[[Path], None]


def refresh_checksums(pack: Path) -> None:
    """Re-seal checksums.txt so that a deeper check is the first to fail."""
    files = {p.relative_to(pack).as_posix(): p.read_bytes() for p in pack.rglob("*") if p.is_file()}
    (pack / "checksums.txt").write_bytes(checksums_text(files))


def reseal_listing(pack: Path) -> None:
    """Re-seal artifact_manifest.json and checksums.txt: only the documents' own checks remain."""
    path = pack / "artifact_manifest.json"
    doc = json.loads(path.read_text())
    for f in doc["files"]:
        f["digest"] = "sha256:" + hashlib.sha256((pack / f["path"]).read_bytes()).hexdigest()
    path.write_text(json.dumps(doc))
    refresh_checksums(pack)


def artifact(pack: Path) -> Path:
    return next((pack / "specs").rglob("*.geojson"))


def edit_json(path: Path, key: str, value: object) -> None:
    doc = json.loads(path.read_text())
    doc[key] = value
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def test_an_intact_pack_and_its_tarball_verify(public_pack: tuple[Path, str], kfm: Kfm) -> None:
    out, pack_hash = public_pack
    for target in (out, out.with_name("pack.tar.gz")):
        done = kfm("verify", target)
        assert (done.code, done.out) == (0, f"ok {pack_hash}\n"), done.err


def _edit_artifact(pack: Path) -> None:
    artifact(pack).write_bytes(artifact(pack).read_bytes() + b" ")


def _extra_file(pack: Path) -> None:
    (pack / "notes.txt").write_text("hello\n")


def _missing_file(pack: Path) -> None:
    (pack / "specs/ks_county_boundaries/catalog/stac.json").unlink()


def _unsorted_checksums(pack: Path) -> None:
    lines = (pack / "checksums.txt").read_text().splitlines(keepends=True)
    (pack / "checksums.txt").write_text("".join(reversed(lines)))


def _bad_checksum_line(pack: Path) -> None:
    with (pack / "checksums.txt").open("a") as fh:
        fh.write("not a checksum line\n")


def _edit_artifact_resealed(pack: Path) -> None:
    _edit_artifact(pack)
    refresh_checksums(pack)


def _listing_dropped_a_file(pack: Path) -> None:
    path = pack / "artifact_manifest.json"
    doc = json.loads(path.read_text())
    doc["files"] = [f for f in doc["files"] if f["role"] != "catalog"]
    path.write_text(json.dumps(doc))
    refresh_checksums(pack)


def _receipt_invalid(pack: Path) -> None:
    edit_json(pack / "export_receipt.json", "operation", "delete")
    refresh_checksums(pack)


def _provenance_not_json(pack: Path) -> None:
    (pack / "provenance.json").write_text("{ nope")
    reseal_listing(pack)


def _receipt_pack_hash(pack: Path) -> None:
    edit_json(pack / "export_receipt.json", "pack_hash", "sha256:" + "2" * 64)
    refresh_checksums(pack)


def _receipt_manifest_digest(pack: Path) -> None:
    path = pack / "export_receipt.json"
    doc = json.loads(path.read_text())
    doc["source"]["manifest_digest"] = "sha256:" + "3" * 64
    path.write_text(json.dumps(doc))
    refresh_checksums(pack)


def _artifact_and_its_listings(pack: Path) -> None:
    """A forger who re-seals every pack-level listing is still caught by the promotion manifest."""
    _edit_artifact(pack)
    reseal_listing(pack)


def _manifest_invalid(pack: Path) -> None:
    manifest = next((pack / "registry").rglob("promotion_manifest.json"))
    edit_json(manifest, "released_at", "yesterday")
    reseal_listing(pack)


def _manifest_moved(pack: Path) -> None:
    old = next((pack / "registry").rglob("promotion_manifest.json"))
    new_rel = "registry/promotions/elsewhere/promotion_manifest.json"
    (pack / new_rel).parent.mkdir(parents=True)
    old.rename(pack / new_rel)
    path = pack / "artifact_manifest.json"
    doc = json.loads(path.read_text())
    for f in doc["files"]:
        if f["role"] == "manifest":
            f["path"] = new_rel
    path.write_text(json.dumps(doc))
    reseal_listing(pack)


def _receipt_outputs(pack: Path) -> None:
    path = pack / "export_receipt.json"
    doc = json.loads(path.read_text())
    doc["outputs"] = doc["outputs"][1:]
    path.write_text(json.dumps(doc))
    refresh_checksums(pack)


def _spec_changed(pack: Path) -> None:
    path = pack / "specs/ks_county_boundaries/spec.yaml"
    path.write_bytes(path.read_bytes().replace(b"simplify_percent: 5", b"simplify_percent: 50"))
    reseal_everything(pack)


def _qa_changed(pack: Path) -> None:
    edit_json(pack / "specs/ks_county_boundaries/qa/report.json", "status", "warn")
    reseal_everything(pack)


def _linked_receipt_dropped(pack: Path) -> None:
    gone = "specs/ks_county_boundaries/receipts/ks_county_boundaries-20261103T091500Z.json"
    (pack / gone).unlink()
    listing = json.loads((pack / "artifact_manifest.json").read_text())
    listing["files"] = [f for f in listing["files"] if f["path"] != gone]
    (pack / "artifact_manifest.json").write_text(json.dumps(listing))
    reseal_everything(pack)


def _provenance_dangles(pack: Path) -> None:
    path = pack / "provenance.json"
    doc = json.loads(path.read_text())
    doc["entity"]["kfm:pack/nowhere.json"] = {
        "prov:type": "kfm:PackFile",
        "kfm:path": "nowhere.json",
    }
    path.write_text(json.dumps(doc))
    reseal_everything(pack)


def _receipt_why(pack: Path) -> None:
    edit_json(pack / "export_receipt.json", "why", "a routine export")
    refresh_checksums(pack)


def _receipt_inputs(pack: Path) -> None:
    path = pack / "export_receipt.json"
    doc = json.loads(path.read_text())
    doc["inputs"] = doc["inputs"][1:]
    path.write_text(json.dumps(doc))
    refresh_checksums(pack)


def test_the_receipt_actor_is_unhashed_metadata(public_pack: tuple[Path, str], kfm: Kfm) -> None:
    """Who ran the export is a claim of the receipt, outside pack_hash; nothing else is."""
    out, pack_hash = public_pack
    edit_json(out / "export_receipt.json", "actor", "someone-else")
    refresh_checksums(out)
    done = kfm("verify", out)
    assert (done.code, done.out) == (0, f"ok {pack_hash}\n"), done.err


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_edit_artifact, "ks_counties_sample.geojson does not match its digest in checksums.txt"),
        (_extra_file, "notes.txt is in the pack but not listed in checksums.txt"),
        (_missing_file, "catalog/stac.json is listed in checksums.txt but missing from the pack"),
        (_unsorted_checksums, "checksums.txt is not sorted"),
        (_bad_checksum_line, "checksums.txt line 14 is not"),
        (_edit_artifact_resealed, "ks_counties_sample.geojson does not match its digest in artif"),
        (_listing_dropped_a_file, "catalog/dcat.json is in the pack but not listed in artifact_"),
        (_receipt_invalid, "export_receipt.json does not validate: operation"),
        (_provenance_not_json, "provenance.json does not validate: not valid JSON"),
        (_receipt_pack_hash, "pack_hash recomputes to sha256:"),
        (_receipt_manifest_digest, "does not match the manifest_digest of the receipt"),
        (_artifact_and_its_listings, "does not match the promotion manifest's digest"),
        (_manifest_invalid, "promotion_manifest.json does not validate: released_at"),
        (_manifest_moved, "is not where the promotion manifest of its version lives"),
        (_receipt_outputs, "the outputs in export_receipt.json do not match"),
        # the linked documents, and the receipt outside pack_hash
        (_spec_changed, "spec.yaml does not hash to the promotion manifest's spec_hash"),
        (_qa_changed, "report.json does not match the promotion manifest's qa.report_digest"),
        (_linked_receipt_dropped, "is missing from the pack; the spec names it as its receipt"),
        (_provenance_dangles, "provenance.json: entity kfm:pack/nowhere.json names no file"),
        (_receipt_why, "the receipt's why is not the one an export of this version writes"),
        (_receipt_inputs, "the inputs in export_receipt.json differ from provenance.json"),
    ],
)
def test_tampering_is_named(
    public_pack: tuple[Path, str], kfm: Kfm, tamper: Tamper, message: str
) -> None:
    out, _ = public_pack
    tamper(out)
    done = kfm("verify", out)
    assert done.code == 1 and message in done.err, done.err
    assert done.out == "" and done.err.count("\n") == 1


def test_a_link_in_a_pack_folder_is_refused(public_pack: tuple[Path, str], kfm: Kfm) -> None:
    out, _ = public_pack
    target = artifact(out)
    target.unlink()
    target.symlink_to("/etc/passwd")
    done = kfm("verify", out)
    assert done.code == 1 and "is not a regular file" in done.err


def test_a_missing_path_is_a_usage_error(kfm: Kfm, tmp_path: Path) -> None:
    done = kfm("verify", tmp_path / "nowhere")
    assert done.code == 2 and "does not exist" in done.err
