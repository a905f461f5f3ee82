"""The server process's first run of app.py (pages/support/startup.py): no cycle collections during it, what it
leaves set aside until the process's next run, and the one BLAS thread it asks for unless told otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: the freeze is once per process, and this test process has had its first run.
PROBE = """
import gc, json, os, weakref
from pages.support.startup import first_run_of_process

class Node:
    pass

before = gc.get_freeze_count()
with first_run_of_process():
    during = gc.get_freeze_count()
    collecting_during = gc.isenabled()
    early = Node(); early.me = early  # garbage in a cycle, made during the first run
    early_gone = weakref.ref(early)
    del early
after_first = gc.get_freeze_count()
collecting_after = gc.isenabled()
gc.collect()  # Streamlit's collection after the first run: the first run's cycle is set aside, not collected
kept_until_next_run = early_gone() is not None

with first_run_of_process():  # the next run hands everything back before it starts
    during_second = gc.get_freeze_count()
gc.collect()  # ...so the collection after it frees the first run's garbage
with first_run_of_process():  # a later run changes nothing
    pass
after_third = gc.get_freeze_count()

cycle = Node(); cycle.me = cycle  # garbage made by a later run, in a cycle: collected
gone = weakref.ref(cycle)
del cycle
gc.collect()
print(json.dumps({
    "before": before, "during": during, "collecting_during": collecting_during, "after_first": after_first,
    "collecting_after": collecting_after, "kept_until_next_run": kept_until_next_run,
    "during_second": during_second, "after_third": after_third,
    "first_run_cycle_collected": early_gone() is None,
    "later_cycle_collected": gone() is None, "blas": os.environ.get("OPENBLAS_NUM_THREADS"),
}))
"""


def probe(**environment: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | environment
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(out.stdout)


def test_the_first_run_collects_nothing_and_the_next_run_hands_everything_back() -> None:
    seen = probe()
    assert seen["before"] == 0
    assert seen["during"] > 0 and seen["collecting_during"] is False  # no collections during the first run
    # what was alive when it ended (its garbage cycle too) waits, set aside, for the next run; collections are back on
    assert seen["after_first"] > 0 and seen["kept_until_next_run"] is True
    assert seen["collecting_after"] is True
    assert seen["during_second"] == 0  # the next run hands everything back before it starts
    assert seen["after_third"] == 0  # a later run changes nothing
    assert seen["first_run_cycle_collected"] is True and seen["later_cycle_collected"] is True


def test_a_run_that_starts_during_the_first_leaves_the_hand_back_to_a_later_run() -> None:
    """Two visitors at once: the second run starts while the first still runs; nothing is handed back then
    (the first run sets its objects aside when it ends), and the run after the first has ended does it."""
    script = """
import gc, json
from pages.support import startup
with startup.first_run_of_process():
    early = startup.hand_back_after_first_run()
    frozen_during = gc.get_freeze_count()
later = startup.hand_back_after_first_run()
again = startup.hand_back_after_first_run()
print(json.dumps({"early": early, "frozen_during": frozen_during > 0, "later": later, "again": again,
                  "left": gc.get_freeze_count()}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "early": False,
        "frozen_during": True,
        "later": True,
        "again": False,
        "left": 0,
    }


def test_numpy_gets_one_blas_thread_unless_the_user_chose() -> None:
    assert probe()["blas"] == "1"
    assert probe(OPENBLAS_NUM_THREADS="4")["blas"] == "4"


def test_the_prompt_check_is_marked_done_only_under_a_running_streamlit(monkeypatch) -> None:
    from streamlit import delta_generator, runtime

    from pages.support import startup

    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: False)  # tests, tools, ``python app.py``: left as it is
    assert startup.skip_prompt_check() is False
    assert delta_generator._use_warning_has_been_displayed is False
    monkeypatch.setattr(runtime, "exists", lambda: True)  # ``streamlit run``
    assert startup.skip_prompt_check() is True
    assert delta_generator._use_warning_has_been_displayed is True


def test_the_pinned_streamlit_has_the_prompt_check_flag_and_reads_it_before_its_check() -> None:
    """If an upgrade renames the flag, this fails: the first paint would pay for the check again."""
    import inspect

    from streamlit import delta_generator

    assert isinstance(getattr(delta_generator, "_use_warning_has_been_displayed", None), bool)
    source = inspect.getsource(delta_generator._maybe_print_use_warning)
    assert source.index("if not _use_warning_has_been_displayed") < source.index("is_repl()")


def test_a_marked_prompt_check_spares_the_first_element_the_call_stack_walk() -> None:
    """In a fresh interpreter: with the check marked done, the first element never calls inspect.stack."""
    probe_script = """
import inspect, json
from unittest import mock
import streamlit as st
from streamlit import runtime
from pages.support import startup
with mock.patch.object(runtime, "exists", lambda: True):
    marked = startup.skip_prompt_check()
with mock.patch.object(inspect, "stack", side_effect=AssertionError("walked the stack")) as stack:
    st.empty()
print(json.dumps({"marked": marked, "stack_calls": stack.call_count}))
"""
    out = subprocess.run(
        [sys.executable, "-c", probe_script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"marked": True, "stack_calls": 0}
