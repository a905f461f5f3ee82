"""O*NET speed: the ``discover`` process against a bare DuckDB process doing the same scoring, and the warm
Discover and search calls a running app makes.

* process: ``career-fit discover --json`` on a new store (the default profile, linked) against a bare
  ``python -c`` that reads the same packaged Parquet with DuckDB, scores every profiled occupation with the
  same weights and prints the sorted JSON (goal: at most 2x);
* Discover warm: :func:`analytics.onet.discover.discover` over every occupation once the data is in memory,
  against the bare scoring loop over the same in-memory values (goal: at most 150 ms);
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

QUERIES = ("UX researcher", "product manager", "Genetic Counselor", "registered nurse", "data scientist",
           "software dev", "teacher", "electrician", "psych", "manager")

# The bare process: read the packaged ratings with DuckDB, score every occupation with the profile's
# effective weights (given), sort, print JSON. It is what discover does minus the app's own code.
BARE = """
import duckdb, json, sys
folder, weights = sys.argv[1], json.loads(sys.argv[2])
con = duckdb.connect()
scales = dict((s, (lo, hi)) for s, lo, hi in con.execute(
    "SELECT scale, minimum, maximum FROM read_parquet(?)", [folder + '/scales.parquet']).fetchall())
rows = con.execute(
    "SELECT o.code, o.title, o.job_zone, r.element_id, r.scale, r.value FROM read_parquet(?) r"
    " JOIN read_parquet(?) o USING (code) WHERE o.family_id IS NOT NULL AND list_contains(?, r.element_id)",
    [folder + '/ratings.parquet', folder + '/occupations.parquet', list(weights)]).fetchall()
fits, titles = {}, {}
for code, title, zone, element, scale, value in rows:
    key = element + '|' + scale
    if key in weights:
        lo, hi = scales[scale]
        fits[code] = fits.get(code, 0.0) + 100 * weights[key] * (value - lo) / (hi - lo)
        titles[code] = (title, zone)
ranked = sorted(fits, key=lambda c: -fits[c])
print(json.dumps([{"code": c, "title": titles[c][0], "fit": round(fits[c], 1), "job_zone": titles[c][1]}
                  for c in ranked]))
"""


def _bare_weights(store: Store) -> dict[str, float]:
    from analytics.beliefs.weights import effective_weights

    data = packaged()
    criteria = [c for c in store.criteria() if c.onet_element in data.elements]
    weights = effective_weights(criteria, store.dimension_weights())
    by_id = {c.id: c for c in criteria}
    return {f"{by_id[k].onet_element}|{data.elements[by_id[k].onet_element].scale}": w for k, w in weights.items()}


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
    import json

    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "onet-bench.duckdb")
        with Store(db) as store:
            store.link_career("Nursing", "29-1141.00")
            store.link_career("Physics", "19-2012.00")
            weights = _bare_weights(store)
            criteria, dimension_weights, careers = store.criteria(), store.dimension_weights(), store.careers()
        data_folder = str(packaged().folder)
        bare = timed([PYTHON, "-c", BARE, data_folder, json.dumps(weights)], args.runs)
        process = timed([CLI, "--db", db, "discover", "--json"], args.runs)
        print(row("career-fit discover --json", process, bare, 2))

    discover(criteria, dimension_weights, careers)  # warm: the data read once per process
    discover_ms = median_ms(lambda: discover(criteria, dimension_weights, careers), args.runs * 4)
    values = packaged().values([(data.id, data.scale) for data in packaged().elements.values()
                                if any(c.onet_element == data.id for c in criteria)])

    def floor_loop() -> None:
        scales = packaged().scales
        fits = {}
        for code, found in values.items():
            fits[code] = sum(100 * weights.get(f"{e}|{s}", 0.0) * (v - scales[s].minimum)
                             / (scales[s].maximum - scales[s].minimum) for (e, s), (v, _se) in found.items())
        sorted(fits, key=lambda c: -fits[c])

    floor_ms = median_ms(floor_loop, args.runs * 4)
    print(row("discover, warm (873 occupations)", discover_ms / 1000, floor_ms / 1000, None)
          + f"   goal <= 150 ms: {'ok' if discover_ms <= 150 else 'OVER'}")

    start = time.perf_counter()
    title_index()
    build_ms = 1000 * (time.perf_counter() - start)
    per_query = [median_ms(lambda q=q: search(q, limit=10), args.runs) for q in QUERIES]
    worst = max(per_query)
    print(f"{'search, warm (worst of 10 queries)':<34} {worst / 1000:8.4f} s   median "
          f"{statistics.median(per_query):.1f} ms   index built once in {build_ms:.0f} ms   goal <= 50 ms: "
          f"{'ok' if worst <= 50 else 'OVER'}")


if __name__ == "__main__":
    main()
