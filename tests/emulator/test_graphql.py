"""`POST /graphql`: validated against GitHub's schema subset, paged for real, logged like REST."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import requests

from kfm_bot.emulator import gitcmd, gitread
from kfm_bot.emulator.graphql_subset import main, prune
from kfm_bot.github.head_snapshot import PULL_QUERY, QUERIES, QUERY
from kfm_bot.github.interface import CheckOutput, GitHubClient, NotFound
from kfm_bot.github.pygithub_client import PyGithubClient
from tests.emulator.conftest import World, push_branch

COMMENTS = """
query($owner: String!, $name: String!, $sha: GitObjectID!, $after: String, $first: Int) {
  repository(owner: $owner, name: $name) {
    object(oid: $sha) {
      oid
      ... on Commit {
        associatedPullRequests(first: 5) {
          nodes {
            number
            comments(first: $first, after: $after) {
              pageInfo { hasNextPage endCursor }
              nodes { databaseId body author { __typename login ... on Bot { databaseId } } }
            }
          }
        }
      }
    }
  }
}
"""


def post(world: World, body: Any, token: str | None = "bot") -> requests.Response:
    headers = {"Authorization": f"token {world.bot}"} if token else {}
    return requests.post(world.emu.base_url + "/graphql", json=body, headers=headers, timeout=10)


def comments_page(world: World, first: int | None, after: str | None = None) -> Any:
    sha = world.emu.pull("org", "data", world.number).head_sha
    variables = {"owner": "org", "name": "data", "sha": sha, "first": first, "after": after}
    answer = post(world, {"query": COMMENTS, "variables": variables})
    assert answer.status_code == 200
    return answer.json()


def test_a_field_github_does_not_have_is_refused_like_github(world: World) -> None:
    query = '{ repository(owner: "org", name: "data") { nameWithOwner isFabricated } }'
    answer = post(world, {"query": query})
    assert answer.status_code == 200  # GitHub answers an invalid query with 200 and errors
    body = answer.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == (
        "Cannot query field 'isFabricated' on type 'Repository'."
    )
    assert (
        post(world, {"query": "{ repository("})
        .json()["errors"][0]["message"]
        .startswith("Syntax Error")
    )
    assert post(world, {"query": QUERY}).json()["errors"]  # its variables are required
    assert [(r.method, r.path, r.status) for r in world.emu.requests[-3:]] == [
        ("POST", "/graphql", 200)
    ] * 3


def test_graphql_needs_a_token_and_a_json_query(world: World) -> None:
    assert post(world, {"query": "{ repository }"}, token=None).status_code == 401
    assert post(world, ["not", "an", "object"]).status_code == 400
    missing = '{ repository(owner: "org", name: "nope") { nameWithOwner } }'
    body = post(world, {"query": missing}).json()
    assert body["data"] == {"repository": None}
    assert body["errors"][0]["type"] == "NOT_FOUND"


def test_connections_page_with_cursors_and_bounds(world: World) -> None:
    for i in range(3):
        world.emu.add_comment("org", "data", world.number, user="kfm-bot[bot]", body=f"c{i}")
    first = comments_page(world, 2)["data"]["repository"]["object"]
    [pull] = first["associatedPullRequests"]["nodes"]
    page = pull["comments"]
    assert [n["body"] for n in page["nodes"]] == ["c0", "c1"]
    assert page["pageInfo"]["hasNextPage"] is True
    author = page["nodes"][0]["author"]
    assert author["__typename"] == "Bot" and author["login"] == "kfm-bot"  # no `[bot]` here
    assert isinstance(author["databaseId"], int)
    second = comments_page(world, 2, page["pageInfo"]["endCursor"])
    [pull] = second["data"]["repository"]["object"]["associatedPullRequests"]["nodes"]
    assert [n["body"] for n in pull["comments"]["nodes"]] == ["c2"]
    assert pull["comments"]["pageInfo"]["hasNextPage"] is False
    too_many = comments_page(world, 101)["errors"][0]
    assert too_many["type"] == "EXCESSIVE_PAGINATION" and "limit of 100" in too_many["message"]
    unbounded = comments_page(world, None)["errors"][0]
    assert unbounded["type"] == "MISSING_PAGINATION_BOUNDARIES"


def test_the_snapshot_matches_the_rest_reads(world: World) -> None:
    """The GraphQL read gives the records the REST listings give: the same conversions."""
    client = PyGithubClient(world.bot, "org/data", world.emu.base_url)
    sha = world.emu.pull("org", "data", world.number).head_sha
    world.emu.submit_review("org", "data", world.number, user="steward", body="fine")
    world.emu.add_comment("org", "data", world.number, user="kfm-bot[bot]", body="record")
    world.emu.add_comment("org", "data", world.number, user="steward", body="/kfm hold x")
    output = CheckOutput("t", "s", "state")
    client.create_check_run(sha, "kfm-bot / gates", "completed", output, "neutral")
    client.create_check_run(sha, "kfm-bot / gates", "in_progress", output)
    start = len(world.emu.requests)
    graphql = client.head_snapshot(sha)
    assert [(r.method, r.path) for r in world.emu.requests[start:]] == [("POST", "/graphql")]
    rest = GitHubClient.head_snapshot(client, sha)  # the interface's REST composition
    assert graphql.runs == rest.runs
    for mine, theirs in zip(graphql.pulls, rest.pulls, strict=True):
        assert mine.pull == theirs.pull
        assert mine.reviews == theirs.reviews
        assert mine.comments == theirs.comments
        # the query reads no parents: nothing reads a PR's commits' parents
        assert mine.commits == tuple(replace(c, parents=()) for c in theirs.commits)
    assert len(graphql.runs) == 2 and graphql.pulls[0].comments[0].user is not None
    assert graphql.pulls[0].comments[0].user.login == "kfm-bot[bot]"


def test_the_vendored_schema_is_the_cut_of_itself_for_the_bots_query(tmp_path: Path) -> None:
    """What `graphql_subset` made from GitHub's full schema it makes again from the subset:
    the file holds no hand edit, and the bot's query validates against it."""
    text = (
        resources.files("kfm_bot.emulator")
        .joinpath("data/github-graphql-subset.graphql")
        .read_text(encoding="utf-8")
    )
    header = "".join(line[2:] + "\n" for line in text.splitlines() if line.startswith("# "))
    assert "octokit/graphql-schema@" in header
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert prune(body, list(QUERIES), header.rstrip("\n")) == text
    # the maintainer's command, as PROVENANCE.md gives it, makes the same file
    (tmp_path / "full.graphql").write_text(body)
    (tmp_path / "query.graphql").write_text(QUERY)
    (tmp_path / "pull_query.graphql").write_text(PULL_QUERY)
    source = header.split("Source: ", 1)[1].split(" (MIT", 1)[0]
    names = ("full.graphql", "query.graphql", "pull_query.graphql", "out.graphql")
    files = [str(tmp_path / n) for n in names]
    assert main([*files[:3], "--out", files[3], "--source", source]) == 0
    assert (tmp_path / "out.graphql").read_text() == text


def test_a_query_the_schema_cannot_hold_is_refused_by_the_cutter() -> None:
    text = resources.files("kfm_bot.emulator").joinpath("data/github-graphql-subset.graphql")
    with pytest.raises(ValueError, match="does not validate"):
        prune(text.read_text(encoding="utf-8"), ["{ viewer { login } }"])


def connection_requests(query: str) -> int:
    """GitHub's price of a query before the division by 100: every connection (a field with
    `first:`) counted once per node that may hold it, every `first:` assumed reached."""
    from graphql import FieldNode, InlineFragmentNode, IntValueNode, OperationDefinitionNode
    from graphql import parse as parse_query

    total = 0

    def walk(node: Any, times: int) -> None:
        nonlocal total
        for item in node.selection_set.selections if node.selection_set else ():
            if isinstance(item, InlineFragmentNode):
                walk(item, times)
                continue
            assert isinstance(item, FieldNode)
            args = item.arguments or ()
            first = next((a.value for a in args if a.name.value == "first"), None)
            if isinstance(first, IntValueNode):
                total += times
                walk(item, times * int(first.value))
            else:
                walk(item, times)

    [operation] = parse_query(query).definitions
    assert isinstance(operation, OperationDefinitionNode)
    walk(operation, 1)
    return total


def test_the_snapshot_costs_a_few_points_of_the_graphql_rate_limit() -> None:
    # 1,000 points an hour for a workflow's GITHUB_TOKEN: a privileged run spends about 2
    assert connection_requests(QUERY) <= 300
    assert connection_requests(PULL_QUERY) <= 300  # promotion's read: one PR, its head's runs
    assert (
        connection_requests("{ a(first: 100) { nodes { b(first: 100) { totalCount } } } }") == 101
    )


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_a_merged_pulls_snapshot_matches_the_rest_reads(world: World, method: str) -> None:
    """Promotion's read (`pull_snapshot`, PULL_QUERY) takes the merged PR by its number, so a
    squashed or rebased one (whose head GitHub's commit listing no longer ties to it) is read
    in one request too, with the records REST gives; a number GitHub does not know fails."""
    client = PyGithubClient(world.bot, "org/data", world.emu.base_url)
    world.emu.submit_review("org", "data", world.number, user="steward", body="fine")
    world.emu.add_comment("org", "data", world.number, user="steward", body="/kfm hold x")
    world.emu.merge_pull("org", "data", world.number, method, by="steward")
    pull = client.get_pull(world.number)
    assert pull.merged and client.head_snapshot(pull.head_sha).pulls == ()
    start = len(world.emu.requests)
    graphql = client.pull_snapshot(pull)
    assert [(r.method, r.path) for r in world.emu.requests[start:]] == [("POST", "/graphql")]
    rest = GitHubClient.pull_snapshot(client, pull)
    [mine], [theirs] = graphql.pulls, rest.pulls
    assert mine.pull == pull and (mine.reviews, mine.comments) == (theirs.reviews, theirs.comments)
    assert mine.commits == tuple(replace(c, parents=()) for c in theirs.commits)
    assert graphql.runs == rest.runs
    assert [c.body for c in mine.comments] == ["/kfm hold x"]
    with pytest.raises(NotFound, match="number of 9999"):
        client.pull_snapshot(replace(pull, number=9999))


def test_a_pulls_commits_read_in_one_git_call_match_the_rest_reads(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PR's commits are read with one `git log`, not one `git show` each: the batch gives
    every commit as `commit_info` does (messages of several lines, authors mapped to accounts)
    and the snapshot's commits stay those REST lists."""
    for i in range(3):
        push_branch(world.work, "feat", {f"more{i}.txt": "x\n"}, f"more {i}\n\nwhy {i}\n")
    pull = world.emu.pull("org", "data", world.number)
    path = world.emu.core.git_path("org/data")
    shas = gitread.commits_between(path, pull.base_sha, pull.head_sha)
    assert len(shas) == 4
    assert gitread.commit_infos(path, shas) == {s: gitread.commit_info(path, s) for s in shas}
    assert gitread.commit_infos(path, []) == {}
    client = PyGithubClient(world.bot, "org/data", world.emu.base_url)
    commands: list[str] = []
    real = gitcmd.git_bytes

    def counted(repo: Path, *args: str, **options: Any) -> bytes:
        commands.append(args[0])
        return real(repo, *args, **options)

    monkeypatch.setattr(gitcmd, "git_bytes", counted)  # the emulator serves in this process
    [mine] = client.head_snapshot(pull.head_sha).pulls
    monkeypatch.undo()
    assert (commands.count("log"), commands.count("show")) == (1, 0)
    [theirs] = GitHubClient.head_snapshot(client, pull.head_sha).pulls
    assert mine.commits == tuple(replace(c, parents=()) for c in theirs.commits)
    assert [c.author.login for c in mine.commits if c.author] == ["alice"] * 4


RUNS = """
query($owner: String!, $name: String!, $sha: GitObjectID!, $after: String) {
  repository(owner: $owner, name: $name) {
    object(oid: $sha) {
      ... on Commit {
        checkSuites(first: 5) {
          nodes {
            latest: checkRuns(first: 10) { nodes { databaseId } }
            all: checkRuns(first: 10, filterBy: {checkType: ALL}) { nodes { databaseId } }
            running: checkRuns(first: 10, filterBy: {checkType: ALL, status: IN_PROGRESS}) {
              nodes { databaseId }
            }
            tail: checkRuns(last: 1, filterBy: {checkType: ALL}) {
              pageInfo { hasNextPage }
              nodes { databaseId }
            }
            after: checkRuns(first: 10, after: $after) { nodes { databaseId } }
          }
        }
      }
    }
  }
}
"""


def test_check_runs_filter_like_github_and_page_from_either_end(world: World) -> None:
    """GitHub's default `checkType` is LATEST (a name's newest run), ALL gives every run, a
    `status` filters, `last` pages from the end, and a cursor GitHub did not make is refused."""
    client = PyGithubClient(world.bot, "org/data", world.emu.base_url)
    sha = world.emu.pull("org", "data", world.number).head_sha
    output = CheckOutput("t", "s", "state")
    client.create_check_run(sha, "a", "completed", output, "neutral")
    client.create_check_run(sha, "a", "in_progress", output)
    client.create_check_run(sha, "b", "completed", output, "success")
    ids = sorted(r.id for r in world.emu.core.state.check_runs)
    variables = {"owner": "org", "name": "data", "sha": sha, "after": None}
    body = post(world, {"query": RUNS, "variables": variables}).json()
    assert "errors" not in body
    [suite] = body["data"]["repository"]["object"]["checkSuites"]["nodes"]
    assert [n["databaseId"] for n in suite["latest"]["nodes"]] == ids[1:]
    assert [n["databaseId"] for n in suite["all"]["nodes"]] == ids
    assert [n["databaseId"] for n in suite["running"]["nodes"]] == [ids[1]]
    assert [n["databaseId"] for n in suite["tail"]["nodes"]] == [ids[2]]
    assert suite["tail"]["pageInfo"]["hasNextPage"] is False
    bogus = post(world, {"query": RUNS, "variables": {**variables, "after": "bm90IG1pbmU="}})
    assert bogus.json()["errors"][0]["type"] == "INVALID_CURSOR_ARGUMENTS"
