"""Issue 13's journey fixes that an earlier test did not pin (AppTest): each test here fails with its bug back.

A number that lands on exactly .5 reads the same on the chart, in the table and from ``career-fit rank``;
a board column emptied after "Show more" keeps no stray "Show fewer"; each draft on Prepare is shown once
(its edit box waits, folded, in an expander); Log & rate opens a career's completed, unrated interview when
the user switches to that career; restoring a saved workbook in session mode reports the weights it restored.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from analytics import pipeline
from analytics.beliefs.ranking import rank
from analytics.cli import main as cli_main
from analytics.numbers import shown
from analytics.spreadsheets.export import workbook_bytes
from analytics.store import Store
from tests.support.apptest_tools import APP, STORE_KEY, charts, ok, open_page, texts

DAY = date(2026, 11, 22)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store() as s:
        yield s


def page(name: str, store: Store, tab: str | None = None, **state: Any) -> AppTest:
    """``pages/<name>.py`` on ``store`` (today is :data:`DAY`), opened on the Interviews tab ``tab``."""
    return open_page(name, store, tab, today=DAY, **state)


# -- one number, one rounding: the chart, the table and the CLI agree on x.5 ------------------------------------


def half_way_store(path: Path) -> None:
    """A store whose numbers land exactly on .5 by the published formula (shares (mean - 1) / 4):

    - Cook: expectations of 4.3 on every criterion, not interviewed: expected fit and estimate 82.5;
    - Archivist: expectations of 3.5 everywhere: 62.5;
    - Baker: two interviews rating every criterion 3 and 4 (mean 3.5): evidence 62.5, and 62.5 in both its dimensions.
    """
    with Store(path) as s:
        s.save_criteria(
            [
                {"name": "Lab work", "dimension": "interest", "weight": 2.0},
                {"name": "Pay", "dimension": "value", "weight": 2.0},
            ]
        )
        s.set_setting("first_run_done", True)
        criteria = [c.id for c in s.criteria()]
        s.save_expectations("Cook", {c: 4.3 for c in criteria})
        s.save_expectations("Archivist", {c: 3.5 for c in criteria})
        s.add_interview("Baker", "Ann Ode", date(2026, 11, 1), ratings={c: 3.0 for c in criteria})
        s.add_interview("Baker", "Bo Lind", date(2026, 11, 2), ratings={c: 4.0 for c in criteria})


def cli_rank_table(path: Path) -> dict[str, dict[str, str]]:
    """``career-fit --db PATH rank`` as printed: career (without its "(basis)") -> column -> cell."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_main(["--db", str(path), "rank"]) == 0
    lines = out.getvalue().splitlines()
    header, rule = lines[0], lines[1]
    spans = [m.span() for m in re.finditer(r"-+", rule)]  # the dashes under each heading give its columns
    names = [header[a:b].strip() for a, b in spans]
    table: dict[str, dict[str, str]] = {}
    for line in lines[2:]:
        if not line.strip() or len(line) < spans[-1][0]:
            break
        cells = [line[a:b].strip() for a, b in spans]
        row = dict(zip(names, cells, strict=True))
        table[re.sub(r" \(.*\)$", "", row["career"])] = row
    return table


def chart_hover(at: AppTest) -> dict[str, str]:
    """Career -> every hover text the ranking chart gives it, joined (the Plotly spec, as sent to the browser)."""
    [figure] = [f for f in charts(at) if any(t.get("name") == "Chance best" for t in f["data"])]
    hover: dict[str, list[str]] = {}
    for trace in figure["data"]:
        for text in trace.get("hovertext") or []:
            career = text.removeprefix("<b>").split("</b>", 1)[0]  # each hover opens with the career in bold
            hover.setdefault(career, []).append(text)
    return {career: "<br>".join(lines) for career, lines in hover.items()}


def number_after(text: str, label: str) -> int:
    found = re.search(rf"{label} (\d+)", text)
    assert found is not None, f"no '{label} N' in {text!r}"
    return int(found.group(1))


def test_a_fit_of_exactly_x_5_reads_the_same_on_the_chart_in_the_table_and_in_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "career-fit.duckdb"
    half_way_store(path)
    cli = cli_rank_table(path)
    with Store(path) as store:
        at = page("career_fit", store)
        engine = {s.career: s for s in rank(store)}
        # the scenario really lands on .5, where rounding half to even and half away from zero differ
        assert (engine["Cook"].fit, engine["Cook"].expected_fit) == (82.5, 82.5)
        assert engine["Archivist"].fit == 62.5
        assert engine["Baker"].evidence_fit == 62.5
        assert (engine["Baker"].dimensions["interest"], engine["Baker"].dimensions["value"]) == (62.5, 62.5)
        [table] = [d.value for d in at.dataframe if {"Career", "Fit", "Evidence"} <= set(d.value.columns)]
        rows = {r["Career"]: r for r in table.to_dict("records")}
        hover = chart_hover(at)

    # one rule, documented: half away from zero (82.5 -> 83, 62.5 -> 63)
    assert (shown(82.5), shown(62.5)) == (83, 63)
    for career, fit in (("Cook", 83), ("Archivist", 63)):
        assert number_after(hover[career], "estimated fit") == fit, hover[career]
        assert rows[career]["Fit"] == fit  # a whole number, not 82.5 left for the grid to format
        assert int(cli[career]["fit"]) == fit, cli[career]
    assert number_after(hover["Cook"], "expected fit") == 83
    assert rows["Cook"]["Expected fit"] == 83
    assert int(cli["Cook"]["expected"]) == 83
    assert number_after(hover["Baker"], "evidence") == 63, hover["Baker"]
    assert rows["Baker"]["Evidence"] == 63
    assert int(cli["Baker"]["evidence"]) == 63
    assert rows["Baker"]["Interests"] == 63 and int(cli["Baker"]["interest"]) == 63
    assert rows["Baker"]["Values"] == 63 and int(cli["Baker"]["value"]) == 63


# -- the board: no stray "Show fewer" once a column that showed more is short or empty --------------------------


def board_buttons(at: AppTest, stage: str) -> list[str]:
    """The labels of the "Show ..." buttons under the column of ``stage``."""
    keys = (f"pipeline_more_{stage}", f"pipeline_fewer_{stage}")
    return [b.label for b in at.button if b.key in keys]


def test_a_column_emptied_after_show_more_keeps_no_show_fewer(store: Store) -> None:
    people = [f"Person {n:02d}" for n in range(pipeline.BOARD_CARDS + 1)]
    ids = [pipeline.add_to_pipeline(store, "Archivist", who, on=date(2026, 11, 1)) for who in people]
    at = page("interviews", store, "Pipeline")
    assert board_buttons(at, "identified") == ["Show 1 more"]
    ok(at.button(key="pipeline_more_identified").click().run())
    assert board_buttons(at, "identified") == ["Show fewer"]  # 13 cards: the column can fold back
    ok(at.button(key=f"board_{ids[0]}_to_requested").click().run())  # one moved on from its card
    for iid in ids[1:-2]:  # and most of the rest, until two are left
        pipeline.move_stage(store, iid, "requested", on=DAY)
    ok(at.run())
    assert "**Identified** (2)" in [m.value for m in at.markdown]
    assert board_buttons(at, "identified") == []  # two cards: nothing to fold
    for iid in ids[-2:]:
        pipeline.move_stage(store, iid, "requested", on=DAY)
    ok(at.run())
    assert "**Identified** (0)" in [m.value for m in at.markdown]
    assert board_buttons(at, "identified") == []  # an empty column: no button under it
    assert [b.label for b in at.button if b.label == "Show fewer" or re.fullmatch(r"Show \d+ more", b.label)] == [
        "Show 1 more"  # the requested column now holds all 13: only its own "more" is offered
    ]


# -- Prepare: each draft is shown once; its edit box waits folded in an expander ---------------------------------


def visible_drafts(at: AppTest) -> list[tuple[str, str]]:
    """(kind, text) of every draft a user sees without unfolding anything: copy blocks and edit boxes that
    hold a message (it starts with its subject line) outside a folded expander."""
    seen: list[tuple[str, str]] = []

    def walk(node: Any, folded: bool) -> None:
        kind = getattr(node, "type", "")
        if kind == "expander":
            folded = folded or not node.proto.expanded
        if kind in ("code", "text_area") and not folded and str(node.value).startswith("Subject:"):
            seen.append((kind, str(node.value)))
        for child in getattr(node, "children", {}).values():
            walk(child, folded)

    walk(at.main, False)
    return seen


def test_each_draft_shows_once_and_its_edit_box_waits_folded(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Genetic Counselor", "Ada Byron", on=date(2026, 11, 1))
    pipeline.move_stage(store, iid, "completed", on=date(2026, 11, 20))
    at = page("interviews", store, "Prepare", pipeline_prepare_pick=iid)
    drafts = visible_drafts(at)
    assert [kind for kind, _ in drafts] == ["code", "code"], drafts  # the request and the thank-you, once each
    assert len({text for _, text in drafts}) == 2
    edit_boxes = [t for t in at.text_area if str(t.value).startswith("Subject:")]
    assert len(edit_boxes) == 2  # each draft can still be edited: in its expander, folded
    assert {str(t.value) for t in edit_boxes} == {text for _, text in drafts}
    # an edit shows in the copy block, and still only once
    edited = str(edit_boxes[0].value).replace("Subject:", "Subject: Re:", 1)
    edit_boxes[0].input(edited).run()
    drafts = visible_drafts(ok(at))
    assert [kind for kind, _ in drafts] == ["code", "code"] and edited in [text for _, text in drafts]


# -- Log & rate: switching to a career opens its completed, unrated interview ------------------------------------


def test_switching_career_opens_its_completed_unrated_interview(store: Store) -> None:
    criterion = store.criteria()[0].id
    store.add_interview("Baker", "Cy Pratt", date(2026, 11, 10), ratings={criterion: 4.0}, stage="completed")
    waiting = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    pipeline.move_stage(store, waiting, "completed", on=date(2026, 11, 21))
    career_ids = {c.name: c.id for c in store.careers()}
    baker, archivist = career_ids["Baker"], career_ids["Archivist"]
    at = page("interviews", store, "Log & rate", log_career="Baker")  # a career already chosen
    assert at.selectbox(key=f"log_interview_{baker}").value == -1  # Baker has nothing waiting: New interview
    at.selectbox(key="log_career").set_value("Archivist").run()
    ok(at)
    assert at.selectbox(key=f"log_interview_{archivist}").value == waiting
    assert any(b.label == "Save changes" for b in at.button)  # the form rates that interview, not a new one
    assert not any(b.label == "Save interview" for b in at.button)


# -- session mode: restoring a saved workbook reports the weights it restored ------------------------------------


def test_restoring_a_saved_workbook_reports_the_real_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREER_FIT_STORAGE", "session")
    monkeypatch.delenv("CAREER_FIT_DB", raising=False)
    with Store(seed_defaults=False) as saved:
        saved.add_criterion("Remote work", "value", 5)
        saved.add_criterion("Lab work", "interest", 1.5)
        saved.add_criterion("Fieldwork", "skill", 5)
        saved.add_interview("Harbour Pilot", "Ann", date(2026, 3, 1), ratings={saved.criteria()[0].id: 5})
        workbook = workbook_bytes(saved)
        weights = {c.name: c.weight for c in saved.criteria()}
    at = ok(AppTest.from_file(str(APP), default_timeout=30).run())  # the Overview, with the sidebar
    store: Store = at.session_state[STORE_KEY]
    at.sidebar.file_uploader[0].set_value(("my-work.xlsx", workbook, "application/octet-stream"))
    ok(next(b for b in at.run().button if b.label == "Replace my data with this workbook").click().run())
    assert {c.name: c.weight for c in store.criteria()} == weights  # the weights were restored...
    said = texts(at)
    assert "now what my-work.xlsx holds" in said
    assert "added 2 criteria with weight 5: Remote work, Fieldwork" in said, said  # ...and the summary says so
    assert "added 1 criterion with weight 1.5: Lab work" in said, said
    assert "with weight 3" not in said
