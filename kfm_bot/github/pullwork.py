"""A pull request's commits as data in the local checkout, and its gate evaluation."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot import gitio
from kfm_bot.errors import UsageError
from kfm_bot.github.interface import Pull

if TYPE_CHECKING:
    import git

    from kfm_bot.gates.evaluate import Evaluation
    from kfm_bot.models.report import GateReport

_SHA = re.compile(r"^[0-9a-f]{40}$")
_SEVERITY = {"success": 0, "neutral": 1, "failure": 2}


@dataclass
class PullGates:
    pull: Pull
    evaluation: Evaluation
    protected: frozenset[str]

    @property
    def report(self) -> GateReport:
        return self.evaluation.report


def has_commit(workspace: Path, sha: str) -> bool:
    try:
        gitio.resolve(gitio.open_repo(workspace), sha)
    except UsageError:
        return False
    return True


def fetch_pull(workspace: Path, pull: Pull) -> None:
    """Fetch the PR's commits as objects only: nothing is checked out, nothing from it runs."""
    from kfm_bot import gitio_write

    if has_commit(workspace, pull.head_sha) and has_commit(workspace, pull.base_sha):
        return
    repo = _origin(workspace)
    gitio_write.fetch(
        repo,
        "origin",
        f"+refs/pull/{pull.number}/head:refs/kfm/pull/{pull.number}/head",
        f"+refs/heads/{pull.base_ref}:refs/kfm/base/{pull.number}",
    )
    if not has_commit(workspace, pull.head_sha):
        raise UsageError(f"cannot fetch the head commit {pull.head_sha[:12]} of #{pull.number}")


def fetch_reviewed(workspace: Path, shas: set[str]) -> None:
    """Best effort: reviewed commits a force-push dropped (missing ones simply never count)."""
    from kfm_bot import gitio_write
    from kfm_bot.errors import KfmError

    missing = sorted(s for s in shas if _SHA.match(s) and not has_commit(workspace, s))
    if missing:
        with contextlib.suppress(KfmError):
            gitio_write.fetch(_origin(workspace), "origin", *missing[:20])


def _origin(workspace: Path) -> git.Repo:
    """The checkout, able to fetch from a private repository: checkouts keep no credentials,
    so the workflow's GITHUB_TOKEN reaches git through this process's environment only."""
    from kfm_bot import gitio_write

    repo = gitio.open_repo(workspace)
    token = os.environ.get("GITHUB_TOKEN", "")
    if token:
        gitio_write.authenticate(repo, "origin", token)
    return repo


def merge_base(workspace: Path, pull: Pull) -> str:
    return gitio.merge_base(gitio.open_repo(workspace), pull.base_sha, pull.head_sha)


def evaluate_pull(workspace: Path, pull: Pull) -> PullGates:
    """Gates on what the PR changes (from the merge base), with the base's policies."""
    from kfm_bot.gates.evaluate import evaluate
    from kfm_bot.github.protect import protected_in

    fetch_pull(workspace, pull)
    evaluation = evaluate(workspace, merge_base(workspace, pull), pull.head_sha)
    return PullGates(pull, evaluation, protected_in(evaluation.ctx.head, evaluation.ctx.base))


def worst(items: list[PullGates]) -> PullGates:
    """The PR whose gates concluded worst (failure over neutral over success)."""
    return max(items, key=lambda g: _SEVERITY[g.report.conclusion])
