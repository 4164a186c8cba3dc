"""Whether a run may stand on the carried state instead of listing the PR's commits again.

A review, or its relay, changes no commit: the state the bot wrote on this head already holds
what the commit list gives the engine, namely the accounts of every author and committer
(`contributors`), the commits seen (`history`) and those not linked to an account
(`unattributed`). Standing on it saves one request (GET pulls/{n}/commits) per such run, and
is safe only when all of these hold:

- the state can be believed: the bot's own App made its check run (no other App can), or its
  seal holds (KFM_STATE_KEY). With neither, any workflow could post a state that leaves a
  contributor out, so the commits are always listed;
- it was written for this head and this base: a push changes the commits, and so can a new
  base (a PR retargeted from `dev` to `main` gains `dev`'s commits and their authors);
- it recorded the unattributed commits (a state from before that field does not) and neither
  list reached its cap, where entries would have been dropped.
"""

from __future__ import annotations

from kfm_bot.approvals.state import MAX_CONTRIBUTORS, MAX_HISTORY, ApprovalState


def stands_for_commits(
    state: ApprovalState | None, pr: int, head_sha: str, base_sha: str, trusted: bool
) -> bool:
    return (
        trusted
        and state is not None
        and state.pr == pr
        and state.head_sha == head_sha
        and state.base_sha == base_sha
        and state.unattributed is not None
        and len(state.contributors) < MAX_CONTRIBUTORS
        and len(state.history) < MAX_HISTORY
    )
