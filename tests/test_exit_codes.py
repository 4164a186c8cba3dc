"""Every command ends the same way: one mapping from outcome to exit code, one line on stderr."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kfm_bot import errors
from kfm_bot.cli import main
from kfm_bot.commands import hashing as hash_command
from kfm_bot.errors import (
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_SERVICE,
    EXIT_USAGE,
    GateFailure,
    ServiceError,
    UsageError,
    error_handler,
    exit_code,
)

TOKEN = "test-secret-0123456789abcdef"  # a stand-in value, not shaped like a real token


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    assert isinstance(done.value.code, int), done.value.code
    return done.value.code, out, err


def crash_with(message: str) -> Callable[..., int]:
    """A stand-in for `hash`'s work that fails as a defect would: an unexpected exception."""

    def crash(*args: object) -> int:
        raise RuntimeError(message)

    return crash


def test_the_codes_are_distinct() -> None:
    codes = [EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SERVICE, EXIT_INTERNAL]
    assert len(set(codes)) == len(codes) and EXIT_INTERNAL == 70


def test_an_internal_error_exits_70_with_one_sentence_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(hash_command, "run", crash_with("the index is\nout of range"))
    code, out, err = run_main(["hash", "any.yaml"], capsys)
    assert code == EXIT_INTERNAL and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("kfm-bot: internal error: RuntimeError: the index is out of range (")
    assert "--debug" in err


def test_debug_prints_the_traceback_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(hash_command, "run", crash_with("boom"))
    code, _, err = run_main(["--debug", "hash", "any.yaml"], capsys)
    assert code == EXIT_INTERNAL
    assert err.startswith("Traceback (most recent call last):")
    assert "RuntimeError: boom" in err and "kfm-bot: internal error: RuntimeError: boom" in err


@pytest.mark.parametrize("variable", ["KFM_DEBUG", "KFM_BOT_DEBUG"])
def test_debug_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str
) -> None:
    monkeypatch.setattr(hash_command, "run", crash_with("boom"))
    monkeypatch.setenv(variable, "1")
    assert "Traceback" in run_main(["hash", "any.yaml"], capsys)[2]


def test_a_secret_in_the_environment_debug_traceback_is_hidden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """KFM_DEBUG=1 in a workflow that also holds the App's key: the traceback quotes neither."""
    monkeypatch.setenv("KFM_DEBUG", "1")
    monkeypatch.setenv("KFM_APP_PRIVATE_KEY", TOKEN)
    monkeypatch.setattr(hash_command, "run", crash_with(f"key {TOKEN} rejected"))
    code, out, err = run_main(["hash", "any.yaml"], capsys)
    assert code == EXIT_INTERNAL and "Traceback" in err
    assert TOKEN not in out + err and err.count("key *** rejected") == 2


def test_a_token_in_the_exception_is_hidden_even_with_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setattr(hash_command, "run", crash_with(f"https://x-access:{TOKEN}@host/r.git"))
    for argv in (["hash", "a"], ["--debug", "hash", "a"]):
        code, out, err = run_main(argv, capsys)
        assert code == EXIT_INTERNAL and TOKEN not in out + err and "x-access:***@host" in err


@pytest.mark.parametrize("name", ["KFM_PUSH_TOKEN", "KFM_SIGNING_KEY"])
def test_a_token_in_a_user_error_is_hidden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    monkeypatch.setenv(name, TOKEN)
    with pytest.raises(SystemExit) as done, error_handler():
        raise UsageError(f"cannot push with {TOKEN}")
    assert done.value.code == EXIT_USAGE
    assert capsys.readouterr().err == "kfm-bot: error: cannot push with ***\n"


def test_a_long_message_is_clipped_to_one_line() -> None:
    clipped = errors.one_line("word " * 200)
    assert len(clipped) == 300 and clipped.endswith("…") and "\n" not in clipped


def test_usage_errors_keep_exit_2_without_the_internal_wording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_main(["hash", str(tmp_path / "missing.yaml")], capsys)
    assert code == EXIT_USAGE and err.startswith("kfm-bot: error: ")
    assert "internal" not in err
    code, _, err = run_main(["hash", "--no-such-option"], capsys)
    assert code == EXIT_USAGE and "No such option" in err and "internal" not in err


@pytest.mark.parametrize(
    ("raised", "code", "line"),
    [
        (UsageError("bad flag"), EXIT_USAGE, "kfm-bot: error: bad flag\n"),
        (GateFailure("refused"), EXIT_FAILED, "kfm-bot: error: refused\n"),
        (ServiceError("GitHub is down"), EXIT_SERVICE, "kfm-bot: error: GitHub is down\n"),
        (KeyboardInterrupt(), 130, "kfm-bot: interrupted\n"),
        (ValueError("oops"), EXIT_INTERNAL, None),
    ],
)
def test_each_outcome_maps_to_its_code(
    raised: BaseException, code: int, line: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done, error_handler():
        raise raised
    err = capsys.readouterr().err
    assert done.value.code == code
    assert err == line if line is not None else err.startswith("kfm-bot: internal error: ")


def test_return_values_are_exit_codes() -> None:
    assert exit_code(None) == EXIT_OK and exit_code(EXIT_FAILED) == EXIT_FAILED
    with pytest.raises(TypeError):
        exit_code("failure")  # a command returning anything else is a defect, never a pass


def test_a_returned_code_is_the_process_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"a: 1\na: 2\n")
    assert run_main(["hash", str(tmp_path / "bad.yaml")], capsys)[0] == EXIT_FAILED


def test_the_installed_command_ends_the_same_way(tmp_path: Path) -> None:
    """Through `python -m kfm_bot` too: a missing file is a usage error, exit 2."""
    done = subprocess.run(
        [sys.executable, "-m", "kfm_bot", "hash", "missing.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_USAGE and done.stderr.startswith("kfm-bot: error: ")
