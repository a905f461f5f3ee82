"""The rating summaries (per career, criterion and source: count, sum, sum of squares) that ranking reads.

Ranking reads these few thousand rows instead of a million ratings. Every write that changes ratings
refreshes them inside its own transaction, for the careers it touched only: saving one interview into
a store of a million ratings then rewrites about twenty summary rows instead of forty thousand.
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


def refresh_totals(cur: duckdb.DuckDBPyConnection, careers: Iterable[int] | None = None) -> None:
    """Rebuild the rating summaries from the ratings (exact DECIMAL sums).

    ``careers``: only the summaries of these careers (none: nothing to do); None: every career's.
    """
    if careers is None:
        cur.execute("DELETE FROM rating_totals")
        cur.execute(_RATING_TOTALS.format(where=""))
        cur.execute("DELETE FROM career_totals")
        cur.execute(_CAREER_TOTALS.format(also=""))
        return
    ids = sorted({int(career) for career in careers})
    if not ids:
        return
    params: list[object]
    if len(ids) <= _LISTED_CAREERS:
        among, params = f"career_id IN ({', '.join('?' * len(ids))})", list(ids)
    else:
        among, params = "career_id IN (SELECT unnest(?::INTEGER[]))", [ids]
    cur.execute(f"DELETE FROM rating_totals WHERE {among}", params)  # noqa: S608 - placeholders only
    cur.execute(_RATING_TOTALS.format(where=f"WHERE {among}"), params)
    cur.execute(f"DELETE FROM career_totals WHERE {among}", params)  # noqa: S608 - placeholders only
    cur.execute(_CAREER_TOTALS.format(also=f"AND {among}"), params)
