"""Reading an untrusted file in a child process with a memory cap and a time limit: only the tables come back.

A file someone uploads can defeat a parser: a 5 KB workbook can ask the spreadsheet library for hundreds of
gigabytes, and when a Rust library fails to allocate it aborts the whole process, which in session mode is
every visitor's data. So every file is parsed in a child process of its own:

* **A fresh interpreter** (``python -m analytics.spreadsheets.sandbox``, started by :mod:`subprocess`: fork
  and exec at once, the way multiprocessing's ``spawn`` context starts one). Nothing of the parent is
  inherited: no DuckDB connection, no Streamlit thread, and none of the parent's main script is run again
  (which ``spawn`` would do for ``streamlit`` or ``career-fit``, at a cost of a second or more per file).
* **Bounded**: the child caps its own address space (``RLIMIT_AS``, :data:`READ_MEMORY_BYTES`) and CPU time
  before it reads a byte; the parent kills it when one file takes more than :data:`READ_SECONDS`. Whatever
  happens in there (an abort, a crash, running out of memory), the parent gets one line and carries on.
* **Only data comes back**: the child writes the tables as plain lists, strings and numbers (pickled, and
  unpickled by a loader that refuses any class), so not even a compromised child can run code in the
  parent; the parent rebuilds :class:`~.tables.Table` and :class:`~.tables.Problem` from them.
* **Cheap**: a child imports only the readers (no DuckDB, pandas or Streamlit), about 0.08 s to start, and
  reads file after file (up to :data:`FILES_PER_CHILD`, or until it reads a large one); idle children are
  kept for the next file, so an ordinary file costs a few milliseconds more than reading it in-process.
* **A few at once, for the whole server** (:data:`READING_CHILDREN`): a child reads only while it holds one
  of a few reading slots shared by every visitor, so a crowd of uploads (each child may take
  :data:`READ_MEMORY_BYTES`) waits its turn instead of taking the machine's memory together. A file that
  finds no free slot within :data:`QUEUE_SECONDS` is refused with one line ("busy: try again"), as a
  :class:`~analytics.errors.BusyError`.
* **Two at once for a large workbook** (:data:`PARTS`), when two slots are free: each child reads some of its
  sheets (a saved workbook's ratings sheet is as large as all its others together) while the parent waits.
  When a part finds a problem, the workbook is read again whole, so that the problem is worded exactly as ever.
* **Except a small CSV** (at most :data:`IN_PROCESS_CSV_BYTES`): Python's own ``csv`` module reads it in this
  process, with the same bounds and the same one-line answers. No native library touches it, nothing in it
  expands (unlike an .xlsx, a zip of XML), and its reading is bounded by its few kilobytes in time and memory;
  starting a child would cost more than the whole import of one interview from the command line.
"""

from __future__ import annotations

import atexit
import gc
import io
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import BusyError, InvalidInputError
from .tables import CSV_SUFFIXES, XLSX_SUFFIXES, CellError, Limits, Problem, Table, size_text

READ_MEMORY_BYTES = 2 * 1000 * 1000 * 1000
READ_SECONDS = 120.0
IN_PROCESS_CSV_BYTES = 64 * 1000


def read_file(
    path: Path,
    name: str,
    *,
    sheet: str | None = None,
    exact: bool = False,
    bounds: Limits | None = None,
    arrived: Arrived | None = None,
) -> list[Table]:
    """The tables of the file at ``path`` (called ``name`` for the user), read in a bounded child process.

    ``arrived``, when given, may be handed some of the tables early, while the rest are still being read
    (a large workbook read in parts: see :func:`_read_in_parts`); every table is returned all the same.
    Raises :class:`InvalidInputError` with one line when the file cannot be read, whatever the reason.
    """
    request = _request(path, name, sheet=sheet, exact=exact, bounds=bounds)
    if _small_csv(path, name):
        status, payload = _answer(request)
        if status == "ok":
            return [_table(plain) for plain in payload]
        raise InvalidInputError(_too_big(name) if status == "memory" else [str(line) for line in payload])
    if _in_parts(path, request):
        tables = _read_in_parts(path, request, arrived)
        if tables is not None:
            return tables
        # A part found a problem (or no table): the workbook is read whole, which words it exactly as ever.
    worker = _claim_prefetched(request)
    asked = worker is not None
    if worker is None:
        worker = _take_worker()
    try:
        if not asked:
            worker.send(pickle.dumps(request))
    except _Busy:
        _give_back(worker, path)
        raise BusyError(_busy(name)) from None
    except OSError as failure:
        raise _unanswered(worker, failure, name) from None
    status, payload = _answer_of(worker, path, name)
    if status == "ok":
        with paused_gc():
            return [_table(plain) for plain in payload]
    raise InvalidInputError([str(line) for line in payload])


def _answer_of(worker: _Worker, path: Path, name: str) -> tuple[str, Any]:
    """The child's answer to the request sent last: its status and payload, loaded as data only, the child kept
    for the next file. Raises :class:`InvalidInputError` with one line when it gave none."""
    try:
        output = worker.answer(READ_SECONDS)
    except (TimeoutError, OSError) as failure:
        raise _unanswered(worker, failure, name) from None
    with paused_gc():
        result = _load(output)
    if not isinstance(result, tuple) or len(result) != 2 or result[0] == "memory":
        worker.stop()
        raise InvalidInputError(_too_big(name))
    _give_back(worker, path)
    return result


def _unanswered(worker: _Worker, failure: Exception, name: str) -> InvalidInputError:
    """Stop a child that gave no answer, and say why in one line: it ran out of time (``TimeoutError``, or its
    CPU limit), or it ended without one (out of memory, aborted or crashed)."""
    returncode = worker.stop()
    timed_out = isinstance(failure, TimeoutError) or returncode == -signal.SIGXCPU
    return InvalidInputError(_too_long(name) if timed_out else _too_big(name))


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a block builds many objects and no reference cycles (the tables
    of a file, unpickled): otherwise it passes over them again and again as they accumulate, which costs
    more than building them. Blocks may overlap, in several threads: it runs again when the last one ends."""
    global _pauses, _collecting
    with _pause_lock:
        _pauses += 1
        if _pauses == 1:
            _collecting = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collecting:
                gc.enable()


_pause_lock = threading.Lock()
_pauses = 0
_collecting = True


def prefetch(path: Path, name: str, *, sheet: str | None = None) -> None:
    """Start reading the file at ``path`` in a child now, for :func:`read_file` to collect with the same
    arguments: the command line asks for its file before it loads DuckDB and opens the store, so that the
    child reads while the parent does that. Nothing happens for a file read in-process, or when no child
    can start (:func:`read_file` then says why); a prefetch never collected is stopped at exit."""
    if _small_csv(path, name) or not path.is_file():
        return
    request = _request(path, name, sheet=sheet, exact=False, bounds=None)
    for asked in _parts(request) if _in_parts(path, request) else [request]:
        try:
            worker = _take_worker()
        except InvalidInputError:
            return
        try:
            worker.send(pickle.dumps(asked), wait=False)  # (no free slot: read_file waits for one instead)
        except _Busy:
            _give_back(worker, path)
            return
        except OSError:
            worker.stop()
            return
        with _idle_lock:
            _prefetched.append((asked, worker))


def forget_prefetched() -> None:
    """Stop the children still reading a prefetched file nobody collected (the import failed before it)."""
    with _idle_lock:
        workers = [worker for _, worker in _prefetched]
        _prefetched.clear()
    for worker in workers:
        worker.stop()


def _claim_prefetched(request: dict[str, Any]) -> _Worker | None:
    """The child already asked for exactly this ``request`` by :func:`prefetch`, if any."""
    with _idle_lock:
        for position, (asked, worker) in enumerate(_prefetched):
            if asked == request:
                del _prefetched[position]
                return worker
    return None


# A workbook this large, read whole, is read by this many children at once, each taking some of its sheets
# (dealt out by size: see xlsx_reader.read_xlsx_part); the parent waits for the file anyway, and a saved
# workbook's ratings sheet is as large as all its other sheets together. A smaller one is not worth a
# second child's start.
PARTS = 2
PARTS_BYTES = 256 * 1000


def _in_parts(path: Path, request: dict[str, Any]) -> bool:
    if request["sheet"] is not None or Path(request["name"]).suffix.lower() not in XLSX_SUFFIXES:
        return False
    try:
        return path.stat().st_size >= PARTS_BYTES
    except OSError:
        return False


def _parts(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**request, "part": [part, PARTS]} for part in range(PARTS)]


def _read_in_parts(path: Path, request: dict[str, Any], arrived: Arrived | None = None) -> list[Table] | None:
    """A workbook's tables read by :data:`PARTS` children at once, in the workbook's order; None when a part
    found a problem or the workbook holds no table (the caller then reads it whole, for the exact words).
    Running out of time or memory is said at once, as for a whole read.

    Each part is taken as soon as it is ready (the small sheets' part long before the ratings sheet's), and
    ``arrived`` is given its tables while another part is still being read: the caller's work on them (the
    importer checks its contacts and interviews) overlaps the reading instead of following it. The tables
    returned are the very objects ``arrived`` saw."""
    name = request["name"]
    workers: list[_Worker] = []
    waited = False  # whether the part sent last waited for its slot (the first part does)
    try:
        for asked in _parts(request):
            worker = _claim_prefetched(asked)
            if worker is None:
                worker = _take_worker()
                # the first part waits its turn; a further part reads only with a slot free at once (else the
                # workbook is read whole, by one child)
                waited = not workers
                workers.append(worker)
                worker.send(pickle.dumps(asked), wait=waited)
            else:
                workers.append(worker)
    except (_Busy, OSError, InvalidInputError) as failure:
        for worker in workers:
            worker.stop()
        if isinstance(failure, _Busy) and waited:  # (no slot for the first part: none for the whole either)
            raise BusyError(_busy(name)) from None
        return None
    placed: list[tuple[int, Table]] = []
    whole = True
    pending = list(workers)
    with paused_gc():
        try:
            while pending:
                worker = _first_answering(pending)
                pending.remove(worker)
                result = _answer_of(worker, path, name)
                if result[0] != "ok":
                    whole = False
                    continue
                tables = [(int(plain["position"]), _table(plain)) for plain in result[1]]
                placed += tables
                if arrived is not None and pending and whole and tables:
                    arrived([table for _, table in tables])
        finally:  # (a part that failed, or ``arrived`` raising: the children still reading are stopped)
            for other in pending:
                other.stop()
    if not whole or not placed:
        return None
    return [table for _, table in sorted(placed, key=lambda item: item[0])]


Arrived = Callable[[list[Table]], None]


def _first_answering(pending: list[_Worker]) -> _Worker:
    """The first of ``pending`` to have its answer ready (or, when the time given to the one asked earliest
    runs out first, that one: its :meth:`_Worker.answer` then says so)."""
    earliest = min(pending, key=lambda worker: worker.asked_at)
    streams = {worker.stream(): worker for worker in pending}
    remaining = earliest.asked_at + READ_SECONDS - time.monotonic()
    if remaining <= 0:
        return earliest
    ready = select.select(list(streams), [], [], remaining)[0]
    return streams[ready[0]] if ready else earliest


def _request(path: Path, name: str, *, sheet: str | None, exact: bool, bounds: Limits | None) -> dict[str, Any]:
    return {
        "path": str(path),
        "name": name,
        "sheet": sheet,
        "exact": exact,
        "bounds": asdict(bounds or Limits.current()),
    }


def _small_csv(path: Path, name: str) -> bool:
    """A file small enough, and plain enough (a CSV), to read in this process (see the module's docstring)."""
    if Path(name).suffix.lower() not in CSV_SUFFIXES:
        return False
    try:
        return path.stat().st_size <= IN_PROCESS_CSV_BYTES
    except OSError:
        return False


def _too_long(name: str) -> str:
    return (
        f"{name}: reading it took longer than the {READ_SECONDS:.0f} seconds Career Fit gives one file: "
        "split it into smaller files"
    )


def _busy(name: str) -> str:
    return (
        f"{name}: Career Fit is busy reading other files just now (for {QUEUE_SECONDS:.0f} seconds): "
        "try again in a minute"
    )


def _too_big(name: str) -> str:
    return (
        f"{name}: the file could not be read: it needs more than the {size_text(READ_MEMORY_BYTES)} of memory "
        "Career Fit gives one file, or it is damaged (split it, or save it again from your spreadsheet program)"
    )


# -- the children --------------------------------------------------------------------------------------------

# A child reads files one after another until it has read this many, or one this large (whose memory it
# may keep): then it is replaced by a fresh one.
FILES_PER_CHILD = 100
LARGE_FILE_BYTES = 20 * 1000 * 1000
_IDLE_CHILDREN = 2
# At most this many children read at once in this process, whoever asked (a server: every visitor); a file
# waits this long for its turn.
READING_CHILDREN = 2
QUEUE_SECONDS = 60.0
_reading_slots = threading.BoundedSemaphore(READING_CHILDREN)


class _Busy(Exception):
    """No reading slot came free in time (see :data:`READING_CHILDREN`)."""


class _Worker:
    """One child process and its pipes; requests and answers are length-prefixed pickles."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analytics.spreadsheets.sandbox", str(READ_MEMORY_BYTES), str(READ_SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=str(Path(__file__).resolve().parents[2]),  # where ``analytics`` imports from, whatever the cwd
            close_fds=True,
        )
        self.served = 0
        self.asked_at = time.monotonic()
        self.reading = False  # holds a reading slot: asked, its answer not read yet

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: bytes, *, wait: bool = True) -> None:
        """Send one request (its answer is read by :meth:`answer`), once this child holds a reading slot
        (:class:`_Busy` when none came free within :data:`QUEUE_SECONDS`, or at once unless ``wait``);
        OSError if the child is gone."""
        assert self.process.stdin is not None
        if not self.reading:
            free = _reading_slots.acquire(timeout=QUEUE_SECONDS) if wait else _reading_slots.acquire(blocking=False)
            if not free:
                raise _Busy
            self.reading = True
        self.served += 1
        self.process.stdin.write(struct.pack("<Q", len(request)) + request)
        self.process.stdin.flush()
        self.asked_at = time.monotonic()

    def stream(self) -> int:
        """The descriptor the child's answers come on (for :func:`select.select`)."""
        assert self.process.stdout is not None
        return self.process.stdout.fileno()

    def answer(self, seconds: float) -> bytes:
        """The answer to the request sent last: TimeoutError ``seconds`` after it was sent, OSError if the
        child died."""
        assert self.process.stdout is not None
        deadline = self.asked_at + seconds
        size = struct.unpack("<Q", self._read(8, deadline))[0]
        output = self._read(size, deadline)
        self._free_slot()
        return output

    def _free_slot(self) -> None:
        if self.reading:
            self.reading = False
            _reading_slots.release()

    def _read(self, size: int, deadline: float) -> bytes:
        stream = self.stream()
        chunks: list[bytes] = []
        left = size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(stream, min(left, 1 << 20))
            if not chunk:
                raise OSError("the reader ended")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> int | None:
        self._free_slot()
        if self.alive():
            self.process.kill()
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        return self.process.wait()


_idle: list[_Worker] = []
_prefetched: list[tuple[dict[str, Any], _Worker]] = []  # asked by prefetch(), not yet collected by read_file()
_idle_lock = threading.Lock()


def _take_worker() -> _Worker:
    with _idle_lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive():
                return worker
    try:
        return _Worker()
    except OSError as error:
        raise InvalidInputError(f"cannot start the process that reads files ({error.strerror or error})") from None


def _give_back(worker: _Worker, path: Path) -> None:
    """Keep a child for the next file, unless it has read enough (or a large file) to be replaced."""
    try:
        large = path.stat().st_size >= LARGE_FILE_BYTES
    except OSError:
        large = True
    with _idle_lock:
        if worker.alive() and not large and worker.served < FILES_PER_CHILD and len(_idle) < _IDLE_CHILDREN:
            _idle.append(worker)
            return
    worker.stop()


@atexit.register
def _stop_all() -> None:
    with _idle_lock:
        workers = list(_idle) + [worker for _, worker in _prefetched]
        _idle.clear()
        _prefetched.clear()
    for worker in workers:
        worker.stop()


class _DataOnly(pickle.Unpickler):
    """Unpickles lists, tuples, dicts, strings and numbers; refuses every class (so no code can run)."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}")


def _load(output: bytes) -> object:
    try:
        return _DataOnly(io.BytesIO(output)).load()
    except Exception:
        return None


def _plain(table: Table) -> dict[str, Any]:
    """A table as plain data, its cells sent column by column: one list per column pickles and unpickles far
    quicker than a list per row (and a text repeated down a column, one object in the table, is sent once)."""
    columns: list[list[str | None]] = [[] for _ in table.header]
    if table.rows:
        columns = [list(column) for column in zip(*(cells for _, cells in table.rows), strict=True)]
    if any(CellError in map(type, column) for column in columns):  # (already a problem): sent as plain text
        columns = [[None if cell is None else str(cell) for cell in column] for column in columns]
    return {
        "name": table.name,
        "header": [str(label) for label in table.header],
        "header_row": table.header_row,
        "numbers": [number for number, _ in table.rows],
        "columns": columns,
        "problems": [(p.row, p.column, p.message, p.sheet) for p in table.problems],
        "csv_path": table.csv_path,
        "delimiter": table.delimiter,
        "from_csv": table.from_csv,
        "records": table.records,
        "field_chars": table.field_chars,
    }


def _table(plain: dict[str, Any]) -> Table:
    plain.pop("position", None)
    problems = [Problem(*fields) for fields in plain.pop("problems")]
    numbers, columns = plain.pop("numbers"), plain.pop("columns")
    rows = [(number, list(cells)) for number, cells in zip(numbers, zip(*columns, strict=True), strict=True)]
    return Table(**plain, rows=rows, problems=problems)


def _answer(request: dict[str, Any]) -> tuple[str, Any]:
    """Read the file a request names: ("ok", plain tables), ("error", lines) or ("memory", None)."""
    from .reading import read_part, read_path

    name = request["name"]
    try:
        if request.get("part") is not None:
            part, parts = request["part"]
            placed = read_part(Path(request["path"]), name, (part, parts), bounds=Limits(**request["bounds"]))
            return ("ok", [{**_plain(table), "position": position} for position, table in placed])
        tables = read_path(
            Path(request["path"]),
            name,
            sheet=request["sheet"],
            exact=request["exact"],
            bounds=Limits(**request["bounds"]),
        )
        return ("ok", [_plain(table) for table in tables])
    except InvalidInputError as error:
        return ("error", error.problems)
    except MemoryError:
        return ("memory", None)
    except RecursionError:
        return ("error", [f"{name}: the file is nested too deeply to read (it is damaged)"])
    except Exception as error:  # a reader's own failure: one line, never a traceback
        return ("error", [f"{name}: the file could not be read ({type(error).__name__})"])


def _serve(memory: int, seconds: int) -> None:
    """The child: cap memory and CPU, then read files as the parent asks, one answer per request."""
    import resource

    import python_calamine  # noqa: F401  (loaded before the cap: the cap is for what a file makes us build)

    from . import reading  # noqa: F401  (the readers, loaded before the cap too)

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    # Reading builds hundreds of thousands of small objects and no reference cycles to speak of: the cycle
    # collector, which would pass over them again and again as they accumulate, runs once after each answer.
    gc.disable()
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = requests.read(8)
        if len(head) < 8:
            return
        request = pickle.loads(requests.read(struct.unpack("<Q", head)[0]))  # from the parent that started us
        result = _answer(request)
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        del result
        answers.write(struct.pack("<Q", len(data)) + data)
        answers.flush()
        del data
        gc.collect()  # (while the parent works on the answer)


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(float(sys.argv[2])))
