"""Gate B's branchy logic: SPDX parsing, AND/OR choice, unclear licences, quarantine."""

from __future__ import annotations

import pytest

from kfm_bot.gates.b_licensing import licensing, quarantine, spdx
from tests.bcd_support import context, rules

SRC = "registry/sources/kgs-water-wells.yaml"
SPEC = "specs/ks_water_wells/spec.yaml"
ALLOWED = {"CC0-1.0", "CC-BY-4.0"}


def test_parse_normalises_case_and_reports_errors() -> None:
    assert spdx.parse("cc-by-4.0").leaves == ("CC-BY-4.0",)
    assert spdx.parse("CC-BY-4.0 AND").tree is None
    assert spdx.parse("((").error
    assert spdx.parse("").error == "the expression is empty"
    assert spdx.parse("Not-A-Licence-1.0").unknown == ("Not-A-Licence-1.0",)
    assert spdx.parse("MIT WITH Classpath-exception-2.0").leaves == (
        "MIT WITH Classpath-exception-2.0",
    )


@pytest.mark.parametrize(
    ("expression", "ok"),
    [
        ("CC0-1.0", True),
        ("CC-BY-NC-4.0", False),
        ("CC-BY-NC-4.0 OR CC-BY-4.0", True),  # one acceptable choice is enough
        ("CC-BY-NC-4.0 AND CC-BY-4.0", False),  # every part must be acceptable
        ("CC0-1.0 AND CC-BY-4.0", True),
        ("(CC-BY-NC-4.0 OR CC0-1.0) AND CC-BY-4.0", True),
        ("(CC-BY-NC-4.0 OR ODbL-1.0) AND CC-BY-4.0", False),
    ],
)
def test_source_choice_semantics(expression: str, ok: bool) -> None:
    assert spdx.choosable(spdx.parse(expression), lambda key: key in ALLOWED) is ok


def test_dataset_promise_needs_every_named_licence() -> None:
    assert spdx.promised(spdx.parse("CC0-1.0 OR CC-BY-NC-4.0"), ALLOWED.__contains__) == [
        "CC-BY-NC-4.0"
    ]
    assert spdx.promised(spdx.parse("CC0-1.0 AND CC-BY-4.0"), ALLOWED.__contains__) == []


def test_unclear_keys() -> None:
    policy = ["LicenseRef-unknown"]
    assert spdx.unclear_keys(spdx.parse("NONE"), policy, set()) == ["NONE"]
    assert spdx.unclear_keys(spdx.parse("LicenseRef-unknown"), policy, set()) == [
        "LicenseRef-unknown"
    ]
    assert spdx.unclear_keys(spdx.parse("LicenseRef-kfm-1"), policy, set()) == ["LicenseRef-kfm-1"]
    assert spdx.unclear_keys(spdx.parse("LicenseRef-kfm-1"), policy, {"LicenseRef-kfm-1"}) == []


def test_quarantined_source_with_unclear_licence_is_not_an_unclear_finding() -> None:
    # ks-historic-trails-scan is NOASSERTION and quarantined in the example content.
    assert licensing.run(context()) == []


def test_unclear_licence_message_says_to_quarantine() -> None:
    ctx = context(replace={SRC: ("spdx: CC-BY-4.0", "spdx: LicenseRef-unknown")})
    found = [f for f in licensing.run(ctx) if f.rule == "B.license-unclear"]
    assert len(found) == 1 and "quarantined" in found[0].message and found[0].path == SRC


def test_dataset_offering_a_choice_must_allow_every_choice() -> None:
    ctx = context(replace={SPEC: ("spdx: CC-BY-4.0", "spdx: CC-BY-4.0 OR CC0-1.0")})
    found = licensing.run(ctx)
    assert rules(found) == ["B.license-incompatible"]
    assert found[0].path == SPEC and found[0].line == 34


def test_licence_ref_named_by_policy_is_valid_and_allowed() -> None:
    policy = "policies/licenses.yaml"
    ctx = context(
        replace={
            SRC: ("spdx: CC-BY-4.0", "spdx: LicenseRef-kgs-open"),
            SPEC: ("spdx: CC-BY-4.0", "spdx: CC-BY-4.0"),
        },
        base_edits={policy: _policy_with_ref()},
    )
    assert licensing.run(ctx) == []


def _policy_with_ref() -> str:
    from tests.bcd_support import PROJECT

    text = (PROJECT / "policies/licenses.yaml").read_text()
    text = text.replace("public: [", "public: [LicenseRef-kgs-open, ")
    return text.replace("compatibility:\n", "compatibility:\n  LicenseRef-kgs-open: [CC-BY-4.0]\n")


def test_missing_licences_policy_fails_closed() -> None:
    ctx = context(base_edits={"policies/licenses.yaml": None})
    found = licensing.run(ctx)
    assert "B.license-not-allowed" in rules(found)
    assert all("licenses.yaml" in f.message for f in found if f.rule == "B.license-not-allowed")


def test_attribution_missing_key() -> None:
    body = '  attribution: "Water well data courtesy of the Kansas Geological Survey'
    body += ' (WWC5 database)."\n'
    ctx = context(replace={SRC: (body, "")})
    found = [f for f in licensing.run(ctx) if f.rule == "B.rights-missing"]
    assert len(found) == 1 and "attribution" in found[0].message


def test_quarantine_names_reason_owner_and_due_at_the_sources_line() -> None:
    quarantined = (
        "status: quarantined\nquarantine:\n  reason_code: rights-dispute\n"
        '  remediation:\n    owner: tomas-reyes\n    due: "2035-03-01"'
    )
    ctx = context(replace={SRC: ("status: active", quarantined)})
    found = quarantine.run(ctx)
    assert rules(found) == ["B.source-quarantined"]
    f = found[0]
    assert (f.path, f.line) == (SPEC, 9)
    assert (
        "rights-dispute" in f.message and "tomas-reyes" in f.message and "2035-03-01" in f.message
    )
