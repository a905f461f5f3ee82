"""The server process's first run of app.py (pages/support/startup.py): no cycle collections during that run
only, the one BLAS thread it asks for unless told otherwise; and no full collection by Streamlit after every
run (.streamlit/config.toml)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: the first run is once per process, and this test process has had its first run.
PROBE = """
import gc, json, os, weakref
from pages.support.startup import first_run_of_process

class Node:
    pass

before = gc.isenabled()
with first_run_of_process():
    during = gc.isenabled()
    early = Node(); early.me = early  # garbage in a cycle, made during the first run
    early_gone = weakref.ref(early)
    del early
after_first = gc.isenabled()

with first_run_of_process():  # a later run changes nothing
    during_second = gc.isenabled()

cycle = Node(); cycle.me = cycle  # garbage made by a later run, in a cycle: still collected
gone = weakref.ref(cycle)
del cycle
gc.collect()
print(json.dumps({
    "before": before, "during": during, "after_first": after_first, "during_second": during_second,
    "frozen": gc.get_freeze_count(),
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


def test_the_first_run_only_goes_without_collections_and_nothing_is_kept_longer() -> None:
    seen = probe()
    assert seen["before"] is True and seen["during"] is False  # no collections during the first run
    assert seen["after_first"] is True  # ...and back on when it ends
    assert seen["during_second"] is True  # a later run changes nothing
    assert seen["frozen"] == 0  # nothing set aside
    assert seen["first_run_cycle_collected"] is True and seen["later_cycle_collected"] is True


def test_streamlit_makes_no_full_collection_after_every_run() -> None:
    """Its walk over every object cost 100 to 170 ms after each click, before the browser saw the page finished.
    If an upgrade drops or renames the setting, this fails: the option must still exist to be turned off."""
    from streamlit import config

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["runner"]["postScriptGC"] is False
    assert "runner.postScriptGC" in config._config_options_template


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
