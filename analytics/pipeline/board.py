"""The pipeline board: every interview as a light card, each column in the order the user acts on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..models import STAGES, Interview
from .reminders import THANK_YOU_STALE_DAYS
from .stages import STAGE_DATE_FIELD

if TYPE_CHECKING:
    from ..store import Store


BOARD_CARDS = 12  # cards per stage column until the user asks for more (each column scrolls)


@dataclass(frozen=True)
class BoardCard:
    """What a board card (and a row of the table under the board) shows of one interview.

    A light read of the store (:meth:`Store.pipeline_rows`): no notes, questions or rating counts, so a
    board over thousands of interviews reads in milliseconds. Field names match :class:`Interview`, so
    :func:`stage_date` works on either.
    """

    id: int
    career_id: int
    career: str
    interviewee: str
    stage: str
    held_on: date | None = None
    identified_on: date | None = None
    requested_on: date | None = None
    scheduled_for: datetime | None = None
    completed_on: date | None = None
    thanked_on: date | None = None
    declined_on: date | None = None


def board_cards(store: Store) -> list[BoardCard]:
    """Every interview as a board card, in one read."""
    return [BoardCard(*row) for row in store.pipeline_rows()]


@dataclass(frozen=True)
class BoardView:
    """The board as drawn: per stage the cards to act on first, and everything else as table rows.

    ``shown`` and ``counts`` have every stage (in :data:`STAGES` order); ``counts`` are the cards that
    match the search, ``totals`` all cards of the stage. ``rest`` holds the matching cards not shown,
    stage by stage, each stage in its board order.
    """

    shown: dict[str, list[BoardCard]]
    counts: dict[str, int]
    totals: dict[str, int]
    rest: list[BoardCard]
    search: str = ""

    @property
    def matching(self) -> int:
        return sum(self.counts.values())

    def hidden(self, stage: str) -> int:
        return self.counts.get(stage, 0) - len(self.shown.get(stage, []))


def search_words(search: str) -> list[str]:
    return " ".join(str(search or "").split()).casefold().split()


def card_matches(card: BoardCard | Interview, words: Sequence[str]) -> bool:
    """Every word of the search appears in the interviewee's name or the career (case-insensitive)."""
    haystack = f"{card.interviewee} {card.career}".casefold()
    return all(word in haystack for word in words)


def board_key(stage: str, today: date) -> Any:
    """The order of one board column, the card to act on first at the top.

    Identified and requested: the longest waiting first (a request to send, a follow-up due). Scheduled:
    the soonest appointment first. Completed: the thank-yous still due first (completed in the last
    :data:`THANK_YOU_STALE_DAYS` days, the most overdue first), then the rest newest first. Thanked and
    declined: newest first. Undated cards go last; ties break on the name, the career and the id, so
    the order never depends on how the rows were read.
    """
    field_name = STAGE_DATE_FIELD.get(stage, "identified_on")

    def day_of(card: BoardCard | Interview) -> date | None:
        value = getattr(card, field_name, None)
        return value.date() if isinstance(value, datetime) else value

    def tie(card: BoardCard | Interview) -> tuple[str, str, int]:
        return (card.interviewee.casefold(), card.career.casefold(), card.id)

    if stage in ("identified", "requested", "scheduled"):
        floor = datetime.min if stage == "scheduled" else date.min  # appointments sort by day and time

        def waiting(card: BoardCard | Interview) -> tuple[Any, ...]:
            moment = getattr(card, field_name, None)
            return (moment is None, moment or floor, *tie(card))

        return waiting
    if stage == "completed":

        def completed(card: BoardCard | Interview) -> tuple[Any, ...]:
            day = day_of(card)
            due = day is not None and (today - day).days <= THANK_YOU_STALE_DAYS
            if due and day is not None:
                return (0, day.toordinal(), *tie(card))
            return (1 if day is not None else 2, -(day.toordinal() if day else 0), *tie(card))

        return completed

    def by_day(card: BoardCard | Interview) -> tuple[Any, ...]:
        day = day_of(card)
        return (day is None, -(day.toordinal() if day else 0), *tie(card))

    return by_day


def board_view(
    cards: Iterable[BoardCard],
    *,
    today: date,
    search: str = "",
    limits: Mapping[str, int] | None = None,
    pinned: Iterable[int] = (),
    default_limit: int = BOARD_CARDS,
) -> BoardView:
    """Split the board into the cards drawn per stage and the rest.

    A stage shows its first ``limits[stage]`` (else ``default_limit``) matching cards in
    :func:`board_key` order, plus any ``pinned`` card (the one the user just moved or added, so it
    stays in sight in its new column). Cards are matched against ``search`` by :func:`card_matches`.
    """
    words = search_words(search)
    pins = set(pinned)
    by_stage: dict[str, list[BoardCard]] = {stage: [] for stage in STAGES}
    for card in cards:
        by_stage.setdefault(card.stage, []).append(card)
    totals = {stage: len(column) for stage, column in by_stage.items()}
    shown: dict[str, list[BoardCard]] = {}
    counts: dict[str, int] = {}
    rest: list[BoardCard] = []
    for stage, column in by_stage.items():
        matching = sorted((c for c in column if card_matches(c, words)), key=board_key(stage, today))
        limit = max(0, int((limits or {}).get(stage, default_limit)))
        counts[stage] = len(matching)
        shown[stage] = [c for n, c in enumerate(matching) if n < limit or c.id in pins]
        drawn = {c.id for c in shown[stage]}
        rest += [c for c in matching if c.id not in drawn]
    return BoardView(shown=shown, counts=counts, totals=totals, rest=rest, search=" ".join(words))
