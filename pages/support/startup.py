"""The server process's first script run made cheaper: Python's cycle collector and numpy's BLAS threads.

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
    start-up objects, and starts numpy with one BLAS thread; every later run is left as it is."""
    if _FIRST_RUN_STARTED.is_set():
        yield
        return
    _FIRST_RUN_STARTED.set()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read by OpenBLAS once, when numpy first loads
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
