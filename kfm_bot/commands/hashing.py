"""What `kfm-bot hash FILE...` does, without click: `kfm_bot.cli` calls it directly for a plain
`hash` command line, so that cold start imports only strict YAML and canonical JSON."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kfm_bot.errors import EXIT_FAILED, EXIT_OK, UsageError
from kfm_bot.findings import Finding


def run(files: Sequence[Path]) -> int:
    """Hash every file; exit 1 when any is rejected. A missing file is a usage error (2)."""
    from kfm_bot.canonical import spec_hash
    from kfm_bot.yaml.strict import load_file

    missing = [str(path) for path in files if not path.exists()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    not_files = [str(path) for path in files if not path.is_file()]
    if not_files:
        raise UsageError(f"not a regular file: {', '.join(not_files)}")
    status = EXIT_OK
    for path in files:
        display = path.as_posix()
        try:
            loaded = load_file(path, display)
        except OSError as exc:
            raise UsageError(f"cannot read {display}: {exc.strerror or exc}") from None
        if loaded.data is None:
            status = EXIT_FAILED
            for finding in sorted(loaded.findings, key=lambda f: f.sort_key()):
                sys.stderr.write(_format(display, finding))
            continue
        sys.stdout.write(f"{spec_hash(loaded.data)}  {display}\n")
    return status


def _format(display: str, finding: Finding) -> str:
    message = " ".join(finding.message.split())
    where = f"{display}:{finding.line or 1}:{finding.column or 1}"
    return f"{where}: {finding.severity}[{finding.rule}]: {message}\n"
