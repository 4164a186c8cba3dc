"""`Finding` keeps the behaviour of the frozen, slotted dataclass it replaced (see findings.py)."""

from __future__ import annotations

import copy
import pickle

import pytest

from kfm_bot.findings import Finding, Severity, error, warning


def test_findings_compare_hash_and_show_by_value() -> None:
    one = error("A.rule", "msg", "a.yaml", 2, 3)
    assert one == Finding("A.rule", Severity.ERROR, "msg", "a.yaml", 2, 3)
    assert one != warning("A.rule", "msg", "a.yaml", 2, 3) and one != ("A.rule",)
    assert len({one, error("A.rule", "msg", "a.yaml", 2, 3)}) == 1
    assert repr(error("B.x", "m")) == (
        "Finding(rule='B.x', severity=<Severity.ERROR: 'error'>, message='m', path=None, "
        "line=None, column=None)"
    )
    match one:
        case Finding("A.rule", Severity.ERROR, _, path, line):
            assert (path, line) == ("a.yaml", 2)
        case _:
            pytest.fail("positional match failed")


def test_findings_cannot_change_and_replace_makes_a_copy() -> None:
    one = error("A.rule", "msg", "a.yaml", 2, 3)
    with pytest.raises(AttributeError):
        one.message = "other"
    with pytest.raises(AttributeError):
        one.extra = 1
    with pytest.raises(AttributeError):
        del one.rule
    changed = one.replace(severity=Severity.WARNING)
    assert changed == warning("A.rule", "msg", "a.yaml", 2, 3) and one.is_error
    with pytest.raises(TypeError, match="no field 'colour'"):
        one.replace(colour="red")


def test_findings_survive_copy_and_pickle() -> None:
    one = warning("A.rule", "msg", "a.yaml", 2, 3)
    assert copy.copy(one) == copy.deepcopy(one) == pickle.loads(pickle.dumps(one)) == one
