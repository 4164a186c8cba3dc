"""`kfm-bot export`: what a pack holds, and that the same inputs give the same bytes."""

from __future__ import annotations

import gzip
import hashlib
import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kfm_bot.canonical import sha256_digest
from tests.export.conftest import PUBLIC, Kfm, export
from tests.gitrepo import git

ROOT_FILES = {
    "export_spec.json",
    "artifact_manifest.json",
    "checksums.txt",
    "export_receipt.json",
    "provenance.json",
}


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_pack_holds_the_promoted_files_byte_exact_and_describes_them(
    promoted: tuple[Path, dict[str, str]], public_pack: tuple[Path, str]
) -> None:
    repo, versions = promoted
    out, printed_hash = public_pack
    files = files_of(out)
    version = versions[PUBLIC]
    manifest_path = f"registry/promotions/{PUBLIC}/{version}/promotion_manifest.json"
    manifest = json.loads(files[manifest_path])
    assert files[manifest_path] == (repo / manifest_path).read_bytes()
    for item in manifest["artifacts"] + manifest["catalogs"]:
        assert files[item["path"]] == (repo / item["path"]).read_bytes()
        assert sha256_digest(files[item["path"]]) == item["digest"]
    assert set(files) >= ROOT_FILES
    listing = json.loads(files["artifact_manifest.json"])["files"]
    roles = {f["path"]: f["role"] for f in listing}
    assert roles[manifest_path] == "manifest"
    assert roles[manifest["artifacts"][0]["path"]] == "artifact"
    assert {r for r in roles.values()} >= {"artifact", "catalog", "manifest", "decision"}
    assert set(roles) == set(files) - {
        "artifact_manifest.json",
        "export_receipt.json",
        "checksums.txt",
    }
    lines = files["checksums.txt"].decode().splitlines()
    assert lines == sorted(lines, key=lambda line: line.split("  ", 1)[1])
    assert [line.split("  ", 1)[1] for line in lines] == sorted(set(files) - {"checksums.txt"})
    for line in lines:
        hexdigest, path = line.split("  ", 1)
        assert hashlib.sha256(files[path]).hexdigest() == hexdigest
    receipt = json.loads(files["export_receipt.json"])
    assert receipt["created_at"] == manifest["released_at"]
    assert receipt["actor"] == "kfm-bot" and receipt["pack_hash"] == printed_hash
    assert receipt["source"]["manifest_digest"] == sha256_digest(files[manifest_path])
    assert receipt["policy"]["decision_id"] == manifest["policy"]["decision_id"]
    hashed = sorted(
        f"{p}:{sha256_digest(b)}"
        for p, b in files.items()
        if p not in {"export_receipt.json", "checksums.txt"}
    )
    assert sha256_digest("\n".join(hashed).encode()) == printed_hash
    spec = json.loads(files["export_spec.json"])
    assert spec == {
        "kfm_export_spec_version": "v1",
        "dataset_slug": PUBLIC,
        "dataset_version_id": version,
        "target_label": "public",
        "format": "tar.gz",
    }
    prov = json.loads(files["provenance.json"])
    assert f"kfm:pack/{manifest['artifacts'][0]['path']}" in prov["entity"]
    assert prov["wasDerivedFrom"] and prov["used"] and prov["wasGeneratedBy"]


def test_export_twice_and_from_two_fresh_clones_gives_identical_bytes(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path
) -> None:
    repo, versions = promoted
    sources = [repo, repo]
    for name in ("clone-a", "clone-b"):
        git(tmp_path, "clone", "-q", str(repo), name)
        sources.append(tmp_path / name)
    outs = []
    for i, source in enumerate(sources):
        out = tmp_path / f"out{i}" / "pack"
        done = export(kfm, source, PUBLIC, versions[PUBLIC], out, "--tarball")
        assert done.code == 0, done.err
        outs.append(out)
    first = files_of(outs[0])
    tarball = outs[0].with_name("pack.tar.gz").read_bytes()
    for out in outs[1:]:
        assert files_of(out) == first
        assert out.with_name("pack.tar.gz").read_bytes() == tarball


def test_tarball_is_normalised_sorted_and_rooted_in_one_folder(
    public_pack: tuple[Path, str],
) -> None:
    out, _ = public_pack
    raw = out.with_name("pack.tar.gz").read_bytes()
    assert raw[:4] == b"\x1f\x8b\x08\x00"  # gzip, no FNAME flag
    assert raw[4:8] == b"\x00\x00\x00\x00"  # gzip mtime 0
    released = json.loads((out / "export_receipt.json").read_text())["created_at"]
    with tarfile.open(out.with_name("pack.tar.gz")) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    version = json.loads((out / "export_spec.json").read_text())["dataset_version_id"]
    assert {n.split("/", 1)[0] for n in names} == {f"{PUBLIC}-{version}"}
    for m in members:
        assert m.isreg() and m.uid == 0 and m.gid == 0 and m.uname == "" and m.gname == ""
        assert m.mode == 0o644
    assert len({m.mtime for m in members}) == 1
    assert datetime.fromtimestamp(members[0].mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") == released
    assert gzip.decompress(raw)  # a whole stream


def test_actor_comes_from_the_environment(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, versions = promoted
    monkeypatch.setenv("GITHUB_ACTOR", "mara-osei")
    done = export(kfm, repo, PUBLIC, versions[PUBLIC], tmp_path / "p")
    assert done.code == 0, done.err
    assert json.loads((tmp_path / "p" / "export_receipt.json").read_text())["actor"] == "mara-osei"
    monkeypatch.setenv("GITHUB_ACTOR", "::error::evil\nline")
    done = export(kfm, repo, PUBLIC, versions[PUBLIC], tmp_path / "q")
    assert done.code == 2 and "GITHUB_ACTOR" in done.err and not (tmp_path / "q").exists()


def test_two_maintainers_exporting_the_same_version_get_the_same_pack_hash(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, versions = promoted
    packs = []
    for who in ("ana-lindqvist", "jon-okafor"):
        git(tmp_path, "clone", "-q", str(repo), who)
        git(tmp_path / who, "config", "user.name", who)
        git(tmp_path / who, "config", "user.email", f"{who}@example.org")
        monkeypatch.setenv("GITHUB_ACTOR", who)
        out = tmp_path / f"out-{who}" / "pack"
        done = export(kfm, tmp_path / who, PUBLIC, versions[PUBLIC], out, "--tarball")
        assert done.code == 0, done.err
        packs.append((done.out.split("pack_hash ")[1].strip(), files_of(out)))
    (hash_a, files_a), (hash_b, files_b) = packs
    assert hash_a == hash_b
    unhashed = {"export_receipt.json", "checksums.txt"}
    assert {p: b for p, b in files_a.items() if p not in unhashed} == {
        p: b for p, b in files_b.items() if p not in unhashed
    }
    receipt_a, receipt_b = (json.loads(f["export_receipt.json"]) for f in (files_a, files_b))
    assert (receipt_a.pop("actor"), receipt_b.pop("actor")) == ("ana-lindqvist", "jon-okafor")
    assert receipt_a == receipt_b
    assert b"ana-lindqvist" not in b"".join(b for p, b in files_a.items() if p not in unhashed)


def test_the_pack_holds_the_spec_receipts_and_qa_report_its_catalogs_link_to(
    promoted: tuple[Path, dict[str, str]], public_pack: tuple[Path, str]
) -> None:
    repo, _ = promoted
    out, _ = public_pack
    files = files_of(out)
    base = f"specs/{PUBLIC}"
    dcat = json.loads(files[f"{base}/catalog/dcat.json"])
    prov = json.loads(files[f"{base}/catalog/prov.json"])
    links = [dcat["kfm:spec"], dcat["kfm:prov"], dcat["kfm:stac"]]
    links += [d["dcat:accessURL"] for d in dcat["dcat:distribution"]]
    for section in ("entity", "activity"):
        for record in prov[section].values():
            links += [record[k] for k in ("kfm:spec", "kfm:receipt", "kfm:path") if k in record]
    assert "spec.yaml" in links and any(link.startswith("receipts/") for link in links)
    for link in links:
        assert files[f"{base}/{link}"] == (repo / base / link).read_bytes(), link
    roles = {f["path"]: f["role"] for f in json.loads(files["artifact_manifest.json"])["files"]}
    assert roles[f"{base}/spec.yaml"] == "spec"
    assert roles[f"{base}/qa/report.json"] == "qa"
    assert roles[f"{base}/receipts/ks_county_boundaries-20261103T091500Z.json"] == "receipt"
    manifest = json.loads(
        next(b for p, b in files.items() if p.endswith("manifest.json") and "promotions" in p)
    )
    assert sha256_digest(files[f"{base}/qa/report.json"]) == manifest["qa"]["report_digest"]
