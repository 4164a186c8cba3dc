"""`kfm-bot verify PACK --repo DIR`: a forger who recomputes every digest is still refused.

The forger's tools are the bot's own: a fork where the artifact was changed and the version
promoted again (same slug, same version id), and a pack edited in place and resealed. Each
such pack verifies on its own; against the genuine repository it is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kfm_bot.canonical import sha256_digest
from kfm_bot.ledger.chain import Ledger
from tests.export.conftest import PUBLIC, Kfm, copy_tree, export
from tests.export.forge import reseal_everything
from tests.export.promoted_repo import promote
from tests.gitrepo import commit_all, git, init_example_repo

FIXTURE = f"specs/{PUBLIC}/fixtures/ks_counties_sample.geojson"
RECEIPT = f"specs/{PUBLIC}/receipts/ks_county_boundaries-20261103T091500Z.json"


def forged_fork(repo: Path, dest: Path) -> Path:
    """A clone whose fixture was edited before the version was promoted again, as the bot would."""
    git(dest.parent, "clone", "-q", str(repo), dest.name)
    first_promotion = git(dest, "log", "--format=%H", "--grep=Kfm-Promotion", "--reverse")
    git(dest, "reset", "-q", "--hard", first_promotion.split()[0] + "~1")
    fixture = dest / FIXTURE
    fixture.write_bytes(fixture.read_bytes().replace(b"Douglas", b"Dougl4s", 1))
    receipt = json.loads((dest / RECEIPT).read_text())
    receipt["outputs"][0]["digest"] = sha256_digest(fixture.read_bytes())
    (dest / RECEIPT).write_text(json.dumps(receipt, indent=2) + "\n")
    commit_all(dest, "a forger's data")
    git(dest, "tag", "-d", *git(dest, "tag", "--list").split())
    promote(dest, PUBLIC)
    return dest


@pytest.fixture
def forged_pack(promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path) -> Path:
    repo, versions = promoted
    fork = forged_fork(repo, tmp_path / "fork")
    out = tmp_path / "forged"
    done = export(kfm, fork, PUBLIC, versions[PUBLIC], out)
    assert done.code == 0, done.err
    return out


def test_a_pack_from_a_forged_fork_verifies_alone_but_not_against_the_repository(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, forged_pack: Path
) -> None:
    repo, _ = promoted
    alone = kfm("verify", forged_pack)
    assert alone.code == 0 and alone.out.startswith("ok sha256:")
    assert "not against a repository" in alone.err and "--repo" in alone.err
    done = kfm("verify", forged_pack, "--repo", repo)
    assert done.code == 1 and done.out == "", done.err
    assert "promotion manifest is not the one" in done.err
    assert "'artifacts' field differs" in done.err and done.err.count("\n") == 1


def test_an_intact_pack_matches_its_repository(
    promoted: tuple[Path, dict[str, str]], public_pack: tuple[Path, str], kfm: Kfm
) -> None:
    repo, versions = promoted
    out, pack_hash = public_pack
    for target in (out, out.with_name("pack.tar.gz")):
        done = kfm("verify", target, "--repo", repo)
        assert done.code == 0 and done.err == "", done.err
        first, second = done.out.splitlines()
        assert first == f"ok {pack_hash}"
        assert f"ledger line 1, tag {PUBLIC}/{versions[PUBLIC]}" in second


def _linked_receipt(pack: Path) -> None:
    path = pack / RECEIPT
    path.write_bytes(path.read_bytes().replace(b"svc:kfm-pipeline", b"svc:someone-else"))


def _spec_comment(pack: Path) -> None:
    """A comment changes the file but not its spec_hash, so the promotion manifest still fits."""
    path = pack / f"specs/{PUBLIC}/spec.yaml"
    path.write_bytes(path.read_bytes() + b"# approved by nobody\n")


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_linked_receipt, f"{RECEIPT} is not the file"),
        (_spec_comment, f"specs/{PUBLIC}/spec.yaml is not the file"),
    ],
)
def test_a_resealed_edit_outside_the_promotion_manifest_is_refused(
    promoted: tuple[Path, dict[str, str]],
    public_pack: tuple[Path, str],
    kfm: Kfm,
    tamper: Callable[[Path], None],
    message: str,
) -> None:
    repo, _ = promoted
    out, _ = public_pack
    tamper(out)
    reseal_everything(out)
    assert kfm("verify", out).code == 0
    done = kfm("verify", out, "--repo", repo)
    assert done.code == 1 and message in done.err, done.err


def _rewrite_history(repo: Path, version: str, manifest: bytes) -> None:
    """The forger commits their manifest and rewrites the ledger with a recomputed chain."""
    path = repo / f"registry/promotions/{PUBLIC}/{version}/promotion_manifest.json"
    path.write_bytes(manifest)
    ledger = Ledger(())
    for entry in Ledger.parse((repo / "registry/ledger.jsonl").read_bytes()).entries():
        fields = {k: v for k, v in entry.items() if k not in {"seq", "prev"}}
        if entry["dataset_version_id"] == version:
            fields["manifest_digest"] = sha256_digest(manifest)
        ledger, _ = ledger.append(fields)
    (repo / "registry/ledger.jsonl").write_bytes(ledger.to_bytes())
    commit_all(repo, "rewrite")


def test_a_repository_rewritten_to_match_the_forgery_is_refused(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, forged_pack: Path, tmp_path: Path
) -> None:
    """The chain recomputes, but the ledger's anchors in git do not: the rewrite is named."""
    repo, versions = promoted
    version = versions[PUBLIC]
    copy = copy_tree(repo, tmp_path / "rewritten")
    forged_manifest = next((forged_pack / "registry").rglob("promotion_manifest.json"))
    _rewrite_history(copy, version, forged_manifest.read_bytes())
    ledger = kfm("ledger", "verify", "--repo", copy)
    assert ledger.code == 1 and "A.ledger-anchor" in ledger.err, ledger.err
    done = kfm("verify", forged_pack, "--repo", copy)
    assert done.code == 1, done.err
    assert "ledger" in done.err, done.err


def _no_tag(repo: Path, name: str) -> None:
    git(repo, "tag", "-d", name)


def _lightweight_tag(repo: Path, name: str) -> None:
    commit = git(repo, "rev-parse", f"{name}^{{commit}}")
    git(repo, "tag", "-f", name, commit)


def _tag_elsewhere(repo: Path, name: str) -> None:
    message = git(repo, "tag", "-l", "--format=%(contents)", name)
    git(repo, "tag", "-f", "-a", name, f"{name}~1", "-m", message)


def _tag_digest_forged(repo: Path, name: str) -> None:
    """The tag stays at its commit and keeps its ledger anchor; only its manifest digest lies."""
    message = git(repo, "tag", "-l", "--format=%(contents)", name)
    forged = re.sub(
        r"Manifest-Digest: sha256:[0-9a-f]{64}", "Manifest-Digest: sha256:" + "0" * 64, message
    )
    assert forged != message
    git(repo, "tag", "-f", "-a", name, f"{name}^{{commit}}", "-m", forged)


def _ledger_edited(repo: Path, name: str) -> None:
    path = repo / "registry/ledger.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"pr_number":7', b'"pr_number":8', 1))
    commit_all(repo, "edit the ledger")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_ledger_edited, "does not verify: registry/ledger.jsonl"),
        (_no_tag, "is missing; fetch the tags"),
        (_lightweight_tag, "is not an annotated tag"),
        (_tag_elsewhere, "not at the promotion commit"),
        (_tag_digest_forged, "carries Manifest-Digest"),
    ],
)
def test_the_ledger_and_release_tag_must_verify_and_agree(
    promoted: tuple[Path, dict[str, str]],
    public_pack: tuple[Path, str],
    kfm: Kfm,
    tmp_path: Path,
    edit: Callable[[Path, str], None],
    message: str,
) -> None:
    repo, versions = promoted
    out, _ = public_pack
    copy = copy_tree(repo, tmp_path / "copy")
    edit(copy, f"{PUBLIC}/{versions[PUBLIC]}")
    done = kfm("verify", out, "--repo", copy)
    assert done.code == 1 and message in done.err, done.err


def test_a_version_the_repository_never_promoted_is_refused(
    public_pack: tuple[Path, str], kfm: Kfm, tmp_path: Path
) -> None:
    out, _ = public_pack
    done = kfm("verify", out, "--repo", init_example_repo(tmp_path / "other"))
    assert done.code == 1 and "has no promotion of" in done.err, done.err


def test_a_missing_repository_is_a_usage_error(
    public_pack: tuple[Path, str], kfm: Kfm, tmp_path: Path
) -> None:
    out, _ = public_pack
    done = kfm("verify", out, "--repo", tmp_path)
    assert done.code == 2 and "is not a git repository" in done.err
