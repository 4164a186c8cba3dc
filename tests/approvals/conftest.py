"""One example-content repository per session; each test works on its own copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.approvals import prs
from tests.gitrepo import init_example_repo


@pytest.fixture(scope="session", autouse=True)
def _template_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    prs.TEMPLATE.append(init_example_repo(tmp_path_factory.mktemp("approvals") / "template"))
    yield
    prs.TEMPLATE.clear()
