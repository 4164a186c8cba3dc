"""The PyGithub adapter against the emulator: reads, bounded retries, exit 3, no token leaks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kfm_bot.emulator import Emulator
from kfm_bot.emulator.testing import running_emulator
from kfm_bot.errors import EXIT_SERVICE
from kfm_bot.github.interface import CheckOutput, GitHubError, NotFound
from kfm_bot.github.pygithub_client import PyGithubClient
from kfm_bot.github.retry import RetryPolicy, scrub

FAST = RetryPolicy(attempts=4, max_total=5.0, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def emu(tmp_path: Path):  # type: ignore[no-untyped-def]
    with running_emulator(tmp_path) as running:
        src = tmp_path / "src"
        src.mkdir()
        (src / "README.md").write_text("hi\n")
        running.add_user("alice", 7001)
        running.create_repo("org", "data", source_dir=src)
        yield running


def client(emu: Emulator, policy: RetryPolicy = FAST) -> tuple[PyGithubClient, str]:
    token = emu.add_user("kfm-bot[bot]", 4410099, type="Bot")
    emu.add_collaborator("org", "data", "kfm-bot[bot]", "write")
    return PyGithubClient(token, "org/data", emu.base_url, policy), token


def head(emu: Emulator) -> str:
    from tests.gitrepo import git

    return git(Path(emu.git_url("org", "data")), "rev-parse", "main")


def test_check_run_round_trip_and_one_request_each(emu: Emulator) -> None:
    gh, _ = client(emu)
    sha = head(emu)
    before = len(emu.requests)
    run = gh.create_check_run(sha, "kfm", "in_progress", CheckOutput("Running", "…"))
    gh.update_check_run(run.id, "completed", CheckOutput("Done", "ok"), "success")
    runs = gh.list_check_runs(sha, "kfm")
    assert [(r.name, r.conclusion, r.summary) for r in runs] == [("kfm", "success", "ok")]
    assert len(emu.requests) - before == 3


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 502},
        {"status": 429, "retry_after": 0},
        {"secondary_rate_limit": True, "retry_after": 0},
        {"drop_connection": True},
    ],
    ids=["5xx", "429", "secondary", "dropped"],
)
def test_transient_failures_are_retried(emu: Emulator, fault: dict[str, object]) -> None:
    gh, _ = client(emu)
    emu.faults.add("GET", "/repos/org/data/commits/*/check-runs", times=2, **fault)  # type: ignore[arg-type]
    assert gh.list_check_runs(head(emu)) == []
    tries = [r for r in emu.requests if r.path.endswith("/check-runs")]
    assert len(tries) == 3


def test_retry_after_is_honoured(emu: Emulator) -> None:
    gh, _ = client(emu, RetryPolicy(attempts=3, max_total=10.0, base_delay=0.0))
    emu.faults.add("GET", "/rate_limit", status=429, retry_after=1, times=1)
    start = time.monotonic()
    assert gh.rate_limit_remaining() > 0
    assert time.monotonic() - start >= 1.0


def test_gives_up_after_the_count_with_exit_3(emu: Emulator) -> None:
    gh, token = client(emu)
    emu.faults.add("GET", "/rate_limit", status=503, times=-1)
    with pytest.raises(GitHubError) as caught:
        gh.rate_limit_remaining()
    assert caught.value.exit_code == EXIT_SERVICE
    assert "after 4 attempt(s)" in caught.value.message and token not in caught.value.message
    assert emu.request_count("GET", "/rate_limit") == 4


def test_gives_up_when_retry_after_exceeds_the_time_bound(emu: Emulator) -> None:
    gh, _ = client(emu, RetryPolicy(attempts=10, max_total=2.0))
    emu.faults.add("GET", "/rate_limit", status=429, retry_after=3600, times=-1)
    start = time.monotonic()
    with pytest.raises(GitHubError):
        gh.rate_limit_remaining()
    assert time.monotonic() - start < 1.0  # never sleeps past the bound
    assert emu.request_count("GET", "/rate_limit") == 1


def test_refusals_are_not_retried_and_not_found_is_distinct(emu: Emulator) -> None:
    gh, _ = client(emu)
    with pytest.raises(NotFound):
        gh.get_pull(99)
    emu.faults.add("GET", "/repos/org/data/pulls/1", status=422, times=-1)
    with pytest.raises(GitHubError):
        gh.get_pull(1)
    assert emu.request_count("GET", "/repos/org/data/pulls/1") == 1


def test_tokens_never_in_messages(emu: Emulator) -> None:
    token = emu.add_user("mallory", 7002)
    gh = PyGithubClient(token, "org/data", emu.base_url, FAST)
    emu.faults.add("GET", "/rate_limit", status=500, times=-1)
    with pytest.raises(GitHubError) as caught:
        gh.rate_limit_remaining()
    assert token not in str(caught.value) and token not in repr(caught.value)
    assert token not in repr(gh.__dict__.get("_policy"))


def test_scrub_masks_every_token_shape() -> None:
    text = (
        "Authorization: token ghp_abcdefghij1234 and Bearer xyz "
        "ghs_0123456789abcdef github_pat_ABCDEFGH_123"
    )
    out = scrub(text, ("xyz",))
    for secret in ("ghp_abcdefghij1234", "xyz", "ghs_0123456789abcdef", "github_pat_ABCDEFGH_123"):
        assert secret not in out
