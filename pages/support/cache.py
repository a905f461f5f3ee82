"""Reads per data version: every page reads the store through one ``st.cache_data``, keyed on the store's own
id and its revision.

A write bumps the store's revision, so the next read recomputes; until then every page and rerun gets the
stored result (a copy: ``st.cache_data`` hands out copies, so nothing a page does can change it). The key is
an id the store is given once (a random token), never ``id(store)``: Python reuses ids of freed objects, so an
ended visit's results could otherwise reach a new visitor's store in session mode.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import streamlit as st

from analytics import pipeline
from analytics.beliefs import Assessment, CareerScore, Sensitivity, Standing, assess, sensitivity
from analytics.errors import BusyError, CareerFitError, InvalidInputError
from analytics.models import Career, Contact, Criterion, Interview
from analytics.store import Store

if TYPE_CHECKING:  # imported where read: the Overview's first paint needs neither
    from analytics.beliefs.detail import CareerDetail
    from analytics.recommend import Exploration
    from analytics.spreadsheets.report import ImportPreview

_TOKENS: weakref.WeakKeyDictionary[Store, str] = weakref.WeakKeyDictionary()
_STORES: weakref.WeakValueDictionary[str, Store] = weakref.WeakValueDictionary()
_LOCK = threading.Lock()


def store_token(store: Store) -> str:
    """The store's own id for cache keys: random, given once, never reused by another store."""
    with _LOCK:
        token = _TOKENS.get(store)
        if token is None:
            token = uuid.uuid4().hex
            _TOKENS[store] = token
            _STORES[token] = store
        return token


def _explore(store: Store) -> Exploration:
    from analytics.recommend import explore

    return explore(store)


def _career_detail(store: Store, career_id: int) -> CareerDetail:
    from analytics.beliefs.detail import career_detail

    return career_detail(store, assessment(store), career_id)


# What a page may read through the cache: name -> function of (store, *args). Pure reads only.
READS: dict[str, Callable[..., Any]] = {
    "assessment": assess,
    # the scores alone: a page that shows no beliefs reads (and copies) a few hundred kB, not the beliefs
    # of every career (about 20 MB at 2,000 careers)
    "ranking": lambda store: assess(store).scores,
    # the ranking in brief (the Overview): a few scores, not one per career
    "standing": lambda store, top: assess(store).standing(top),
    "exploration": lambda store: _explore(store),
    "sensitivity": lambda store: sensitivity(assessment(store)),
    "career_detail": lambda store, career_id: _career_detail(store, career_id),
    "criteria": lambda store: store.criteria(),
    "careers": lambda store: store.careers(),
    "contacts": lambda store: store.contacts(),
    "interviews": lambda store, career_id=None: store.interviews(career_id),
    "counts": lambda store: store.counts(),
    "board_cards": pipeline.board_cards,
    "reminders": lambda store, today: pipeline.reminders(store, today=today),
    "what_works": pipeline.what_works,
    "imports": lambda store: store.imports(),
}


@st.cache_data(show_spinner=False, max_entries=256)
def _read(token: str, revision: int, name: str, args: tuple[Any, ...]) -> Any:
    store = _STORES.get(token)
    if store is None:  # the store has gone (its visit ended): nothing may be served in its name
        raise LookupError("this store is closed")
    return READS[name](store, *args)


def cached(store: Store, name: str, *args: Any) -> Any:
    """``READS[name](store, *args)`` for the store's current revision, computed once per data version."""
    return _read(store_token(store), store.revision, name, args)


def assessment(store: Store) -> Assessment:
    """The ranking and the beliefs behind it (what Career fit, its sensitivity and detail table read)."""
    return cached(store, "assessment")


def exploration(store: Store) -> Exploration:
    """The investigate-next list and the career families of the store's careers."""
    return cached(store, "exploration")


def top_pick_sensitivity(store: Store) -> Sensitivity | None:
    """What would change the top pick (see :mod:`analytics.beliefs.sensitivity`)."""
    return cached(store, "sensitivity")


def detail(store: Store, career_id: int) -> CareerDetail:
    """One career in detail: ratings per interviewee and the beliefs per criterion."""
    return cached(store, "career_detail", career_id)


def ranking(store: Store) -> list[CareerScore]:
    """Every career's score, best first (the Overview's top careers): without the beliefs behind them."""
    return list(cached(store, "ranking"))


def standing(store: Store, top: int) -> Standing:
    """The ranking in brief with its first ``top`` careers (the Overview): made without a score per career."""
    return cached(store, "standing", top)


def criteria(store: Store) -> list[Criterion]:
    return cached(store, "criteria")


def careers(store: Store) -> list[Career]:
    return cached(store, "careers")


def contacts(store: Store) -> list[Contact]:
    return cached(store, "contacts")


def interviews(store: Store, career_id: int | None = None) -> list[Interview]:
    return cached(store, "interviews", career_id)


def counts(store: Store) -> dict[str, int]:
    return cached(store, "counts")


def board_cards(store: Store) -> list[pipeline.BoardCard]:
    return cached(store, "board_cards")


def reminders(store: Store, today: date) -> list[pipeline.Reminder]:
    return cached(store, "reminders", today)


def what_works(store: Store) -> pipeline.WhatWorks:
    return cached(store, "what_works")


def imports(store: Store) -> list[dict[str, Any]]:
    return cached(store, "imports")


# -- the import preview: once per uploaded file, options and data version ------------------------------------


class Upload(Protocol):
    """What the preview needs of a Streamlit ``UploadedFile``."""

    file_id: str
    name: str

    def getvalue(self) -> bytes: ...


@dataclass(frozen=True)
class PreviewResult:
    """How an upload would import (``preview``), or why it cannot: located ``problems`` or one ``error`` line;
    or ``busy``: why it could not be read just now (every file reader busy), to try again."""

    preview: ImportPreview | None = None
    problems: tuple[Any, ...] = ()
    error: str = ""
    busy: str = ""


DIGESTS_KEY = "career_fit_upload_digests"  # Streamlit's id of an upload -> the sha256 of its bytes


def upload_digest(file: Upload) -> str:
    """The sha256 of an uploaded file's bytes, computed once per upload (a rerun reuses it)."""
    digests: dict[str, str] = st.session_state.setdefault(DIGESTS_KEY, {})
    digest = digests.get(file.file_id)
    if digest is None:
        digests.clear()  # only the file selected now matters
        digest = digests[file.file_id] = hashlib.sha256(file.getvalue()).hexdigest()
    return digest


@st.cache_data(show_spinner=False, max_entries=32)
def _preview(token: str, revision: int, digest: str, file_name: str, scale: str, _data: bytes) -> PreviewResult:
    """The dry run of an import, keyed on the file's hash, not its bytes (``_data`` is not hashed)."""
    store = _STORES.get(token)
    if store is None:
        raise LookupError("this store is closed")
    from analytics.spreadsheets import ingest

    try:
        return PreviewResult(preview=ingest.preview_bytes(_data, file_name, scale=scale, store=store))
    except BusyError:
        raise  # (not kept: a minute later the same file may well be read)
    except InvalidInputError as error:
        return PreviewResult(problems=tuple(getattr(error, "located", None) or error.problems or [str(error)]))
    except CareerFitError as error:
        return PreviewResult(error=str(error))


def import_preview(store: Store, file: Upload, scale: str) -> PreviewResult:
    """How ``file`` would import into ``store`` on ``scale``: parsed and dry-run once per file (its bytes'
    hash), scale and data version, so a rerun while the file stays selected neither parses it again nor
    waits for the store's write lock (which the dry run takes to roll back its trial write). A file that found
    every reader busy says so, and is read again on the next run."""
    try:
        return _preview(store_token(store), store.revision, upload_digest(file), file.name, scale, file.getvalue())
    except BusyError as error:
        return PreviewResult(busy=str(error))
