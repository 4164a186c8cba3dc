"""One request through the emulator: faults, routing, auth, validation, handler, logging."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kfm_bot.emulator import assets
from kfm_bot.emulator.app_auth import looks_like_jwt, verify_jwt
from kfm_bot.emulator.call import Call
from kfm_bot.emulator.core import DOCS, ApiError, Core
from kfm_bot.emulator.endpoints import TABLE
from kfm_bot.emulator.faults import Faults
from kfm_bot.emulator.handlers_checks import check_limits
from kfm_bot.emulator.openapi import Validator, Violation
from kfm_bot.emulator.responses import (
    RATE_HEADERS,
    Answer,
    RequestRecord,
    error_answer,
    fault_answer,
)
from kfm_bot.emulator.routes import Route


@dataclass(frozen=True)
class Caller:
    """Who a request authenticates as: an account's token, an App's installation token (its
    App id), or an App's JWT (only the /app endpoints take one)."""

    login: str | None
    read_only: bool = False
    jwt_app: int | None = None
    app_token: int | None = None
    label: str | None = None  # the request log's name for a JWT caller


GRAPHQL_PATH = "/graphql"  # where PyGithub sends GraphQL for an API URL without /api/v3
DROP = None  # an Answer of None means: close the connection without a response
ResponseHook = Callable[[str, str, Any], Any]


class Pipeline:
    """Turns (method, target, headers, body) into an Answer, recording violations."""

    def __init__(self, core: Core, faults: Faults, validator: Validator) -> None:
        self.core, self.faults, self.validator = core, faults, validator
        self.violations: list[Violation] = []
        self.requests: list[RequestRecord] = []
        self.response_hook: ResponseHook | None = None

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> Answer | None:
        started = time.monotonic()
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        login: str | None = None
        answer: Answer | None
        try:
            answer, login = self._answer(method, parts.path, parts.query, headers, raw)
        except ApiError as exc:
            answer = error_answer(exc)
        status = answer.status if answer is not None else None
        with self.core.lock:
            self.requests.append(
                RequestRecord(method, parts.path, query, status, login, time.monotonic() - started)
            )
        return answer

    def _answer(
        self, method: str, path: str, raw_query: str, headers: dict[str, str], raw: bytes
    ) -> tuple[Answer | None, str | None]:
        fault = self.faults.take(method, path)
        if fault is not None:
            time.sleep(fault.latency)
            if fault.drop_connection:
                return DROP, None
            if fault.status is not None:
                return fault_answer(fault), None
            if fault.drop_after_commit:
                # Carried out in full (validation and violations included); only the answer is lost.
                try:
                    _, login = self._carry_out(method, path, raw_query, headers, raw)
                except ApiError:
                    login = None
                return DROP, login
        return self._carry_out(method, path, raw_query, headers, raw)

    def _carry_out(
        self, method: str, path: str, raw_query: str, headers: dict[str, str], raw: bytes
    ) -> tuple[Answer | None, str | None]:
        if assets.is_upload(method, path):
            return self._upload(path, raw_query, headers, raw)
        if (method, path) == ("POST", GRAPHQL_PATH):
            return self._graphql(headers, raw)
        found = TABLE.match(method, path)
        if found is None:
            return self._violation(
                "request", method, path, 500, "the endpoint is not in the OpenAPI subset"
            ), None
        route, params = found
        who = self._authenticate(headers)
        login, read_only = who.login, who.read_only
        body = _json(raw)
        if route.pattern.endswith(("/check-runs", "/check-runs/{check_run_id}")):
            check_limits(body)
        query = parse_qs(raw_query, keep_blank_values=True)
        problem = self.validator.check_request(method, route.pattern, params, query, raw)
        if problem:
            return self._violation("request", method, path, 500, problem), login
        call = Call(
            self.core,
            method,
            params,
            {k: v[0] for k, v in query.items()},
            body,
            login,
            path,
            read_only,
            who.jwt_app,
            who.app_token,
        )
        return self._respond(route, call), login or who.label

    def _respond(self, route: Route, call: Call) -> Answer:
        try:
            with self.core.lock:
                status, data = route.handler(call)
                if route.paginated:
                    data = call.page(data)
        except ApiError as exc:
            answer = error_answer(exc)
        else:
            answer = Answer(status, data, dict(call.out_headers))
            if status == 201 and isinstance(data, dict) and isinstance(data.get("url"), str):
                answer.headers["Location"] = data["url"]
        if self.response_hook is not None:
            answer.body = self.response_hook(call.method, route.pattern, answer.body)
        problem = self._check_response(call.method, route.pattern, call.params, answer)
        if problem:
            return self._violation("response", call.method, call.path, answer.status, problem)
        return answer

    def _upload(
        self, path: str, raw_query: str, headers: dict[str, str], raw: bytes
    ) -> tuple[Answer | None, str | None]:
        """Release assets go to GitHub's uploads host, not in the OpenAPI subset: hand-checked."""
        who = self._authenticate(headers)
        login, read_only = who.login, who.read_only
        problem = assets.check(raw_query, headers, raw)
        if problem:
            return self._violation("request", "POST", path, 500, problem), login
        try:
            with self.core.lock:
                status, data = assets.upload(
                    self.core, path, raw_query, headers, raw, login, read_only
                )
        except ApiError as exc:
            return error_answer(exc), login
        return Answer(status, data), login

    def _graphql(self, headers: dict[str, str], raw: bytes) -> tuple[Answer | None, str | None]:
        """GraphQL is not in the OpenAPI description: the schema subset validates each query."""
        from kfm_bot.emulator import handlers_graphql  # graphql-core: loaded when first asked

        who = self._authenticate(headers)  # a JWT may not query: GitHub wants a token
        try:
            data = handlers_graphql.answer(self.core, _json(raw), who.login)
        except ApiError as exc:
            return error_answer(exc), who.login or who.label
        if self.response_hook is not None:  # tests make GitHub answer otherwise
            data = self.response_hook("POST", GRAPHQL_PATH, data)
        return Answer(200, data), who.login

    def _check_response(
        self, method: str, pattern: str, params: dict[str, str], answer: Answer
    ) -> str | None:
        if self.validator.documents(method, pattern, answer.status):
            return self.validator.check_response(
                method,
                pattern,
                params,
                answer.status,
                answer.encoded(),
                {**RATE_HEADERS, **answer.headers},
            )
        # GitHub answers any endpoint with 401/403/404/422 in its basic-error shape.
        body = answer.body
        if answer.status >= 400 and isinstance(body, dict) and isinstance(body.get("message"), str):
            return None
        return f"status {answer.status} is not documented for {method} {pattern}"

    def _authenticate(self, headers: dict[str, str]) -> Caller:
        value = headers.get("authorization", "")
        if not value:
            return Caller(None)
        scheme, _, raw_token = value.partition(" ")
        token = raw_token.strip()
        if scheme.lower() == "bearer" and looks_like_jwt(token):
            with self.core.lock:
                app = verify_jwt(self.core, token)
            return Caller(None, jwt_app=app.id, label=f"app:{app.slug}")
        login = self.core.state.tokens.get(token)
        if scheme.lower() not in ("token", "bearer") or login is None:
            raise ApiError(401, "Bad credentials")
        return Caller(
            login,
            read_only=token in self.core.state.read_only_tokens,
            app_token=self.core.state.app_tokens.get(token),
        )

    def _violation(self, kind: str, method: str, path: str, status: int, message: str) -> Answer:
        violation = Violation(kind, method, path, status, message)
        with self.core.lock:
            self.violations.append(violation)
        text = f"kfm-bot GitHub emulator: the {kind} does not match GitHub's OpenAPI description"
        return Answer(
            500, {"message": text, "violation": str(violation), "documentation_url": DOCS}
        )


def _json(raw: bytes) -> Any:
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, "Problems parsing JSON") from None
