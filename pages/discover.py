"""Discover: O*NET occupations ranked by how well they fit the user's profile, a map of the world of work,
and "Add to my list".

Thin by design: :func:`analytics.onet.discover.discover` scores and explains, :mod:`analytics.onet.link`
writes the link; this page draws. The O*NET data is read once per process (it changes only with a new
data version, which means a new install), so a rerun costs the scoring of ~900 occupations in memory.
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.models import Career
from analytics.numbers import shown_text
from analytics.onet import ATTRIBUTION, ONET_VERSION
from analytics.onet.data import packaged
from analytics.onet.discover import Discovery, discover, related_to, score_occupations
from analytics.onet.families import families
from analytics.onet.link import link_career
from analytics.onet.search import search
from analytics.store import Store
from pages.support.feedback import callback_action, show_flashes
from pages.support.session import get_store
from pages.support.text import md, plotly_text
from pages.support.widgets import PAGE_PROFILE

ZONE_KEY, FAMILY_KEY, TEXT_KEY, SHOW_KEY = "discover_zone", "discover_family", "discover_text", "discover_show"
OWN_KEY = "discover_own"
NO_LINK = "-"
SHOW_OPTIONS = ("10", "25", "50", "100")
ANY = "Any"
HIGHLIGHT = 10  # the best discoveries stand out on the map
ZONE_NAMES = {
    1: "little or no preparation",
    2: "some preparation",
    3: "medium preparation",
    4: "considerable preparation",
    5: "extensive preparation",
}


def _add(store: Store, code: str, title: str) -> None:
    def act() -> None:
        link_career(store, title, code)

    callback_action(act, f"Added {md(title)} to your list, linked to O\\*NET {code}.")


def _add_button(store: Store, code: str, title: str, on_list: bool, key: str) -> None:
    st.button(
        "On your list" if on_list else "Add to my list",
        key=key,
        icon=":material/check:" if on_list else ":material/add:",
        disabled=on_list,
        on_click=_add,
        args=(store, code, title),
        help=None if on_list else f"Add {title} to your careers, linked to this O*NET occupation",
    )


def draw_filters() -> tuple[int | None, str | None, str]:
    zone_col, family_col, text_col = st.columns([1, 2, 2])
    zone = zone_col.selectbox(
        "Job zone",
        [ANY, 1, 2, 3, 4, 5],
        key=ZONE_KEY,
        format_func=lambda z: z if z == ANY else f"{z}: {ZONE_NAMES[z]}",
        help="How much preparation the job needs, from 1 (little or none) to 5 (extensive, usually a degree)",
    )
    family = family_col.selectbox("Career family", [ANY, *(f.name for f in families())], key=FAMILY_KEY)
    text = text_col.text_input("Title contains", key=TEXT_KEY, placeholder="e.g. nurse, researcher, designer")
    return (None if zone == ANY else int(str(zone))), (None if family == ANY else family), text


def draw_entry(store: Store, position: int, found: Discovery) -> None:
    with st.container(border=True):
        head, button = st.columns([5, 1])
        head.markdown(f"**{position}. {md(found.title)}** · fit **{shown_text(found.fit)}**")
        head.caption(md(f"O*NET {found.code} · job zone {found.job_zone or '-'} · family: {found.family}"))
        with button:
            _add_button(store, found.code, found.title, found.on_list, key=f"add_{found.code}")
        lines = [f"- {md(reason)}" for reason in found.reasons]
        if found.related:
            lines.append(f"- related to {md(', '.join(found.related))} on your list")
        st.markdown("\n".join(lines))


def _add_own(store: Store, name: str, code: str | None) -> None:
    def act() -> None:
        if code:
            link_career(store, name, code)
        else:
            store.add_career(name)

    linked = f", linked to O\\*NET {code}" if code else ""
    if callback_action(act, f"Added {md(name.strip())} to your list{linked}."):
        st.session_state.pop(OWN_KEY, None)


def draw_add_own(store: Store) -> None:
    """A career under the user's own name, linked to the O*NET occupation its name matches best."""
    with st.expander("Add a career of your own", icon=":material/add_circle:"):
        name = st.text_input(
            "Career name",
            key=OWN_KEY,
            placeholder="e.g. UX researcher",
            help="Your own name for it; the O*NET occupations whose titles match show below",
        )
        if not name.strip():
            return
        hits = search(name, limit=5)
        options = [hit.code for hit in hits] + [NO_LINK]
        labels = {
            hit.code: f"{hit.title} ({hit.code})" + ("" if hit.matched == hit.title else f", as {hit.matched}")
            for hit in hits
        } | {NO_LINK: "no O*NET link"}
        code = st.radio("Link it to", options, format_func=lambda c: labels[c], key=f"{OWN_KEY}_link")
        st.button(
            "Add to my list",
            key=f"{OWN_KEY}_add",
            icon=":material/add:",
            on_click=_add_own,
            args=(store, name, None if code == NO_LINK else code),
        )


def draw_related(store: Store, careers: list[Career], fits: dict[str, float]) -> None:
    st.subheader("Related to my best careers")
    linked = [c for c in careers if c.onet_code in packaged().occupations]
    if not linked:
        st.info(
            "Add an occupation to your list (Add to my list), or link a career of yours with "
            "`career-fit link`, and the occupations O\\*NET relates to your best careers show here.",
            icon=":material/link:",
        )
        return
    best = sorted(linked, key=lambda c: (-fits.get(c.onet_code or "", -1.0), c.name.casefold()))[:3]
    on_list = {c.onet_code for c in careers if c.onet_code}
    nearby = related_to([c.onet_code for c in best if c.onet_code], exclude=on_list)[:8]
    st.caption(md("O*NET's related occupations of " + ", ".join(c.name for c in best)))
    occupations = packaged().occupations
    for code in nearby:
        left, right = st.columns([5, 1])
        fit = f" · fit {shown_text(fits[code])}" if code in fits else ""
        left.markdown(f"{md(occupations[code].title)} ({code}){fit}")
        with right:
            _add_button(store, code, occupations[code].title, False, key=f"add_related_{code}")


def draw_map(fits: dict[str, float], shown: list[Discovery], careers: list[Career]) -> None:
    st.subheader("The world of work")
    data = packaged()
    names = {fid: profile.family.name for fid, profile in data.families.items()}
    points = [o for o in data.occupations.values() if o.family_id is not None and o.x is not None]
    frame = {
        "x": [o.x for o in points],
        "y": [o.y for o in points],
        "Family": [plotly_text(names[o.family_id]) for o in points],  # type: ignore[index]
        "hover": [f"<b>{plotly_text(o.title)}</b><br>fit {shown_text(fits.get(o.code))}" for o in points],
    }
    figure = px.scatter(
        frame,
        x="x",
        y="y",
        color="Family",
        custom_data=["hover"],
        opacity=0.3,
        category_orders={"Family": [plotly_text(n) for n in names.values()]},
    )
    figure.update_traces(marker={"size": 6}, hovertemplate="%{customdata[0]}<extra></extra>")
    occupations = data.occupations
    top = [d for d in shown[:HIGHLIGHT] if occupations[d.code].x is not None]
    figure.add_trace(
        go.Scatter(
            x=[occupations[d.code].x for d in top],
            y=[occupations[d.code].y for d in top],
            mode="markers",
            name="Top discoveries",
            marker={"size": 13, "symbol": "star", "color": "#f5b700", "line": {"width": 1, "color": "#333"}},
            customdata=[[f"<b>{plotly_text(d.title)}</b><br>fit {shown_text(d.fit)} (top discovery)"] for d in top],
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    )
    mine = [
        (c.name, occupations[c.onet_code])
        for c in careers
        if c.onet_code in occupations and occupations[c.onet_code].x is not None
    ]
    figure.add_trace(
        go.Scatter(
            x=[o.x for _name, o in mine],
            y=[o.y for _name, o in mine],
            mode="markers+text",
            name="My careers",
            text=[plotly_text(name) for name, _o in mine],
            textposition="top center",
            marker={"size": 15, "symbol": "diamond", "color": "#d62728", "line": {"width": 2, "color": "white"}},
            customdata=[
                [
                    f"<b>{plotly_text(name)}</b> (on your list)<br>O*NET: {plotly_text(o.title)}<br>"
                    f"fit {shown_text(fits.get(o.code))}"
                ]
                for name, o in mine
            ],
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    )
    figure.update_layout(
        height=640,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"title": {"text": ""}, "orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
        xaxis={
            "title": {"text": "first principal component of the occupation profiles"},
            "showticklabels": False,
            "zeroline": False,
        },
        yaxis={"title": {"text": "second principal component"}, "showticklabels": False, "zeroline": False},
    )
    st.plotly_chart(figure, theme="streamlit", config={"displayModeBar": False}, key="discover_map")
    st.caption(
        "Every O\\*NET occupation with a full profile, placed by its interests, work values and skills: "
        "occupations close together ask for similar things. Colour = career family; stars = your best "
        "discoveries below; diamonds = careers on your list linked to an occupation. Hover for the fit."
    )


def main() -> None:
    st.title("Discover")
    show_flashes()
    store = get_store()
    criteria, weights, careers = store.criteria(), store.dimension_weights(), store.careers()
    st.markdown(
        "Every occupation in the O\\*NET database, scored against **your profile**: how strongly O\\*NET rates it "
        "on the interests, skills and values you weight. A fit from O\\*NET alone is a starting point, not a "
        "verdict: add the promising ones to your list and test them in informational interviews."
    )
    fits = score_occupations(criteria, weights)
    if not fits:
        st.info(
            "None of your weighted criteria is linked to an O\\*NET element, so there is nothing to score. "
            "Link criteria on My profile (the default profile comes linked).",
            icon=":material/link_off:",
        )
        st.page_link(PAGE_PROFILE, label="My profile", icon=":material/tune:")
        st.caption(md(ATTRIBUTION))
        return
    draw_add_own(store)
    zone, family, text = draw_filters()
    found = discover(criteria, weights, careers, zone=zone, family=family, text=text or None)
    show = st.radio("Show", SHOW_OPTIONS, horizontal=True, key=SHOW_KEY, index=1)
    if not found:
        st.info("No occupation matches these filters.", icon=":material/filter_alt_off:")
    st.caption(f"{len(found)} occupations match; best fit first (fit on 0-100).")
    for position, entry in enumerate(found[: int(show)], start=1):
        draw_entry(store, position, entry)
    draw_related(store, careers, fits)
    draw_map(fits, found, careers)
    st.divider()
    st.caption(md(f"O*NET {ONET_VERSION}. {ATTRIBUTION}"))


main()
