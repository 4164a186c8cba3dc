"""The ledger is anchored outside its file: tampering with a really promoted ledger is named.

One world for the module: three PRs merged on the emulator and promoted by one real `kfm-bot
promote --push` run (three commits, three tags). Each test takes a fresh clone, tampers with
`registry/ledger.jsonl` as an attacker would (by hand, or recomputing the whole chain so that
`seq` and `prev` agree again), and runs `kfm-bot ledger verify` and `kfm-bot check --all`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kfm_bot.cli import main
from kfm_bot.emulator.testing import running_emulator
from kfm_bot.ledger.chain import Ledger
from tests.github.world import make_world
from tests.gitrepo import GIT_ENV, commit_all
from tests.promotion.world import change_dataset, clone, merge, promote

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

LEDGER = "registry/ledger.jsonl"
SLUGS = ("ks_water_wells", "ks_county_boundaries", "archaeo_site_density")
Lines = list[bytes]


@dataclass(frozen=True)
class Verdict:
    code: int
    located: set[tuple[str, int]]  # (rule, line) of each finding about the ledger
    text: str

    @property
    def rules(self) -> set[str]:
        return {part.split("]")[0] for part in self.text.split("error[")[1:]}


@pytest.fixture(scope="module")
def promoted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("anchors")
    with running_emulator(tmp) as emu:
        world = make_world(emu, tmp)
        ci = clone(world, "ci")
        for n, slug in enumerate(SLUGS):
            number = change_dataset(world, slug, "Revised", f"pr{n}")
            if slug == "archaeo_site_density":  # restricted: a sensitivity steward too
                emu.submit_review("org", "data", number, user="noor-haddad")
            merge(world, number)
        done = promote(world, ci, "--push")
        assert done.returncode == 0, done.stdout + done.stderr
        yield clone(world, "audit")


@pytest.fixture
def repo(promoted: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(promoted, tmp_path / "repo", symlinks=True))


def lines_of(repo: Path) -> Lines:
    return (repo / LEDGER).read_bytes().splitlines()


def write(repo: Path, lines: Lines) -> None:
    (repo / LEDGER).write_bytes(b"".join(line + b"\n" for line in lines))


def rechained(entries: list[dict[str, Any]]) -> Lines:
    """What a careful forger writes: every `seq` and `prev` recomputed, so the chain verifies."""
    ledger = Ledger(())
    for entry in entries:
        ledger, _ = ledger.append({k: v for k, v in entry.items() if k not in ("seq", "prev")})
    return list(ledger.lines)


def ledger_verify(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Verdict:
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(["ledger", "verify", "--repo", str(repo), *extra])
    err = capsys.readouterr().err
    located = set()
    for line in err.splitlines():
        if line.startswith(f"{LEDGER}:"):
            number, rule = line.split(":")[1], line.split("error[")[1].split("]")[0]
            located.add((rule, int(number)))
    return Verdict(int(done.value.code or 0), located, err)


def check_all(repo: Path, capsys: pytest.CaptureFixture[str]) -> Verdict:
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(["check", "--all", "--repo", str(repo), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    findings = [f for g in report["gates"] if g["gate"] == "A" for f in g["findings"]]
    located = {(f["rule"], f["line"]) for f in findings if f["path"] == LEDGER}
    return Verdict(int(done.value.code or 0), located, json.dumps(findings))


def _edit(number: int, field: str, value: object) -> Callable[[Lines], Lines]:
    def mutate(lines: Lines) -> Lines:
        entry = json.loads(lines[number - 1])
        entry[field] = value
        lines[number - 1] = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
        return lines

    return mutate


def _rewrite(mutate: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> Any:
    return lambda lines: rechained(mutate([json.loads(line) for line in lines]))


ATTACKS: dict[str, tuple[Callable[[Lines], Lines], set[tuple[str, int]]]] = {
    # An edit by hand of one field: the line itself is named, not only the line after it.
    "middle line edited": (_edit(2, "pr_number", 99), {("A.ledger-anchor", 2)}),
    # The last line has no line after it to break the chain; its manifest still matches.
    "last line edited": (_edit(3, "actor", "mallory"), {("A.ledger-anchor", 3)}),
    "last line re-dated": (
        _edit(3, "recorded_at", "2020-01-01T00:00:00Z"),
        {("A.ledger-anchor", 3)},
    ),
    # Dropped with the chain recomputed: seq and prev agree again, the anchors do not.
    "line dropped, chain recomputed": (
        _rewrite(lambda es: [es[0], es[2]]),
        {("A.ledger-anchor", 2), ("A.ledger-anchor", 3)},
    ),
    "lines swapped, chain recomputed": (
        _rewrite(lambda es: [es[0], es[2], es[1]]),
        {("A.ledger-anchor", 2), ("A.ledger-anchor", 3)},
    ),
    "first line edited, whole file re-chained": (
        _rewrite(lambda es: [{**es[0], "pr_number": 42}, *es[1:]]),
        {("A.ledger-anchor", 1), ("A.ledger-anchor", 2), ("A.ledger-anchor", 3)},
    ),
}


def test_an_intact_promoted_ledger_verifies_everywhere(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(lines_of(repo)) == 3
    assert ledger_verify(repo, capsys).code == 0
    assert ledger_verify(repo, capsys, "--ref", "origin/main").code == 0
    assert check_all(repo, capsys).located == set()


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_tampering_is_named_by_line_in_ledger_verify_and_check_all(
    repo: Path, capsys: pytest.CaptureFixture[str], attack: str
) -> None:
    mutate, expected = ATTACKS[attack]
    write(repo, mutate(lines_of(repo)))
    verdict = ledger_verify(repo, capsys)
    assert verdict.code == 1, verdict.text
    assert expected <= verdict.located, verdict.text
    gate = check_all(repo, capsys)
    assert gate.code == 1, gate.text
    assert expected <= gate.located, gate.text


def test_a_plain_drop_or_swap_names_where_the_line_went(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = lines_of(repo)
    write(repo, [lines[0], lines[2], lines[1]])
    swapped = ledger_verify(repo, capsys)
    assert "line 2 is the line that promotion commit" in swapped.text
    assert "appended as line 3" in swapped.text, swapped.text
    write(repo, lines[:2])
    cut = ledger_verify(repo, capsys)
    assert ("A.ledger-anchor", 3) in cut.located and "line 3 is missing" in cut.text
    assert "A.ledger-record" in cut.rules  # that version's manifest has no line left


def test_a_rewrite_committed_on_top_is_still_caught(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Committing the forgery does not help: the anchors are in the commits before it."""
    write(repo, rechained([json.loads(line) for line in lines_of(repo)][:2]))
    forged = commit_all(repo, "tidy the ledger")
    verdict = ledger_verify(repo, capsys, "--ref", forged)
    assert ("A.ledger-anchor", 3) in verdict.located, verdict.text


def test_a_line_added_by_hand_is_unanchored(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = lines_of(repo)
    copy = json.loads(lines[-1])
    copy["pr_number"] = 77
    forged = Ledger(tuple(lines)).append(
        {k: v for k, v in copy.items() if k not in ("seq", "prev")}
    )
    write(repo, list(forged[0].lines))
    verdict = ledger_verify(repo, capsys)
    assert ("A.ledger-unanchored", 4) in verdict.located, verdict.text
    assert ("A.ledger-unanchored", 4) in check_all(repo, capsys).located


def test_a_shallow_clone_says_to_fetch_the_history(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "NOTES.md").write_text("an unrelated change after the promotions\n")
    commit_all(repo, "notes")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        env=GIT_ENV,
        check=True,
    )
    verdict = ledger_verify(shallow, capsys)
    assert verdict.code == 1 and ("A.ledger-unanchored", 3) in verdict.located
    assert "git fetch --unshallow" in verdict.text


def test_usage_errors_exit_2(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ledger_verify(tmp_path / "nowhere", capsys).code == 2
    assert ledger_verify(repo, capsys, "--ref", "no-such-ref").code == 2
