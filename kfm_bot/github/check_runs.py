"""Check-run payloads from a gate report, and posting them: finished at once, results batched."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from kfm_bot.github.interface import Annotation, CheckOutput, CheckRun, GitHubClient
from kfm_bot.github.limits import (
    ANNOTATIONS_PER_REQUEST,
    MAX_ANNOTATIONS,
    MAX_TITLE,
    clip_bytes,
    plain,
)
from kfm_bot.github.protect import redact
from kfm_bot.models.report import GateReport, ReportFinding

GATES_CHECK = "kfm-bot / gates"
APPROVALS_CHECK = "kfm-bot / approvals"
_LEVEL = {"error": "failure", "warning": "warning"}


@dataclass
class CheckResult:
    """A finished check run: conclusion, output, and every annotation (batched when posted)."""

    name: str
    conclusion: str  # success | failure | neutral
    title: str
    summary: str
    text: str = ""
    annotations: list[Annotation] = field(default_factory=list)
    dropped: int = 0  # annotations over the cap, mentioned in the summary


def annotation(f: ReportFinding) -> Annotation | None:
    """One finding as a GitHub annotation at its exact file and line, or None without a path."""
    if not f.path:
        return None
    line = f.line or 1
    note: Annotation = {
        "path": f.path,
        "start_line": line,
        "end_line": line,
        "annotation_level": _LEVEL.get(f.severity, "notice"),
        "message": plain(f.message),
        "title": plain(f.rule, MAX_TITLE),
    }
    if f.column:
        note["start_column"] = note["end_column"] = f.column
    return note


def gate_annotations(report: GateReport) -> tuple[list[Annotation], int]:
    """Annotations for every located finding, errors first, capped; and how many were dropped."""
    notes = [a for g in report.gates for f in g.findings if (a := annotation(f))]
    notes.sort(key=lambda a: a["annotation_level"] != "failure")
    return notes[:MAX_ANNOTATIONS], max(len(notes) - MAX_ANNOTATIONS, 0)


def blob_link(server_url: str, repo: str, sha: str) -> Callable[[str, int | None], str]:
    """A finding's file and line at commit `sha`: https://<host>/<owner>/<repo>/blob/<sha>/<path>#L<line>.
    The path is percent-encoded, so that no name a PR chooses can end the Markdown link."""
    base = f"{server_url.rstrip('/')}/{repo}/blob/{sha}/"

    def link(path: str, line: int | None) -> str:
        return base + quote(path) + (f"#L{line}" if line else "")

    return link


def gates_result(
    report: GateReport,
    link: Callable[[str, int | None], str] | None = None,
    lineage: Mapping[str, str] | None = None,
    uses: Mapping[str, Iterable[str]] | None = None,
) -> CheckResult:
    from kfm_bot.report.markdown import CONCLUSION_TITLE, render

    notes, dropped = gate_annotations(report)
    summary = render(report, limit=100, title=False, link=link, lineage=lineage, uses=uses)
    if dropped:
        summary += (
            f"\n> Only the first {MAX_ANNOTATIONS} findings are annotated; {dropped} more are "
            "listed by `kfm-bot check`.\n"
        )
    title = CONCLUSION_TITLE[report.conclusion]
    return CheckResult(GATES_CHECK, report.conclusion, title, summary, "", notes, dropped)


def outputs(result: CheckResult, protected: frozenset[str] = frozenset()) -> list[CheckOutput]:
    """The result as one output per 50 annotations (at least one), self-checked and clipped."""
    summary = clip_bytes(redact(result.summary, protected)[0])
    text = clip_bytes(redact(result.text, protected)[0]) if result.text else ""
    notes = [_clean_note(a, protected) for a in result.annotations]
    batches = [
        notes[i : i + ANNOTATIONS_PER_REQUEST]
        for i in range(0, len(notes), ANNOTATIONS_PER_REQUEST)
    ] or [[]]
    title = plain(result.title, MAX_TITLE)
    return [CheckOutput(title, summary, text, batch) for batch in batches]


def _clean_note(note: Annotation, protected: frozenset[str]) -> Annotation:
    clean = note.copy()
    clean["message"] = redact(note["message"], protected)[0]
    clean["title"] = redact(note["title"], protected)[0]
    return clean


def find_run(runs: Sequence[CheckRun], name: str) -> CheckRun | None:
    """The newest run called `name` among a commit's check runs (re-runs update it)."""
    named = [r for r in runs if r.name == name]
    return max(named, key=lambda r: r.id) if named else None


def settle(client: GitHubClient, runs: Sequence[CheckRun], name: str) -> CheckRun | None:
    """The run a re-run updates (the newest called `name`), after completing its stale twins.

    A create whose answer was lost and then retried blindly (older versions of the bot did
    this) leaves a second run stuck `in_progress`. Every older run of that name made by the same
    App that is not completed is closed as `cancelled` with a note naming the live run: a stale
    run never turns into a pass, and no request is spent when there is nothing to clean.
    """
    keep = find_run(runs, name)
    if keep is None:
        return None
    for run in runs:
        if run.name != name or run.id == keep.id or run.status == "completed":
            continue
        if run.app_id != keep.app_id:
            continue  # another App's run: not ours to close (GitHub would refuse anyway)
        note = CheckOutput(
            "Superseded",
            f"A duplicate left by an interrupted earlier run; check run {keep.id} carries "
            "the result for this commit.",
        )
        client.update_check_run(run.id, "completed", note, "cancelled")
    return keep


def finish(
    client: GitHubClient,
    sha: str,
    result: CheckResult,
    run: CheckRun | None,
    protected: frozenset[str] = frozenset(),
    posted: int = 0,
) -> CheckRun:
    """Post the result: one request per 50 annotations (GitHub accumulates them on a run).

    `run`: the run a previous event left on this commit, updated in place; None creates the
    run, already completed (no "in progress" request before it).

    `posted`: annotations the run already carries from an earlier run on this commit; the same
    commit gives the same findings, so when the count matches they are not added twice.
    """
    if posted and posted == len(result.annotations):
        result = replace(result, annotations=[])
    elif posted:
        note = f"\n> {posted} annotations from an earlier run on this commit are still shown.\n"
        result = replace(result, summary=result.summary + note)
    for out in outputs(result, protected):
        if run is None:
            run = client.create_check_run(sha, result.name, "completed", out, result.conclusion)
        else:
            run = client.update_check_run(run.id, "completed", out, result.conclusion)
    assert run is not None
    return run
