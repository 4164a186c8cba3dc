"""Gate E receipts and gate A spec_hash stability on in-memory trees, one rule branch at a time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kfm_bot.findings import Finding
from kfm_bot.gates.a_identity import stability
from kfm_bot.gates.e_receipts import receipts
from tests.bad_trees import content
from tests.bad_trees.memory import MemorySnapshot, context

SPEC = "specs/county_lines/spec.yaml"
RUN = "specs/county_lines/receipts/run-1.json"


def _run(files: dict[str, bytes], check: Any = receipts) -> list[Finding]:
    findings: list[Finding] = check.run(context(MemorySnapshot(files)))
    return findings


def _with_receipt(**changes: Any) -> dict[str, bytes]:
    return content.files(run=content.receipt(**changes))


def _spec(old: str, new: str) -> dict[str, bytes]:
    text = content.SPEC.replace(old, new)
    assert text != content.SPEC
    return content.files(text)


def test_valid_dataset_passes_both_checks() -> None:
    assert _run(content.files()) == []
    assert _run(content.files(), stability) == []


def test_missing_receipts() -> None:
    found = _run(_spec("receipts: [receipts/run-1.json]", "receipts: [receipts/run-2.json]"))
    assert [f.rule for f in found] == ["E.receipt-missing", "E.receipt-missing"]
    assert all(f.path == SPEC and f.line == 16 for f in found)


def test_receipt_must_cover_the_spec_outputs() -> None:
    other = [{"path": "fixtures/other.geojson", "digest": content.digest(b"x")}]
    files = {**_with_receipt(outputs=other), "specs/county_lines/fixtures/other.geojson": b"x"}
    (f,) = _run(files)
    assert (f.rule, f.path, f.line) == ("E.outputs-not-covered", SPEC, 12)


@pytest.mark.parametrize("digest", [None, "md5:abc", "sha256:" + "A" * 64])
def test_every_input_and_output_needs_a_digest(digest: str | None) -> None:
    inputs = [{"source_id": "county-lines", "digest": digest}]
    (f,) = _run(_with_receipt(inputs=inputs))
    assert (f.rule, f.path) == ("E.digest-missing", RUN)
    assert f.line and f.line > 1


@pytest.mark.parametrize("path", ["../other/x.geojson", "/etc/passwd", "a\\b", "C:/x"])
def test_paths_outside_the_dataset_are_findings(path: str) -> None:
    outputs = [{"path": path, "digest": content.digest(b"x")}]
    found = _run(_with_receipt(outputs=outputs))
    assert "E.path-outside" in {f.rule for f in found}
    assert all(f.line for f in found)


def test_digests_of_repository_files_must_match_their_bytes() -> None:
    files = content.files()
    files["specs/county_lines/fixtures/sample.geojson"] += b" "
    (f,) = _run(files)
    assert (f.rule, f.path) == ("E.digest-mismatch", RUN)
    outputs = [{"path": "fixtures/gone.geojson", "digest": content.digest(b"x")}]
    rules = {f.rule for f in _run(_with_receipt(outputs=outputs))}
    assert rules == {"E.file-missing", "E.outputs-not-covered"}


def test_environment_must_be_recorded() -> None:
    (f,) = _run(_with_receipt(environment={"container_digest": content.digest(b"i")}))
    assert f.rule == "E.environment-incomplete"
    assert "git_commit, params_digest" in f.message


def test_qa_report_exists_and_matches_the_recorded_digest() -> None:
    files = content.files()
    files["specs/county_lines/qa/report.json"] = content.QA.replace(b"valid", b"closed", 1)
    (f,) = _run(files)
    assert (f.rule, f.path) == ("E.qa-digest-mismatch", RUN)
    del files["specs/county_lines/qa/report.json"]
    assert {f.rule for f in _run(files)} == {"E.qa-missing"}


QA_PATH = "specs/county_lines/qa/report.json"


def _with_qa(status: str, *checks: str, validation: str = "pass") -> dict[str, bytes]:
    """A tree whose QA report (one check per status, indented) is the one the receipt names."""
    listed = [{"id": f"check.{n}", "status": s} for n, s in enumerate(checks or ("pass",))]
    report = {"kfm_qa_report_version": "v1", "dataset_slug": "county_lines", "status": status}
    raw = (json.dumps({**report, "checks": listed}, indent=2) + "\n").encode()
    recorded = {"status": validation, "report_digest": content.digest(raw)}
    return {**_with_receipt(validation=recorded), QA_PATH: raw}


def _at(f: Finding) -> tuple[str, str, int | None, int | None]:
    return (f.rule, f.path or "", f.line, f.column)


@pytest.mark.parametrize("status", ["fail", "warn"])
def test_a_qa_report_that_does_not_say_pass_fails_at_its_status(status: str) -> None:
    # The digests all agree: only the QA verdict itself says no.
    (f,) = _run(_with_qa(status))
    assert _at(f) == ("E.qa-failed", QA_PATH, 4, 13) and f.is_error
    assert repr(status) in f.message


def test_a_failing_check_fails_even_when_the_report_claims_pass() -> None:
    found = _run(_with_qa("pass", "pass", "fail", "skip", "passed"))
    assert [_at(f) for f in found] == [
        ("E.qa-check-failed", QA_PATH, 12, 17),
        ("E.qa-check-failed", QA_PATH, 20, 17),
    ]
    assert all(f.is_error for f in found) and "'check.1'" in found[0].message


def test_a_warning_check_is_shown_but_does_not_block() -> None:
    (f,) = _run(_with_qa("pass", "pass", "warn"))
    assert _at(f) == ("E.qa-check-warn", QA_PATH, 12, 17)
    assert not f.is_error and "does not block" in f.message


@pytest.mark.parametrize("validation", ["fail", "warn", "degraded"])
def test_a_receipt_whose_validation_did_not_pass_fails(validation: str) -> None:
    files = _with_qa("pass", validation=validation)
    (f,) = _run(files)
    line = files[RUN].decode().splitlines().index(f'    "status": "{validation}",') + 1
    assert _at(f) == ("E.validation-failed", RUN, line, 15) and f.is_error


def test_an_unreadable_qa_report_is_not_a_pass() -> None:
    files = _with_qa("pass")
    files[QA_PATH] = b'{"status": "pass", "checks": [}\n'
    found = _run(files)
    assert "E.qa-failed" in {f.rule for f in found}


def test_dataset_version_id_ends_with_the_spec_hash_prefix() -> None:
    (f,) = _run(_with_receipt(dataset_version_id="2026-11.deadbeef"))
    assert (f.rule, f.path) == ("E.version-id-mismatch", RUN)


def test_receipt_spec_hash_must_be_the_computed_one() -> None:
    files = _with_receipt(spec_hash=content.digest(b"another spec"))
    (f,) = _run(files, stability)
    assert (f.rule, f.path) == ("A.receipt-spec-hash", RUN)
    assert (
        f.line
        == json.dumps(content.receipt(), indent=2)
        .splitlines()
        .index(
            next(
                x for x in json.dumps(content.receipt(), indent=2).splitlines() if "spec_hash" in x
            )
        )
        + 1
    )


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("latest", "A.floating-version"),
        ("ghcr.io/osgeo/gdal:latest", "A.floating-version"),
        (">=3.8", "A.floating-version"),
        ("~=1.2", "A.floating-version"),
        ("^2.0.1", "A.floating-version"),
        ("gdal>=3.8", "A.floating-version"),
        ("3.x", "A.floating-version"),
        ("3.8.*", "A.floating-version"),
        ("*", "A.floating-version"),
        ("/home/alice/data/counties.shp", "A.absolute-path"),
        ("C:\\\\data\\\\x.shp", "A.absolute-path"),
        ("~/data.shp", "A.absolute-path"),
        ("file:///tmp/x", "A.absolute-path"),
        ("$HOME/data.shp", "A.env-reference"),
        ("s3://${BUCKET}/x", "A.env-reference"),
        ("%APPDATA%\\\\x", "A.env-reference"),
        ("now", "A.relative-time"),
        ("Today", "A.relative-time"),
        ("yesterday", "A.relative-time"),
        ("now() - 1d", "A.relative-time"),
    ],
)
def test_volatile_values_are_located(value: str, rule: str) -> None:
    files = _spec("params: {tolerance_m: 50}", f'params: {{tolerance_m: 50, where: "{value}"}}')
    found = _run(files, stability)
    assert [(f.rule, f.path, f.line) for f in found] == [(rule, SPEC, 10)]


@pytest.mark.parametrize(
    "value",
    [
        "3.8.4",
        "v2.1.0",
        "EPSG:4326",
        "https://example.org/a%20b%C3%A9",
        "costs $5",
        "x",
        "depth_ft>=100",
    ],
)
def test_stable_values_pass(value: str) -> None:
    files = _spec("params: {tolerance_m: 50}", f'params: {{tolerance_m: 50, where: "{value}"}}')
    assert _run(files, stability) == []


def test_every_restyled_variant_must_hash_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    import kfm_bot.yaml.styles

    real = kfm_bot.yaml.styles.restyle(content.receipt())
    assert len(real) >= 2  # the check means something only with several styles
    broken = {"flow": b"{kfm_pipeline_spec_version: v1, title: other}\n"}
    monkeypatch.setattr(kfm_bot.yaml.styles, "restyle", lambda doc: broken)
    (f,) = _run(content.files(), stability)
    assert (f.rule, f.path, f.line) == ("A.spec-hash-unstable", SPEC, 1)
    assert "flow" in f.message
