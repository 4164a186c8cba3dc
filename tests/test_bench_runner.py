"""benchmarks/run.py streams its table: the header first, each module's rows as soon as that
module finishes, so a crash late in a long run still leaves the rows measured before it."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from benchmarks import run as runner


def _module(name: str, rows: list[dict[str, str]] | None) -> types.ModuleType:
    """A benchmark module whose `run` returns `rows`, or crashes when `rows` is None."""
    module = types.ModuleType(f"benchmarks.{name}")

    def run(smoke: bool) -> list[dict[str, str]]:
        if rows is None:
            raise RuntimeError("the object store went away")
        return rows

    module.run = run  # type: ignore[attr-defined]
    return module


@pytest.fixture
def modules(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    row = {"benchmark": "early", "case": "c", "result": "1 s", "target": "< 2 s", "ok": "yes"}
    slow = {**row, "benchmark": "late", "ok": "no"}
    monkeypatch.setitem(sys.modules, "benchmarks.fake_early", _module("fake_early", [row]))
    monkeypatch.setitem(sys.modules, "benchmarks.fake_late", _module("fake_late", [slow]))
    monkeypatch.setitem(sys.modules, "benchmarks.fake_crash", _module("fake_crash", None))
    yield


def test_rows_printed_before_a_later_module_crashes(
    modules: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(RuntimeError, match="object store"):
        runner.main(["--only", "fake_early", "fake_crash"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| benchmark | case | result | target | ok |"
    assert lines[1] == "|---|---|---|---|---|"
    assert lines[2] == "| early | c | 1 s | < 2 s | yes |"


def test_exit_code_still_says_whether_any_target_was_missed(
    modules: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert runner.main(["--only", "fake_early"]) == 0
    assert runner.main(["--only", "fake_late", "fake_early"]) == 1
    assert runner.main(["--smoke", "--only", "fake_late"]) == 0  # smoke judges no target
    out = capsys.readouterr().out
    assert out.count("| benchmark | case |") == 3 and "| late | c | 1 s | < 2 s | (smoke) |" in out
