"""Data: import a spreadsheet (preview, recognised columns, problems, then import), downloads, import history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from analytics.backup import (
    REASONS,
    backup_workbook,
    list_backups,
    make_backup,
    replace_from_workbook,
    restore_backup,
)
from analytics.errors import BusyError, CareerFitError, InvalidInputError
from analytics.spreadsheets import export, ingest
from analytics.spreadsheets.tables import size_text
from pages.support import cache
from pages.support.feedback import callback_action, flash, show_flashes
from pages.support.session import get_store, is_session_store, storage_label
from pages.support.text import md

UPLOAD_VERSION = "data_upload_version"
PROBLEMS_KEY = "data_import_problems"
REPLACE_KEY = "data_replace_all"
RESTORE_PICK = "data_backup_pick"
RESTORE_CONFIRM = "data_restore_confirm"
SCALES = ("1-5", "1-10", "0-100")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {
    "long": "ratings, one row per rating",
    "wide": "ratings, one row per interview",
    "criteria": "criteria (your profile)",
    "workbook": "a Career Fit workbook",
    "careers": "careers",
    "contacts": "contacts",
    "interviews": "interviews",
    "dimensions": "dimension weights",
}

store = get_store()
st.title("Data")
show_flashes()


def problem_table(problems: Iterable[Any]) -> pd.DataFrame:
    """Problems as the user sees them: the spreadsheet row (header = row 1), the column, what is wrong.

    The importer hands them over as objects (row, column, message, sheet); a problem without a place (the
    file as a whole) comes as one line of text.
    """
    rows = []
    for problem in problems:
        where = (
            {"message": problem}
            if isinstance(problem, str)
            else {k: getattr(problem, k, None) for k in ("sheet", "row", "column", "message")}
        )
        rows.append(
            {
                "Sheet": where.get("sheet") or "",
                "Row": int(row_number) if (row_number := where.get("row")) else None,
                "Column": where.get("column") or "",
                "Problem": where.get("message") or str(problem),
            }
        )
    table = pd.DataFrame(rows, columns=["Sheet", "Row", "Column", "Problem"]).astype({"Row": "Int64"})
    return table if table["Sheet"].astype(bool).any() else table.drop(columns="Sheet")


def problems_of(error: InvalidInputError) -> list[Any]:
    """The located problems of a refused import (objects), else its lines."""
    return list(getattr(error, "located", None) or error.problems)


def show_problems(problems: list[Any], title: str) -> None:
    st.error(title, icon=":material/error:")
    st.dataframe(
        problem_table(problems),
        hide_index=True,
        column_config={
            "Row": st.column_config.NumberColumn("Row", help="The row as your spreadsheet shows it (header = 1)"),
            "Problem": st.column_config.TextColumn("Problem", width="large"),
        },
    )


# -- import ---------------------------------------------------------------------------------------------------

st.subheader("Import a spreadsheet")
st.markdown(
    "Bring in ratings you keep in Excel or Google Sheets, a profile of criteria, or a whole Career Fit workbook. "
    "You see what was recognised and every problem **before** anything is written."
)
with st.expander("Which files work", icon=":material/help:"):
    st.markdown(
        "- **Ratings, one row per rating**: columns `career`, `criterion`, `rating`; optional `interviewee`, "
        "`date`, `dimension`, `source` (`interview` or `expectation`), `organisation`, `role`, `notes`, "
        "`thanked` (yes/no: the interview was thanked already).\n"
        "- **Ratings, one row per interview**: `career` and optional `interviewee`, `date`, `source`, `thanked`; every "
        "other column is a criterion and its cells are ratings.\n"
        "- **Criteria** (your profile): `criterion`, `dimension`, `weight`; optional `description`.\n"
        "- **A Career Fit workbook** (`.xlsx` with sheets `criteria`, `careers`, `contacts`, `interviews`, "
        "`ratings`), as downloaded below.\n\n"
        "Files: `.csv` (comma, semicolon or tab) or `.xlsx`. Headers match whatever their case and spacing, "
        "with common synonyms (occupation or job for career, score for rating, person or contact for "
        "interviewee). A blank cell is no rating. Importing the same file twice changes nothing."
    )

version = st.session_state.setdefault(UPLOAD_VERSION, 0)
upload_key = f"data_upload_{version}"
left, right = st.columns([3, 1])
uploaded = left.file_uploader("Spreadsheet (.csv or .xlsx)", type=["csv", "xlsx"], key=upload_key)
scale = right.radio(
    "Rating scale in the file",
    SCALES,
    key="data_scale",
    help="Ratings on 1-10 or 0-100 are rescaled to 1-5.",
)
thanked = right.checkbox(
    "Already thanked",
    key="data_thanked",
    help="The interviews in this file are past conversations you have already thanked people for: "
    "they raise no thank-you reminders.",
)


def do_import(skip_invalid: bool, workbook: bool = False) -> None:
    file = st.session_state.get(upload_key)
    if file is None:
        return
    st.session_state.pop(PROBLEMS_KEY, None)

    replace = bool(st.session_state.get(REPLACE_KEY)) and workbook

    def write() -> None:
        try:
            if replace:  # the store becomes the workbook; replace_from_workbook keeps a backup first
                backup, report = replace_from_workbook(
                    store, file.getvalue(), file.name, scale=scale, skip_invalid=skip_invalid
                )
                flash(md(backup.describe()), "info")
            else:
                if workbook:  # a workbook sets the whole profile: keep a backup of it first
                    make_backup(store, "import")
                report = ingest.import_bytes(
                    store, file.getvalue(), file.name, scale=scale, skip_invalid=skip_invalid, thanked=thanked
                )
        except BusyError as error:  # (the file is fine: the readers are taken by other files)
            flash(f"{md(error)}. Nothing was imported.", "warning")
            return
        except InvalidInputError as error:
            st.session_state[PROBLEMS_KEY] = (file.name, problems_of(error))
            flash("Nothing was imported: fix the problems listed below, or choose to skip those rows.", "error")
            return
        lines = report.summary_lines()[1:]  # the first line names the file again
        flash(f"Imported {md(file.name)}: " + ("; ".join(md(line) for line in lines) if lines else "nothing new."))
        if report.skipped:
            flash(f"{len(report.skipped)} problem rows were skipped; see the import history below.", "warning")
        st.session_state[UPLOAD_VERSION] = version + 1  # clear the uploader for the next file

    callback_action(write)


failed = st.session_state.get(PROBLEMS_KEY)
if uploaded is None:
    st.caption("Choose a file to see a preview. Nothing is imported until you press Import.")
    if failed:
        st.session_state.pop(PROBLEMS_KEY, None)
else:
    preview = None
    file_name = uploaded.name
    try:
        ingest.check_size(uploaded.size, file_name)
    except InvalidInputError as error:
        st.error(
            f"**{md(uploaded.name)} is too large to import.** {md(error.problems[0])}. Nothing was imported.",
            icon=":material/error:",
        )
        uploaded = None
    if uploaded is not None:  # parsed once per file, scale and data version: a rerun reuses it
        result = cache.import_preview(store, uploaded, scale)
        preview = result.preview
        if result.problems:
            show_problems(list(result.problems), f"{md(file_name)} cannot be imported:")
        elif result.error:
            st.error(f"{md(file_name)} cannot be read: {md(result.error)}")
        elif result.busy:  # (not kept: the next run reads the file again)
            st.warning(md(result.busy), icon=":material/hourglass_top:")
            st.button("Try again", icon=":material/refresh:", key="data_try_again")
    if preview is not None:
        st.markdown(
            f"**{md(preview.file_name)}** reads as **{KINDS.get(preview.kind, md(preview.kind))}**, "
            f"{preview.rows:,} row{'s' * (preview.rows != 1)}."
        )
        sheets = getattr(preview, "sheets", {}) or {}
        if len(sheets) > 1:
            st.caption(
                "Sheets: " + "; ".join(f"{md(name)} ({KINDS.get(kind, md(kind))})" for name, kind in sheets.items())
            )
        recognised = pd.DataFrame(
            {
                "Column in the file": list(preview.columns),
                "Read as": [field or "not used" for field in preview.columns.values()],
            }
        )
        columns_col, table_col = st.columns([1, 2])
        with columns_col:
            st.markdown("**Columns**")
            st.dataframe(recognised, hide_index=True)
        with table_col:
            st.markdown("**First rows** (numbered as in your spreadsheet)")
            st.dataframe(preview.table, placeholder="")
        if preview.proposed_scale:
            st.info(
                f"{md(preview.scale_reason)}. If it is, choose it under *Rating scale in the file*: nothing is "
                "rescaled until you do.",
                icon=":material/straighten:",
            )
        if preview.new_criteria_without_dimension:
            names = ", ".join(md(n) for n in preview.new_criteria_without_dimension)
            st.warning(
                f"New criteria without a dimension: {names}. They are created unassigned and count in no score "
                "until you give them a dimension on My profile."
            )
        problems = list(preview.problems)
        skip = False
        if problems:
            show_problems(
                problems,
                f"{len(problems)} problem{'s' * (len(problems) != 1)} in {md(preview.file_name)}. Fix them in the "
                "file and upload it again, or import the valid rows and skip the rest.",
            )
            skip = st.checkbox("Import the valid rows and skip the rows with problems", key="data_skip_invalid")
        else:
            st.success("No problems found.", icon=":material/check_circle:")
        is_workbook = preview.kind == "workbook"
        if is_workbook:
            st.checkbox(
                "Replace everything I have with this workbook",
                key=REPLACE_KEY,
                help="Your data becomes exactly what the workbook holds. Unticked, the workbook is added to what "
                "you have (its criteria sheet sets your profile). Either way a backup is kept first.",
            )
        report = getattr(preview, "report", None)
        if report is not None:
            outcome = [md(line) for line in report.summary_lines()[1:] if "skipped" not in line]
            if outcome:
                st.markdown("**If you import" + (" the valid rows" if problems else "") + "**")
                st.markdown("\n".join(f"- {line}" for line in outcome))
        st.button(
            "Import",
            type="primary",
            disabled=bool(problems) and not skip,
            on_click=do_import,
            args=(skip, is_workbook),
            key="data_import",
            help=None if not problems or skip else "Fix the problems first, or choose to skip those rows.",
        )
    if failed and uploaded is not None and failed[0] == uploaded.name:
        show_problems(failed[1], "Nothing was imported:")

# -- downloads --------------------------------------------------------------------------------------------------

st.subheader("Download")
st.markdown(
    "Keep a copy of everything, take your ratings elsewhere, or start a spreadsheet in the shape Career Fit reads."
)
if store.in_memory:
    st.warning(
        "Your data is kept in memory for this visit only: download the workbook to keep it, and next time upload it "
        "under **Carry on from a saved workbook** in the sidebar (or import it here, ticking **Replace everything**).",
        icon=":material/warning:",
    )
d1, d2, d3 = st.columns(3)
d1.download_button(
    "Everything (workbook .xlsx)",
    data=lambda: export.workbook_bytes(store),
    file_name="career-fit.xlsx",
    mime=XLSX,
    icon=":material/download:",
    help="Criteria, careers, contacts, interviews and ratings; imports back into an empty store.",
    key="download_workbook",
)
d2.download_button(
    "Ratings (.csv)",
    data=lambda: export.ratings_csv_bytes(store),
    file_name="career-fit-ratings.csv",
    mime="text/csv",
    icon=":material/download:",
    help="One row per rating, interviews and expectations.",
    key="download_ratings",
)
d3.download_button(
    "Empty template (.xlsx)",
    data=lambda: export.template_bytes(store),
    file_name="career-fit-template.xlsx",
    mime=XLSX,
    icon=":material/download:",
    help="A spreadsheet with your criteria as columns, ready to fill in.",
    key="download_template",
)

# -- history ----------------------------------------------------------------------------------------------------

st.subheader("Import history")
history = cache.imports(store)
if not history:
    st.caption("No imports yet.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "When": [h["imported_at"] for h in history],
                "File": [h["file_name"] for h in history],
                "Kind": [h["kind"] for h in history],
                "Rows": [h["rows_read"] for h in history],
                "New ratings": [h["new_ratings"] for h in history],
                "Updated": [h["updated_ratings"] for h in history],
                "Unchanged": [h["unchanged_ratings"] for h in history],
                "Skipped rows": [h["skipped_rows"] for h in history],
                "New careers": [h["new_careers"] for h in history],
                "New criteria": [h["new_criteria"] for h in history],
            }
        ),
        hide_index=True,
        column_config={"When": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm")},
    )

# -- backups ----------------------------------------------------------------------------------------------------

BACKUP_SLOT = "backups"
RESTORED_KEY = "data_restored"  # a restore just ran: the whole page redraws from the restored data


def _restore(file_name: str) -> None:
    def act() -> None:
        backup = next((b for b in list_backups(store) if b.file_name == file_name), None)
        if backup is None:
            raise CareerFitError("That backup is no longer kept: pick another one.")
        safety = restore_backup(store, backup)
        st.session_state.pop(RESTORE_CONFIRM, None)
        st.session_state[RESTORED_KEY] = True
        flash(f"Restored the backup of {md(backup.label)}. {md(safety.describe())}", slot=BACKUP_SLOT)

    callback_action(act, slot=BACKUP_SLOT)


def _back_up_now() -> None:
    def act() -> None:
        backup = make_backup(store, "manual")
        st.session_state[RESTORE_PICK] = backup.file_name  # the picker shows the backup just made
        flash(md(backup.describe()), slot=BACKUP_SLOT)

    callback_action(act, slot=BACKUP_SLOT)


st.subheader("Backups")
st.markdown(
    "Career Fit keeps a backup before anything replaces your data: starting empty, loading the demo, importing or "
    "replacing with a workbook, restoring a backup. Restore one to go back to it; what you have then is backed up "
    "first, so a restore can be undone too."
    + (" These backups last for this visit only, like your data." if is_session_store(store) else "")
)


@st.fragment
def backups_section() -> None:
    """The backups kept, the picker, restore and download: a fragment, so picking a backup, asking to restore
    it or backing up now redraws this section only; a restore (everything changed) redraws the whole page."""
    if st.session_state.pop(RESTORED_KEY, False):
        st.rerun(scope="app")
    kept = list_backups(store)
    if not kept:
        st.caption("No backups yet.")
    else:
        by_name = {b.file_name: b for b in kept}
        st.dataframe(
            pd.DataFrame(
                {
                    "When": [b.created for b in kept],
                    "Kept": [REASONS.get(b.reason, REASONS[""]) for b in kept],
                    "Size": [size_text(b.size) for b in kept],
                    "File": [str(b.path) if b.path else "in this visit's memory" for b in kept],
                }
            ),
            hide_index=True,
            column_config={"When": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm:ss")},
        )
        if st.session_state.get(RESTORE_PICK) not in by_name:
            st.session_state[RESTORE_PICK] = kept[0].file_name
        picked = st.selectbox("Backup", list(by_name), key=RESTORE_PICK, format_func=lambda n: by_name[n].label)
        chosen = by_name[picked]
        row = st.container(horizontal=True)
        row.button(
            "Restore this backup",
            icon=":material/settings_backup_restore:",
            key="data_restore",
            on_click=st.session_state.__setitem__,
            args=(RESTORE_CONFIRM, picked),
        )
        row.download_button(
            "Download it as a workbook",
            data=lambda: backup_workbook(chosen),
            file_name=chosen.workbook_name,
            mime=XLSX,
            icon=":material/download:",
            key="data_backup_download",
        )
        confirm = st.session_state.get(RESTORE_CONFIRM)
        if confirm in by_name:
            with st.container(border=True):
                st.markdown(
                    f"**Replace everything you have now with the backup of {md(by_name[confirm].label)}?** "
                    "A backup of what you have now is kept first."
                )
                yes_no = st.container(horizontal=True)
                yes_no.button(
                    "Yes, restore it", type="primary", key="data_restore_yes", on_click=_restore, args=(confirm,)
                )
                yes_no.button(
                    "Cancel", key="data_restore_cancel", on_click=lambda: st.session_state.pop(RESTORE_CONFIRM, None)
                )
    st.button("Back up now", icon=":material/backup:", key="data_backup_now", on_click=_back_up_now)
    show_flashes(BACKUP_SLOT)


backups_section()

st.caption(f"Where your data is stored: {md(storage_label(store))}.")
