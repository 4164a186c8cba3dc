"""The geojson_bundle renderer: chunk-independent, reproducible anywhere, bounded in memory."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kfm_bot.export.generalise import Plan
from kfm_bot.export.geojson_bundle import render
from tests.export.bundle_world import PUBLIC, RESTRICTED, RESTRICTED_SOURCE, bundle_world

PLAN = Plan("aggregate", 2, 3, "site_count", ("surveyor",))


def rendered(data: bytes, size: int, plan: Plan = PLAN) -> bytes:
    out = io.BytesIO()
    chunks = (data[i : i + size] for i in range(0, len(data), size))
    render(chunks, "published/x.geojson", "collection", plan, out)
    return out.getvalue()


def test_output_does_not_depend_on_where_chunks_end() -> None:
    data = json.dumps(RESTRICTED_SOURCE, indent=1, ensure_ascii=False).encode("utf-8")
    data = data.replace(b'"c1"', '"c\u00e9"'.encode())  # a two-byte character to split
    whole = rendered(data, len(data))
    for size in (1, 2, 3, 7, 64):
        assert rendered(data, size) == whole
    assert b'"cell_id":"c\\u00e9"' in whole


def test_a_number_split_by_a_chunk_boundary_is_read_whole() -> None:
    data = b'{"type":"FeatureCollection","bbox":123456,"features":[]}'
    assert rendered(data, 1) == b'{"type":"FeatureCollection","features":[\n]}\n'


@pytest.mark.parametrize(
    "text, message",
    [
        (
            b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":NaN}',
            "not valid JSON",
        ),
        (b'{"type":"FeatureCollection","features":[', "feature 1 is not valid JSON"),
        (b'{"type":"Topology","features":[]}', "not a FeatureCollection"),
        (b'{"type":"FeatureCollection","features":[1]}', "feature 1 is not a GeoJSON Feature"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_malformed_sources_are_located_errors(text: bytes, message: str) -> None:
    from kfm_bot.export.layout import PackError

    with pytest.raises(PackError, match=message) as caught:
        rendered(text, 5)
    assert str(caught.value).startswith("published/x.geojson")


def _cli(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kfm_bot", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_the_pack_is_byte_identical_under_another_time_zone_and_locale(tmp_path: Path) -> None:
    repo, zone, versions = bundle_world(tmp_path / "w")
    packs = []
    for n, extra in enumerate(
        [{"TZ": "UTC", "LC_ALL": "C"}, {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"}]
    ):
        out = tmp_path / f"pack{n}"
        env = dict(os.environ, **extra, GITHUB_ACTOR="steward-one")
        _cli(
            [
                "export",
                "--repo",
                str(repo),
                "--slug",
                RESTRICTED,
                "--version",
                versions[RESTRICTED],
                "--out",
                str(out),
                "--label",
                "restricted",
                "--target",
                "geojson_bundle",
                "--published-zone",
                zone.as_uri(),
                "--tarball",
            ],
            env,
        )
        files = {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
        times = {p.stat().st_mtime for p in out.rglob("*")}
        packs.append((files, times, out.with_name(out.name + ".tar.gz").read_bytes()))
    assert packs[0] == packs[1]
    assert len(packs[0][1]) == 1  # every file and folder carries released_at
    assert PUBLIC in versions


LARGE = """
import sys, hashlib
from pathlib import Path
def peak_kib():  # VmHWM: this program's own peak (ru_maxrss carries the parent's across exec)
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(l for l in lines if l.startswith("VmHWM:")).split()[1])
from kfm_bot.export.generalise import Plan
from kfm_bot.export.geojson_bundle import render
def chunks(path):
    with open(path, "rb") as f:
        while b := f.read(1 << 20):
            yield b
before = peak_kib()
with open(sys.argv[2], "wb") as out:
    plan = Plan("generalize", 3)
    done = render(chunks(sys.argv[1]), "published/big.geojson", "collection", plan, out)
after = peak_kib()
print(done.tally.features_written, (after - before) // 1024)
"""


@pytest.mark.slow
def test_a_large_artifact_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    source = tmp_path / "big.geojson"
    features = 160_000  # about 26 MB of GeoJSON
    with source.open("w") as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        for i in range(features):
            sep = "," if i else ""
            out.write(
                f'{sep}{{"type":"Feature","properties":{{"n":{i},"name":"feature {i:08d}"}},'
                f'"geometry":{{"type":"Point","coordinates":[{-100 + i * 1e-6:.6f},38.123456]}}}}\n'
            )
        out.write("]}\n")
    size_mb = source.stat().st_size // (1 << 20)
    done = subprocess.run(
        [sys.executable, "-c", LARGE, str(source), str(tmp_path / "out.geojson")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    written, grown_mb = map(int, done.stdout.split())
    assert written == features
    assert size_mb >= 20
    assert grown_mb < 12, f"peak RSS grew {grown_mb} MB rendering {size_mb} MB"


def test_deeply_nested_properties_are_refused_not_crashed() -> None:
    from kfm_bot.export.layout import PackError

    head = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":'
    for depth, message in ((100_000, "nested too deeply"), (40, "nest deeper than 32")):
        text = head + b"[" * depth + b"]" * depth + b'},"geometry":null}]}'
        with pytest.raises(PackError, match=message):
            rendered(text, 4096)


def test_null_properties_stay_null_and_ids_keep_their_type() -> None:
    data = (
        b'{"features":[{"type":"Feature","id":2.5,"properties":null,"geometry":null}],'
        b'"type":"FeatureCollection"}'
    )
    assert rendered(data, 3, Plan("none", 6)) == (
        b'{"type":"FeatureCollection","features":[\n'
        b'{"type":"Feature","id":2.5,"properties":null,"geometry":null}\n]}\n'
    )
