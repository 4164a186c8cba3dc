"""Promotion's host on GitHub (kfm_bot.promotion.prepare.PromotionHost): merged PRs, their final
approvals, failure reports, releases. Wired here, so that promotion never imports the adapter."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.github.interface import (
    CheckOutput,
    GitHubClient,
    GitHubError,
    NotFound,
    Pull,
    Release,
)
from kfm_bot.promotion.documents import ApprovalRecord
from kfm_bot.promotion.plan import Candidate, PullRef
from kfm_bot.promotion.prepare import ApprovalVerdict, WantedRelease

if TYPE_CHECKING:
    from kfm_bot.approvals.state_seal import StateSeal
    from kfm_bot.git.gitdir import GitDir

PROMOTION_CHECK = "kfm-bot / promotion"
MANIFEST_ASSET = "promotion_manifest.json"
STATEMENT_ASSET = "promotion_statement.dsse.json"  # the signed record (kfm_bot/attest)
RELEASES_LISTED = 100  # one page of the newest releases: a run makes sure of the recent ones


class GitHubPromotionHost:
    def __init__(
        self,
        client: GitHubClient,
        workspace: Path,
        say: Callable[[str], None],
        seal: StateSeal | None = None,
    ) -> None:
        self.client = client
        self.seal = seal  # the carried approvals state counts only when its seal holds
        self.workspace = workspace
        self.say = say
        self._pulls: dict[int, Pull] = {}

    def merged_pull(self, commit_sha: str) -> PullRef | None:
        """The merged PR that put this commit on the branch (merge, squash or rebase merge)."""
        merged = [p for p in self.client.pulls_with_commit(commit_sha) if p.merged]
        if not merged:
            return None
        exact = [p for p in merged if p.merge_commit_sha == commit_sha]
        pull = min(exact or merged, key=lambda p: p.number)
        self._pulls[pull.number] = pull
        return PullRef(pull.number, pull.head_sha, pull.base_sha, pull.author.login)

    def approvals(self, repo: GitDir, candidate: Candidate) -> ApprovalVerdict:
        from kfm_bot.app import pull_approvals

        ref = candidate.group.pull
        if ref is None or ref.number not in self._pulls:
            return ApprovalVerdict(False, reason="the merged pull request is unknown")
        # Policies as they were just before the merge; the PR's own changes from its fork point.
        pull = dataclasses.replace(self._pulls[ref.number], base_sha=candidate.group.base)
        # One read: the PR's reviews, commits and comments and its head's check runs (the
        # carried state), as the privileged run reads them (GitHubClient.pull_snapshot).
        snapshot = self.client.pull_snapshot(pull)
        result = pull_approvals.evaluate(
            self.client,
            self.workspace,
            pull,
            list(snapshot.runs),
            True,
            seal=self.seal,
            read=snapshot.pulls[0],
        ).result
        unit = result.unit(candidate.slug)
        if result.holds:
            return ApprovalVerdict(False, reason=f"PR #{pull.number} is on hold")
        if unit is None or not unit.satisfied or result.conclusion == "failure":
            missing = unit.missing if unit is not None else {}
            need = ", ".join(
                f"{n} more {role} steward approval{'s' if n > 1 else ''}"
                for role, n in sorted(missing.items())
                if n
            )
            return ApprovalVerdict(
                False, reason=f"PR #{pull.number} still needs {need or 'review'}"
            )
        records = tuple(
            ApprovalRecord(a.role, a.user_id, a.login, a.approved_at) for a in unit.approvals
        )
        return ApprovalVerdict(True, records)

    def report_failure(self, sha: str, title: str, summary: str) -> None:
        """A failing check run on the merge commit; not again when a run already said so."""
        for run in self.client.list_check_runs(sha, PROMOTION_CHECK):
            if run.conclusion == "failure" and run.summary == summary:
                return
        output = CheckOutput(title=title, summary=summary)
        self.client.create_check_run(sha, PROMOTION_CHECK, "completed", output, "failure")

    def ensure_releases(self, wanted: list[WantedRelease]) -> None:
        """Each release with the manifest attached; finishes half-made ones. One listing of the
        recent releases stands in for a lookup per tag: only missing pieces cost requests."""
        if not wanted:
            return
        listed = {r.tag: r for r in self.client.recent_releases(RELEASES_LISTED)}
        for want in wanted:
            self._ensure(want, listed.get(want.tag))

    def _ensure(self, want: WantedRelease, release: Release | None) -> None:
        tag = want.tag
        if release is None:
            try:
                release = self.client.make_release(tag, want.title, want.body)
            except GitHubError as exc:
                if exc.status != 422:  # 422: it exists (older than the listing, or a lost answer)
                    raise
                release = self._release(tag)
                if release is None:
                    raise GitHubError(
                        f"GitHub made no release for {tag}; the next run retries"
                    ) from exc
        self._attach(release, MANIFEST_ASSET, want.manifest)
        self._attach(release, STATEMENT_ASSET, want.statement)

    def _attach(self, release: Release, name: str, read: Callable[[], bytes | None]) -> None:
        if name in release.assets:
            return
        data = read()
        if data is None:  # a promotion made before statements existed
            return
        try:
            self.client.upload_asset(release, name, data, "application/json")
        except GitHubError as exc:
            again = self._release(release.tag) if exc.status == 422 else None
            if again is None or name not in again.assets:
                raise
        self.say(f"release {release.tag} has {name} attached")

    def _release(self, tag: str) -> Release | None:
        try:
            return self.client.get_release_by_tag(tag)
        except NotFound:
            return None
