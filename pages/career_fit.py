"""Career fit: every career's estimated fit with its band, its evidence, the chance it is the best, what would
change the top pick, and one career in detail."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from analytics.beliefs import CareerScore
from analytics.beliefs.explain import CALIBRATION_TEXT, MODEL_TEXT, coverage_warning
from analytics.models import DIMENSIONS
from analytics.numbers import shown
from pages.support.cache import assessment, detail, top_pick_sensitivity
from pages.support.feedback import show_flashes
from pages.support.session import get_store
from pages.support.text import (
    DIMENSION_LABELS,
    UNASSIGNED_LABEL,
    band_text,
    chance_text,
    interview_label,
    md,
    plotly_text,
    score_text,
)
from pages.support.widgets import PAGE_DATA, PAGE_INTERVIEWS, PAGE_PROFILE, page_links

CHART_KEY = "fit_chart_top"
CHART_DEFAULT = 15
DETAIL_KEY = "fit_detail_career"
COMPARE_KEY = "fit_compare"
EVIDENCE_COLOUR = "#2ca02c"  # green: the interview ratings alone
EXPECTED_COLOUR = "#ff8700"  # orange: readable on the light and the dark theme

store = get_store()
st.title("Career fit")
show_flashes()

result = assessment(store)
scores = list(result.scores)
ranked = [s for s in scores if s.fit is not None]

if not ranked:
    st.info(
        "Nothing to rank yet. A career gets an estimated **fit** once you rate it after an informational "
        "interview, record your expectations of it, or link it to an O*NET occupation."
        + (f" You have {len(scores)} career{'s' * (len(scores) != 1)} with nothing recorded yet." if scores else ""),
        icon=":material/leaderboard:",
    )
    page_links(
        (PAGE_INTERVIEWS, "Log and rate an interview", ":material/forum:"),
        (PAGE_PROFILE, "Check your profile", ":material/tune:"),
        (PAGE_DATA, "Import ratings", ":material/upload_file:"),
    )
    st.stop()

st.markdown(
    "Every career scored against your weighted profile, 0-100. The dot is the **estimated fit** with its **band** "
    "(where the true fit lies, about 9 times in 10); the green bar marks what the interview ratings alone say "
    "(**evidence**), the orange diamond your **expected fit** from before the interviews. On the right: the "
    "**chance** that each career is truly the best on your list."
)

verdict = top_pick_sensitivity(store)
if verdict is not None:
    st.info(md(verdict.sentence), icon=":material/balance:")


# -- the ranking chart --------------------------------------------------------------------------------------


def _marks(scores: list[CareerScore], field: str, name: str, what: str, marker: dict[str, object]) -> go.Scatter:
    """One mark per career that has ``field`` (a 0-100 score), at that score, with ``what`` in its hover."""
    marked = [(s, getattr(s, field)) for s in scores if getattr(s, field) is not None]
    return go.Scatter(
        name=name,
        y=[plotly_text(s.career) for s, _ in marked],
        x=[value for _, value in marked],
        mode="markers",
        marker=marker,
        hovertext=[f"<b>{plotly_text(s.career)}</b><br>{what} {shown(value)}" for s, value in marked],
        hoverinfo="text",
    )


def ranking_chart(shown_scores: list[CareerScore]) -> go.Figure:
    # Plotly draws tick labels, legend names and hover text as a subset of HTML: user text goes in escaped.
    names = [plotly_text(s.career) for s in shown_scores]
    figure = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.78, 0.22],
        horizontal_spacing=0.03,
        subplot_titles=("Estimated fit, with its band", "Chance best"),
    )
    hover = []
    for s in shown_scores:
        lines = [f"<b>{plotly_text(s.career)}</b>", f"estimated fit {shown(s.fit)}, band {band_text(s)}"]
        lines.append(f"evidence {shown(s.evidence_fit)}" if s.evidence_fit is not None else "no interview yet")
        lines.append(f"based on {plotly_text(s.basis)}; coverage {shown(100 * s.coverage)}%")
        hover.append("<br>".join(lines))
    figure.add_trace(
        go.Scatter(
            name="Estimated fit and band (about 90%)",
            y=names,
            x=[s.fit for s in shown_scores],
            mode="markers",
            marker={
                "size": 12,
                "symbol": [("circle" if s.interviews else "circle-open") for s in shown_scores],
                "line": {"width": 2},
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [(s.high or 0) - (s.fit or 0) for s in shown_scores],
                "arrayminus": [(s.fit or 0) - (s.low or 0) for s in shown_scores],
                "thickness": 2.5,
                "width": 7,
            },
            hovertext=hover,
            hoverinfo="text",
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        _marks(
            shown_scores,
            "evidence_fit",
            "Evidence: interview ratings alone",
            "evidence",
            {"size": 16, "symbol": "line-ns-open", "color": EVIDENCE_COLOUR, "line": {"width": 3}},
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        _marks(
            shown_scores,
            "expected_fit",
            "Expected fit (before interviews)",
            "expected fit",
            {"size": 11, "symbol": "diamond-open", "color": EXPECTED_COLOUR, "line": {"width": 2.5}},
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            name="Chance best",
            y=names,
            x=[100 * (s.p_best or 0.0) for s in shown_scores],
            orientation="h",
            text=[chance_text(s.p_best) for s in shown_scores],
            textposition="outside",
            cliponaxis=False,
            hovertext=[f"<b>{plotly_text(s.career)}</b><br>chance best {chance_text(s.p_best)}" for s in shown_scores],
            hoverinfo="text",
            showlegend=False,
            marker={"color": "#7f7f7f"},
        ),
        row=1,
        col=2,
    )
    figure.update_layout(
        height=max(280, 34 * len(shown_scores) + 150),
        margin={"l": 10, "r": 30, "t": 70, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.06, "xanchor": "left", "x": 0},
        yaxis={
            "categoryorder": "array",
            "categoryarray": names,
            "autorange": "reversed",
            "title": {"text": "Career (best first)"},
        },
    )
    figure.update_xaxes(title_text="Fit (0-100)", range=[0, 100], dtick=10, row=1, col=1)
    figure.update_xaxes(title_text="%", range=[0, 115], showticklabels=False, row=1, col=2)
    return figure


st.subheader("Ranking")
top = len(ranked)
if len(ranked) > CHART_DEFAULT:
    top = st.slider("Careers in the chart", 5, len(ranked), CHART_DEFAULT, key=CHART_KEY)
st.plotly_chart(ranking_chart(ranked[:top]), theme="streamlit", config={"displayModeBar": False})
hollow = [s for s in ranked[:top] if not s.interviews]
if hollow:
    st.caption(
        "Hollow dots: not interviewed yet, estimated from "
        + ", ".join(sorted({s.basis for s in hollow}))
        + ". Their wide bands show how little is known."
    )
warnings = [(s, text) for s in ranked if (text := coverage_warning(s))]
for score, text in warnings:
    st.warning(f"**{md(score.career)}**: {md(text)}", icon=":material/help:")

table = pd.DataFrame(
    {
        "Rank": [position if s.fit is not None else None for position, s in enumerate(scores, start=1)],
        "Career": [s.career for s in scores],
        "Fit": [shown(s.fit) for s in scores],
        "Band": [band_text(s) for s in scores],
        "Chance best": [chance_text(s.p_best) for s in scores],
        "Based on": [s.basis for s in scores],
        "Evidence": [shown(s.evidence_fit) for s in scores],
        "Expected fit": [shown(s.expected_fit) for s in scores],
        "Coverage": [shown(100 * s.coverage) for s in scores],
        **{DIMENSION_LABELS[d]: [shown(s.dimensions.get(d)) for s in scores] for d in DIMENSIONS},
    }
)
st.dataframe(
    table,
    hide_index=True,
    height=min(38 + 35 * len(scores), 420),
    placeholder="—",
    column_config={
        "Rank": st.column_config.NumberColumn("Rank", width=48),
        "Career": st.column_config.TextColumn("Career", width=170),
        "Fit": st.column_config.ProgressColumn(
            "Fit",
            min_value=0,
            max_value=100,
            format="%d",
            width=110,
            help="The estimated fit, 0-100: what the ranking sorts by.",
        ),
        "Band": st.column_config.TextColumn("Band", width=64, help="About a 90% range for the fit."),
        "Chance best": st.column_config.TextColumn(
            "Chance best", width=84, help="The chance this career is truly the best on your list."
        ),
        "Based on": st.column_config.TextColumn("Based on", width=150, help="What the estimate rests on."),
        "Evidence": st.column_config.NumberColumn(
            "Evidence", format="%d", width=72, help="What the interview ratings alone say (the published formula)."
        ),
        "Expected fit": st.column_config.NumberColumn(
            "Expected", format="%d", width=72, help="Your expected fit, from before the interviews."
        ),
        "Coverage": st.column_config.ProgressColumn(
            "Coverage",
            min_value=0,
            max_value=100,
            format="%d%%",
            width=100,
            help="Share of what matters to you (criteria, by weight) that interviews have rated.",
        ),
        **{
            DIMENSION_LABELS[d]: st.column_config.NumberColumn(DIMENSION_LABELS[d], format="%d", width=70)
            for d in DIMENSIONS
        },
    },
)

# -- dimension breakdown ------------------------------------------------------------------------------------

st.subheader("By dimension, against the ideal")
interviewed = [s for s in scores if s.interviews]
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
            values = [by_name[name].dimensions.get(d) for d in DIMENSIONS]
            figure.add_trace(
                go.Bar(
                    name=plotly_text(name),
                    x=labels,
                    y=values,
                    text=[score_text(v) for v in values],
                    textposition="outside",
                    hovertemplate=f"<b>{plotly_text(name)}</b><br>%{{x}}: %{{text}}<extra></extra>",
                )
            )
        figure.add_hline(y=100, line_dash="dash", annotation_text="ideal (100)", annotation_position="top left")
        figure.update_layout(
            barmode="group",
            height=380,
            margin={"l": 10, "r": 10, "t": 40, "b": 40},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
            yaxis={"title": {"text": "Dimension score from the interviews (0-100)"}, "range": [0, 112]},
            xaxis={"title": {"text": "Dimension"}},
        )
        st.plotly_chart(figure, theme="streamlit", config={"displayModeBar": False})
        st.caption(
            "From the interview ratings alone: 100 means the interviews say the career fully offers everything you "
            "weighted in that dimension. A missing bar: no rating in that dimension yet."
        )
    else:
        st.caption("Choose careers to compare.")

# -- one career in detail -----------------------------------------------------------------------------------

st.subheader("One career in detail")


@st.fragment
def one_career_in_detail() -> None:
    """The detail of the career picked: a fragment, so picking another career redraws this section only (the
    ranking, charts and comparison above stay as they are). It reads the ranking of the current data itself."""
    scores = list(assessment(store).scores)
    by_id = {s.career_id: s for s in scores}
    ranked_ids = [s.career_id for s in scores if s.fit is not None]
    detail_id = st.selectbox("Career", ranked_ids, key=DETAIL_KEY, format_func=lambda i: by_id[i].career)
    score = by_id[detail_id]
    career = next(c for c in store.careers() if c.id == detail_id)

    m1, m2, m3, m4, m5 = st.columns(5)
    m1.metric("Estimated fit", score_text(score.fit), help="What the ranking sorts by, 0-100.")
    m2.metric("Band", band_text(score), help="Where the true fit lies, about 9 times in 10.")
    m3.metric("Chance best", chance_text(score.p_best), help="The chance it is truly the best on your list.")
    change = None
    if score.evidence_fit is not None and score.expected_fit is not None:
        change = shown(score.evidence_fit - score.expected_fit)
    m4.metric(
        "Expected fit",
        score_text(score.expected_fit),
        delta=change,
        delta_description="evidence minus expected" if change is not None else None,
        help="Your expectations before interviewing, scored like the evidence; the change is what the interviews said.",
    )
    m5.metric("Coverage", f"{shown(100 * score.coverage)}%", help="Share of what matters to you that interviews rated.")
    if score.onet_code:
        st.caption(f"Linked to the O*NET occupation {md(score.onet_title or score.onet_code)} ({md(score.onet_code)}).")
    if career.notes:
        st.markdown(f"**Your notes on {md(career.name)}.** {md(career.notes, one_line=False)}")

    career_rows = detail(store, detail_id)
    if not career_rows.voices:
        st.info(
            f"{md(career.name)} has no interview ratings yet: its estimate rests on {md(score.basis)}. Plan an "
            "informational interview with someone in this career, then rate it on the Interviews page."
        )
    rows = []
    for row in career_rows.rows:
        entry: dict[str, object] = {
            "Criterion": row.criterion,
            "Dimension": DIMENSION_LABELS.get(row.dimension or "", UNASSIGNED_LABEL),
            "Weight": row.weight,
            "Believed": row.believed,
            "Likely": "—" if row.believed_low is None else f"{row.believed_low:.1f}–{row.believed_high:.1f}",
            "Expected": row.expected,
            "Mean": row.mean,
            "Spread": row.spread,
        }
        for voice, value in zip(career_rows.voices, row.ratings, strict=True):
            entry[interview_label(voice.held_on, voice.interviewee)] = value
        rows.append(entry)
    st.markdown("**Per criterion** (1-5; – = not discussed)")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        placeholder="–",
        height=38 + 35 * len(rows),
        column_config={
            "Criterion": st.column_config.TextColumn("Criterion", pinned=True),
            "Weight": st.column_config.NumberColumn("Weight", format="%g", width="small"),
            "Believed": st.column_config.NumberColumn(
                "Believed", format="%.1f", help="What the model now believes the career offers (1-5)"
            ),
            "Likely": st.column_config.TextColumn("Likely", help="About a 90% range for the believed value"),
            "Expected": st.column_config.NumberColumn("Expected", format="%g", help="Your expectation"),
            "Mean": st.column_config.NumberColumn("Mean", format="%.1f", help="Mean of the interview ratings"),
            "Spread": st.column_config.NumberColumn(
                "Spread", format="%g", help="Highest minus lowest rating among the interviewees"
            ),
            **{
                label: st.column_config.NumberColumn(label, format="%g")
                for label in (interview_label(v.held_on, v.interviewee) for v in career_rows.voices)
            },
        },
    )
    if career_rows.voices and career_rows.never_discussed:
        unrated = ", ".join(md(n) for n in career_rows.never_discussed)
        st.caption(f"Not rated in any interview yet (ask next time): {unrated}")

    if career_rows.voices:
        st.markdown("**Where interviewees disagree**")
        if len(career_rows.voices) < 2:
            st.caption("Only one interview so far: talk to a second person to see where views differ.")
        elif not career_rows.disagreements:
            st.caption("The interviewees broadly agree: no criterion's ratings differ by 2 or more.")
        else:
            for row in career_rows.disagreements:
                views = ", ".join(
                    f"{md(v.interviewee or 'unnamed')} gave {value:g}"
                    for v, value in zip(career_rows.voices, row.ratings, strict=True)
                    if value is not None
                )
                st.markdown(f"- **{md(row.criterion)}** (weight {row.weight:g}): {views}")

        st.markdown("**Interview notes**")
        noted = [i for i in store.interviews(detail_id) if i.notes]
        if not noted:
            st.caption("No notes on these interviews.")
        for interview in noted:
            label = interview_label(interview.held_on, interview.interviewee)
            st.markdown(f"*{md(label)}.* {md(interview.notes, one_line=False)}")


one_career_in_detail()

# -- how scores work -----------------------------------------------------------------------------------------

with st.expander("How scores work", icon=":material/calculate:"):
    weights = store.dimension_weights()
    st.markdown(MODEL_TEXT)
    st.latex(
        r"\text{fit}_c = 100 \sum_k \tilde w_k\, \hat\theta_{ck}, \qquad "
        r"\text{band} = \text{fit}_c \pm 1.645 \cdot 100\sqrt{\tilde w^\top \Sigma_c \tilde w}"
    )
    st.markdown(
        "Your dimension weights now: interests "
        f"{weights['interest']:g}, skills {weights['skill']:g}, values {weights['value']:g}. The **evidence** "
        "score is the published formula over interview ratings alone: per dimension, the weighted mean of "
        "`(mean rating - 1) / 4` over the rated criteria, then the dimensions weighted by these weights."
    )
    st.markdown(CALIBRATION_TEXT)
