"""The server process's first script run made cheaper: Python's cycle collector, numpy's BLAS threads and
Streamlit's check for a Python prompt.

The first visitor of a fresh ``streamlit run`` waits for the first run of ``app.py``, which imports DuckDB,
numpy and the app's own modules (some 40,000 new objects). On the way Python's cycle collector runs its full
collection over everything Streamlit loaded at start-up as well (about 100,000 objects, 0.1 s of the first
paint), although none of that is garbage. :func:`first_run_of_process` sets Streamlit's start-up objects
aside for that one run (``gc.freeze``) and hands them back to the collector when it ends (``gc.unfreeze``),
so nothing is kept longer than without it: the first session ends and is collected like any other.

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
    """Around a run of ``app.py``: the process's first run goes without full collections of Streamlit's own
    start-up objects and starts numpy with one BLAS thread; every later run is left as it is."""
    if _FIRST_RUN_STARTED.is_set():
        yield
        return
    _FIRST_RUN_STARTED.set()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read by OpenBLAS once, when numpy first loads
    skip_prompt_check()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
