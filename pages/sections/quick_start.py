"""The Overview's quick start for a new store: sort 30 activities, order six values, land on Discover.

Draws the form and hands the answers to :mod:`analytics.onet.quick_profile`, which turns them into the
weights of the linked interest and value criteria.
"""

from __future__ import annotations

import streamlit as st

from analytics.onet import ATTRIBUTION
from analytics.onet.quick_profile import ANSWERS, apply_quick_profile, quick_activities, quick_weights, work_values
from analytics.store import Store
from pages.support.feedback import flash, run_action
from pages.support.text import md

PAGE_DISCOVER = "pages/discover.py"
DONE_SETTING = "quick_profile_done"
VALUES_KEY = "quick_values"


def activity_key(number: int) -> str:
    return f"quick_activity_{number}"


def _apply(store: Store, answers: dict[str, str], order: list[str]) -> None:
    changed = apply_quick_profile(store, quick_weights(answers, order))
    store.set_setting(DONE_SETTING, True)
    flash(
        f"Your quick profile set the weights of {len(changed)} criteria. Here are the O\\*NET occupations "
        "that fit it best."
    )


def render_quick_start(store: Store) -> None:
    """The quick profile, open on a store that has not used it yet."""
    done = bool(store.get_setting(DONE_SETTING, False))
    with st.expander("Start with a quick profile", expanded=not done, icon=":material/bolt:"):
        st.markdown(
            "Not sure where to start? Say how you feel about 30 everyday work activities and put six work values "
            "in order; Career Fit then weights your interests and values and shows the O\\*NET occupations that "
            "fit them. It takes about three minutes."
        )
        st.caption(
            "A quick sort, not the validated O\\*NET Interest Profiler: it only sets starting weights for your "
            "six interest areas and six work values, which you can change any time on My profile."
        )
        activities = quick_activities()
        values = work_values()
        with st.form("quick_profile", border=False):
            st.markdown("**Would you like to...**")
            for number, activity in enumerate(activities):
                st.radio(md(activity.text), ANSWERS, index=1, horizontal=True, key=activity_key(number))
            st.markdown("**Which of these matter most in a job?** Choose them in order, most important first.")
            st.multiselect(
                "Work values, most important first",
                values,
                key=VALUES_KEY,
                placeholder="Choose in order",
                help="Achievement: using your abilities; Working Conditions: pay, security, a manageable workload; "
                "Recognition: advancement and prestige; Relationships: co-workers and service to others; Support: "
                "management that backs you; Independence: working on your own and deciding for yourself. Values "
                "you leave out follow in this order.",
            )
            submitted = st.form_submit_button(
                "Set my weights and discover careers", type="primary", icon=":material/travel_explore:"
            )
        st.caption(md(ATTRIBUTION))
    if submitted:
        answers = {a.text: st.session_state.get(activity_key(n), "not sure") for n, a in enumerate(activities)}
        order = list(st.session_state.get(VALUES_KEY) or [])
        if run_action(lambda: _apply(store, answers, order)):
            st.switch_page(PAGE_DISCOVER)
