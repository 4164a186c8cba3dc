"""The C parser's lighter events (`yaml.c_events`): same readings, same findings, restored after."""

from __future__ import annotations

import types
from contextlib import nullcontext

import pytest
from ruamel.yaml import events

from kfm_bot.yaml import c_events, strict

_ruamel_yaml = pytest.importorskip("_ruamel_yaml")

DOCUMENTS = [
    b"a: plain\nb: 'single'\nc: \"double\"\nd: |\n  lit\ne: >-\n  folded\n",
    b"source_id: x\nlist: [1, 2.5, true, null, ~, x]\nnested: {k: [a, {b: c}]}\n",
    b"a: !!str 1\n",
    b"a: &anchor {b: c}\nd: *anchor\n",
    b"a: 1\na: 2\n",
    b"? [a]\n: b\n",
    b"- a\n- b\n",
    b'a: "\\u200b id"\nsource_id: "x\\u200by"\n',
    b"%YAML 1.2\n---\na: b\n",
    b"a: b\n---\nc: d\n",
    b"a: [b, c\n",
    b"a:\n  - {}\n  - []\n  - ''\n",
]


def _reading(raw: bytes) -> tuple[object, tuple[tuple[str, int | None, int | None, str], ...]]:
    loaded = strict.load_strict(raw, "registry/sources/x.yaml")
    return loaded.data, tuple((f.rule, f.line, f.column, f.message) for f in loaded.findings)


def test_the_swap_is_proven_on_the_installed_extension() -> None:
    assert c_events.usable(_ruamel_yaml)


@pytest.mark.parametrize("raw", DOCUMENTS)
def test_light_events_read_like_ruamels(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    light = _reading(raw)
    monkeypatch.setattr(strict, "_light_events", nullcontext)
    assert _reading(raw) == light


def test_ruamels_classes_are_bound_again_after_a_load_even_a_failed_one() -> None:
    for raw in (b"a: b\n", b"a: [b\n", b"a: 1\na: 2\n"):
        strict.load_strict(raw, "x.yaml")
        for name in ("ScalarEvent", "MappingStartEvent", "SequenceEndEvent"):
            assert getattr(_ruamel_yaml, name) is getattr(events, name)


def test_an_extension_that_binds_other_classes_is_not_swapped() -> None:
    fake = types.ModuleType("_fake_ruamel_yaml")
    fake.CParser = _ruamel_yaml.CParser  # type: ignore[attr-defined]
    for name in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent"):
        setattr(fake, name, getattr(events, name))
    # MappingEndEvent / SequenceEndEvent missing: a different extension, keep ruamel's classes
    assert not c_events.usable(fake)
