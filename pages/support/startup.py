"""The server process's first script run made cheaper: Python's cycle collector, numpy's BLAS threads and
Streamlit's check for a Python prompt.

The first visitor of a fresh ``streamlit run`` waits for the first run of ``app.py``, which imports DuckDB,
numpy and the app's own modules (tens of thousands of new objects). On the way Python's cycle collector would
run some 40 times over them and over everything Streamlit loaded at start-up (about 10 ms of the first paint),
although none of it is garbage. :func:`first_run_of_process` runs the first run without cycle collections
(``gc.disable``) and turns them back on when it ends; nothing is kept longer than one page's run.

(The full collection Streamlit makes after every run, ``runner.postScriptGC``, is off in
``.streamlit/config.toml``: it walked every object of the process, 100 to 170 ms after each click here, and
held the interpreter lock meanwhile, so the page's "finished" reached the browser only after it. Python's
own generational collector still runs, and in session mode a new visit (at most one every 10 s) collects in
full for the visits that have ended: see ``pages.support.session``.)

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


@contextmanager
def first_run_of_process() -> Iterator[None]:
    """Around a run of ``app.py``: the process's first run goes without cycle collections and starts numpy with
    one BLAS thread; every later run is left as it is."""
    if _FIRST_RUN_STARTED.is_set():
        yield
        return
    _FIRST_RUN_STARTED.set()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read by OpenBLAS once, when numpy first loads
    skip_prompt_check()
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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
