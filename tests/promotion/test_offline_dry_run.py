"""`kfm-bot promote --dry-run` on a local clone with no GitHub at all: no token, no GITHUB_* env.

A steward checks a merge before CI promotes it: the gates run on the merge commit, what would
be written is printed, approvals come from `--approvals FILE` or are reported as not checked,
and the clone is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kfm_bot.scaffold.refresh import refresh
from tests.cli import kfm_bot
from tests.gitrepo import GIT_ENV, commit_all, git, init_example_repo
from tests.promotion.world import spec

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

SLUG = "ks_water_wells"
MARA = "github:4410021:mara-osei"  # data and policy steward (policies/stewards.yaml)
NOOR = "github:4410025:noor-haddad"  # sensitivity only
GOOD = '{"role": "data", "principal": "' + MARA + '", "approved_at": "2026-11-01T09:00:00Z"}'


def merged_clone(tmp: Path, *, evidence: bool = True, number: int = 7) -> Path:
    """A local clone whose main has GitHub's merge of a PR that retitles SLUG."""
    repo = init_example_repo(tmp / "clone")
    git(repo, "checkout", "-q", "-b", "retitle")
    path = repo / spec(SLUG)
    text = path.read_text()
    head, _, rest = text.partition("\ntitle: ")
    title, _, tail = rest.partition("\n")
    path.write_text(f"{head}\ntitle: {title} Revised\n{tail}")
    if evidence:
        refresh(repo)
    commit_all(repo, f"{SLUG}: revised title")
    git(repo, "checkout", "-q", "main")
    message = f"Merge pull request #{number} from alice/retitle"
    git(repo, "merge", "-q", "--no-ff", "-m", message, "retitle")
    return repo


def state(repo: Path) -> dict[str, str]:
    """Every file of the clone, .git included (refs, index, objects), by content digest."""
    return {
        str(p.relative_to(repo)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(repo.rglob("*"))
        if p.is_file()
    }


def dry_run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with the test git environment only: no GITHUB_* variable, no token."""
    return kfm_bot("promote", "--repo", repo, "--dry-run", *args, env=GIT_ENV)


def approvals(tmp: Path, items: Any, name: str = "approvals.json") -> str:
    path = tmp / name
    path.write_text(items if isinstance(items, str) else json.dumps(items, indent=2))
    return str(path)


def test_offline_dry_run_prints_what_would_be_written_and_changes_nothing(tmp_path: Path) -> None:
    repo = merged_clone(tmp_path)
    before = state(repo)
    done = dry_run(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "approvals were NOT checked" in out
    assert f"would promote {SLUG} as " in out
    for name in ("promotion_manifest.json", "policy_decision.json"):
        assert f"registry/promotions/{SLUG}/" in out and f"/{name}  sha256:" in out
    assert "ledger line " in out and f"tag {SLUG}/" in out
    assert "(PR #7)" in out
    assert state(repo) == before  # refs, index, working tree and objects: untouched


def test_approvals_file_is_checked_against_the_base_roster_and_goes_in_the_manifest(
    tmp_path: Path,
) -> None:
    repo = merged_clone(tmp_path)
    before = state(repo)
    good = approvals(
        tmp_path, [{"role": "data", "principal": MARA, "approved_at": "2026-11-01T09:00:00Z"}]
    )
    done = dry_run(repo, "--approvals", good)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"manifest approval data {MARA} 2026-11-01T09:00:00Z" in done.stdout
    unchecked = dry_run(repo).stdout
    digest = [ln for ln in done.stdout.splitlines() if "promotion_manifest.json  sha256:" in ln]
    assert digest and digest[0] not in unchecked  # the approval is in the would-be manifest
    assert state(repo) == before


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ({"role": "data", "principal": NOOR}, "does not hold the role 'data'"),
        ({"role": "data", "principal": "github:999:mara-osei"}, "not a steward"),
        ({"role": "data", "principal": "github:4410021:evil"}, "roster's id 4410021 is"),
        ({"role": "policy", "principal": MARA}, "is not one this change needs"),
        ({"role": "data", "principal": "github:4410099:kfm-bot[bot]"}, "not a steward"),
        ({"role": "data", "principal": MARA, "approved_at": "2027-01-01T00:00:00Z"}, "after"),
    ],
)
def test_an_approval_that_would_not_count_is_ignored_and_refused(
    tmp_path: Path, entry: dict[str, str], why: str
) -> None:
    repo = merged_clone(tmp_path)
    item = {"approved_at": "2026-11-01T09:00:00Z", **entry}
    done = dry_run(repo, "--approvals", approvals(tmp_path, [item]))
    assert done.returncode == 1, done.stdout + done.stderr
    assert why in done.stdout
    assert "lacks 1 more data steward approval(s)" in done.stdout
    assert "would promote" not in done.stdout


def test_failing_gates_on_the_merge_commit_exit_1(tmp_path: Path) -> None:
    repo = merged_clone(tmp_path, evidence=False)  # receipts still bind the old spec
    before = state(repo)
    done = dry_run(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "gates fail on the merge commit" in done.stdout
    assert state(repo) == before


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[\n  {"role": "data",\n   "principal": }\n]', "approvals.json:3:"),
        ('{"role": "data"}', "approvals.json:1: the approvals file must be a JSON list"),
        (
            "[\n  " + GOOD + ",\n  " + GOOD[:-1] + ', "note": 1}\n]',
            "entry 2 (line 3): `note`: unknown key",
        ),
        ("[" + GOOD.replace(MARA, "mara-osei") + "]", "entry 1 (line 1): `principal`"),
        ('[{"role": "data", "principal": "' + MARA + '"}]', "entry 1 (line 1): `approved_at`"),
        ('[{"role": "data", "role": "policy"}]', "duplicate key 'role'"),
        ("[" + GOOD.replace('"2026-11-01T09:00:00Z"', "NaN") + "]", "NaN is not JSON"),
        ("[1]", "entry 1 (line 1): must be an object"),
    ],
)
def test_bad_approvals_file_is_a_located_usage_error(tmp_path: Path, text: str, where: str) -> None:
    repo = merged_clone(tmp_path)
    done = dry_run(repo, "--approvals", approvals(tmp_path, text))
    assert done.returncode == 2, done.stdout + done.stderr
    assert where in done.stderr and "Traceback" not in done.stderr
    assert "would promote" not in done.stdout


def test_approvals_file_without_dry_run_is_refused(tmp_path: Path) -> None:
    repo = merged_clone(tmp_path)
    path = approvals(tmp_path, [])
    done = kfm_bot("promote", "--repo", repo, "--approvals", path, env=GIT_ENV, timeout=60)
    assert done.returncode == 2 and "--approvals is for --dry-run only" in done.stderr
