"""Each builder turns a clean example repository into one hostile tree, and names what must fire.

Built at test time, never committed: a committed symlink, gitlink or LFS pointer would make
`kfm-bot check --all` fail on this project's own tree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from tests.gitrepo import git

W = "specs/ks_water_wells"
RECEIPT = f"{W}/receipts/ks_water_wells-20261104T130000Z.json"
FIXTURE = f"{W}/fixtures/ks_wells_sample.geojson"
LFS_POINTER = (
    b"version https://git-lfs.github.com/spec/v1\n"
    b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    b"size 12345\n"
)
Builder = Callable[[Path], None]


def _write(repo: Path, path: str, data: bytes) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def symlink(repo: Path) -> None:
    (repo / f"{W}/fixtures/linked.geojson").symlink_to("ks_wells_sample.geojson")


def submodule(repo: Path) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},{W}/fixtures/vendored")
    (repo / f"{W}/fixtures/vendored").mkdir()  # an uninitialised submodule, as after a clone


def lfs_pointer(repo: Path) -> None:
    _write(repo, f"{W}/fixtures/ks_wells_full.geojson", LFS_POINTER)


def case_collision(repo: Path) -> None:
    _write(repo, f"{W}/fixtures/KS_Wells_Sample.geojson", (repo / FIXTURE).read_bytes())


def unicode_collision(repo: Path) -> None:
    # The same name twice: precomposed (NFC) and decomposed (NFD) "é".
    for name in ("caf\u00e9.geojson", "cafe\u0301.geojson"):
        _write(repo, f"{W}/fixtures/{name}", (repo / FIXTURE).read_bytes())


def _edit_json(repo: Path, path: str, edit: Callable[[dict[str, object]], None]) -> None:
    doc = json.loads((repo / path).read_text())
    edit(doc)
    _write(repo, path, (json.dumps(doc, indent=2) + "\n").encode())


def _catalog_link(link: str) -> Builder:
    def build(repo: Path) -> None:
        def edit(doc: dict[str, object]) -> None:
            doc["kfm:prov"] = link

        _edit_json(repo, f"{W}/catalog/dcat.json", edit)

    return build


def _receipt_output(path: str) -> Builder:
    digest = "sha256:" + hashlib.sha256(b"elsewhere").hexdigest()

    def build(repo: Path) -> None:
        def edit(doc: dict[str, object]) -> None:
            outputs = doc["outputs"]
            assert isinstance(outputs, list)
            outputs.append({"path": path, "digest": digest})

        _edit_json(repo, RECEIPT, edit)

    return build


def outside_layout(repo: Path) -> None:
    _write(repo, "registry/notes.txt", b"remember to refresh the wells\n")


# name -> (builder, rule that must fire, path the finding must point at)
TREES: dict[str, tuple[Builder, str, str]] = {
    "symlink": (symlink, "A.symlink", f"{W}/fixtures/linked.geojson"),
    "submodule": (submodule, "A.submodule", f"{W}/fixtures/vendored"),
    "lfs-pointer": (lfs_pointer, "A.lfs-pointer", f"{W}/fixtures/ks_wells_full.geojson"),
    "case-collision": (
        case_collision,
        "A.path-case-collision",
        f"{W}/fixtures/KS_Wells_Sample.geojson",
    ),
    "unicode-collision": (unicode_collision, "A.path-unicode-collision", f"{W}/fixtures/"),
    "catalog-dotdot": (
        _catalog_link("../../../etc/passwd"),
        "D.path-escape",
        f"{W}/catalog/dcat.json",
    ),
    "catalog-absolute": (_catalog_link("/etc/passwd"), "D.path-escape", f"{W}/catalog/dcat.json"),
    "receipt-dotdot": (
        _receipt_output("../ks_county_boundaries/x.geojson"),
        "E.path-outside",
        RECEIPT,
    ),
    "receipt-absolute": (_receipt_output("/srv/kfm/out/wells.parquet"), "E.path-outside", RECEIPT),
    "outside-layout": (outside_layout, "A.unexpected-path", "registry/notes.txt"),
}
