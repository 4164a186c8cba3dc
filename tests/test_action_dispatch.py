"""`kfm-bot action` routes every event it accepts to a real handler function, and nothing else."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from kfm_bot.github import payloads
from kfm_bot.handlers.dispatch import HANDLERS, dispatch
from kfm_bot.handlers.event import Event

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(path.read_text())
    return loaded


def _runs_the_bot(workflow: dict[str, Any]) -> bool:
    """A step runs `kfm-bot action`, or the composite action (action.yml, checked out at
    .kfm-bot), or a job calls a local reusable workflow that does."""
    for job in workflow["jobs"].values():
        called = job.get("uses", "")
        if called.startswith("./") and _runs_the_bot(_load(ROOT / called)):
            return True
        for step in job.get("steps", []):
            if "kfm-bot action" in step.get("run", "") or step.get("uses") == "./.kfm-bot":
                return True
    return False


def _events_sent_to_the_action() -> set[str]:
    """The triggers of every shipped workflow that runs `kfm-bot action`, directly or through
    the reusable workflows (whose own trigger, workflow_call, is their callers')."""
    action = [s.get("run", "") for s in _load(ROOT / "action.yml")["runs"]["steps"]]
    assert any('/kfm-bot" action' in run for run in action)
    events: set[str] = set()
    for path in WORKFLOWS:
        workflow = _load(path)
        if _runs_the_bot(workflow):
            events |= set(workflow["on"]) - {"workflow_call"}
    return events


def test_every_event_a_workflow_sends_has_a_handler() -> None:
    events = _events_sent_to_the_action()
    assert {"pull_request", "workflow_run", "push", "issue_comment"} <= events
    assert events <= HANDLERS.keys()


def test_every_handled_event_has_its_payload_checked_and_no_other_is() -> None:
    assert HANDLERS.keys() == payloads.MODELS.keys()


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_each_route_is_a_handler_module_function(name: str) -> None:
    handler = HANDLERS[name]
    assert inspect.isfunction(handler)
    assert handler.__module__.startswith("kfm_bot.handlers.") and handler.__name__ == "handle"
    assert list(inspect.signature(handler).parameters) == ["event"]


def _event(name: str, tmp_path: Path, said: list[str]) -> Event:
    return Event(name, {"action": "x"}, "o/r", tmp_path, post=False, say=said.append)


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_dispatch_checks_the_payload_then_calls_the_routed_handler(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def handler(event: Event) -> int:
        calls.append(f"handle {event.name}")
        return 7

    monkeypatch.setattr(payloads, "check_payload", lambda event, _: calls.append(f"check {event}"))
    monkeypatch.setitem(HANDLERS, name, handler)
    assert dispatch(_event(name, tmp_path, [])) == 7
    assert calls == [f"check {name}", f"handle {name}"]


def test_an_event_without_a_handler_is_ignored(tmp_path: Path) -> None:
    said: list[str] = []
    assert dispatch(_event("issues", tmp_path, said)) == 0
    assert said == ["kfm-bot: ignored issues.x: kfm-bot has nothing to do for this event"]
