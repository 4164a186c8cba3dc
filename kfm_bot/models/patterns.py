"""The id patterns, defined once: models validate with them, the layout and gates match with them.

Plain strings, no pydantic: `repo.layout` and the approvals' command parser import them on
paths that must stay fast. Patterns use only constructs that mean the same in Rust regex
(pydantic), Python `re` (jsonschema) and ECMA-262 (editors): no lookaround, `[0-9]` not `\\d`.
"""

from __future__ import annotations

SOURCE_ID = r"[a-z0-9][a-z0-9-]{1,62}[a-z0-9]"
DATASET_SLUG = r"[a-z][a-z0-9_]{2,63}"
REASON_CODE = r"[a-z][a-z0-9-]{1,62}"

SOURCE_ID_PATTERN = rf"^{SOURCE_ID}$"
DATASET_SLUG_PATTERN = rf"^{DATASET_SLUG}$"
REASON_CODE_PATTERN = rf"^{REASON_CODE}$"
