"""Backups kept before the app replaces the user's data (starting an empty store, reloading the demo).

A store kept in a file is copied, whole, into a ``backups`` folder next to it: a DuckDB file that Career
Fit opens like any other (``career-fit --db BACKUP rank``). A store kept in memory (a shared deployment)
has no folder to write to, so its backup is the workbook export, which the app offers for download and
which imports back into an empty store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .demo import load_demo
from .store import Store

KEEP_BACKUPS = 20


@dataclass(frozen=True)
class Backup:
    """Where a backup went: a file next to the store, or workbook bytes to hand to the user."""

    file_name: str
    path: Path | None = None
    data: bytes | None = None

    def describe(self) -> str:
        if self.path is not None:
            return f"A copy of your data was saved to {self.path}."
        return "A copy of your data was kept as a workbook: download it below to keep it."


def backup_folder(store: Store) -> Path:
    return Path(store.path).expanduser().resolve().parent / "backups"


def make_backup(store: Store, *, now: datetime | None = None) -> Backup:
    """Keep a copy of everything ``store`` holds; never overwrites an earlier backup."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    if store.in_memory:
        from .export import workbook_bytes

        return Backup(file_name=f"career-fit-backup-{stamp}.xlsx", data=workbook_bytes(store))
    folder = backup_folder(store)
    stem = Path(store.path).stem
    target = folder / f"{stem}-{stamp}.duckdb"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{stamp}-{number}.duckdb"
    store.backup_to(target)
    _prune(folder, stem)
    return Backup(file_name=target.name, path=target)


def backups(store: Store) -> list[Path]:
    """The backups of a file store, newest first."""
    if store.in_memory:
        return []
    folder = backup_folder(store)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{Path(store.path).stem}-*.duckdb"), key=lambda p: p.name, reverse=True)


def _prune(folder: Path, stem: str) -> None:
    old = sorted(folder.glob(f"{stem}-*.duckdb"), key=lambda p: p.name, reverse=True)[KEEP_BACKUPS:]
    for path in old:
        path.unlink(missing_ok=True)


def start_empty(store: Store) -> Backup:
    """Back up, then empty the store down to the default profile (the user's own fresh start)."""
    backup = make_backup(store)
    store.reset(seed_defaults=True)
    store.set_setting("first_run_done", True)
    return backup


def reload_demo(store: Store) -> Backup:
    """Back up, then replace everything with the bundled demo data."""
    backup = make_backup(store)
    load_demo(store)
    store.set_setting("first_run_done", True)
    return backup
