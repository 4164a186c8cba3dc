"""Demo, part three: the merge is promoted (manifest, ledger line, release tag), then exported."""

from __future__ import annotations

import json
from pathlib import Path

from kfm_bot.demo import project
from kfm_bot.demo.github_world import OWNER, REPO, World
from kfm_bot.demo.narrator import Narrator
from kfm_bot.emulator import events
from kfm_bot.git.command import git


def run(n: Narrator, world: World, workdir: Path, bot: Path, number: int) -> bool:
    n.step("The checks are green: mara-osei merges the pull request")
    before = git(bot, "ls-remote", "origin", "refs/heads/main").split()[0]
    merge = world.emu.merge_pull(OWNER, REPO, number, "merge", by="mara-osei")
    n.say(f"Merge commit {merge[:12]} on main. The push to main runs the promotion workflow.")
    git(bot, "fetch", "-q", "origin", "main")
    git(bot, "checkout", "-q", "--detach", merge)
    payload = events.push(world.emu, OWNER, REPO, "refs/heads/main", before, pusher="mara-osei")
    proc = world.action("push", payload, bot)
    n.block("$ kfm-bot action   # GITHUB_EVENT_NAME=push (promote --push)", indent="")
    n.block(proc.stdout + proc.stderr)
    n.block(f"(exit {proc.returncode})", indent="")
    if proc.returncode != 0:
        return False

    n.step("What the promotion recorded, read from a fresh clone of the remote")
    published = world.clone(workdir / "published")
    tags = git(published, "tag", "--list").split()
    tag = next(t for t in tags if t.startswith(project.NEW_SLUG + "/"))
    manifest = f"registry/promotions/{tag}/promotion_manifest.json"
    n.say(f"{manifest}:")
    n.block((published / manifest).read_text())
    n.say(f"$ git show --stat {tag}")
    n.block(git(published, "show", "--stat", tag))
    release = world.api(f"/repos/{world.full}/releases/tags/{tag}")
    assets = ", ".join(f"{a['name']} ({a['size']} bytes)" for a in release.get("assets", []))
    n.block(f"GitHub release {release['tag_name']}: assets: {assets or 'none'}", indent="")
    if n.run(["verify", f"registry/promotions/{tag}/", "--repo", "."], published).returncode:
        return False  # the signed promotion statement, checked offline against policies/
    n.say("Last line of registry/ledger.jsonl:")
    n.block((published / "registry/ledger.jsonl").read_text().splitlines()[-1])
    verify = n.run(["ledger", "verify"], published)
    if verify.returncode != 0 or not show_zones(n, world, published, manifest):
        return False
    if not export_and_verify(n, published, workdir / "export", tag):
        return False
    return render_and_verify(n, published, workdir / "bundle", tag)


def show_zones(n: Narrator, world: World, clone: Path, manifest: str) -> bool:
    """The version's zone artifact, from the processed zone to the published zone, audited."""
    n.step("The bytes: from the processed zone to the published zone")
    artifacts = json.loads((clone / manifest).read_text())["artifacts"]
    moved = [a for a in artifacts if "uri" in a]
    n.say(
        f"Promotion verified {project.ZONE_URI} in the processed zone ({world.zones.processed}), "
        f"copied it into the published zone ({world.zones.published}) with a write that never "
        "overwrites, verified the copy, and only then committed the manifest that records it:"
    )
    for a in moved:
        n.block(
            f"{a['source']}\n  -> {a['uri']}\n     digest {a['digest']}\n"
            f"     {a['size']} bytes, {a['media_type']}"
        )
    n.say(
        "The published key is the digest: immutable, the same for every version that releases "
        "these bytes; a re-run finds it there, verifies it and copies nothing. The published "
        "zone holds nothing that no promotion manifest names:"
    )
    audit = n.run(["zones", "audit"], clone)
    return bool(moved) and audit.returncode == 0


def export_and_verify(n: Narrator, published: Path, out: Path, tag: str) -> bool:
    n.step("Export and verify: a consumer pack of the promoted version, checked end to end")
    slug, _, version = tag.partition("/")
    n.say(
        "Export packs are built only from promoted versions: the ledger must record the version "
        "and every file must match the promotion manifest. The same inputs give the same bytes."
    )
    export = n.run(
        ["export", "--slug", slug, "--version", version, "--out", str(out), "--tarball"],
        published,
    )
    if export.returncode != 0:
        return False
    n.say(f"The pack's files ({out.name}/):")
    files = sorted(p for p in out.rglob("*") if p.is_file())
    n.block("\n".join(f"{p.stat().st_size:>8}  {p.relative_to(out).as_posix()}" for p in files))
    tarball = out.with_name(out.name + ".tar.gz")
    n.say(
        "verify checks the pack against itself and, with --repo, against the repository: the "
        "ledger line, the committed manifest, the release tag and the promotion commit."
    )
    verify = n.run(["verify", str(tarball), "--repo", "."], published)
    return verify.returncode == 0


def render_and_verify(n: Narrator, published: Path, out: Path, tag: str) -> bool:
    """The `geojson_bundle` target: read from the published zone, generalised by the plan."""
    n.step("A rendered export from the published zone, generalised by the redaction plan")
    slug, _, version = tag.partition("/")
    n.say(
        "Rendered targets read the promoted objects from the published zone (never raw or "
        "processed), check every byte against the manifest's digest, and apply the spec's "
        f"redaction plan while rendering: here coordinates to {project.EXPORT_DECIMALS} "
        "places. --dry-run prints the plan and writes nothing:"
    )
    args = ["export", "--slug", slug, "--version", version, "--target", "geojson_bundle"]
    if n.run([*args, "--out", str(out), "--dry-run"], published).returncode or out.exists():
        return False
    if n.run([*args, "--out", str(out), "--tarball"], published).returncode:
        return False
    pack = json.loads((out / "pack_manifest.json").read_text())
    n.say("Each item's state, from pack_manifest.json:")
    n.block(
        "\n".join(
            f"{i['state']:<12} {i['source']}: {i.get('path') or i.get('reason')}"
            for i in pack["items"]
        )
    )
    rendered = [i for i in pack["items"] if i["state"] == "generalised"]
    for item in rendered:
        n.say(f"{item['path']} (one RFC 7946 feature per line; the zone holds four places):")
        n.block((out / item["path"]).read_text())
    receipt = json.loads((out / "export_receipt.json").read_text())
    for item in (i for i in receipt["items"] if i.get("generalisation")):
        effect = item["generalisation"]
        n.say(
            f"export_receipt.json records what the plan did to {item['path']} (counts, never "
            f"values): {effect['features_read']} features read, {effect['features_written']} "
            f"written, {effect['features_suppressed']} suppressed, "
            f"{effect['coordinates_rounded']} coordinates rounded."
        )
    n.say("verify checks the rendered pack and binds it to the repository:")
    verify = n.run(["verify", str(out.with_name(out.name + ".tar.gz")), "--repo", "."], published)
    return bool(rendered) and verify.returncode == 0
