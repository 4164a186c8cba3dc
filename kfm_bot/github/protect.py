"""The self-check before posting: no protected value (a restricted fixture's coordinate) in text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kfm_bot.redaction import PRECISE, REDACTED
from kfm_bot.repo.snapshot import Snapshot

MAX_SCAN_BYTES = 8 * 1024 * 1024


_LABEL = re.compile(rb"^policy_label:\s*['\"]?([A-Za-z0-9_-]+)", re.MULTILINE)
PUBLIC = b"public"


def _restricted(snapshot: Snapshot, slug: str, cache: dict[str, bool]) -> bool:
    """A dataset whose spec does not plainly say `policy_label: public` (fails closed)."""
    if slug not in cache:
        spec = f"specs/{slug}/spec.yaml"
        entry = snapshot.entry(spec)
        raw = snapshot.read(spec, 1024 * 1024) if entry is not None and entry.is_regular else b""
        found = _LABEL.search(raw)
        cache[slug] = found is None or found.group(1) != PUBLIC
    return cache[slug]


def _fixture_paths(snapshot: Snapshot) -> Iterable[str]:
    cache: dict[str, bool] = {}
    for path in snapshot.paths():
        parts = path.split("/")
        fixture = len(parts) >= 4 and parts[0] == "specs" and parts[2] == "fixtures"
        if fixture and _restricted(snapshot, parts[1], cache):
            yield path


def protected_values(snapshot: Snapshot) -> frozenset[str]:
    """Every precise number in a non-public dataset's fixtures: locations never to echo."""
    found: set[str] = set()
    for path in _fixture_paths(snapshot):
        entry = snapshot.entry(path)
        if entry is None or not entry.is_regular:
            continue
        text = snapshot.read(path, MAX_SCAN_BYTES).decode("utf-8", "replace")
        found.update(m.group().lstrip("-") for m in PRECISE.finditer(text))
    return frozenset(found)


def protected_in(head: Snapshot, base: Snapshot | None) -> frozenset[str]:
    """The protected values of a compared pair: what either side's fixtures hold."""
    found = protected_values(head)
    return found | protected_values(base) if base is not None else found


def redact(text: str, protected: frozenset[str]) -> tuple[str, int]:
    """The text with every protected value replaced, and how many were found (0: clean)."""
    if not protected:
        return text, 0
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if match.group().lstrip("-") in protected:
            count += 1
            return REDACTED
        return match.group()

    return PRECISE.sub(swap, text), count
