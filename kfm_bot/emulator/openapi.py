"""The GitHub OpenAPI subset: loading, documented patches, and request/response validation."""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from kfm_bot.emulator.openapi_patches import patch

JSON = dict[str, Any]
SERVER = "https://api.github.com"


@functools.cache
def raw_spec() -> JSON:
    """The OpenAPI subset as shipped in the emulator's data folder, with the deviations patched."""
    data = resources.files("kfm_bot.emulator").joinpath("data")
    spec: JSON = json.loads(data.joinpath("github-rest-openapi-subset.json").read_text("utf-8"))
    apps: JSON = json.loads(data.joinpath("github-rest-openapi-apps.json").read_text("utf-8"))
    _add(spec, apps)
    patch(spec)
    return spec


def _add(spec: JSON, more: JSON) -> None:
    """Operations copied later from the same description (GitHub App authentication, see
    data/PROVENANCE.md): kept in their own file so the first stays byte for byte as taken."""
    for path, item in more["paths"].items():
        if path in spec["paths"]:
            raise ValueError(f"{path} is described twice in the emulator's OpenAPI data")
        spec["paths"][path] = item
    for kind, named in more["components"].items():
        table = spec["components"].setdefault(kind, {})
        for name, value in named.items():
            if name in table:
                raise ValueError(f"components/{kind}/{name} is described twice")
            table[name] = value


@dataclass
class Violation:
    """A request or response that does not match GitHub's description."""

    kind: str  # "request" | "response"
    method: str
    path: str
    status: int
    message: str

    def __str__(self) -> str:
        return f"{self.kind} {self.method} {self.path} ({self.status}): {self.message}"


@dataclass
class _Req:
    method: str
    path: str
    path_pattern: str
    view_args: dict[str, str]
    query: dict[str, list[str]]
    body: bytes | None
    content_type: str = "application/json"
    host_url: str = SERVER
    parameters: Any = field(init=False)

    def __post_init__(self) -> None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self.method = self.method.lower()
        self.parameters = RequestParameters(
            path=dict(self.view_args),
            query=ImmutableMultiDict([(k, v) for k, vs in self.query.items() for v in vs]),
            header=Headers({"Content-Type": self.content_type}),
            cookie=ImmutableMultiDict(),
        )


@dataclass
class _Resp:
    data: bytes
    status_code: int
    content_type: str = "application/json"
    headers: Any = field(default_factory=dict)


class Validator:
    """Validates routed requests and their responses with openapi-core."""

    def __init__(self) -> None:
        from openapi_core import Config, OpenAPI

        # The description is known good; skipping the spec check saves a second at start-up.
        self._api = OpenAPI.from_dict(
            copy.deepcopy(raw_spec()),
            config=Config(spec_validator_cls=None),  # type: ignore[arg-type]
        )

    def _request(
        self,
        method: str,
        pattern: str,
        params: dict[str, str],
        query: dict[str, list[str]],
        body: bytes | None,
    ) -> _Req:
        ctype = "application/json" if body else ""
        return _Req(method, pattern, pattern, params, query, body or None, ctype)

    def check_request(
        self,
        method: str,
        pattern: str,
        params: dict[str, str],
        query: dict[str, list[str]],
        body: bytes | None,
    ) -> str | None:
        """Return why the request breaks the description, or None."""
        try:
            self._api.validate_request(self._request(method, pattern, params, query, body))
        except Exception as exc:  # every validation failure is reported
            return describe(exc)
        return None

    def check_response(
        self,
        method: str,
        pattern: str,
        params: dict[str, str],
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> str | None:
        """Return why the response (body and declared headers) breaks the description, or None."""
        from werkzeug.datastructures import Headers

        req = self._request(method, pattern, params, {}, None)
        try:
            self._api.validate_response(req, _Resp(body, status, headers=Headers(headers or {})))
        except Exception as exc:  # every validation failure is reported
            return describe(exc)
        return None

    def documents(self, method: str, pattern: str, status: int) -> bool:
        """Whether the description names this status for this operation."""
        responses = raw_spec()["paths"][pattern][method.lower()]["responses"]
        return str(status) in responses or "default" in responses


@functools.cache
def shared_validator() -> Validator:
    """One validator per process: building it costs a third of a second; it keeps no state."""
    return Validator()


def describe(exc: BaseException) -> str:
    """A short explanation of an openapi-core error: where the data breaks which rule."""
    found: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(found) < 10:
        for error in getattr(seen, "schema_errors", None) or []:
            found.extend(_schema_error(error))
        seen = seen.__cause__
    if not found:
        return f"{type(exc).__name__}: {str(exc)[:1000]}"
    return f"{type(exc).__name__}: " + "; ".join(found[:10])


def _schema_error(error: Any) -> list[str]:
    """The innermost reasons of a jsonschema error (oneOf/anyOf keep theirs in `context`)."""
    if error.context:
        return [item for sub in error.context for item in _schema_error(sub)][:5]
    where = "/".join(map(str, error.absolute_path)) or "(body)"
    return [f"{where}: {str(error.message)[:300]}"]
