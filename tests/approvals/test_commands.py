"""The command parser: exact ASCII at the start of a line, outside quotes, code and comments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfm_bot.approvals.lookalike import looks_like_command
from kfm_bot.approvals.slash_commands import parse_commands


def _verbs(body: str) -> list[str]:
    return [c.verb for c in parse_commands(body)[0]]


def test_each_verb_and_its_arguments() -> None:
    body = "/kfm approve ks_water_wells source:kgs-water-wells policies\n/kfm hold  the reason \n"
    commands, problems = parse_commands(body + "/kfm unhold\n   /kfm revoke please")
    assert problems == []
    assert [c.verb for c in commands] == ["approve", "hold", "unhold", "revoke"]
    assert commands[0].args == ("ks_water_wells", "source:kgs-water-wells", "policies")
    assert commands[1].text == "the reason"
    assert [c.line for c in commands] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "body",
    [
        "> /kfm hold x",
        "   > /kfm hold x",
        "```\n/kfm hold x\n```",
        "````\n```\n/kfm hold x\n````",
        "~~~\n/kfm hold x\n~~~",
        "\t/kfm hold x",
        "    /kfm hold x",
        "<!--\n/kfm hold x\n-->",
        "<!-- /kfm hold x -->",
        "text /kfm hold x",
        "- /kfm hold x",
        "/kfmhold x",
    ],
)
def test_not_a_command(body: str) -> None:
    assert _verbs(body) == []


def test_a_fence_closes_only_with_its_own_kind() -> None:
    assert _verbs("```\n~~~\n/kfm hold a\n```\n/kfm unhold") == ["unhold"]
    assert _verbs("<!-- a\nb -->\n/kfm hold a") == ["hold"]


def test_windows_line_endings() -> None:
    assert _verbs("hi\r\n/kfm revoke\r\n") == ["revoke"]


@pytest.mark.parametrize(
    "line",
    [
        "／kfm hold x",
        "∕kfm hold x",
        "/ｋｆｍ hold x",
        "/kfm hоld x",  # Cyrillic о
        "/kfm ᴴold x",
        "\u200b/kfm hold x",
        "/kfm\u2003hold x",
        "/kfm hold\u200b",
        "/KFM HOLD x",
        "/kfm un\u00adhold",
    ],
)
def test_lookalikes_are_problems_never_commands(line: str) -> None:
    commands, problems = parse_commands(line)
    assert commands == []
    assert [p.kind for p in problems] in (["lookalike"], ["unknown-verb"])
    assert looks_like_command(line) or problems[0].kind == "unknown-verb"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("/kfm approve", "no-argument"),
        ("/kfm approve ../etc", "bad-argument"),
        ("/kfm approve Wells", "bad-argument"),
        ("/kfm merge", "unknown-verb"),
    ],
)
def test_malformed_commands(body: str, kind: str) -> None:
    commands, problems = parse_commands(body)
    assert commands == [] and [p.kind for p in problems] == [kind]


def test_long_hold_reasons_are_capped() -> None:
    (command,), _ = parse_commands("/kfm hold " + "x" * 5000)
    assert len(command.text) == 200


@given(st.text(max_size=300))
def test_any_text_parses_without_error(body: str) -> None:
    commands, problems = parse_commands(body)
    for command in commands:
        assert command.verb in {"approve", "revoke", "hold", "unhold"}
    assert all(p.line >= 1 for p in problems)
