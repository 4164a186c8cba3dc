"""The conversation on a pull request: reviews, comments, and workflow-run artifacts."""

from __future__ import annotations

from kfm_bot.emulator.core import Core, now_iso
from kfm_bot.emulator.state import Artifact, Comment, Pull, Review


class Talk:
    """Control methods for what reviewers and commenters do in GitHub's web interface."""

    core: Core

    def pull(self, owner: str, repo: str, number: int) -> Pull:
        raise NotImplementedError  # provided by People

    def submit_review(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        user: str,
        state: str = "APPROVED",
        body: str = "",
        commit_id: str | None = None,
    ) -> int:
        with self.core.lock:
            pull = self.pull(owner, repo, number)
            self.core.user(user)
            item = Review(
                pull.repo,
                number,
                self.core.state.new_id(),
                user,
                state,
                body,
                commit_id or pull.head_sha,
                now_iso(),
            )
            self.core.state.reviews.append(item)
            # As on GitHub: a submitted review fulfils the request to that reviewer.
            if state != "PENDING" and user in pull.requested_reviewers:
                pull.requested_reviewers.remove(user)
            return item.id

    def review(self, review_id: int) -> Review:
        found = next((r for r in self.core.state.reviews if r.id == review_id), None)
        if found is None:
            raise KeyError(f"no review {review_id}")
        return found

    def dismiss_review(
        self, owner: str, repo: str, number: int, review_id: int, message: str = ""
    ) -> None:
        with self.core.lock:
            item = self.review(review_id)
            item.state = "DISMISSED"
            if message:
                item.body = message

    def add_comment(self, owner: str, repo: str, number: int, *, user: str, body: str) -> int:
        with self.core.lock:
            pull = self.pull(owner, repo, number)
            self.core.user(user)
            stamp = now_iso()
            item = Comment(pull.repo, number, self.core.state.new_id(), user, body, stamp, stamp)
            self.core.state.comments.append(item)
            return item.id

    def comment(self, comment_id: int) -> Comment:
        found = next((c for c in self.core.state.comments if c.id == comment_id), None)
        if found is None:
            raise KeyError(f"no comment {comment_id}")
        return found

    def edit_comment(self, owner: str, repo: str, comment_id: int, body: str) -> None:
        with self.core.lock:
            item = self.comment(comment_id)
            item.body, item.updated_at = body, now_iso()

    def delete_comment(self, owner: str, repo: str, comment_id: int) -> Comment:
        with self.core.lock:
            item = self.comment(comment_id)
            self.core.state.comments.remove(item)
            return item

    def add_artifact(
        self, owner: str, repo: str, run_id: int, name: str, size_in_bytes: int = 0
    ) -> int:
        with self.core.lock:
            full = self.core.repo(owner, repo).full_name
            item = Artifact(full, run_id, self.core.state.new_id(), name, size_in_bytes)
            self.core.state.artifacts.append(item)
            return item.id
