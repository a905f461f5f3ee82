"""Writing an import's small sheets: criteria, careers, contacts, interviews, dimension weights, and the log.

Used by analytics/spreadsheets/ingest.py inside the import's transaction (see :mod:`analytics.db.staging`).
Known records are changed through the single-record rules of :mod:`analytics.db.writes`; new contacts and
interviews go in set-wise, cleaned by the same rules, so a workbook of forty thousand interviews does not
take one round trip each. User text only reaches DuckDB as bound parameters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import duckdb

from ..errors import InvalidInputError
from ..profile_defaults import DEFAULT_CRITERIA, DEFAULT_DIMENSION_WEIGHTS
from ..vocabulary import DIMENSIONS
from .writes import (
    DEFAULT_WEIGHT,
    INTERVIEW_FIELDS,
    change_criterion,
    contact_values,
    date_key,
    ensure_career,
    insert_criteria,
    interview_values,
    known_fields,
    name_key,
    set_setting,
    store_contact,
    store_interview,
    text,
)


def _one(cursor: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The row of a query that always returns one (a count, an EXISTS)."""
    row = cursor.fetchone()
    assert row is not None
    return row


def import_criteria_rows(
    cur: duckdb.DuckDBPyConnection,
    rows: Sequence[Mapping[str, Any]],
    *,
    replace_profile: bool,
    keep: set[str] = frozenset(),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Create or update the criteria of a criteria sheet (already validated; keys: criterion, and the
    columns the sheet has: dimension, weight, description).

    A blank weight keeps the current weight (3 for a new criterion); a blank dimension or description is
    one. With ``replace_profile`` (a full workbook) the profile becomes the sheet: criteria follow its
    order, and a criterion the sheet does not list is removed when nothing rates it and ``keep`` (keys
    named by the file's ratings) does not hold it; criteria with ratings are kept at the end.
    """
    new: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    weights: dict[str, float] = {}
    current = {
        key: (
            criterion_id,
            {"name": name, "dimension": dimension, "weight": float(weight), "description": about, "onet_element": onet},
        )
        for key, criterion_id, name, dimension, weight, about, onet in cur.execute(
            "SELECT name_key, id, name, dimension, weight, description, onet_element FROM criteria"
        ).fetchall()
    }
    existing = {key: criterion_id for key, (criterion_id, _) in current.items()}
    fresh: dict[str, dict[str, Any]] = {}  # new criteria, added together once every row is read
    listed: list[str] = []
    for row in rows:
        name = text(row["criterion"])
        fields: dict[str, Any] = {}
        if "dimension" in row:
            fields["dimension"] = row["dimension"]
        if "description" in row:
            fields["description"] = row["description"] or ""
        if row.get("weight") is not None:
            fields["weight"] = row["weight"]
        if "onet" in row:
            fields["onet_element"] = row["onet"]
        key = name_key(name)
        criterion_id = existing.get(key)
        if criterion_id is None and key not in fresh:
            fresh[key] = {
                "name": name,
                "dimension": fields.get("dimension"),
                "weight": fields.get("weight", DEFAULT_WEIGHT),
                "description": fields.get("description", ""),
                "onet_element": fields.get("onet_element"),
            }
            new.append(name)
            weights[name] = float(fields.get("weight", DEFAULT_WEIGHT))
        else:
            fields["name"] = name
            before = current.get(key, (0, {}))[1]
            changed = any(before.get(k) != (float(v) if k == "weight" else v) for k, v in fields.items() if k in before)
            (updated if changed else unchanged).append(name)
            if changed and criterion_id is not None:  # (a restored workbook names every criterion as it is)
                change_criterion(cur, criterion_id, fields)
        listed.append(key)
    existing.update(zip(fresh, insert_criteria(cur, list(fresh.values())), strict=True))
    listed_ids = [existing[key] for key in listed]
    removed: list[str] = []
    if replace_profile:
        rated = {row[0] for row in cur.execute("SELECT DISTINCT criterion_id FROM ratings").fetchall()}
        others = cur.execute("SELECT id, name, name_key FROM criteria ORDER BY position, id").fetchall()
        kept: list[int] = []
        for criterion_id, name, key in others:
            if criterion_id in listed_ids:
                continue
            if criterion_id in rated or key in keep:
                kept.append(criterion_id)
            else:
                cur.execute("DELETE FROM criteria WHERE id = ?", [criterion_id])
                removed.append(name)
        order = [*dict.fromkeys(listed_ids), *kept]
        cur.execute(
            "UPDATE criteria SET position = p.position FROM (SELECT unnest(?::INTEGER[]) AS id,"
            " generate_subscripts(?::INTEGER[], 1) AS position) p WHERE criteria.id = p.id",
            [order, order],
        )
    return {"new": new, "updated": updated, "unchanged": unchanged, "removed": removed, "weights": weights}


def untouched_default_profile(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the profile is still the default one a new store starts with (every criterion, dimension,
    weight and description as given, nothing rated): then a criteria file replaces it instead of adding."""
    rows = cur.execute("SELECT name, dimension, weight, description FROM criteria ORDER BY position, id").fetchall()
    defaults = [(name, dimension, float(DEFAULT_WEIGHT), about) for name, dimension, about in DEFAULT_CRITERIA]
    if [(name, dimension, float(weight), about) for name, dimension, weight, about in rows] != defaults:
        return False
    return not _one(cur.execute("SELECT EXISTS (SELECT 1 FROM ratings)"))[0]


def import_career_rows(cur: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, Any]]) -> int:
    """Create careers (a blank note leaves a known career's note); returns how many are new.

    The rule of a single save (:func:`~analytics.db.writes.ensure_career`) applied set-wise: new careers go in
    with one statement, known careers' notes and O*NET codes change with one each; a career named twice
    takes the later row's note (when not blank) and code."""
    known = dict(cur.execute("SELECT name_key, id FROM careers").fetchall())
    fresh: dict[str, dict[str, Any]] = {}
    notes: dict[int, str] = {}
    codes: dict[int, Any] = {}
    for row in rows:
        clean = text(row["career"])
        if not clean:
            raise InvalidInputError("a career needs a name")
        key, note = name_key(clean), text(row.get("notes") or "")
        if key in known:
            if note:
                notes[known[key]] = note
            if "onet_code" in row:
                codes[known[key]] = row["onet_code"]
            continue
        record = fresh.setdefault(key, {"name": clean, "name_key": key, "notes": note})
        if note:
            record["notes"] = note
        if "onet_code" in row:
            record["onet_code"] = row["onet_code"]
    _insert_set_wise(cur, "careers", list(fresh.values()))
    for column, changes in (("notes", notes), ("onet_code", codes)):
        if changes:
            cur.execute(
                f"UPDATE careers SET {column} = v.value FROM (SELECT unnest(?::INTEGER[]) AS id,"  # noqa: S608
                " unnest(?::VARCHAR[]) AS value) v WHERE careers.id = v.id",  # (column: one of the two above)
                [list(changes), list(changes.values())],
            )
    return len(fresh)


def contact_records(rows: Sequence[Mapping[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each row of a contacts sheet as its fields and its contact as stored, by the rule of a single save
    (which refuses a row it cannot store): the part of :func:`import_contact_rows` that needs no store, which
    the importer works out while the rest of a large workbook is still being read."""
    records = []
    for row in rows:
        fields = {k: v for k, v in row.items() if k != "name" and v is not None}
        records.append((fields, contact_values(row["name"], fields)))
    return records


def import_contact_rows(
    cur: duckdb.DuckDBPyConnection,
    rows: Sequence[Mapping[str, Any]],
    records: Sequence[tuple[dict[str, Any], dict[str, Any]]] | None = None,
) -> int:
    """Create or update contacts by name (blank cells leave a field as it is); returns how many are new.

    New contacts go in set-wise (one statement per set of columns); known ones through the single-contact
    rule, as the app saves them. ``records``: :func:`contact_records` of ``rows``, when worked out already."""
    if records is None:
        records = contact_records(rows)  # (the rule of a single save, and its refusals)
    known = dict(cur.execute("SELECT name_key, id FROM contacts").fetchall())
    fresh: dict[str, dict[str, Any]] = {}
    for row, (fields, values) in zip(rows, records, strict=True):
        key = values["name_key"]
        if key in known:
            store_contact(cur, row["name"], None, fields)
        elif key in fresh:  # the same contact again: its later fields win, its first name stays
            fresh[key].update({k: v for k, v in values.items() if k not in ("name", "name_key")})
        else:
            fresh[key] = dict(values)
    _insert_set_wise(cur, "contacts", list(fresh.values()))
    return len(fresh)


_INTERVIEW_KEY = ("career", "interviewee", "date")

# An interviews-sheet row as the store takes it: (its day, interviewee, interviewee key, day key, fields, values).
InterviewRecord = tuple[Any, str, str, str, dict[str, Any], dict[str, Any]]


def interview_records(rows: Sequence[Mapping[str, Any]]) -> list[InterviewRecord]:
    """Each row of an interviews sheet as the store takes it, by the rules of a single save (which refuse a row
    they cannot store): the part of :func:`import_interview_rows` that needs no store, which the importer works
    out while the rest of a large workbook is still being read."""
    records: list[InterviewRecord] = []
    for row in rows:
        held_on = row.get("date")
        person = text(row.get("interviewee"))
        fields = {k: v for k, v in row.items() if k not in _INTERVIEW_KEY and v is not None}
        known_fields(fields, INTERVIEW_FIELDS, "an interview")  # (the refusal of a single save)
        records.append((held_on, person, name_key(person), date_key(held_on), fields, interview_values(fields)))
    return records


def import_interview_rows(
    cur: duckdb.DuckDBPyConnection,
    rows: Sequence[Mapping[str, Any]],
    records: Sequence[InterviewRecord] | None = None,
) -> int:
    """Create or update interviews by career, interviewee and date; returns how many are new.

    Careers are found or created once each; new interviews go in set-wise (one statement per set of
    columns), with the fields cleaned by the same rule as a single save (``interview_values``); known ones
    are updated through the single-interview rule. A key given twice in the file: the later row's fields
    win. ``records``: :func:`interview_records` of ``rows``, when worked out already."""
    if records is None:
        records = interview_records(rows)
    careers: dict[str, int] = dict(cur.execute("SELECT name_key, id FROM careers").fetchall())
    career_of: dict[str, int] = {}  # each career name as written in the file, found (or created) once
    for name in dict.fromkeys(row["career"] for row in rows):
        if name_key(name) not in careers:
            careers[name_key(name)] = ensure_career(cur, name)
        career_of[name] = careers[name_key(name)]
    existing = {
        (career_id, person, day)
        for career_id, person, day in cur.execute(
            "SELECT career_id, interviewee_key, date_key FROM interviews"
        ).fetchall()
    }
    contacts = dict(cur.execute("SELECT name_key, id FROM contacts").fetchall())
    fresh: dict[tuple[int, str, str], dict[str, Any]] = {}
    for row, (held_on, person, person_key, day_key, fields, values) in zip(rows, records, strict=True):
        career_id = career_of[row["career"]]
        key = (career_id, person_key, day_key)
        if key in existing:
            store_interview(cur, career_id, person, held_on, None, fields)
            continue
        if key in fresh:
            fresh[key].update(values)
            continue
        fresh[key] = {
            "career_id": career_id,
            "interviewee": person,
            "interviewee_key": person_key,
            "held_on": held_on,
            "date_key": day_key,
            **values,
        }
        if "contact_id" not in values and person:
            fresh[key]["contact_id"] = contacts.get(person_key)
    _insert_set_wise(cur, "interviews", list(fresh.values()))
    return len(fresh)


def _insert_set_wise(cur: duckdb.DuckDBPyConnection, table: str, records: list[dict[str, Any]]) -> None:
    """Insert records into ``table`` with one statement per set of columns they give (columns a record
    leaves out take the table's defaults, as a single insert would): each column goes in as one list, typed
    as its column is (DuckDB then converts each value straight to that type, about half the work of
    inferring the list's type from its values first)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(tuple(record), []).append(record)
    if not groups:
        return
    declared = {
        name: str(kind)
        for name, kind, *_ in cur.execute(f"SELECT * FROM {table} LIMIT 0").description or []  # noqa: S608
    }
    for columns, group in groups.items():
        lists = [[record[column] for record in group] for column in columns]
        selects = ", ".join(
            f"unnest(?::{declared[column]}[]) AS {column}"
            if declared.get(column) in _LIST_TYPES
            else f"unnest(?) AS {column}"
            for column in columns
        )
        cur.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selects}",  # column names come from the schema
            lists,
        )


# The column types a list of Python values is cast to as it is bound (anything else is left to DuckDB).
_LIST_TYPES = frozenset({"VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "BOOLEAN"})


def import_dimension_weights(cur: duckdb.DuckDBPyConnection, weights: Mapping[str, float]) -> None:
    current = (
        json.loads((cur.execute("SELECT value FROM settings WHERE key = 'dimension_weights'").fetchone() or ["{}"])[0])
        or {}
    )
    clean = {d: float(current.get(d, DEFAULT_DIMENSION_WEIGHTS[d])) for d in DIMENSIONS}
    clean.update({d: float(w) for d, w in weights.items()})
    if not any(clean.values()):
        raise InvalidInputError("at least one dimension needs a weight above 0")
    set_setting(cur, "dimension_weights", clean)


def record_import(
    cur: duckdb.DuckDBPyConnection, file_name: str, content_hash: str, kind: str, counts: Mapping[str, int]
) -> None:
    """One line of the import log (shown on the Data page): what came from which file, and when."""
    cur.execute(
        "INSERT INTO imports (file_name, content_hash, imported_at, kind, rows_read, new_ratings,"
        " updated_ratings, unchanged_ratings, skipped_rows, new_careers, new_criteria)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_name,
            content_hash,
            datetime.now().replace(microsecond=0),
            kind,
            *(
                int(counts.get(k, 0))
                for k in (
                    "rows_read",
                    "new_ratings",
                    "updated_ratings",
                    "unchanged_ratings",
                    "skipped_rows",
                    "new_careers",
                    "new_criteria",
                )
            ),
        ],
    )
