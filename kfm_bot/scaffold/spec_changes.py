"""What changed in a spec since the run whose receipt recorded `spec_hash`: the committed
version of spec.yaml with that hash, compared with the working tree's, field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kfm_bot.errors import KfmError

HISTORY = 50  # commits of spec.yaml searched for the recorded hash
SHOWN = 5  # changed fields named


def changes_since(root: Path, rel_spec: str, recorded: str) -> str:
    """A phrase: the changed fields (`transforms[1].version`), or why they are unknown."""
    from kfm_bot.scaffold.refresh import load_spec, spec_hash

    current = load_spec(root / rel_spec)
    for old in _committed_versions(root, rel_spec):
        if spec_hash(old) == recorded:
            paths = sorted(_differences(old, current, ""))
            more = f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else ""
            return "changed: " + ", ".join(paths[:SHOWN]) + more if paths else "no field changed"
    return f"no commit among the last {HISTORY} of {rel_spec} has the recorded hash"


def _committed_versions(root: Path, rel_spec: str) -> list[dict[str, Any]]:
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.git.read import file_at, path_commits
    from kfm_bot.yaml.strict import load_strict

    try:
        repo = GitDir(root)
    except KfmError:
        return []
    found = []
    for commit in path_commits(repo, rel_spec, HISTORY):
        data = file_at(repo, commit, rel_spec)
        loaded = load_strict(data, rel_spec) if data is not None else None
        if loaded is not None and isinstance(loaded.data, dict):
            found.append(loaded.data)
    return found


def _differences(old: Any, new: Any, where: str) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new), key=str):
            out += _differences(old.get(key), new.get(key), f"{where}.{key}" if where else key)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            p
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for p in _differences(a, b, f"{where}[{i}]")
        ]
    return [] if old == new else [where or "(the whole spec)"]
