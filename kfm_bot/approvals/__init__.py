"""Steward approvals (DESIGN.md section 6): pure logic, no GitHub and no git calls.

Public API (stable; import from the submodules, this package imports nothing itself):

- `facts`: frozen dataclasses the GitHub side fills: `Principal(id, login, type="User")`,
  `Review(id, user, state, body, commit_id, submitted_at)`, `Comment(id, user, body, created_at)`,
  `CommitFacts(sha, author, committer)` (None = not linked to an account: fails closed),
  `PullFacts(number, author, head_sha, base_sha, commits, reviews, comments, previous_state)`.
- `state.ApprovalState` (holds, PR commit history, contributor ids) carried between check runs.
- `classify.classify_changes(base, head, changed, policies) -> dict[unit, UnitChange]`:
  units are dataset slugs, `source:<id>` for a changed source no dataset uses, and `policies`.
- `digest.review_digest(snapshot, slug, docs)`, `digest.unit_digests(snapshot, units)`.
- `engine.evaluate_approvals(policies_at_base, units, head_digests, digest_at, facts)`
  `-> result.ApprovalResult` (`units[*].required/missing/approvals`, `ignored`, `holds`,
  `flags`, `conclusion`, `state`, `manifest_approvals(slug)`).
- `pull.evaluate_pull(trees, facts) -> ApprovalResult`: all of the above for a PR's trees
  (`kfm_bot.repo.pull_trees.read_pull_trees` reads them from a clone; the package reads no git).
- `render.render_check(results, protected=()) -> ApprovalsCheck(title, summary, text, conclusion)`
  (several results: PRs sharing one head; worst conclusion; one state block per PR in `text`)
  and `render.parse_state(text, pr=None, notes=None) -> ApprovalState | None`.

`ApprovalState` must come only from the approvals check run the bot itself posted; the engine
also merges the PR's state record, a comment in `facts.comments` by one of the base roster's
bots (`state_merge`), so that no force-push drops holds, revokes or contributors. The result's
`record_id`/`record_state`/`record_bots` tell the GitHub side whether to edit or create it.

Conclusion: `success` (all units approved, no hold), `failure` (a hold, or a fail-closed error
such as an unattributable commit or unreadable base policies), `action_required` (approvals
missing). Each unit needs, per role, the highest count any of its classes or labels names, and
one person fills at most one role slot per unit (a data+sensitivity steward cannot alone
approve a lowered label that needs both).
"""
