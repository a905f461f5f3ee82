"""The bundled demo: a student's profile, nine careers and a term of informational interviews.

It lets a newcomer see a ranked, explained list before entering anything of their own. The demo's files
are ordinary Career Fit spreadsheets and load through the importer, as the sheets of one import (checked by
every rule a user's file is, written in one transaction); the imported result is kept in memory, so loading
it again (each visitor of a shared deployment, a "reload the demo") is one copy.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

from .db.backup import StoreImage, image_of
from .db.writes import set_setting
from .store import Store

DEMO_DATA: Traversable = files("analytics") / "data" / "demo"
"""The demo's CSV files, inside the package (a built wheel carries them), wherever it is installed."""
DEMO_DIMENSION_WEIGHTS = {"interest": 1.0, "skill": 1.0, "value": 1.0}
DEMO_FILES = ("criteria", "careers", "contacts", "interviews", "ratings")

_kept: StoreImage | None = None
_kept_lock = threading.Lock()


def load_demo(store: Store) -> None:
    """Replace everything in ``store`` (but its import log) with the demo data, in one transaction."""
    store.replace_with(demo_image(store))


def demo_image(host: Store) -> StoreImage:
    """The demo as the importer writes it into an empty store: imported the first time in a process, into a
    scratch store inside ``host``'s DuckDB instance with a copy of its schema (a DuckDB instance of its own and
    the schema made step by step would cost some 35 ms, a good part of the import), and kept from then on."""
    global _kept
    with _kept_lock:
        if _kept is None:
            # (a read-only store cannot have one attached, nor take the demo: the copy into it says so, as ever)
            with Store(seed_defaults=False) if host.read_only else Store(beside=host) as scratch:
                _kept = _imported(scratch)
        return _kept


def forget_demo_image() -> None:
    """Forget the kept demo: the next load goes through the importer again (what a new process does)."""
    global _kept
    with _kept_lock:
        _kept = None


def _imported(scratch: Store) -> StoreImage:
    from .spreadsheets.ingest import import_several

    with ExitStack() as stack:  # (real paths: the files are read where they are, unless the package is zipped)
        paths = [stack.enter_context(as_file(DEMO_DATA.joinpath(f"{name}.csv"))) for name in DEMO_FILES]
        import_several(scratch, paths, "demo")
    with scratch.transaction(touches_ratings=False) as cur:
        set_setting(cur, "dimension_weights", DEMO_DIMENSION_WEIGHTS)
        set_setting(cur, "demo_loaded", True)
    return image_of(scratch, with_import_log=False)
