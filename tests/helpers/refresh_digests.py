"""Recompute the example content's run evidence (`--check`: change nothing, report).

With --check it changes nothing and exits 1 when a receipt or attestation is stale.
"""

from __future__ import annotations

import sys

from kfm_bot.errors import error_handler
from kfm_bot.scaffold.refresh import ROOT, load_spec, refresh, spec_hash, stale

__all__ = ["load_spec", "spec_hash", "stale"]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        todo = stale(ROOT)
        for path in todo:
            print(f"stale: {path.relative_to(ROOT)}")
        return 1 if todo else 0
    for path in refresh(ROOT):
        print(f"updated: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    with error_handler():
        sys.exit(main(sys.argv[1:]))
