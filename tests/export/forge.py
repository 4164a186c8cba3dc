"""What a forger does to a pack: edit files, then recompute every digest the pack carries.

After `reseal_everything` the pack is consistent with itself (PROV, artifact_manifest.json,
the receipt's outputs, inputs and pack_hash, checksums.txt), so only the repository can tell.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kfm_bot.canonical import json_file_bytes, sha256_digest
from kfm_bot.export.layout import checksums_text, pack_hash


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def reseal_everything(pack: Path) -> None:
    """Recompute, in dependency order, every digest that names a file of the pack."""
    _reseal_provenance(pack)
    listing = _load(pack / "artifact_manifest.json")
    for item in listing["files"]:
        item["digest"] = sha256_digest((pack / item["path"]).read_bytes())
    _dump(pack / "artifact_manifest.json", listing)
    files = files_of(pack)
    receipt = _load(pack / "export_receipt.json")
    hashed = {p: b for p, b in files.items() if p not in {"export_receipt.json", "checksums.txt"}}
    receipt["outputs"] = [
        {"path": p, "digest": sha256_digest(b)} for p, b in sorted(hashed.items())
    ]
    receipt["inputs"] = [
        {"path": i["path"], "digest": sha256_digest(files[i["path"]])} if i["path"] in files else i
        for i in receipt["inputs"]
    ]
    manifest = next(p for p in files if p.endswith("/promotion_manifest.json"))
    receipt["source"]["manifest_digest"] = sha256_digest(files[manifest])
    receipt["pack_hash"] = pack_hash(files)
    _dump(pack / "export_receipt.json", receipt)
    (pack / "checksums.txt").write_bytes(checksums_text(files_of(pack)))


def _reseal_provenance(pack: Path) -> None:
    prov = _load(pack / "provenance.json")
    for record in prov["entity"].values():
        path = pack / record["kfm:path"]
        if path.is_file() and record["prov:type"] in {"kfm:PackFile", "kfm:RepositoryFile"}:
            record["kfm:digest"] = sha256_digest(path.read_bytes())
    _dump(pack / "provenance.json", prov)


def _load(path: Path) -> Any:
    return json.loads(path.read_text())


def _dump(path: Path, doc: Any) -> None:
    path.write_bytes(json_file_bytes(doc))
