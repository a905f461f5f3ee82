"""The bundled demo: a student's profile, nine careers and a term of informational interviews.

It lets a newcomer see a ranked, explained list before entering anything of their own. The demo's files
are ordinary Career Fit spreadsheets and load through the importer, so they obey every rule a user's
file does; the imported result is kept in memory, so loading it again (each visitor of a shared
deployment, a "reload the demo") is one copy.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from .db.backup import StoreImage, image_of
from .store import MEMORY, Store

DEMO_DATA: Traversable = files("analytics") / "data" / "demo"
"""The demo's CSV files, inside the package (a built wheel carries them), wherever it is installed."""
DEMO_DIMENSION_WEIGHTS = {"interest": 1.0, "skill": 1.0, "value": 1.0}
# In the order the importer needs them: a table's names exist before a later table refers to them.
DEMO_FILES = ("criteria", "careers", "contacts", "interviews", "ratings")


@lru_cache(maxsize=1)
def _demo_image() -> StoreImage:
    """The demo as the importer writes it into an empty store (profile, careers, ..., settings)."""
    from .spreadsheets.ingest import import_bytes

    with Store(MEMORY, seed_defaults=False) as scratch:
        for name in DEMO_FILES:
            import_bytes(scratch, DEMO_DATA.joinpath(f"{name}.csv").read_bytes(), f"{name}.csv")
        scratch.set_setting("dimension_weights", DEMO_DIMENSION_WEIGHTS)
        scratch.set_setting("demo_loaded", True)
        return image_of(scratch, with_import_log=False)


def load_demo(store: Store) -> None:
    """Replace everything in ``store`` (but its import log) with the demo data, in one transaction."""
    store.replace_with(_demo_image())
