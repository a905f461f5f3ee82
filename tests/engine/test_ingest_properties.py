"""Properties (hypothesis): no input crashes the importer or half-writes; imports are idempotent; exports
round-trip whatever text the store holds."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.errors import CareerFitError, InvalidInputError
from analytics.spreadsheets.export import ratings_csv_bytes, workbook_bytes
from analytics.spreadsheets.ingest import import_bytes, preview_bytes
from analytics.store import Store, name_key
from tests.support.ingest_fixtures import csv_bytes, snapshot, xlsx_bytes

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
SLOW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

STORE = Store(":memory:")  # shared by the examples: each compares the store before and after itself

LAYOUTS = [  # (columns, the ones always kept)
    (
        ["career", "interviewee", "date", "criterion", "rating", "source", "dimension", "organisation"],
        {"career", "criterion", "rating"},
    ),
    (["Career", "Interviewee", "Date", "Pay", "Hours", "social", "Source"], {"Career", "Pay"}),
    (["criterion", "dimension", "weight", "description"], {"criterion", "weight"}),
    (["name", "role", "email"], {"name", "role"}),
]


def some_of(layout: tuple[list[str], set[str]]) -> st.SearchStrategy[list[str]]:
    columns, kept = layout
    return st.lists(st.booleans(), min_size=len(columns), max_size=len(columns)).flatmap(
        lambda keep: st.permutations([c for c, k in zip(columns, keep, strict=True) if k or c in kept])
    )


WORDS = st.sampled_from(
    [
        "Nurse",
        "nurse ",
        "Pilot",
        "Ann",
        "ann",
        "Bo",
        "Pay",
        "Social",
        "Writing",
        "interest",
        "value",
        "hobby",
        "expectation",
        "interview",
        "2025-01-02",
        "02/01/2025",
        "03/25/2025",
        "31/02/2025",
        "45659",
        "1",
        "3",
        "4",
        "5",
        "1.5",
        "4,5",
        "9",
        "-1",
        "abc",
        "",
        " ",
        "=1+1",
        "'=2",
        "Café",
        "TRUE",
    ]
)
CELLS = st.one_of(
    st.none(),
    WORDS,
    WORDS,
    WORDS,
    st.integers(-5, 120),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
)
HEADER = st.one_of(
    st.sampled_from(LAYOUTS).flatmap(some_of),
    st.sampled_from(LAYOUTS).flatmap(some_of),
    st.lists(
        st.one_of(st.sampled_from(["career", "criterion", "rating", "Pay", "", "score", "date"]), st.text(max_size=6)),
        min_size=1,
        max_size=6,
    ),
)
RATING = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "4.5", "", "3,5"]), st.integers(1, 5))
BY_COLUMN = {
    "career": st.sampled_from(["Nurse", "nurse ", "Pilot", "", "Café"]),
    "interviewee": st.sampled_from(["Ann", "ann", "Bo", ""]),
    "name": st.sampled_from(["Ann", "ann", "Bo", ""]),
    "date": st.sampled_from(["2025-01-02", "02/01/2025", "45659", "", "2025-01-09"]),
    "criterion": st.sampled_from(["Pay", "Social", "Writing", "pay", ""]),
    "rating": RATING,
    "pay": RATING,
    "hours": RATING,
    "social": RATING,
    "source": st.sampled_from(["", "interview", "expectation", "Expectation"]),
    "dimension": st.sampled_from(["", "interest", "skill", "value"]),
    "weight": st.sampled_from(["0", "3", "5", "2.5", ""]),
}


def cell_for(header: object) -> st.SearchStrategy[object]:
    """Mostly a plausible value for the column, sometimes anything at all."""
    usual = BY_COLUMN.get(str(header).strip().casefold(), WORDS)
    return st.one_of(usual, usual, usual, CELLS)


TABLES = HEADER.flatmap(
    lambda header: st.tuples(
        st.just(header),
        st.lists(st.tuples(*(cell_for(h) for h in header)).map(list), min_size=1, max_size=8).flatmap(
            lambda rows: st.lists(st.lists(CELLS, max_size=9), max_size=2).map(lambda junk: rows + junk)
        ),
    )
)


def attempt(data: bytes, name: str, **options: object) -> None:
    """Import, checking the promise: a report, or a CareerFitError that wrote nothing."""
    before = snapshot(STORE, with_imports=True)
    try:
        report = import_bytes(STORE, data, name, **options)
    except CareerFitError as error:
        assert isinstance(error, InvalidInputError)
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)
        assert snapshot(STORE, with_imports=True) == before
        return
    assert report.summary_lines()
    if options.get("dry_run"):
        assert snapshot(STORE, with_imports=True) == before
        return
    after = snapshot(STORE)
    again = import_bytes(STORE, data, name, **options)  # importing the same file twice changes nothing
    assert (again.new_ratings, again.updated_ratings, again.new_careers, again.new_criteria) == (0, 0, 0, [])
    assert snapshot(STORE) == after
    assert all(1 <= r[-1] <= 5 for r in after["ratings"])


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in entries.items():
            archive.writestr(path, content)
    return buffer.getvalue()


@FAST
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(alphabet=st.sampled_from('ab,;\t\n\r" =5-/\x00é'), max_size=300).map(lambda t: t.encode()),
        st.binary(max_size=300).map(lambda b: b"career,criterion,rating\n" + b),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
        st.dictionaries(
            st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels"]),
            st.binary(max_size=80),
            max_size=4,
        ).map(zipped),
    ),
    suffix=st.sampled_from([".csv", ".xlsx", ".tsv", ".txt", ".xls", ".json", ""]),
    skip=st.booleans(),
)
def test_arbitrary_bytes_never_crash_or_half_write(data: bytes, suffix: str, skip: bool) -> None:
    attempt(data, f"upload{suffix}", skip_invalid=skip)


@FAST
@given(
    table=TABLES,
    form=st.sampled_from(["csv", "csv;", "tsv-cp1252", "xlsx"]),
    skip=st.booleans(),
    scale=st.sampled_from(["1-5", "1-10", "0-100"]),
    dry_run=st.booleans(),
)
def test_arbitrary_tables_never_crash_half_write_or_change_on_reimport(
    table: tuple[list, list], form: str, skip: bool, scale: str, dry_run: bool
) -> None:
    header, rows = table
    grid = [header, *rows]
    if form == "xlsx":
        clean = [
            [c if not isinstance(c, float) or (c == c and abs(c) != float("inf")) else str(c) for c in row]
            for row in grid
        ]
        data, name = xlsx_bytes({"Sheet1": clean}), "table.xlsx"
    elif form == "tsv-cp1252":
        text = csv_bytes(grid, delimiter="\t").decode()
        data, name = text.encode("cp1252", errors="replace"), "table.tsv"
    else:
        data, name = csv_bytes(grid, delimiter=form[3:] or ","), "table.csv"
    attempt(data, name, skip_invalid=skip, scale=scale, dry_run=dry_run)
    try:
        preview = preview_bytes(data, name, scale=scale, store=STORE)
    except InvalidInputError:
        return
    assert preview.kind and all(isinstance(str(p), str) for p in preview.problems)


# Any text but control characters, which an import refuses (see test_hostile_files.py); a line break or a
# tab is text.
PRINTED = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t")
NAME = st.text(PRINTED, min_size=1, max_size=12).filter(lambda s: bool(s.strip()))


@SLOW
@given(
    careers=st.lists(NAME, min_size=1, max_size=4, unique_by=name_key),
    criteria=st.lists(NAME, min_size=1, max_size=4, unique_by=name_key),
    people=st.lists(st.text(PRINTED, max_size=10), min_size=1, max_size=3),
    values=st.lists(st.floats(min_value=1, max_value=5, allow_nan=False), min_size=1, max_size=12),
)
def test_any_text_round_trips_through_the_workbook(
    careers: list[str], criteria: list[str], people: list[str], values: list[float]
) -> None:
    store = Store(":memory:", seed_defaults=False)
    criterion_ids = [
        store.add_criterion(n, ("interest", "skill", "value", None)[i % 4], 3, n) for i, n in enumerate(criteria)
    ]
    for i, value in enumerate(values):
        career = careers[i % len(careers)]
        person = people[i % len(people)]
        held_on = date(2025, 1, 1 + i % 3)
        criterion = criterion_ids[i % len(criterion_ids)]
        if i % 4 == 3:
            store.save_expectations(career, {criterion: value})
        else:
            store.save_interview(career, person, held_on, ratings={criterion: value}, notes=person)
    fresh = Store(":memory:")
    report = import_bytes(fresh, workbook_bytes(store), "export.xlsx")
    assert report.skipped == []
    assert snapshot(fresh) == snapshot(store)
    via_csv = Store(":memory:", seed_defaults=False)
    import_bytes(via_csv, ratings_csv_bytes(store), "ratings.csv")
    assert snapshot(via_csv)["ratings"] == snapshot(store)["ratings"]


TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x1a"), max_size=8)
CSV_CELLS = st.one_of(WORDS, RATING.map(str), TEXTS, st.sampled_from(["a,b", 'x"y', "line\nbreak", " ", ";"]))


PAIR = (Store(":memory:", seed_defaults=False), Store(":memory:", seed_defaults=False))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(
    rows=st.lists(st.lists(CSV_CELLS, min_size=5, max_size=5), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
def test_duckdb_fast_path_reads_csv_exactly_as_python(
    rows: list[list[str]], delimiter: str, newline: str, bom: bool
) -> None:
    """The fast path must give what the exact reader gives: the same data, or the same problems."""
    from unittest import mock

    from analytics.spreadsheets import tables as spreadsheets

    data = csv_bytes(
        [["career", "interviewee", "date", "criterion", "rating"], *rows],
        delimiter=delimiter,
        newline=newline,
        encoding="utf-8-sig" if bom else "utf-8",
    )
    outcomes = []
    for bound, store in zip((1, 10**9), PAIR, strict=True):
        store.reset(seed_defaults=False)
        with mock.patch.object(spreadsheets, "FAST_PATH_BYTES", bound):
            try:
                report = import_bytes(store, data, "same.csv", skip_invalid=True)
                outcomes.append((report.rows_read, [str(p) for p in report.skipped], snapshot(store)))
            except InvalidInputError as error:
                outcomes.append(error.problems)
    assert outcomes[0] == outcomes[1]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab é,;\t\n\r")), min_size=1, max_size=60),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_records_and_characters_of_a_quote_free_file_are_counted_as_the_csv_module_reads_them(
    text: str, delimiter: str
) -> None:
    """The fast path counts a quote-free file without reading it record by record: the same counts."""
    import csv

    from analytics.spreadsheets.csv_reader import _plain_lines, _unquoted_counts

    if not _plain_lines(text.encode("utf-8")):
        return  # the fast path only takes plain lines
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    assert _unquoted_counts(text, delimiter) == (len(records), sum(len("".join(r)) for r in records))


def test_a_quote_or_a_line_past_the_field_limit_is_left_to_the_csv_module() -> None:
    import csv

    from analytics.spreadsheets.csv_reader import _unquoted_counts

    assert _unquoted_counts('career,notes\nNurse,"a, b"\n', ",") is None
    assert _unquoted_counts("career,notes\nNurse," + "x" * csv.field_size_limit() + "\n", ",") is None
    assert _unquoted_counts("career,notes\nNurse,calm\n", ",") == (2, 20)
