"""Backups kept before the app replaces the user's data, and restoring one.

Every destructive action (starting an empty store, reloading the demo, replacing everything with a
workbook, restoring a backup) keeps a backup first. A backup is a whole copy of the DuckDB database:

* a store kept in a file is copied into a ``backups`` folder next to it: a DuckDB file that Career Fit
  opens like any other (``career-fit --db BACKUP rank``); the newest :data:`KEEP_BACKUPS` are kept;
* a store kept in memory (a shared deployment, one store per browser session) has no folder to write to:
  its backups are the same copy, compressed, held by this module next to that store for as long as the
  store lives (the visitor's session), newest :data:`KEEP_MEMORY_BACKUPS` kept. Any backup can also be
  downloaded as a workbook (:func:`backup_workbook`), which imports back into an empty store.

:func:`restore_backup` makes the store hold exactly what the backup holds, after keeping a backup of the
current state; :func:`replace_from_workbook` does the same from an uploaded Career Fit workbook.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .demo import load_demo
from .errors import StoreError
from .store import MEMORY, Store

if TYPE_CHECKING:
    from .spreadsheets.ingest import ImportReport

KEEP_BACKUPS = 20
KEEP_MEMORY_BACKUPS = 10
MEMORY_BACKUP_BYTES = 64 * 2**20  # at most this much of compressed backups per in-memory store (the newest stays)
STAMP = "%Y%m%d-%H%M%S"
# Why a backup was kept: a short key (part of a backup file's name) and how the app says it.
REASONS = {
    "start-empty": "before starting an empty store",
    "demo": "before loading the demo data",
    "workbook": "before replacing everything with a workbook",
    "import": "before importing a workbook",
    "restore": "before restoring a backup",
    "manual": "kept on request",
    "": "backup",
}
_NAME = re.compile(r"^(?P<stamp>\d{8}-\d{6})(?:-(?P<number>\d+))?(?:-(?P<reason>[a-z][a-z-]*))?\.duckdb$")
_MEMORY_BACKUPS: weakref.WeakKeyDictionary[Store, list[Backup]] = weakref.WeakKeyDictionary()
_MEMORY_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False)
class Backup:
    """One backup: a DuckDB file next to the store, or (a store in memory) its compressed bytes."""

    created: datetime
    reason: str = ""
    path: Path | None = None
    image: bytes | None = field(default=None, repr=False)
    number: int = 1

    @property
    def file_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return f"career-fit-{self.created:{STAMP}}{self._second_of_its_kind}.duckdb"

    @property
    def workbook_name(self) -> str:
        return f"career-fit-backup-{self.created:{STAMP}}{self._second_of_its_kind}.xlsx"

    @property
    def label(self) -> str:
        """How the app lists it: when, and why it was kept (a second backup within the same second is "(2)",
        so that two backups never read alike in the picker)."""
        second = f" ({self.number})" if self.number > 1 else ""
        return f"{self.created:%d %b %Y, %H:%M:%S}{second}, {REASONS.get(self.reason, REASONS[''])}"

    @property
    def _second_of_its_kind(self) -> str:
        return f"-{self.number}" if self.number > 1 else ""

    @property
    def size(self) -> int:
        if self.path is not None:
            return self.path.stat().st_size if self.path.exists() else 0
        return len(self.image or b"")

    def describe(self) -> str:
        if self.path is not None:
            return f"A copy of your data was saved to {self.path}; you can restore it from the Data page."
        return (
            "A copy of your data was kept for this visit: restore it from the Data page, or download it as a "
            "workbook to keep it."
        )


# -- making and listing backups ---------------------------------------------------------------------------


def backup_folder(store: Store) -> Path:
    return Path(store.path).expanduser().resolve().parent / "backups"


def make_backup(store: Store, reason: str = "manual", *, now: datetime | None = None) -> Backup:
    """Keep a whole copy of everything ``store`` holds; never overwrites an earlier backup."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    created = (now or datetime.now()).replace(microsecond=0)
    if store.in_memory:
        return _memory_backup(store, reason, created)
    folder = backup_folder(store)
    stem = Path(store.path).stem
    number = 1
    target = folder / _file_name(stem, created, number, reason)
    while target.exists() or any(_same_moment(p, stem, created, number) for p in _files(folder, stem)):
        number += 1
        target = folder / _file_name(stem, created, number, reason)
    store.backup_to(target)
    _prune(folder, stem)
    return Backup(created, reason, path=target, number=number)


def list_backups(store: Store) -> list[Backup]:
    """Every backup of ``store`` that is still kept, newest first."""
    if store.in_memory:
        with _MEMORY_LOCK:
            return list(reversed(_MEMORY_BACKUPS.get(store, [])))
    folder = backup_folder(store)
    stem = Path(store.path).stem
    found = [b for b in (_parse(path, stem) for path in _files(folder, stem)) if b is not None]
    return sorted(found, key=lambda b: (b.created, b.number), reverse=True)


def backups(store: Store) -> list[Path]:
    """The backup files of a file store, newest first (none for a store in memory)."""
    return [b.path for b in list_backups(store) if b.path is not None]


def _memory_backup(store: Store, reason: str, created: datetime) -> Backup:
    with _scratch() as folder:
        copy = folder / "backup.duckdb"
        store.backup_to(copy)
        image = zlib.compress(copy.read_bytes(), 6)
    with _MEMORY_LOCK:
        kept = _MEMORY_BACKUPS.setdefault(store, [])
        number = 1 + max((b.number for b in kept if b.created == created), default=0)
        backup = Backup(created, reason, image=image, number=number)
        kept.append(backup)
        while len(kept) > KEEP_MEMORY_BACKUPS or (len(kept) > 1 and sum(b.size for b in kept) > MEMORY_BACKUP_BYTES):
            kept.pop(0)
    return backup


def _file_name(stem: str, created: datetime, number: int, reason: str) -> str:
    return f"{stem}-{created:{STAMP}}{f'-{number}' if number > 1 else ''}{f'-{reason}' if reason else ''}.duckdb"


def _files(folder: Path, stem: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.glob(f"{_glob_escape(stem)}-*.duckdb") if _NAME.match(p.name[len(stem) + 1 :])]


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _parse(path: Path, stem: str) -> Backup | None:
    found = _NAME.match(path.name[len(stem) + 1 :])
    if found is None:
        return None
    created = datetime.strptime(found["stamp"], STAMP)
    return Backup(created, found["reason"] or "", path=path, number=int(found["number"] or 1))


def _same_moment(path: Path, stem: str, created: datetime, number: int) -> bool:
    backup = _parse(path, stem)
    return backup is not None and backup.created == created and backup.number == number


def _prune(folder: Path, stem: str) -> None:
    kept = sorted(
        (b for b in (_parse(p, stem) for p in _files(folder, stem)) if b is not None),
        key=lambda b: (b.created, b.number),
        reverse=True,
    )
    for old in kept[KEEP_BACKUPS:]:
        if old.path is not None:
            old.path.unlink(missing_ok=True)


# -- restoring ----------------------------------------------------------------------------------------------


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="career-fit-backup-") as folder:
        yield Path(folder)


def _staged(backup: Backup, folder: Path) -> Path:
    """A private copy of ``backup`` with this version's schema (the backup itself is never touched)."""
    target = folder / "restore.duckdb"
    if backup.path is not None:
        if not backup.path.is_file():
            raise StoreError(f"the backup {backup.file_name} is no longer there")
        shutil.copyfile(backup.path, target)
    elif backup.image is not None:
        try:
            target.write_bytes(zlib.decompress(backup.image))
        except zlib.error:
            raise StoreError(f"the backup {backup.file_name} is damaged") from None
    else:
        raise StoreError("that backup holds no data")
    Store(target, seed_defaults=False).close()  # migrates a backup written by an older Career Fit
    return target


@contextmanager
def open_backup(backup: Backup) -> Iterator[Store]:
    """The backup opened as a store of its own (a private copy: nothing written there reaches the backup)."""
    with _scratch() as folder:
        store = Store(_staged(backup, folder), seed_defaults=False)
        try:
            yield store
        finally:
            store.close()


def backup_workbook(backup: Backup) -> bytes:
    """The backup as a Career Fit workbook (``.xlsx``), to download and import elsewhere."""
    from .spreadsheets.export import workbook_bytes

    with open_backup(backup) as store:
        return workbook_bytes(store)


def restore_backup(store: Store, backup: Backup) -> Backup:
    """Make ``store`` hold exactly what ``backup`` holds; the current data is backed up first.

    Returns the backup of the state before the restore (so a restore can itself be undone). Nothing
    changes if the backup cannot be read.
    """
    with _scratch() as folder:
        staged = _staged(backup, folder)
        safety = make_backup(store, "restore")
        store.replace_from(staged)
    _settled(store)
    return safety


def replace_from_workbook(
    store: Store, data: bytes, file_name: str, *, scale: str = "1-5", skip_invalid: bool = False
) -> tuple[Backup, ImportReport]:
    """Make ``store`` hold exactly what a Career Fit workbook holds (a visitor's saved work).

    The workbook is imported into a store of its own first: any problem raises
    :class:`InvalidInputError` with one line each (unless ``skip_invalid``: then the valid rows are used) and
    leaves ``store`` as it was. Then the current data is
    backed up and replaced, in one transaction. Returns that backup and the import report.
    """
    from .spreadsheets.ingest import import_bytes

    with Store(MEMORY, seed_defaults=False) as scratch:
        report = import_bytes(scratch, data, file_name, scale=scale, skip_invalid=skip_invalid, expect="workbook")
        _settled(scratch)
        with _scratch() as folder:
            scratch.backup_to(folder / "workbook.duckdb")
            backup = make_backup(store, "workbook")
            store.replace_from(folder / "workbook.duckdb")
    return backup, report


def _settled(store: Store) -> None:
    """A store the user chose the contents of: the first-run demo and welcome are behind them."""
    store.set_setting("first_run_done", True)
    store.set_setting("welcome_pending", False)


# -- the destructive actions ---------------------------------------------------------------------------------


def start_empty(store: Store) -> Backup:
    """Back up, then empty the store down to the default profile (the user's own fresh start)."""
    backup = make_backup(store, "start-empty")
    store.reset(seed_defaults=True)
    store.set_setting("first_run_done", True)
    return backup


def reload_demo(store: Store) -> Backup:
    """Back up, then replace everything with the bundled demo data."""
    backup = make_backup(store, "demo")
    load_demo(store)
    store.set_setting("first_run_done", True)
    return backup
