"""The sheets other than ratings (criteria, dimension weights, careers, contacts, interviews), checked in Python."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import InvalidInputError
from ..vocabulary import CONTACT_FIELDS, INTERVIEW_TEXT_FIELDS, STAGES
from .cells import (
    DIMENSION_WORDS,
    clean_text,
    date_order,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_dimension,
    parse_weight,
)
from .plan import Plan
from .tables import Problem


def _cells(plan: Plan) -> Iterator[tuple[int, dict[str, str | None]]]:
    """Each row's cells by field (columns without a meaning left out), rows without a visible cell skipped."""
    named = [(field, position) for position, field in enumerate(plan.header.fields) if field is not None]
    fields = [field for field, _ in named]
    pick = operator.itemgetter(*(position for _, position in named)) if len(named) > 1 else None
    for number, cells in plan.table.rows:
        values: tuple[str | None, ...] = (
            pick(cells) if pick is not None else tuple(cells[position] for _, position in named)
        )
        if "".join(filter(None, values)).strip():  # (a cell of white space only is blank)
            yield number, dict(zip(fields, values, strict=True))


def validate_sheet(plan: Plan) -> list[Problem]:
    """Check a criteria, dimensions, careers, contacts or interviews sheet; keep its clean rows.

    Problems come in row order, and within a row in the order the row's cells are checked."""
    if plan.kind in _COLUMN_CHECKERS:
        return _validate_by_column(plan)
    checker: Callable[[Plan, int, dict[str, str | None], list[Problem]], dict[str, Any] | None] = _CHECKERS[plan.kind]
    problems: list[Problem] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    key_field = _KEY_FIELD[plan.kind]
    from_csv = plan.table.from_csv
    texts = list(dict.fromkeys(field for field in plan.header.fields if field in _TEXT_CELLS))
    unique = plan.kind in ("criteria", "dimensions")  # a key twice with other values is a problem
    for number, cells in _cells(plan):
        plan.rows_read += 1
        for name in texts:
            cells[name] = clean_text(cells[name], from_csv=from_csv)
        found: list[Problem] = []
        record = checker(plan, number, cells, found)
        if found or record is None:
            problems += found
            continue
        if unique:
            key = _record_key(plan.kind, record)
            if key in seen and seen[key][1] != record:
                other = seen[key][0]
                problems.append(
                    Problem(
                        number,
                        plan.header.label(key_field),
                        f"{record[key_field]!r} is also in row {other} with other values: keep one row",
                        plan.sheet,
                    )
                )
                continue
            seen.setdefault(key, (number, record))
        plan.rows.append(record)
    return problems


_KEY_FIELD = {
    "criteria": "criterion",
    "dimensions": "dimension",
    "careers": "career",
}
_TEXT_CELLS = {
    "criterion",
    "description",
    "career",
    "notes",
    "name",
    "role",
    "organisation",
    "how_found",
    "introduced_by",
    "email",
    "interviewee",
    "goals",
    "questions",
    "homework_notes",
}


def _record_key(kind: str, record: dict[str, Any]) -> str:
    return str(record[_KEY_FIELD[kind]]).casefold()


def _required(plan: Plan, number: int, cells: dict[str, Any], name: str, problems: list[Problem]) -> str | None:
    value = cells.get(name) or ""
    if not value:
        problems.append(
            Problem(number, plan.header.label(name), f"the {name.replace('_', ' ')} is missing", plan.sheet)
        )
        return None
    return value


def _check_criterion(plan: Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    name = _required(plan, number, cells, "criterion", problems)
    record: dict[str, Any] = {"criterion": name}
    if "dimension" in cells:
        dimension, error = parse_dimension(cells["dimension"] or "")
        if error:
            problems.append(Problem(number, plan.header.label("dimension"), error, plan.sheet))
        record["dimension"] = dimension
    if "weight" in cells:
        weight, error = parse_weight(cells["weight"])
        if error:
            problems.append(Problem(number, plan.header.label("weight"), error, plan.sheet))
        record["weight"] = weight
    if "description" in cells:
        record["description"] = cells["description"] or ""
    if "onet" in cells:  # the element it stands for: an id or a name; blank = no link
        from ..onet.elements import element_id_for  # O*NET loads only for a sheet that names it

        try:
            record["onet"] = element_id_for(cells["onet"])
        except InvalidInputError as error:
            problems.append(Problem(number, plan.header.label("onet"), error.problems[0], plan.sheet))
    return record


def _check_dimension(plan: Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    raw = (cells.get("dimension") or "").strip()
    dimension = DIMENSION_WORDS.get(raw.casefold())
    if dimension is None:
        problems.append(
            Problem(
                number,
                plan.header.label("dimension"),
                f"{raw!r} is not a dimension (use interest, skill or value)",
                plan.sheet,
            )
        )
    weight, error = parse_weight(cells.get("weight"))
    if error or weight is None:
        problems.append(Problem(number, plan.header.label("weight"), error or "the weight is missing", plan.sheet))
    return {"dimension": dimension, "weight": weight}


def _check_career(plan: Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    name = _required(plan, number, cells, "career", problems)
    record: dict[str, Any] = {"career": name, "notes": cells.get("notes") or None}
    if "onet_code" in cells:  # the O*NET occupation it stands for; blank = no link
        from ..onet.link import checked_code  # O*NET loads only for a sheet that names it

        code = (cells["onet_code"] or "").strip()
        try:
            record["onet_code"] = checked_code(code) if code else None
        except InvalidInputError as error:
            problems.append(Problem(number, plan.header.label("onet_code"), error.problems[0], plan.sheet))
    return record


# -- the sheets of many rows (contacts, interviews): checked a column at a time -----------------------------
#
# A saved workbook holds thousands of contacts and interviews. Their cells are checked column by column,
# each distinct cell read once (a date column repeats a few hundred days), and a row with a problem in any
# of its cells is left out. A cell's problem is the row's, as for the small sheets.

Report = Callable[[str, int, str], None]  # (field, index of the row among the sheet's data rows, message)


def _validate_by_column(plan: Plan) -> list[Problem]:
    numbers, columns = _columns(plan)
    plan.rows_read += len(numbers)
    problems: list[Problem] = []
    bad: set[int] = set()

    def report(name: str, index: int, message: str) -> None:
        problems.append(Problem(numbers[index], plan.header.label(name), message, plan.sheet))
        bad.add(index)

    records = _COLUMN_CHECKERS[plan.kind](columns, len(numbers), report)
    plan.rows += [record for index, record in enumerate(records) if index not in bad]
    return sorted(problems, key=lambda problem: problem.row or 0)  # (stable: a row's cells stay in order)


def _columns(plan: Plan) -> tuple[list[int], dict[str, list[Any]]]:
    """The numbers of the rows with a visible cell, and each field's cells in those rows (texts cleaned)."""
    named = {field: position for position, field in enumerate(plan.header.fields) if field is not None}
    if not named:
        return [], {}
    rows = plan.table.rows
    every = list(zip(*(cells for _, cells in rows), strict=True)) if rows else [()] * plan.table.width
    picked = [list(every[position]) for position in named.values()]
    if not any(None not in cells and not any(map(str.isspace, cells)) for cells in picked):
        # Some row may have no visible cell among these columns (a column filled in every row rules that out).
        pick = operator.itemgetter(*named.values())
        kept = [
            index
            for index, (_, cells) in enumerate(rows)
            if _visible(pick(cells) if len(named) > 1 else (pick(cells),))
        ]
        if len(kept) < len(rows):
            rows = [rows[index] for index in kept]
            picked = [[cells[index] for index in kept] for cells in picked]
    numbers = [number for number, _ in rows]
    columns = dict(zip(named, picked, strict=True))
    from_csv = plan.table.from_csv
    for name in named:
        if name in _TEXT_CELLS:  # (each distinct cell cleaned once: a column of notes is mostly blank)
            cleaned = {raw: clean_text(raw, from_csv=from_csv) for raw in set(columns[name])}
            columns[name] = list(map(cleaned.__getitem__, columns[name]))
    return numbers, columns


def _visible(values: tuple[str | None, ...]) -> bool:
    return bool("".join(filter(None, values)).strip())  # (white space is blank)


def _read_column(
    columns: dict[str, list[Any]], name: str, parse: Callable[[Any], tuple[Any, str | None]], report: Report
) -> list[Any]:
    """A column's values by ``parse`` (each distinct cell once); a bad cell is reported and reads as None."""
    meanings = {raw: parse(raw) for raw in set(columns[name])}
    values: list[Any] = []
    for index, raw in enumerate(columns[name]):
        value, error = meanings[raw]
        if error:
            report(name, index, error)
            value = None
        values.append(value)
    return values


def _required_column(columns: dict[str, list[Any]], name: str, count: int, report: Report) -> list[Any]:
    cells = columns.get(name) or [None] * count
    for index, cell in enumerate(cells):
        if not cell:
            report(name, index, f"the {name.replace('_', ' ')} is missing")
    return cells


def _check_contacts(columns: dict[str, list[Any]], count: int, report: Report) -> list[dict[str, Any]]:
    names = _required_column(columns, "name", count, report)
    given = [(key, columns[key]) for key in CONTACT_FIELDS if key in columns]
    return [{"name": name, **{key: cells[index] or None for key, cells in given}} for index, name in enumerate(names)]


_INTERVIEW_DATES = ("identified_on", "requested_on", "completed_on", "thanked_on", "declined_on")
_INTERVIEW_FLAGS = ("researched_org", "researched_person", "questions_prepared")


def _stage(raw: str | None) -> tuple[str | None, str | None]:
    stage = (raw or "").strip().casefold()
    if not stage:
        return None, None
    return (stage, None) if stage in STAGES else (None, f"{stage!r} is not a stage (use {', '.join(STAGES)})")


def _check_interviews(columns: dict[str, list[Any]], count: int, report: Report) -> list[dict[str, Any]]:
    """Each row's interview: career (required), interviewee, date, stage, the stage dates, the scheduled time,
    the homework flags and the texts (the cells are checked in this order)."""
    order = date_order(columns.get("date", ()))
    careers = _required_column(columns, "career", count, report)
    people = columns.get("interviewee") or [None] * count
    days = _read_column(columns, "date", lambda raw: parse_date(raw, order), report) if "date" in columns else []
    days = days or [None] * count
    given: list[tuple[str, list[Any]]] = []
    if "stage" in columns:
        given.append(("stage", _read_column(columns, "stage", _stage, report)))
    for name in _INTERVIEW_DATES:
        if name in columns:
            given.append((name, _read_column(columns, name, lambda raw: parse_date(raw, order), report)))
    if "scheduled_for" in columns:
        given.append(
            ("scheduled_for", _read_column(columns, "scheduled_for", lambda raw: parse_datetime(raw, order), report))
        )
    for name in _INTERVIEW_FLAGS:
        if name in columns:
            given.append((name, _read_column(columns, name, parse_bool, report)))
    given += [(name, [text or None for text in columns[name]]) for name in INTERVIEW_TEXT_FIELDS if name in columns]
    records = []
    for index, career in enumerate(careers):
        record: dict[str, Any] = {"career": career, "interviewee": people[index] or "", "date": days[index]}
        for name, values in given:
            if values[index] is not None:
                record[name] = values[index]
        records.append(record)
    return records


_COLUMN_CHECKERS: dict[str, Callable[[dict[str, list[Any]], int, Report], list[dict[str, Any]]]] = {
    "contacts": _check_contacts,
    "interviews": _check_interviews,
}

_CHECKERS: dict[str, Callable[..., dict | None]] = {
    "criteria": _check_criterion,
    "dimensions": _check_dimension,
    "careers": _check_career,
}
