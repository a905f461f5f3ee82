"""The meaning of one cell: text, numbers, ratings, weights, yes/no, dates, sources and dimensions.

Every parser returns ``(value, error)``: a blank cell is ``(None, None)``, and an error is the one line the
user reads after the row and column ("9 is outside the 1–5 scale").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from ..vocabulary import DIMENSIONS

SCALES: dict[str, tuple[float, float]] = {"1-5": (1.0, 5.0), "1-10": (1.0, 10.0), "0-100": (0.0, 100.0)}


def cell_text(value: object) -> str | None:
    """One cell as text: numbers without a needless ``.0``, dates as ISO, blank as None."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return value if value else None  # type: ignore[return-value]
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# -- the meaning of one cell -------------------------------------------------------------------------

_FORMULA_ESCAPED = re.compile(r"'+[=+\-@]")
_FORMULA_START = re.compile(r"'*[=+\-@]")


def clean_text(raw: str | None, *, from_csv: bool = False) -> str:
    """Text as stored: composed (NFC) and trimmed, as the store keeps it; in a CSV, one leading ``'`` that
    kept a formula-like text inert is removed.

    The CSV export writes ``'=1+1`` for the text ``=1+1`` (and ``''=x`` for ``'=x``), so that a
    spreadsheet program shows it as text; reading it back gives the exact stored text.
    """
    value = unicodedata.normalize("NFC", raw).strip() if raw else ""
    if from_csv and _FORMULA_ESCAPED.match(value):
        return value[1:]
    return value


def csv_safe_text(value: str) -> str:
    """The inverse of :func:`clean_text` for CSV exports: formula-like text gets a leading ``'``."""
    return "'" + value if _FORMULA_START.match(value) else value


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def parse_number(raw: str | None) -> float | None:
    """A number written as ``4``, ``4.5``, ``4,5`` (decimal comma) or ``4.5e0``; None if not a number."""
    value = (raw or "").strip()
    if _DECIMAL_COMMA.fullmatch(value):
        value = value.replace(",", ".")
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def parse_rating(raw: str | None, scale: str) -> tuple[float | None, str | None]:
    """(rating on 1-5, error): blank is (None, None); other scales are rescaled linearly to 1-5."""
    value = (raw or "").strip()
    if not value:
        return None, None
    number = parse_number(value)
    if number is None:
        return None, f"{value!r} is not a number"
    low, high = SCALES[scale]
    if not low <= number <= high:
        return None, f"{value} is outside the {low:g}–{high:g} scale"
    return round(1 + (number - low) * 4 / (high - low), 6), None


def parse_weight(raw: str | None) -> tuple[float | None, str | None]:
    """(weight 0-5, error); blank is (None, None)."""
    value = (raw or "").strip()
    if not value:
        return None, None
    number = parse_number(value)
    if number is None:
        return None, f"{value!r} is not a number"
    if not 0 <= number <= 5:
        return None, f"{value} is outside 0–5"
    return number, None


_TRUE = {"true", "yes", "y", "1", "x", "✓", "done"}
_FALSE = {"false", "no", "n", "0", ""}


def parse_bool(raw: str | None) -> tuple[bool | None, str | None]:
    value = (raw or "").strip().casefold()
    if not value:
        return None, None
    if value in _TRUE:
        return True, None
    if value in _FALSE:
        return False, None
    return None, f"{raw!r} is not yes or no"


# Dates. Accepted, in this order:
#   ISO                    2024-03-05, 2024/03/05, 2024.03.05 (a time after the date is ignored)
#   Excel serial numbers   45356 (a date cell stored without a date format; 10000-99999, fraction ignored)
#   day first, numeric     05/03/2024, 5.3.2024, 05-03-2024, 05/03/24 (two-digit years are 20xx)
#   month names            5 March 2024, 5 Mar 2024, 5-Mar-2024, March 5, 2024, Mar 5 2024
# Numeric dates are read day first (05/03/2024 is 5 March) unless the same column has a value that only
# works month first (03/25/2024) and none that only works day first: then the column is read month first.
# Years outside 1900-2199 are refused as typing mistakes.
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \-]+([a-z]+)\.?,?[ \-]+(\d{4})")
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\.? +(\d{1,2})(?:st|nd|rd|th)?,? +(\d{4})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
DATE_HINT = "use YYYY-MM-DD or DD/MM/YYYY"


def date_order(values: Iterable[str | None]) -> str:
    """``"dmy"`` unless some numeric date only reads month first and none only reads day first."""
    month_first = False
    for raw in values:
        match = _NUMERIC_DATE.fullmatch((raw or "").strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12:
                return "dmy"
            if second > 12:
                month_first = True
    return "mdy" if month_first else "dmy"


def parse_date(raw: str | None, order: str = "dmy") -> tuple[date | None, str | None]:
    """(date, error); blank is (None, None). See the comment above for the accepted forms."""
    value = (raw or "").strip()
    if not value:
        return None, None
    lowered = value.casefold()
    parts: tuple[int, int, int] | None = None
    if match := _ISO_DATE.fullmatch(value):
        parts = int(match.group(1)), int(match.group(2)), int(match.group(3))
    elif _SERIAL.fullmatch(value):
        serial = int(float(value))
        return date(1899, 12, 30) + timedelta(days=serial), None
    elif match := _NUMERIC_DATE.fullmatch(value):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year = 2000 + year if len(match.group(3)) == 2 else year
        parts = (year, second, first) if order == "dmy" else (year, first, second)
    elif match := _DAY_MONTH_NAME.fullmatch(lowered):
        month = _MONTHS.get(match.group(2))
        parts = (int(match.group(3)), month, int(match.group(1))) if month else None
    elif match := _MONTH_NAME_DAY.fullmatch(lowered):
        month = _MONTHS.get(match.group(1))
        parts = (int(match.group(3)), month, int(match.group(2))) if month else None
    if parts is None:
        return None, f"{value!r} is not a date ({DATE_HINT})"
    year, month, day = parts
    if not 1900 <= year <= 2199:
        return None, f"{value!r} is not a plausible date (the year {year} is out of range)"
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"{value!r} is not a date ({DATE_HINT})"


_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_datetime(raw: str | None, order: str = "dmy") -> tuple[datetime | None, str | None]:
    """A date with an optional time (``2024-03-05 14:30``, ``2024-03-05T14:30:00``, a serial with fraction)."""
    value = (raw or "").strip()
    if not value:
        return None, None
    if _SERIAL.fullmatch(value):
        return datetime(1899, 12, 30) + timedelta(days=float(value)), None
    day_part, _, time_part = re.sub(r"(?<=\d)T(?=\d)", " ", value).partition(" ")
    when, error = parse_date(day_part if time_part and _TIME.fullmatch(time_part.strip()) else value, order)
    if when is None:
        return None, error
    clock = _TIME.fullmatch(time_part.strip()) if time_part else None
    if clock is None:
        return datetime.combine(when, time()), None
    hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None, f"{value!r} is not a time of day"
    return datetime.combine(when, time(hour, minute, second)), None


SOURCES = {
    "interview": "interview",
    "interviews": "interview",
    "i": "interview",
    "expectation": "expectation",
    "expectations": "expectation",
    "expected": "expectation",
    "prior": "expectation",
    "e": "expectation",
}
DIMENSION_WORDS = {
    **{d: d for d in DIMENSIONS},
    "interests": "interest",
    "skills": "skill",
    "values": "value",
    "unassigned": None,
    "none": None,
    "-": None,
}


def parse_source(raw: str) -> tuple[str | None, str | None]:
    value = raw.strip()
    if not value:
        return None, None
    source = SOURCES.get(value.casefold())
    return (source, None) if source else (None, f"{value!r} is not a source (use interview or expectation)")


def parse_dimension(raw: str) -> tuple[str | None, str | None]:
    value = raw.strip()
    if not value or value.casefold() in DIMENSION_WORDS:
        return DIMENSION_WORDS.get(value.casefold()), None
    return None, f"{value!r} is not a dimension (use interest, skill or value)"
