"""The pipelined blob reader (`kfm_bot.git.batch`): exact bytes whatever they hold, missing
objects as None, bounded reads of large blobs, and one git process that ends with the session."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kfm_bot.git import batch
from kfm_bot.git.batch import BatchReadError, BlobReader
from kfm_bot.git.gitdir import GitDir
from tests.gitrepo import GIT_ENV, git

pytestmark = pytest.mark.slow  # every test starts git processes


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    return repo


def _blob(repo: Path, data: bytes) -> str:
    out = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=repo,
        env=GIT_ENV,
        input=data,
        capture_output=True,
        check=True,
    )
    return out.stdout.decode().strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_blobs_holding_newlines_nul_and_binary_come_back_exactly(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    contents = [
        b"key: value\n\n\n",
        b"no newline at the end",
        b"",
        b"\n",
        b"1234 blob 5\nlooks like a header\n",
        bytes(range(256)) * 3,
        b"\x00\x00\n\x00",
    ]
    blobs = [_blob(repo, c) for c in contents]
    with BlobReader(GitDir(repo)) as reader:
        got = list(reader.read_many(blobs))
    assert got == list(zip(blobs, contents, strict=True))


def test_a_missing_object_is_none_and_the_reader_goes_on(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    before, after = _blob(repo, b"before\n"), _blob(repo, b"after\n")
    missing = "0123456789abcdef0123456789abcdef01234567"
    with BlobReader(GitDir(repo)) as reader:
        got = dict(reader.read_many([before, missing, after]))
        assert got == {before: b"before\n", missing: None, after: b"after\n"}
        assert reader.read(after) == b"after\n"  # the pipe is still in step


def test_a_tree_or_commit_id_is_not_a_blob(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "f.yaml").write_text("a: 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one")
    commit = git(repo, "rev-parse", "HEAD")
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    blob = git(repo, "rev-parse", "HEAD:f.yaml")
    with BlobReader(GitDir(repo)) as reader:
        assert list(reader.read_many([commit, tree, blob])) == [
            (commit, None),
            (tree, None),
            (blob, b"a: 1\n"),
        ]


def test_a_large_blob_is_cut_at_the_limit_and_the_next_one_still_reads(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    large = b"x: " + b"y" * (3 * 1024 * 1024) + b"\n"  # larger than any pipe buffer
    big, small = _blob(repo, large), _blob(repo, b"small: 1\n")
    with BlobReader(GitDir(repo)) as reader:
        assert list(reader.read_many([big, small], limit=100)) == [
            (big, large[:100]),
            (small, b"small: 1\n"),
        ]
        assert reader.read(big) == large


def test_more_ids_than_one_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.setattr(batch, "CHUNK", 3)
    contents = [f"n: {i}\n".encode() for i in range(10)]
    blobs = [_blob(repo, c) for c in contents]
    with BlobReader(GitDir(repo)) as reader:
        assert [data for _, data in reader.read_many(blobs)] == contents


def test_the_git_process_ends_with_the_session(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    blob = _blob(repo, b"a: 1\n")
    with BlobReader(GitDir(repo)) as reader:
        proc = reader._proc
        assert proc is not None and _alive(proc.pid)
        assert reader.read(blob) == b"a: 1\n"
    assert reader.closed
    assert proc.returncode == 0  # reaped: ended at end of input, not killed
    with pytest.raises(BatchReadError, match="closed"):
        reader.read(blob)


def test_stopping_early_closes_the_process_instead_of_leaving_answers_unread(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path)
    blobs = [_blob(repo, f"n: {i}\n".encode()) for i in range(5)]
    reader = BlobReader(GitDir(repo))
    answers = reader.read_many(blobs)
    assert next(answers) == (blobs[0], b"n: 0\n")
    answers.close()  # the caller stops: four answers are still in the pipe
    assert reader.closed


def test_an_exception_in_the_with_block_still_closes(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    blob = _blob(repo, b"a: 1\n")
    with pytest.raises(RuntimeError), BlobReader(GitDir(repo)) as reader:
        for _ in reader.read_many([blob, blob]):
            raise RuntimeError("the caller failed")
    assert reader.closed


def test_only_full_object_ids_are_sent(tmp_path: Path) -> None:
    """A name like `HEAD:secret` or one holding a newline would be a second request."""
    repo = _repo(tmp_path)
    with BlobReader(GitDir(repo)) as reader:
        for bad in ("HEAD", "abc\n" + "0" * 36, "A" * 40):
            with pytest.raises(ValueError, match="not a full object id"):
                list(reader.read_many([bad]))
