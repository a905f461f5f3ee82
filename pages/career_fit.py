"""Career fit: the ranking with its uncertainty, the dimension breakdown, coverage, and one career in detail."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.models import DIMENSIONS
from analytics.scoring import BAND_METHOD, CareerScore
from pages.common import (
    DIMENSION_LABELS,
    PAGE_DATA,
    PAGE_INTERVIEWS,
    PAGE_PROFILE,
    UNASSIGNED_LABEL,
    band_text,
    get_store,
    interview_label,
    md,
    page_links,
    plotly_text,
    ranking,
    score_text,
    show_flashes,
)

DISAGREEMENT = 2.0  # ratings of one criterion this far apart (on 1-5) count as a disagreement
CHART_KEY = "fit_chart_top"
CHART_DEFAULT = 15
DETAIL_KEY = "fit_detail_career"
COMPARE_KEY = "fit_compare"

store = get_store()
st.title("Career fit")
show_flashes()

scores = ranking(store)
rated = [s for s in scores if s.fit is not None or s.expected_fit is not None]

if not rated:
    st.info(
        "Nothing to rank yet. A career gets a **fit** once you rate it after an informational interview, and an "
        "**expected fit** once you record your expectations of it."
        + (f" You have {len(scores)} career{'s' * (len(scores) != 1)} without ratings." if scores else ""),
        icon=":material/leaderboard:",
    )
    page_links(
        (PAGE_INTERVIEWS, "Log and rate an interview", ":material/forum:"),
        (PAGE_PROFILE, "Check your profile", ":material/tune:"),
        (PAGE_DATA, "Import ratings", ":material/upload_file:"),
    )
    st.stop()

interviewed = [s for s in rated if s.fit is not None]
st.markdown(
    "Every career scored against your weighted profile, 0-100. The **band** shows where a fit could still move "
    "with more interviews; the hollow diamond is your **expected fit** from before the interviews."
)
if not interviewed:
    st.info("No career has been rated in an interview yet: the order below comes from your expectations alone.")


# -- the ranking chart --------------------------------------------------------------------------------------


EXPECTED_COLOUR = "#ff8700"  # orange: readable on the light and the dark theme


def ranking_chart(shown: list[CareerScore]) -> go.Figure:
    # Plotly draws tick labels, legend names and hover text as a subset of HTML: user text goes in escaped.
    names = [plotly_text(s.career) for s in shown]
    with_fit = [s for s in shown if s.fit is not None]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            name="Fit, with its band (about 90%)",
            y=[plotly_text(s.career) for s in with_fit],
            x=[s.fit for s in with_fit],
            mode="markers",
            marker={"size": 12, "symbol": "circle"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [s.high - s.fit for s in with_fit],
                "arrayminus": [s.fit - s.low for s in with_fit],
                "thickness": 2.5,
                "width": 7,
            },
            hovertext=[
                f"<b>{plotly_text(s.career)}</b><br>fit {s.fit:.0f}, band {s.low:.0f}-{s.high:.0f}<br>"
                f"{s.interviews} interview{'s' * (s.interviews != 1)}, coverage {s.coverage:.0%}"
                for s in with_fit
            ],
            hoverinfo="text",
        )
    )
    expected = [s for s in shown if s.expected_fit is not None]
    figure.add_trace(
        go.Scatter(
            name="Expected fit (before interviews)",
            y=[plotly_text(s.career) for s in expected],
            x=[s.expected_fit for s in expected],
            mode="markers",
            marker={"size": 11, "symbol": "diamond-open", "color": EXPECTED_COLOUR, "line": {"width": 2.5}},
            hovertext=[f"<b>{plotly_text(s.career)}</b><br>expected fit {s.expected_fit:.0f}" for s in expected],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        height=max(260, 34 * len(shown) + 130),
        margin={"l": 10, "r": 10, "t": 40, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        xaxis={"title": {"text": "Fit (0-100)"}, "range": [0, 100], "dtick": 10},
        yaxis={
            "title": {"text": "Career (best first)"},
            "categoryorder": "array",
            "categoryarray": names,
            "autorange": "reversed",
        },
    )
    return figure


st.subheader("Ranking")
top = len(rated)
if len(rated) > CHART_DEFAULT:
    top = st.slider("Careers in the chart", 5, len(rated), CHART_DEFAULT, key=CHART_KEY)
st.plotly_chart(ranking_chart(rated[:top]), theme="streamlit", config={"displayModeBar": False})

table = pd.DataFrame(
    {
        "Rank": range(1, len(scores) + 1),
        "Career": [s.career for s in scores],
        "Fit": [s.fit for s in scores],
        "Band": [band_text(s) for s in scores],
        "Expected fit": [s.expected_fit for s in scores],
        "Change": [None if s.fit is None or s.expected_fit is None else s.fit - s.expected_fit for s in scores],
        "Interviews": [s.interviews for s in scores],
        "Coverage": [100 * s.coverage for s in scores],
        **{DIMENSION_LABELS[d]: [s.dimensions.get(d) for s in scores] for d in DIMENSIONS},
    }
)
number = "%.0f"
st.dataframe(
    table,
    hide_index=True,
    height=min(38 + 35 * len(scores), 420),
    placeholder="—",
    column_config={
        "Rank": st.column_config.NumberColumn("Rank", width=48),
        "Career": st.column_config.TextColumn("Career", width=170),
        "Interviews": st.column_config.NumberColumn("Interviews", width=76),
        "Fit": st.column_config.ProgressColumn("Fit", min_value=0, max_value=100, format=number, width=120),
        "Band": st.column_config.TextColumn(
            "Band", width=64, help="About a 90% range for the fit; see How scores work."
        ),
        "Expected fit": st.column_config.NumberColumn(
            "Expected", format=number, width=72, help="Your expected fit, from before the interviews."
        ),
        "Change": st.column_config.NumberColumn(
            "Change",
            format="%+.0f",
            width=66,
            help="Fit minus expected fit: how the interviews changed your view.",
        ),
        "Coverage": st.column_config.ProgressColumn(
            "Coverage",
            min_value=0,
            max_value=100,
            format="%.0f%%",
            width=100,
            help="Share of what matters to you (criteria, by weight) that interviews have rated.",
        ),
        **{
            DIMENSION_LABELS[d]: st.column_config.NumberColumn(DIMENSION_LABELS[d], format=number, width=70)
            for d in DIMENSIONS
        },
    },
)

# -- dimension breakdown ------------------------------------------------------------------------------------

st.subheader("By dimension, against the ideal")
names = [s.career for s in interviewed]
if not names:
    st.caption("Shown once a career is rated in an interview.")
else:
    chosen = st.multiselect(
        "Careers to compare", names, default=names[: min(3, len(names))], key=COMPARE_KEY, max_selections=8
    )
    by_name = {s.career: s for s in interviewed}
    if chosen:
        labels = [DIMENSION_LABELS[d] for d in DIMENSIONS]
        figure = go.Figure()
        for name in chosen:
            score = by_name[name]
            values = [score.dimensions.get(d) for d in DIMENSIONS]
            figure.add_trace(
                go.Bar(
                    name=plotly_text(name),
                    x=labels,
                    y=values,
                    text=[score_text(v) for v in values],
                    textposition="outside",
                    hovertemplate=f"<b>{plotly_text(name)}</b><br>%{{x}}: %{{y:.0f}}<extra></extra>",
                )
            )
        figure.add_hline(y=100, line_dash="dash", annotation_text="ideal (100)", annotation_position="top left")
        figure.update_layout(
            barmode="group",
            height=380,
            margin={"l": 10, "r": 10, "t": 40, "b": 40},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
            yaxis={"title": {"text": "Dimension score (0-100)"}, "range": [0, 112]},
            xaxis={"title": {"text": "Dimension"}},
        )
        st.plotly_chart(figure, theme="streamlit", config={"displayModeBar": False})
        st.caption(
            "100 means the interviews say the career fully offers everything you weighted in that dimension. "
            "A missing bar: no rating in that dimension yet."
        )
    else:
        st.caption("Choose careers to compare.")

# -- one career in detail -----------------------------------------------------------------------------------

st.subheader("One career in detail")
options = [s.career_id for s in rated]
by_id = {s.career_id: s for s in scores}
detail_id = st.selectbox("Career", options, key=DETAIL_KEY, format_func=lambda i: by_id[i].career)
score = by_id[detail_id]
career = next(c for c in store.careers() if c.id == detail_id)

m1, m2, m3, m4 = st.columns(4)
m1.metric("Fit", score_text(score.fit), help="From your interview ratings, 0-100.")
m2.metric("Band", band_text(score), help="Where the fit could still move with more interviews (about a 90% range).")
change = None if score.fit is None or score.expected_fit is None else round(score.fit - score.expected_fit)
m3.metric(
    "Expected fit",
    score_text(score.expected_fit),
    delta=change,
    delta_description="fit minus expected" if change is not None else None,
    help="Your expectations before interviewing, scored the same way; the change is what the interviews told you.",
)
m4.metric(
    "Coverage",
    f"{score.coverage:.0%}",
    help="Share of what matters to you (by weight) that the interviews have rated.",
)
if career.notes:
    st.markdown(f"**Your notes on {md(career.name)}.** {md(career.notes, one_line=False)}")

criteria = store.criteria()
ratings = store.career_ratings(detail_id)
expectations = store.expectations(detail_id)
if not ratings:
    st.info(
        f"{md(career.name)} has no interview ratings yet"
        + (", only your expectations." if expectations else ".")
        + " Plan an informational interview with someone in this career, then rate it on the Interviews page."
    )
else:
    interviews = {i.id: i for i in store.interviews(detail_id)}
    frame = pd.DataFrame(ratings, columns=["interview", "interviewee", "date", "criterion", "rating"])
    frame["who"] = [interview_label(d, w) for d, w in zip(frame["date"], frame["interviewee"], strict=True)]
    order = list(dict.fromkeys(frame["who"]))
    wide = frame.pivot_table(index="criterion", columns="who", values="rating", aggfunc="first")[order]
    rows = []
    for criterion in criteria:
        values = wide.loc[criterion.id] if criterion.id in wide.index else None
        row = {
            "Criterion": criterion.name,
            "Dimension": DIMENSION_LABELS.get(criterion.dimension or "", UNASSIGNED_LABEL),
            "Weight": criterion.weight,
            "Expected": expectations.get(criterion.id),
        }
        for who in order:
            row[who] = None if values is None or pd.isna(values[who]) else float(values[who])
        rows.append(row)
    detail = pd.DataFrame(rows)
    per_person = detail[order]
    detail.insert(4, "Mean", per_person.mean(axis=1, skipna=True))
    detail.insert(5, "Spread", per_person.max(axis=1, skipna=True) - per_person.min(axis=1, skipna=True))
    st.markdown("**Ratings per interviewee** (1-5; – = not discussed)")
    st.dataframe(
        detail,
        hide_index=True,
        placeholder="–",
        height=38 + 35 * len(detail),
        column_config={
            "Criterion": st.column_config.TextColumn("Criterion", pinned=True),
            "Weight": st.column_config.NumberColumn("Weight", format="%g", width="small"),
            "Expected": st.column_config.NumberColumn("Expected", format="%g", help="Your expectation"),
            "Mean": st.column_config.NumberColumn("Mean", format="%.1f"),
            "Spread": st.column_config.NumberColumn(
                "Spread", format="%g", help="Highest minus lowest rating among the interviewees"
            ),
            **{who: st.column_config.NumberColumn(who, format="%g") for who in order},
        },
    )
    unrated = [c.name for c in criteria if c.weight > 0 and c.dimension and c.id not in wide.index]
    if unrated:
        st.caption("Not rated in any interview yet (ask next time): " + ", ".join(md(n) for n in unrated))

    st.markdown("**Where interviewees disagree**")
    split = detail[detail["Spread"] >= DISAGREEMENT].sort_values(["Spread", "Weight"], ascending=False)
    if len(order) < 2:
        st.caption("Only one interview so far: talk to a second person to see where views differ.")
    elif split.empty:
        st.caption(f"The interviewees broadly agree: no criterion's ratings differ by {DISAGREEMENT:g} or more.")
    else:
        for _, row in split.iterrows():
            views = ", ".join(f"{md(who)} gave {row[who]:g}" for who in order if pd.notna(row[who]))
            st.markdown(f"- **{md(row['Criterion'])}** (weight {row['Weight']:g}): {views}")

    st.markdown("**Interview notes**")
    noted = [i for i in interviews.values() if i.notes]
    if not noted:
        st.caption("No notes on these interviews.")
    for interview in noted:
        st.markdown(
            f"*{md(interview_label(interview.held_on, interview.interviewee))}.* {md(interview.notes, one_line=False)}"
        )

# -- how scores work -----------------------------------------------------------------------------------------

with st.expander("How scores work", icon=":material/calculate:"):
    weights = store.dimension_weights()
    st.markdown(
        "For a career *c* and a criterion *k* of weight *w_k* (0-5) in dimension *d(k)*:\n\n"
        "1. The mean of the interview ratings of *c* on *k* (1-5), rescaled to 0-1:"
    )
    st.latex(r"s_{ck} = \frac{\bar r_{ck} - 1}{4}")
    st.markdown(
        "2. Each dimension score is the weighted mean over the criteria of that dimension that the career has "
        "ratings for and whose weight is above 0 (no such rating: no score):"
    )
    st.latex(r"D_{cd} = 100 \cdot \frac{\sum_{k \in d} w_k \, s_{ck}}{\sum_{k \in d} w_k}")
    st.markdown(
        "3. The fit is the mean of the dimension scores that exist, weighted by your dimension weights "
        f"(now interests {weights['interest']:g}, skills {weights['skill']:g}, values {weights['value']:g}):"
    )
    st.latex(r"F_c = \frac{\sum_d W_d \, D_{cd}}{\sum_d W_d}")
    st.markdown(
        "4. **Coverage** is the share of your profile's total weight that has interview ratings for the "
        "career. **Expected fit** scores your expectations the same way and is shown beside the fit, never "
        "mixed into it. A career with no interview ratings has no fit.\n\n"
        "Careers with a fit are ranked first, best first; then careers with only expectations, by expected fit."
    )
    st.markdown(BAND_METHOD)
