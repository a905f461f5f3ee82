"""Reads O*NET's own tab-separated text files by their header names into DuckDB relations.

O*NET publishes each release as text files (``db_XX_X_text.zip``) whose columns are named in a header line.
Columns are found by those names, ignoring case, spaces and order, and columns Career Fit does not use are
ignored, so the trimmed files and the full files of a newer release read the same way. A missing file or
a missing required column is one clear line naming the file and the column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..errors import InvalidInputError


@dataclass(frozen=True)
class TextTable:
    """One O*NET text file: the columns to read (our name -> O*NET's header name) and the rows to keep."""

    file: str
    required: Mapping[str, str]
    optional: Mapping[str, str] = field(default_factory=dict)
    keep: str = ""  # a SQL condition on our column names (constant text only, never user input)


CODE = "O*NET-SOC Code"

OCCUPATIONS = TextTable("Occupation Data.txt", {"code": CODE, "title": "Title"}, {"description": "Description"})
INTERESTS = TextTable(
    "Interests.txt",
    {"code": CODE, "element_id": "Element ID", "scale": "Scale ID", "value": "Data Value"},
    {"se": "Standard Error", "n": "N"},
    keep="scale = 'OI'",
)
WORK_VALUES = TextTable(
    "Work Values.txt",
    {"code": CODE, "element_id": "Element ID", "scale": "Scale ID", "value": "Data Value"},
    {"se": "Standard Error", "n": "N"},
    keep="scale = 'EX'",
)
SKILLS = TextTable(
    "Skills.txt",
    {"code": CODE, "element_id": "Element ID", "scale": "Scale ID", "value": "Data Value"},
    {"se": "Standard Error", "n": "N"},
    keep="scale IN ('IM', 'LV')",
)
KNOWLEDGE = TextTable(
    "Knowledge.txt",
    {"code": CODE, "element_id": "Element ID", "scale": "Scale ID", "value": "Data Value"},
    {"se": "Standard Error", "n": "N"},
    keep="scale = 'IM'",
)
JOB_ZONES = TextTable("Job Zones.txt", {"code": CODE, "job_zone": "Job Zone"})
JOB_ZONE_REFERENCE = TextTable(
    "Job Zone Reference.txt",
    {"job_zone": "Job Zone", "name": "Name"},
    {"experience": "Experience", "education": "Education", "training": "Job Training", "examples": "Examples"},
)
ALTERNATE_TITLES = TextTable(
    "Alternate Titles.txt", {"code": CODE, "title": "Alternate Title"}, {"short_title": "Short Title"}
)
REPORTED_TITLES = TextTable(
    "Sample of Reported Titles.txt",
    {"code": CODE, "title": "Reported Job Title"},
    {"shown": "Shown in My Next Move"},
)
RELATED = TextTable(
    "Related Occupations.txt",
    {"code": CODE, "related_code": "Related O*NET-SOC Code"},
    {"tier": "Relatedness Tier", "position": "Index"},
)
ACTIVITIES = TextTable(
    "Interests Illustrative Activities.txt",
    {"element_id": "Element ID", "activity": "Activity"},
    {"kind": "Interest Type"},
)
ELEMENTS = TextTable(
    "Content Model Reference.txt", {"element_id": "Element ID", "name": "Element Name"}, {"description": "Description"}
)
SCALES = TextTable(
    "Scales Reference.txt", {"scale": "Scale ID", "minimum": "Minimum", "maximum": "Maximum"}, {"name": "Scale Name"}
)

ALL_TABLES: tuple[TextTable, ...] = (
    OCCUPATIONS,
    INTERESTS,
    WORK_VALUES,
    SKILLS,
    KNOWLEDGE,
    JOB_ZONES,
    JOB_ZONE_REFERENCE,
    ALTERNATE_TITLES,
    REPORTED_TITLES,
    RELATED,
    ACTIVITIES,
    ELEMENTS,
    SCALES,
)


def _header_key(name: str) -> str:
    return "".join(name.lstrip("\ufeff").split()).casefold()


def _header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except FileNotFoundError:
        raise InvalidInputError(f"{path.name}: file not found in {path.parent}") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path.name}: not UTF-8 text") from None
    if not first.strip():
        raise InvalidInputError(f"{path.name}: empty file, expected a header line")
    return first.rstrip("\r\n").split("\t")


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def read_table(con: duckdb.DuckDBPyConnection, folder: Path, table: TextTable) -> duckdb.DuckDBPyRelation:
    """``table``'s file in ``folder`` as a relation with our column names (text; optional ones NULL if absent)."""
    path = folder / table.file
    found = {_header_key(name): name for name in _header(path)}
    missing = [header for header in table.required.values() if _header_key(header) not in found]
    if missing:
        raise InvalidInputError([f"{table.file}: no column {header!r}" for header in missing])
    selects = []
    for ours, header in {**table.required, **table.optional}.items():
        actual = found.get(_header_key(header))
        source = f"nullif(trim({_quoted(actual)}), '')" if actual is not None else "CAST(NULL AS VARCHAR)"
        selects.append(f"{source} AS {ours}")
    relation = con.sql(
        f"SELECT {', '.join(selects)} FROM read_csv({_literal(path)}, delim='\t', header=true, "  # noqa: S608
        "all_varchar=true, quote='', escape='', null_padding=true)"
    )
    return relation.filter(table.keep) if table.keep else relation


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
