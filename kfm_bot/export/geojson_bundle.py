"""The `geojson_bundle` target: one RFC 7946 FeatureCollection per published artifact.

Deterministic bytes, written feature by feature (never the whole collection in memory):
- WGS 84 longitude/latitude (the only CRS RFC 7946 allows), so no `crs` member;
- layout: `{"type":"FeatureCollection","features":[` on the first line, one feature per line
  (compact separators), `]}` on the last; LF line endings, ASCII (`\\uXXXX` escapes);
- members of a feature in the order type, id, properties, geometry; properties sorted by name
  (code point order), nested objects too; geometry members type, then coordinates (or
  geometries);
- coordinates with exactly the plan's `precision_decimals` places, never an exponent nor `-0`;
  other numbers as integers or in plain positional notation (no exponent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from kfm_bot.export.csv_stream import read_csv_features
from kfm_bot.export.generalise import Generaliser, Plan, Tally, fixed
from kfm_bot.export.geojson_stream import read_features
from kfm_bot.gates.c_sensitivity.fixture_formats.names import is_coordinate_name

MEDIA_TYPE = "application/geo+json"
HEAD = b'{"type":"FeatureCollection","features":[\n'
TAIL = b"]}\n"


@dataclass(frozen=True)
class Rendered:
    digest: str  # sha256 of the written bytes
    size: int
    source_digest: str  # sha256 of the bytes read from the published zone
    tally: Tally


class _HashingSink:
    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.sha.update(data)
        self.size += len(data)


def render(chunks: Iterable[bytes], where: str, form: str, plan: Plan, out: IO[bytes]) -> Rendered:
    """Read the source's features, generalise each, and write the collection to `out`.
    `form`: collection (a FeatureCollection), sequence (GeoJSON text sequence) or csv."""
    source = hashlib.sha256()

    def counted() -> Iterable[bytes]:
        for chunk in chunks:
            source.update(chunk)
            yield chunk

    sink = _HashingSink(out)
    general = Generaliser(plan, where)
    sink.write(HEAD)
    first = True
    if form == "csv":
        features = read_csv_features(counted(), where)
    else:
        features = read_features(counted(), where, form == "sequence")
    for raw in features:
        feature = general.feature(raw)
        if feature is None:
            continue
        line = _feature(feature, plan.precision_decimals)
        sink.write(line if first else b",\n" + line)
        first = False
    sink.write(b"\n" + TAIL if not first else TAIL)
    return Rendered(
        "sha256:" + sink.sha.hexdigest(), sink.size, "sha256:" + source.hexdigest(), general.tally
    )


def _feature(feature: dict[str, Any], decimals: int) -> bytes:
    parts = ['"type":"Feature"']
    if "id" in feature:
        parts.append(f'"id":{_value(feature["id"])}')
    props = feature["properties"]
    if props is None:
        parts.append('"properties":null')
    else:
        inner = ",".join(f"{_string(k)}:{_property(k, props[k], decimals)}" for k in sorted(props))
        parts.append(f'"properties":{{{inner}}}')
    geometry = feature["geometry"]
    parts.append(f'"geometry":{"null" if geometry is None else _geometry(geometry, decimals)}')
    return ("{" + ",".join(parts) + "}").encode("ascii")


def _geometry(geometry: dict[str, Any], decimals: int) -> str:
    kind = geometry["type"]
    if kind == "GeometryCollection":
        parts = ",".join(_geometry(g, decimals) for g in geometry["geometries"])
        return f'{{"type":"GeometryCollection","geometries":[{parts}]}}'
    return f'{{"type":{_string(kind)},"coordinates":{_coords(geometry["coordinates"], decimals)}}}'


def _coords(value: Any, decimals: int) -> str:
    if value and isinstance(value[0], list):
        return "[" + ",".join(_coords(v, decimals) for v in value) + "]"
    return "[" + ",".join(fixed(float(v), decimals) for v in value) + "]"


def _property(name: str, value: Any, decimals: int) -> str:
    if is_coordinate_name(name) and isinstance(value, int | float) and not isinstance(value, bool):
        return fixed(float(value), decimals)
    return _value(value)


def _value(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _plain(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ",".join(_value(v) for v in value) + "]"
    return "{" + ",".join(f"{_string(k)}:{_value(value[k])}" for k in sorted(value)) + "}"


def _plain(value: float) -> str:
    """The shortest text that reads back as `value`, in positional notation; 0 for -0."""
    if value == 0:
        return "0.0"
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)
