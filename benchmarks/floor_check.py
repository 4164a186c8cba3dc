"""The floor for `check --all`: the least a validator of the same files can do in Python.

Reads each file with PyYAML's C loader (`yaml.CSafeLoader`, libyaml) and validates it with
fastjsonschema against the same JSON Schema, nothing else: no strict YAML rules, no
cross-document rules, no policies. `bench_check_all` runs it beside `kfm-bot check --all`
in the same rounds. Exit 1 when a file is invalid (so a broken floor cannot look fast).

    python benchmarks/floor_check.py SCHEMA.json FILE...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import fastjsonschema
import yaml


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: floor_check.py SCHEMA.json FILE...", file=sys.stderr)
        return 2
    schema = json.loads(Path(argv[0]).read_text())
    schema.pop("$schema", None)  # fastjsonschema knows drafts 4-7; the keywords used are shared
    # use_default=False: filling in defaults would change the document the schema then judges
    validate = fastjsonschema.compile(schema, use_default=False)
    loader = yaml.CSafeLoader  # AttributeError when PyYAML was built without libyaml: no floor
    bad = 0
    for name in argv[1:]:
        with open(name, "rb") as handle:
            data = yaml.load(handle, Loader=loader)
        try:
            validate(data)
        except fastjsonschema.JsonSchemaException as exc:
            bad += 1
            print(f"{name}: {exc}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
