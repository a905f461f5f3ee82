"""The server process's first script run made cheaper: Python's cycle collector, numpy's BLAS threads and
Streamlit's check for a Python prompt.

The first visitor of a fresh ``streamlit run`` waits for the first run of ``app.py``, which imports DuckDB,
numpy and the app's own modules. Python's cycle collector would walk every object of the process on the way:
during the run (about 10 ms of collections), and once more right after it, when Streamlit collects in full
after every run (``runner.postScriptGC``): about 110,000 objects, 85 to 95 ms here against 60 ms for a bare
two-heading app, none of it garbage. That last collection holds the interpreter lock, so the page's elements
and its "finished" reach the browser only after it. :func:`first_run_of_process` runs the first run without
collections (``gc.freeze`` sets the start-up objects aside, ``gc.disable`` holds the rest) and, when it ends,
sets everything then alive aside too, so the collection after it has almost nothing to walk. The next run of
the process, whichever visitor's, hands it all back to the collector (``gc.unfreeze``) before it starts: its
own collection after it walks everything, as every run does without this module. Nothing is kept longer than
until that run, and a server that never runs again holds only what was alive after its first page.

It also asks OpenBLAS (numpy's linear algebra) for one thread, unless ``OPENBLAS_NUM_THREADS`` is set already.
Its second thread costs about 70 ms of CPU while numpy loads (it spins, waiting for work) and never pays
back here: the app's matrices have one row per criterion (a few dozen), far below the size where OpenBLAS
splits work between threads.

And it spares the first element of the process Streamlit's check for a Python prompt. Before it draws its
first element, Streamlit asks whether it was imported at an interactive prompt (to print "use streamlit run"
there) by reading the source of every frame on the call stack with :func:`inspect.stack`, which resolves the
real path of every module loaded so far (about 1,100 here, some 10,000 ``lstat`` calls: 50 ms on a quiet
machine, over 150 ms on a busy one). Under ``streamlit run`` the answer is always no, so when Streamlit's
runtime is running the check is marked done. Should a Streamlit upgrade rename what is marked, nothing breaks:
the check simply runs again.

(It does not import numpy on a thread while the store opens: DuckDB's connect and Python's imports both hold
the interpreter lock, and measured that way the first run took longer, not less: 336 and 367 ms against 318
and 348 ms, medians of 8 first runs each, alternating.)
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_FIRST_RUN_STARTED = threading.Event()
_FIRST_RUN_ENDED = threading.Event()
_HANDED_BACK = threading.Event()
_HAND_BACK_LOCK = threading.Lock()


@contextmanager
def first_run_of_process() -> Iterator[None]:
    """Around a run of ``app.py``: the process's first run goes without cycle collections (and leaves what it
    made to the next run's) and starts numpy with one BLAS thread; the next run hands everything back to the
    collector first; every later run is left as it is."""
    if _FIRST_RUN_STARTED.is_set():
        hand_back_after_first_run()
        yield
        return
    _FIRST_RUN_STARTED.set()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read by OpenBLAS once, when numpy first loads
    skip_prompt_check()
    gc.freeze()
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # everything alive now waits for the next run: Streamlit's collection after this one is short
        if collecting:
            gc.enable()
        _FIRST_RUN_ENDED.set()


def hand_back_after_first_run() -> bool:
    """Once the first run has ended, hand what it set aside back to the cycle collector (once per process); True
    if this call did. A run that starts while the first one still runs leaves it to a later run."""
    with _HAND_BACK_LOCK:
        if not _FIRST_RUN_ENDED.is_set() or _HANDED_BACK.is_set():
            return False
        _HANDED_BACK.set()
        gc.unfreeze()
        return True


def skip_prompt_check() -> bool:
    """Under ``streamlit run``, mark Streamlit's once-per-process "imported at a Python prompt?" check as done
    (see the module's docstring); True if it was marked. Outside a running Streamlit server (tests, tools,
    ``python app.py``) nothing changes, so the warning shows where it means something."""
    from streamlit import delta_generator, runtime

    if not runtime.exists() or not hasattr(delta_generator, _PROMPT_CHECK_DONE):
        return False
    setattr(delta_generator, _PROMPT_CHECK_DONE, True)
    return True


# streamlit.delta_generator's flag for its check (Streamlit 1.67): True once the check has run
_PROMPT_CHECK_DONE = "_use_warning_has_been_displayed"
