"""The summary tables ranking reads instead of the ratings, rebuilt for the careers a write touched.

Ranking reads these few thousand rows instead of a million ratings. Every write that changes ratings
refreshes them inside its own transaction, for the careers it touched only: saving one interview into
a store of a million ratings then rewrites a few dozen summary rows of one career, never all of them.

* ``rating_totals``: per career, criterion and source, the count, sum and sum of squares of the ratings;
* ``career_totals``: per career, the interviews that rated anything;
* ``rating_patterns``: per career and *rating pattern* (which criteria one interview rated), the interviews
  and the sum of all their ratings;
* ``rating_spreads``: per career, the sums of :class:`analytics.db.belief_stats.PooledSpread` (how the
  ratings scatter around each criterion's mean, and how two ratings of one interview move together).

All sums are taken over DECIMAL ratings and the belief summaries are stored as DECIMAL, so they are exact and
the same whatever order the rows were written in, and a career's rows equal a rebuild from scratch.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

# Up to this many careers are named in the statements themselves (DuckDB then skips the row groups of the
# ratings that hold none of them); more are refreshed with a join.
_LISTED_CAREERS = 200

_RATING_TOTALS = (
    "INSERT INTO rating_totals SELECT career_id, criterion_id, source, count(*), CAST(sum(value) AS DOUBLE),"
    " CAST(sum(CAST(value AS DECIMAL(18, 6)) * value) AS DOUBLE)"
    " FROM ratings {where} GROUP BY career_id, criterion_id, source"
)
_CAREER_TOTALS = (
    "INSERT INTO career_totals SELECT career_id, count(DISTINCT interview_id) FROM ratings"
    " WHERE source = 'interview' {also} GROUP BY career_id"
)
_RATING_PATTERNS = """
    INSERT INTO rating_patterns
    WITH per_interview AS (
        SELECT career_id, interview_id, list(criterion_id ORDER BY criterion_id) AS pattern, sum(value) AS total
        FROM ratings WHERE source = 'interview' {also} GROUP BY career_id, interview_id
    )
    SELECT career_id, pattern, count(*), sum(total) FROM per_interview GROUP BY career_id, pattern
"""
_RATING_SPREADS = """
    INSERT INTO rating_spreads
    WITH rated AS (
        SELECT interview_id, career_id, criterion_id, value FROM ratings WHERE source = 'interview' {also}
    ),
    per_criterion AS (
        SELECT career_id, criterion_id, count(*) AS n, sum(value) AS total,
               sum(CAST(value AS DECIMAL(18, 6)) * value) AS squares
        FROM rated GROUP BY career_id, criterion_id
    ),
    -- each deviation from its career-and-criterion mean is computed once from exact sums and kept as an
    -- exact decimal, so the sums below do not depend on row order
    deviations AS (
        SELECT r.career_id, r.interview_id,
               CAST(CAST(r.value * c.n - c.total AS DOUBLE) / c.n AS DECIMAL(18, 9)) AS deviation,
               CAST(1.0 - 1.0 / c.n AS DECIMAL(18, 9)) AS shrink
        FROM rated r JOIN per_criterion c USING (career_id, criterion_id)
        WHERE c.n >= 2
    ),
    per_interview AS (
        SELECT career_id, interview_id, count(*) AS k, sum(deviation) AS total,
               sum(deviation * deviation) AS squares, sum(shrink) AS shrink
        FROM deviations GROUP BY career_id, interview_id
    ),
    within AS (
        SELECT career_id,
               sum(CAST(CAST(squares * n - total * total AS DOUBLE) / n AS DECIMAL(38, 9))) AS squares,
               sum(n - 1) AS df
        FROM per_criterion WHERE n >= 2 GROUP BY career_id
    ),
    cross_products AS (
        SELECT career_id, sum(total * total - squares) AS products, sum(CAST(k AS BIGINT) * (k - 1)) AS pairs,
               count(*) FILTER (WHERE k >= 2) AS interviews, sum(shrink) AS shrink, sum(k) AS deviations
        FROM per_interview GROUP BY career_id
    )
    SELECT w.career_id, w.squares, w.df, coalesce(x.products, 0), coalesce(x.pairs, 0), coalesce(x.interviews, 0),
           coalesce(x.shrink, 0), coalesce(x.deviations, 0)
    FROM within w JOIN cross_products x USING (career_id)
"""
_RATING_TABLES = ("rating_totals", "career_totals")
_BELIEF_TABLES = ("rating_patterns", "rating_spreads")


def refresh_totals(cur: duckdb.DuckDBPyConnection, careers: Iterable[int] | None = None) -> None:
    """Rebuild every summary table from the ratings (exact DECIMAL sums).

    ``careers``: only the summaries of these careers (none: nothing to do); None: every career's.
    """
    _refresh(cur, careers, _RATING_TABLES + _BELIEF_TABLES)


def refresh_rating_totals(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``rating_totals`` and ``career_totals`` of every career (what schema step 3 adds)."""
    _refresh(cur, None, _RATING_TABLES)


def refresh_belief_summaries(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``rating_patterns`` and ``rating_spreads`` of every career (what schema step 5 adds)."""
    _refresh(cur, None, _BELIEF_TABLES)


_FILLS = {
    "rating_totals": lambda among: _RATING_TOTALS.format(where=f"WHERE {among}" if among else ""),
    "career_totals": lambda among: _CAREER_TOTALS.format(also=f"AND {among}" if among else ""),
    "rating_patterns": lambda among: _RATING_PATTERNS.format(also=f"AND {among}" if among else ""),
    "rating_spreads": lambda among: _RATING_SPREADS.format(also=f"AND {among}" if among else ""),
}


def _refresh(cur: duckdb.DuckDBPyConnection, careers: Iterable[int] | None, tables: tuple[str, ...]) -> None:
    if careers is None:
        for table in tables:
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            cur.execute(_FILLS[table](""))
        return
    ids = sorted({int(career) for career in careers})
    if not ids:
        return
    params: list[object]
    if len(ids) <= _LISTED_CAREERS:
        among, params = f"career_id IN ({', '.join('?' * len(ids))})", list(ids)
    else:
        among, params = "career_id IN (SELECT unnest(?::INTEGER[]))", [ids]
    for table in tables:
        cur.execute(f"DELETE FROM {table} WHERE {among}", params)  # noqa: S608 - fixed names, placeholders only
        cur.execute(_FILLS[table](among), params)
