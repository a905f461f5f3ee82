"""Which kind of table a spreadsheet holds, and what each of its header cells means.

People name their columns in their own words ("Occupation", "Score", "Person interviewed"), so headers
are compared case-, space-, underscore-, hyphen- and dot-insensitively against a short list of synonyms
per field. The same header can mean different things in different kinds of table ("name" is the contact
in a contacts sheet, the criterion in a criteria sheet), so synonyms are looked up per kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Kinds of table this module recognises. "long" and "wide" are ratings; the others are workbook sheets.
RATINGS_KINDS = ("long", "wide")
# Sheets the workbook export adds for people to read (the ranking, what the file is); never imported.
DERIVED_SHEETS = frozenset({"ranking", "about"})
# A workbook sheet with one of these names is read as that kind whatever its columns.
NAMED_SHEETS = {
    "criteria": "criteria",
    "careers": "careers",
    "contacts": "contacts",
    "interviews": "interviews",
    "ratings": "long",
    "dimensions": "dimensions",
}

_RATING_FIELDS: dict[str, tuple[str, ...]] = {
    "career": ("career", "careername", "careers", "occupation", "job", "profession"),
    "interviewee": (
        "interviewee",
        "intervieweename",
        "person",
        "personinterviewed",
        "contact",
        "contactname",
        "professional",
        "interviewed",
        "who",
    ),
    "date": ("date", "interviewdate", "dateofinterview", "heldon", "when", "day"),
    "criterion": ("criterion", "criteria", "criterionname", "factor", "aspect", "attribute"),
    "rating": ("rating", "ratings", "score", "grade", "mark"),
    "dimension": ("dimension", "category", "area"),
    "source": ("source", "ratingsource"),
    "organisation": ("organisation", "organization", "org", "company", "employer", "workplace"),
    "role": ("role", "jobtitle", "title", "position"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "thanked": ("thanked", "thanked?", "thankedalready", "alreadythanked", "thanksent", "thankyousent", "thankyou"),
}
_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "long": _RATING_FIELDS,
    "wide": {k: v for k, v in _RATING_FIELDS.items() if k not in ("criterion", "rating", "dimension")},
    "criteria": {
        "criterion": ("criterion", "criteria", "criterionname", "name", "factor"),
        "dimension": ("dimension", "category", "area"),
        "weight": ("weight", "importance"),
        "description": ("description", "desc", "meaning", "definition"),
        "onet": ("onet", "onetelement", "onetelementid", "element"),
    },
    "dimensions": {"dimension": ("dimension",), "weight": ("weight", "importance")},
    "careers": {
        "career": _RATING_FIELDS["career"] + ("name",),
        "notes": _RATING_FIELDS["notes"],
        "onet_code": ("onetcode", "onet", "onetsoccode", "onetsoc"),
    },
    "contacts": {
        "name": ("name", "fullname") + _RATING_FIELDS["interviewee"],
        "role": _RATING_FIELDS["role"],
        "organisation": _RATING_FIELDS["organisation"],
        "how_found": ("howfound", "foundvia", "foundthrough", "channel"),
        "introduced_by": ("introducedby", "referredby", "referrer", "introducer"),
        "email": ("email", "emailaddress", "mail", "link", "emailorlink"),
        "notes": _RATING_FIELDS["notes"],
    },
    "interviews": {
        "career": _RATING_FIELDS["career"],
        "interviewee": _RATING_FIELDS["interviewee"],
        "date": _RATING_FIELDS["date"],
        "stage": ("stage", "status"),
        "notes": _RATING_FIELDS["notes"],
        "goals": ("goals", "goal"),
        "questions": ("questions", "preparedquestions"),
        "identified_on": ("identifiedon", "identified"),
        "requested_on": ("requestedon", "requested"),
        "scheduled_for": ("scheduledfor", "scheduled", "scheduledon"),
        "completed_on": ("completedon", "completed"),
        "thanked_on": ("thankedon", "thanked"),
        "declined_on": ("declinedon", "declined"),
        "researched_org": ("researchedorg", "researchedorganisation", "researchedorganization"),
        "researched_person": ("researchedperson",),
        "questions_prepared": ("questionsprepared",),
        "homework_notes": ("homeworknotes", "homework"),
    },
}
_LOOKUP: dict[str, dict[str, str]] = {
    kind: {synonym: name for name, synonyms in fields.items() for synonym in synonyms}
    for kind, fields in _FIELDS.items()
}
_IGNORED = re.compile(r"[\s_\-.]+")


def normalise(header: object) -> str:
    """A header as compared: case-folded, without spaces, underscores, hyphens, dots or a BOM."""
    return _IGNORED.sub("", str(header or "").replace("\ufeff", "")).casefold()


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class HeaderMap:
    """What each column of one table means.

    ``fields`` gives, per column index, the field name, ``"criterion"`` for a criterion column of a wide
    table, or None for an ignored column; ``criteria`` gives the criterion name of each criterion column.
    ``fatal`` lists problems with the header itself (duplicates, missing required columns): they cannot be
    skipped row by row, so they stop the import even with ``skip_invalid``.
    """

    kind: str | None
    labels: list[str]
    fields: list[str | None]
    criteria: dict[int, str] = field(default_factory=dict)
    fatal: list[tuple[str | None, str]] = field(default_factory=list)

    def index(self, name: str) -> int | None:
        """Column index of a field, or None when the table has no such column."""
        try:
            return self.fields.index(name)
        except ValueError:
            return None

    def label(self, name: str) -> str:
        """The header of a field's column as the user wrote it (the field name if absent)."""
        position = self.index(name)
        return self.labels[position] if position is not None else name

    def columns(self) -> dict[str, str | None]:
        """File header -> recognised field (criterion name for wide criteria), None when ignored."""
        shown: dict[str, str | None] = {}
        for position, label in enumerate(self.labels):
            key = label or f"(column {column_letter(position)})"
            if key in shown:
                key = f"{key} (column {column_letter(position)})"
            meaning = self.fields[position]
            shown[key] = self.criteria.get(position, meaning) if meaning == "criterion" else meaning
        return shown

    def ignored(self) -> list[str]:
        return [label for label, meaning in zip(self.labels, self.fields, strict=True) if label and meaning is None]


def detect_kind(headers: list[str], sheet_name: str | None = None) -> str | None:
    """The kind of table: by sheet name when it is one of the workbook's names, else by its columns.

    A table with a career column and columns that are no known field is a wide ratings table: those
    columns are criteria. A career column with a ``stage`` column is an interviews sheet.
    """
    if sheet_name is not None and normalise(sheet_name) in NAMED_SHEETS:
        return NAMED_SHEETS[normalise(sheet_name)]
    keys = {normalise(h) for h in headers} - {""}

    def has(kind: str, name: str) -> bool:
        return bool(keys & set(_FIELDS[kind][name]))

    career, criterion = has("long", "career"), has("long", "criterion")
    profile_columns = has("criteria", "weight") or has("criteria", "dimension") or has("criteria", "description")
    if criterion and (has("long", "rating") or career):
        return "long"
    # A profile needs a criterion column, or a name with both a dimension and a weight: a name with a
    # description (a ledger: id, name, description, amount) is not one.
    named_profile = "name" in keys and has("criteria", "weight") and has("criteria", "dimension")
    if ((criterion and profile_columns) or named_profile) and not career and not has("contacts", "email"):
        return "criteria"
    if career and has("interviews", "stage"):
        return "interviews"
    if career:
        if keys - set(_LOOKUP["wide"]):
            return "wide"
        return "careers" if keys <= set(_LOOKUP["careers"]) else "wide"
    contact_columns = ("role", "organisation", "how_found", "introduced_by", "email")
    if has("contacts", "name") and any(has("contacts", c) for c in contact_columns):
        return "contacts"
    if has("dimensions", "dimension") and has("dimensions", "weight"):
        return "dimensions"
    return None


_REQUIRED = {
    "long": ("career", "criterion", "rating"),
    "wide": ("career",),
    "criteria": ("criterion",),
    "dimensions": ("dimension", "weight"),
    "careers": ("career",),
    "contacts": ("name",),
    "interviews": ("career",),
}


def map_headers(headers: list[str], kind: str) -> HeaderMap:
    """Map each header of a table of ``kind`` to its field; report duplicates and missing columns."""
    lookup = _LOOKUP[kind]
    labels = [str(h or "").replace("\ufeff", "").strip() for h in headers]
    result = HeaderMap(kind=kind, labels=labels, fields=[None] * len(labels))
    seen: dict[str, int] = {}
    for position, label in enumerate(labels):
        key = normalise(label)
        if not key:
            continue
        meaning = lookup.get(key)
        if meaning is None and kind == "wide":
            meaning = "criterion"
            result.criteria[position] = label
            ident = "criterion:" + label.casefold()
        else:
            ident = str(meaning)
        if meaning is None:
            continue
        if ident in seen:
            first = seen[ident]
            if normalise(labels[first]) == key:
                message = (
                    f"the column {label!r} appears twice (columns {column_letter(first)} and "
                    f"{column_letter(position)}): keep one"
                )
            else:
                message = f"the columns {labels[first]!r} and {label!r} both give the {meaning}: keep one"
            result.fatal.append((label, message))
            continue
        seen[ident] = position
        result.fields[position] = meaning
    for required in _REQUIRED[kind]:
        if required not in result.fields:
            words = ", ".join(_FIELDS[kind][required][:4])
            result.fatal.append((None, f"there is no {required} column (looked for a header such as {words})"))
    if kind == "wide" and not result.criteria and not result.fatal:
        result.fatal.append((None, "there is no criterion column to read ratings from"))
    return result
