"""Finds O*NET occupations by what people call them: titles, alternate titles and reported job titles.

The index is built once per data version (a few hundred milliseconds) and kept; a search then costs a few
milliseconds. Titles and queries are cut into words, lower-cased, stripped of accents and of a plural
``s``, so "Registered Nurses" and "registered nurse" read alike. The last word of the query also matches
as a prefix, so a title is found while it is being typed. Each title scores by how much of the query it
holds, how much of it the query covers (an exact title beats a longer one) and whether it starts with the
query; O*NET's own title beats a common reported title, which beats an alternate or rarer title. An
occupation scores as its best title; ties go to the occupation with more matching titles, then by code.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from .data import OnetData, packaged

KIND_RANK = {"title": 0, "short": 1, "reported_common": 1, "alternate": 2, "reported": 3}


@dataclass(frozen=True)
class SearchHit:
    code: str
    title: str  # O*NET's title of the occupation
    matched: str  # the title that matched the query (may be O*NET's title itself)

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "matched": self.matched}


def words(text: str) -> list[str]:
    """``text`` as search words: lower case, no accents, no plural ``s``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_stem(word) for word in re.split(r"[^a-z0-9]+", plain) if word]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class TitleIndex:
    """Every title of every occupation, with an inverted index from words to titles."""

    def __init__(self, data: OnetData) -> None:
        self.data = data
        self.entries: list[tuple[str, str, int, tuple[str, ...]]] = []  # code, title, kind rank, words
        seen: set[tuple[str, str]] = set()
        rows = [(o.code, o.title, "title") for o in data.occupations.values()] + list(data.titles)
        for code, title, kind in rows:
            tokens = tuple(words(title))
            if not tokens or (code, " ".join(tokens)) in seen:
                continue  # the same words again for the same occupation add nothing
            seen.add((code, " ".join(tokens)))
            self.entries.append((code, title, KIND_RANK.get(kind, 3), tokens))
        postings: dict[str, list[int]] = defaultdict(list)
        for number, (_code, _title, _rank, tokens) in enumerate(self.entries):
            for token in set(tokens):
                postings[token].append(number)
        self.postings = dict(postings)
        self.vocabulary = sorted(self.postings)

    def _matching(self, token: str, prefix: bool) -> set[int]:
        if not prefix or len(token) < 2:
            return set(self.postings.get(token, ()))
        found: set[int] = set()
        start = bisect.bisect_left(self.vocabulary, token)
        for word in self.vocabulary[start:]:
            if not word.startswith(token):
                break
            found.update(self.postings[word])
        return found

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """The occupations best matching ``text``, best first (at most ``limit``)."""
        query = words(text)
        if not query or limit < 1:
            return []
        raw_last = re.split(r"[^a-z0-9]+", text.lower().strip())[-1:]
        counts: dict[int, int] = defaultdict(int)
        for position, token in enumerate(dict.fromkeys(query)):
            is_last = position == len(dict.fromkeys(query)) - 1 and bool(raw_last and raw_last[0])
            for entry in self._matching(token, prefix=is_last):
                counts[entry] += 1
        distinct = len(dict.fromkeys(query))
        best: dict[str, tuple[float, int]] = {}
        hits_per_code: dict[str, int] = defaultdict(int)
        for entry, matched in counts.items():
            code, _title, rank, tokens = self.entries[entry]
            score = 100.0 * matched / distinct + 30.0 * min(1.0, matched / len(set(tokens))) - 2.0 * rank
            if tokens == tuple(query):
                score += 15.0
            elif tokens[: len(query)] == tuple(query):
                score += 8.0
            if matched == distinct:
                hits_per_code[code] += 1
            if code not in best or score > best[code][0] or (score == best[code][0] and entry < best[code][1]):
                best[code] = (score, entry)
        ranked = sorted(best, key=lambda code: (-best[code][0], -hits_per_code[code], code))[:limit]
        occupations = self.data.occupations
        return [SearchHit(code, occupations[code].title, self.entries[best[code][1]][1]) for code in ranked]


_indexes: dict[int, TitleIndex] = {}
_lock = threading.Lock()


def title_index(data: OnetData | None = None) -> TitleIndex:
    """The title index of ``data`` (the packaged data by default), built on first use and kept."""
    data = data or packaged()
    with _lock:
        index = _indexes.get(id(data))
        if index is None or index.data is not data:
            index = _indexes[id(data)] = TitleIndex(data)
        return index


def search(text: str, limit: int = 10, data: OnetData | None = None) -> list[SearchHit]:
    """The O*NET occupations best matching ``text`` (titles, alternate and reported titles), best first."""
    return title_index(data).search(text, limit)
