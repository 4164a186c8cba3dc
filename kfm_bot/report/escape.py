"""Neutralise PR-controlled strings before they reach a log, a workflow command or Markdown."""

from __future__ import annotations

import re

_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_HTML = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """`text` with every lone surrogate as U+FFFD. A file name that is not UTF-8 reaches the
    findings as surrogate escapes (`bad\\udcff.yaml`); JSON carrying them is not UTF-8 at all,
    and SARIF upload or a `jq` in the workflow would fail on the whole report."""
    return _SURROGATE.sub("\ufffd", text)


def uri_path(path: str) -> str:
    """A path percent-encoded for a URI, its undecodable bytes as the bytes they were."""
    from urllib.parse import quote  # only SARIF needs it; `hash`'s error path stays light

    try:
        data = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = valid_unicode(path).encode("utf-8")
    return quote(data, safe="/")


def command_data(text: str) -> str:
    """The message part of `::error ...::message` (GitHub's own escaping rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(text: str) -> str:
    """A property value of a workflow command (`file=`, `title=`)."""
    return command_data(text).replace(":", "%3A").replace(",", "%2C")


def log_line(text: str) -> str:
    """One line of plain log output that GitHub can never read as a workflow command.

    The runner reads two syntaxes: `::name::data` at the start of a line, and the legacy
    `##[name]data` ANYWHERE in a line (its parser looks the prefix up with IndexOf), so a
    path like `registry/sources/##[stop-commands]x.yaml` would otherwise silence every
    annotation after it. A zero-width space splits both prefixes."""
    flat = _CONTROL.sub("\ufffd", text.replace("\r", "\\r").replace("\n", "\\n"))
    return flat.replace("::", ":\u200b:").replace("##[", "#\u200b#[")


def markdown(text: str, limit: int = 2000) -> str:
    """Inline Markdown: no HTML, no @-mentions, no table breaks, bounded length."""
    flat = _CONTROL.sub("\ufffd", " ".join(text.split()))
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    flat = flat.translate(_HTML).replace("|", "\\|").replace("`", "'")
    return _MENTION.sub("@\u200b", flat)
