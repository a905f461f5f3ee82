"""My profile: the criteria that matter to the user, their weights, and the weight of each dimension.

Every edit saves at once (the whole table in one transaction) and the ranking follows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics.models import DIMENSIONS
from analytics.onet.elements import element_label, linkable_elements
from pages.support import cache
from pages.support.feedback import callback_action, run_action, show_flashes
from pages.support.session import get_store
from pages.support.text import DIMENSION_LABELS, UNASSIGNED_LABEL, md, score_text
from pages.support.widgets import PAGE_CAREER_FIT

EDITOR_VERSION = "profile_editor_version"
SAVED_KEY = "profile_saved"
ADD_SLOT = "profile_add"  # errors of the "Add a criterion" form show under it
DIMENSIONS_SLOT = "profile_dimensions"  # errors of the dimension weights show under their sliders
GRID_HEIGHT = 460  # px: with the heading above it, the whole grid shows in a 900 px high window (it scrolls)
COLUMNS = ("name", "dimension", "weight", "description", "onet")
DIMENSION_CHOICES = [*DIMENSIONS, UNASSIGNED_LABEL.lower()]
NO_ELEMENT = "none"
ELEMENTS = {element_label(e.id): e.id for e in linkable_elements()}  # "Investigative (interest)" -> 1.B.1.b

store = get_store()

st.title("My profile")
st.markdown(
    "What matters to you in a career, in three dimensions: your **interests** (what you like doing), your "
    "**skills** (what you are good at or want to use) and your **values** (what you want a job to give you). "
    "Every career is scored on these criteria; the weight says how much each one counts."
)
show_flashes()
saved = st.session_state.pop(SAVED_KEY, None)
if saved:
    st.toast(saved, icon=":material/check_circle:")

criteria = cache.criteria(store)
ids = [c.id for c in criteria]
stored = pd.DataFrame(
    {
        "name": [c.name for c in criteria],
        "dimension": [c.dimension or UNASSIGNED_LABEL.lower() for c in criteria],
        "weight": [float(c.weight) for c in criteria],
        "description": [c.description for c in criteria],
        "onet": [element_label(c.onet_element) or NO_ELEMENT for c in criteria],
    },
    columns=list(COLUMNS),
)
version = st.session_state.setdefault(EDITOR_VERSION, 0)
editor_key = f"profile_criteria_{version}"


def _clean(field: str, value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if field == "dimension" and str(value).strip().lower() == UNASSIGNED_LABEL.lower():
        return None
    if isinstance(value, str):
        return value.strip()
    return value


def _row_edits(state: dict[str, Any], position: int) -> dict[str, Any]:
    edits = state.get("edited_rows") or {}
    return edits.get(position) or edits.get(str(position)) or {}


def edited_rows(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The table as the user now sees it: stored rows with their edits, minus deletions, plus new rows."""
    deleted = {int(p) for p in state.get("deleted_rows") or []}
    rows: list[dict[str, Any]] = []
    for position, criterion_id in enumerate(ids):
        if position in deleted:
            continue
        row: dict[str, Any] = {"id": criterion_id, **{f: stored.at[position, f] for f in COLUMNS}}
        row.update(_row_edits(state, position))
        rows.append(row)
    for added in state.get("added_rows") or []:
        rows.append({"id": None, **{f: added.get(f) for f in COLUMNS}})
    for row in rows:
        for field in COLUMNS:
            row[field] = _clean(field, row.get(field))
        if row["id"] is None and row["weight"] is None:
            row["weight"] = 3.0
        row["onet_element"] = ELEMENTS.get(row.pop("onet") or NO_ELEMENT)
    return rows


st.subheader("Criteria")
st.caption(
    "Edit a cell to change it, use the + below the table to add a criterion, select rows and press the bin to "
    "delete them (their ratings go too). Weight 0-5: 0 ignores a criterion, 5 is what matters most. "
    "Changes save at once."
)
if not criteria:
    st.info("Your profile has no criteria yet. Add one with the + below the table: a name, a dimension and a weight.")
st.data_editor(
    stored,
    key=editor_key,
    num_rows="dynamic",
    hide_index=True,
    height=min(38 + 35 * (len(stored) + 1), GRID_HEIGHT),
    column_config={
        "name": st.column_config.TextColumn("Criterion", required=True, width="medium"),
        "dimension": st.column_config.SelectboxColumn(
            "Dimension",
            options=DIMENSION_CHOICES,
            required=True,
            default="interest",
            width="small",
            help="interest, skill or value; an unassigned criterion counts in no score",
        ),
        "weight": st.column_config.NumberColumn(  # no min/max here: the grid would clamp 9 to 5 without a word
            "Weight",
            step=0.5,
            default=3.0,
            format="%.1f",
            width="small",
            help="How much it matters, 0 (ignore) to 5 (matters most)",
        ),
        "description": st.column_config.TextColumn(
            "Description", width="large", help="What the career offers when this is high; shown when you rate"
        ),
        "onet": st.column_config.SelectboxColumn(
            "O*NET element",
            options=[NO_ELEMENT, *ELEMENTS],
            default=NO_ELEMENT,
            width="medium",
            help="The O*NET interest, work value, skill or knowledge area it stands for: O*NET's value for a "
            "linked career is then the starting point for this criterion. 'none' for one O*NET does not rate "
            "(e.g. Remote work).",
        ),
    },
)
edit_state = st.session_state.get(editor_key) or {}
pending = [a for a in edit_state.get("added_rows") or [] if not _clean("name", a.get("name"))]
changed = bool(edit_state.get("edited_rows") or edit_state.get("deleted_rows") or edit_state.get("added_rows"))
if pending:
    st.caption("Give the new criterion a name to save it.")
elif changed:
    rows = edited_rows(edit_state)
    if run_action(lambda: store.save_criteria(rows)):
        st.session_state[SAVED_KEY] = "Profile saved."  # a toast on the next run: it never moves the grid
        st.session_state[EDITOR_VERSION] = version + 1  # redraw the table from what was stored
        st.rerun()
    else:
        st.caption("Nothing was saved: fix the cell named just above (row 1 is the top row), or undo your edits.")
        st.button(
            "Undo my edits", key="profile_undo", on_click=st.session_state.update, args=({EDITOR_VERSION: version + 1},)
        )


def add_criterion() -> None:
    """The "Add a criterion" form: one new criterion, without editing the grid."""
    state = st.session_state
    name = (state.get("profile_add_name") or "").strip()

    def act() -> None:
        store.add_criterion(name, state.get("profile_add_dimension"), float(state.get("profile_add_weight") or 3.0))
        state["profile_add_name"] = ""
        state[SAVED_KEY] = f"{name} added to your profile."
        state[EDITOR_VERSION] = st.session_state.get(EDITOR_VERSION, 0) + 1  # the grid shows it

    callback_action(act, slot=ADD_SLOT)


with st.form("profile_add", border=True):
    name_col, dimension_col, weight_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    name_col.text_input("Add a criterion", key="profile_add_name", placeholder="e.g. Remote work")
    dimension_col.selectbox("Dimension", list(DIMENSIONS), key="profile_add_dimension")
    weight_col.number_input("Weight", min_value=0.0, max_value=5.0, value=3.0, step=0.5, key="profile_add_weight")
    st.form_submit_button("Add", icon=":material/add:", on_click=add_criterion)
show_flashes(ADD_SLOT)

unassigned = [c.name for c in criteria if c.dimension is None]
if unassigned:
    st.warning(
        f"{len(unassigned)} criteria have no dimension and count in no score until you pick one: "
        + ", ".join(md(n) for n in unassigned)
    )

st.subheader("How much each dimension counts")
st.caption("The fit is the weighted mean of the three dimension scores. 0 leaves a dimension out.")
weights = store.dimension_weights()


def save_dimension_weight(dimension: str) -> None:
    value = st.session_state[f"dimension_weight_{dimension}"]
    if callback_action(lambda: store.set_dimension_weights({dimension: value}), slot=DIMENSIONS_SLOT):
        st.session_state[SAVED_KEY] = f"{DIMENSION_LABELS[dimension]} now weigh {value:g}."


columns = st.columns(len(DIMENSIONS))
for column, dimension in zip(columns, DIMENSIONS, strict=True):
    key = f"dimension_weight_{dimension}"
    st.session_state[key] = float(weights[dimension])  # always show what is stored
    column.slider(
        DIMENSION_LABELS[dimension],
        min_value=0.0,
        max_value=5.0,
        step=0.5,
        format="%.1f",
        key=key,
        on_change=save_dimension_weight,
        args=(dimension,),
    )
show_flashes(DIMENSIONS_SLOT)

st.subheader("Your ranking now")
scores = cache.ranking(store)
ranked = [s for s in scores if s.fit is not None][:5]
if not ranked:
    st.caption("No career has ratings yet: log an interview or record your expectations on the Interviews page.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Career": [s.career for s in ranked],
                "Fit": [score_text(s.fit) for s in ranked],
                "Expected fit": [score_text(s.expected_fit) for s in ranked],
                **{DIMENSION_LABELS[d]: [score_text(s.dimensions.get(d)) for s in ranked] for d in DIMENSIONS},
            }
        ),
        hide_index=True,
    )
    st.page_link(PAGE_CAREER_FIT, label="Full ranking", icon=":material/leaderboard:")
