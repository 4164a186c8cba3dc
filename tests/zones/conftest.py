"""Session fixtures of the zone tests: one SeaweedFS server for every S3 test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.zones.seaweed import S3Server, seaweed


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with seaweed(tmp_path_factory.mktemp("seaweed")) as server:
        yield server
