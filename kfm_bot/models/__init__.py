"""The document models and their registry: schema name -> pydantic model."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

    # Each name becomes `schemas/<name>.v1.schema.json`, `$id` under SCHEMA_BASE_URL.
    DOCUMENTS: dict[str, type[BaseModel]]


def __getattr__(name: str) -> object:
    """`DOCUMENTS` is built on first use: importing a leaf such as `kfm_bot.models.patterns`
    runs this package's `__init__`, which must not pull pydantic and every model with it."""
    if name == "DOCUMENTS":
        return _documents()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _documents() -> dict[str, type[BaseModel]]:
    from kfm_bot.models.catalog import DcatDataset, ProvDocument, StacCollection
    from kfm_bot.models.decision import PolicyDecision
    from kfm_bot.models.export_bundle import BundleManifest, BundleReceipt
    from kfm_bot.models.export_pack import ArtifactManifest, ExportReceipt, ExportSpec
    from kfm_bot.models.ledger import LedgerEntry
    from kfm_bot.models.manifest import PromotionManifest
    from kfm_bot.models.policies import (
        ApprovalsPolicy,
        LabelsPolicy,
        LicensesPolicy,
        QuarantinePolicy,
        StewardsPolicy,
    )
    from kfm_bot.models.policy_rules import CelRule, PolicyTest
    from kfm_bot.models.qa import QaReport
    from kfm_bot.models.receipt import RunReceipt
    from kfm_bot.models.report import GateReport
    from kfm_bot.models.signing_keys import SigningKeysPolicy
    from kfm_bot.models.source import SourceEntry
    from kfm_bot.models.spec import PipelineSpec
    from kfm_bot.models.storage import StoragePolicy

    return {
        "source_entry": SourceEntry,
        "pipeline_spec": PipelineSpec,
        "run_receipt": RunReceipt,
        "promotion_manifest": PromotionManifest,
        "policy_decision": PolicyDecision,
        "gate_report": GateReport,
        "ledger_entry": LedgerEntry,
        "qa_report": QaReport,
        "dcat_dataset": DcatDataset,
        "stac_collection": StacCollection,
        "prov_document": ProvDocument,
        "policy_labels": LabelsPolicy,
        "policy_licenses": LicensesPolicy,
        "policy_stewards": StewardsPolicy,
        "policy_approvals": ApprovalsPolicy,
        "policy_quarantine": QuarantinePolicy,
        "policy_storage": StoragePolicy,
        "policy_signing_keys": SigningKeysPolicy,
        "policy_rule": CelRule,
        "policy_test": PolicyTest,
        "export_spec": ExportSpec,
        "export_artifact_manifest": ArtifactManifest,
        "export_receipt": ExportReceipt,
        "export_bundle_manifest": BundleManifest,
        "export_bundle_receipt": BundleReceipt,
    }


# `$id` is where an editor can fetch the schema: the file on the default branch of the
# repository the schemas ship from ([project.urls] Source in pyproject.toml, checked by
# tests/test_schema_docs.py). Only the document's major version is in it (`.v1.`): patch and
# minor releases change a v1 schema only compatibly and keep its `$id`; an incompatible change
# is a new file, `<name>.v2.schema.json`, with a new `$id` (README, "Editor help").
SCHEMA_REPOSITORY = "kfm-bot/kfm-bot"
SCHEMA_BASE_URL = f"https://raw.githubusercontent.com/{SCHEMA_REPOSITORY}/main/schemas/"


def schema_filename(name: str) -> str:
    """`source_entry` -> `source_entry.v1.schema.json`."""
    return f"{name}.v1.schema.json"


def schema_id(name: str) -> str:
    return SCHEMA_BASE_URL + schema_filename(name)
