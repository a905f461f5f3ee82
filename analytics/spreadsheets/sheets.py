"""The small sheets (criteria, dimension weights, careers, contacts, interviews), checked row by row in Python."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import InvalidInputError
from ..models import STAGES
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

# An interviews sheet repeats the same few hundred days across its date columns: each read once per import.
_parse_date = functools.lru_cache(maxsize=65536)(parse_date)


def _cells(plan: Plan) -> Iterator[tuple[int, dict[str, str | None]]]:
    fields = plan.header.fields
    for number, cells in plan.table.rows:
        yield number, {f: c for f, c in zip(fields, cells, strict=False) if f is not None}


def validate_sheet(plan: Plan) -> list[Problem]:
    """Check a criteria, dimensions, careers, contacts or interviews sheet; keep its clean rows."""
    checker: Callable[[Plan, int, dict[str, str | None], list[Problem]], dict[str, Any] | None] = _CHECKERS[plan.kind]
    problems: list[Problem] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    key_field = _KEY_FIELD[plan.kind]
    from_csv = plan.table.from_csv
    order = date_order(c.get("date") for _, c in _cells(plan)) if plan.kind == "interviews" else "dmy"
    for number, cells in _cells(plan):
        if not any((v or "").strip() for v in cells.values()):
            continue
        plan.rows_read += 1
        cells = {k: (clean_text(v, from_csv=from_csv) if k in _TEXT_CELLS else v) for k, v in cells.items()}
        found: list[Problem] = []
        record = checker(plan, number, {**cells, "_order": order}, found)
        if found or record is None:
            problems += found
            continue
        key = _record_key(plan.kind, record)
        if plan.kind in ("criteria", "dimensions") and key in seen and seen[key][1] != record:
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
    "contacts": "name",
    "interviews": "career",
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
    if kind == "interviews":
        when = record.get("date")
        return f"{record['career'].casefold()}\x00{(record.get('interviewee') or '').casefold()}\x00{when}"
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


def _check_contact(plan: Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    name = _required(plan, number, cells, "name", problems)
    record: dict[str, Any] = {"name": name}
    for key in ("role", "organisation", "how_found", "introduced_by", "email", "notes"):
        if key in cells:
            record[key] = cells[key] or None
    return record


_INTERVIEW_DATES = ("identified_on", "requested_on", "completed_on", "thanked_on", "declined_on")
_INTERVIEW_FLAGS = ("researched_org", "researched_person", "questions_prepared")


def _check_interview(plan: Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    order = cells["_order"]
    career = _required(plan, number, cells, "career", problems)
    record: dict[str, Any] = {"career": career, "interviewee": cells.get("interviewee") or ""}

    def check(name: str, value: Any, error: str | None) -> None:
        if error:
            problems.append(Problem(number, plan.header.label(name), error, plan.sheet))
        elif value is not None:
            record[name] = value

    record["date"], error = _parse_date(cells.get("date"), order)
    check("date", record["date"], error)
    stage = (cells.get("stage") or "").strip().casefold()
    if stage:
        check("stage", stage, None if stage in STAGES else f"{stage!r} is not a stage (use {', '.join(STAGES)})")
    for name in _INTERVIEW_DATES:
        if name in cells:
            check(name, *_parse_date(cells[name], order))
    if "scheduled_for" in cells:
        check("scheduled_for", *parse_datetime(cells["scheduled_for"], order))
    for name in _INTERVIEW_FLAGS:
        if name in cells:
            check(name, *parse_bool(cells[name]))
    for name in ("notes", "goals", "questions", "homework_notes"):
        if cells.get(name):
            record[name] = cells[name]
    return record


_CHECKERS: dict[str, Callable[..., dict | None]] = {
    "criteria": _check_criterion,
    "dimensions": _check_dimension,
    "careers": _check_career,
    "contacts": _check_contact,
    "interviews": _check_interview,
}
