"""PyGithub round trips against the emulator: what the bot's GitHub adapter relies on."""

from __future__ import annotations

from tests.emulator.conftest import World, client, git, push_branch


def test_pull_request_round_trip(world: World) -> None:
    repo = client(world.emu, world.bot).get_repo("org/data")
    pr = repo.get_pull(world.number)
    assert (pr.title, pr.body, pr.user.login, pr.state) == ("Add", "Body", "alice", "open")
    assert pr.head.sha == git(world.work, "rev-parse", "feat")
    assert pr.base.sha == git(world.work, "rev-parse", "origin/main")
    assert pr.changed_files == 2 and pr.additions == 3
    files = {f.filename: f.status for f in pr.get_files()}
    assert files == {"new.txt": "added", "docs/a.md": "modified"}
    assert [c.sha for c in pr.get_commits()] == [pr.head.sha]


def test_push_moves_head_and_pull_ref(world: World) -> None:
    new_sha = push_branch(world.work, "feat", {"more.txt": "m\n"}, "more")
    pr = client(world.emu, world.bot).get_repo("org/data").get_pull(world.number)
    assert pr.head.sha == new_sha
    bare = world.emu.git_url("org", "data")
    assert git(world.work, "--git-dir", bare, "rev-parse", f"refs/pull/{world.number}/head") == (
        new_sha
    )


def test_reviews_from_control_api_and_rest(world: World) -> None:
    emu = world.emu
    emu.submit_review("org", "data", world.number, user="steward", state="APPROVED", body="ok")
    pr = client(emu, world.steward).get_repo("org/data").get_pull(world.number)
    pr.create_review(body="needs work", event="REQUEST_CHANGES")
    reviews = list(client(emu, world.bot).get_repo("org/data").get_pull(1).get_reviews())
    assert [(r.user.login, r.state) for r in reviews] == [
        ("steward", "APPROVED"),
        ("steward", "CHANGES_REQUESTED"),
    ]
    emu.dismiss_review("org", "data", world.number, reviews[0].id)
    assert pr.get_review(reviews[0].id).state == "DISMISSED"


def test_issue_comments(world: World) -> None:
    issue = client(world.emu, world.bot).get_repo("org/data").get_issue(world.number)
    comment = issue.create_comment("first")
    comment.edit("edited")
    world.emu.add_comment("org", "data", world.number, user="alice", body="from alice")
    assert [(c.user.login, c.body) for c in issue.get_comments()] == [
        ("kfm-bot[bot]", "edited"),
        ("alice", "from alice"),
    ]


def test_check_runs_accumulate_annotations(world: World) -> None:
    repo = client(world.emu, world.bot).get_repo("org/data")
    sha = repo.get_pull(world.number).head.sha
    note = {"path": "new.txt", "start_line": 1, "end_line": 1, "annotation_level": "failure"}
    run = repo.create_check_run(
        "gates",
        sha,
        status="in_progress",
        output={"title": "t", "summary": "s", "annotations": [{**note, "message": "one"}]},
    )
    assert (run.status, run.conclusion) == ("in_progress", None)
    run.edit(
        conclusion="failure",
        output={"title": "t", "summary": "s2", "annotations": [{**note, "message": "two"}]},
    )
    assert (run.status, run.conclusion, run.output.summary) == ("completed", "failure", "s2")
    assert [a.message for a in run.get_annotations()] == ["one", "two"]
    listed = list(repo.get_commit(sha).get_check_runs(check_name="gates"))
    assert [(r.id, r.output.annotations_count) for r in listed] == [(run.id, 2)]
    assert repo.get_check_run(run.id).name == "gates"


def test_commit_pulls_contents_and_statuses(world: World) -> None:
    repo = client(world.emu, world.bot).get_repo("org/data")
    sha = git(world.work, "rev-parse", "feat")
    commit = repo.get_commit(sha)
    assert commit.author.login == "alice"
    assert [p.number for p in commit.get_pulls()] == [world.number]
    assert repo.get_contents("docs/a.md", ref=sha).decoded_content == b"a\nb\n"
    assert repo.get_contents("docs/a.md").decoded_content == b"a\n"
    assert sorted(c.path for c in repo.get_contents("docs")) == ["docs/a.md"]
    status = commit.create_status("success", context="kfm", description="fine")
    assert status.state == "success"


def test_refs_and_annotated_tags_are_real(world: World) -> None:
    repo = client(world.emu, world.bot).get_repo("org/data")
    main = repo.get_git_ref("heads/main").object.sha
    tag = repo.create_git_tag("v1.0", "release 1.0", main, "commit")
    ref = repo.create_git_ref("refs/tags/v1.0", tag.sha)
    assert ref.object.type == "tag"
    bare = world.emu.git_url("org", "data")
    assert git(world.work, "--git-dir", bare, "cat-file", "-t", "v1.0") == "tag"
    assert git(world.work, "--git-dir", bare, "rev-parse", "v1.0^{commit}") == main
    assert repo.get_git_tag(tag.sha).message.strip() == "release 1.0"
    assert [r.ref for r in repo.get_git_matching_refs("tags/")] == ["refs/tags/v1.0"]
    release = repo.create_git_release("v1.0", name="One", message="notes")
    assert repo.get_release("v1.0").id == release.id


def test_users_teams_permissions(world: World) -> None:
    emu = world.emu
    emu.add_team("org", "stewards", ["steward", "alice"])
    gh = client(emu, world.bot)
    assert gh.get_user().login == "kfm-bot[bot]"
    assert gh.get_user("alice").type == "User"
    # Organisation and team lookups are not in the subset: the adapter asks for members directly.
    _, members = gh.requester.requestJsonAndCheck("GET", "/orgs/org/teams/stewards/members")
    assert [m["login"] for m in members] == ["steward", "alice"]
    repo = gh.get_repo("org/data")
    assert repo.get_collaborator_permission("alice") == "read"
    assert repo.get_collaborator_permission("kfm-bot[bot]") == "write"
    assert gh.get_rate_limit().rate.limit == 5000
