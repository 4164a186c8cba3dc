"""What `kfm-bot hash FILE...` does, without click: `kfm_bot.cli` calls it directly for a plain
`hash` command line, so that cold start imports only strict YAML and canonical JSON (the
finding renderers are imported only once a file is rejected, or for another format)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kfm_bot.errors import EXIT_FAILED, EXIT_OK, UsageError
from kfm_bot.findings import Finding

HASH_FORMATS = ("text", "json", "github", "sarif")


def run(files: Sequence[Path], fmt: str = "text") -> int:
    """Hash every file; exit 1 when any is rejected. A missing file is a usage error (2).

    text and github: `sha256:<hex>  FILE` lines on stdout, findings on stderr (as lines or as
    workflow commands); json and sarif: one document on stdout."""
    from kfm_bot.canonical import spec_hash
    from kfm_bot.yaml.strict import load_file

    missing = [str(path) for path in files if not path.exists()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    not_files = [str(path) for path in files if not path.is_file()]
    if not_files:
        raise UsageError(f"not a regular file: {', '.join(not_files)}")
    status = EXIT_OK
    hashes: list[tuple[str, str | None]] = []
    rejected: list[Finding] = []
    for path in files:
        display = path.as_posix()
        try:
            loaded = load_file(path, display)
        except OSError as exc:
            raise UsageError(f"cannot read {display}: {exc.strerror or exc}") from None
        if loaded.data is None:
            status = EXIT_FAILED
            found = sorted(loaded.findings, key=lambda f: f.sort_key())
            # Every finding names its file, line and column (1:1 when the loader knows no place).
            located = [_located(display, f) for f in found]
            rejected += located
            hashes.append((display, None))
            if fmt in ("text", "github"):
                sys.stderr.write(_lines(located, fmt))
            continue
        digest = spec_hash(loaded.data)
        hashes.append((display, digest))
        if fmt in ("text", "github"):
            sys.stdout.write(f"{digest}  {display}\n")
    if fmt == "json":
        sys.stdout.write(_json(hashes, rejected))
    elif fmt == "sarif":
        from kfm_bot.commands.formats import rule_help
        from kfm_bot.report import sarif

        sys.stdout.write(sarif.render(rejected, rule_help()))
    return status


def _located(display: str, finding: Finding) -> Finding:
    return finding.replace(path=display, line=finding.line or 1, column=finding.column or 1)


def _lines(findings: Sequence[Finding], fmt: str) -> str:
    from kfm_bot.report.finding_lines import github_command, text_line

    render = github_command if fmt == "github" else text_line
    return "".join(render(f) + "\n" for f in findings)


def _json(hashes: Sequence[tuple[str, str | None]], findings: Sequence[Finding]) -> str:
    import json

    from kfm_bot.report.finding_lines import as_json

    document = {
        "files": [{"path": path, "spec_hash": digest} for path, digest in hashes],
        "findings": [as_json(f) for f in findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
