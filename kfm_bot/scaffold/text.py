"""Template text shipped as package data: read it and fill its tokens.

Two kinds of token: `__KFM_NAME__` takes a value given by the caller, and `__SCHEMA:name__`
becomes the relative path from the written file to `schemas/<name>.v1.schema.json`, so an
editor's modeline resolves wherever the file sits and follows the models' own file names.
"""

from __future__ import annotations

import json
import posixpath
import re
from importlib import resources

from kfm_bot.models import DOCUMENTS, schema_filename

SCHEMA_DIR = "schemas"
_TOKEN = re.compile(r"__KFM_([A-Z0-9_]+)__")
_SCHEMA = re.compile(r"__SCHEMA:([a-z_]+)__")


def template(name: str) -> str:
    """The text of `templates/<name>` inside the installed package (a wheel ships it)."""
    return resources.files("kfm_bot.scaffold").joinpath("templates", name).read_text("utf-8")


def template_names(folder: str) -> list[str]:
    """Every file under `templates/<folder>/`, as paths relative to that folder."""
    found: list[str] = []
    todo = [(resources.files("kfm_bot.scaffold").joinpath("templates", folder), "")]
    while todo:
        node, prefix = todo.pop()
        for child in node.iterdir():
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                todo.append((child, rel + "/"))
            else:
                found.append(rel)
    return sorted(found)


def schema_path(document: str, written_at: str) -> str:
    """`schemas/<document>.v1.schema.json` relative to the folder of repository path
    `written_at` (`registry/sources/x.yaml` -> `../../schemas/source_entry.v1.schema.json`)."""
    if document not in DOCUMENTS:
        raise ValueError(f"no document model named {document!r}")
    target = f"{SCHEMA_DIR}/{schema_filename(document)}"
    return posixpath.relpath(target, posixpath.dirname(written_at) or ".")


def modeline(document: str, written_at: str) -> str:
    return f"# yaml-language-server: $schema={schema_path(document, written_at)}\n"


def fill(text: str, written_at: str, values: dict[str, str]) -> str:
    """`text` with every token replaced; a token without a value is a defect, not output."""

    def value(match: re.Match[str]) -> str:
        return values[match[1]]

    out = _TOKEN.sub(value, _SCHEMA.sub(lambda m: schema_path(m[1], written_at), text))
    # an empty value leaves `key: ` behind; strict YAML readers and linters dislike the blank
    return "".join(line.rstrip() + "\n" for line in out.splitlines())


def scalar(value: str | None) -> str:
    """A YAML scalar for `value`: empty (null) when there is none, else a JSON string, which is
    valid YAML whatever characters it holds (no injection of keys through a title)."""
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def flow_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"
