"""The ``career-fit`` command: the engine for batch work, scripts and tests, without the app.

Exit codes: 0 success; 2 invalid input (one line per problem on stderr, nothing written); 1 any other
failure (one line on stderr). No traceback ever reaches the user. Heavy modules (pandas, scikit-learn)
are imported only by the subcommands that need them, so ``rank`` stays quick on a large store.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from .errors import CareerFitError, InvalidInputError
from .numbers import chance_text, shown, shown_text

if TYPE_CHECKING:
    from .store import Store

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="career-fit",
        description="Score careers from your informational interviews.",
    )
    parser.add_argument("--db", help="the DuckDB store (default: $CAREER_FIT_DB, then a per-user data file)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    importer = commands.add_parser("import", help="import a .csv or .xlsx of ratings, criteria or a workbook")
    importer.add_argument("file")
    importer.add_argument(
        "--scale",
        choices=("1-5", "1-10", "0-100"),
        default="1-5",
        help="the scale the file's ratings are on (default 1-5)",
    )
    importer.add_argument("--sheet", help="read only this sheet of an .xlsx")
    importer.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows and list the rest on stderr"
    )
    importer.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    importer.add_argument(
        "--thanked",
        action="store_true",
        help="the interviews the file creates were thanked already (no thank-you reminders)",
    )

    ranker = commands.add_parser("rank", help="rank careers by fit")
    ranker.add_argument("--json", action="store_true", help="print JSON instead of a table")

    nexter = commands.add_parser("next", help="which careers to investigate next, and what to ask")
    nexter.add_argument("--json", action="store_true", help="print JSON instead of text")
    nexter.add_argument("--limit", type=_positive_int, default=None, help="show at most N careers")

    reminders = commands.add_parser("reminders", help="thank-yous, follow-ups and upcoming interviews")
    reminders.add_argument("--json", action="store_true", help="print JSON instead of text")
    reminders.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")

    exporter = commands.add_parser("export", help="export everything as an .xlsx workbook (or the ratings as .csv)")
    exporter.add_argument("file", help="FILE.xlsx: the full workbook; FILE.csv: every rating, long")
    exporter.add_argument(
        "--template", action="store_true", help="write a template .xlsx to fill in, with your criteria as 1-5 columns"
    )

    commands.add_parser("demo", help="replace the store's contents with the demo data")

    onet = commands.add_parser("onet", help="O*NET occupations (search)")
    onet_commands = onet.add_subparsers(dest="onet_command", required=True, metavar="COMMAND")
    searcher = onet_commands.add_parser("search", help="find O*NET occupations by title, best match first")
    searcher.add_argument("text", help="what the job is called, e.g. 'UX researcher'")
    searcher.add_argument("--json", action="store_true", help="print JSON instead of a table")
    searcher.add_argument("--limit", type=_positive_int, default=10, help="show at most N (default 10)")

    linker = commands.add_parser("link", help="link a career to an O*NET occupation (adds the career if missing)")
    linker.add_argument("career", help="the career's name on your list")
    linker.add_argument("code", help="the O*NET-SOC code, e.g. 15-1255.00 (see: career-fit onet search)")

    discoverer = commands.add_parser("discover", help="O*NET occupations ranked by fit to your profile")
    discoverer.add_argument("--json", action="store_true", help="print JSON instead of a table")
    discoverer.add_argument("--limit", type=_positive_int, default=None, help="show at most N (default 20 as text)")
    discoverer.add_argument(
        "--zone",
        type=int,
        choices=range(1, 6),
        metavar="1-5",
        help="only this job zone (1 little preparation ... 5 extensive)",
    )
    discoverer.add_argument("--family", help="only this career family (its name, a unique part of it, or its id)")
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def write_json_array(items: Sequence[object], out: TextIO) -> None:
    """A JSON array with one object per line: readable, and written by the fast C encoder."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for all lines (json.dumps makes one each)
    lines = [encode(item) for item in items]
    out.write("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n")


def _fmt(value: float | None) -> str:
    return shown_text(value)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    """An aligned plain-text table; columns in ``right`` are right-aligned (numbers)."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def cmd_rank(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from .beliefs import assess, sensitivity

    assessment = assess(store)
    if args.json:
        write_json_array(assessment.as_json(), out)
        return EXIT_OK
    scores = assessment.scores
    if not scores:
        out.write("No careers yet: import ratings (career-fit import FILE) or load the demo (career-fit demo).\n")
        return EXIT_OK
    headers = [
        "#",
        "career",
        "fit",
        "band",
        "chance best",
        "evidence",
        "expected",
        "interviews",
        "coverage",
        "interest",
        "skill",
        "value",
    ]
    rows = []
    for position, s in enumerate(scores, start=1):
        rows.append(
            [
                str(position) if s.fit is not None else "-",
                s.career + ("" if s.interviews or s.fit is None else f" ({s.basis})"),
                _fmt(s.fit),
                f"{shown(s.low)}-{shown(s.high)}" if s.low is not None and s.high is not None else "-",
                chance_text(s.p_best),
                _fmt(s.evidence_fit),
                _fmt(s.expected_fit),
                str(s.interviews),
                f"{shown(100 * s.coverage)}%",
                *(_fmt(s.dimensions.get(d)) for d in ("interest", "skill", "value")),
            ]
        )
    out.write(format_table(headers, rows, right={0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}) + "\n")
    out.write(
        "fit: the estimate on 0-100, from interviews, your expectations and O*NET; band: about 90% range;\n"
        "evidence: interview ratings alone; chance best: that this career is truly the best on the list.\n"
    )
    verdict = sensitivity(assessment)
    if verdict is not None:
        out.write(verdict.sentence + "\n")
    return EXIT_OK


def cmd_next(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from .recommend import investigate_next

    entries = investigate_next(store, limit=args.limit)
    if args.json:
        write_json_array([e.as_json() for e in entries], out)
        return EXIT_OK
    if not entries:
        out.write("No careers yet: import ratings or load the demo (career-fit demo).\n")
        return EXIT_OK
    for position, entry in enumerate(entries, start=1):
        group = f", group: {entry.cluster}" if entry.cluster else ""
        out.write(f"{position}. {entry.career}  (priority {entry.priority:.2f}{group})\n   {entry.reason}\n")
        for question in entry.questions:
            out.write(f"   - {question}\n")
    out.write("priority: fit points one more interview is expected to add to your best option.\n")
    return EXIT_OK


def cmd_reminders(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from datetime import date

    from .pipeline import reminders

    today = date.today()
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise InvalidInputError(f"--today {args.today!r} is not a date (use YYYY-MM-DD)") from None
    items = reminders(store, today=today)
    if args.json:
        write_json_array([item.as_json() for item in items], out)
        return EXIT_OK
    if not items:
        out.write("Nothing due: no thank-yous, follow-ups or interviews in the next week.\n")
    for item in items:
        out.write(f"{item.due.isoformat()}  {item.kind:<10}  {item.message}\n")
    return EXIT_OK


def cmd_import(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from .spreadsheets.ingest import import_file

    report = import_file(
        store,
        args.file,
        scale=args.scale,
        skip_invalid=args.skip_invalid,
        dry_run=args.dry_run,
        sheet=args.sheet,
        thanked=args.thanked,
    )
    for line in report.summary_lines():
        out.write(line + "\n")
    for problem in report.skipped:
        line = f"skipped {problem}" if problem.row is not None else str(problem)
        sys.stderr.write(terminal_text(line) + "\n")
    return EXIT_OK


def cmd_export(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from .spreadsheets.export import export_file

    path = export_file(store, args.file, template=args.template)
    out.write(f"wrote {path}\n")
    return EXIT_OK


def cmd_demo(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from .demo import load_demo

    load_demo(store)
    counts = store.counts()
    out.write(
        f"loaded the demo into {store.path}: {counts['careers']} careers, {counts['interviews']} interviews, "
        f"{counts['ratings']} ratings, {counts['expectations']} expectations\n"
    )
    return EXIT_OK


def cmd_onet_search(args: argparse.Namespace, out: TextIO) -> int:
    from .onet.search import search

    hits = search(args.text, limit=args.limit)
    if args.json:
        write_json_array([hit.as_json() for hit in hits], out)
        return EXIT_OK
    if not hits:
        out.write(f"No O*NET occupation matches {args.text!r}.\n")
        return EXIT_OK
    rows = [[hit.code, hit.title, "" if hit.matched == hit.title else hit.matched] for hit in hits]
    out.write(format_table(["code", "title", "matched"], rows, right=set()) + "\n")
    return EXIT_OK


def cmd_link(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from .onet import occupation_title
    from .onet.link import checked_code, link_career

    code = checked_code(args.code)
    known = {c.name.casefold() for c in store.careers()}
    link_career(store, args.career, code)
    added = "" if args.career.strip().casefold() in known else " (added to your list)"
    out.write(f"linked {args.career.strip()}{added} to {code} {occupation_title(code)}\n")
    return EXIT_OK


def cmd_discover(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from .onet import ATTRIBUTION
    from .onet.discover import discover

    limit = args.limit if args.limit is not None or args.json else 20
    found = discover(
        store.criteria(), store.dimension_weights(), store.careers(), zone=args.zone, family=args.family, limit=limit
    )
    if args.json:
        write_json_array([d.as_json() for d in found], out)
        return EXIT_OK
    if not found:
        out.write(
            "Nothing to show: link criteria of your profile to O*NET elements (the default profile is "
            "linked), or loosen --zone/--family.\n"
        )
    for position, d in enumerate(found, start=1):
        mark = "  [on your list]" if d.on_list else ""
        out.write(
            f"{position}. {d.title} ({d.code})  fit {shown_text(d.fit)}, job zone {d.job_zone or '-'}, "
            f"family {d.family}{mark}\n"
        )
        for reason in d.reasons:
            out.write(f"   - {reason}\n")
        if d.related:
            out.write(f"   - related to {', '.join(d.related)} on your list\n")
    out.write(f"fit on 0-100 from O*NET alone. {ATTRIBUTION}\n")
    return EXIT_OK


COMMANDS: dict[str, Callable[[Store, argparse.Namespace, TextIO], int]] = {
    "rank": cmd_rank,
    "next": cmd_next,
    "reminders": cmd_reminders,
    "import": cmd_import,
    "export": cmd_export,
    "demo": cmd_demo,
    "link": cmd_link,
    "discover": cmd_discover,
}
# Commands that only read the store: they open it read-only (a missing store reads as an empty one).
READ_ONLY = frozenset({"rank", "next", "export", "reminders"})
# Commands that read only the packaged O*NET data: they work while the app holds the store.
STORELESS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {"onet": cmd_onet_search}


# What a terminal would act on instead of showing: control characters (ESC starts colour and cursor codes),
# and the bidirectional overrides that reorder a line. Text from the store is printed with them escaped.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """``text`` safe to print: control and bidi-override characters shown as ``\\x1b``-style escapes."""
    return _UNPRINTABLE.sub(
        lambda match: f"\\x{ord(match.group(0)):02x}" if ord(match.group(0)) < 256 else f"\\u{ord(match.group(0)):04x}",
        text,
    )


class _Terminal:
    """A text stream that escapes what a terminal would act on (see :func:`terminal_text`)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_text(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# A file this small writes a few rows: DuckDB then does its work on one thread, since starting and
# synchronising a pool of them costs more than they save (some 10 to 20 ms of a 0.2 s import).
_ONE_THREAD_BYTES = 64 * 1000


def _small_file(file: str) -> bool:
    try:
        return Path(file).expanduser().stat().st_size <= _ONE_THREAD_BYTES
    except OSError:
        return False


def _prefetch(file: str, sheet: str | None) -> None:
    """Have a child start reading the file to import while this process loads DuckDB and opens the store
    (:func:`analytics.spreadsheets.sandbox.prefetch`; the import collects it by the same path and sheet)."""
    from .spreadsheets.reading import prefetch_path

    prefetch_path(Path(file), sheet=sheet)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code (the console script exits with it)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse already printed a usage line
        return int(exit_.code or 0) and EXIT_INVALID
    # numpy's OpenBLAS starts a thread per core that spins while numpy loads (some 25 ms of CPU a run) and never
    # pays back here: the belief model's matrices have one row per criterion. One thread, unless the user chose.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        out = cast(TextIO, _Terminal(sys.stdout))
        if args.command in STORELESS:
            return STORELESS[args.command](args, out)
        threads = None
        if args.command == "import":
            _prefetch(args.file, args.sheet)
            threads = 1 if _small_file(args.file) else None
        from .store import Store, resolve_db_path  # (DuckDB loads here, while a prefetched file is read)

        try:
            with Store(resolve_db_path(args.db), read_only=args.command in READ_ONLY, threads=threads) as store:
                return COMMANDS[args.command](store, args, out)
        finally:
            if args.command == "import":
                from .spreadsheets.reading import forget_prefetched

                forget_prefetched()
    except InvalidInputError as error:
        for problem in error.problems:
            sys.stderr.write(f"{terminal_text(problem)}\n")
        return EXIT_INVALID
    except CareerFitError as error:
        sys.stderr.write(f"career-fit: {terminal_text(str(error))}\n")
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("career-fit: interrupted\n")
        return 130
    except Exception as error:  # the promise is: never a traceback
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        sys.stderr.write(f"career-fit: unexpected error: {detail}\n")
        return EXIT_FAILURE


def run() -> None:
    """The ``career-fit`` console script: :func:`main` as a process of its own.

    A command is a short process (most well under a second; a first import of a million ratings, a few
    seconds). Python's cycle collector would walk the objects the imports made (numpy's, DuckDB's) again and
    again while it runs, and all of them once more at exit, and find nothing to free: the commands close the
    store and their files themselves, and an import builds its tables without reference cycles (see
    :func:`analytics.spreadsheets.sandbox.paused_gc`). So the process runs without it, and what it made is set
    aside before the interpreter's final collection.
    """
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
