"""`kfm-bot manifest build` / `manifest validate`: the promotion contract, standalone."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.errors import EXIT_FAILED, EXIT_OK

_FILE = click.Path(dir_okay=True, path_type=Path)  # existence is checked with a located error


@click.group()
def manifest() -> None:
    """Build or validate a promotion manifest v1 outside GitHub (a pipeline's promotion step)."""


@manifest.command()
@click.option("--dataset-slug", required=True, help="The dataset's slug (^[a-z][a-z0-9_]{2,63}$).")
@click.option("--dataset-version-id", required=True, help="<YYYY-MM>.<first 8 hex of spec_hash>.")
@click.option("--released-at", required=True, help="RFC 3339 UTC time with Z.")
@click.option(
    "--artifacts-manifest", required=True, type=_FILE, help="JSON: [{path, digest, media_type}]."
)
@click.option("--catalogs-manifest", required=True, type=_FILE, help="JSON: [{path, digest}].")
@click.option("--qa-report", required=True, type=_FILE, help="QA report v1 (JSON).")
@click.option("--policy-decision", required=True, type=_FILE, help="Policy decision v1 (JSON).")
@click.option(
    "--approvals", required=True, type=_FILE, help="JSON: [{role, principal, approved_at}]."
)
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Manifest to write.")
def build(
    dataset_slug: str,
    dataset_version_id: str,
    released_at: str,
    artifacts_manifest: Path,
    catalogs_manifest: Path,
    qa_report: Path,
    policy_decision: Path,
    approvals: Path,
    out: Path,
) -> int:
    """Write promotion_manifest.json from a pipeline's files, or refuse (nothing written)."""
    from kfm_bot.app.manifest_contract import build_to_file
    from kfm_bot.promotion.contract import ContractInputs

    inputs = ContractInputs(
        dataset_slug,
        dataset_version_id,
        released_at,
        artifacts_manifest,
        catalogs_manifest,
        qa_report,
        policy_decision,
        approvals,
    )
    digest = build_to_file(inputs, out)
    click.echo(f"{digest}  {out}")
    return EXIT_OK


@manifest.command()
@click.argument("file", type=_FILE)
@click.option(
    "--workspace",
    type=click.Path(path_type=Path),
    default=None,
    help="Also check every artifact's and catalog's digest against the files under DIR.",
)
def validate(file: Path, workspace: Path | None) -> int:
    """Check a promotion manifest's schema and contract (and, with --workspace, its bytes)."""
    from kfm_bot.app.manifest_contract import validate_file
    from kfm_bot.report.escape import log_line

    verdict = validate_file(file, workspace)
    for problem in verdict.problems:
        click.echo(log_line(f"{file}: {problem}"))
    if verdict.problems:
        count = len(verdict.problems)
        click.echo(f"{file}: not a valid promotion manifest ({count} problem{'s' * (count > 1)})")
        return EXIT_FAILED
    checked = f"; {verdict.verified} digests match {workspace}" if workspace is not None else ""
    click.echo(
        f"{file}: valid promotion manifest v1 ({verdict.artifacts} artifacts, "
        f"{verdict.catalogs} catalogs{checked})"
    )
    return EXIT_OK
