"""What an import did or would do: the report, its summary lines, and the preview the Data page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InvalidInputError
from ..store import DEFAULT_WEIGHT
from .tables import Problem

if TYPE_CHECKING:
    import pandas


@dataclass
class ImportReport:
    """What an import changed (or, for a dry run, would change)."""

    file_name: str = ""
    kind: str = ""
    rows_read: int = 0
    new_ratings: int = 0
    updated_ratings: int = 0
    unchanged_ratings: int = 0
    new_careers: int = 0
    new_interviews: int = 0
    new_contacts: int = 0
    thanked_interviews: int = 0  # known completed interviews the file marked thanked
    new_criteria: list[str] = field(default_factory=list)
    unassigned_criteria: list[str] = field(default_factory=list)
    assigned_criteria: list[str] = field(default_factory=list)
    removed_criteria: list[str] = field(default_factory=list)
    updated_criteria: list[str] = field(default_factory=list)
    unchanged_criteria: list[str] = field(default_factory=list)
    criteria_weights: dict[str, float] = field(default_factory=dict)  # of the new criteria
    replaced_default_profile: bool = False
    skipped: list[Problem] = field(default_factory=list)
    skipped_rows: int = 0
    problem_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False

    def _listed_criteria(self) -> int:
        return len(self.new_criteria) + len(self.updated_criteria) + len(self.unchanged_criteria)

    def summary_lines(self) -> list[str]:
        """The import summary in plain lines, for the command line and the Data page."""
        would = "would add" if self.dry_run else "added"
        lines = [
            f"{'dry run, nothing written: ' if self.dry_run else ''}{self.file_name}: read "
            f"{_n(self.rows_read, 'row')} ({_KIND_NAMES.get(self.kind, self.kind)})"
        ]
        if self.kind in ("long", "wide", "workbook") or self.new_ratings or self.updated_ratings:
            lines.append(
                f"ratings: {self.new_ratings:,} new, {self.updated_ratings:,} updated, "
                f"{self.unchanged_ratings:,} unchanged"
            )
        made = [
            _n(count, what)
            for count, what in (
                (self.new_careers, "career"),
                (self.new_interviews, "interview"),
                (self.new_contacts, "contact"),
            )
            if count
        ]
        if made:
            lines.append(f"{would} {', '.join(made)}")
        if self.thanked_interviews:
            lines.append(
                f"{'would mark' if self.dry_run else 'marked'} {_n(self.thanked_interviews, 'interview')} as thanked"
            )
        if self.replaced_default_profile:
            became = "would become" if self.dry_run else "is now"
            lines.append(
                f"your profile {became} the file's {_n(self._listed_criteria(), 'criterion', 'criteria')}: the default "
                f"criteria {'would go' if self.dry_run else 'went'}"
                + ("" if self.dry_run else " (a backup of them is kept on the Data page)")
            )
        by_weight: dict[float, list[str]] = {}
        for name in self.new_criteria:
            by_weight.setdefault(self.criteria_weights.get(name, DEFAULT_WEIGHT), []).append(name)
        for weight, names in sorted(by_weight.items(), key=lambda item: -item[0]):
            lines.append(f"{would} {_n(len(names), 'criterion', 'criteria')} with weight {weight:g}: {_names(names)}")
        if self.updated_criteria:
            verb = "would update" if self.dry_run else "updated"
            lines.append(
                f"{verb} {_n(len(self.updated_criteria), 'criterion', 'criteria')}: {_names(self.updated_criteria)}"
            )
        if self.unchanged_criteria and self.kind == "criteria":
            lines.append(f"kept as they were: {_names(self.unchanged_criteria)}")
        if self.unassigned_criteria:
            lines.append(
                f"no dimension yet for {_names(self.unassigned_criteria)}: "
                "they count in no dimension until you pick one (My profile)"
            )
        if self.assigned_criteria:
            lines.append(f"dimension taken from the file for: {_names(self.assigned_criteria)}")
        if self.removed_criteria and not self.replaced_default_profile:
            verb = "would remove" if self.dry_run else "removed"
            lines.append(
                f"{verb} criteria the workbook does not list and nothing rates: {_names(self.removed_criteria)}"
            )
        if self.ignored_columns:
            lines.append(f"ignored columns: {_names(self.ignored_columns)}")
        if self.ignored_sheets:
            lines.append(f"ignored sheets (columns not recognised): {_names(self.ignored_sheets)}")
        if self.skipped_rows:
            lines.append(f"skipped {_n(self.skipped_rows, 'row')} with problems ({_n(self.problem_count, 'problem')})")
        return lines


_KIND_NAMES = {
    "long": "long ratings",
    "wide": "wide ratings",
    "criteria": "criteria",
    "workbook": "workbook",
    "careers": "careers",
    "contacts": "contacts",
    "interviews": "interviews",
    "dimensions": "dimension weights",
}


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def _names(names: list[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


@dataclass
class ImportPreview:
    """What the Data page shows before the user imports: how the file was understood and what is wrong."""

    kind: str
    file_name: str
    columns: dict[str, str | None]
    table: pandas.DataFrame
    problems: list[Problem]
    rows: int
    new_criteria_without_dimension: list[str]
    sheets: dict[str, str] = field(default_factory=dict)
    report: ImportReport | None = None
    # A scale the ratings fit when the one chosen does not (all in 1-10 with some above 5, or in 0-100 with
    # some above 10): proposed to the user, never applied without them.
    proposed_scale: str | None = None
    scale_reason: str = ""


class ImportProblems(InvalidInputError):
    """An import refused for problems at rows and columns: ``problems`` holds them as one line each (for
    the command line), ``located`` as :class:`~.tables.Problem` objects (for a table on the Data page)."""

    def __init__(self, located: list[Problem]) -> None:
        self.located = list(located)
        super().__init__([str(problem) for problem in located])
