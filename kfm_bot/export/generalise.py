"""The redaction plan's generalisation, applied to one feature at export time.

What is applied, and recorded in the export receipt:
- coordinates (geometry positions, and property values whose name is a coordinate word such
  as `lat` or `siteLongitude`) are rounded to the plan's `precision_decimals`, or to
  `DEFAULT_DECIMALS` when the version has no plan;
- properties the plan names in `suppress_properties` are dropped;
- with `min_cell_count`, a feature whose `count_property` is below it (or is not a number) is
  suppressed; a plan with `min_cell_count` but no `count_property` cannot be applied, so the
  item is withheld;
- members other than type, id, properties and geometry (foreign members, a stale bbox) are
  dropped: RFC 7946 output carries nothing the plan did not look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kfm_bot.export.layout import PackError
from kfm_bot.gates.c_sensitivity.fixture_formats.names import is_coordinate_name

# RFC 7946 section 11.2: six decimal places (about 10 cm) are enough for any GeoJSON use.
DEFAULT_DECIMALS = 6
MAX_PROPERTY_DEPTH = 32  # the writer recurses into property values; bound it
KEPT_MEMBERS = frozenset({"type", "id", "properties", "geometry"})
GEOMETRY_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


@dataclass(frozen=True)
class Plan:
    """What the export applies to every feature of a version's artifacts."""

    method: str  # the spec's redaction method, or "none" when it has no plan
    precision_decimals: int
    min_cell_count: int | None = None
    count_property: str | None = None
    suppress_properties: tuple[str, ...] = ()

    def applied(self) -> dict[str, object]:
        """The plan as the receipt records it."""
        return {
            "method": self.method,
            "precision_decimals": self.precision_decimals,
            "min_cell_count": self.min_cell_count,
            "count_property": self.count_property,
            "suppress_properties": list(self.suppress_properties),
        }

    def unusable(self) -> str | None:
        """Why the plan cannot be applied as written (then every item is withheld)."""
        if self.min_cell_count is not None and self.count_property is None:
            return (
                "the redaction plan sets min_cell_count but names no count_property, so small "
                "cells cannot be found"
            )
        return None


def plan_of(redaction: dict[str, Any] | None) -> Plan:
    if not redaction:
        return Plan("none", DEFAULT_DECIMALS)
    decimals = redaction.get("precision_decimals")
    return Plan(
        method=str(redaction.get("method", "none")),
        precision_decimals=decimals if isinstance(decimals, int) else DEFAULT_DECIMALS,
        min_cell_count=redaction.get("min_cell_count"),
        count_property=redaction.get("count_property"),
        suppress_properties=tuple(sorted(redaction.get("suppress_properties") or ())),
    )


@dataclass
class Tally:
    """What generalisation did to one item: counts only, never a value."""

    features_read: int = 0
    features_written: int = 0
    features_suppressed: int = 0
    coordinates_rounded: int = 0
    properties_rounded: int = 0
    properties_dropped: int = 0
    members_dropped: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def changed(self) -> bool:
        return any(
            (
                self.features_suppressed,
                self.coordinates_rounded,
                self.properties_rounded,
                self.properties_dropped,
                self.members_dropped,
            )
        )

    def as_record(self) -> dict[str, object]:
        return {
            "features_read": self.features_read,
            "features_written": self.features_written,
            "features_suppressed": self.features_suppressed,
            "suppressed_because": dict(sorted(self.reasons.items())),
            "coordinates_rounded": self.coordinates_rounded,
            "properties_rounded": self.properties_rounded,
            "properties_dropped": self.properties_dropped,
            "members_dropped": self.members_dropped,
        }


def fixed(value: float, decimals: int) -> str:
    """`value` with exactly `decimals` places: no exponent, never `-0`."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


class Generaliser:
    def __init__(self, plan: Plan, where: str) -> None:
        self.plan = plan
        self.where = where
        self.tally = Tally()

    def feature(self, raw: Any) -> dict[str, Any] | None:
        """The feature to write (coordinates still floats, rounded by the writer), or None."""
        self.tally.features_read += 1
        number = self.tally.features_read
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            raise PackError(f"{self.where}: feature {number} is not a GeoJSON Feature")
        self.tally.members_dropped += len(set(raw) - KEPT_MEMBERS)
        props = raw.get("properties")
        if props is not None and not isinstance(props, dict):
            raise PackError(f"{self.where}: feature {number}: `properties` is not an object")
        kept_null = props is None  # RFC 7946 allows `"properties": null`; it stays null
        props = dict(props or {})
        if _deeper_than(props, MAX_PROPERTY_DEPTH):
            raise PackError(
                f"{self.where}: feature {number}: properties nest deeper than {MAX_PROPERTY_DEPTH}"
            )
        reason = self._suppressed(props)
        if reason is not None:
            self.tally.features_suppressed += 1
            self.tally.reasons[reason] = self.tally.reasons.get(reason, 0) + 1
            return None
        for name in self.plan.suppress_properties:
            if name in props:
                del props[name]
                self.tally.properties_dropped += 1
        for name, value in props.items():
            if is_coordinate_name(name) and _is_number(value):
                self.tally.properties_rounded += self._rounds(float(value))
        geometry = raw.get("geometry")
        if geometry is not None:
            self._geometry(geometry, number, 0)
        out: dict[str, Any] = {"type": "Feature"}
        if "id" in raw:
            if not isinstance(raw["id"], str | int | float) or isinstance(raw["id"], bool):
                raise PackError(f"{self.where}: feature {number}: `id` is not a string or number")
            out["id"] = raw["id"]
        out["properties"] = None if kept_null and not props else props
        out["geometry"] = geometry
        self.tally.features_written += 1
        return out

    def _suppressed(self, props: dict[str, Any]) -> str | None:
        floor, name = self.plan.min_cell_count, self.plan.count_property
        if floor is None or name is None:
            return None
        count = props.get(name)
        if not isinstance(count, int | float) or isinstance(count, bool):
            return f"no numeric {name}"
        return f"{name} below {floor}" if count < floor else None

    def _rounds(self, value: float) -> int:
        return int(float(fixed(value, self.plan.precision_decimals)) != value)

    def _geometry(self, geometry: Any, number: int, nesting: int) -> None:
        if not isinstance(geometry, dict):
            raise PackError(f"{self.where}: feature {number}: its geometry is not an object")
        kind = geometry.get("type")
        if kind == "GeometryCollection" and nesting == 0:
            parts = geometry.get("geometries")
            if not isinstance(parts, list):
                raise PackError(f"{self.where}: feature {number}: `geometries` is not a list")
            for part in parts:
                self._geometry(part, number, 1)
            return
        if kind not in GEOMETRY_DEPTH:
            raise PackError(f"{self.where}: feature {number}: unknown geometry type {kind!r}")
        self._positions(geometry.get("coordinates"), GEOMETRY_DEPTH[str(kind)], number)

    def _positions(self, value: Any, depth: int, number: int) -> None:
        if not isinstance(value, list):
            raise PackError(f"{self.where}: feature {number}: coordinates are not arrays")
        if depth > 0:
            for item in value:
                self._positions(item, depth - 1, number)
            return
        if not 2 <= len(value) <= 3 or not all(_is_number(v) for v in value):
            raise PackError(f"{self.where}: feature {number}: a position is not [lon, lat(, h)]")
        lon, lat = float(value[0]), float(value[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise PackError(
                f"{self.where}: feature {number}: a position is outside WGS 84 longitude/latitude"
            )
        self.tally.coordinates_rounded += sum(self._rounds(float(v)) for v in value)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels (stops looking at the limit)."""
    if not isinstance(value, dict | list):
        return False
    if limit == 0:
        return True
    items = value.values() if isinstance(value, dict) else value
    return any(_deeper_than(item, limit - 1) for item in items)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
