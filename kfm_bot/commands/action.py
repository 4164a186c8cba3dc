"""`kfm-bot action`: the one entry point of every workflow (DESIGN section 8)."""

from __future__ import annotations

import os

import click


@click.command("action")
@click.option(
    "--post/--no-post",
    default=True,
    help="Post check runs (default), or only print results to the log and job summary.",
)
def action(post: bool) -> int:
    """Handle the GitHub event named by GITHUB_EVENT_NAME and GITHUB_EVENT_PATH."""
    from kfm_bot.handlers.dispatch import dispatch
    from kfm_bot.handlers.event import load_event

    return dispatch(load_event(os.environ, post=post))
