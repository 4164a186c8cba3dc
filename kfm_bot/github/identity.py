"""Whose check runs the bot believes: its own App's, and no other run that carries its names.

GitHub lets any App with `checks: write` post a run under any name, and every workflow's
GITHUB_TOKEN posts as the one shared GitHub Actions App. So a run called `kfm-bot / approvals`
proves nothing by its name: the bot keeps only the runs its own App made (`app.id`), and
reports the others as forged. With its own GitHub App (an installation token minted from
KFM_APP_ID / KFM_APP_PRIVATE_KEY) nothing else can pass for it; without one its identity is
GitHub Actions, which every workflow in the repository shares, and every summary says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from kfm_bot.github.interface import ACTIONS, BotIdentity, CheckRun, Forged

__all__ = ["ACTIONS", "BotIdentity", "Forged", "sort_runs", "trust_lines", "with_trust"]

NAME_PREFIX = "kfm-bot / "  # every check run the bot posts is named `kfm-bot / <what>`


FORGEABLE = (
    "**These verdicts can be forged.** kfm-bot posts them with the workflow's GITHUB_TOKEN, as "
    "the GitHub Actions app that every workflow in this repository shares: any workflow with "
    "`checks: write` can post a run with the same name. Install kfm-bot's GitHub App "
    "(KFM_APP_ID, KFM_APP_PRIVATE_KEY) and pin the required checks to it."
)


UNSIGNED = (
    "**The approvals state is unsigned.** Without KFM_STATE_KEY in the protected environment "
    "kfm-bot cannot tell the state it carries between runs from one a workflow forged."
)


def forged_line(forged: Forged, identity: BotIdentity) -> str:
    made_by = f"`{forged.app_slug}`" if forged.app_slug else "an unknown app"
    return (
        f"Forged check run reported: run {forged.run_id} `{forged.name}` was made by "
        f"{made_by} (app id {forged.app_id}), not by kfm-bot's `{identity.slug}` "
        f"(app id {identity.app_id}); kfm-bot ignored it."
    )


def sort_runs(
    runs: Sequence[CheckRun], identity: BotIdentity
) -> tuple[list[CheckRun], list[Forged]]:
    """The runs the bot may read (its own, and other Apps' runs under other names), and the
    forged ones: another App's run under one of the bot's names."""
    kept: list[CheckRun] = []
    forged: list[Forged] = []
    for run in runs:
        if run.name.startswith(NAME_PREFIX) and run.app_id != identity.app_id:
            forged.append(Forged(run.id, run.name, run.app_id, run.app_slug))
        else:
            kept.append(run)
    return kept, forged


def trust_lines(
    identity: BotIdentity, forged: Sequence[Forged], state_sealed: bool | None = None
) -> list[str]:
    """What every summary opens with: forged runs seen, whether the verdicts can be forged and
    (`state_sealed` not None: a summary of approvals) whether the carried state is sealed."""
    lines = [forged_line(f, identity) for f in sorted(set(forged), key=lambda f: f.run_id)]
    if not identity.own_app:
        lines.append(FORGEABLE)
        if state_sealed is False:
            lines.append(UNSIGNED)
    return lines


def with_trust(
    summary: str,
    identity: BotIdentity,
    forged: Sequence[Forged],
    state_sealed: bool | None = None,
) -> str:
    lines = trust_lines(identity, forged, state_sealed)
    return "\n\n".join([*(f"> {line}" for line in lines), summary]) if lines else summary
