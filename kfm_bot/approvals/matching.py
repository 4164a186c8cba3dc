"""Fill a unit's role slots with distinct people: one person fills at most one slot per unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def assign(
    required: Mapping[str, int],
    people: Sequence[tuple[int, frozenset[str]]],
    scarcity: Mapping[str, int] | None = None,
) -> dict[int, str]:
    """A maximum matching of people (id, roles) to role slots, as {person id: role}.

    Deterministic: people are tried in the given order; slots of scarce roles first (fewest
    candidates here, then fewest stewards on the roster per `scarcity`), so a person with two
    roles fills the one fewer people hold. Kuhn's augmenting paths keep the matching maximum.
    """
    here = {role: sum(1 for _, roles in people if role in roles) for role in required}
    rare = scarcity or {}
    order = sorted(required, key=lambda r: (here[r], rare.get(r, 0), r))
    slots = [role for role in order for _ in range(required[role])]
    owner: list[int | None] = [None] * len(slots)
    roles = dict(people)

    def place(person: int, seen: set[int]) -> bool:
        for i, role in enumerate(slots):
            if role not in roles[person] or i in seen:
                continue
            seen.add(i)
            current = owner[i]
            if current is None or place(current, seen):
                owner[i] = person
                return True
        return False

    for person, _ in people:
        place(person, set())
    return {person: slots[i] for i, person in enumerate(owner) if person is not None}


def missing(required: Mapping[str, int], filled: Mapping[int, str]) -> dict[str, int]:
    """Per role, how many more distinct people are needed (zero entries kept for clarity)."""
    counts = {role: 0 for role in required}
    for role in filled.values():
        counts[role] += 1
    return {role: max(0, required[role] - counts[role]) for role in sorted(required)}
