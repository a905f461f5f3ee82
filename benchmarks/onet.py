"""O*NET speed: the ``discover`` process against a bare DuckDB process doing the same scoring, and the warm
Discover and search calls a running app makes.

* process: ``career-fit discover --json`` on a new store (the default profile, linked) against a bare
  ``python -c`` that reads the profile from the store file and the same packaged Parquet with DuckDB,
  scores every profiled occupation with numpy and prints the sorted JSON (goal: at most 2x);
* Discover warm: :func:`analytics.onet.discover.discover` over every occupation once the data is in memory,
  with the reasons of the first 25 (what the page shows), against the bare scoring loop over the same
  in-memory values (goal: at most 150 ms);
* search warm: :func:`analytics.onet.search.search` for a set of queries, once the index is built (goal:
  at most 50 ms each).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import CLI, PYTHON, row, timed  # noqa: E402

from analytics.onet.data import packaged  # noqa: E402
from analytics.onet.discover import discover  # noqa: E402
from analytics.onet.search import search, title_index  # noqa: E402
from analytics.store import Store  # noqa: E402

QUERIES = (
    "UX researcher",
    "product manager",
    "Genetic Counselor",
    "registered nurse",
    "data scientist",
    "software dev",
    "teacher",
    "electrician",
    "psych",
    "manager",
)

# The bare process: the same job with the same libraries, minus the app's own code. It reads the profile
# from the store file and the packaged Parquet with DuckDB, weights the linked criteria (each dimension's
# weights normalised, dimensions weighted), scores every profiled occupation with numpy (as the one weight
# rule does), sorts and prints JSON.
BARE = """
import duckdb, json, sys
import numpy as np
store, folder = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("ATTACH ? AS s (READ_ONLY)", [store])
linked = con.execute(
    "SELECT c.onet_element, e.scale, c.dimension, c.weight FROM s.criteria c"
    " JOIN read_parquet(?) e ON e.element_id = c.onet_element WHERE c.weight > 0 AND c.dimension IS NOT NULL"
    " ORDER BY c.position", [folder + '/elements.parquet']).fetchall()
stored = con.execute("SELECT value FROM s.settings WHERE key = 'dimension_weights'").fetchone()
dimension_weights = json.loads(stored[0]) if stored else {}
totals = {}
for _e, _s, dimension, weight in linked:
    totals[dimension] = totals.get(dimension, 0.0) + weight
total = sum(dimension_weights.get(d, 1.0) for d in totals)
weights = np.array([dimension_weights.get(d, 1.0) / total * w / totals[d] for _e, _s, d, w in linked])
column = {(e, s): i for i, (e, s, _d, _w) in enumerate(linked)}
scales = {s: (lo, hi) for s, lo, hi in con.execute(
    "SELECT scale, minimum, maximum FROM read_parquet(?)", [folder + '/scales.parquet']).fetchall()}
rows = con.execute(
    "SELECT o.code, o.title, o.job_zone, r.element_id, r.scale, r.value FROM read_parquet(?) r"
    " JOIN read_parquet(?) o USING (code) WHERE o.family_id IS NOT NULL AND list_contains(?, r.element_id)"
    " ORDER BY o.code",
    [folder + '/ratings.parquet', folder + '/occupations.parquet', [e for e, _s in column]]).fetchall()
codes, titles = {}, {}
shares = np.zeros((900, len(linked)))
for code, title, zone, element, scale, value in rows:
    index = column.get((element, scale))
    if index is not None:
        row = codes.setdefault(code, len(codes))
        titles[code] = (title, zone)
        lo, hi = scales[scale]
        shares[row, index] = (value - lo) / (hi - lo)
fits = 100 * shares[: len(codes)] @ weights
ranked = sorted(codes, key=lambda c: -fits[codes[c]])
print(json.dumps([{"code": c, "title": titles[c][0], "fit": round(float(fits[codes[c]]), 1),
                   "job_zone": titles[c][1]} for c in ranked]))
"""


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "onet-bench.duckdb")
        with Store(db) as store:
            store.link_career("Nursing", "29-1141.00")
            store.link_career("Physics", "19-2012.00")
            criteria, dimension_weights, careers = store.criteria(), store.dimension_weights(), store.careers()
        data_folder = str(packaged().folder)
        bare = timed([PYTHON, "-c", BARE, db, data_folder], args.runs)
        process = timed([CLI, "--db", db, "discover", "--json"], args.runs)
        print(row("career-fit discover --json", process, bare, 2))

    from analytics.beliefs.weights import effective_weights

    elements = packaged().elements
    linked = {c.id: c.onet_element for c in criteria if c.onet_element in elements}
    weights = {
        f"{linked[k]}|{elements[linked[k]].scale}": w
        for k, w in effective_weights([c for c in criteria if c.id in linked], dimension_weights).items()
    }
    discover(criteria, dimension_weights, careers)  # warm: the data read once per process
    discover_ms = median_ms(  # as the page does: every occupation scored, the first 25 explained
        lambda: [d.reasons for d in discover(criteria, dimension_weights, careers)[:25]], args.runs * 4
    )
    values = packaged().values(
        [
            (data.id, data.scale)
            for data in packaged().elements.values()
            if any(c.onet_element == data.id for c in criteria)
        ]
    )

    def floor_loop() -> None:
        scales = packaged().scales
        fits = {}
        for code, found in values.items():
            fits[code] = sum(
                100 * weights.get(f"{e}|{s}", 0.0) * (v - scales[s].minimum) / (scales[s].maximum - scales[s].minimum)
                for (e, s), (v, _se) in found.items()
            )
        sorted(fits, key=lambda c: -fits[c])

    floor_ms = median_ms(floor_loop, args.runs * 4)
    print(
        row("discover, warm (873 occupations)", discover_ms / 1000, floor_ms / 1000, None)
        + f"   goal <= 150 ms: {'ok' if discover_ms <= 150 else 'OVER'}"
    )

    start = time.perf_counter()
    title_index()
    build_ms = 1000 * (time.perf_counter() - start)
    per_query = [median_ms(lambda q=q: search(q, limit=10), args.runs) for q in QUERIES]
    worst = max(per_query)
    print(
        f"{'search, warm (worst of 10 queries)':<34} {worst / 1000:8.4f} s   median "
        f"{statistics.median(per_query):.1f} ms   index built once in {build_ms:.0f} ms   goal <= 50 ms: "
        f"{'ok' if worst <= 50 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
