"""Every `kfm-bot` command line the READMEs show exists, with options its `--help` lists.

A newcomer copies these lines first. Each ```sh block of kfm-bot's README.md and of the
README `kfm-bot init` writes is read as a shell would split it (comments dropped, `\\`
continuations joined, `VAR=value` prefixes skipped); a line running `kfm-bot` is resolved
through the real click tree (the lazily imported subcommands included) to the command it
names, and each option must be one that command accepts, with a value its choices allow."""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml

from kfm_bot.commands.root import cli
from kfm_bot.scaffold.init_repo import Pin, Steward, init_repository

ROOT = Path(__file__).resolve().parents[1]
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
SUBSTITUTION = re.compile(r"\$\([^()]*\)")  # `$(gh auth token)`: one word to a shell


def command_lines(markdown: str) -> Iterator[list[str]]:
    """The argument lists after `kfm-bot` of every ```sh line that runs it."""
    for block in SH_BLOCK.findall(markdown):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(SUBSTITUTION.sub("VALUE", line), comments=True)
            while words and ASSIGNMENT.match(words[0]):
                words.pop(0)
            if words and words[0] == "kfm-bot":
                # `[--opt VALUE]` marks an optional part in the docs: the brackets are not shell
                yield [w.strip("[]") for w in words[1:] if w.strip("[]")]


def problems(args: list[str]) -> list[str]:
    """What is wrong with `kfm-bot ARGS` against the command tree: [] when nothing."""
    command: click.Command = cli
    ctx = click.Context(cli, info_name="kfm-bot")
    rest = list(args)
    path = "kfm-bot"
    while isinstance(command, click.Group):
        while rest and rest[0].startswith("-"):  # the group's own options (--debug)
            if (wrong := _unknown(command, rest.pop(0), rest, path)) is not None:
                return [wrong]
        if not rest:
            return []  # the group alone prints its help
        name = rest.pop(0)
        sub = command.get_command(ctx, name)
        if sub is None:
            return [
                f"`{path} {name}`: no such command (has: {', '.join(command.list_commands(ctx))})"
            ]
        command, ctx, path = sub, click.Context(sub, parent=ctx, info_name=name), f"{path} {name}"
    found: list[str] = []
    while rest:
        word = rest.pop(0)
        problem = _unknown(command, word, rest, path) if word.startswith("-") else None
        if word != "-" and problem is not None:
            found.append(problem)
    return found


def _unknown(command: click.Command, word: str, rest: list[str], path: str) -> str | None:
    """None when `word` (and the value it takes from `rest`) is an option of `command`."""
    name, eq, inline = word.partition("=")
    for param in command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            if param.is_flag or param.count or name in param.secondary_opts:
                return None
            value = inline if eq else (rest.pop(0) if rest else "")
            choices = param.type.choices if isinstance(param.type, click.Choice) else None
            if choices is not None and value and value not in choices:
                return f"`{path} {name} {value}`: not one of {', '.join(map(str, choices))}"
            return None
    if name in ("-h", "--help"):
        return None
    return f"`{path}`: no option {name}"


def test_the_checker_catches_drift() -> None:
    """Renamed commands, unknown options and values outside a choice are caught; real lines
    with placeholders and optional parts are not."""
    assert problems(["check", "--all", "--format", "sarif"]) == []
    assert problems(["--debug", "roster", "check", "--repo", "DIR", "--api-url", "URL"]) == []
    assert problems(["checks"])[0].startswith("`kfm-bot checks`: no such command")
    assert problems(["roster", "verify"])[0].startswith("`kfm-bot roster verify`: no such")
    assert problems(["check", "--everything"]) == ["`kfm-bot check`: no option --everything"]
    assert problems(["check", "--format=yaml"])[0].startswith("`kfm-bot check --format yaml`")
    assert list(
        command_lines("```sh\nX=$(a b) kfm-bot diff \\\n  --base REF  # c\nmake\n```\n")
    ) == [["diff", "--base", "REF"]]


def test_every_readme_command_line_is_a_real_command() -> None:
    lines = list(command_lines((ROOT / "README.md").read_text(encoding="utf-8")))
    assert len(lines) >= 20, lines  # the README's command blocks were found at all
    assert {line[0] for line in lines} >= {"check", "hash", "init", "new", "refresh", "roster"}
    assert [(line, p) for line in lines for p in problems(line)] == []


@pytest.fixture(scope="module")
def generated_readme(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("gov") / "gov"
    pin = Pin("example-org/kfm-bot", "0123456789abcdef0123456789abcdef01234567", "given")
    init_repository(root, pin, [Steward("ada", 4410021)], None, "main", False, False)
    return (root / "README.md").read_text(encoding="utf-8")


def test_every_command_line_of_an_init_readme_is_a_real_command(generated_readme: str) -> None:
    lines = list(command_lines(generated_readme))
    assert {line[0] for line in lines} >= {"new", "refresh", "check"}, lines
    assert [(line, p) for line in lines for p in problems(line)] == []


YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)


def kfm_uses(markdown: str) -> Iterator[tuple[str, dict[str, object], str]]:
    """(what a `uses:` of kfm-bot names, its `with:`, the block) for each job and step of the
    ```yaml blocks; a `uses:` naming another owner's kfm-bot is yielded as it is, to fail."""
    for block in YAML_BLOCK.findall(markdown):
        for job in (yaml.safe_load(block).get("jobs") or {}).values():
            for user in [job, *job.get("steps", [])]:
                uses = str(user.get("uses", ""))
                if "kfm-bot" in uses:
                    yield uses.partition("@")[0], dict(user.get("with") or {}), block


def test_every_readme_workflow_calls_kfm_bot_with_inputs_it_has() -> None:
    """The README's workflow snippets name kfm-bot's repository (a newcomer copies them, and
    `OWNER` is nobody), a reusable workflow or the action that exists, only inputs it
    declares, and only outputs the action sets."""
    source = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Source"]
    repository = source.removeprefix("https://github.com/")
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    seen = 0
    for uses, given, block in kfm_uses((ROOT / "README.md").read_text()):
        seen += 1
        assert uses.startswith(repository), uses
        path = uses.removeprefix(repository).lstrip("/")
        if path:
            workflow = yaml.safe_load((ROOT / path).read_text())
            declared = workflow[True]["workflow_call"].get("inputs", {})  # `on:` is YAML 1.1 true
        else:
            declared = action["inputs"]
            for output in re.findall(r"steps\.[\w-]+\.outputs\.([\w-]+)", block):
                assert output in action.get("outputs", {}), output
            if "mode" in given:
                assert f"{given['mode']} (" in declared["mode"]["description"], given["mode"]
        assert set(given) <= set(declared), (uses, set(given) - set(declared))
        if "kfm-bot-repository" in given:
            assert given["kfm-bot-repository"] == repository
    assert seen >= 2
