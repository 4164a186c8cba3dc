"""`kfm-bot export`: an export pack of one promoted version, as a directory and optional tarball."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_OK, UsageError

TARGETS = ("pack", "geojson_bundle")


@click.command("export")
@click.option("--slug", required=True, help="Dataset slug of the promoted version.")
@click.option(
    "--version", "version", required=True, help="dataset_version_id, e.g. 2026-11.5643461a."
)
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="New pack folder."
)
@repo_option
@click.option("--ref", default="HEAD", show_default=True, help="Commit whose ledger is trusted.")
@click.option("--tarball", is_flag=True, help="Also write <out>.tar.gz beside the folder.")
@click.option(
    "--label", "target", default="public", show_default=True, help="Label of the target pack."
)
@click.option(
    "--target",
    "kind",
    type=click.Choice(TARGETS),
    default="pack",
    show_default=True,
    help="pack: the promoted files as recorded; geojson_bundle: RFC 7946 renderings of the "
    "published artifacts, generalised by the redaction plan.",
)
@click.option(
    "--published-zone",
    "zone_url",
    default=None,
    help="Read the published zone from this URL (file:///dir or s3://bucket/prefix) instead of "
    "the one policies/storage.yaml names at the promotion commit, e.g. a copy on an air-gapped "
    "machine; every object must still match the promotion manifest's digest.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; read and write nothing.")
def export(
    slug: str,
    version: str,
    out: Path,
    repo_dir: Path,
    ref: str,
    tarball: bool,
    target: str,
    kind: str,
    zone_url: str | None,
    dry_run: bool,
) -> int:
    """Build the export pack of a promoted version; refuses anything the ledger does not record."""
    from kfm_bot.app.export import export_bundle, export_pack

    if kind == "geojson_bundle":
        export_bundle(
            repo_dir, ref, slug, version, target, out, tarball, zone_url, dry_run, click.echo
        )
        return EXIT_OK
    if dry_run or zone_url is not None:
        raise UsageError("--dry-run and --published-zone go with --target geojson_bundle")
    export_pack(repo_dir, ref, slug, version, target, out, tarball, click.echo)
    return EXIT_OK
