"""`kfm-bot init`, `new` and `refresh` as a maintainer and a contributor use them."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.cli import KFM_BOT, tool
from tests.test_packaging import build_wheel, install_in_fresh_venv, run

ROOT = Path(__file__).resolve().parents[1]
SHA = "0123456789abcdef0123456789abcdef01234567"
GEOJSON = '{"type": "FeatureCollection", "features": []}\n'


def kfm(
    *args: str | Path, cwd: Path, bot: tuple[str, ...] = KFM_BOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*bot, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def fill_in(path: Path, *edits: tuple[str, str]) -> None:
    """Each `old` (its first occurrence, in order) replaced: a contributor filling the blanks."""
    text = path.read_text()
    for old, new in edits:
        assert old in text, (old, text)
        text = text.replace(old, new, 1)
    path.write_text(text)


def contribute(repo: Path, bot: tuple[str, ...] = KFM_BOT) -> None:
    """A source and a dataset through `new`, filled in where the comments say, the pipeline's
    output and QA report written, and `refresh`; `check --all` is green after it."""
    assert kfm("new", "source", "kgs-water-wells", cwd=repo, bot=bot).returncode == 0
    fill_in(
        repo / "registry/sources/kgs-water-wells.yaml",
        ("title:\n", "title: Kansas water wells\n"),
        ("name:\n", "name: Kansas Geological Survey\n"),
        ("url:\n", "url: https://www.kgs.ku.edu/\n"),
        ("url:\n", "url: https://www.kgs.ku.edu/Magellan/WaterWell/\n"),
        ("cadence:\n", "cadence: monthly\n"),
        ("spdx:\n", "spdx: CC-BY-4.0\n"),
        ("rights_holder:\n", "rights_holder: Kansas Geological Survey\n"),
        ("attribution:\n", "attribution: Courtesy of the Kansas Geological Survey.\n"),
        ("policy_label:\n", "policy_label: public\n"),
        ("sensitive_locations:\n", "sensitive_locations: false\n"),
        ("stewards: []", "stewards: [ada]"),
    )
    made = kfm("new", "dataset", "ks_wells", "--source", "kgs-water-wells", cwd=repo, bot=bot)
    assert made.returncode == 0, made.stderr
    spec_dir = repo / "specs/ks_wells"
    fill_in(
        spec_dir / "spec.yaml",
        ("title:\n", "title: Kansas wells\n"),
        ("tool:\n", "tool: gdal-ogr2ogr\n"),
        ("version:\n", 'version: "3.8.4"\n'),
    )
    fill_in(spec_dir / "catalog/dcat.json", ('"dct:title": ""', '"dct:title": "Kansas wells"'),
            ('"dct:description": ""', '"dct:description": "Wells."'))  # fmt: skip
    # the pipeline run: its output and its QA report
    (spec_dir / "fixtures").mkdir()
    (spec_dir / "fixtures/ks_wells_sample.geojson").write_text(GEOJSON)
    qa = {"kfm_qa_report_version": "v1", "dataset_slug": "ks_wells", "status": "pass",
          "checks": [{"id": "geometry.valid", "status": "pass"}]}  # fmt: skip
    (spec_dir / "qa/report.json").write_text(json.dumps(qa))
    refreshed = kfm("refresh", "ks_wells", cwd=repo, bot=bot)
    assert refreshed.returncode == 0 and "updated specs/ks_wells/receipts/" in refreshed.stdout


def init(
    target: Path, *extra: str, bot: tuple[str, ...] = KFM_BOT
) -> subprocess.CompletedProcess[str]:
    pin = ("--kfm-bot-repository", "example-org/kfm-bot", "--kfm-bot-ref", SHA)
    return kfm("init", target, "--steward", "ada:4410021", *pin, *extra, cwd=target.parent, bot=bot)


@pytest.mark.slow
def test_an_installed_wheel_inits_a_repository_a_contributor_extends(tmp_path: Path) -> None:
    wheel, _ = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "kfm_bot/scaffold/templates/spec.yaml" in names
    assert "kfm_bot/scaffold/templates/repo/workflows/kfm-pr.yml" in names
    venv, env = install_in_fresh_venv(tmp_path, wheel)
    bot = (str(venv / "bin" / "kfm-bot"),)
    repo = tmp_path / "governance"
    done = subprocess.run([*bot, "init", repo, "--steward", "ada:4410021", "--kfm-bot-repository",
                           "example-org/kfm-bot", "--kfm-bot-ref", SHA], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    checked = run(*bot, "check", "--all", cwd=repo, env=env)
    assert "conclusion: success" in checked
    contribute(repo, bot)
    checked = run(*bot, "check", "--all", cwd=repo, env=env)
    assert "conclusion: success" in checked and "error[" not in checked, checked
    assert "gate E (run receipts and checksums): pass" in checked
    workflows = sorted((repo / ".github/workflows").glob("*.yml"))
    assert len(workflows) == 4
    zizmor = subprocess.run([tool("zizmor"), "--offline", "--min-severity", "low", "--format",
                             "json", *map(str, workflows)], capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert zizmor.returncode == 0 and json.loads(zizmor.stdout) == [], zizmor.stdout[:3000]
    schema = subprocess.run([tool("check-jsonschema"), "--builtin-schema",
                             "vendor.github-workflows", *map(str, workflows)],
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert schema.returncode == 0, schema.stdout + schema.stderr


def test_init_writes_pinned_callers_and_a_ruleset(tmp_path: Path) -> None:
    done = init(tmp_path / "gov", "--app-id", "901")
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "gov"
    pr = (repo / ".github/workflows/kfm-pr.yml").read_text()
    assert f"uses: example-org/kfm-bot/.github/workflows/kfm-gates.yml@{SHA}" in pr
    assert f"kfm-bot-ref: {SHA}" in pr
    ruleset = json.loads((repo / ".github/rulesets/kfm-default-branch.json").read_text())
    (checks,) = [r for r in ruleset["rules"] if r["type"] == "required_status_checks"]
    assert checks["parameters"]["required_status_checks"] == [
        {"context": "kfm-bot / gates", "integration_id": 901},
        {"context": "kfm-bot / approvals", "integration_id": 901},
    ]
    assert (repo / ".git").is_dir()
    head = (repo / "registry/sources/us-census-tiger-counties.yaml").read_text().splitlines()[0]
    assert head == "# yaml-language-server: $schema=../../schemas/source_entry.v1.schema.json"
    assert (repo / "schemas/source_entry.v1.schema.json").is_file()
    # the JSON evidence files mapped to their schemas, as in kfm-bot's own repository
    root = Path(__file__).resolve().parent.parent
    assert (repo / ".vscode/settings.json").read_bytes() == (
        root / ".vscode/settings.json"
    ).read_bytes()


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "gov"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    done = init(target)
    assert done.returncode == 2 and "is not empty (notes.txt)" in done.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    (target / "README.md").write_text("mine")
    forced = init(target, "--force")
    assert forced.returncode == 2 and "refusing to overwrite README.md" in forced.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gov"]  # no staging folder left
    assert (target / "README.md").read_text() == "mine" and not (target / "policies").exists()


def test_init_without_a_known_commit_asks_for_one(tmp_path: Path) -> None:
    done = kfm("init", "gov", "--steward", "ada:1", cwd=tmp_path)
    assert done.returncode == 2 and "pass --kfm-bot-ref" in done.stderr
    assert not (tmp_path / "gov").exists()


def test_new_validates_ids_and_never_overwrites(tmp_path: Path) -> None:
    repo = tmp_path / "gov"
    assert init(repo).returncode == 0
    bad = kfm("new", "source", "Kgs_wells", cwd=repo)
    assert bad.returncode == 2 and "character 1 `K`" in bad.stderr
    bad = kfm("new", "dataset", "ks-wells", "--source", "us-census-tiger-counties", cwd=repo)
    assert bad.returncode == 2 and "character 3 `-`" in bad.stderr
    again = kfm("new", "source", "us-census-tiger-counties", cwd=repo)
    assert again.returncode == 2 and "refusing to overwrite" in again.stderr
    unknown = kfm("new", "dataset", "ks_wells", "--source", "nope-nope", cwd=repo)
    assert (
        unknown.returncode == 2
        and "registry/sources/nope-nope.yaml does not exist" in unknown.stderr
    )


def test_a_fresh_template_fails_only_where_the_contributor_fills_in(tmp_path: Path) -> None:
    repo = tmp_path / "gov"
    assert init(repo).returncode == 0
    assert kfm("new", "source", "kgs-water-wells", cwd=repo).returncode == 0
    checked = kfm("check", "--all", "--format", "json", cwd=repo)
    assert checked.returncode == 1
    findings = [f for g in json.loads(checked.stdout)["gates"] for f in g["findings"]]
    text = (repo / "registry/sources/kgs-water-wells.yaml").read_text().splitlines()
    for finding in (f for f in findings if f["severity"] == "error"):
        assert finding["path"] == "registry/sources/kgs-water-wells.yaml", finding
        line = text[finding["line"] - 1]
        # the line is an empty field, or the block holding it: never something already filled
        assert line.rstrip().endswith((":", "[]")), (line, finding)


def test_refresh_refuses_a_changed_spec_and_names_what_changed(tmp_path: Path) -> None:
    repo = tmp_path / "gov"
    assert init(repo).returncode == 0
    contribute(repo)
    for args in (
        ["add", "-A"],
        ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, timeout=60)
    spec = repo / "specs/ks_wells/spec.yaml"
    fill_in(spec, ('version: "3.8.4"', 'version: "3.9.0"'))
    receipt = next((repo / "specs/ks_wells/receipts").glob("*.json"))
    before = receipt.read_bytes()
    refused = kfm("refresh", "ks_wells", cwd=repo)
    assert refused.returncode == 2 and "changed: transforms[0].version" in refused.stderr
    assert "--spec-changed" in refused.stderr and receipt.read_bytes() == before
    accepted = kfm("refresh", "ks_wells", "--spec-changed", cwd=repo)
    assert accepted.returncode == 0 and receipt.read_bytes() != before
    assert "conclusion: success" in kfm("check", "--all", cwd=repo).stdout


def test_refresh_fills_the_receipt_label_of_a_dataset_made_before_its_source_was_filled_in(
    tmp_path: Path,
) -> None:
    """The README's order: `new source`, then at once `new dataset`; the dataset's label is
    empty everywhere, the spec and DCAT get filled in, and `refresh` records the spec's label
    in the receipt (it used to refuse the receipt as invalid, naming no field)."""
    repo = tmp_path / "gov"
    assert init(repo).returncode == 0
    assert kfm("new", "source", "kgs-water-wells", cwd=repo).returncode == 0
    made = kfm("new", "dataset", "ks_wells", "--source", "kgs-water-wells", cwd=repo)
    assert made.returncode == 0, made.stderr
    receipt = next((repo / "specs/ks_wells/receipts").glob("*.json"))
    assert json.loads(receipt.read_text())["policy"]["policy_label"] == ""
    refused = kfm("refresh", "ks_wells", cwd=repo)  # the spec is not filled in yet
    assert refused.returncode == 2 and "`title`" in refused.stderr, refused.stderr
    fill_in(
        repo / "specs/ks_wells/spec.yaml",
        ("title:\n", "title: Kansas wells\n"),
        ("tool:\n", "tool: gdal-ogr2ogr\n"),
        ("version:\n", 'version: "3.8.4"\n'),
        ("policy_label:\n", "policy_label: public\n"),
        ("spdx:\n", "spdx: CC-BY-4.0\n"),
        ("attribution:\n", "attribution: Courtesy of the Kansas Geological Survey.\n"),
    )
    (repo / "specs/ks_wells/fixtures").mkdir()
    (repo / "specs/ks_wells/fixtures/ks_wells_sample.geojson").write_text(GEOJSON)
    refreshed = kfm("refresh", "ks_wells", cwd=repo)
    assert refreshed.returncode == 0, refreshed.stderr
    assert json.loads(receipt.read_text())["policy"]["policy_label"] == "public"


def test_refresh_names_the_field_of_an_invalid_receipt(tmp_path: Path) -> None:
    repo = tmp_path / "gov"
    assert init(repo).returncode == 0
    receipt = next((repo / "specs/example_county_boundaries/receipts").glob("*.json"))
    fill_in(receipt, ('"operation": "', '"operation": 7, "x": "'))
    refused = kfm("refresh", "example_county_boundaries", cwd=repo)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "`operation`" in refused.stderr and receipt.name in refused.stderr, refused.stderr


def readme_anchors() -> set[str]:
    """The anchors GitHub gives kfm-bot's README headings."""
    headings = re.findall(r"^#+ (.+)$", (ROOT / "README.md").read_text(), re.M)
    return {re.sub(r"[^a-z0-9 _-]", "", h.lower()).replace(" ", "-") for h in headings}


def test_what_init_and_new_write_points_at_readme_sections_that_exist(tmp_path: Path) -> None:
    """A governance repository has its own, short README: a comment or message sending the
    reader to "the README's" section of kfm-bot's must link it, to a heading that exists."""
    repo = tmp_path / "gov"
    assert init(repo).returncode == 0
    assert kfm("new", "source", "kgs-water-wells", cwd=repo).returncode == 0
    assert (
        kfm("new", "dataset", "ks_wells", "--source", "kgs-water-wells", cwd=repo).returncode == 0
    )
    missing = kfm("zones", "audit", cwd=repo)
    assert missing.returncode == 2
    texts = {"zones audit": missing.stderr}
    for path in repo.rglob("*"):
        if path.is_file() and ".git" not in path.parts and "schemas" not in path.parts:
            texts[str(path.relative_to(repo))] = path.read_text()
    source = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Source"]
    anchors, found = readme_anchors(), 0
    for name, text in texts.items():
        for mention in re.finditer("README", text if name != "README.md" else ""):
            near = text[mention.start() : mention.start() + 120]
            assert f"{source}#" in near or "README.md" in near, (name, near)
        for anchor in re.findall(re.escape(source) + r"#([a-z0-9_-]+)", text):
            found += 1
            assert anchor in anchors, (name, anchor)
    assert found >= 4  # source.yaml (twice), spec.yaml, the zones message


def test_an_init_readme_installs_the_pinned_kfm_bot_and_names_no_placeholder(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "gov"
    assert init(repo).returncode == 0
    readme = (repo / "README.md").read_text()
    (install,) = [line for line in readme.splitlines() if line.startswith("pip install")]
    assert f"git+https://github.com/example-org/kfm-bot@{SHA}" in install
    assert "OWNER" not in readme and "TODO" not in readme
    bots = (repo / "policies/stewards.yaml").read_text()
    assert "<app-slug>" not in bots  # a shell reads `<` as a redirection
