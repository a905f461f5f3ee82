"""Every write of the store, and the one copy of every rule a write checks: names, weights 0-5, ratings 1-5,
dimensions, dates and interview fields.

The cursor-level functions (``insert_criterion``, ``store_interview``...) run inside a caller's
transaction; the import (``analytics.db.staging``) writes through them too, so a rule is checked in
one place whichever way the data arrives. :class:`Writes` gives the store its write methods, each one
transaction.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from ..errors import DuplicateError, InvalidInputError
from ..profile_defaults import DEFAULT_CRITERIA, DEFAULT_ONET_LINKS
from ..vocabulary import CONTACT_FIELDS, DIMENSIONS, INTERVIEW_TEXT_FIELDS, STAGES
from .connection import Database
from .connection import value as scalar
from .reads import read_dimension_weights
from .summaries import refresh_totals

DEFAULT_WEIGHT = 3.0


def text(value: object) -> str:
    """User text as stored: surrounding white space trimmed, composed (Unicode NFC: "Café" typed as
    "e" + accent is the same text as "é"), never None."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


# Characters that show nothing: zero-width spaces and joiners, the byte-order mark, bidirectional controls.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")


def name_key(value: object) -> str:
    """How names are compared: as stored (:func:`text`), without invisible characters, case-folded, so that
    look-alike names ("Café" composed or not, with a zero-width space or a bidi mark) are one name."""
    return _INVISIBLE.sub("", text(value)).strip().casefold()


def date_key(value: date | None) -> str:
    """How an interview's day takes part in its identity (career, interviewee, day): ISO text, '' for none."""
    return value.isoformat() if value else ""


def _insert_row(cur: duckdb.DuckDBPyConnection, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row of ``table`` in one statement; its id. The column names in ``values`` are the callers'
    whitelisted field names (never user text); the values are bound."""
    columns, marks = ", ".join(values), ", ".join("?" * len(values))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id"  # noqa: S608
    return int(scalar(cur, sql, list(values.values())))


def _update_row(cur: duckdb.DuckDBPyConnection, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    """Set ``values`` on the row ``row_id`` of ``table``; names whitelisted as for :func:`_insert_row`."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    cur.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id])  # noqa: S608


def set_setting(cur: duckdb.DuckDBPyConnection, key: str, value: Any) -> None:
    cur.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def insert_default_profile(cur: duckdb.DuckDBPyConnection) -> None:
    """The default criteria of a new store, in one statement (each row cleaned as :func:`insert_criterion` does)."""
    rows = [
        _criterion_row(text(name), dimension, DEFAULT_WEIGHT, description, position, DEFAULT_ONET_LINKS[name])
        for position, (name, dimension, description) in enumerate(DEFAULT_CRITERIA, start=1)
    ]
    marks = ", ".join(f"({', '.join('?' * len(row))})" for row in rows)
    cur.execute(f"{_INSERT_CRITERIA} VALUES {marks}", [value for row in rows for value in row])


def checked_dimension(dimension: object) -> str | None:
    if dimension is None or (isinstance(dimension, float) and dimension != dimension):
        return None
    clean = text(dimension).lower()
    if clean in ("", "unassigned", "none"):
        return None
    if clean not in DIMENSIONS:
        raise InvalidInputError(f"unknown dimension {text(dimension)!r}: use interest, skill or value")
    return clean


def checked_weight(weight: object, what: str = "weight") -> float:
    try:
        value = float(weight)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInputError(f"{what} {weight!r} is not a number") from None
    if not 0 <= value <= 5:
        raise InvalidInputError(f"{what} {value:g} is outside 0-5")
    return value


def checked_rating(value: object) -> float:
    try:
        rating = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInputError(f"rating {value!r} is not a number") from None
    if not 1 <= rating <= 5:
        raise InvalidInputError(f"rating {rating:g} is outside the 1-5 scale")
    return round(rating, 6)


def insert_criterion(
    cur: duckdb.DuckDBPyConnection,
    name: object,
    dimension: object,
    weight: object,
    description: object,
    *,
    position: int | None = None,
    onet_element: str | None = None,
) -> int:
    criterion = {"name": name, "dimension": dimension, "weight": weight, "description": description}
    return insert_criteria(cur, [{**criterion, "onet_element": onet_element}], position=position)[0]


def insert_criteria(
    cur: duckdb.DuckDBPyConnection, criteria: Sequence[Mapping[str, Any]], *, position: int | None = None
) -> list[int]:
    """Add ``criteria`` (keys: name, dimension, weight, description, onet_element) after the last one, or from
    ``position`` on, in one statement; their ids, in order. Each is checked in turn (a name, not taken, a known
    dimension, a weight in 0-5): the first that fails is refused in one line and none is added."""
    if not criteria:
        return []
    names = [text(criterion["name"]) for criterion in criteria]
    keys = [name_key(name) for name in names]
    taken, last = cur.execute(  # one statement, however many criteria
        "SELECT list(name_key) FILTER (WHERE name_key IN (SELECT unnest(?::VARCHAR[]))), coalesce(max(position), 0)"
        " FROM criteria",
        [[key for key in keys if key]],
    ).fetchone() or ([], 0)
    seen = set(taken or ())
    first = int(last) + 1 if position is None else position
    rows: list[list[Any]] = []
    for offset, (criterion, clean_name, key) in enumerate(zip(criteria, names, keys, strict=True)):
        if not clean_name:
            raise InvalidInputError("a criterion needs a name")
        if key in seen:
            raise InvalidInputError(f"there is already a criterion called {clean_name!r}")
        seen.add(key)
        rows.append(
            _criterion_row(
                clean_name,
                criterion.get("dimension"),
                criterion.get("weight"),
                criterion.get("description"),
                first + offset,
                criterion.get("onet_element"),
            )
        )
    marks = ", ".join(f"({', '.join('?' * len(row))})" for row in rows)
    ids = dict(
        cur.execute(
            f"{_INSERT_CRITERIA} VALUES {marks} RETURNING name_key, id", [value for row in rows for value in row]
        ).fetchall()
    )
    return [int(ids[key]) for key in keys]


_INSERT_CRITERIA = "INSERT INTO criteria (name, name_key, dimension, weight, description, position, onet_element)"


def _criterion_row(
    clean_name: str, dimension: object, weight: object, description: object, position: int, onet_element: str | None
) -> list[Any]:
    """The values of a new criterion's row, each checked (a name already cleaned with :func:`text`)."""
    return [
        clean_name,
        name_key(clean_name),
        checked_dimension(dimension),
        checked_weight(weight),
        text(description),
        position,
        onet_element or None,
    ]


def change_criterion(cur: duckdb.DuckDBPyConnection, criterion_id: int, changes: Mapping[str, Any]) -> None:
    sets: list[str] = []
    params: list[Any] = []
    for field, value in changes.items():
        if field == "name":
            clean = text(value)
            if not clean:
                raise InvalidInputError("a criterion needs a name")
            clash = cur.execute(
                "SELECT 1 FROM criteria WHERE name_key = ? AND id <> ?", [name_key(clean), criterion_id]
            ).fetchone()
            if clash:
                raise InvalidInputError(f"there is already a criterion called {clean!r}")
            sets += ["name = ?", "name_key = ?"]
            params += [clean, name_key(clean)]
        elif field == "dimension":
            sets.append("dimension = ?")
            params.append(checked_dimension(value))
        elif field == "weight":
            sets.append("weight = ?")
            params.append(checked_weight(value))
        elif field == "description":
            sets.append("description = ?")
            params.append(text(value))
        elif field == "position":
            sets.append("position = ?")
            params.append(int(value))
        elif field == "onet_element":  # checked against O*NET by the caller (analytics.onet)
            sets.append("onet_element = ?")
            params.append(text(value) or None)
        else:
            raise InvalidInputError(f"a criterion has no field {field!r}")
    if sets:
        cur.execute(f"UPDATE criteria SET {', '.join(sets)} WHERE id = ?", [*params, criterion_id])  # noqa: S608


def ensure_career(cur: duckdb.DuckDBPyConnection, name: object, notes: object = "") -> int:
    clean = text(name)
    if not clean:
        raise InvalidInputError("a career needs a name")
    row = cur.execute("SELECT id FROM careers WHERE name_key = ?", [name_key(clean)]).fetchone()
    if row:
        if text(notes):
            cur.execute("UPDATE careers SET notes = ? WHERE id = ?", [text(notes), row[0]])
        return int(row[0])
    return int(
        scalar(
            cur,
            "INSERT INTO careers (name, name_key, notes) VALUES (?, ?, ?) RETURNING id",
            [clean, name_key(clean), text(notes)],
        )
    )


def known_fields(fields: Collection[str], allowed: Collection[str], what: str) -> None:
    """Refuse a field that ``what`` ("a contact") does not have (the first of them, alphabetically)."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise InvalidInputError(f"{what} has no field {sorted(unknown)[0]!r}")


def contact_values(name: object, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A contact as stored: its name (never blank) and name key, and the fields given (None: not given),
    trimmed. The one rule for a contact, saved alone or imported by the thousand."""
    clean = text(name)
    if not clean:
        raise InvalidInputError("a contact needs a name")
    known_fields(fields, CONTACT_FIELDS, "a contact")
    values = {f: text(fields[f]) for f in CONTACT_FIELDS if f in fields and fields[f] is not None}
    return {"name": clean, "name_key": name_key(clean), **values}


def store_contact(
    cur: duckdb.DuckDBPyConnection, name: object, contact_id: int | None, fields: Mapping[str, Any]
) -> int:
    values = contact_values(name, fields)
    clean = values["name"]
    clash = cur.execute("SELECT id FROM contacts WHERE name_key = ?", [values["name_key"]]).fetchone()
    if contact_id is None and clash:
        contact_id = int(clash[0])
    elif clash and int(clash[0]) != contact_id:
        raise InvalidInputError(f"there is already a contact called {clean!r}")
    if contact_id is None:  # one statement per contact: an import writes thousands
        return _insert_row(cur, "contacts", values)
    _update_row(cur, "contacts", contact_id, values)
    cur.execute(
        "UPDATE interviews SET interviewee = ?, interviewee_key = ? WHERE contact_id = ?",
        [clean, name_key(clean), contact_id],
    )
    return contact_id


INTERVIEW_FIELDS = {
    "stage",
    "notes",
    "goals",
    "questions",
    "identified_on",
    "requested_on",
    "scheduled_for",
    "completed_on",
    "thanked_on",
    "declined_on",
    "researched_org",
    "researched_person",
    "questions_prepared",
    "homework_notes",
    "contact_id",
}


def interview_values(
    fields: Mapping[str, Any], other: Callable[[str, Any], Any] = lambda field, value: value
) -> dict[str, Any]:
    """Interview fields as stored: a known stage, trimmed text, true/false homework; ``other`` for the rest."""
    values: dict[str, Any] = {}
    for field, value in fields.items():
        if field == "stage":
            if value not in STAGES:
                raise InvalidInputError(f"unknown stage {value!r}: use one of {', '.join(STAGES)}")
            values[field] = value
        elif field in INTERVIEW_TEXT_FIELDS:
            values[field] = text(value)
        elif field in ("researched_org", "researched_person", "questions_prepared"):
            values[field] = bool(value)
        else:
            values[field] = other(field, value)
    return values


def store_interview(
    cur: duckdb.DuckDBPyConnection,
    career_id: int,
    interviewee: object,
    held_on: date | None,
    interview_id: int | None,
    fields: Mapping[str, Any],
) -> int:
    known_fields(fields, INTERVIEW_FIELDS, "an interview")
    if isinstance(held_on, datetime):
        held_on = held_on.date()
    person = text(interviewee)
    key = (career_id, name_key(person), date_key(held_on))
    # One statement for both look-ups (an import saves interviews one by one): the interview of that career,
    # person and day, and the contact of that name.
    clash, contact = cur.execute(
        "SELECT (SELECT id FROM interviews WHERE career_id = ? AND interviewee_key = ? AND date_key = ?),"
        " (SELECT id FROM contacts WHERE name_key = ?)",
        [*key, key[1]],
    ).fetchone() or (None, None)
    if clash is not None and interview_id is None:
        interview_id = int(clash)
    elif clash is not None and int(clash) != interview_id:
        who = person or "an unnamed interviewee"
        when = held_on.isoformat() if held_on else "no date"
        raise InvalidInputError(f"there is already an interview with {who} on {when} for this career")
    values = interview_values(fields)
    if "contact_id" not in values and person:
        values["contact_id"] = None if contact is None else int(contact)
    values = {
        "career_id": career_id,
        "interviewee": person,
        "interviewee_key": name_key(person),
        "held_on": held_on,
        "date_key": date_key(held_on),
        **values,
    }
    if interview_id is None:  # one statement per interview: an import writes thousands
        return _insert_row(cur, "interviews", values)
    old = cur.execute("SELECT career_id FROM interviews WHERE id = ?", [interview_id]).fetchone()
    if old is None:
        raise InvalidInputError(f"there is no interview {interview_id}")
    _update_row(cur, "interviews", interview_id, values)
    if int(old[0]) != career_id:
        cur.execute(
            "UPDATE ratings SET career_id = ? WHERE interview_id = ? AND source = 'interview'",
            [career_id, interview_id],
        )
    return interview_id


def write_ratings(
    cur: duckdb.DuckDBPyConnection,
    career_id: int,
    source: str,
    interview_id: int,
    ratings: Mapping[int, float | None],
) -> bool:
    """Set (or, for ``None``, remove) ratings of one interview or of a career's expectations: every value is
    checked first, then one statement each removes, updates and adds those that change (a key is added only
    when it is not there: the store keeps one rating per key; its table has no index to keep it). Returns
    whether any rating changed (when none did, the caller has no summary to refresh)."""
    known = {row[0] for row in cur.execute("SELECT id FROM criteria").fetchall()}
    removed: list[int] = []
    kept: dict[int, float] = {}
    for criterion_id, rating in ratings.items():
        if criterion_id not in known:
            raise InvalidInputError(f"there is no criterion {criterion_id}")
        if rating is None:
            removed.append(criterion_id)
        else:
            kept[criterion_id] = checked_rating(rating)
    stored = {
        criterion_id: float(value)
        for criterion_id, value in cur.execute(
            "SELECT criterion_id, value FROM ratings WHERE career_id = ? AND source = ? AND interview_id = ?"
            " AND criterion_id IN (SELECT unnest(?::INTEGER[]))",
            [career_id, source, interview_id, list(ratings)],
        ).fetchall()
    }
    removed = [criterion_id for criterion_id in removed if criterion_id in stored]
    kept = {criterion_id: rating for criterion_id, rating in kept.items() if stored.get(criterion_id) != rating}
    if removed:
        cur.execute(
            "DELETE FROM ratings WHERE career_id = ? AND source = ? AND interview_id = ?"
            " AND criterion_id IN (SELECT unnest(?::INTEGER[]))",
            [career_id, source, interview_id, removed],
        )
    changed = {criterion_id: rating for criterion_id, rating in kept.items() if criterion_id in stored}
    added = {criterion_id: rating for criterion_id, rating in kept.items() if criterion_id not in stored}
    if changed:
        cur.execute(
            "UPDATE ratings SET value = n.value"
            " FROM (SELECT unnest(?::INTEGER[]) AS criterion_id, unnest(?::DOUBLE[]) AS value) n"
            " WHERE ratings.career_id = ? AND ratings.source = ? AND ratings.interview_id = ?"
            " AND ratings.criterion_id = n.criterion_id",
            [list(changed), list(changed.values()), career_id, source, interview_id],
        )
    if added:
        cur.execute(
            "INSERT INTO ratings (career_id, criterion_id, source, interview_id, value)"
            " SELECT ?, unnest(?::INTEGER[]), ?, ?, unnest(?::DOUBLE[])",
            [career_id, list(added), source, interview_id, list(added.values())],
        )
    return bool(removed or kept)


def _delete_criteria(cur: duckdb.DuckDBPyConnection, criterion_ids: list[int]) -> list[int]:
    """Delete criteria with their ratings; returns the careers whose ratings that removed."""
    if not criterion_ids:
        return []
    touched = [
        row[0]
        for row in cur.execute(
            "SELECT DISTINCT career_id FROM ratings WHERE criterion_id IN (SELECT unnest(?::INTEGER[]))",
            [criterion_ids],
        ).fetchall()
    ]
    cur.execute("DELETE FROM ratings WHERE criterion_id IN (SELECT unnest(?::INTEGER[]))", [criterion_ids])
    cur.execute("DELETE FROM criteria WHERE id IN (SELECT unnest(?::INTEGER[]))", [criterion_ids])
    return touched


def as_date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value)[:10])
    except ValueError:
        raise InvalidInputError(f"{text(value)!r} is not a date (use YYYY-MM-DD)") from None


class Writes(Database):
    """The store's write methods: each is one transaction, all of it lands or nothing does."""

    # -- settings ----------------------------------------------------------------------------------

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction(touches_ratings=False) as cur:
            set_setting(cur, key, value)

    def set_dimension_weights(self, weights: Mapping[str, float]) -> None:
        with self.transaction(touches_ratings=False) as cur:
            clean = read_dimension_weights(cur)
            for dimension, weight in weights.items():
                if dimension not in DIMENSIONS:
                    raise InvalidInputError(f"unknown dimension {dimension!r}: use interest, skill or value")
                clean[dimension] = checked_weight(weight, f"weight of {dimension}")
            if not any(clean.values()):
                raise InvalidInputError("at least one dimension needs a weight above 0")
            set_setting(cur, "dimension_weights", clean)

    # -- writes: profile ---------------------------------------------------------------------------

    def add_criterion(
        self, name: str, dimension: str | None, weight: float = DEFAULT_WEIGHT, description: str = ""
    ) -> int:
        with self.transaction(touches_ratings=False) as cur:
            return insert_criterion(cur, name, dimension, weight, description)

    def update_criterion(self, criterion_id: int, **changes: Any) -> None:
        with self.transaction(touches_ratings=False) as cur:
            change_criterion(cur, criterion_id, changes)

    def delete_criterion(self, criterion_id: int) -> None:
        with self.transaction(touches_ratings=False) as cur:
            touched = _delete_criteria(cur, [criterion_id])
            refresh_totals(cur, touched)

    def save_criteria(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Make the profile exactly ``rows`` (an edited table) in one transaction.

        A row with an ``id`` updates that criterion, a row without one adds a criterion, and a stored
        criterion missing from ``rows`` is deleted with its ratings. Nothing changes if any row is wrong.
        """
        with self.transaction(touches_ratings=False) as cur:
            keep: set[int] = set()
            seen: dict[str, int] = {}
            for number, row in enumerate(rows, start=1):
                name = text(row.get("name"))
                if not name:
                    raise InvalidInputError(f"row {number}: a criterion needs a name")
                if name_key(name) in seen:
                    raise InvalidInputError(f"row {number}: {name!r} is already the name of row {seen[name_key(name)]}")
                seen[name_key(name)] = number
            existing = {row[0] for row in cur.execute("SELECT id FROM criteria").fetchall()}
            stale = existing - {int(r["id"]) for r in rows if r.get("id") is not None}
            refresh_totals(cur, _delete_criteria(cur, sorted(stale)))  # weights, names, order: no rating changes
            # Park renamed keys first so that swapping two names does not trip the unique index.
            cur.execute("UPDATE criteria SET name_key = '\x00' || CAST(id AS VARCHAR)")
            for number, row in enumerate(rows, start=1):
                fields = {k: row.get(k) for k in ("name", "dimension", "weight", "description")}
                fields["position"] = number
                if "onet_element" in row:  # an O*NET element id checked by the caller, or None: no link
                    fields["onet_element"] = row["onet_element"]
                try:
                    if row.get("id") is not None and int(row["id"]) in existing:
                        change_criterion(cur, int(row["id"]), fields)
                        keep.add(int(row["id"]))
                    else:
                        insert_criterion(
                            cur,
                            fields["name"],
                            fields["dimension"],
                            DEFAULT_WEIGHT if fields["weight"] is None else fields["weight"],
                            fields["description"] or "",
                            position=number,
                            onet_element=fields.get("onet_element"),
                        )
                except InvalidInputError as error:
                    raise InvalidInputError([f"row {number}: {p}" for p in error.problems]) from None

    # -- writes: careers ---------------------------------------------------------------------------

    def add_career(self, name: str, notes: str = "") -> int:
        with self.transaction(touches_ratings=False) as cur:
            return ensure_career(cur, name, notes)

    def update_career(self, career_id: int, name: str | None = None, notes: str | None = None) -> None:
        with self.transaction(touches_ratings=False) as cur:
            if name is not None:
                if not text(name):
                    raise InvalidInputError("a career needs a name")
                clash = cur.execute(
                    "SELECT id FROM careers WHERE name_key = ? AND id <> ?", [name_key(name), career_id]
                ).fetchone()
                if clash:
                    raise InvalidInputError(f"there is already a career called {text(name)!r}")
                cur.execute(
                    "UPDATE careers SET name = ?, name_key = ? WHERE id = ?",
                    [text(name), name_key(name), career_id],
                )
            if notes is not None:
                cur.execute("UPDATE careers SET notes = ? WHERE id = ?", [text(notes), career_id])

    def delete_career(self, career_id: int) -> None:
        """Delete a career with its interviews and ratings."""
        with self.transaction(touches_ratings=False) as cur:
            cur.execute("DELETE FROM ratings WHERE career_id = ?", [career_id])
            cur.execute("DELETE FROM interviews WHERE career_id = ?", [career_id])
            cur.execute("DELETE FROM careers WHERE id = ?", [career_id])
            refresh_totals(cur, [career_id])

    # -- writes: contacts --------------------------------------------------------------------------

    def save_contact(self, name: str, contact_id: int | None = None, **fields: Any) -> int:
        """Add a contact, or update one by id; other fields: role, organisation, how_found, ..."""
        with self.transaction(touches_ratings=False) as cur:
            return store_contact(cur, name, contact_id, fields)

    def add_contact(self, name: str, **fields: Any) -> int:
        """Add a new contact; a name already kept is refused (adding never overwrites someone's details)."""
        with self.transaction(touches_ratings=False) as cur:
            kept = cur.execute("SELECT id, name FROM contacts WHERE name_key = ?", [name_key(name)]).fetchone()
            if kept is not None and text(name):
                raise DuplicateError(
                    f"{kept[1]} is already in your contacts: pick them under Add or edit to change what you know.",
                    int(kept[0]),
                )
            return store_contact(cur, name, None, fields)

    def delete_contact(self, contact_id: int) -> None:
        """Delete a contact; their interviews stay, under the interviewee's name."""
        with self.transaction(touches_ratings=False) as cur:
            cur.execute("UPDATE interviews SET contact_id = NULL WHERE contact_id = ?", [contact_id])
            cur.execute("DELETE FROM contacts WHERE id = ?", [contact_id])

    # -- writes: interviews and ratings -----------------------------------------------------------

    def save_interview(
        self,
        career: str | int,
        interviewee: str = "",
        held_on: date | None = None,
        *,
        interview_id: int | None = None,
        ratings: Mapping[int, float | None] | None = None,
        **fields: Any,
    ) -> int:
        """Add or update one interview and, if given, its ratings, all in one transaction.

        ``career`` is a career id or a name (created if new); ``ratings`` maps criterion id to a 1-5
        rating, and ``None`` removes a rating. Other fields: stage, notes, goals, questions, the stage
        dates and the homework flags.
        """
        with self.transaction(touches_ratings=False) as cur:
            career_id = career if isinstance(career, int) else ensure_career(cur, career)
            before: int | None = (
                None
                if interview_id is None
                else scalar(cur, "SELECT career_id FROM interviews WHERE id = ?", [interview_id])
            )
            interview_id = store_interview(cur, career_id, interviewee, held_on, interview_id, fields)
            changed = bool(ratings) and write_ratings(cur, career_id, "interview", interview_id, ratings or {})
            # Only these careers' summaries can change: the interview's (when a rating did), and, when the
            # interview moved, the one it moved from.
            touched = [career_id] if changed else []
            if before is not None and before != career_id:
                touched += [career_id, before]
            refresh_totals(cur, touched)
            return interview_id

    def add_interview(
        self,
        career: str | int,
        interviewee: str = "",
        held_on: date | None = None,
        *,
        ratings: Mapping[int, float | None] | None = None,
        **fields: Any,
    ) -> int:
        """Add one new interview (and its ratings) in one transaction; changing one is :meth:`save_interview` with
        its id. An interview with the same career, person and day is refused with a :class:`DuplicateError`
        that names it, never merged into silently."""
        with self.transaction(touches_ratings=False) as cur:
            career_id = career if isinstance(career, int) else ensure_career(cur, career)
            if isinstance(held_on, datetime):
                held_on = held_on.date()
            kept = cur.execute(
                "SELECT i.id, i.interviewee, c.name FROM interviews i JOIN careers c ON c.id = i.career_id"
                " WHERE i.career_id = ? AND i.interviewee_key = ? AND i.date_key = ?",
                [career_id, name_key(interviewee), date_key(held_on)],
            ).fetchone()
            if kept is not None:
                when = f"{held_on:%d %b %Y}" if held_on else "no date"
                raise DuplicateError(
                    f"You already logged an interview with {kept[1] or 'an unnamed interviewee'} on {when} for "
                    f"{kept[2]}: open it to change it.",
                    int(kept[0]),
                )
            interview_id = store_interview(cur, career_id, interviewee, held_on, None, fields)
            if ratings and write_ratings(cur, career_id, "interview", interview_id, ratings):
                refresh_totals(cur, [career_id])  # the new interview's career is the only one to change
            return interview_id

    def update_interview(self, interview_id: int, **fields: Any) -> None:
        """Change some fields of an interview (stage, dates, homework, notes...)."""
        with self.transaction(touches_ratings=False) as cur:
            current = cur.execute(
                "SELECT career_id, interviewee, held_on FROM interviews WHERE id = ?", [interview_id]
            ).fetchone()
            if current is None:
                raise InvalidInputError(f"there is no interview {interview_id}")
            career_id, interviewee, held_on = current
            store_interview(
                cur,
                career_id,
                fields.pop("interviewee", interviewee),
                fields.pop("held_on", held_on),
                interview_id,
                fields,
            )

    def delete_interview(self, interview_id: int) -> None:
        with self.transaction(touches_ratings=False) as cur:
            career_id = scalar(cur, "SELECT career_id FROM interviews WHERE id = ?", [interview_id])
            deleted = scalar(cur, "DELETE FROM ratings WHERE interview_id = ? AND source = 'interview'", [interview_id])
            cur.execute("DELETE FROM interviews WHERE id = ?", [interview_id])
            refresh_totals(cur, [career_id] if career_id is not None and deleted else [])

    def save_expectations(self, career: str | int, ratings: Mapping[int, float | None]) -> int:
        """Record the user's own prior ratings of a career; ``None`` removes one."""
        with self.transaction(touches_ratings=False) as cur:
            career_id = career if isinstance(career, int) else ensure_career(cur, career)
            changed = write_ratings(cur, career_id, "expectation", 0, ratings)
            refresh_totals(cur, [career_id] if changed else [])
            return career_id

    # -- writes: whole store -----------------------------------------------------------------------

    def add_interview_ratings_bulk(self, rows: list[tuple[str, str, date | None, str, float]]) -> None:
        """Add many interview ratings in set-based SQL, in one transaction (large stores, benchmarks).

        Each row is (career, interviewee, date, criterion name, rating 1-5). Missing careers and
        interviews are created; the criteria must exist; an existing rating is updated.
        """
        import pandas as pd  # only here: the command line scores stores without importing pandas

        unique: dict[tuple[str, str, str, str], tuple[Any, ...]] = {}
        for career, person, held_on, criterion, rating in rows:
            if not text(career):
                raise InvalidInputError("a career needs a name")
            key = (name_key(career), name_key(person), date_key(held_on), name_key(criterion))
            unique[key] = (text(career), text(person), held_on, *key, checked_rating(rating))
        frame = pd.DataFrame(
            list(unique.values()),
            columns=["career", "person", "held_on", "career_key", "person_key", "date_key", "criterion_key", "rating"],
        )
        with self.transaction() as cur:
            cur.register("bulk_rows", frame)
            try:
                missing = cur.execute(
                    "SELECT DISTINCT criterion_key FROM bulk_rows"
                    " WHERE criterion_key NOT IN (SELECT name_key FROM criteria) ORDER BY 1"
                ).fetchall()
                if missing:
                    raise InvalidInputError([f"there is no criterion {row[0]!r}" for row in missing])
                cur.execute(
                    "INSERT INTO careers (name, name_key) SELECT min(career), career_key FROM bulk_rows"
                    " WHERE career_key NOT IN (SELECT name_key FROM careers) GROUP BY career_key ORDER BY 2"
                )
                cur.execute(
                    "INSERT INTO interviews (career_id, interviewee, interviewee_key, held_on, date_key, completed_on)"
                    " SELECT c.id, min(b.person), b.person_key, min(b.held_on), b.date_key, min(b.held_on)"
                    " FROM bulk_rows b JOIN careers c ON c.name_key = b.career_key"
                    " WHERE NOT EXISTS (SELECT 1 FROM interviews i WHERE i.career_id = c.id"
                    "   AND i.interviewee_key = b.person_key AND i.date_key = b.date_key)"
                    " GROUP BY c.id, b.person_key, b.date_key ORDER BY 1, 3, 5"
                )
                # (one row per key: ``unique`` above; a key there already is updated, as the store keeps one)
                cur.execute(
                    "MERGE INTO ratings r USING ("
                    " SELECT c.id AS career_id, k.id AS criterion_id, i.id AS interview_id, b.rating FROM bulk_rows b"
                    " JOIN careers c ON c.name_key = b.career_key"
                    " JOIN criteria k ON k.name_key = b.criterion_key"
                    " JOIN interviews i ON i.career_id = c.id AND i.interviewee_key = b.person_key"
                    "   AND i.date_key = b.date_key"
                    ") n ON r.career_id = n.career_id AND r.criterion_id = n.criterion_id AND r.source = 'interview'"
                    " AND r.interview_id = n.interview_id"
                    " WHEN MATCHED THEN UPDATE SET value = n.rating"
                    " WHEN NOT MATCHED THEN INSERT (career_id, criterion_id, source, interview_id, value)"
                    " VALUES (n.career_id, n.criterion_id, 'interview', n.interview_id, n.rating)"
                )
            finally:
                cur.unregister("bulk_rows")
