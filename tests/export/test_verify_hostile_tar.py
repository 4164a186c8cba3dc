"""`kfm-bot verify` on hostile tarballs: one sentence, bounded memory, nothing extracted."""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kfm_bot.export import reader
from tests.export.conftest import Kfm

Member = tuple[tarfile.TarInfo, bytes]


def regular(name: str, data: bytes = b"x") -> Member:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def special(name: str, kind: bytes, linkname: str = "") -> Member:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, b""


def make_tarball(path: Path, members: list[Member]) -> Path:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    path.write_bytes(gzip.compress(raw.getvalue()))
    return path


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([regular("/etc/passwd")], "absolute or climbing path"),
        ([regular("pack/../../evil")], "absolute or climbing path"),
        ([regular("pack/a"), special("pack/b", tarfile.SYMTYPE, "/etc/passwd")], "link or device"),
        ([regular("pack/a"), special("pack/b", tarfile.LNKTYPE, "pack/a")], "link or device"),
        ([special("pack/dev", tarfile.CHRTYPE)], "link or device"),
        ([special("pack/fifo", tarfile.FIFOTYPE)], "link or device"),
        ([regular("pack/a"), regular("pack/a")], "appears twice"),
        ([regular("pack/a"), regular("pack/./a")], "appears twice"),
        ([regular("pack/a"), regular("other/b")], "outside the pack's one top-level folder"),
        ([regular("lonely")], "outside the pack's one top-level folder"),
    ],
)
def test_hostile_members_are_refused(
    kfm: Kfm, tmp_path: Path, members: list[Member], message: str
) -> None:
    done = kfm("verify", make_tarball(tmp_path / "evil.tar.gz", members))
    assert done.code == 1 and message in done.err, done.err
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.tar.gz"]  # nothing extracted


def test_an_oversize_member_is_refused_before_it_is_read(
    kfm: Kfm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    done = kfm("verify", make_tarball(tmp_path / "big.tar.gz", [regular("p/a", b"0" * 2000)]))
    assert done.code == 1 and "larger than the verifier's limits" in done.err


def test_too_many_members_are_refused(
    kfm: Kfm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_FILES", 3)
    members = [regular(f"p/{i}") for i in range(5)]
    done = kfm("verify", make_tarball(tmp_path / "many.tar.gz", members))
    assert done.code == 1 and "larger than the verifier's limits" in done.err


def test_a_gzip_bomb_stops_at_the_size_limit(
    kfm: Kfm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge PAX header is read by tarfile itself: only the bounded stream can stop it."""
    monkeypatch.setattr(reader, "MAX_TOTAL_BYTES", 64 * 1024)
    monkeypatch.setattr(reader, "TAR_OVERHEAD", 1024)
    info, data = regular("p/a")
    info.pax_headers = {"comment": "A" * (8 * 1024 * 1024)}
    path = make_tarball(tmp_path / "bomb.tar.gz", [(info, data)])
    assert path.stat().st_size < 64 * 1024  # small on disk, megabytes inflated
    done = kfm("verify", path)
    assert done.code == 1 and "decompresses to more than the pack size limit" in done.err


Corrupt = Callable[[bytes], bytes]


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda raw: b"this is not gzip at all",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: gzip.compress(b"\x00garbage" * 100),
        lambda raw: b"",
    ],
    ids=["not-gzip", "truncated", "gzip-not-tar", "empty"],
)
def test_unreadable_tarballs_are_one_sentence(
    public_pack: tuple[Path, str], kfm: Kfm, tmp_path: Path, corrupt: Corrupt
) -> None:
    out, _ = public_pack
    path = tmp_path / "bad.tar.gz"
    path.write_bytes(corrupt(out.with_name("pack.tar.gz").read_bytes()))
    done = kfm("verify", path)
    assert done.code == 1 and done.err.count("\n") == 1, done.err
    assert "Traceback" not in done.err and "internal error" not in done.err


def test_a_tampered_file_inside_a_tarball_is_named(
    public_pack: tuple[Path, str], kfm: Kfm, tmp_path: Path
) -> None:
    out, _ = public_pack
    members = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "dcat.json":
            data = data.replace(b"Kansas", b"Kanzas")
        members.append(regular(f"root/{path.relative_to(out).as_posix()}", data))
    done = kfm("verify", make_tarball(tmp_path / "t.tar.gz", members))
    assert done.code == 1 and "catalog/dcat.json does not match its digest" in done.err
