"""Reads the packaged O*NET data (Parquet written by ``scripts/build_onet.py``) and keeps it in memory.

The data ships inside the package (``analytics/data/onet/``) and is found with ``importlib.resources``, so
an installed wheel works outside the checkout. Every table is read once per process with DuckDB and kept:
the data never changes while a process runs, so a cache per data version is a cache per process.
:func:`packaged` is the shipped data; tests build their own folder and open it as ``OnetData(folder)``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from ..errors import CareerFitError


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    job_zone: int | None
    family_id: int | None  # None: O*NET does not profile it fully (no interests, values or skills)
    x: float | None  # its place on the 2-D map of the world of work
    y: float | None


@dataclass(frozen=True)
class Element:
    """An O*NET element a criterion can stand for, with the scale that gives its value for an occupation."""

    id: str
    name: str
    kind: str  # interest, value, skill or knowledge
    scale: str  # OI, EX or IM
    description: str


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    minimum: float
    maximum: float


@dataclass(frozen=True)
class Family:
    """A career family: a group of O*NET occupations with similar profiles."""

    id: int
    name: str


@dataclass(frozen=True)
class FamilyProfile:
    family: Family
    typical_code: str
    size: int
    centroid: tuple[float, ...]  # the mean raw profile of its members, in the order of ``OnetData.features``


@dataclass(frozen=True)
class Feature:
    """One dimension of the profile families are clustered on: ``(raw - mean) / scale_factor``."""

    element_id: str
    scale: str
    mean: float
    scale_factor: float


@dataclass(frozen=True)
class Activity:
    element_id: str
    element_name: str
    kind: str  # General (a RIASEC area) or Basic (a basic interest)
    text: str


@dataclass(frozen=True)
class JobZone:
    zone: int
    name: str
    experience: str
    education: str
    training: str
    examples: str


Value = tuple[float, float | None]  # O*NET's data value and its standard error (None where it has none)


class OnetData:
    """The O*NET tables in one folder of Parquet files, each read on first use and kept."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._values: dict[tuple[tuple[str, str], ...], dict[str, dict[tuple[str, str], Value]]] = {}
        self._by_code: dict[str, dict[tuple[str, str], Value]] = {}
        self._connection: duckdb.DuckDBPyConnection | None = None

    def _rows(self, table: str, columns: str, tail: str = "", params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        path = self.folder / f"{table}.parquet"
        if not path.is_file():
            raise CareerFitError(f"the O*NET data is missing {path.name} (rebuild it with scripts/build_onet.py)")
        with self._lock:
            if self._connection is None:
                self._connection = duckdb.connect()  # in memory: it only reads the Parquet files
            cursor = self._connection.cursor()
        with cursor:
            return cursor.execute(
                f"SELECT {columns} FROM read_parquet(?) {tail}",  # noqa: S608  (the module's own constants)
                [str(path), *params],
            ).fetchall()

    @cached_property
    def manifest(self) -> dict[str, Any]:
        try:
            return json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CareerFitError(f"no O*NET data in {self.folder} (build it with scripts/build_onet.py)") from None

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @cached_property
    def occupations(self) -> dict[str, Occupation]:
        rows = self._rows("occupations", "code, title, job_zone, family_id, x, y", "ORDER BY code")
        return {row[0]: Occupation(*row) for row in rows}

    def description(self, code: str) -> str:
        rows = self._rows("occupations", "description", "WHERE code = ?", [code])
        return rows[0][0] if rows else ""

    @cached_property
    def elements(self) -> dict[str, Element]:
        rows = self._rows("elements", "element_id, name, kind, scale, description", "ORDER BY kind_order, element_id")
        return {row[0]: Element(*row) for row in rows}

    @cached_property
    def scales(self) -> dict[str, Scale]:
        return {row[0]: Scale(*row) for row in self._rows("scales", "scale, name, minimum, maximum")}

    @cached_property
    def families(self) -> dict[int, FamilyProfile]:
        rows = self._rows("families", "family_id, name, typical_code, size, centroid", "ORDER BY family_id")
        return {
            family_id: FamilyProfile(Family(family_id, name), typical, size, tuple(centroid))
            for family_id, name, typical, size, centroid in rows
        }

    @cached_property
    def features(self) -> tuple[Feature, ...]:
        return tuple(
            Feature(f["element_id"], f["scale"], float(f["mean"]), float(f["scale_factor"]))
            for f in self.manifest["families"]["features"]
        )

    @cached_property
    def titles(self) -> tuple[tuple[str, str, str], ...]:
        """(code, title, kind) for every alternate, short and reported title."""
        return tuple(self._rows("titles", "code, title, kind", "ORDER BY code, kind, title"))

    @cached_property
    def related(self) -> dict[str, tuple[str, ...]]:
        """Code -> O*NET's related occupations, most related first."""
        related: dict[str, list[str]] = {}
        for code, other in self._rows("related", "code, related_code", "ORDER BY code, position, related_code"):
            related.setdefault(code, []).append(other)
        return {code: tuple(others) for code, others in related.items()}

    @cached_property
    def activities(self) -> tuple[Activity, ...]:
        return tuple(Activity(*row) for row in self._rows("activities", "element_id, name, kind, activity"))

    @cached_property
    def job_zones(self) -> dict[int, JobZone]:
        rows = self._rows("job_zones", "job_zone, name, experience, education, training, examples", "ORDER BY 1")
        return {row[0]: JobZone(*row) for row in rows}

    def values(self, pairs: Sequence[tuple[str, str]]) -> dict[str, dict[tuple[str, str], Value]]:
        """Code -> (element id, scale) -> (value, standard error), for the given elements only (kept)."""
        key = tuple(sorted(set(pairs)))
        with self._lock:
            found = self._values.get(key)
        if found is not None:
            return found
        result: dict[str, dict[tuple[str, str], Value]] = {}
        if key:
            rows = self._rows(
                "ratings",
                "code, element_id, scale, value, se",
                "WHERE list_contains(?, element_id) AND list_contains(?, scale) AND value IS NOT NULL"
                " ORDER BY code, element_id, scale",
                [sorted({element for element, _scale in key}), sorted({scale for _element, scale in key})],
            )
            wanted = set(key)
            for code, element, scale, value, se in rows:
                if (element, scale) in wanted:
                    result.setdefault(code, {})[(element, scale)] = (value, se)
        with self._lock:
            if len(self._values) > 64:
                self._values.clear()
            self._values[key] = result
        return result

    def occupation_values(self, code: str) -> dict[tuple[str, str], Value]:
        """(element id, scale) -> (value, standard error) for one occupation, every kept scale (kept)."""
        with self._lock:
            found = self._by_code.get(code)
        if found is not None:
            return found
        rows = self._rows("ratings", "element_id, scale, value, se", "WHERE code = ? AND value IS NOT NULL", [code])
        result = {(element, scale): (value, se) for element, scale, value, se in rows}
        with self._lock:
            if len(self._by_code) > 4096:
                self._by_code.clear()
            self._by_code[code] = result
        return result


_resources = ExitStack()


@cache
def packaged() -> OnetData:
    """The O*NET data shipped inside the package (one instance per process)."""
    folder = resources.files("analytics").joinpath("data", "onet")
    return OnetData(Path(_resources.enter_context(resources.as_file(folder))))
