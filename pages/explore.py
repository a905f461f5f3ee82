"""Explore next: where one more informational interview would tell the user the most, and what to ask.

Thin by design: :func:`analytics.recommend.explore` does the clustering and the ranking; this page draws
the ranked list, the career map and the clusters, and hands "Plan an interview" to the Interviews page.
The computation is cached per store and revision (every committed write bumps the revision), so reruns
that do not change the data only redraw.
"""

from __future__ import annotations

import uuid
import weakref

import plotly.express as px
import streamlit as st

from analytics.errors import CareerFitError
from analytics.recommend import METHOD, Exploration, NextStep, explore
from analytics.store import Store
from pages.common import (
    LOG,
    PAGE_DATA,
    PAGE_INTERVIEWS,
    PAGE_PROFILE,
    get_store,
    md,
    page_links,
    plotly_text,
    show_flashes,
)

PLAN_KEY = "plan_interview_career"  # read by the Interviews page
SHOW_KEY = "explore_show"
SHOW_OPTIONS = ("5", "10", "25", "All")
LABELS_UP_TO = 30  # name the dots on the map when there are at most this many careers

CLUSTER_METHOD = """
**How the groups are made.** Each career is described by how much it offers every criterion in your profile:
the average of its interview ratings, or your own expectations where it has no interview yet; a criterion
nobody has rated for it counts as the average of your other careers. Careers are compared on what matters to
you (criteria weighted as in your fit) and grouped with k-means; the number of groups is the one that
separates them most clearly (the silhouette score). Each group is named after the criteria its careers offer
more than your other careers. The map squeezes all criteria into two directions that show as much of the
differences between careers as possible (principal components): careers close together offer similar things.
""".strip()


@st.cache_resource(show_spinner=False)
def _store_tokens() -> weakref.WeakKeyDictionary[Store, str]:
    """A unique name per open store: in-memory stores of different sessions share a path but not data."""
    return weakref.WeakKeyDictionary()


def _token(store: Store) -> str:
    tokens = _store_tokens()
    if store not in tokens:
        tokens[store] = f"{store.path}#{uuid.uuid4().hex}"
    return tokens[store]


@st.cache_data(max_entries=16, show_spinner="Working out where to look next...")
def _exploration(token: str, revision: int, _store: Store) -> Exploration:
    """The clusters and the ranked list of one store at one revision (pure given the data)."""
    return explore(_store)


def _fit_text(step: NextStep) -> str:
    if step.fit is not None and step.low is not None and step.high is not None:
        return f"fit {step.fit:.0f} (likely {step.low:.0f}–{step.high:.0f})"
    if step.expected_fit is not None:
        return f"expected fit {step.expected_fit:.0f}, not interviewed"
    return "not interviewed, no expectations"


def _plan(step: NextStep) -> None:
    st.session_state[PLAN_KEY] = step.career
    st.switch_page(PAGE_INTERVIEWS)


def draw_entry(position: int, step: NextStep) -> None:
    with st.container(border=True):
        st.markdown(f"**{position}. {md(step.career)}**")
        details = [_fit_text(step)]
        if step.interviews:
            details.append(f"{step.interviews} interview{'s' * (step.interviews != 1)}")
        if step.cluster:
            details.insert(0, f"group: {step.cluster}")
        details.append(f"priority {step.priority:.2f}")
        st.caption(md(" · ".join(details)))
        st.markdown(md(step.reason))
        st.markdown("**Ask next:**\n" + "\n".join(f"- {md(q)}" for q in step.questions))
        if st.button(
            "Plan an interview",
            key=f"plan_{step.career_id}",
            icon=":material/event:",
            help=f"Open the Interviews page with {md(step.career)} selected",
        ):
            _plan(step)


def draw_list(steps: tuple[NextStep, ...]) -> None:
    st.subheader("Where to go next")
    st.markdown(
        "Careers in the order one more interview would help you most. **Priority** is how many fit points that "
        "interview is expected to add to your best option: high for a promising career you know little about, "
        "close to 0 for one you already know fits poorly."
    )
    shown = steps
    if len(steps) > int(SHOW_OPTIONS[0]):
        choice = st.radio("Show", SHOW_OPTIONS, horizontal=True, key=SHOW_KEY, index=0)
        shown = steps if choice == "All" else steps[: int(choice)]
    for position, step in enumerate(shown, start=1):
        draw_entry(position, step)
    if len(shown) < len(steps):
        with st.expander(f"All {len(steps)} careers in order"):
            st.dataframe(
                {
                    "#": list(range(1, len(steps) + 1)),
                    "Career": [s.career for s in steps],
                    "Group": [s.cluster or "—" for s in steps],
                    "Priority": [round(s.priority, 2) for s in steps],
                    "Fit": [None if s.fit is None else round(s.fit) for s in steps],
                    "Interviews": [s.interviews for s in steps],
                    "Why": [s.reason for s in steps],
                },
                hide_index=True,
            )
            names = {s.career: s for s in steps}
            picked = st.selectbox("Plan an interview for", list(names), index=None, placeholder="Choose a career")
            if st.button(
                "Plan an interview",
                key="plan_any",
                disabled=picked is None,
                icon=":material/event:",
                help="Open the Interviews page with the chosen career selected",
            ):
                _plan(names[picked])


def draw_map(data: Exploration) -> None:
    clustering = data.clustering
    st.subheader("Career map")
    if not clustering.ok:
        st.info(clustering.reason or "There is nothing to group yet.", icon=":material/scatter_plot:")
        return
    by_id = {s.career_id: s for s in data.steps}
    groups = {c.number: plotly_text(c.name) for c in clustering.clusters}  # plotly renders tags in text
    # interviewed careers first, so each group's legend entry shows a filled dot
    points = sorted(
        (p for p in clustering.points if p.career_id in by_id),
        key=lambda p: (p.source != "interviews", p.career.casefold()),
    )
    hover = []
    for p in points:
        step = by_id[p.career_id]
        lines = [
            f"<b>{plotly_text(p.career)}</b>",
            f"Group: {groups.get(p.cluster, '—')}",
            plotly_text(_fit_text(step)),
            f"{step.interviews} interview{'s' * (step.interviews != 1)}",
        ]
        if p.source == "expectations":
            lines.append("placed by your expectations")
        hover.append("<br>".join(lines))
    frame = {
        "x": [p.x for p in points],
        "y": [p.y for p in points],
        "Group": [groups.get(p.cluster, "—") for p in points],
        "size": [1 + by_id[p.career_id].interviews for p in points],
        "label": [plotly_text(p.career) if len(points) <= LABELS_UP_TO else "" for p in points],
        "hover": hover,
        "symbol": ["circle" if p.source == "interviews" else "circle-open" for p in points],
    }
    figure = px.scatter(
        frame,
        x="x",
        y="y",
        color="Group",
        size="size",
        text="label",
        custom_data=["hover", "symbol"],
        size_max=26,
        category_orders={"Group": [groups[c.number] for c in clustering.clusters]},
    )
    for trace in figure.data:  # hollow dots for careers placed by expectations only, without a second legend
        trace.marker.symbol = [row[1] for row in trace.customdata]
    figure.update_traces(
        hovertemplate="%{customdata[0]}<extra></extra>", textposition="top center", marker={"line": {"width": 2}}
    )
    x_axis, y_axis = clustering.axes[0], clustering.axes[1]
    figure.update_layout(
        height=480,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"title": {"text": ""}, "orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        xaxis={"title": {"text": plotly_text(x_axis.title)}, "showticklabels": False, "zeroline": False},
        yaxis={"title": {"text": plotly_text(y_axis.title)}, "showticklabels": False, "zeroline": False},
    )
    st.plotly_chart(figure, theme="streamlit", config={"displayModeBar": False}, key="explore_map")
    st.caption(
        "Each dot is a career; careers close together offer similar things. Colour = group, bigger dot = more "
        "interviews, hollow = placed by your expectations only. "
        + " ".join(md(a.explanation) for a in clustering.axes if a.share > 0)
    )
    if clustering.unplaced:
        st.caption("Not on the map (no ratings or expectations yet): " + md(", ".join(clustering.unplaced)) + ".")

    fits: dict[str, list[float]] = {}
    for step in data.steps:
        if step.cluster and step.fit is not None:
            fits.setdefault(step.cluster, []).append(step.fit)
    lines = []
    for cluster in clustering.clusters:
        values = fits.get(cluster.name, [])
        fit = f"average fit {sum(values) / len(values):.0f}" if values else "none interviewed yet"
        star = " (your best-fitting group)" if cluster.name == data.best_cluster else ""
        lines.append(
            f"- **{md(cluster.name)}**{star} — {len(cluster.members)} career{'s' * (len(cluster.members) != 1)}, "
            f"{fit}. {md(cluster.description)}"
        )
    st.markdown("\n".join(lines))
    if clustering.silhouette is not None:
        strength = (
            "clearly"
            if clustering.silhouette >= 0.5
            else "moderately"
            if clustering.silhouette >= 0.25
            else "only loosely"
        )
        st.caption(
            f"Your careers separate {strength} into these groups (silhouette {clustering.silhouette:.2f} "
            "on a scale where 0 means no real groups and 1 perfectly separate ones)."
        )


# -- the page ----------------------------------------------------------------------------------------------

store = get_store()
st.title("Explore next")
show_flashes()

try:
    data = _exploration(_token(store), store.revision, store)
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
draw_map(data)
with st.expander("How this page works"):
    st.markdown(METHOD)
    st.markdown(CLUSTER_METHOD)
