"""Builds the packaged O*NET data (Parquet files and a manifest) from a folder of O*NET text files.

Run through ``scripts/build_onet.py``. The packaged form keeps only what Career Fit uses: occupations with
their job zone, the ratings behind linked criteria (interests OI, work values EX, skills IM and LV, knowledge
IM, with standard errors), titles for search, related occupations, the illustrative interest activities
(general and basic), element and scale names, the job zone reference, and the career families with their
2-D map, computed here once per O*NET data version (so the app and the command line never import scikit-learn).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ..errors import InvalidInputError
from . import text_layout as layout
from .clustering import K_RANGE, RIASEC, Clustering, cluster_occupations, family_name

# Which data table gives which kind of element, and the scale that is its value for a linked criterion.
KINDS: tuple[tuple[str, layout.TextTable, str], ...] = (
    ("interest", layout.INTERESTS, "OI"),
    ("value", layout.WORK_VALUES, "EX"),
    ("skill", layout.SKILLS, "IM"),
    ("knowledge", layout.KNOWLEDGE, "IM"),
)
SCALES_KEPT = ("OI", "EX", "IM", "LV")
# The occupation profile that families are clustered on: (kind, scale), in this order.
FAMILY_BLOCKS: tuple[tuple[str, str], ...] = (("interest", "OI"), ("value", "EX"), ("skill", "IM"))


@dataclass(frozen=True)
class BuildReport:
    version: str
    folder: Path
    rows: dict[str, int]
    families: int
    silhouette: float
    size_bytes: int


def version_from_folder(folder: Path) -> str | None:
    """``29.3`` from a folder named ``29.3`` or ``db_29_3_text``; None when the name holds no version."""
    match = re.search(r"(\d+)[._](\d+)", folder.name)
    return f"{int(match.group(1))}.{int(match.group(2))}" if match else None


def build(source: Path, target: Path, version: str, *, k_range: range = K_RANGE) -> BuildReport:
    """Read O*NET's text files in ``source`` and write the packaged form into ``target`` (families: the
    best k in ``k_range`` by silhouette)."""
    if not re.fullmatch(r"\d+\.\d+", version):
        raise InvalidInputError(f"O*NET version {version!r} should look like 29.3")
    con = duckdb.connect()
    tables = {table.file: layout.read_table(con, source, table) for table in layout.ALL_TABLES}
    for name, table in tables.items():
        con.register("t_" + _ident(name), table)

    _load_ratings(con)
    _check_numbers(con)
    _load_reference(con)
    clustering, feature_rows = _cluster(con, k_range)

    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.parquet"):
        stale.unlink()
    outputs = {
        "occupations": """
            SELECT o.code, o.title, coalesce(o.description, '') AS description,
                   TRY_CAST(z.job_zone AS TINYINT) AS job_zone,
                   f.family_id, f.x, f.y
            FROM t_occupation_data o
            LEFT JOIN t_job_zones z USING (code)
            LEFT JOIN families_assigned f USING (code)
            ORDER BY o.code""",
        "ratings": "SELECT * FROM ratings ORDER BY element_id, scale, code",
        "elements": "SELECT * FROM elements ORDER BY element_id",
        "scales": "SELECT * FROM scales ORDER BY scale",
        "titles": """
            SELECT DISTINCT code, title, kind FROM (
                SELECT code, title, 'alternate' AS kind FROM t_alternate_titles
                UNION ALL
                SELECT code, short_title, 'short' FROM t_alternate_titles WHERE short_title IS NOT NULL
                UNION ALL
                SELECT code, title, CASE WHEN upper(shown) = 'Y' THEN 'reported_common' ELSE 'reported' END
                FROM t_sample_of_reported_titles
            ) WHERE title IS NOT NULL AND code IN (SELECT code FROM t_occupation_data)
            ORDER BY code, kind, title""",
        "related": """
            SELECT code, related_code, coalesce(tier, '') AS tier, TRY_CAST(position AS SMALLINT) AS position
            FROM t_related_occupations
            WHERE code IN (SELECT code FROM t_occupation_data)
              AND related_code IN (SELECT code FROM t_occupation_data)
            ORDER BY code, position, related_code""",
        "activities": """
            SELECT a.element_id, m.name, coalesce(a.kind, '') AS kind, a.activity
            FROM t_interests_illustrative_activities a JOIN t_content_model_reference m USING (element_id)
            WHERE a.activity IS NOT NULL
            ORDER BY a.element_id, kind DESC, a.activity""",
        "job_zones": """
            SELECT CAST(job_zone AS TINYINT) AS job_zone, name, coalesce(experience, '') AS experience,
                   coalesce(education, '') AS education, coalesce(training, '') AS training,
                   coalesce(examples, '') AS examples
            FROM t_job_zone_reference ORDER BY job_zone""",
        "families": "SELECT * FROM families ORDER BY family_id",
    }
    rows: dict[str, int] = {}
    for name, query in outputs.items():
        path = target / f"{name}.parquet"
        con.execute(f"COPY ({query}) TO '{_escaped(path)}' (FORMAT parquet, COMPRESSION zstd)")
        rows[name] = _one(con, f"SELECT count(*) FROM ({query})")[0]  # noqa: S608

    manifest = {
        "version": version,
        "source": f"O*NET {version} Database (USDOL/ETA), CC BY 4.0",
        "rows": rows,
        "families": {
            "k": clustering.k,
            "silhouette": round(clustering.silhouette, 6),
            "silhouettes": {str(k): round(v, 6) for k, v in sorted(clustering.silhouettes.items())},
            "features": feature_rows,
        },
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    size = sum(path.stat().st_size for path in target.iterdir() if path.is_file())
    return BuildReport(version, target, rows, clustering.k, clustering.silhouette, size)


def _ident(file_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", file_name.removesuffix(".txt").lower()).strip("_")


def _one(con: duckdb.DuckDBPyConnection, query: str, params: list[object] | None = None) -> tuple[Any, ...]:
    """The one row an aggregate query returns."""
    row = con.execute(query, params or []).fetchone()
    assert row is not None  # an aggregate always returns a row
    return row


def _escaped(path: Path) -> str:
    return str(path).replace("'", "''")


def _load_ratings(con: duckdb.DuckDBPyConnection) -> None:
    parts = []
    for kind, table, _scale in KINDS:
        parts.append(
            f"SELECT '{kind}' AS kind, code, element_id, scale, value, se, n FROM t_{_ident(table.file)}"  # noqa: S608
        )
    con.execute(f"CREATE TABLE raw_ratings AS {' UNION ALL '.join(parts)}")
    con.execute("""
        CREATE TABLE ratings AS
        SELECT code, element_id, scale, TRY_CAST(value AS DOUBLE) AS value, TRY_CAST(se AS DOUBLE) AS se,
               TRY_CAST(n AS INTEGER) AS n
        FROM raw_ratings
        WHERE code IN (SELECT code FROM t_occupation_data)
    """)


def _check_numbers(con: duckdb.DuckDBPyConnection) -> None:
    """Every kept Data Value must be a number: a release with text there is refused, naming the file."""
    problems = []
    for kind, table, _scale in KINDS:
        bad = _one(
            con,
            "SELECT count(*), min(value) FROM raw_ratings WHERE kind = ? AND TRY_CAST(value AS DOUBLE) IS NULL",
            [kind],
        )
        if bad[0]:
            problems.append(f"{table.file}, column 'Data Value': {bad[1]!r} is not a number ({bad[0]} rows)")
    zones = _one(
        con,
        "SELECT count(*), min(job_zone) FROM t_job_zones WHERE TRY_CAST(job_zone AS TINYINT) NOT BETWEEN 1 AND 5"
        " OR TRY_CAST(job_zone AS TINYINT) IS NULL",
    )
    if zones[0]:
        problems.append(f"Job Zones.txt, column 'Job Zone': {zones[1]!r} is not a job zone 1-5 ({zones[0]} rows)")
    if problems:
        raise InvalidInputError(problems)


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    kinds = " UNION ALL ".join(
        f"SELECT DISTINCT element_id, '{kind}' AS kind, '{scale}' AS scale, {order} AS kind_order "  # noqa: S608
        f"FROM ratings WHERE scale = '{scale}' AND element_id IN (SELECT element_id FROM t_{_ident(table.file)})"
        for order, (kind, table, scale) in enumerate(KINDS)
    )
    con.execute(f"""
        CREATE TABLE elements AS
        SELECT k.element_id, m.name, k.kind, k.scale, coalesce(m.description, '') AS description, k.kind_order
        FROM ({kinds}) k JOIN t_content_model_reference m USING (element_id)
    """)  # noqa: S608
    missing = con.execute(
        "SELECT DISTINCT element_id FROM ratings WHERE element_id NOT IN (SELECT element_id FROM elements)"
    ).fetchall()
    if missing:
        raise InvalidInputError(
            f"Content Model Reference.txt: no name for element {missing[0][0]!r} ({len(missing)} elements)"
        )
    riasec = con.execute("SELECT name FROM elements WHERE kind = 'interest' ORDER BY element_id").fetchall()
    if tuple(name for (name,) in riasec) != RIASEC:
        raise InvalidInputError("Interests.txt: expected the six RIASEC areas (scale OI)")
    con.execute(
        "CREATE TABLE scales AS SELECT scale, coalesce(name, '') AS name, CAST(minimum AS DOUBLE) AS minimum,"
        " CAST(maximum AS DOUBLE) AS maximum FROM t_scales_reference WHERE scale IN ?",
        [list(SCALES_KEPT)],
    )
    found = {scale for (scale,) in con.execute("SELECT scale FROM scales").fetchall()}
    if found != set(SCALES_KEPT):
        raise InvalidInputError(f"Scales Reference.txt: no row for scale {sorted(set(SCALES_KEPT) - found)[0]!r}")


def _cluster(con: duckdb.DuckDBPyConnection, k_range: range) -> tuple[Clustering, list[dict[str, object]]]:
    blocks = ", ".join(f"('{kind}', '{scale}')" for kind, scale in FAMILY_BLOCKS)  # this module's constants
    features = con.execute(
        f"SELECT element_id, scale, kind FROM elements WHERE (kind, scale) IN (SELECT * FROM (VALUES {blocks}))"  # noqa: S608
        " ORDER BY kind_order, element_id"
    ).fetchall()
    position = {(element, scale): i for i, (element, scale, _kind) in enumerate(features)}
    profiles: dict[str, list[float | None]] = {}
    for code, element, scale, value in con.execute(
        "SELECT code, element_id, scale, value FROM ratings ORDER BY code"
    ).fetchall():
        index = position.get((element, scale))
        if index is not None and value is not None:
            profiles.setdefault(code, [None] * len(features))[index] = value
    complete = {
        code: [float(v) for v in row if v is not None]
        for code, row in profiles.items()
        if all(v is not None for v in row)
    }
    codes = sorted(complete)
    clustering = cluster_occupations(
        codes, [complete[c] for c in codes], [kind for _e, _s, kind in features], k_range=k_range
    )

    titles = dict(con.execute("SELECT code, title FROM t_occupation_data").fetchall())
    con.execute("CREATE TABLE families_assigned (code VARCHAR, family_id INTEGER, x DOUBLE, y DOUBLE)")
    con.executemany(
        "INSERT INTO families_assigned VALUES (?, ?, ?, ?)",
        [
            [code, label, x, y]
            for code, label, (x, y) in zip(clustering.codes, clustering.labels, clustering.projection, strict=True)
        ],
    )
    interests = [i for i, (_e, _s, kind) in enumerate(features) if kind == "interest"]
    con.execute(
        "CREATE TABLE families (family_id INTEGER, name VARCHAR, typical_code VARCHAR, size INTEGER, centroid DOUBLE[])"
    )
    for family in range(1, clustering.k + 1):
        centroid = clustering.centroids[family - 1]
        standing = [(centroid[i] - clustering.mean[i]) / clustering.scale[i] for i in interests]
        typical = clustering.typical[family - 1]
        con.execute(
            "INSERT INTO families VALUES (?, ?, ?, ?, ?)",
            [family, family_name(standing, titles[typical]), typical, clustering.labels.count(family), list(centroid)],
        )
    feature_rows: list[dict[str, object]] = [
        {"element_id": element, "scale": scale, "mean": round(mean, 9), "scale_factor": round(factor, 9)}
        for (element, scale, _kind), mean, factor in zip(features, clustering.mean, clustering.scale, strict=True)
    ]
    return clustering, feature_rows
