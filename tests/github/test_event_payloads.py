"""Malformed event payloads through `kfm-bot action`: a usage error naming the field, exit 2.

The payloads start as what the emulator sends for a real pull request, then lose or break
one field, as a hand-written or truncated GITHUB_EVENT_PATH file would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kfm_bot.emulator import events
from kfm_bot.emulator.testing import running_emulator
from tests.github.world import World, make_world

Payload = dict[str, Any]
MISSING = object()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("payloads")
    with running_emulator(tmp) as emu:
        yield make_world(emu, tmp)


@pytest.fixture(scope="module")
def payloads(world: World) -> dict[str, Callable[[], Payload]]:
    """A fresh, well-formed payload of each event the action handles, for one open PR."""
    head = world.push("feat", {"NOTES.md": "notes\n"})
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    rid = world.emu.submit_review("org", "data", number, user="mara-osei", state="APPROVED")
    cid = world.emu.add_comment("org", "data", number, user="june-harjo", body="/kfm hold x")
    emu = world.emu
    group = emu.enqueue("org", "data", [number], by="mara-osei")
    return {
        "merge_group": lambda: events.merge_group(emu, "org", "data", group, sender="mara-osei"),
        "pull_request": lambda: events.pull_request(emu, "org", "data", number, "opened"),
        "pull_request_target": lambda: events.pull_request(emu, "org", "data", number, "opened"),
        "pull_request_review": lambda: events.pull_request_review(emu, "org", "data", number, rid),
        "issue_comment": lambda: events.issue_comment(emu, "org", "data", cid),
        "workflow_run": lambda: events.workflow_run(emu, "org", "data", number, run_id=901),
        "push": lambda: events.push(emu, "org", "data", "refs/heads/feat", head, pusher="alice"),
    }


def _edit(payload: Payload, path: str, value: Any) -> Payload:
    *parents, last = path.split(".")
    node = payload
    for part in parents:
        node = node[part]
    if value is MISSING:
        del node[last]
    else:
        node[last] = value
    return payload


CASES = [
    ("pull_request", "pull_request.head", MISSING, "pull_request.head is missing"),
    ("pull_request", "pull_request.base", MISSING, "pull_request.base is missing"),
    ("pull_request", "pull_request.head.sha", MISSING, "pull_request.head.sha is missing"),
    (
        "pull_request",
        "pull_request.number",
        "x",
        "pull_request.number must be an integer (got a string)",
    ),
    ("pull_request", "pull_request", [], "pull_request must be an object (got a list)"),
    ("pull_request", "pull_request.base.sha", "main", "pull_request.base.sha must be a commit id"),
    ("pull_request", "pull_request.user", {"id": 1}, "pull_request.user.login is missing"),
    ("pull_request", "changes", 5, "changes must be an object (got a number)"),
    ("pull_request_target", "pull_request.base", None, "pull_request.base must be an object"),
    ("pull_request_review", "pull_request.head", MISSING, "pull_request.head is missing"),
    ("pull_request_review", "pull_request.number", "7", "pull_request.number must be an integer"),
    ("issue_comment", "issue.number", "x", "issue.number must be an integer (got a string)"),
    ("issue_comment", "comment", None, "comment must be an object (got null)"),
    ("workflow_run", "workflow_run.head_sha", MISSING, "workflow_run.head_sha is missing"),
    ("workflow_run", "workflow_run.event", 3, "workflow_run.event must be a string"),
    ("merge_group", "merge_group.head_sha", MISSING, "merge_group.head_sha is missing"),
    ("merge_group", "merge_group.base_sha", "main", "merge_group.base_sha must be a commit id"),
    ("merge_group", "merge_group.head_ref", 7, "merge_group.head_ref must be a string"),
    ("merge_group", "merge_group", None, "merge_group must be an object (got null)"),
    ("push", "after", MISSING, "after is missing"),
    ("push", "before", "x", "before must be a commit id"),
    ("push", "ref", None, "ref must be a string (got null)"),
    ("push", "repository", "org/data", "repository must be an object (got a string)"),
]


@pytest.mark.parametrize(("name", "path", "value", "needle"), CASES, ids=[c[1] for c in CASES])
def test_a_malformed_payload_is_a_usage_error_naming_the_field(
    world: World,
    payloads: dict[str, Callable[[], Payload]],
    name: str,
    path: str,
    value: Any,
    needle: str,
) -> None:
    done = world.run(name, _edit(payloads[name](), path, value))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith(f"kfm-bot: error: the {name} event payload is malformed: ")
    assert needle in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_every_bad_field_is_named_and_no_value_is_echoed(
    world: World, payloads: dict[str, Callable[[], Payload]]
) -> None:
    payload = payloads["pull_request"]()
    payload["pull_request"]["head"]["sha"] = "::add-mask::secret-looking"
    del payload["pull_request"]["base"]
    payload["pull_request"]["number"] = "x"
    done = world.run("pull_request", payload)
    assert done.returncode == 2
    for field in ("pull_request.head.sha", "pull_request.base", "pull_request.number"):
        assert field in done.stderr
    assert "::" not in done.stderr and "secret-looking" not in done.stderr


def test_the_well_formed_payloads_still_go_through(
    world: World, payloads: dict[str, Callable[[], Payload]]
) -> None:
    for name, build in payloads.items():
        done = world.run(name, build(), "--no-post")
        assert "malformed" not in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
