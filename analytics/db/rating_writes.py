"""Writing an import's staged ratings set-wise: new criteria, careers, contacts and interviews, then the ratings.

Used by analytics/spreadsheets/ingest.py inside the import's transaction, on the temporary tables that
:mod:`analytics.db.staging` built and checked (``_cf_rows{slot}``, ``_cf_text{slot}``, ...). User text only
ever reaches DuckDB from those tables or as bound parameters; identifiers are built here from numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import duckdb

from .staging import (
    _CHECKED_FIELDS,
    _TEXT_FIELDS,
    StagedConflicts,
    StagedDuplicates,
    _count,
    _one,
    has_repeated_keys,
    named_careers,
)
from .writes import DEFAULT_WEIGHT


def apply_rating_rows(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    *,
    create_contacts: bool,
    grouped: bool = False,
    thanked: bool = False,
    columns: Collection[str] = _TEXT_FIELDS + _CHECKED_FIELDS,
) -> dict[str, Any]:
    """Write the staged rows set-wise: criteria, careers, contacts, interviews, then ratings. ``columns``: the
    fields the sheet has (the updates that only a dimension, thanked or notes column can cause are skipped
    without one).

    A new criterion gets weight 3 and the file's dimension (else none); an unassigned one gets the file's
    dimension. New interviews are ``completed`` on their date (``thanked`` then too, with ``thanked`` or when
    a row of theirs says yes in a ``thanked`` column: past interviews someone already thanked raise no
    reminder; such a row also moves a known completed interview to thanked). A rating's identity is career, interview
    (interviewee and date) or expectation, criterion and source; a known one is updated when its value
    differs. Names are spelled as in the first row that gives them. Returns the counts for the summary.

    The store keeps one rating per key, and its ratings table has no index to do it (one would cost most of a
    first import's time to build and write): this function is what keeps it, by inserting only keys that are
    not there (every rating of new interviews, once the sheet is known to give no key twice) and updating
    the others.
    """
    rows, text_map = f"_cf_rows{slot}", f"_cf_text{slot}"
    result: dict[str, Any] = {}

    def first_names(table: str, field: str, extra: Mapping[str, str] | None = None, where: str = "") -> None:
        """Per key id of ``field``: key, the first row's spelling, that row, and ``extra`` aggregates."""
        extra = extra or {}
        aggregates = "".join(f", {expr} AS {name}" for name, expr in extra.items())
        cur.execute(
            f"CREATE TEMP TABLE {table}{slot} AS SELECT f.kid, t.key, t.clean AS name, f.first_row"  # noqa: S608
            f"{''.join(', f.' + name for name in extra)} FROM (SELECT {field}_k AS kid,"
            f" arg_min({field}_r, row) AS rid, min(row) AS first_row{aggregates} FROM {rows}"
            f" WHERE {field}_k <> 0 {where} GROUP BY {field}_k) f JOIN {text_map} t ON t.rid = f.rid"
        )

    first_names("_cf_crit", "criterion", {"dimension": "arg_min(dimension, row) FILTER (WHERE dimension IS NOT NULL)"})
    # One pass over the rows per interview (career, interviewee, date, source); careers, contacts and
    # interviews then come from these few groups instead of a million rows each.
    # (a field the sheet lacks is blank in every row: its aggregates are that blank, spelled as a constant)
    none = "CAST(NULL AS INTEGER)"
    has = set(columns)
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_grp{slot} AS
        SELECT career_k, interviewee_k, date_n, source, min(row) AS first_row,
            arg_min(career_r, row) AS career_r, arg_min(interviewee_r, row) AS person_r,
            {"arg_max(organisation_r, row) FILTER (WHERE organisation_r <> 0)" if "organisation" in has else none}
                AS org_r,
            {"max(row) FILTER (WHERE organisation_r <> 0)" if "organisation" in has else none} AS org_row,
            {"arg_max(role_r, row) FILTER (WHERE role_r <> 0)" if "role" in has else none} AS role_r,
            {"max(row) FILTER (WHERE role_r <> 0)" if "role" in has else none} AS role_row,
            {"arg_max(notes_r, row) FILTER (WHERE notes_r <> 0)" if "notes" in has else none} AS notes_r,
            {"coalesce(bool_or(thanked), false)" if "thanked" in has else "false"} AS thanked,
            count(value) AS ratings
        FROM {rows} WHERE career_k <> 0
        GROUP BY career_k, interviewee_k, date_n, source
        """  # noqa: S608
    )
    # Each career with its id when it is on the list already (most files name known careers only: then nothing
    # is inserted, and their ids are known from here on).
    cur.execute(
        f"CREATE TEMP TABLE _cf_careers{slot} AS SELECT f.kid, t.key, t.clean AS name, f.first_row, c.id"  # noqa: S608
        f" FROM (SELECT career_k AS kid, arg_min(career_r, first_row) AS rid, min(first_row) AS first_row"
        f" FROM _cf_grp{slot} GROUP BY career_k) f JOIN {text_map} t ON t.rid = f.rid"
        " LEFT JOIN careers c ON c.name_key = t.key"
    )
    # One look at the profile and the list: the criteria the sheet names that it lacks, and the careers' ids.
    looked = _one(
        cur.execute(
            f"SELECT (SELECT count(*) FROM _cf_crit{slot} WHERE key NOT IN (SELECT name_key FROM criteria)),"  # noqa: S608
            f" (SELECT list(id) FROM (SELECT id FROM _cf_careers{slot} LIMIT {_LISTED_KEYS + 1}))"
        )
    )
    unknown, known_careers = looked[0], _listed(looked[1] or [])
    created = (  # (most files rate known criteria only: then nothing to insert)
        cur.execute(
            f"""
            INSERT INTO criteria (name, name_key, dimension, weight, description, position)
            SELECT name, key, dimension, ?, '',
                (SELECT coalesce(max(position), 0) FROM criteria) + row_number() OVER (ORDER BY first_row)
            FROM _cf_crit{slot} WHERE key NOT IN (SELECT name_key FROM criteria)
            RETURNING position, name, dimension
            """,  # noqa: S608
            [DEFAULT_WEIGHT],
        ).fetchall()
        if unknown
        else []
    )
    result["new_criteria"] = [(name, dimension) for _, name, dimension in sorted(created)]
    assigned = (
        cur.execute(
            f"UPDATE criteria SET dimension = n.dimension FROM _cf_crit{slot} n"  # noqa: S608
            " WHERE criteria.name_key = n.key AND criteria.dimension IS NULL AND n.dimension IS NOT NULL"
            " RETURNING criteria.name"
        ).fetchall()
        if "dimension" in columns
        else []
    )
    result["assigned_criteria"] = sorted(name for (name,) in assigned)
    result["new_careers"] = 0
    if known_careers is None or None in known_careers:
        result["new_careers"] = _count(
            cur.execute(
                f"INSERT INTO careers (name, name_key) SELECT name, key FROM _cf_careers{slot}"  # noqa: S608
                " WHERE key NOT IN (SELECT name_key FROM careers)"
            )
        )
    # The careers whose ratings this sheet may change (and whose summaries the import then refreshes), when few.
    rated = known_careers if result["new_careers"] == 0 else _few(cur, named_careers(slot))
    result["careers"] = rated
    result["new_contacts"] = 0
    if create_contacts:
        # (the latest organisation and role a person's rows give, when the sheet has those columns)
        given = [(field, alias) for field, alias in (("organisation", "org"), ("role", "role")) if field in has]
        cur.execute(
            f"""
            CREATE TEMP TABLE _cf_people{slot} AS
            SELECT t.key, t.clean AS name,
                {"o.clean" if "organisation" in has else "CAST(NULL AS VARCHAR)"} AS organisation,
                {"r.clean" if "role" in has else "CAST(NULL AS VARCHAR)"} AS role
            FROM (
                SELECT interviewee_k, arg_min(person_r, first_row) AS rid
                    {"".join(f", arg_max({a}_r, {a}_row) FILTER (WHERE {a}_r IS NOT NULL) AS {a}_r" for _, a in given)}
                FROM _cf_grp{slot} WHERE source = 'interview' AND interviewee_k <> 0 GROUP BY interviewee_k
            ) f
            JOIN {text_map} t ON t.rid = f.rid
            {f"LEFT JOIN {text_map} o ON o.rid = f.org_r" if "organisation" in has else ""}
            {f"LEFT JOIN {text_map} r ON r.rid = f.role_r" if "role" in has else ""}
            """  # noqa: S608
        )
        # Known contacts: by the unique index for a few names, else by one pass over the contacts.
        people = _few(cur, f"SELECT key FROM _cf_people{slot}")  # noqa: S608
        known_sql, known = "SELECT name_key FROM contacts", []
        if people is not None:
            found = cur.execute(f"SELECT name_key FROM contacts WHERE name_key IN ({_marks(people)})", people)  # noqa: S608
            known = [key for (key,) in found.fetchall()]
            known_sql = _marks(known)
        unknown = f" WHERE key NOT IN ({known_sql})" if people is None or known else ""
        result["new_contacts"] = _count(
            cur.execute(
                f"INSERT INTO contacts (name, name_key, organisation, role)"  # noqa: S608
                f" SELECT name, key, coalesce(organisation, ''), coalesce(role, '') FROM _cf_people{slot}{unknown}",
                known,
            )
        )
        if people is None or known:
            cur.execute(
                "UPDATE contacts SET organisation = coalesce(p.organisation, contacts.organisation),"  # noqa: S608
                f" role = coalesce(p.role, contacts.role) FROM _cf_people{slot} p WHERE contacts.name_key = p.key"
                f" AND contacts.name_key IN ({known_sql})"
                " AND (p.organisation <> contacts.organisation OR p.role <> contacts.role)",
                known,
            )
    # Each interview of the sheet with its id: the one it has when it is there already (same career, interviewee
    # and day; for a few careers, looked for among theirs only), else a new one from the sequence (``new``).
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_iv{slot} AS
        SELECT s.*, coalesce(i.id, nextval('interview_ids')) AS id, i.id IS NULL AS new
        FROM (
            SELECT v.career_k, v.interviewee_k, v.date_n, c.id AS career_id, coalesce(p.clean, '') AS interviewee,
                coalesce(p.key, '') AS interviewee_key, d.held_on,
                coalesce(strftime(d.held_on, '%Y-%m-%d'), '') AS date_key,
                {"n.clean" if "notes" in has else "CAST(NULL AS VARCHAR)"} AS notes, v.thanked
            FROM _cf_grp{slot} v JOIN _cf_careers{slot} k ON k.kid = v.career_k JOIN careers c ON c.name_key = k.key
            LEFT JOIN {text_map} p ON p.rid = v.person_r
            LEFT JOIN (SELECT DISTINCT date_n, held_on FROM _cf_dates{slot}) d ON d.date_n = v.date_n
            {f"LEFT JOIN {text_map} n ON n.rid = v.notes_r" if "notes" in has else ""}
            WHERE v.source = 'interview' AND (v.ratings > 0 OR v.notes_r IS NOT NULL)
        ) s
        LEFT JOIN (
            SELECT id, career_id, interviewee_key, date_key FROM interviews
            {"" if rated is None else f"WHERE career_id IN ({_marks(rated)})"}
        ) i ON i.career_id = s.career_id AND i.interviewee_key = s.interviewee_key AND i.date_key = s.date_key
        """,  # noqa: S608
        rated or [],
    )
    # For a few careers and people, the statements name them: DuckDB then reads their row groups and index
    # entries only, not every interview and contact of a large store.
    interviews, iv_careers, persons = _interview_keys(cur, slot)
    listed_careers = "" if iv_careers is None else _marks(iv_careers)
    within_params = iv_careers or []
    people_sql, people_params = ("contacts", []) if persons is None else (_named_contacts(persons), persons)
    result["new_interviews"] = _count(
        cur.execute(
            f"""
        INSERT INTO interviews (id, career_id, contact_id, interviewee, interviewee_key, held_on, date_key, stage,
            notes, completed_on, thanked_on)
        SELECT v.id, v.career_id, p.id, v.interviewee, v.interviewee_key, v.held_on, v.date_key,
            CASE WHEN ? OR v.thanked THEN 'thanked' ELSE 'completed' END, coalesce(v.notes, ''), v.held_on,
            CASE WHEN ? OR v.thanked THEN v.held_on END
        FROM _cf_iv{slot} v LEFT JOIN {people_sql} p ON p.name_key = v.interviewee_key AND v.interviewee_key <> ''
        WHERE v.new
        """,  # noqa: S608
            [thanked, thanked, *people_params],
        )
    )
    # What follows moves interviews that were there before: with none (every interview of the sheet is new, and
    # written whole just now), there is nothing to move.
    known_interviews = interviews > result["new_interviews"]
    # A row that says its interview was thanked moves a known completed one on (never back: "no" changes nothing).
    result["thanked_interviews"] = (
        _count(
            cur.execute(
                "UPDATE interviews SET stage = 'thanked', thanked_on = coalesce(interviews.completed_on,"  # noqa: S608
                f" interviews.held_on) FROM _cf_iv{slot} v WHERE interviews.id = v.id AND v.thanked"
                " AND interviews.stage = 'completed'"
            )
        )
        if "thanked" in columns and known_interviews
        else 0
    )
    if "notes" in columns and known_interviews:
        cur.execute(
            f"UPDATE interviews SET notes = v.notes FROM _cf_iv{slot} v"  # noqa: S608
            " WHERE interviews.id = v.id AND v.notes IS NOT NULL AND interviews.notes <> v.notes"
        )
    if known_interviews:
        cur.execute(
            f"UPDATE interviews SET contact_id = p.id FROM _cf_iv{slot} v, {people_sql} p"  # noqa: S608
            " WHERE interviews.id = v.id AND interviews.contact_id IS NULL"
            f" AND v.interviewee_key <> '' AND p.name_key = v.interviewee_key"
            + (f" AND interviews.career_id IN ({listed_careers})" if listed_careers else ""),
            [*people_params, *within_params],
        )
    joined = f"""
        WITH ids AS (
            SELECT k.kid, c.id FROM _cf_careers{slot} k JOIN careers c ON c.name_key = k.key
        ), crit AS (
            SELECT k.kid, c.id FROM _cf_crit{slot} k JOIN criteria c ON c.name_key = k.key
        )
        SELECT ids.id AS career_id, crit.id AS criterion_id, r.source,
            CASE WHEN r.source = 'interview' THEN v.id ELSE 0 END AS interview_id,
            CAST(r.value AS DECIMAL(9, 6)) AS value
        FROM {rows} r
        JOIN ids ON ids.kid = r.career_k
        JOIN crit ON crit.kid = r.criterion_k
        LEFT JOIN _cf_iv{slot} v ON r.source = 'interview' AND v.career_k = r.career_k
            AND v.interviewee_k = r.interviewee_k AND v.date_n = r.date_n
        WHERE r.value IS NOT NULL
    """  # noqa: S608
    # (an interview's ratings side by side: a later write of one interview reads few blocks of the table)
    in_order = " ORDER BY career_id, interview_id, criterion_id"
    among, among_params = (named_careers(slot), []) if rated is None else (_marks(rated), rated)
    # The ratings of interviews written just now, with no expectation among them (no source column), cannot be
    # there already: a rating's key holds its interview, and every interview of the sheet is new.
    fresh = not known_interviews and "source" not in columns
    known_ratings = (
        not fresh
        and _one(
            cur.execute(f"SELECT EXISTS (SELECT 1 FROM ratings WHERE career_id IN ({among}))", among_params)  # noqa: S608
        )[0]
    )
    if not known_ratings and not grouped:
        # Careers without ratings yet (a first import), or new interviews: every rating is new, so insert straight
        # away, unless the sheet gives a key twice: then the caller writes it grouped (see StagedDuplicates).
        if has_repeated_keys(cur, slot):
            raise StagedDuplicates(slot)
        result["new_ratings"] = _count(
            cur.execute(
                "INSERT INTO ratings (career_id, criterion_id, source, interview_id, value)"  # noqa: S608
                f" SELECT * FROM ({joined}) {in_order}"
            )
        )
        result["updated_ratings"] = result["unchanged_ratings"] = 0
        return result
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_final{slot} AS
        WITH f AS (
            SELECT career_id, criterion_id, source, interview_id, min(value) AS value, max(value) AS high
            FROM ({joined}) GROUP BY ALL
        )
        SELECT f.*, x.value AS old FROM f LEFT JOIN (SELECT * FROM ratings WHERE career_id IN ({among})) x
            ON x.career_id = f.career_id AND x.criterion_id = f.criterion_id AND x.source = f.source
            AND x.interview_id = f.interview_id
        """,  # noqa: S608
        among_params,
    )
    conflicts, *counts = _one(
        cur.execute(
            f"SELECT count(*) FILTER (WHERE value <> high), count(*) FILTER (WHERE old IS NULL),"  # noqa: S608
            f" count(*) FILTER (WHERE old <> value), count(*) FILTER (WHERE old = value) FROM _cf_final{slot}"
        )
    )
    if conflicts:
        raise StagedConflicts(slot)
    result["new_ratings"], result["updated_ratings"], result["unchanged_ratings"] = (int(n) for n in counts)
    if result["new_ratings"]:
        cur.execute(
            "INSERT INTO ratings (career_id, criterion_id, source, interview_id, value)"  # noqa: S608
            f" SELECT career_id, criterion_id, source, interview_id, value FROM _cf_final{slot} WHERE old IS NULL"
            f" {in_order}"
        )
    if result["updated_ratings"]:
        cur.execute(
            f"UPDATE ratings SET value = f.value FROM _cf_final{slot} f"  # noqa: S608
            " WHERE ratings.career_id = f.career_id AND ratings.criterion_id = f.criterion_id"
            " AND ratings.source = f.source AND ratings.interview_id = f.interview_id AND f.old <> f.value"
        )
    return result


# Up to this many careers or names are given to a statement as constants (see apply_rating_rows).
_LISTED_KEYS = 200


def _interview_keys(cur: duckdb.DuckDBPyConnection, slot: int) -> tuple[int, list[int] | None, list[str] | None]:
    """Of the sheet's interviews (``_cf_iv{slot}``): how many, and their careers and interviewees when few (as
    :func:`_few` gives them), in one statement."""
    limit = _LISTED_KEYS + 1
    found = cur.execute(
        f"SELECT (SELECT count(*) FROM _cf_iv{slot}),"  # noqa: S608
        f" (SELECT list(career_id) FROM (SELECT DISTINCT career_id FROM _cf_iv{slot} LIMIT {limit})),"
        f" (SELECT list(interviewee_key) FROM (SELECT DISTINCT interviewee_key FROM _cf_iv{slot}"
        f" WHERE interviewee_key <> '' LIMIT {limit}))"
    ).fetchone()
    assert found is not None
    return int(found[0]), _listed(found[1] or []), _listed(found[2] or [])


def _few(cur: duckdb.DuckDBPyConnection, sql: str) -> list[Any] | None:
    """The values of a one-column query when there are at most :data:`_LISTED_KEYS` of them, else None."""
    return _listed([row[0] for row in cur.execute(f"{sql} LIMIT {_LISTED_KEYS + 1}").fetchall()])


def _listed(values: list[Any]) -> list[Any] | None:
    """``values`` (read with a limit of one more than :data:`_LISTED_KEYS`) when there are few enough to list in a
    statement, else None."""
    return values if len(values) <= _LISTED_KEYS else None


def _named_contacts(keys: list[str]) -> str:
    """A subquery of the contacts (id, name_key) named by ``keys`` (placeholders: bind ``keys``)."""
    return f"(SELECT id, name_key FROM contacts WHERE name_key IN ({_marks(keys)}))"  # noqa: S608


def _marks(values: list[Any]) -> str:
    """Placeholders for ``values`` in an ``IN (...)`` list; with none, ``NULL``: ``x IN (NULL)`` holds for no
    row (never use it after ``NOT IN``)."""
    return ", ".join("?" * len(values)) if values else "NULL"
