"""`merge_group`: the merge queue asks for checks on its merge commit (kfm_bot/app/merge_queue.py).

Only `checks_requested` is acted on (`destroyed` needs nothing). The commits and refs come from
the event, which GitHub writes; the group's PRs are found from the queue's branches, never from
text a PR author wrote.
"""

from __future__ import annotations

from kfm_bot.handlers.event import Event


def handle(event: Event) -> int:
    if event.action != "checks_requested":
        return event.ignore("only checks_requested needs checks")
    group = event.payload["merge_group"]  # checked by github/payloads.py
    base_ref = str(group["base_ref"]).removeprefix("refs/heads/")
    from kfm_bot.app.merge_queue import check_group  # loaded only for a group it checks
    from kfm_bot.app.queue_group import Group

    return check_group(
        event,
        Group(str(group["head_sha"]), str(group["head_ref"]), str(group["base_sha"]), base_ref),
    )
