"""Large registries for the benchmarks: N source entries and M datasets, then a one-dataset change.

    python -m benchmarks.generate_registry --sources 50000 --datasets 10000 REPO

REPO gets the project's example content on `main`, then one commit (written by one
`git fast-import`) that adds source entries cloned from the example's first public active
source and dataset folders cloned from its first public dataset, each under a new id and each
valid: a clone's receipts and attestation carry the spec_hash, version id and file digests of
the clone, as `kfm_bot.scaffold.refresh` would write them. Branch `change` then edits one
example dataset's spec title: the one-dataset change the check benchmarks time. 50,000 sources
take seconds; checking the files out takes longer, and the check benchmarks, which read commits,
skip it (`--no-checkout`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.gitrepo import GIT_ENV, git, init_example_repo

WHO = b"Bench Author <bench@example.org> 1793000000 +0000"
CHANGED_SPEC = "specs/archaeo_site_density/spec.yaml"  # the dataset branch `change` edits


def _template_source(repo: Path) -> tuple[str, str]:
    """A public, active source entry to clone (its id and text)."""
    for path in sorted((repo / "registry/sources").glob("*.yaml")):
        text = path.read_text()
        if "policy_label: public" in text and "status: active" in text:
            return path.stem, text
    raise SystemExit("no public active source in the example content")


def _template_dataset(repo: Path) -> tuple[str, dict[str, str]]:
    """A public dataset to clone: its slug and its files (path under its folder -> text)."""
    for spec in sorted((repo / "specs").glob("*/spec.yaml")):
        if "policy_label: public" in spec.read_text():
            folder = spec.parent
            files = {
                p.relative_to(folder).as_posix(): p.read_text()
                for p in sorted(folder.rglob("*"))
                if p.is_file()
            }
            return folder.name, files
    raise SystemExit("no public dataset in the example content")


def _sha256(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _render(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"  # as scaffold/refresh writes


class _DatasetCloner:
    """Clones of one dataset folder under new slugs, their evidence recomputed in memory."""

    def __init__(self, slug: str, files: dict[str, str]) -> None:
        from kfm_bot.yaml.strict import load_strict

        self.slug = slug
        self.files = files
        loaded = load_strict(files["spec.yaml"].encode(), "spec.yaml")
        if loaded.data is None:
            raise SystemExit(f"the example spec of {slug} does not load")
        self.spec_json = json.dumps(loaded.data)

    def clone(self, new: str) -> dict[str, str]:
        from kfm_bot.canonical import spec_hash

        files = {
            p.replace(self.slug, new): t.replace(self.slug, new) for p, t in self.files.items()
        }
        spec: dict[str, Any] = json.loads(self.spec_json.replace(self.slug, new))
        digest = spec_hash(spec)
        for rel in spec.get("receipts", []):
            receipt = json.loads(files[rel])
            month = str(receipt["dataset_version_id"]).split(".")[0]
            receipt["spec_hash"] = digest
            receipt["dataset_version_id"] = f"{month}.{digest[7:15]}"
            for item in [*receipt["outputs"], *receipt["inputs"]]:
                if item.get("path"):
                    item["digest"] = _sha256(files[item["path"]])
            receipt["validation"]["report_digest"] = _sha256(files[spec["qa"]])
            files[rel] = _render(receipt)
        provenance = "attestations/provenance.json"
        if provenance in files:
            statement = json.loads(files[provenance])
            for subject in statement["subject"]:
                subject["digest"]["sha256"] = _sha256(files[subject["name"]])[7:]
            files[provenance] = _render(statement)
        return files


def _blob(path: str, text: str) -> bytes:
    data = text.encode()
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)


def _commit(ref: str, message: str, parent: str) -> bytes:
    msg = message.encode()
    return b"commit %s\ncommitter %s\ndata %d\n%s\nfrom %s\n" % (
        ref.encode(),
        WHO,
        len(msg),
        msg,
        parent.encode(),
    )


def _changed(repo: Path) -> dict[str, str]:
    """The files of the one-dataset change: a new spec title, with the evidence re-run for it
    (so the check passes and every gate runs to the end, as on a steward's real change)."""
    folder = repo / Path(CHANGED_SPEC).parent
    files = {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }
    files["spec.yaml"] = files["spec.yaml"].replace("title: ", "title: Revised ", 1)
    new = _DatasetCloner(folder.name, files).clone(folder.name)
    old = {rel: (folder / rel).read_text() for rel in new}
    return {
        f"{folder.relative_to(repo).as_posix()}/{rel}": t for rel, t in new.items() if old[rel] != t
    }


def build_registry(root: Path, sources: int, datasets: int = 0, checkout: bool = True) -> Path:
    """A repository at `root` whose `main` holds `sources` source entries and `datasets` datasets
    (the example content counted in), and whose branch `change` edits one dataset's spec.
    `main` is checked out unless `checkout` is False (tools that read files on disk need it)."""
    repo = init_example_repo(root)
    stem, text = _template_source(repo)
    have_sources = len(list((repo / "registry/sources").glob("*.yaml")))
    have_datasets = len(list((repo / "specs").glob("*/spec.yaml")))
    chunks = [_commit("refs/heads/main", f"registry of {sources} sources", "refs/heads/main^0")]
    for i in range(max(0, sources - have_sources)):
        new_id = f"bench-source-{i:06d}"
        chunks.append(_blob(f"registry/sources/{new_id}.yaml", text.replace(stem, new_id)))
    if datasets > have_datasets:
        cloner = _DatasetCloner(*_template_dataset(repo))
        for i in range(datasets - have_datasets):
            slug = f"bench_ds_{i:06d}"
            for rel, body in cloner.clone(slug).items():
                chunks.append(_blob(f"specs/{slug}/{rel}", body))
    chunks.append(b"\n" + _commit("refs/heads/change", "one dataset change", "refs/heads/main"))
    chunks += [_blob(path, body) for path, body in _changed(repo).items()]
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=repo,
        env=GIT_ENV,
        input=b"".join(chunks) + b"\n",
        check=True,
    )
    if checkout:
        git(repo, "reset", "-q", "--hard", "main")
    return repo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("repo", type=Path, help="a new folder for the repository")
    parser.add_argument("--sources", type=int, default=1000, help="source entries on main")
    parser.add_argument("--datasets", type=int, default=0, help="datasets on main")
    parser.add_argument("--no-checkout", action="store_true", help="leave the files unchecked out")
    args = parser.parse_args(argv)
    if args.repo.exists() and any(args.repo.iterdir()):
        parser.error(f"{args.repo} exists and is not empty")
    build_registry(args.repo, args.sources, args.datasets, not args.no_checkout)
    count = git(args.repo, "ls-tree", "-r", "--name-only", "main").count("\n") + 1
    print(f"{args.repo}: main has {count} files; branch change edits {CHANGED_SPEC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
