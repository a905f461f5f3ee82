"""Groups O*NET occupations into career families with scikit-learn, once per O*NET data version.

Each occupation is a profile of interests (OI), work values (EX) and skill importance (IM). The features are
standardised (so a 1-7 interest and a 1-5 importance weigh alike) and each block is scaled to weigh the
same as the others, k-means runs for every k in a sensible
range and the k with the best silhouette wins. The result is deterministic: rows are put in code order
before anything is fitted (so the input's row order never matters), the seed is fixed, and families are
numbered by size, then by their first occupation's code. A 2-D PCA projection of the same standardised
profiles gives the map of the world of work.

The build script (``scripts/build_onet.py``) calls this and ships the result in the package, so no page
and no command ever imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

K_RANGE = range(10, 17)  # coarse enough to name and read, fine enough to keep nursing apart from engineering
SEED = 0
RIASEC: tuple[str, ...] = ("Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional")


@dataclass(frozen=True)
class Clustering:
    """Families over the occupations, in the order of ``codes`` (code order)."""

    codes: tuple[str, ...]
    labels: tuple[int, ...]  # family id (1..k) per occupation
    k: int
    silhouette: float
    silhouettes: dict[int, float]  # silhouette of every k tried
    mean: tuple[float, ...]  # per feature, for standardising
    scale: tuple[float, ...]  # standard deviation x sqrt(block size): (raw - mean) / scale is the space clustered
    centroids: tuple[tuple[float, ...], ...]  # family id - 1 -> mean raw profile of its members
    typical: tuple[str, ...]  # family id - 1 -> the member nearest its centroid
    projection: tuple[tuple[float, float], ...]  # per occupation, 2-D PCA of the standardised profile


def cluster_occupations(
    codes: Sequence[str],
    profiles: Sequence[Sequence[float]],
    blocks: Sequence[str],
    *,
    k_range: range = K_RANGE,
    seed: int = SEED,
) -> Clustering:
    """Cluster ``profiles`` (one row of raw feature values per code); see the module docstring.

    ``blocks`` names each feature's block (interests, values, skills). Every feature is standardised and
    then divided by the square root of its block's size, so each block weighs the same in the distances:
    35 skills must not drown six interests.
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    if len(codes) != len(profiles):
        raise ValueError("one profile per code")
    if len(set(codes)) != len(codes):
        raise ValueError("occupation codes must be unique")
    order = sorted(range(len(codes)), key=lambda i: codes[i])
    sorted_codes = tuple(codes[i] for i in order)
    raw = np.asarray([profiles[i] for i in order], dtype=float)
    if raw.ndim != 2 or not np.isfinite(raw).all():
        raise ValueError("profiles must be a full table of finite numbers")
    if len(blocks) != raw.shape[1]:
        raise ValueError("one block name per feature")
    mean = raw.mean(axis=0)
    scale = raw.std(axis=0)
    scale[scale == 0] = 1.0
    scale *= np.sqrt([list(blocks).count(block) for block in blocks])
    standard = (raw - mean) / scale

    usable = [k for k in k_range if 2 <= k < len(sorted_codes)]
    if not usable:
        raise ValueError(f"too few occupations ({len(sorted_codes)}) for k in {k_range}")
    silhouettes: dict[int, float] = {}
    fitted: dict[int, np.ndarray] = {}
    for k in usable:
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(standard)
        silhouettes[k] = float(silhouette_score(standard, labels))
        fitted[k] = labels
    best_k = max(usable, key=lambda k: (round(silhouettes[k], 9), -k))  # ties: the fewer families
    labels = _renumbered(fitted[best_k], best_k)

    centroids_raw = [raw[labels == family].mean(axis=0) for family in range(1, best_k + 1)]
    typical = []
    for family in range(1, best_k + 1):
        members = np.flatnonzero(labels == family)
        centre = standard[members].mean(axis=0)
        distances = ((standard[members] - centre) ** 2).sum(axis=1)
        typical.append(sorted_codes[members[int(np.argmin(distances))]])  # first in code order on a tie

    projection = PCA(n_components=2, svd_solver="full").fit_transform(standard)
    return Clustering(
        codes=sorted_codes,
        labels=tuple(int(v) for v in labels),
        k=best_k,
        silhouette=silhouettes[best_k],
        silhouettes=silhouettes,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        centroids=tuple(tuple(float(v) for v in c) for c in centroids_raw),
        typical=tuple(typical),
        projection=tuple((float(x), float(y)) for x, y in projection),
    )


def _renumbered(labels: np.ndarray, k: int) -> np.ndarray:
    """Families numbered 1..k by size (largest first), then by their first member (rows are in code order)."""
    first_member = {int(label): int(np.flatnonzero(labels == label)[0]) for label in range(k)}
    sizes = {label: int((labels == label).sum()) for label in range(k)}
    ranked = sorted(range(k), key=lambda label: (-sizes[label], first_member[label]))
    new_id = {old: new for new, old in enumerate(ranked, start=1)}
    return np.asarray([new_id[int(label)] for label in labels])


def family_name(interest_standing: Sequence[float], typical_title: str) -> str:
    """A family's name: the RIASEC areas where it stands out most, and its most typical occupation.

    ``interest_standing`` is the family's mean interest profile in RIASEC order, standardised against all
    occupations (Realistic and Conventional are high almost everywhere, so raw means would name half the
    families alike). The second area is named only when the family is above average on it too, e.g.
    "Investigative-Social (like Naturopathic Physicians)" or "Realistic (like Sheet Metal Workers)".
    """
    ranked = sorted(range(len(RIASEC)), key=lambda i: (-interest_standing[i], i))
    areas = [RIASEC[ranked[0]]] + ([RIASEC[ranked[1]]] if interest_standing[ranked[1]] > 0 else [])
    return f"{'-'.join(areas)} (like {typical_title})"
