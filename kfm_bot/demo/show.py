"""Shows check runs, files and tags the way a person sees them on GitHub or in a terminal."""

from __future__ import annotations

from kfm_bot.demo.github_world import World
from kfm_bot.demo.narrator import Narrator

ICON = {"success": "✓", "failure": "✗", "action_required": "!", "neutral": "-", None: "…"}
MAX_SUMMARY_LINES = 40


def check_runs(n: Narrator, world: World, sha: str) -> dict[str, str | None]:
    """Each check run on `sha`: status line, summary as rendered Markdown source, annotations."""
    runs = world.api(f"/repos/{world.full}/commits/{sha}/check-runs")["check_runs"]
    verdicts: dict[str, str | None] = {}
    for run in sorted(runs, key=lambda r: r["name"]):
        verdicts[run["name"]] = run["conclusion"]
        output = run.get("output") or {}
        n.block(
            f"{ICON.get(run['conclusion'], '?')} {run['name']}: {run['conclusion']} — "
            f"{output.get('title') or ''}",
            indent="  ",
        )
        summary = (output.get("summary") or "").splitlines()
        shown = summary[:MAX_SUMMARY_LINES]
        if len(summary) > len(shown):
            shown.append(f"… ({len(summary) - len(shown)} more lines)")
        n.block("\n".join(shown), indent="  │ ")
        if output.get("annotations_count"):
            notes = world.api(f"/repos/{world.full}/check-runs/{run['id']}/annotations")
            for a in notes[:10]:
                n.block(
                    f"{a['path']}:{a['start_line']} [{a['annotation_level']}] {a['message']}",
                    indent="  ⚑ ",
                )
    return verdicts
