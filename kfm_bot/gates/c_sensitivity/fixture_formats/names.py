"""Which keys and column headers name coordinates: `lat`, `siteLatitude`, `x`, `bbox`, ...

Names are split into words (separators and camelCase), so a renamed key or column still
counts when any word is a coordinate word.
"""

from __future__ import annotations

import re

COORDINATE_WORDS = frozenset(
    {
        "lat",
        "latitude",
        "lon",
        "lng",
        "long",
        "longitude",
        "x",
        "y",
        "easting",
        "northing",
        "coord",
        "coords",
        "coordinate",
        "coordinates",
        "bbox",
        "centroid",
    }
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def words(name: str) -> list[str]:
    """`siteLatitude` -> [site, latitude]; `LAT_DD` -> [lat, dd]; `x1` -> [x, 1]."""
    return [w.lower() for w in _WORD.findall(name)]


def is_coordinate_name(name: str) -> bool:
    return any(w in COORDINATE_WORDS for w in words(name))
