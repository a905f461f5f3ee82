"""Loading whole tables of records (the demo, a workbook restore) set-wise, with the write rules re-applied.

To be replaced by loading through the importer (analytics/ingest.py), after which this module goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import duckdb

from ..errors import InvalidInputError
from .writes import (
    CONTACT_FIELDS,
    DEFAULT_WEIGHT,
    INTERVIEW_FIELDS,
    as_date,
    checked_dimension,
    checked_rating,
    checked_weight,
    date_key,
    interview_values,
    name_key,
    store_contact,
    text,
)

# ``Store.load_records`` used to write record by record: some 1,400 statements for the demo, 1.4 s on every
# first start of the app. The loader below applies the same rules, checks and messages as the one-row
# helpers above (``insert_criterion``, ``ensure_career``, ``store_contact``, ``store_interview``,
# ``write_ratings``) to an in-memory picture of the store, then writes each table with one or two
# statements whose parameters are Python lists (``unnest``). New ids come from the same sequences in the
# same order, so the store ends up exactly as writing the records one by one leaves it
# (tests/test_load_records.py compares the two on every table).

_INTERVIEW_DEFAULTS: dict[str, Any] = {
    "stage": "completed", "notes": "", "contact_id": None, "goals": "", "questions": "",
    "identified_on": None, "requested_on": None, "scheduled_for": None, "completed_on": None,
    "thanked_on": None, "declined_on": None, "researched_org": False, "researched_person": False,
    "questions_prepared": False, "homework_notes": "",
}
_INTERVIEW_TYPES: dict[str, str] = {
    "id": "INTEGER", "career_id": "INTEGER", "interviewee": "VARCHAR", "interviewee_key": "VARCHAR",
    "held_on": "DATE", "date_key": "VARCHAR", "stage": "VARCHAR", "notes": "VARCHAR", "contact_id": "INTEGER",
    "goals": "VARCHAR", "questions": "VARCHAR", "identified_on": "DATE", "requested_on": "DATE",
    "scheduled_for": "TIMESTAMP", "completed_on": "DATE", "thanked_on": "DATE", "declined_on": "DATE",
    "researched_org": "BOOLEAN", "researched_person": "BOOLEAN", "questions_prepared": "BOOLEAN",
    "homework_notes": "VARCHAR",
}
_CONTACT_TYPES: dict[str, str] = {
    "id": "INTEGER", "name": "VARCHAR", "name_key": "VARCHAR", **dict.fromkeys(CONTACT_FIELDS, "VARCHAR")
}


def _unnest(columns: Mapping[str, str]) -> str:
    """``unnest(?::TYPE[]) AS name, ...``: one list parameter per column, read row by row."""
    return ", ".join(f"unnest(?::{kind}[]) AS {name}" for name, kind in columns.items())


def _insert_lists(cur: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, str], rows: list[dict[str, Any]],
                  suffix: str = "") -> None:
    if rows:
        names = ", ".join(columns)
        cur.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM (SELECT {_unnest(columns)}){suffix}",  # noqa: S608
            [[row[name] for row in rows] for name in columns],
        )


def _typed(field: str, value: Any) -> Any:
    """A stage date or appointment as the column's Python type (DuckDB casts it the same way on UPDATE)."""
    kind = _INTERVIEW_TYPES.get(field)
    if value is None or kind not in ("DATE", "TIMESTAMP"):
        return value
    if kind == "DATE":
        return as_date(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    try:
        return datetime.fromisoformat(text(value))
    except ValueError:
        raise InvalidInputError(f"{text(value)!r} is not a date and time (use YYYY-MM-DD HH:MM)") from None


class _RecordLoader:
    """Records resolved against one picture of the store, then written table by table."""

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self.cur = cur
        self.criteria: dict[str, dict[str, Any]] = {}
        for cid, key, dimension, weight, description, position in cur.execute(
            "SELECT id, name_key, dimension, weight, description, position FROM criteria"
        ).fetchall():
            self.criteria[key] = {"id": cid, "key": key, "dimension": dimension, "weight": weight,
                                  "description": description, "position": position, "new": False, "dirty": False}
        self.max_position = max((c["position"] for c in self.criteria.values()), default=0)
        self.careers: dict[str, dict[str, Any]] = {
            key: {"id": cid, "key": key, "notes": notes, "new": False, "dirty": False}
            for cid, key, notes in cur.execute("SELECT id, name_key, notes FROM careers").fetchall()
        }
        self.contacts: dict[str, dict[str, Any]] = {
            key: {"id": cid, "new": False} for cid, key in cur.execute("SELECT id, name_key FROM contacts").fetchall()
        }
        self.interviews: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.loaded: set[tuple[str, str, str]] = set()  # the interviews this load has written so far
        self.ratings: dict[tuple[str, str, str, Any], float | None] = {}
        self.new: dict[str, list[dict[str, Any]]] = {"criteria": [], "careers": [], "contacts": [], "interviews": []}

    # -- one record at a time, in memory ----------------------------------------------------------

    def criterion(self, row: Mapping[str, Any]) -> None:
        """As ``load_records`` did: update the criterion of that name, else insert it at the end."""
        weight = DEFAULT_WEIGHT if row.get("weight") in (None, "") else row.get("weight")
        entry = self.criteria.get(name_key(row.get("criterion")))
        if entry is not None:  # change_criterion
            entry.update(dimension=checked_dimension(row.get("dimension")), weight=checked_weight(weight),
                         description=text(row.get("description") or ""), dirty=not entry["new"])
            return
        clean = text(row.get("criterion"))  # insert_criterion
        if not clean:
            raise InvalidInputError("a criterion needs a name")
        self.max_position += 1
        entry = {"id": None, "name": clean, "key": name_key(clean),
                 "dimension": checked_dimension(row.get("dimension")), "weight": checked_weight(weight),
                 "description": text(row.get("description") or ""), "position": self.max_position, "new": True,
                 "dirty": False}
        self.criteria[entry["key"]] = entry
        self.new["criteria"].append(entry)

    def career(self, name: object, notes: object = "") -> dict[str, Any]:
        """``ensure_career``: the career of that name, created if new; non-empty notes replace its notes."""
        clean = text(name)
        if not clean:
            raise InvalidInputError("a career needs a name")
        entry = self.careers.get(name_key(clean))
        if entry is None:
            entry = {"id": None, "key": name_key(clean), "name": clean, "notes": text(notes), "new": True,
                     "dirty": False}
            self.careers[entry["key"]] = entry
            self.new["careers"].append(entry)
        elif text(notes):
            entry.update(notes=text(notes), dirty=not entry["new"])
        return entry

    def contact(self, name: object, fields: Mapping[str, Any]) -> None:
        """``store_contact`` of a new contact (or of the one with that name)."""
        clean = text(name)
        entry = self.contacts.get(name_key(clean)) if clean else None
        if entry is not None and not entry["new"]:  # an existing contact: exactly as one by one (rare)
            store_contact(self.cur, name, None, fields)
            return
        if not clean:
            raise InvalidInputError("a contact needs a name")
        unknown = set(fields) - set(CONTACT_FIELDS)
        if unknown:
            raise InvalidInputError(f"a contact has no field {sorted(unknown)[0]!r}")
        if entry is None:
            entry = {"id": None, "new": True, **dict.fromkeys(CONTACT_FIELDS, "")}
            self.contacts[name_key(clean)] = entry
            self.new["contacts"].append(entry)
        entry.update(name=clean, name_key=name_key(clean))
        entry.update({f: text(fields[f]) for f in CONTACT_FIELDS if f in fields and fields[f] is not None})

    def read_interviews(self) -> None:
        """The interviews already stored, by career, interviewee and date (after the contacts: a contact's
        new spelling renames their interviews)."""
        for cid, career_key, person_key, day_key in self.cur.execute(
            "SELECT i.id, c.name_key, i.interviewee_key, i.date_key"
            " FROM interviews i JOIN careers c ON c.id = i.career_id"
        ).fetchall():
            self.interviews[(career_key, person_key, day_key)] = {"id": cid, "new": False, "values": {}}

    def interview(self, career: dict[str, Any], interviewee: object, held_on: date | None,
                  fields: Mapping[str, Any]) -> tuple[str, str, str]:
        """``store_interview`` without an id: add the interview, or update the one of that career, person and day."""
        unknown = set(fields) - INTERVIEW_FIELDS
        if unknown:
            raise InvalidInputError(f"an interview has no field {sorted(unknown)[0]!r}")
        if isinstance(held_on, datetime):
            held_on = held_on.date()
        person = text(interviewee)
        key = (career["key"], name_key(person), date_key(held_on))
        values = interview_values(fields, _typed)
        if "contact_id" not in values and person:
            values["contact_id"] = self.contacts.get(name_key(person))  # an entry, its id known only at the end
        entry = self.interviews.get(key)
        if entry is None:
            entry = {"id": None, "new": True, "career": career, "values": {}}
            self.interviews[key] = entry
            self.new["interviews"].append(entry)
        entry.update(interviewee=person, interviewee_key=key[1], held_on=held_on, date_key=key[2])
        entry["values"].update(values)
        entry["dirty"] = True
        self.loaded.add(key)
        return key

    def rating(self, row: Mapping[str, Any]) -> None:
        """One rating (``None`` removes it), its interview created if it is not known yet."""
        career = self.career(row.get("career"))
        criterion = self.criteria.get(name_key(row.get("criterion")))
        if criterion is None:
            raise InvalidInputError(f"there is no criterion {text(row.get('criterion'))!r}")
        source = text(row.get("source")) or "interview"
        if source not in ("interview", "expectation"):
            raise InvalidInputError(f"unknown rating source {source!r}: use interview or expectation")
        interview: tuple[str, str, str] | int = 0
        if source == "interview":
            held_on = as_date(row.get("date"))
            interview = (career["key"], name_key(row.get("interviewee")), date_key(held_on))
            if interview not in self.loaded:  # as one by one: a stored interview is saved again too
                self.interview(career, row.get("interviewee"), held_on, {})
        value = row.get("rating")
        self.ratings[(career["key"], criterion["key"], source, interview)] = (
            None if value is None else checked_rating(value)
        )

    # -- the writes ----------------------------------------------------------------------------------

    def _allocate(self, sequence: str, entries: list[dict[str, Any]]) -> None:
        """Ids for new rows from their sequence, in the order the rows were first met."""
        if entries:
            ids = sorted(row[0] for row in self.cur.execute(
                "SELECT nextval(?) FROM range(?)", [sequence, len(entries)]
            ).fetchall())
            for entry, new_id in zip(entries, ids, strict=True):
                entry["id"] = int(new_id)

    def write(self) -> None:
        cur = self.cur
        for sequence, table in (("criterion_ids", "criteria"), ("career_ids", "careers"),
                                ("contact_ids", "contacts"), ("interview_ids", "interviews")):
            self._allocate(sequence, self.new[table])
        changed = [c for c in self.criteria.values() if c["dirty"]]
        if changed:
            columns = {"id": "INTEGER", "dimension": "VARCHAR", "weight": "DOUBLE", "description": "VARCHAR"}
            sql = "UPDATE criteria SET dimension = v.dimension, weight = v.weight, description = v.description"
            cur.execute(
                f"{sql} FROM (SELECT {_unnest(columns)}) v WHERE criteria.id = v.id",
                [[c[name] for c in changed] for name in columns],
            )
        _insert_lists(cur, "criteria", {"id": "INTEGER", "name": "VARCHAR", "name_key": "VARCHAR",
                                        "dimension": "VARCHAR", "weight": "DOUBLE", "description": "VARCHAR",
                                        "position": "INTEGER"},
                      [{**c, "name_key": c["key"]} for c in self.new["criteria"]])
        changed = [c for c in self.careers.values() if c["dirty"]]
        if changed:
            cur.execute(
                "UPDATE careers SET notes = v.notes FROM (SELECT unnest(?::INTEGER[]) AS id,"
                " unnest(?::VARCHAR[]) AS notes) v WHERE careers.id = v.id",
                [[c["id"] for c in changed], [c["notes"] for c in changed]],
            )
        _insert_lists(cur, "careers", {"id": "INTEGER", "name": "VARCHAR", "name_key": "VARCHAR", "notes": "VARCHAR"},
                      [{**c, "name_key": c["key"]} for c in self.new["careers"]])
        _insert_lists(cur, "contacts", _CONTACT_TYPES, self.new["contacts"])
        rows = []
        for entry in self.interviews.values():
            if not entry.get("dirty"):
                continue
            values = {k: v["id"] if isinstance(v, dict) else v for k, v in entry["values"].items()}
            if entry["new"]:
                rows.append({**_INTERVIEW_DEFAULTS, **values, "id": entry["id"], "career_id": entry["career"]["id"],
                             **{k: entry[k] for k in ("interviewee", "interviewee_key", "held_on", "date_key")}})
                continue
            values.update({k: entry[k] for k in ("interviewee", "interviewee_key", "held_on", "date_key")})
            assignments = ", ".join(f"{field} = ?" for field in values)
            cur.execute(f"UPDATE interviews SET {assignments} WHERE id = ?",  # noqa: S608 - whitelisted names
                        [*values.values(), entry["id"]])
        rows.sort(key=lambda r: r["id"])
        _insert_lists(cur, "interviews", _INTERVIEW_TYPES, rows)
        columns = {"career_id": "INTEGER", "criterion_id": "INTEGER", "source": "VARCHAR", "interview_id": "INTEGER"}
        kept, removed = [], []
        for (career, criterion, source, interview), value in self.ratings.items():
            row = {"career_id": self.careers[career]["id"], "criterion_id": self.criteria[criterion]["id"],
                   "source": source, "interview_id": 0 if interview == 0 else self.interviews[interview]["id"],
                   "value": value}
            (removed if value is None else kept).append(row)
        if removed:
            cur.execute(
                f"DELETE FROM ratings USING (SELECT {_unnest(columns)}) v WHERE ratings.career_id = v.career_id"  # noqa: S608
                " AND ratings.criterion_id = v.criterion_id AND ratings.source = v.source"
                " AND ratings.interview_id = v.interview_id",
                [[r[name] for r in removed] for name in columns],
            )
        _insert_lists(cur, "ratings", {**columns, "value": "DOUBLE"}, kept,
                      " ON CONFLICT DO UPDATE SET value = excluded.value")


def load_records(
    cur: duckdb.DuckDBPyConnection,
    criteria: list[Mapping[str, Any]],
    careers: list[Mapping[str, Any]],
    contacts: list[Mapping[str, Any]],
    interviews: list[Mapping[str, Any]],
    ratings: list[Mapping[str, Any]],
) -> None:
    """The records of :meth:`Store.load_records`, written set-wise inside the caller's transaction."""
    loader = _RecordLoader(cur)
    for row in criteria:
        loader.criterion(row)
    for row in careers:
        loader.career(row.get("career"), row.get("notes") or "")
    for row in contacts:
        loader.contact(row.get("name"), {k: v for k, v in row.items() if k != "name"})
    loader.read_interviews()
    for row in interviews:
        career = loader.career(row.get("career"))
        fields = {k: v for k, v in row.items() if k not in ("career", "interviewee", "date")}
        loader.interview(career, row.get("interviewee"), as_date(row.get("date")), fields)
    for row in ratings:
        loader.rating(row)
    loader.write()
# -- end loading whole tables of records ----------------------------------------------------------------
