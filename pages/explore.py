"""Explore next: where one more informational interview would tell the user the most, and what to ask.

Thin by design: :func:`analytics.recommend.explore` ranks the careers on the same beliefs as the Career fit
page; this page draws the ranked list and the career families, and hands "Plan an interview" to the
Interviews page.
It reads through the app's one cache (per store and revision: every committed write bumps the revision),
so reruns that do not change the data only redraw.
"""

from __future__ import annotations

import streamlit as st

from analytics.errors import CareerFitError
from analytics.numbers import kept, shown
from analytics.recommend import METHOD, Exploration, NextStep
from pages.sections.pipeline import plan_interview_button
from pages.support import cache
from pages.support.feedback import LOG, show_flashes
from pages.support.session import get_store
from pages.support.text import md
from pages.support.widgets import PAGE_DATA, PAGE_INTERVIEWS, PAGE_PROFILE, page_links

SHOW_KEY = "explore_show"
SHOW_OPTIONS = ("5", "10", "25", "All")

FAMILY_METHOD = """
**Groups.** When your careers are linked to O*NET occupations (or rated on criteria linked to O*NET), each
belongs to one of O*NET's career families: groups of the ~900 occupations O*NET profiles with similar
interests, work values and skills. Careers you have not linked are placed in the family whose typical
occupation is nearest to what your ratings say.
""".strip()


def _fit_text(step: NextStep) -> str:
    if step.fit is not None and step.low is not None and step.high is not None:
        text = f"fit {shown(step.fit)} (likely {shown(step.low)}–{shown(step.high)})"
        return text if step.interviews else f"{text}, not interviewed"
    return "not interviewed, nothing recorded"


def draw_entry(position: int, step: NextStep) -> None:
    with st.container(border=True):
        st.markdown(f"**{position}. {md(step.career)}**")
        details = [_fit_text(step)]
        if step.interviews:
            details.append(f"{step.interviews} interview{'s' * (step.interviews != 1)}")
        if step.cluster:
            details.insert(0, f"family: {step.cluster}")
        details.append(f"priority {step.priority:.2f}")
        st.caption(md(" · ".join(details)))
        st.markdown(md(step.reason))
        st.markdown("**Ask next:**\n" + "\n".join(f"- {md(q)}" for q in step.questions))
        # adds the person to the pipeline for this career, with these questions ready to ask
        plan_interview_button(get_store(), step.career, step.questions, key=f"plan_{step.career_id}")


def draw_list(steps: tuple[NextStep, ...]) -> None:
    st.subheader("Where to go next")
    st.markdown(
        "Careers in the order one more interview would help you most. **Priority** is how many fit points that "
        "interview is expected to add to your best option: high for a promising career you know little about, "
        "close to 0 for one you already know fits poorly."
    )
    listed = steps
    if len(steps) > int(SHOW_OPTIONS[0]):
        choice = st.radio("Show", SHOW_OPTIONS, horizontal=True, key=SHOW_KEY, index=0)
        listed = steps if choice == "All" else steps[: int(choice)]
    for position, step in enumerate(listed, start=1):
        draw_entry(position, step)
    if len(listed) < len(steps):
        with st.expander(f"All {len(steps)} careers in order"):
            st.dataframe(
                {
                    "#": list(range(1, len(steps) + 1)),
                    "Career": [s.career for s in steps],
                    "Family": [s.cluster or "—" for s in steps],
                    "Priority": [kept(s.priority, 2) for s in steps],
                    "Fit": [shown(s.fit) for s in steps],
                    "Interviews": [s.interviews for s in steps],
                    "Why": [s.reason for s in steps],
                },
                hide_index=True,
            )
            names = {s.career: s for s in steps}
            picked = st.selectbox("Plan an interview for", list(names), index=None, placeholder="Choose a career")
            if picked is not None:
                plan_interview_button(get_store(), picked, names[picked].questions, key="plan_any")


def draw_groups(data: Exploration) -> None:
    if not data.families:
        return
    st.subheader("Your careers by career family")
    by_family: dict[str, list[NextStep]] = {}
    for step in data.steps:
        family = data.families.get(step.career_id)
        if family:
            by_family.setdefault(family, []).append(step)
    lines = []
    for family in sorted(by_family, key=lambda f: (-max((s.belief_mean for s in by_family[f]), default=0), f)):
        members = ", ".join(f"{md(s.career)} ({_fit_text(s)})" for s in by_family[family])
        lines.append(f"- **{md(family)}**: {members}")
    st.markdown("\n".join(lines))
    unplaced = [s.career for s in data.steps if s.career_id not in data.families]
    if unplaced:
        st.caption("Not in a family yet (link them to an O*NET occupation): " + md(", ".join(unplaced)) + ".")


# -- the page ----------------------------------------------------------------------------------------------

store = get_store()
st.title("Explore next")
show_flashes()

try:
    with st.spinner("Working out where to look next..."):
        data = cache.exploration(store)
except CareerFitError as error:
    st.error(f"Career Fit could not work out what to explore next. {md(error)}")
    st.stop()
except Exception as error:  # never a traceback in front of the user; the log keeps it
    LOG.exception("explore next failed")
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    st.error(f"Career Fit could not work out what to explore next: {md(detail)}")
    st.stop()

if not data.steps:
    st.info(
        "No careers yet. Add the careers you are curious about and rate them after each informational "
        "interview, or record what you expect of them before you talk to anyone. This page then shows which "
        "career to explore next and what to ask.",
        icon=":material/travel_explore:",
    )
    page_links(
        (PAGE_INTERVIEWS, "Add a career or an interview", ":material/forum:"),
        (PAGE_DATA, "Import ratings from a spreadsheet", ":material/upload_file:"),
        (PAGE_PROFILE, "Check what matters to you", ":material/tune:"),
    )
    st.stop()

st.markdown("Where one more informational interview would tell you the most, and what to ask in it.")
draw_list(data.steps)
draw_groups(data)
with st.expander("How this page works"):
    st.markdown(METHOD)
    st.markdown(FAMILY_METHOD)
