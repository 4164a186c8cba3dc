"""`kfm-bot export --target geojson_bundle`: renderings of published artifacts, generalised."""

from __future__ import annotations

import filecmp
import json
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from kfm_bot.canonical import sha256_digest
from tests.export.bundle_world import (
    PUBLIC,
    PUBLIC_SOURCE,
    RESTRICTED,
    RESTRICTED_EXPECTED,
    RESTRICTED_SOURCE,
    bundle_world,
    encoded,
    key_of,
    put,
    storage_yaml,
)
from tests.export.conftest import Kfm, Result
from tests.gitrepo import commit_all, git

World = tuple[Path, Path, dict[str, str]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return bundle_world(tmp_path_factory.mktemp("bundle"))


def bundle(
    kfm: Kfm, repo: Path, zone: Path, slug: str, version: str, out: Path, *extra: str
) -> Result:
    return kfm(
        "export",
        "--repo",
        repo,
        "--slug",
        slug,
        "--version",
        version,
        "--out",
        out,
        "--target",
        "geojson_bundle",
        *extra,
    )


def test_restricted_version_is_generalised_by_its_plan(
    world: World, kfm: Kfm, tmp_path: Path
) -> None:
    repo, zone, versions = world
    out = tmp_path / "pack"
    done = bundle(kfm, repo, zone, RESTRICTED, versions[RESTRICTED], out, "--label", "restricted")
    assert done.code == 0, done.err
    rendered = sorted((out / "bundle").rglob("*.geojson"))
    assert len(rendered) == 1
    assert rendered[0].read_bytes() == RESTRICTED_EXPECTED.encode("ascii")
    receipt = json.loads((out / "export_receipt.json").read_bytes())
    assert receipt["generalisation_applied"] == {
        "method": "aggregate",
        "precision_decimals": 2,
        "min_cell_count": 3,
        "count_property": "site_count",
        "suppress_properties": ["surveyor"],
    }
    states = {i["source"]: i for i in receipt["items"]}
    zone_item = next(i for s, i in states.items() if s.startswith("published/"))
    assert zone_item["state"] == "generalised"
    assert zone_item["generalisation"] == {
        "features_read": 3,
        "features_written": 2,
        "features_suppressed": 1,
        "suppressed_because": {"site_count below 3": 1},
        "coordinates_rounded": 3,
        "properties_rounded": 1,
        "properties_dropped": 1,
        "members_dropped": 1,
    }
    fixture = states["specs/archaeo_site_density/fixtures/site_density_sample.geojson"]
    assert fixture["state"] == "withheld"
    assert "not an object of the published zone" in fixture["reason"]
    assert "withheld" in done.out and "generalised" in done.out


def test_pack_manifest_names_version_time_sources_and_checksums(
    world: World, kfm: Kfm, tmp_path: Path
) -> None:
    repo, zone, versions = world
    out = tmp_path / "pack"
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], out)
    assert done.code == 0, done.err
    manifest = json.loads((out / "pack_manifest.json").read_bytes())
    assert manifest["dataset_version_id"] == versions[PUBLIC]
    assert manifest["released_at"] == "2026-11-03T10:00:00Z"  # the promotion's merge time
    assert manifest["crs"] == "OGC:CRS84"
    assert [s["uri"].split("/")[0] for s in manifest["sources"]] == ["published", "specs"]
    assert {i["state"] for i in manifest["items"]} == {"exported", "withheld"}
    for entry in manifest["files"]:
        assert sha256_digest((out / entry["path"]).read_bytes()) == entry["digest"]
    lines = (out / "checksums.txt").read_text().splitlines()
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert [line.split("  ")[1] for line in lines] == [f for f in files if f != "checksums.txt"]
    for line in lines:
        digest, path = line.split("  ")
        assert sha256_digest((out / path).read_bytes()) == f"sha256:{digest}"
    rendered = (out / manifest["files"][0]["path"]).read_text()
    assert '"crs"' not in rendered and "\r" not in rendered
    receipt = json.loads((out / "export_receipt.json").read_bytes())
    own = sha256_digest((out / "pack_manifest.json").read_bytes())
    listed = [
        *(f"{e['path']}:{e['digest']}" for e in manifest["files"]),
        f"pack_manifest.json:{own}",
    ]
    assert receipt["pack_hash"] == sha256_digest("\n".join(sorted(listed)).encode())
    assert done.out.strip().endswith(receipt["pack_hash"])


def test_dry_run_prints_the_plan_and_writes_nothing(world: World, kfm: Kfm, tmp_path: Path) -> None:
    repo, _zone, versions = world
    out = tmp_path / "pack"
    done = kfm(
        "export",
        "--repo",
        repo,
        "--slug",
        RESTRICTED,
        "--version",
        versions[RESTRICTED],
        "--out",
        out,
        "--label",
        "restricted",
        "--target",
        "geojson_bundle",
        "--dry-run",
    )
    assert done.code == 0, done.err
    assert "render   published/" in done.out
    assert "withhold specs/archaeo_site_density/fixtures/site_density_sample.geojson" in done.out
    assert "precision_decimals=2" in done.out and "min_cell_count=3" in done.out
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_restricted_version_is_not_rendered_into_a_public_pack(
    world: World, kfm: Kfm, tmp_path: Path
) -> None:
    repo, zone, versions = world
    done = bundle(kfm, repo, zone, RESTRICTED, versions[RESTRICTED], tmp_path / "pack")
    assert done.code == 1
    assert "more restricted than a 'public' pack" in done.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("zone_name", ["raw", "work", "processed"])
def test_an_artifact_outside_the_published_zone_refuses_the_export(
    tmp_path: Path, kfm: Kfm, zone_name: str
) -> None:
    data = encoded(RESTRICTED_SOURCE)
    artifact = {
        "uri": f"{zone_name}/{key_of(PUBLIC, data)}",
        "source": f"processed/{key_of(PUBLIC, data)}",
        "size": len(data),
        "digest": sha256_digest(data),
        "media_type": "application/geo+json",
    }
    repo, zone, versions = bundle_world(tmp_path / "w", {PUBLIC: [artifact]})
    out = tmp_path / "pack"
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], out, "--dry-run")
    assert done.code == 1
    assert f"artifacts[1]: {zone_name}/" in done.err
    assert f"in the {zone_name} zone; exports are built from the published zone only" in done.err
    assert not out.exists()


def test_published_bytes_that_differ_from_the_manifest_write_nothing(
    tmp_path: Path, kfm: Kfm
) -> None:
    world = tmp_path / "w"
    repo, zone, versions = bundle_world(world)
    key = key_of(PUBLIC, encoded(PUBLIC_SOURCE))
    (zone / key).write_bytes((zone / key).read_bytes().replace(b"Douglas", b"Dougla5"))
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], tmp_path / "pack")
    assert done.code == 1
    assert "does not have the digest the promotion manifest records" in done.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w"]


def test_a_missing_published_object_fails_the_export(tmp_path: Path, kfm: Kfm) -> None:
    repo, zone, versions = bundle_world(tmp_path / "w")
    for path in zone.rglob("*.geojson"):
        path.unlink()
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], tmp_path / "pack")
    assert done.code == 1
    assert "is missing from the published zone" in done.err
    assert not (tmp_path / "pack").exists()


def test_unrenderable_content_is_withheld_with_its_reason(tmp_path: Path, kfm: Kfm) -> None:
    world = tmp_path / "w"
    zone = world / "published"
    zone.mkdir(parents=True)
    other_crs = dict(RESTRICTED_SOURCE, crs={"type": "name", "properties": {"name": "EPSG:5070"}})
    seq = b"".join(b"\x1e" + json.dumps(f).encode() + b"\n" for f in RESTRICTED_SOURCE["features"])
    artifacts = [put(zone, PUBLIC, encoded(other_crs)), put(zone, PUBLIC, seq, ".geojsonl")]
    repo, _, versions = bundle_world(world, {PUBLIC: artifacts})
    out = tmp_path / "pack"
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], out)
    assert done.code == 0, done.err
    items = {i["source"]: i for i in json.loads((out / "pack_manifest.json").read_bytes())["items"]}
    crs_item = items[artifacts[0]["uri"]]
    assert crs_item["state"] == "withheld"
    assert "not WGS 84 longitude/latitude" in crs_item["reason"]
    assert items[artifacts[1]["uri"]]["state"] == "generalised"  # a public plan: 6 places
    seq_out = (out / items[artifacts[1]["uri"]]["path"]).read_text()
    assert seq_out.count('"type":"Feature"') == 3
    assert "[-95.251234,38.948765]" in seq_out and "[-0.000100,38.360000]" in seq_out


def _made(world: World, kfm: Kfm, tmp_path: Path) -> tuple[Path, str]:
    repo, zone, versions = world
    out = tmp_path / "pack"
    done = bundle(
        kfm,
        repo,
        zone,
        RESTRICTED,
        versions[RESTRICTED],
        out,
        "--label",
        "restricted",
        "--tarball",
    )
    assert done.code == 0, done.err
    return out, done.out.split("pack_hash ")[1].strip()


def test_verify_checks_a_bundle_folder_and_tarball_against_the_repository(
    world: World, kfm: Kfm, tmp_path: Path
) -> None:
    repo = world[0]
    out, pack_hash = _made(world, kfm, tmp_path)
    for path in (out, out.with_name("pack.tar.gz")):
        done = kfm("verify", path, "--repo", repo)
        assert done.code == 0, done.err
        assert done.out.splitlines()[0] == f"ok {pack_hash}"
        assert f"tag {RESTRICTED}/" in done.out


@pytest.mark.parametrize(
    "tamper, message",
    [
        ("rendering", "does not match its digest in checksums.txt"),
        ("state", "does not match its digest in checksums.txt"),
        ("extra", "is in the pack but not listed in checksums.txt"),
    ],
)
def test_verify_names_the_first_mismatch_of_a_tampered_bundle(
    world: World, kfm: Kfm, tmp_path: Path, tamper: str, message: str
) -> None:
    out, _ = _made(world, kfm, tmp_path)
    if tamper == "rendering":
        rendered = next((out / "bundle").rglob("*.geojson"))
        rendered.write_bytes(rendered.read_bytes().replace(b"-95.25", b"-95.2512"))
    elif tamper == "state":
        manifest = out / "pack_manifest.json"
        manifest.write_bytes(manifest.read_bytes().replace(b'"withheld"', b'"exported"'))
    else:
        (out / "bundle" / "more.geojson").write_bytes(b"{}")
    done = kfm("verify", out)
    assert done.code == 1
    assert message in done.err


def test_verify_refuses_a_bundle_whose_checksums_were_recomputed(
    world: World, kfm: Kfm, tmp_path: Path
) -> None:
    out, _ = _made(world, kfm, tmp_path)
    rendered = next((out / "bundle").rglob("*.geojson"))
    rendered.write_bytes(rendered.read_bytes().replace(b"-95.25", b"-95.2512"))
    lines = [
        f"{sha256_digest(p.read_bytes())[7:]}  {p.relative_to(out).as_posix()}\n"
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "checksums.txt"
    ]
    (out / "checksums.txt").write_text("".join(lines))
    done = kfm("verify", out)
    assert done.code == 1
    assert "does not match its digest in pack_manifest.json" in done.err


def test_a_link_out_of_the_published_zone_is_not_followed(tmp_path: Path, kfm: Kfm) -> None:
    repo, zone, versions = bundle_world(tmp_path / "w")
    outside = tmp_path / "outside"
    (zone / PUBLIC).rename(outside)
    (zone / PUBLIC).symlink_to(outside, target_is_directory=True)
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], tmp_path / "pack")
    assert done.code == 1
    assert "is missing from the published zone" in done.err


def test_the_zone_named_at_the_promotion_commit_is_read_not_a_later_one(
    tmp_path: Path, kfm: Kfm
) -> None:
    """A later commit (or a branch) cannot redirect an export: storage.yaml is read as the
    promotion committed it; --published-zone reads a copy, e.g. on an air-gapped machine."""
    repo, zone, versions = bundle_world(tmp_path / "w")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "policies" / "storage.yaml").write_text(storage_yaml(elsewhere.as_uri()))
    commit_all(repo, "storage: a later published zone")
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], tmp_path / "pack")
    assert done.code == 0, done.err
    copy = tmp_path / "air-gapped"
    shutil.copytree(zone, copy)
    shutil.rmtree(zone)
    out = tmp_path / "from-copy"
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], out, "--published-zone", copy.as_uri())
    assert done.code == 0, done.err
    assert filecmp.cmpfiles(tmp_path / "pack", out, ["pack_manifest.json", "checksums.txt"]) == (
        ["pack_manifest.json", "checksums.txt"],
        [],
        [],
    )
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], tmp_path / "gone")
    assert done.code == 1 and "is missing from the published zone" in done.err


@pytest.mark.parametrize(
    "url", ["http://example.org/zone", "s3://user:hunter2@bucket/p", "s3://bucket/p?secret=hunter2"]
)
def test_a_published_zone_url_that_is_not_a_zone_is_refused_without_echo(
    world: World, kfm: Kfm, tmp_path: Path, url: str
) -> None:
    repo, zone, versions = world
    done = bundle(
        kfm, repo, zone, PUBLIC, versions[PUBLIC], tmp_path / "p", "--published-zone", url
    )
    assert done.code == 2
    assert "--published-zone: not a zone URL" in done.err
    assert "hunter2" not in done.out + done.err
    assert not (tmp_path / "p").exists()


def test_an_unreachable_zone_exits_3_without_a_credential(
    world: World, kfm: Kfm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, zone, versions = world
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    secret = "kfm-export-test-secret-0c1d"
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAKFMEXPORTTEST01")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    out = tmp_path / "pack"
    done = bundle(
        kfm, repo, zone, PUBLIC, versions[PUBLIC], out, "--published-zone", "s3://kfm/published"
    )
    assert done.code == 3, done.err
    assert "zone 'published' (s3://kfm/published) failed on GET" in done.err
    assert secret not in done.out + done.err
    assert not out.exists() and not list(tmp_path.glob(".pack.*"))


def test_a_rendered_pack_carries_prov_and_the_documents_of_the_version(
    world: World, kfm: Kfm, tmp_path: Path
) -> None:
    repo = world[0]
    out, _ = _made(world, kfm, tmp_path)
    manifest = json.loads((out / "pack_manifest.json").read_bytes())
    roles = {f["path"]: f["role"] for f in manifest["files"]}
    base = f"specs/{RESTRICTED}"
    promotion = f"registry/promotions/{RESTRICTED}/{world[2][RESTRICTED]}/promotion_manifest.json"
    assert {p: r for p, r in roles.items() if r != "rendering"} == {
        f"{base}/spec.yaml": "spec",
        f"{base}/receipts/archaeo_site_density-20261105T080000Z.json": "receipt",
        f"{base}/qa/report.json": "qa",
        promotion: "promotion_manifest",
        "provenance.json": "provenance",
    }
    for path in roles:  # every repository document as committed at the promotion commit
        if roles[path] not in ("rendering", "provenance"):
            committed = _committed(repo, path)
            assert (out / path).read_bytes() == committed, path
    prov = json.loads((out / "provenance.json").read_bytes())
    rendering = next(p for p, r in roles.items() if r == "rendering")
    source = next(i["source"] for i in manifest["items"] if i.get("path") == rendering)
    assert {
        "prov:generatedEntity": f"kfm:pack/{rendering}",
        "prov:usedEntity": f"kfm:zone/{source}",
    } in prov["wasDerivedFrom"].values()
    commit = json.loads((out / "export_receipt.json").read_bytes())["source"]["promotion_commit"]
    assert prov["entity"][f"kfm:repo/{promotion}"]["kfm:commit"] == commit
    assert f"Kfm-Promotion: {RESTRICTED}/" in git(repo, "log", "-1", "--format=%B", commit)


STATEMENT = "statement.dsse.json"


def _committed(repo: Path, path: str) -> bytes:
    shown = subprocess.run(
        ["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, check=True
    )
    return shown.stdout


def _statement(manifest: bytes) -> dict[str, bytes]:
    """A signed-statement-shaped file beside the manifest (its content is not ours to read)."""
    envelope = {"payloadType": "application/vnd.in-toto+json", "payload": "e30=", "signatures": []}
    return {STATEMENT: json.dumps(envelope, sort_keys=True).encode() + b"\n", "notes.txt": b"x"}


def test_the_signed_statement_beside_the_manifest_is_carried_and_verified(
    tmp_path: Path, kfm: Kfm
) -> None:
    repo, zone, versions = bundle_world(tmp_path / "w", beside=_statement)
    folder = f"registry/promotions/{PUBLIC}/{versions[PUBLIC]}"
    out = tmp_path / "pack"
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], out)
    assert done.code == 0, done.err
    committed = _committed(repo, f"{folder}/{STATEMENT}")
    assert (out / folder / STATEMENT).read_bytes() == committed
    assert not (out / folder / "notes.txt").exists()
    listed = json.loads((out / "pack_manifest.json").read_bytes())["files"]
    assert {"path": f"{folder}/{STATEMENT}", "role": "statement"}.items() <= next(
        f for f in listed if f["path"].endswith(STATEMENT)
    ).items()
    assert kfm("verify", out, "--repo", repo).code == 0
    # A statement swapped in the pack, with every digest and pack_hash recomputed, passes the
    # self-check but not the repository's.
    forged = tmp_path / "forged"
    shutil.copytree(out, forged)
    statement = forged / folder / STATEMENT
    statement.write_bytes(statement.read_bytes().replace(b"e30=", b"eyJ9"))
    _reseal(forged)
    assert kfm("verify", forged).code == 0
    done = kfm("verify", forged, "--repo", repo)
    assert done.code == 1
    assert f"{folder}/{STATEMENT} in the pack is not the statement committed" in done.err
    # A pack that leaves the statement out does not verify against the repository either.
    (forged / folder / STATEMENT).unlink()
    _reseal(forged)
    done = kfm("verify", forged, "--repo", repo)
    assert done.code == 1
    assert f"{folder}/{STATEMENT} is committed at the promotion commit but not" in done.err


def _reseal(pack: Path) -> None:
    """What a forger does after editing a pack: recompute every digest and pack_hash."""
    manifest_path, receipt_path = pack / "pack_manifest.json", pack / "export_receipt.json"
    manifest = json.loads(manifest_path.read_bytes())
    manifest["files"] = [f for f in manifest["files"] if (pack / f["path"]).exists()]
    for f in manifest["files"]:
        if f["path"] != "provenance.json":
            f["digest"] = sha256_digest((pack / f["path"]).read_bytes())
    prov = json.loads((pack / "provenance.json").read_bytes())
    for key, entity in list(prov["entity"].items()):
        path = entity.get("kfm:path")
        if key.startswith("kfm:pack/") and not (pack / path).exists():
            del prov["entity"][key]
            prov["wasGeneratedBy"] = {
                k: v for k, v in prov["wasGeneratedBy"].items() if v["prov:entity"] != key
            }
            prov["wasDerivedFrom"] = {
                k: v for k, v in prov["wasDerivedFrom"].items() if v["prov:generatedEntity"] != key
            }
        elif key.startswith("kfm:pack/"):
            entity["kfm:digest"] = sha256_digest((pack / path).read_bytes())
    (pack / "provenance.json").write_text(json.dumps(prov))
    for f in manifest["files"]:
        f["digest"] = sha256_digest((pack / f["path"]).read_bytes())
    manifest_path.write_text(json.dumps(manifest))
    receipt = json.loads(receipt_path.read_bytes())
    hashed = {
        p.relative_to(pack).as_posix(): sha256_digest(p.read_bytes())
        for p in pack.rglob("*")
        if p.is_file() and p.name not in ("export_receipt.json", "checksums.txt")
    }
    receipt["outputs"] = [{"path": p, "digest": d} for p, d in sorted(hashed.items())]
    receipt["pack_hash"] = sha256_digest(
        "\n".join(sorted(f"{p}:{d}" for p, d in hashed.items())).encode()
    )
    receipt_path.write_text(json.dumps(receipt))
    lines = [
        f"{sha256_digest(p.read_bytes())[7:]}  {p.relative_to(pack).as_posix()}\n"
        for p in sorted(pack.rglob("*"), key=lambda p: p.relative_to(pack).as_posix())
        if p.is_file() and p.name != "checksums.txt"
    ]
    (pack / "checksums.txt").write_text("".join(lines))
