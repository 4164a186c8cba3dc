"""Gate D's paths: every path a catalog names stays inside the dataset directory and exists."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import Pointer, located, shown
from kfm_bot.repo.layout import resolve_relative

URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Keys of PROV records (entities and activities) whose values are dataset-relative paths.
PROV_PATH_KEYS = ("kfm:path", "kfm:spec", "kfm:receipt", "prov:location", "prov:atLocation")
DCAT_PATH_KEYS = ("kfm:spec", "kfm:prov", "kfm:stac")
DIST_PATH_KEYS = ("dcat:accessURL", "dcat:downloadURL")


def _records(data: object, section: str) -> Iterator[tuple[str, Mapping[str, object]]]:
    block = data.get(section) if isinstance(data, dict) else None
    if isinstance(block, dict):
        yield from ((k, v) for k, v in block.items() if isinstance(v, dict))


def dcat_refs(data: object) -> Iterator[tuple[Pointer, object]]:
    for key in DCAT_PATH_KEYS:
        if isinstance(data, dict) and key in data:
            yield (key,), data[key]
    dists = data.get("dcat:distribution") if isinstance(data, dict) else None
    for i, dist in enumerate(dists if isinstance(dists, list) else []):
        for key in DIST_PATH_KEYS:
            if isinstance(dist, dict) and key in dist:
                yield ("dcat:distribution", i, key), dist[key]


def stac_refs(data: object) -> Iterator[tuple[Pointer, object]]:
    """Relative link hrefs and every asset href; absolute URLs in links are allowed."""
    links = data.get("links") if isinstance(data, dict) else None
    for i, link in enumerate(links if isinstance(links, list) else []):
        href = link.get("href") if isinstance(link, dict) else None
        if not (isinstance(href, str) and URL.match(href)):
            yield ("links", i, "href"), href
    for name, asset in _records(data, "assets"):
        yield ("assets", name, "href"), asset.get("href")


def prov_refs(data: object) -> Iterator[tuple[Pointer, object]]:
    for section in ("entity", "activity"):
        for name, record in _records(data, section):
            for key in PROV_PATH_KEYS:
                if key in record:
                    yield (section, name, key), record[key]


def check_refs(
    ctx: GateContext, base_dir: str, path: str, refs: Iterator[tuple[Pointer, object]]
) -> tuple[list[Finding], dict[str, Pointer]]:
    """Findings for escaping or dangling paths, and the resolved paths that exist."""
    findings: list[Finding] = []
    resolved: dict[str, Pointer] = {}
    for pointer, value in refs:
        if not isinstance(value, str):
            continue  # a schema finding (gate F)
        target = resolve_relative(base_dir, value)
        if target is None:
            msg = (
                f"`{shown(value)}` is not a path inside the dataset directory; write it "
                "relative to "
                f"{base_dir}/ without `..`, a leading `/`, backslashes or a URL scheme"
            )
            findings.append(located(ctx, "D.path-escape", msg, path, pointer))
        elif ctx.head.entry(target) is None:
            msg = f"`{shown(value)}` names {target}, which does not exist; add it or fix the path"
            findings.append(located(ctx, "D.link-unresolved", msg, path, pointer))
        else:
            resolved.setdefault(target, pointer)
    return findings, resolved
