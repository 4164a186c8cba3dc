"""Custom policy rules: load `policies/rules/*.yaml` and compile their CEL once per process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from kfm_bot.findings import Finding, Severity, error
from kfm_bot.models.policy_rules import CelRule

if TYPE_CHECKING:
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.repo.snapshot import Snapshot
    from kfm_bot.yaml.strict import Loaded

RULES_DIR = "policies/rules"
INVALID = "F.rule-invalid"


class Program(Protocol):
    """What is used of a compiled celpy program (celpy has no type hints)."""

    ast: object  # its parse tree, which `cel_reads` walks

    def evaluate(self, activation: Mapping[str, object]) -> object: ...


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run; `path`, `line` and `column` locate its expression for error findings."""

    id: str
    description: str
    applies_to: str
    severity: Severity
    message: str
    field_path: tuple[str, ...]
    path: str
    line: int | None
    column: int | None
    program: Program
    message_program: Program | None = None


@dataclass(frozen=True)
class Outcome:
    """One rule on one document: it fired (with a message), passed, or could not be evaluated."""

    rule: CompiledRule
    fired: bool
    message: str = ""
    problem: str | None = None


def rule_paths(snapshot: Snapshot, directory: str = RULES_DIR) -> list[str]:
    from kfm_bot.repo.snapshot import under

    return [p for p in under(snapshot, directory + "/") if _direct_yaml(p, directory)]


def _direct_yaml(path: str, directory: str) -> bool:
    return (
        path.startswith(directory + "/")
        and "/" not in path[len(directory) + 1 :]
        and (path.endswith(".yaml"))
    )


def load_rules(docs: DocumentStore, snapshot: Snapshot) -> tuple[list[CompiledRule], list[Finding]]:
    """Every rule of the snapshot that compiled, and located findings for those that did not."""
    rules: list[CompiledRule] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    for path in rule_paths(snapshot):
        rule = _load_one(docs, path, findings)
        if rule is not None and rule.id in seen:
            findings.append(error(INVALID, f"rule id {rule.id} is used twice", path, 1, 1))
        elif rule is not None:
            seen.add(rule.id)
            rules.append(rule)
    return rules, findings


def _load_one(docs: DocumentStore, path: str, findings: list[Finding]) -> CompiledRule | None:
    loaded = docs.load(path)
    if loaded is None:
        findings.append(error(INVALID, f"{path} is not a regular file; make it one", path))
        return None
    findings.extend(loaded.findings)
    model = docs.model(path, CelRule) if loaded.data is not None else None
    if model is None:
        findings.extend(docs.schema_findings.get(path, []))
        return None
    stem = PurePosixPath(path).stem
    if model.id != f"F.rule.{stem}":
        line, col = loaded.locate(("id",))
        msg = f"rule id {model.id} must be F.rule.{stem}, after its file name; rename one"
        findings.append(error(INVALID, msg, path, line, col))
        return None
    program = _compiled_or_finding(model.expression, "expression", loaded, findings)
    message_program = None
    if model.message_expression is not None:
        message_program = _compiled_or_finding(
            model.message_expression, "message_expression", loaded, findings
        )
        if message_program is None:
            return None
    if program is None:
        return None
    line, col = loaded.locate(("expression",))
    return CompiledRule(
        model.id,
        model.description,
        model.applies_to,
        Severity(model.severity),
        model.message,
        tuple(model.field_path.split(".")) if model.field_path else (),
        path,
        line,
        col,
        program,
        message_program,
    )


def _compiled_or_finding(
    text: str, key: str, loaded: Loaded, findings: list[Finding]
) -> Program | None:
    try:
        return compile_expression(text)
    except Exception as exc:  # any parser failure is a located finding
        line, col = loaded.locate((key,))
        msg = f"`{key}` is not valid CEL ({_syntax(text, exc)}); fix its syntax"
        findings.append(error(INVALID, msg, loaded.path, line, col))
        return None


def _syntax(text: str, exc: Exception) -> str:
    """Where the parser stopped, quoting a little of the expression around it."""
    line, col = getattr(exc, "line", None), getattr(exc, "column", None)
    lines = text.splitlines() or [""]
    if not isinstance(line, int) or not isinstance(col, int) or not 0 < line <= len(lines):
        return type(exc).__name__
    near = lines[line - 1][max(0, col - 25) : col + 5].strip()
    return f"syntax error at line {line}, column {col} of the expression, near `{near}`"


@lru_cache(maxsize=1)
def _environment() -> Any:  # a celpy.Environment: celpy has no type hints
    # celpy costs ~80 ms to import and ~150 ms to build its parser: only when rules exist,
    # and the parser comes from a private cache (see cel_parser_cache).
    import celpy

    from kfm_bot.policy.cel_parser_cache import install

    install()
    return celpy.Environment()


@lru_cache(maxsize=1024)
def compile_expression(text: str) -> Program:
    """The runnable program of a CEL expression, compiled once per process."""
    env = _environment()
    program: Program = env.program(env.compile(text))
    return program
