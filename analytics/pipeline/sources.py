"""What works: which ways of finding people (friends, alumni, LinkedIn, ...) led to requests and conversations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import HOW_FOUND, STAGES, Contact, Interview
from .stages import stage_label

if TYPE_CHECKING:
    from ..store import Store


HOW_FOUND_LABELS: dict[str, str] = {
    "friend": "Friend",
    "family": "Family",
    "alumni": "Alumni network",
    "LinkedIn": "LinkedIn",
    "association": "Professional association",
    "union": "Union or guild",
    "other": "Other",
}
NOT_RECORDED = "not recorded"


def how_found_label(source: str) -> str:
    return HOW_FOUND_LABELS.get(source, source or NOT_RECORDED)


_ASKED = frozenset({"requested", "scheduled", "completed", "thanked"})
_HELD = frozenset({"completed", "thanked"})


@dataclass(frozen=True)
class SourceStats:
    """How the contacts found one way did: how many were asked, and how many conversations it led to."""

    source: str
    contacts: int
    stages: dict[str, int]
    asked: int
    held: int
    declined: int

    @property
    def label(self) -> str:
        return how_found_label(self.source)

    @property
    def success_rate(self) -> float | None:
        """Conversations held per request made; None before anyone was asked."""
        return self.held / self.asked if self.asked else None

    def as_row(self) -> dict[str, object]:
        return {
            "found through": self.label,
            "contacts": self.contacts,
            **{stage_label(s): self.stages.get(s, 0) for s in STAGES},
            "asked": self.asked,
            "held": self.held,
            "held per request": None if self.success_rate is None else round(self.success_rate, 2),
        }


@dataclass(frozen=True)
class WhatWorks:
    stages: dict[str, int]
    sources: list[SourceStats]


def _source_key(value: str) -> str:
    clean = value.strip()
    for known in HOW_FOUND:
        if clean.casefold() == known.casefold():
            return known
    return clean


def stage_counts(interviews: Iterable[Interview]) -> dict[str, int]:
    """Interviews per stage, every stage present (zero where none), in pipeline order."""
    counts = dict.fromkeys(STAGES, 0)
    for interview in interviews:
        counts[interview.stage] = counts.get(interview.stage, 0) + 1
    return counts


def what_works_for(contacts: Sequence[Contact], interviews: Sequence[Interview]) -> WhatWorks:
    """Counts by stage, and by how-found source: which ways of finding people lead to conversations.

    An interview counts as *asked* once a request went out (including one later declined), and as *held*
    once it is completed or thanked.
    """
    by_id = {c.id: c for c in contacts}
    by_name = {c.name.strip().casefold(): c for c in contacts}
    contacts_per_source: dict[str, int] = {}
    for known in contacts:
        key = _source_key(known.how_found) or NOT_RECORDED
        contacts_per_source[key] = contacts_per_source.get(key, 0) + 1
    stages_per_source: dict[str, dict[str, int]] = {}
    asked: dict[str, int] = {}
    for interview in interviews:
        contact = by_id.get(interview.contact_id) if interview.contact_id is not None else None
        contact = contact or by_name.get(interview.interviewee.strip().casefold())
        key = (_source_key(contact.how_found) if contact else "") or NOT_RECORDED
        counts = stages_per_source.setdefault(key, dict.fromkeys(STAGES, 0))
        counts[interview.stage] = counts.get(interview.stage, 0) + 1
        was_asked = interview.stage in _ASKED or (interview.stage == "declined" and interview.requested_on is not None)
        asked[key] = asked.get(key, 0) + int(was_asked)
    keys = set(contacts_per_source) | set(stages_per_source)
    order = {k: n for n, k in enumerate(HOW_FOUND)}
    ordered = sorted(keys, key=lambda k: (k == NOT_RECORDED, order.get(k, len(order)), k.casefold()))
    sources = []
    for key in ordered:
        counts = stages_per_source.get(key, dict.fromkeys(STAGES, 0))
        sources.append(
            SourceStats(
                source=key,
                contacts=contacts_per_source.get(key, 0),
                stages=counts,
                asked=asked.get(key, 0),
                held=sum(counts.get(s, 0) for s in _HELD),
                declined=counts.get("declined", 0),
            )
        )
    return WhatWorks(stages=stage_counts(interviews), sources=sources)


def what_works(store: Store) -> WhatWorks:
    return what_works_for(store.contacts(), store.interviews())


def contact_rows(contacts: Sequence[Contact], interviews: Sequence[Interview]) -> list[dict[str, str]]:
    """Contacts as table rows, each with the careers they are (or were) asked about and the stage."""
    by_contact: dict[int, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for interview in interviews:
        entry = f"{interview.career} ({stage_label(interview.stage).lower()})"
        if interview.contact_id is not None:
            by_contact.setdefault(interview.contact_id, []).append(entry)
        else:
            by_name.setdefault(interview.interviewee.strip().casefold(), []).append(entry)
    rows = []
    for contact in contacts:
        careers = by_contact.get(contact.id, []) + by_name.get(contact.name.strip().casefold(), [])
        rows.append(
            {
                "name": contact.name,
                "role": contact.role,
                "organisation": contact.organisation,
                "found through": how_found_label(contact.how_found),
                "introduced by": contact.introduced_by,
                "email or link": contact.email,
                "careers": "; ".join(careers),
                "notes": contact.notes,
            }
        )
    return rows
