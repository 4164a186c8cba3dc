"""Running `kfm-bot` in-process the way a pipeline step would, and the example inputs."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kfm_bot.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "manifests"
BASE = EXAMPLES / "build" / "base"
WORKSPACE = EXAMPLES / "workspace"
VALID = EXAMPLES / "valid" / "example_events.json"
INPUT_FILES = ("artifacts", "catalogs", "qa", "decision", "approvals")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def kfm(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    """`kfm-bot ARGS` through `cli.main`, exactly as the console script ends."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return Run(int(ended.value.code or 0), captured.out, captured.err)


def inputs_copy(dest: Path, case: Path | None = None) -> dict[str, str]:
    """The base inputs in `dest`, with a case's files over them; the identity flags."""
    shutil.copytree(BASE, dest)
    expect: dict[str, object] = {}
    if case is not None:
        expect = json.loads((case / "expect.json").read_text())
        for path in case.iterdir():
            if path.name != "expect.json":
                shutil.copy(path, dest / path.name)
        for name in expect.get("delete", []):  # type: ignore[attr-defined]
            (dest / name).unlink()
    args: dict[str, str] = json.loads((BASE / "args.json").read_text())
    args.update(expect.get("args", {}))  # type: ignore[call-overload]
    (dest / "args.json").unlink()
    return args


def build_args(args: dict[str, str], out: str = "out.json") -> list[str]:
    return [
        "manifest",
        "build",
        "--dataset-slug",
        args["dataset_slug"],
        "--dataset-version-id",
        args["dataset_version_id"],
        "--released-at",
        args["released_at"],
        "--artifacts-manifest",
        "artifacts.json",
        "--catalogs-manifest",
        "catalogs.json",
        "--qa-report",
        "qa.json",
        "--policy-decision",
        "decision.json",
        "--approvals",
        "approvals.json",
        "--out",
        out,
    ]
