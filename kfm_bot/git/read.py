"""Reading a repository: refs, trees, blobs, diffs, logs and tags, as plain data.

With `write` (plumbing writes) and `command` (the demo's porcelain), the only place in the
product that imports GitPython or runs git; everyone else holds a `GitDir` (a path) and gets
back str, bytes, int, tuples and the dataclasses below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kfm_bot.errors import UsageError
from kfm_bot.git.gitdir import GitDir, gitpython

if TYPE_CHECKING:
    import git

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass(frozen=True, slots=True)
class TreeEntry:
    path: str
    mode: str  # git mode: 100644, 100755, 120000 (symlink), 160000 (submodule)
    blob: str


@dataclass(frozen=True, slots=True)
class Change:
    status: str  # A, M, D, R (renamed), T (type changed)
    path: str
    old_path: str | None = None


def _git(repo: GitDir) -> git.Git:
    return gitpython(repo).git


def resolve(repo: GitDir, ref: str) -> str:
    import git

    try:
        return str(_git(repo).rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")).strip()
    except git.GitCommandError:
        raise UsageError(f"cannot resolve {ref!r} to a commit") from None


def default_branch(repo: GitDir) -> str:
    """origin's HEAD when known, else main or master, else the current branch."""
    import git

    try:
        ref = str(_git(repo).symbolic_ref("--quiet", "refs/remotes/origin/HEAD")).strip()
        return ref.removeprefix("refs/remotes/")
    except git.GitCommandError:
        pass
    for name in ("main", "master"):
        if _has_ref(repo, f"refs/heads/{name}"):
            return name
    raise UsageError("cannot find the default branch (no origin/HEAD, main or master); pass --base")


def _has_ref(repo: GitDir, ref: str) -> bool:
    import git

    try:
        _git(repo).show_ref("--verify", "--quiet", ref)
    except git.GitCommandError:
        return False
    return True


def merge_base(repo: GitDir, a: str, b: str) -> str:
    import git

    try:
        return str(_git(repo).merge_base(a, b)).strip()
    except git.GitCommandError:
        raise UsageError(f"{a} and {b} have no common ancestor; pass --base") from None


def tree_records(repo: GitDir, commit: str) -> dict[str, str]:
    """Path -> its raw `ls-tree` record (`<mode> <type> <object>\t<path>`), for every file.

    Records, not parsed entries: a check reads a handful of a 100,000-file tree's entries, so
    each is split when asked for (`parse_record`), not all of them up front.
    """
    # No `-l`: sizes would make git read every object's header, and nothing needs them.
    out = str(_git(repo).ls_tree("-r", "-z", "--full-tree", commit))
    return {r[r.index("\t") + 1 :]: r for r in out.split("\0") if r}


def parse_record(record: str) -> TreeEntry:
    meta, _, path = record.partition("\t")
    mode, _kind, blob = meta.split()
    return TreeEntry(path, mode, blob)


def index_entries(repo: GitDir) -> dict[str, str]:
    """Tracked and untracked-but-not-ignored paths of the working tree, with their index mode."""
    modes: dict[str, str] = {}
    for record in str(_git(repo).ls_files("-s", "-z")).split("\0"):
        if record:
            meta, _, path = record.partition("\t")
            modes[path] = meta.split()[0]
    for path in str(_git(repo).ls_files("--others", "--exclude-standard", "-z")).split("\0"):
        if path:
            modes.setdefault(path, "100644")
    return modes


def read_blob(repo: GitDir, blob: str, limit: int | None = None) -> bytes:
    stream = gitpython(repo).odb.stream(bytes.fromhex(blob))
    return bytes(stream.read() if limit is None else stream.read(limit))


def diff(repo: GitDir, base: str, head: str | None) -> list[Change]:
    """Changes from base to head (a commit) or to the working tree when head is None."""
    args = ["--name-status", "-z", "-M", "--no-ext-diff", base]
    if head is not None:
        args.append(head)
    fields = [f for f in str(_git(repo).diff(*args)).split("\0") if f]
    changes: list[Change] = []
    i = 0
    while i < len(fields):
        status = fields[i][0]
        if status in "RC":
            changes.append(Change("R" if status == "R" else "A", fields[i + 2], fields[i + 1]))
            i += 3
        else:
            changes.append(Change(status, fields[i + 1]))
            i += 2
    if head is None:
        untracked = str(_git(repo).ls_files("--others", "--exclude-standard", "-z")).split("\0")
        changes.extend(Change("A", p) for p in untracked if p)
    return changes


def commit_time(repo: GitDir, commit: str) -> int:
    return int(gitpython(repo).commit(commit).committed_date)


def branch_of(repo: GitDir, ref: str | None) -> str | None:
    """The branch a ref names (`feature` for feature, origin/feature or HEAD on feature).

    None for a commit id or a detached HEAD: those name no branch.
    """
    import git

    try:
        full = str(_git(repo).rev_parse("--symbolic-full-name", ref or "HEAD")).strip()
    except git.GitCommandError:
        return None
    for prefix in ("refs/heads/", "refs/remotes/origin/"):
        if full.startswith(prefix):
            return full.removeprefix(prefix)
    return None


def peel(repo: GitDir, rev: str) -> str | None:
    """The commit `rev` names, or None (an unborn HEAD, an unknown name)."""
    out = _git(repo).rev_parse("--verify", "--quiet", f"{rev}^{{commit}}", with_exceptions=False)
    return str(out).strip() or None


def first_parent_messages(repo: GitDir, sha: str, grep: str, path: str) -> list[tuple[str, str]]:
    """(sha, message) of each commit on `sha`'s first-parent line that changed `path` and whose
    message holds `grep`. One `git log` for the whole history, newest first."""
    out = str(
        _git(repo).log(
            "-z",
            "--first-parent",
            "--fixed-strings",
            f"--grep={grep}",
            "--format=%H%n%B",
            sha,
            "--",
            path,
        )
    )
    found = []
    for record in out.split("\0"):
        commit, _, message = record.strip("\n").partition("\n")
        if commit:
            found.append((commit, message))
    return found


def annotated_tags(repo: GitDir, sha: str) -> list[tuple[str, str]]:
    """(name, message) of every annotated tag reachable from `sha`: one `git for-each-ref`."""
    out = str(
        _git(repo).for_each_ref(
            f"--merged={sha}",
            "--format=%(objecttype) %(refname:strip=2)%00%(contents)%00",
            "refs/tags",
        )
    )
    fields = out.split("\0")
    tags = []
    for header, message in zip(fields[0::2], fields[1::2], strict=False):
        kind, _, name = header.strip("\n").partition(" ")
        if kind == "tag":  # a lightweight tag's "contents" is its commit's message: not a tag's
            tags.append((name, message))
    return tags


def is_shallow(repo: GitDir) -> bool:
    return str(_git(repo).rev_parse("--is-shallow-repository")).strip() == "true"


def head_ref(repo: GitDir) -> str:
    """The full name of the branch HEAD is on (`refs/heads/main`), or "" when detached."""
    return str(_git(repo).symbolic_ref("--quiet", "HEAD", with_exceptions=False)).strip()


def first_parent(repo: GitDir, sha: str) -> str:
    return str(_git(repo).rev_parse(f"{sha}^1")).strip()


def first_parent_log(repo: GitDir, tip: str, limit: int) -> list[tuple[str, str, str]]:
    """(sha, parents, message) of the last `limit` commits on `tip`'s first-parent line,
    newest first; `parents` is the space-separated parent ids ("" for a root commit)."""
    return first_parent_log_after(repo, tip, None, limit)


def commit_summary(repo: GitDir, sha: str) -> tuple[str, str, str]:
    """(subject, space-separated parent ids, author name) of one commit."""
    subject, parents, author = str(_git(repo).log("-1", "--format=%s%x00%P%x00%an", sha)).split(
        "\x00", 2
    )
    return subject, parents, author


def tag_object(repo: GitDir, name: str) -> str | None:
    """The object `refs/tags/<name>` names (the tag object of an annotated tag), or None."""
    out = _git(repo).rev_parse("--verify", "--quiet", f"refs/tags/{name}", with_exceptions=False)
    return str(out).strip() or None


def object_type(repo: GitDir, obj: str) -> str:
    return str(_git(repo).cat_file("-t", obj)).strip()


def tag_text(repo: GitDir, obj: str) -> str:
    """An annotated tag object as git stores it: header lines, a blank line, the message."""
    return str(_git(repo).cat_file("tag", obj))


def is_ancestor(repo: GitDir, ancestor: str, sha: str) -> bool:
    """Whether `ancestor` is a commit in `sha`'s history (False for an unknown id)."""
    import git

    try:
        _git(repo).merge_base("--is-ancestor", ancestor, sha)
    except git.GitCommandError:
        return False
    return True


def _since(repo: GitDir, tip: str, after: str | None) -> str:
    """The revision range from just after `after` to `tip`, or all of `tip`'s history when
    `after` is not (or no longer) in it."""
    return f"{after}..{tip}" if after and is_ancestor(repo, after, tip) else tip


def first_parent_log_after(
    repo: GitDir, tip: str, after: str | None, limit: int
) -> list[tuple[str, str, str]]:
    """`first_parent_log`, stopped at `after` (exclusive) when it is in `tip`'s history: the
    walk costs what happened since, not the length of the history."""
    rev = _since(repo, tip, after) if after else tip
    out = str(
        _git(repo).log("--first-parent", f"--max-count={limit}", "--format=%H%x00%P%x00%B%x01", rev)
    )
    commits = []
    for record in out.split("\x01"):
        fields = record.strip("\n").split("\x00")
        if len(fields) == 3:
            commits.append((fields[0], fields[1], fields[2]))
    return commits


def first_parent_grep_after(
    repo: GitDir, tip: str, after: str | None, grep: str
) -> list[tuple[str, str]]:
    """(sha, message) of the commits on `tip`'s first-parent line after `after` (all of them
    when `after` is None or not in the history) whose message holds `grep`, newest first.
    One `git log`, however many names the caller looks for in the messages."""
    out = str(
        _git(repo).log(
            "--first-parent",
            "--fixed-strings",
            f"--grep={grep}",
            "--format=%H%x00%B%x01",
            _since(repo, tip, after),
        )
    )
    found = []
    for record in out.split("\x01"):
        commit, _, message = record.strip("\n").partition("\x00")
        if commit:
            found.append((commit, message))
    return found


def tag_names(repo: GitDir) -> set[str]:
    """The names of the local tags: one `git for-each-ref` that reads refs, not tag objects."""
    return set(str(_git(repo).for_each_ref("--format=%(refname:strip=2)", "refs/tags")).split())


def file_at(repo: GitDir, commit: str, path: str) -> bytes | None:
    """The bytes of `path` in `commit` (None when it has no such file), without listing the
    whole tree: one `ls-tree` of that path, then the blob."""
    out = str(_git(repo).ls_tree("-z", commit, "--", path)).split("\0")[0]
    meta, _, found = out.partition("\t")
    fields = meta.split()
    if found != path or len(fields) != 3 or fields[1] != "blob":
        return None
    return read_blob(repo, fields[2])


def path_commits(repo: GitDir, path: str, limit: int) -> list[str]:
    """The last `limit` commits on HEAD that changed `path`, newest first; none in a repository
    without commits (or outside one)."""
    import git

    try:
        out = str(_git(repo).log(f"-{limit}", "--format=%H", "HEAD", "--", path))
    except (git.GitCommandError, git.InvalidGitRepositoryError, git.NoSuchPathError):
        return []
    return out.split()
