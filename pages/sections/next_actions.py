"""The pipeline on the Overview and the Interviews page: the next actions (thank-yous, follow-ups, interviews
this week) and what works (which ways of finding people led to conversations)."""

from __future__ import annotations

import streamlit as st

from analytics import pipeline
from analytics.models import STAGES
from analytics.store import Store
from pages.sections.pipeline import move
from pages.support import cache
from pages.support.feedback import show_flashes
from pages.support.session import today
from pages.support.text import md, when_text

KIND_LABELS = {
    "thank-you": (":material/mail:", "Thank-you due"),
    "follow-up": (":material/forward_to_inbox:", "Follow up"),
    "interview": (":material/event:", "Interview coming up"),
    "record": (":material/rate_review:", "Record the interview"),
}
# The reminders done with one click, here: (button label, the stage the interview moves to).
ACTIONS = {"thank-you": ("Thanked", "thanked"), "record": ("Completed", "completed")}


def render_next_actions(store: Store, items: list[pipeline.Reminder]) -> None:
    """The reminders (``cache.reminders`` of today) as the user's next actions: thank-yous, follow-ups,
    interviews this week. Completing an interview here opens it in Log & rate (see :func:`.pipeline.move`)."""
    show_flashes()
    day = today()
    st.subheader("Your next actions")
    if not items:
        st.caption("Nothing due: no thank-yous, follow-ups or interviews in the next week.")
        return
    for item in items:
        icon, title = KIND_LABELS.get(item.kind, (":material/task_alt:", item.kind))
        due = "overdue since" if item.overdue else "due"
        # One element per item's text (its title line and its message as two paragraphs), and its button beside
        # it in the same bordered row (no columns): every element is one more for the browser to draw.
        text = f"{icon} **{title}**, {due} {md(when_text(item.due))}\n\n{md(item.message)}"
        action = ACTIONS.get(item.kind)
        with st.container(border=True, horizontal=action is not None, vertical_alignment="center"):
            st.markdown(text)
            if action is None:
                continue
            label, stage = action
            st.button(
                label,
                key=f"next_{item.kind}_{item.interview_id}",
                on_click=move,
                args=(store, item.interview_id, stage, day),
            )


def render_what_works(store: Store) -> None:
    """Counts by stage and by how-found source: which ways of finding people lead to conversations."""
    result = cache.what_works(store)
    st.subheader("What works")
    st.caption("Which ways of finding people got replies and conversations, so you know where to look next.")
    for stage, column in zip(STAGES, st.columns(len(STAGES)), strict=True):
        column.metric(pipeline.stage_label(stage), result.stages.get(stage, 0))
    if not result.sources:
        st.caption("Add contacts and say how you found them to see which sources lead to conversations.")
        return
    import pandas as pd

    st.dataframe(
        pd.DataFrame([s.as_row() for s in result.sources]),
        hide_index=True,
        column_config={
            "held per request": st.column_config.ProgressColumn(
                "held per request",
                min_value=0,
                max_value=1,
                format="percent",
                help="Conversations held for each request made to people found this way.",
            ),
            "asked": st.column_config.NumberColumn("asked", help="Requests sent (including ones declined)."),
            "held": st.column_config.NumberColumn("held", help="Interviews completed or thanked."),
        },
    )
