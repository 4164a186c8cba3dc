"""Which files of a commit contain any of some byte strings: `git grep`, searched in C.

The check of a one-source change asks which specs name that source. Reading and parsing every
spec of a 10,000-dataset registry in Python to answer it costs seconds; `git grep` finds the
few specs whose bytes contain the id in milliseconds, and only those are parsed. It is a
prefilter, so callers must choose needles that no matching file can lack (see
`repo.snapshot.containing`).
"""

from __future__ import annotations

from kfm_bot.git.gitdir import GitDir, gitpython


def files_containing(repo: GitDir, commit: str, pathspec: str, needles: list[str]) -> set[str]:
    """Paths of `commit` matching the glob `pathspec` whose bytes contain any of `needles`."""
    import git

    if not needles:
        return set()
    # -F: fixed strings; -a: binary files are searched as text; -z: paths as they are;
    # --no-textconv: the bytes git stores, not what a configured filter would show.
    args = ["-l", "-z", "-F", "-a", "--no-textconv", "--no-color"]
    for needle in needles:
        args += ["-e", needle]
    try:
        out = str(
            gitpython(repo).git.grep(*args, commit, "--", pathspec, strip_newline_in_stdout=False)
        )
    except git.GitCommandError as exc:
        if exc.status == 1:  # git grep's "nothing matched"
            return set()
        raise
    prefix = commit + ":"
    return {p.removeprefix(prefix) for p in out.split("\0") if p}
