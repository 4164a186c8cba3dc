"""After a push to the default branch that changes `policies/`: re-evaluate the open PRs.

Every dataset and source is governed by policies/ (the roster, the requirements, the licence
allowlist, the labels, custom rules), and which of them a given policy line reaches is not
knowable without judging each PR; when unsure, every open PR on the default branch is affected.
Their gates (also under the new rules) and approvals (read at the new base) are posted again on
each head, within the request budget: one list of open PRs, then per PR the one read of a
privileged run (the head's snapshot), at most `MAX_PER_RUN` PRs a run. The PRs left over are
named in the log and the job summary; each is judged again at its next event anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kfm_bot.app.bot_event import BotEvent
from kfm_bot.github.interface import Pull

MAX_PER_RUN = 10
# REST requests one PR may cost: the two posts, up to 3 more when the carried state must be
# found on an older commit, and the REST listings the head's snapshot (one GraphQL query,
# priced from GraphQL's own budget) falls back to when a first page cuts something short.
COST_PER_PULL = 9
RESERVE = 100  # left for whatever else runs on this token in the hour


@dataclass
class Recheck:
    done: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)

    def line(self) -> str:
        done = ", ".join(f"#{n}" for n in self.done) or "none"
        text = f"kfm-bot: policies changed; re-evaluated open pull requests: {done}"
        if self.left:
            text += "; left for the next run: " + ", ".join(f"#{n}" for n in self.left)
        return text


def policies_changed(event: BotEvent, before: str, after: str) -> bool:
    """Whether before..after changes a path under policies/; True when it cannot tell."""
    from kfm_bot.errors import KfmError
    from kfm_bot.git import read
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.repo.layout import POLICIES_DIR

    if set(before) <= {"0"}:
        return True  # a new branch: everything is new
    repo = GitDir(event.workspace)
    try:
        read.resolve(repo, before)
    except KfmError:
        return True  # `before` is not in the clone (a force-push): unsure, so affected
    changes = read.diff(repo, before, after)
    return any(p.startswith(POLICIES_DIR + "/") for c in changes for p in (c.path, c.old_path) if p)


def budget(event: BotEvent, wanted: int) -> int:
    """How many PRs this run may re-evaluate: the cap, and what the rate limit leaves."""
    remaining = event.client().rate_limit_remaining()
    return max(0, min(wanted, MAX_PER_RUN, (remaining - RESERVE) // COST_PER_PULL))


def recheck_open_pulls(event: BotEvent, branch: str, after: str) -> Recheck:
    """Post gates and approvals again on every open PR into `branch`, newest first, bounded."""
    from kfm_bot.app import approvals_check, pull_gates
    from kfm_bot.github.summary import write_step_summary

    client = event.client()
    pulls: list[Pull] = sorted(
        (p for p in client.list_open_pulls() if p.base_ref == branch),
        key=lambda p: -p.number,
    )
    count = budget(event, len(pulls)) if pulls else 0
    out = Recheck(left=[p.number for p in pulls[count:]])
    for listed in pulls[:count]:
        # Judged against the new tip: its policies are the base's now (the API's base.sha may
        # still name the tip the PR last saw).
        pull = replace(listed, base_sha=after)
        # One read for the head's check runs and the PR's reviews, commits and comments;
        # approvals first, as in the privileged run (the comments are read just before).
        snapshot = client.head_snapshot(pull.head_sha)
        runs = list(snapshot.runs)
        reads = [r for r in snapshot.pulls if r.pull.number == pull.number]
        approvals_check.check_head(event, client, [pull], runs, keep_record=False, reads=reads)
        pull_gates.check_head(event, client, [pull], runs, policies_at=after)
        out.done.append(pull.number)
    event.log(out.line())
    write_step_summary(event.step_summary, out.line().removeprefix("kfm-bot: ") + "\n", frozenset())
    return out
