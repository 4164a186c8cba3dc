"""A source registry entry: the commented template `kfm-bot new source` writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from kfm_bot.repo.layout import source_path
from kfm_bot.scaffold.text import fill, flow_list, scalar, template


@dataclass(frozen=True)
class SourceFacts:
    """What a source entry says. None leaves the field empty for the contributor to fill in;
    the gates then fail at that line (the schema asks for a value there)."""

    source_id: str
    title: str | None = None
    description: str = ""
    publisher: str | None = None
    publisher_url: str | None = None
    access_url: str | None = None
    cadence: str | None = None
    license: str | None = None
    license_url: str | None = None
    rights_holder: str | None = None
    attribution: str | None = None
    label: str | None = None
    sensitive_locations: bool | None = None
    notes: str = ""
    stewards: list[str] = field(default_factory=list)


def source_entry(facts: SourceFacts, roster: list[str]) -> tuple[str, bytes]:
    """The entry's repository path and its text. `roster`: the logins of
    policies/stewards.yaml, named in the comment so the contributor picks from them."""
    path = source_path(facts.source_id)
    sensitive = facts.sensitive_locations
    values = {
        "SOURCE_ID": scalar(facts.source_id),
        "TITLE": scalar(facts.title),
        "DESCRIPTION": scalar(facts.description),
        "PUBLISHER": scalar(facts.publisher),
        "PUBLISHER_URL": scalar(facts.publisher_url),
        "ACCESS_URL": scalar(facts.access_url),
        "CADENCE": scalar(facts.cadence),
        "LICENSE": scalar(facts.license),
        # optional: left empty (null) it is simply absent
        "LICENSE_URL": scalar(facts.license_url),
        "RIGHTS_HOLDER": scalar(facts.rights_holder),
        "ATTRIBUTION": scalar(facts.attribution),
        "LABEL": scalar(facts.label),
        "SENSITIVE": "" if sensitive is None else str(sensitive).lower(),
        "NOTES": scalar(facts.notes),
        "STEWARDS": flow_list(facts.stewards),
        "ROSTER": "it lists " + ", ".join(roster) if roster else "it lists nobody yet",
    }
    return path, fill(template("source.yaml"), path, values).encode("utf-8")
