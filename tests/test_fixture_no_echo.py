"""`kfm-bot check` on a PR that hides site locations in fixtures: found, and never echoed.

A contributor adds precise coordinates to the restricted archaeology dataset in every
disguise gate C must see through. Every output format must fail gate C, and no output
(stdout, stderr, the GitHub step summary) may carry the coordinates' digits.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli import kfm_bot
from tests.gitrepo import commit_all, git, init_example_repo

FIXTURES = "specs/archaeo_site_density/fixtures"
LON, LAT = "-96.6138472", "39.1712634"
DIGITS = ("6138472", "1712634", "96.613", "39.171")
HIDDEN = {
    "escaped.geojson": '{"type": "Point", "coordin\\u0061tes": [' + f"{LON}, {LAT}]}}\n",
    "sites.csv": f"cell_id,lat,lon\nA,39.17,-96.61\nB,{LAT},{LON}\n",
    "sites.tsv": f"a\tb\n-96.61\t39.17\n{LON}\t{LAT}\n",
    "wkt.geojson": (
        '{"type": "Feature", "geometry": null,\n'
        f' "properties": {{"note": "POINT Z ({LON} {LAT} 300)"}}}}\n'
    ),
    "broken.json": f'{{"coordinates": [{LON}, {LAT}\n',
    # Forms a YAML reader would quote back in its own messages (gate A reads .json as YAML).
    "exponent.json": '{"coordinates": [-9.66138472e1, 3.91712634E+1]}\n',
    "long-int.json": '{"id": 96613847212345678901, "n": 0396613847}\n',
    "sites.bin": f"\x00\x01{LON}\x00{LAT}",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = init_example_repo(tmp_path_factory.mktemp("hide") / "repo")
    git(repo, "checkout", "-q", "-b", "hide")
    for name, body in HIDDEN.items():
        (repo / FIXTURES / name).write_bytes(body.encode())
    commit_all(repo, "add more sample fixtures")
    return repo


def _check(repo: Path, fmt: str, summary: Path) -> subprocess.CompletedProcess[str]:
    command = ["check", "--base", "main", "--head", "hide", "--format", fmt]
    env = {"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)}
    return kfm_bot(*command, cwd=repo, env=env, timeout=120)


def test_every_disguise_fails_gate_c(repo: Path, tmp_path: Path) -> None:
    proc = _check(repo, "json", tmp_path / "summary.md")
    report = json.loads(proc.stdout)
    gate_c = next(g for g in report["gates"] if g["gate"] == "C")
    assert gate_c["status"] == "fail" and proc.returncode == 1
    by_path = {(f["path"], f["rule"]) for f in gate_c["findings"]}
    for name in ("escaped.geojson", "sites.csv", "sites.tsv", "wkt.geojson"):
        assert (f"{FIXTURES}/{name}", "C.fixture-precision") in by_path, name
    for name in ("broken.json", "sites.bin"):
        assert (f"{FIXTURES}/{name}", "C.fixture-uninspectable") in by_path, name


@pytest.mark.parametrize("fmt", ["text", "json", "github", "markdown"])
def test_no_output_format_echoes_the_coordinates(repo: Path, tmp_path: Path, fmt: str) -> None:
    summary = tmp_path / "summary.md"
    proc = _check(repo, fmt, summary)
    assert proc.returncode == 1, proc.stderr
    assert "C.fixture-uninspectable" in proc.stdout + (
        summary.read_text() if summary.exists() else ""
    )
    outputs = proc.stdout + proc.stderr + (summary.read_text() if summary.exists() else "")
    for digits in DIGITS:
        assert digits not in outputs, (fmt, digits)
