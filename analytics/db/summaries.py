"""The rating summaries (per career, criterion and source: count, sum, sum of squares) that ranking reads.

Ranking reads these few thousand rows instead of a million ratings; every write that changes ratings
keeps them equal to the raw aggregate inside its own transaction.
"""

from __future__ import annotations

import duckdb


def refresh_totals(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the rating summaries from the ratings (exact DECIMAL sums)."""
    cur.execute("DELETE FROM rating_totals")
    cur.execute(
        "INSERT INTO rating_totals SELECT career_id, criterion_id, source, count(*), CAST(sum(value) AS DOUBLE),"
        " CAST(sum(CAST(value AS DECIMAL(18, 6)) * value) AS DOUBLE)"
        " FROM ratings GROUP BY career_id, criterion_id, source"
    )
    cur.execute("DELETE FROM career_totals")
    cur.execute(
        "INSERT INTO career_totals SELECT career_id, count(DISTINCT interview_id) FROM ratings"
        " WHERE source = 'interview' GROUP BY career_id"
    )
