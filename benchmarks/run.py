"""Runs every benchmark module and prints one Markdown table (`--smoke`: tiny sizes)."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MODULES = (
    "bench_cold_start",
    "bench_check",
    "bench_check_all",
    "bench_hash",
    "bench_economy",
    "bench_promotion",
    "bench_ledger",
    "bench_zones",
    "bench_export",
)
COLUMNS = ("benchmark", "case", "result", "target", "ok")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: prove the scripts work")
    parser.add_argument("--only", nargs="*", default=None, help="module names to run")
    args = parser.parse_args()
    rows: list[dict[str, str]] = []
    for name in args.only or MODULES:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"benchmarks.{name}":
                raise
            print(f"(skipping {name}: not present)", file=sys.stderr)
            continue
        rows.extend(module.run(args.smoke))
    if args.smoke:  # tiny sizes prove the scripts run; targets are judged on full runs
        rows = [{**row, "ok": "(smoke)"} for row in rows]
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in COLUMNS) + " |")
    return 1 if any(r.get("ok") == "no" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
