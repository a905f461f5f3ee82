"""Fuzzing the importer (hypothesis): hostile .csv and .xlsx files through ``career-fit import``.

Every generated file (far cells, wide rows, error cells, unsaved formulas, broken quotes, encodings, control
and look-alike characters, huge cells) must end with exit 0 or 2, one line per problem and no traceback,
the store unchanged when refused, in bounded time, and in bounded memory in both the command's process and
the child process that reads the file. ``make test`` runs a short round; ``make fuzz`` a long one
(``CAREER_FIT_FUZZ_EXAMPLES``, default 25 here), printing how many inputs were tried and the peak memory.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.cli import main
from analytics.spreadsheets import sandbox
from analytics.store import Store
from tests.support import hostile_files as hostile
from tests.support.ingest_fixtures import snapshot

EXAMPLES = int(os.environ.get("CAREER_FIT_FUZZ_EXAMPLES", "25"))
SECONDS_PER_FILE = 60
PARENT_MEMORY_KB = 2_000_000
READER_MEMORY_KB = sandbox.READ_MEMORY_BYTES // 1000

HEADERS = [
    ["career", "criterion", "rating"],
    ["career", "interviewee", "date", "criterion", "rating", "source", "dimension"],
    ["Career", "Pay", "Hours", "Team"],
    ["criterion", "dimension", "weight", "description"],
    ["id", "name", "description", "amount"],
    ["name", "role", "email"],
    ["career", "", "Pay", ""],
]
HOSTILE_TEXT = st.sampled_from(
    [
        "\x00",
        "\x1b[31mred",
        "bell\x07",
        "Caf\u0065\u0301",
        "Café",
        "Caf\u200bé",
        "\u202eevil",
        "_x0041_",
        "_x005F_x0041_",
        "=1+1",
        "@SUM(A1)",
        '"unclosed',
        'x, "a,b"',
        'a"b',
        ":material/home:",
        "<script>x</script>",
        "N" * 40_000,
        "1e308",
        "-0",
        "NaN",
        "#DIV/0!",
        "\ufeff",
        "\r",
        "line\nbreak",
    ]
)
CELL = st.one_of(
    st.sampled_from(["Nurse", "Pilot", "Pay", "Social", "interest", "skill", "3", "4.5", "9", "2025-03-14", ""]),
    st.integers(-5, 120).map(str),
    st.text(max_size=12),
    HOSTILE_TEXT,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])


@st.composite
def csv_files(draw: Any) -> tuple[str, bytes]:
    header = list(draw(st.sampled_from(HEADERS)))
    if draw(st.booleans()):
        header += [f"C{n}" for n in range(draw(st.integers(0, 3_000)))]  # a wide row
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())
    lines = [delimiter.join(header)] + [
        delimiter.join(f'"{c}"' if quote and '"' not in c else c for c in row) for row in rows
    ]
    text = newline.join(lines) + newline
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # something odd past the first 256 KB
        data = hostile.large_csv(12_000, tail=draw(HOSTILE_TEXT) + ",Pay,3\n")
    return "fuzz.csv", data


@st.composite
def xlsx_files(draw: Any) -> tuple[str, bytes]:
    header = draw(st.sampled_from(HEADERS))
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 1), max_size=6))
    cells: dict[tuple[int, int], Any] = {}
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if value and len(value) <= 32_767:
                cells[(r, c)] = value
    kind = draw(st.sampled_from(["plain", "far", "error", "unsaved", "number"]))
    if kind == "far":
        cells[(draw(st.integers(0, 1_048_575)), draw(st.integers(0, 16_383)))] = "x"
    elif kind == "error":
        cells[(1, min(2, len(header) - 1))] = ("=1/0", draw(st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])))
    elif kind == "number":
        cells[(1, min(2, len(header) - 1))] = draw(st.floats(allow_nan=False, allow_infinity=False))
    data = hostile.workbook(cells)
    if kind == "unsaved":
        data = hostile.rewrite_sheet(hostile.workbook({**cells, (1, 0): ("=1+2", 3)}), _drop_cached_values)
    return "fuzz.xlsx", data


def _drop_cached_values(xml: bytes) -> bytes:
    return xml.replace(b"<v>3</v>", b"")


FIGURES = {"inputs": 0, "refused": 0, "read": 0, "slowest": 0.0, "reader_peak_kb": 0}
WORK = Path(tempfile.mkdtemp(prefix="career-fit-fuzz-"))
DB = WORK / "store.duckdb"


def _reader_peak_kb() -> int:
    """The largest peak resident memory of the reader children alive now (VmHWM, in KB)."""
    peak = 0
    for worker in list(sandbox._idle):
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{worker.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return peak


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=EXAMPLES <= 50)
@given(file=st.one_of(csv_files(), xlsx_files()))
def test_hostile_files_never_crash_hang_or_half_write(file: tuple[str, bytes]) -> None:
    name, data = file
    if not DB.exists():
        assert main(["--db", str(DB), "demo"]) == 0
    with Store(str(DB)) as store:
        before = snapshot(store, with_imports=True)
    path = WORK / name
    path.write_bytes(data)
    err = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--db", str(DB), "import", str(path)])
    elapsed = time.perf_counter() - started
    lines = err.getvalue().splitlines()
    assert code in (0, 2), lines
    assert "Traceback" not in err.getvalue()
    assert all(line.strip() for line in lines)
    if code == 2:
        assert lines, "a refusal says why"
        with Store(str(DB)) as store:
            assert snapshot(store, with_imports=True) == before
    assert elapsed < SECONDS_PER_FILE
    FIGURES["inputs"] += 1
    FIGURES["refused" if code == 2 else "read"] += 1
    FIGURES["slowest"] = max(FIGURES["slowest"], elapsed)
    FIGURES["reader_peak_kb"] = max(FIGURES["reader_peak_kb"], _reader_peak_kb())
    assert FIGURES["reader_peak_kb"] < READER_MEMORY_KB
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < PARENT_MEMORY_KB


def test_fuzz_figures() -> None:
    """Prints the round's figures (``make fuzz`` shows them): inputs tried, refused, read, slowest, memory."""
    parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"\nfuzz: {FIGURES['inputs']} inputs ({FIGURES['refused']} refused, {FIGURES['read']} read), slowest "
        f"{FIGURES['slowest']:.2f} s, peak memory {parent_kb // 1000} MB (importing process), "
        f"{FIGURES['reader_peak_kb'] // 1000} MB (reader process)"
    )
    assert FIGURES["inputs"] == 0 or FIGURES["slowest"] < SECONDS_PER_FILE
