"""Check-run payloads: annotations at file/line, batching, cap, escaping, size limits, re-runs."""

from __future__ import annotations

from typing import Any

from kfm_bot.github import check_runs
from kfm_bot.github.interface import CheckOutput, CheckRun, GitHubClient
from kfm_bot.github.limits import MAX_ANNOTATIONS, MAX_OUTPUT_BYTES, clip_bytes
from kfm_bot.github.protect import redact
from kfm_bot.models.report import Conclusion, GateReport, GateResult, ReportFinding


def finding(i: int, message: str = "bad value", path: str | None = "s") -> ReportFinding:
    return ReportFinding(
        rule="B.spdx-invalid",
        severity="error",
        message=message,
        path=f"registry/sources/{path}{i}.yaml" if path else None,
        line=i + 1,
        column=3,
    )


def report(findings: list[ReportFinding], conclusion: Conclusion = "failure") -> GateReport:
    gate = GateResult(gate="B", name="licensing", status="fail", findings=findings)
    return GateReport(
        kfm_gate_report_version="v1",
        base="a" * 40,
        head="b" * 40,
        conclusion=conclusion,
        datasets=[],
        gates=[gate],
    )


class Recorder(GitHubClient):
    """A client that records check-run writes (the payload logic needs no server)."""

    repo = "org/data"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, CheckOutput, str | None]] = []

    def create_check_run(
        self, sha: str, name: str, status: str, output: CheckOutput, conclusion: str | None = None
    ) -> CheckRun:
        self.calls.append(("create", status, output, conclusion))
        return CheckRun(len(self.calls), name, sha, status, conclusion)

    def update_check_run(
        self, run_id: int, status: str, output: CheckOutput, conclusion: str | None = None
    ) -> CheckRun:
        self.calls.append((f"update {run_id}", status, output, conclusion))
        return CheckRun(run_id, "x", "sha", status, conclusion)

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected call {name}")

    get_pull = pulls_for_commit = list_open_pulls = list_reviews = list_pull_commits = None  # type: ignore[assignment]
    list_issue_comments = list_check_runs = create_tag = create_release = None  # type: ignore[assignment]
    rate_limit_remaining = None  # type: ignore[assignment]


def test_annotation_at_exact_file_line_and_column() -> None:
    note = check_runs.annotation(finding(4))
    assert note == {
        "path": "registry/sources/s4.yaml",
        "start_line": 5,
        "end_line": 5,
        "annotation_level": "failure",
        "message": "bad value",
        "title": "B.spdx-invalid",
        "start_column": 3,
        "end_column": 3,
    }
    assert check_runs.annotation(finding(1, path=None)) is None


def test_batches_of_50_then_cap_with_a_note() -> None:
    result = check_runs.gates_result(report([finding(i) for i in range(MAX_ANNOTATIONS + 20)]))
    assert len(result.annotations) == MAX_ANNOTATIONS and result.dropped == 20
    assert "20 more" in result.summary
    outs = check_runs.outputs(result)
    assert [len(o.annotations) for o in outs] == [50] * 10


def test_finish_creates_the_run_completed_then_one_request_per_batch() -> None:
    client = Recorder()
    result = check_runs.gates_result(report([finding(i) for i in range(120)]))
    check_runs.finish(client, "b" * 40, result, None)
    assert [(c[0], c[1]) for c in client.calls] == [
        ("create", "completed"),
        ("update 1", "completed"),
        ("update 1", "completed"),
    ]
    assert all(c[3] == "failure" for c in client.calls)


def test_rerun_updates_existing_run_instead_of_adding_one() -> None:
    client = Recorder()
    old = CheckRun(77, check_runs.GATES_CHECK, "b" * 40, "completed", "failure")
    other = CheckRun(99, check_runs.APPROVALS_CHECK, "b" * 40, "completed", "success")
    existing = check_runs.find_run([other, old], check_runs.GATES_CHECK)
    check_runs.finish(client, "b" * 40, check_runs.gates_result(report([], "success")), existing)
    assert [c[0] for c in client.calls] == ["update 77"]


def test_pr_strings_are_escaped() -> None:
    hostile = "@octocat <img src=x onerror=alert(1)> ::add-mask::x\n::error::y"
    result = check_runs.gates_result(report([finding(1, hostile)]))
    note = result.annotations[0]["message"]
    assert "@octocat" not in note and "::add-mask::" not in note and "::error::" not in note
    summary = check_runs.outputs(result)[0].summary
    assert "@octocat" not in summary and "<img" not in summary


def test_output_fits_github_limits_in_bytes() -> None:
    big = "é" * 40_000  # 80,000 bytes in UTF-8
    result = check_runs.gates_result(report([finding(i, big) for i in range(100)]))
    out = check_runs.outputs(result)[0]
    assert len(out.summary.encode("utf-8")) <= MAX_OUTPUT_BYTES
    clipped = clip_bytes("€" * 30_000)
    assert len(clipped.encode()) <= MAX_OUTPUT_BYTES and clipped.endswith("(truncated)")


def test_protected_values_are_redacted_before_posting() -> None:
    secret = "38.123456"
    result = check_runs.gates_result(report([finding(1, f"site at {secret}, -97.654321")]))
    outs = check_runs.outputs(result, frozenset({secret, "97.654321"}))
    text = outs[0].summary + str(outs[0].annotations)
    assert secret not in text and "97.654321" not in text
    assert redact("keep 38.12", frozenset({secret})) == ("keep 38.12", 0)


def test_a_rerun_does_not_add_the_same_annotations_twice() -> None:
    client = Recorder()
    old = CheckRun(5, check_runs.GATES_CHECK, "b" * 40, "completed", "failure", annotations_count=3)
    result = check_runs.gates_result(report([finding(i) for i in range(3)]))
    check_runs.finish(client, "b" * 40, result, old, posted=old.annotations_count)
    assert [len(c[2].annotations) for c in client.calls] == [0]
    client = Recorder()
    result = check_runs.gates_result(report([finding(i) for i in range(4)]))
    check_runs.finish(client, "b" * 40, result, old, posted=3)
    assert [len(c[2].annotations) for c in client.calls] == [4]
    assert "3 annotations from an earlier run" in client.calls[0][2].summary
