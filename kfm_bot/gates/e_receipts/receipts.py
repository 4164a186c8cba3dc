"""Gate E, run receipts and checksums: the producing run is recorded and every digest holds."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kfm_bot.findings import Finding
from kfm_bot.gates.e_receipts import qa_results, zone_objects
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import is_regular, located, quoted
from kfm_bot.repo.layout import resolve_relative, spec_path

RULES: dict[str, str] = {
    "E.receipt-missing": "the dataset needs the receipt of its producing run: add it and list it.",
    "E.outputs-not-covered": "no receipt's outputs cover every spec output: add the run's receipt.",
    "E.digest-missing": "every input and output needs a digest sha256:<64 hex>: record it.",
    "E.path-outside": "paths are relative and stay in the dataset directory: no '..' or '/...'.",
    "E.file-missing": "a path a receipt or spec names is not in the repository: fix the path.",
    "E.digest-mismatch": "a file's bytes differ from its recorded digest: re-run or fix it.",
    "E.environment-incomplete": "environment needs container_digest, git_commit, params_digest.",
    "E.qa-missing": "the QA report the spec names is missing: add it or fix the `qa` path.",
    "E.qa-digest-mismatch": "validation.report_digest differs from the QA report's bytes: fix it.",
    "E.version-id-mismatch": "dataset_version_id must end with '.' + the first 8 hex of spec_hash.",
    **qa_results.RULES,
    **zone_objects.RULES,
}
DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
ENVIRONMENT_KEYS = ("container_digest", "git_commit", "params_digest")
Pointer = tuple[str | int, ...]


def run(ctx: GateContext) -> list[Finding]:
    from kfm_bot.canonical import spec_hash

    findings: list[Finding] = []
    named: list[zone_objects.Named] = []
    for slug in ctx.in_scope_datasets():
        path = spec_path(slug)
        spec = ctx.docs.data(path) if is_regular(ctx, path) else None
        if spec is not None:
            dataset = _Dataset(ctx, slug, spec, spec_hash(spec))
            findings += dataset.check()
            named += dataset.zone_objects
    # All datasets' zone objects in one batch: one bounded pool reads them in parallel.
    return findings + zone_objects.check(ctx, named)


class _Dataset:
    """The receipt checks of one dataset, all paths relative to `specs/<slug>/`."""

    def __init__(
        self, ctx: GateContext, slug: str, spec: Mapping[str, object], hashed: str
    ) -> None:
        self.ctx, self.slug, self.spec, self.hashed = ctx, slug, spec, hashed
        self.dir = f"specs/{slug}"
        self.spec_file = spec_path(slug)
        self.findings: list[Finding] = []
        self.zone_objects: list[zone_objects.Named] = []

    def check(self) -> list[Finding]:
        receipts = self._receipts()
        qa = self._qa()
        if qa is not None:  # a failing QA result never promotes (qa_results.py)
            self.findings += qa_results.qa_report(self.ctx, qa)
        for path, data in receipts:
            self.findings += qa_results.receipt_validation(self.ctx, path, data)
            self._entries(path, data, "inputs")
            self._entries(path, data, "outputs")
            self._environment(path, data)
            self._version_id(path, data)
            self._qa_digest(path, data, qa)
            self.zone_objects += zone_objects.named_objects(path, data)
        self._coverage(receipts)
        return self.findings

    def _add(self, rule: str, message: str, path: str, pointer: Pointer = ()) -> None:
        self.findings.append(located(self.ctx, rule, message, path, pointer))

    def _resolve(self, ref: object, where: str, pointer: Pointer) -> str | None:
        """A repository path for a document-relative reference, or None with a finding."""
        resolved = resolve_relative(self.dir, ref) if isinstance(ref, str) else None
        if resolved is None and isinstance(ref, str):
            msg = f"path {quoted(ref)} leaves {self.dir}/ or is absolute; write it relative to it"
            self._add("E.path-outside", msg, where, pointer)
        return resolved

    def _receipts(self) -> list[tuple[str, Mapping[str, object]]]:
        listed = self.spec.get("receipts")
        found: list[tuple[str, Mapping[str, object]]] = []
        for i, ref in enumerate(listed if isinstance(listed, list) else []):
            path = self._resolve(ref, self.spec_file, ("receipts", i))
            if path is not None and not is_regular(self.ctx, path):
                msg = f"receipt {quoted(ref)} is not in the repository; add it or fix the path"
                self._add("E.receipt-missing", msg, self.spec_file, ("receipts", i))
            elif path is not None and (data := self.ctx.docs.data(path)) is not None:
                found.append((path, data))
        if not found:
            msg = f"no run receipt for {self.slug}; add receipts/<run>.json, list it in `receipts`"
            self._add("E.receipt-missing", msg, self.spec_file, ("receipts",))
        return found

    def _entries(self, path: str, data: Mapping[str, object], key: str) -> None:
        entries = data.get(key)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue  # a schema error, reported by gate F
            digest = entry.get("digest")
            if not isinstance(digest, str) or not DIGEST_RE.match(digest):
                msg = f"{key}[{i}] has no valid digest ({quoted(digest)}); record sha256:<64 hex>"
                self._add("E.digest-missing", msg, path, (key, i, "digest"))
            elif "path" in entry:
                self._file_digest(path, (key, i), entry["path"], digest)

    def _file_digest(self, path: str, pointer: Pointer, ref: object, digest: str) -> None:
        target = self._resolve(ref, path, (*pointer, "path"))
        if target is None:
            return
        if not is_regular(self.ctx, target):
            msg = f"{quoted(ref)} is not a file in {self.dir}/; commit it or fix the path"
            self._add("E.file-missing", msg, path, (*pointer, "path"))
        elif (actual := self.ctx.head.digest(target)) != digest:
            msg = f"{quoted(ref)} has digest {actual}, not the recorded one; re-run or update it"
            self._add("E.digest-mismatch", msg, path, (*pointer, "digest"))

    def _environment(self, path: str, data: Mapping[str, object]) -> None:
        env = data.get("environment")
        env = env if isinstance(env, dict) else {}
        missing = [k for k in ENVIRONMENT_KEYS if not isinstance(env.get(k), str) or not env[k]]
        if missing:
            msg = f"environment lacks {', '.join(missing)}; record the run's environment"
            self._add("E.environment-incomplete", msg, path, ("environment",))

    def _version_id(self, path: str, data: Mapping[str, object]) -> None:
        version = data.get("dataset_version_id")
        suffix = "." + self.hashed.removeprefix("sha256:")[:8]
        if isinstance(version, str) and version.endswith(suffix):
            return
        msg = f"dataset_version_id {quoted(version)} must end with {suffix} (the spec_hash)"
        if data.get("spec_hash") not in (None, self.hashed):
            msg = (
                f"this receipt is for another spec version ({quoted(version)}); re-run the pipeline"
            )
        self._add("E.version-id-mismatch", msg, path, ("dataset_version_id",))

    def _qa(self) -> str | None:
        ref = self.spec.get("qa")
        qa = self._resolve(ref, self.spec_file, ("qa",))
        if qa is not None and not is_regular(self.ctx, qa):
            self._add(
                "E.qa-missing", f"QA report {quoted(ref)} is missing", self.spec_file, ("qa",)
            )
            return None
        return qa

    def _qa_digest(self, path: str, data: Mapping[str, object], qa: str | None) -> None:
        validation = data.get("validation")
        named = validation.get("report_digest") if isinstance(validation, dict) else None
        if qa is None or not isinstance(named, str):
            return
        if (actual := self.ctx.head.digest(qa)) != named:
            msg = f"validation.report_digest is not the QA report's digest {actual}; update it"
            self._add("E.qa-digest-mismatch", msg, path, ("validation", "report_digest"))

    def _coverage(self, receipts: list[tuple[str, Mapping[str, object]]]) -> None:
        outputs = self.spec.get("outputs")
        wanted: dict[str, int] = {}
        for i, out in enumerate(outputs if isinstance(outputs, list) else []):
            ref = out.get("path") if isinstance(out, dict) else None
            if isinstance(ref, str) and (target := resolve_relative(self.dir, ref)):
                wanted[target] = i
            elif isinstance(out, dict) and zone_objects.zone_uri(uri := out.get("uri")):
                wanted[str(uri)] = i  # a zone object: matched by its uri, as written
        made = [self._produced(data) for _, data in receipts]
        if not receipts or any(set(wanted) <= m for m in made):
            return
        for target, i in wanted.items():
            msg = (
                f"no single receipt records output {quoted(target)} with the others; add the run's"
            )
            field = "path" if "/" not in target or target.startswith(self.dir) else "uri"
            self._add("E.outputs-not-covered", msg, self.spec_file, ("outputs", i, field))

    def _produced(self, data: Mapping[str, object]) -> set[str]:
        outputs = data.get("outputs")
        refs = (
            [o.get("path") for o in outputs if isinstance(o, dict)]
            if isinstance(outputs, list)
            else []
        )
        made = {t for r in refs if isinstance(r, str) and (t := resolve_relative(self.dir, r))}
        uris = (
            [o.get("uri") for o in outputs if isinstance(o, dict)]
            if isinstance(outputs, list)
            else []
        )
        return made | {str(u) for u in uris if zone_objects.zone_uri(u)}
