"""The store's links to O*NET: which occupation a career stands for, which element a criterion stands for.

The links are plain ids here (an O*NET-SOC code, an element id); :mod:`analytics.onet.link` checks them
against the O*NET data before they are written. Every write is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from ..errors import InvalidInputError
from .connection import Database
from .writes import ensure_career, name_key, text


def set_criterion_links(cur: duckdb.DuckDBPyConnection, links: Mapping[int, str | None]) -> None:
    """Criterion id -> element id (None: no link), inside the caller's transaction."""
    for criterion_id, element_id in sorted(links.items()):
        cur.execute("UPDATE criteria SET onet_element = ? WHERE id = ?", [element_id or None, criterion_id])


def link_new_by_name(cur: duckdb.DuckDBPyConnection, names: list[str], by_name: Mapping[str, str]) -> None:
    """Link the unlinked criteria called ``names`` whose name key is in ``by_name`` (name key -> element id),
    inside the caller's transaction."""
    for name in names:
        element_id = by_name.get(name_key(name))
        if element_id is not None:
            cur.execute(
                "UPDATE criteria SET onet_element = ? WHERE name_key = ? AND onet_element IS NULL",
                [element_id, name_key(name)],
            )


class OnetLinks(Database):
    """The store's O*NET link writes."""

    def link_career(self, career: str | int, code: str | None) -> int:
        """Link ``career`` (a name, added to the list if missing, or an id) to occupation ``code`` (None:
        unlink); returns the career's id."""
        with self.transaction(touches_ratings=False) as cur:
            if isinstance(career, int):
                if cur.execute("SELECT 1 FROM careers WHERE id = ?", [career]).fetchone() is None:
                    raise InvalidInputError(f"there is no career with id {career}")
                career_id = career
            else:
                career_id = ensure_career(cur, career)
            cur.execute("UPDATE careers SET onet_code = ? WHERE id = ?", [text(code) or None, career_id])
            return career_id

    def link_criteria(self, links: Mapping[int, str | None]) -> None:
        """Criterion id -> element id (None: no link), all in one transaction."""
        with self.transaction(touches_ratings=False) as cur:
            set_criterion_links(cur, links)
