"""When the carried state may stand for the PR's commit list (approvals/commits_carried.py)."""

from __future__ import annotations

from typing import Any

from kfm_bot.approvals.commits_carried import stands_for_commits
from kfm_bot.approvals.state import MAX_CONTRIBUTORS, MAX_HISTORY, ApprovalState

HEAD, BASE, OTHER = "a" * 40, "b" * 40, "c" * 40


def state(**changes: Any) -> ApprovalState:
    fields: dict[str, Any] = {
        "pr": 7,
        "head_sha": HEAD,
        "base_sha": BASE,
        "unattributed": (),
        "contributors": (11, 12),
        "history": (HEAD,),
    }
    return ApprovalState(**{**fields, **changes})


def test_only_a_trusted_state_for_this_pr_head_and_base_stands_in() -> None:
    assert stands_for_commits(state(), 7, HEAD, BASE, trusted=True)
    assert not stands_for_commits(state(), 7, HEAD, BASE, trusted=False)  # forgeable
    assert not stands_for_commits(None, 7, HEAD, BASE, trusted=True)
    assert not stands_for_commits(state(), 8, HEAD, BASE, trusted=True)  # another PR's
    assert not stands_for_commits(state(), 7, OTHER, BASE, trusted=True)  # a push since
    assert not stands_for_commits(state(), 7, HEAD, OTHER, trusted=True)  # a new base


def test_a_state_without_the_record_or_at_a_cap_never_stands_in() -> None:
    assert not stands_for_commits(state(unattributed=None), 7, HEAD, BASE, trusted=True)
    assert not stands_for_commits(state(base_sha=None), 7, HEAD, BASE, trusted=True)
    full = tuple(range(1, MAX_CONTRIBUTORS + 1))
    assert not stands_for_commits(state(contributors=full), 7, HEAD, BASE, trusted=True)
    seen = tuple(f"{i:040x}" for i in range(MAX_HISTORY))
    assert not stands_for_commits(state(history=seen), 7, HEAD, BASE, trusted=True)
