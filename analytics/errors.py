"""Errors the engine raises on purpose.

Every error a user can cause or meet derives from :class:`CareerFitError`, so the app and the command
line can show its message as one plain line instead of a traceback.
"""

from __future__ import annotations


class CareerFitError(Exception):
    """A failure with a message written for the user."""


class StoreLockedError(CareerFitError):
    """The DuckDB file is held by another process (most often the app itself)."""


class StoreError(CareerFitError):
    """The store cannot be opened or used (not a DuckDB file, from a newer version, ...)."""


class InvalidInputError(CareerFitError):
    """Input the user gave is wrong; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems) if self.problems else "invalid input")


class DuplicateError(InvalidInputError):
    """An add that would repeat a record already kept (same contact name; same career, person and day of an
    interview); ``existing_id`` names the kept one, so the app can offer it instead of a second copy."""

    def __init__(self, problem: str, existing_id: int) -> None:
        super().__init__(problem)
        self.existing_id = existing_id


class BusyError(InvalidInputError):
    """Career Fit could not take the work on just now (every file reader is busy with other files): the same
    request may well succeed a minute later, so nothing should keep this answer as the file's."""
