"""Features of a CSV source (`text/csv`) with longitude/latitude columns, one row at a time.

Each row becomes a GeoJSON Point feature, so the same generalisation and writer apply. The
header names the columns; exactly one must be the longitude (`lon`, `lng`, `long`,
`longitude` or `x`) and one the latitude (`lat`, `latitude` or `y`), case-insensitive. They
become the Point's coordinates (decimal degrees, WGS 84) and are not repeated as properties.
Other cells are properties, typed by fixed rules so the output is deterministic: an empty
cell is null, `-?(0|[1-9][0-9]*)` an integer, `-?(0|[1-9][0-9]*)\\.[0-9]+` a decimal number,
anything else (`007`, `1e5`, `true`) a string. UTF-8 (a BOM is skipped), comma-separated,
RFC 4180 quoting. Bytes are decoded chunk by chunk and one record is held at a time; a record
longer than `MAX_RECORD_CHARS` is refused rather than buffered.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from kfm_bot.export.layout import PackError

MAX_RECORD_CHARS = 16 * 1024 * 1024
LONGITUDE = frozenset({"lon", "lng", "long", "longitude", "x"})
LATITUDE = frozenset({"lat", "latitude", "y"})
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+")


def read_csv_features(chunks: Iterable[bytes], where: str) -> Iterator[dict[str, Any]]:
    """Each data row as a Point feature, in order; PackError naming the row if malformed."""
    rows = csv.reader(_lines(chunks, where), strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise PackError(f"{where}: the CSV has no header row")
        lon, lat = _coordinate_columns(header, where)
        names = [h.strip() for h in header]
        for number, row in enumerate(rows, start=1):
            if len(row) != len(names):
                raise PackError(
                    f"{where}: CSV row {number} has {len(row)} cells; the header has {len(names)}"
                )
            yield {
                "type": "Feature",
                "properties": {
                    name: _typed(cell)
                    for i, (name, cell) in enumerate(zip(names, row, strict=True))
                    if i not in (lon, lat)
                },
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        _degrees(row[lon], where, number),
                        _degrees(row[lat], where, number),
                    ],
                },
            }
    except csv.Error as exc:
        raise PackError(f"{where}: not a well-formed CSV (line {rows.line_num}): {exc}") from None


def _coordinate_columns(header: list[str], where: str) -> tuple[int, int]:
    names = [h.strip().lower() for h in header]
    if len(set(names)) != len(names):
        raise PackError(f"{where}: the CSV header names a column twice")
    lon = [i for i, n in enumerate(names) if n in LONGITUDE]
    lat = [i for i, n in enumerate(names) if n in LATITUDE]
    if len(lon) != 1 or len(lat) != 1:
        lons, lats = ", ".join(sorted(LONGITUDE)), ", ".join(sorted(LATITUDE))
        raise PackError(
            f"{where}: the CSV header needs exactly one longitude column ({lons}) and one "
            f"latitude column ({lats})"
        )
    return lon[0], lat[0]


def _degrees(cell: str, where: str, number: int) -> float:
    text = cell.strip()
    if not (_INTEGER.fullmatch(text) or _DECIMAL.fullmatch(text)):
        raise PackError(f"{where}: CSV row {number}: a coordinate is not a decimal number")
    value = float(text)
    if not math.isfinite(value):
        raise PackError(f"{where}: CSV row {number}: a coordinate is not finite")
    return value


def _typed(cell: str) -> Any:
    if cell == "":
        return None
    if _INTEGER.fullmatch(cell):
        return int(cell)
    if _DECIMAL.fullmatch(cell):
        return float(cell)
    return cell


def _lines(chunks: Iterable[bytes], where: str) -> Iterator[str]:
    """The text's lines (with their endings, as csv wants them), decoded chunk by chunk."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    try:
        for chunk in chunks:
            pending += decoder.decode(chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                yield line + "\n"
            if len(pending) > MAX_RECORD_CHARS:
                raise PackError(f"{where}: a CSV line is longer than {MAX_RECORD_CHARS} characters")
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise PackError(f"{where}: the CSV is not UTF-8 text") from None
    if pending:
        yield pending
