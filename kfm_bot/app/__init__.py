"""Use cases: what the bot does, once, for every entry point (DESIGN section 11, ARCHITECTURE.md).

`kfm_bot.commands` (the CLI) and `kfm_bot.handlers` (workflow events) parse their input
and call these; they never call each other. Each use case composes the domain packages (gates,
approvals, promotion, export, report) with the GitHub adapter (`kfm_bot.github`):

- `check_change`: the gate report of what changed between two revisions (`kfm-bot check`);
- `pull_gates`: a pull request's gates, and the gates check run (pull_request, workflow_run);
- `pull_approvals`, `approvals_check`: a pull request's approvals, and the approvals check run;
- `promote`, `github_promotion`: promotion of what was merged (`kfm-bot promote`, push);
- `export`: an export pack of a promoted version, and its verification (`kfm-bot export/verify`).
"""
