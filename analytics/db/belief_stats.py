"""Reads the sufficient statistics the belief model needs from the store, summed exactly in DuckDB.

The belief model (:mod:`analytics.beliefs`) never sees a single rating: per career it needs the count and
sum of the ratings on each criterion, the same per *rating pattern* (which criteria one interview rated:
interviews of one career mostly share a handful of patterns), and, pooled over every career, the numbers
that split the scatter of ratings into one person's noise and one interviewee's overall lean. Every write keeps
these numbers in summary tables (:mod:`analytics.db.summaries`), so this read never touches a rating. All sums
are taken over DECIMAL ratings, so they are exact and the same whatever order the rows were written in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from math import fsum
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class Pattern:
    """Interviews of one career that rated exactly ``criteria``: how many, and the sum of all their ratings."""

    criteria: tuple[int, ...]
    interviews: int
    rating_total: float  # the sum of the ratings (1-5 scale) of all these interviews


@dataclass(frozen=True)
class PooledSpread:
    """How ratings scatter (1-5 scale, squared), summed over some careers.

    ``within_squares`` / ``within_df``: the spread of the ratings of one criterion of one career across its
    interviews (one person's noise plus their overall lean). ``cross_products`` / ``cross_pairs``: how the
    deviations of two criteria rated in the same interview move together (their overall lean alone).
    ``shrink_total`` / ``deviations``: the mean of ``1 - 1/n`` over those deviations; a deviation from a mean
    of ``n`` ratings keeps that share of the lean, which the estimate corrects for. Plain sums, so the spread
    of all careers but one is the total minus that career's.
    """

    within_squares: float = 0.0
    within_df: int = 0
    cross_products: float = 0.0
    cross_pairs: int = 0
    interviews: int = 0
    shrink_total: float = 0.0
    deviations: int = 0

    @property
    def mean_shrink(self) -> float:
        return self.shrink_total / self.deviations if self.deviations else 1.0

    def values(self) -> tuple[float | int, ...]:
        return (
            self.within_squares,
            self.within_df,
            self.cross_products,
            self.cross_pairs,
            self.interviews,
            self.shrink_total,
            self.deviations,
        )

    def __add__(self, other: PooledSpread) -> PooledSpread:
        return PooledSpread(*(a + b for a, b in zip(self.values(), other.values(), strict=True)))  # type: ignore[arg-type]

    def __sub__(self, other: PooledSpread) -> PooledSpread:
        return PooledSpread(*(a - b for a, b in zip(self.values(), other.values(), strict=True)))  # type: ignore[arg-type]


@dataclass(frozen=True)
class RatingColumns:
    """The interview ratings' counts and sums as long columns, one entry per career and criterion rated: what
    :meth:`BeliefInputs.rating_matrices` spreads into careers x criteria arrays without a Python loop."""

    careers: np.ndarray
    criteria: np.ndarray
    counts: np.ndarray
    totals: np.ndarray

    @classmethod
    def of(cls, counts: Mapping[int, Mapping[int, int]], totals: Mapping[int, Mapping[int, float]]) -> RatingColumns:
        """The columns of nested career -> criterion -> value mappings."""
        keys = [(career, criterion) for career, row in counts.items() for criterion in row]
        return cls(
            np.array([career for career, _ in keys], dtype=np.int64),
            np.array([criterion for _, criterion in keys], dtype=np.int64),
            np.array([counts[career][criterion] for career, criterion in keys], dtype=np.int64),
            np.array([totals[career][criterion] for career, criterion in keys], dtype=float),
        )


@dataclass(frozen=True)
class SpreadColumns:
    """Each career's own :class:`PooledSpread` as arrays: the career ids, and one row of its :meth:`values`
    per career."""

    careers: np.ndarray
    values: np.ndarray


_INTEGER_SPREADS = (1, 3, 4, 6)  # the columns of PooledSpread.values() that count (the others sum squares)


class Deferred(Mapping[int, Any]):
    """A mapping built by ``build`` only when first read: the ranking reads the columns themselves, so a page
    that never asks for these dictionaries never builds them. A copy (the app's cache pickles its results) is a
    plain dictionary."""

    def __init__(self, build: Callable[[], dict[int, Any]]) -> None:
        self._build = build
        self._built: dict[int, Any] | None = None

    def _mapping(self) -> dict[int, Any]:
        if self._built is None:
            self._built = self._build()
        return self._built

    def __getitem__(self, key: int) -> Any:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[int]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (self._mapping(),))


def _by_career(careers: np.ndarray, criteria: np.ndarray, values: np.ndarray) -> dict[int, dict[int, Any]]:
    """career -> criterion -> value from long columns."""
    built: dict[int, dict[int, Any]] = {}
    for career, criterion, value in zip(careers.tolist(), criteria.tolist(), values.tolist(), strict=True):
        if career in built:
            built[career][criterion] = value
        else:
            built[career] = {criterion: value}
    return built


def _spreads(columns: SpreadColumns) -> dict[int, PooledSpread]:
    """career -> its :class:`PooledSpread` from the columns (the counting columns as whole numbers)."""
    return {
        career: PooledSpread(*(int(v) if i in _INTEGER_SPREADS else v for i, v in enumerate(row)))
        for career, row in zip(columns.careers.tolist(), columns.values.tolist(), strict=True)
    }


@dataclass(frozen=True)
class BeliefInputs:
    """Everything the belief model reads from a store."""

    counts: Mapping[int, Mapping[int, int]] = field(default_factory=dict)  # career -> criterion -> ratings
    totals: Mapping[int, Mapping[int, float]] = field(default_factory=dict)  # career -> criterion -> sum (1-5)
    expectations: dict[int, dict[int, float]] = field(default_factory=dict)  # career -> criterion -> 1-5
    patterns: dict[int, list[Pattern]] = field(default_factory=dict)  # career -> its interviews' patterns
    interviews: dict[int, int] = field(default_factory=dict)  # career -> interviews with ratings
    spreads: Mapping[int, PooledSpread] = field(default_factory=dict)  # career -> its own ratings' spread
    # ``counts``, ``totals`` and ``spreads`` again as columns, when they were read as such (else built from them
    # when asked)
    columns: RatingColumns | None = field(default=None, compare=False, repr=False)
    spread_columns: SpreadColumns | None = field(default=None, compare=False, repr=False)

    def rating_matrices(self, careers: Sequence[int], criteria: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """``counts`` and ``totals`` as careers x criteria arrays in the given orders (0 where nothing is rated;
        careers and criteria not listed are left out)."""
        columns = self.columns if self.columns is not None else RatingColumns.of(self.counts, self.totals)
        rows, cols = _positions(careers, columns.careers), _positions(criteria, columns.criteria)
        kept = (rows >= 0) & (cols >= 0)
        counts = np.zeros((len(careers), len(criteria)))
        totals = np.zeros((len(careers), len(criteria)))
        counts[rows[kept], cols[kept]] = columns.counts[kept].astype(float)
        totals[rows[kept], cols[kept]] = columns.totals[kept]
        return counts, totals

    def spread_rows(self, careers: Sequence[int]) -> np.ndarray:
        """Each career's own :class:`PooledSpread` (zeros when it has none) as rows of its :meth:`values`."""
        if self.spread_columns is None:
            empty = PooledSpread().values()
            return np.array([self.spreads[c].values() if c in self.spreads else empty for c in careers], dtype=float)
        rows = _positions(self.spread_columns.careers, np.asarray(careers, dtype=np.int64))
        found = np.zeros((len(careers), len(PooledSpread().values())))
        found[rows >= 0] = self.spread_columns.values[rows[rows >= 0]]
        return found

    def total_spread(self) -> PooledSpread:
        """The spread of every career's ratings together (a career's own is taken out of it again, so that
        its noise is learned from the others)."""
        if self.spread_columns is not None:
            if not len(self.spread_columns.careers):
                return PooledSpread()
            totals: list[Any] = [
                int(column.astype(np.int64).sum()) if i in _INTEGER_SPREADS else fsum(column.tolist())
                for i, column in enumerate(self.spread_columns.values.T)
            ]
            return PooledSpread(*totals)
        columns = zip(*(spread.values() for spread in self.spreads.values()), strict=True)
        sums: list[Any] = [
            fsum(column) if isinstance(first, float) else sum(column)
            for first, column in ((c[0], c) for c in (tuple(col) for col in columns))
        ]
        return PooledSpread(*sums) if sums else PooledSpread()


def read_belief_inputs(store: Store) -> BeliefInputs:
    """One consistent read of everything the belief model needs, from the summary tables that every write keeps
    (:mod:`analytics.db.summaries`): a few thousand rows whatever the number of ratings.

    The columns come as arrays (``fetchnumpy``), a few times quicker than a Python tuple per row; the exact
    decimal sums become floats once, in DuckDB.
    """
    expectations: dict[int, dict[int, float]] = defaultdict(dict)
    patterns: dict[int, list[Pattern]] = defaultdict(list)
    interviews: dict[int, int] = {}  # career -> interviews with ratings: the sum over its patterns
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")  # a snapshot: the statistics all describe the same data
        try:
            # the interviews' totals and the expectations in one statement, told apart by ``expected``
            summed = cur.execute(
                "SELECT source = 'expectation' AS expected, career_id, criterion_id, n, total FROM rating_totals"
                " WHERE source IN ('interview', 'expectation')"
            ).fetchnumpy()
            expected = np.asarray(summed["expected"], dtype=bool)
            rated = ~expected
            columns = RatingColumns(
                np.asarray(summed["career_id"], dtype=np.int64)[rated],
                np.asarray(summed["criterion_id"], dtype=np.int64)[rated],
                np.asarray(summed["n"], dtype=np.int64)[rated],
                np.asarray(summed["total"], dtype=float)[rated],
            )
            # one expectation per career and criterion: its mean is its value
            for career, criterion, n, total in zip(
                *(np.asarray(summed[name])[expected].tolist() for name in ("career_id", "criterion_id", "n", "total")),
                strict=True,
            ):
                expectations[career][criterion] = total / n
            found = cur.execute(  # each pattern as text ("3,5,8"): a few distinct ones, each parsed once
                "SELECT career_id, array_to_string(pattern, ',') AS pattern, interviews,"
                " CAST(total AS DOUBLE) AS total FROM rating_patterns"
            ).fetchnumpy()
            shapes: dict[str, tuple[int, ...]] = {}  # one tuple per distinct pattern, shared
            for career, text, rated, total in zip(
                found["career_id"].tolist(),
                found["pattern"].tolist(),
                found["interviews"].tolist(),
                found["total"].tolist(),
                strict=True,
            ):
                criteria = shapes.get(text)
                if criteria is None:
                    criteria = shapes[text] = tuple(int(k) for k in text.split(",")) if text else ()
                patterns[career].append(Pattern(criteria, rated, total))
                interviews[career] = interviews.get(career, 0) + rated
            # each career's patterns in the order of their criteria (sorted here: DuckDB's ORDER BY on the pattern
            # lists cost more than the rest of the read); most careers have one
            for several in (found for found in patterns.values() if len(found) > 1):
                several.sort(key=lambda pattern: pattern.criteria)
            spread = cur.execute(
                "SELECT career_id, CAST(within_squares AS DOUBLE), within_df, CAST(cross_products AS DOUBLE),"
                " cross_pairs, interviews, CAST(shrink_total AS DOUBLE), deviations FROM rating_spreads"
            ).fetchnumpy()
        finally:
            cur.execute("COMMIT")
    values = list(spread.values())
    spread_columns = SpreadColumns(
        np.asarray(values[0], dtype=np.int64),
        np.stack([np.asarray(column, dtype=float) for column in values[1:]], axis=1).reshape(len(values[0]), 7),
    )
    counts = Deferred(lambda: _by_career(columns.careers, columns.criteria, columns.counts))
    totals = Deferred(lambda: _by_career(columns.careers, columns.criteria, columns.totals))
    spreads = Deferred(lambda: _spreads(spread_columns))
    return BeliefInputs(
        counts, totals, dict(expectations), dict(patterns), interviews, spreads, columns, spread_columns
    )


def _positions(order: Sequence[int] | np.ndarray, values: np.ndarray) -> np.ndarray:
    """The position of each of ``values`` in ``order``, -1 where it is not there."""
    if not len(order) or not len(values):
        return np.full(len(values), -1, dtype=np.intp)
    ids = np.asarray(order, dtype=np.int64)
    sorter = np.argsort(ids, kind="stable")
    found = sorter[np.minimum(np.searchsorted(ids, values, sorter=sorter), len(ids) - 1)]
    return np.where(ids[found] == values, found, -1)
