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

Two small aggregates are built from the touched careers' ratings (per criterion, per interview: a few hundred
ratings for one saved interview, read where they are), and the four tables are filled from those; a career's
``career_totals`` row is updated in place rather than written again (its key's index then stays as it is). A
refresh of every career that has ratings (a first import) reads the whole ratings table.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

# Up to this many careers are named in the statements themselves (DuckDB then skips the row groups of the
# ratings that hold none of them); more are refreshed with a join.
_LISTED_CAREERS = 200

_ROWS = "career_id, criterion_id, source, interview_id, value"
# Per career, criterion and source: the count and the exact (DECIMAL) sum and sum of squares of the ratings.
_BY_CRITERION = (
    "CREATE OR REPLACE TEMP TABLE _cf_sum_criteria AS SELECT career_id, criterion_id, source, count(*) AS n,"
    " sum(value) AS total, sum(CAST(value AS DECIMAL(18, 6)) * value) AS squares"
    " FROM {rows} GROUP BY career_id, criterion_id, source"
)
# Per interview: its rating pattern and total, and the sums of its deviations from each criterion's mean (each
# computed once from exact sums and kept as an exact decimal, so the sums do not depend on row order; only
# criteria rated at least twice in the career have a mean to deviate from).
_BY_INTERVIEW = """
    CREATE OR REPLACE TEMP TABLE _cf_sum_interviews AS
    WITH deviations AS (
        SELECT r.career_id, r.interview_id, r.criterion_id, r.value,
               CASE WHEN c.n >= 2 THEN CAST(CAST(r.value * c.n - c.total AS DOUBLE) / c.n AS DECIMAL(18, 9)) END
                   AS deviation,
               CASE WHEN c.n >= 2 THEN CAST(1.0 - 1.0 / c.n AS DECIMAL(18, 9)) END AS shrink
        FROM {rows} r JOIN _cf_sum_criteria c USING (career_id, criterion_id, source)
        WHERE r.source = 'interview'
    )
    SELECT career_id, interview_id, list(criterion_id ORDER BY criterion_id) AS pattern, sum(value) AS total,
           count(deviation) AS k, sum(deviation) AS deviation_total, sum(deviation * deviation) AS deviation_squares,
           sum(shrink) AS shrink
    FROM deviations GROUP BY career_id, interview_id
"""
_FILLS = {
    "rating_totals": (
        "INSERT INTO rating_totals SELECT career_id, criterion_id, source, n, CAST(total AS DOUBLE),"
        " CAST(squares AS DOUBLE) FROM _cf_sum_criteria"
    ),
    "career_totals": "INSERT INTO career_totals SELECT career_id, count(*) FROM _cf_sum_interviews GROUP BY career_id",
    "rating_patterns": (
        "INSERT INTO rating_patterns SELECT career_id, pattern, count(*), sum(total) FROM _cf_sum_interviews"
        " GROUP BY career_id, pattern"
    ),
    "rating_spreads": """
        INSERT INTO rating_spreads
        WITH within AS (
            SELECT career_id,
                   sum(CAST(CAST(squares * n - total * total AS DOUBLE) / n AS DECIMAL(38, 9))) AS squares,
                   sum(n - 1) AS df
            FROM _cf_sum_criteria WHERE source = 'interview' AND n >= 2 GROUP BY career_id
        ),
        cross_products AS (
            SELECT career_id, sum(deviation_total * deviation_total - deviation_squares) AS products,
                   sum(CAST(k AS BIGINT) * (k - 1)) AS pairs, count(*) FILTER (WHERE k >= 2) AS interviews,
                   sum(shrink) AS shrink, sum(k) AS deviations
            FROM _cf_sum_interviews WHERE k > 0 GROUP BY career_id
        )
        SELECT w.career_id, w.squares, w.df, coalesce(x.products, 0), coalesce(x.pairs, 0),
               coalesce(x.interviews, 0), coalesce(x.shrink, 0), coalesce(x.deviations, 0)
        FROM within w JOIN cross_products x USING (career_id)
    """,
}
# ``career_totals`` has a key, so an index: for a few careers its rows are updated in place, added and removed by
# one statement, rather than deleted and inserted again, which would have the index rewritten when the store is
# next written to disk (its checkpoint). ``among``: the careers' condition.
_MERGE_CAREER_TOTALS = """
    MERGE INTO career_totals t
    USING (SELECT career_id, count(*) AS interviews FROM _cf_sum_interviews GROUP BY career_id) s
    ON t.career_id = s.career_id
    WHEN MATCHED AND t.interviews <> s.interviews THEN UPDATE SET interviews = s.interviews
    WHEN NOT MATCHED THEN INSERT VALUES (s.career_id, s.interviews)
    WHEN NOT MATCHED BY SOURCE AND t.{among} THEN DELETE
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


def _refresh(cur: duckdb.DuckDBPyConnection, careers: Iterable[int] | None, tables: tuple[str, ...]) -> None:
    if careers is None:
        for table in tables:
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        _fill(cur, "ratings", tables)
        return
    ids = sorted({int(career) for career in careers})
    if not ids:
        return
    params: list[object]
    if len(ids) > _LISTED_CAREERS and not _others_summarised(cur, ids):
        # Every career with ratings is among them (a first import): a rebuild reads the ratings without a join.
        _refresh(cur, None, tables)
        return
    if len(ids) <= _LISTED_CAREERS:
        among, params = f"career_id IN ({', '.join('?' * len(ids))})", list(ids)
    else:
        among, params = "career_id IN (SELECT unnest(?::INTEGER[]))", [ids]
    for table in tables:
        if table != "career_totals":  # (merged instead: see _MERGE_CAREER_TOTALS)
            cur.execute(f"DELETE FROM {table} WHERE {among}", params)  # noqa: S608 - fixed names, placeholders only
    # the careers' ratings, read where they are by the two aggregates (the ratings table skips, by its row groups'
    # ranges, those that hold none of these careers)
    _fill(cur, f"(SELECT {_ROWS} FROM ratings WHERE {among})", tables, params, among)  # noqa: S608


def _others_summarised(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> bool:
    """Whether a career outside ``ids`` has ratings (every career with ratings has a ``rating_totals`` row)."""
    found = cur.execute(
        "SELECT EXISTS (SELECT 1 FROM rating_totals WHERE career_id NOT IN (SELECT unnest(?::INTEGER[])))", [ids]
    ).fetchone()
    return bool(found and found[0])


def _fill(
    cur: duckdb.DuckDBPyConnection,
    rows: str,
    tables: tuple[str, ...],
    params: list[object] | None = None,
    among: str | None = None,
) -> None:
    """Fill ``tables`` from the ratings in ``rows`` (a table, or a subquery taking ``params``): their careers' rows
    are deleted already, but for ``career_totals`` when ``among`` (the careers' condition, taking ``params``) is
    given: its rows are then merged."""
    cur.execute(_BY_CRITERION.format(rows=rows), params or [])
    if any(table != "rating_totals" for table in tables):
        cur.execute(_BY_INTERVIEW.format(rows=rows), params or [])
    for table in tables:
        if table == "career_totals" and among is not None:
            cur.execute(_MERGE_CAREER_TOTALS.format(among=among), params or [])
        else:
            cur.execute(_FILLS[table])
