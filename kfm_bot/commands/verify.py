"""`kfm-bot verify`: check an export pack (folder or .tar.gz) end to end, or a promotion
statement (the statement file, or the promotion folder or manifest it sits beside)."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.errors import EXIT_OK

STATEMENT_SUFFIX = ".dsse.json"


def _is_promotion(path: Path) -> bool:
    from kfm_bot.attest.statement import STATEMENT_FILE

    if path.is_dir():
        return (path / STATEMENT_FILE).is_file() or (path / "promotion_manifest.json").is_file()
    return path.name.endswith(STATEMENT_SUFFIX) or path.name == "promotion_manifest.json"


@click.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also check the pack against this repository's ledger, manifest and release tag, "
    "and signatures against its policies/signing_keys.yaml.",
)
@click.option("--ref", default="HEAD", show_default=True, help="Commit whose ledger is trusted.")
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Trusted signing keys, in the format of policies/signing_keys.yaml (offline, no repo).",
)
def verify(path: Path, repo_dir: Path | None, ref: str, key_file: Path | None) -> int:
    """Print `ok <pack_hash>`, or name the first thing in the pack that does not match."""
    from kfm_bot.app.verify_statement import (
        check_pack_statement,
        trusted_keys,
        verify_statement_file,
    )

    if _is_promotion(path):
        click.echo(verify_statement_file(path, key_file, repo_dir, ref).line())
        return EXIT_OK
    from kfm_bot.app.export import verify_pack

    verified = verify_pack(path, repo_dir, ref)
    statement = check_pack_statement(verified.files, trusted_keys(key_file, repo_dir, ref))
    click.echo(f"ok {verified.pack_hash}")
    if verified.binding is None:
        # Self-consistency alone cannot catch a forger who recomputed every digest.
        click.echo(
            "note: checked against itself only, not against a repository; "
            "pass --repo DIR to check it against the ledger and release tag",
            err=True,
        )
    else:
        found = verified.binding
        click.echo(
            f"matches {repo_dir}: ledger line {found.ledger_seq}, tag {found.tag}, "
            f"promotion commit {found.commit[:12]}"
        )
    if statement is not None:  # packs of promotions made before statements have none
        click.echo(statement.line())
    return EXIT_OK
