"""`kfm-bot --version` and a plain `kfm-bot hash FILE...` start without click or pydantic, and end
exactly as the click route does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kfm_bot.cli import main
from kfm_bot.yaml.guard import CONTROL_RANGES
from tests.cli import unmeasured

SPEC = b"kfm_pipeline_spec_version: v1\ndataset_slug: ks_water_wells\nsources: [a-b, c-d]\n"
HEAVY = ("click", "pydantic", "git", "celpy", "github", "kfm_bot.models")
# ~9 ms of a cold `hash` between them: dataclasses imports inspect (ast, dis, tokenize); the
# json package its decoder and scanner (the encoder comes from _json); the syntax-error table
# is for refused documents only; hashlib loads libcrypto (CPython's _sha256 digests instead).
NEEDLESS = ("dataclasses", "inspect", "json", "kfm_bot.yaml.syntax", "hashlib", "_hashlib")


def loaded_after(argv: list[str], cwd: Path) -> tuple[str, set[str]]:
    code = (
        "import sys\nfrom kfm_bot.cli import main\ntry:\n    main(sys.argv[1:])\n"
        "except SystemExit:\n    print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(  # untraced: coverage.py itself imports dataclasses, json, hashlib
        [sys.executable, "-c", code, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env=unmeasured(os.environ),
    )
    modules = set(done.stderr.splitlines()[-1].split())
    return done.stdout, {name.partition(".")[0] for name in modules} | modules


@pytest.mark.parametrize("argv", [["--version"], ["hash", "spec.yaml"]])
def test_cold_paths_import_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_bytes(SPEC)
    out, modules = loaded_after(argv, tmp_path)
    assert out
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert not modules & set(NEEDLESS), sorted(modules & set(NEEDLESS))


def test_plain_hash_prints_what_the_click_route_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_bytes(SPEC)
    (tmp_path / "bad.yaml").write_bytes(b"a: 1\na: 2\n")
    results = []
    for argv in (["hash", "good.yaml", "bad.yaml"], ["--debug", "hash", "good.yaml", "bad.yaml"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        results.append((done.value.code, *capsys.readouterr()))
    assert results[0] == results[1]
    assert results[0][0] == 1 and "good.yaml" in results[0][1] and "bad.yaml:2:1" in results[0][2]


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--debug", "--version"],
        ["--version", "--verbose"],
        ["--verbose", "--version"],
    ],
)
def test_version_lines(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out = capsys.readouterr().out.splitlines()
    assert done.value.code == 0 and out[0].startswith("kfm-bot, version ")
    assert (len(out) == 4) == ("--verbose" in argv)


def test_click_still_answers_version_among_other_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version", "--help"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("kfm-bot, version ")


def test_the_control_class_is_the_complement_of_yaml_printable() -> None:
    printable = "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    forbidden = [match.start() for match in re.finditer(printable, every)]
    assert [match.start() for match in re.finditer(f"[{CONTROL_RANGES}]", every)] == forbidden
