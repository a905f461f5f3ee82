"""Rebuilds Career Fit's packaged O*NET data (analytics/data/onet/) from O*NET's text files.

Usage: python scripts/build_onet.py FOLDER [--version 29.3] [--out analytics/data/onet] [--families 10-16]

FOLDER holds O*NET's tab-separated text files, such as the unzipped ``db_29_3_text.zip`` of a release from
the O*NET Resource Center. Columns are read by their header names, so the full files of a newer release
work as they are. The version is taken from the folder's name (``29.3`` or ``db_29_3_text``) unless given.
Prints one line per table written; exits 2 with one line per problem when the files are not usable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.errors import InvalidInputError  # noqa: E402
from analytics.onet.build import build, version_from_folder  # noqa: E402
from analytics.onet.clustering import K_RANGE  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the folder of O*NET text files")
    parser.add_argument("--version", help="the O*NET release, e.g. 29.3 (default: from the folder's name)")
    parser.add_argument("--out", type=Path, default=ROOT / "analytics" / "data" / "onet")
    parser.add_argument(
        "--families",
        default=f"{K_RANGE.start}-{K_RANGE.stop - 1}",
        help="the range of family counts silhouette chooses from (default %(default)s)",
    )
    args = parser.parse_args(argv)
    version = args.version or version_from_folder(args.folder.resolve())
    if version is None:
        sys.stderr.write(f"cannot tell the O*NET version from {args.folder.name!r}: give --version\n")
        return 2
    try:
        low, high = (int(part) for part in args.families.split("-"))
    except ValueError:
        sys.stderr.write(f"--families {args.families!r} should look like 10-16\n")
        return 2
    try:
        report = build(args.folder, args.out, version, k_range=range(low, high + 1))
    except InvalidInputError as error:
        for problem in error.problems:
            sys.stderr.write(f"{problem}\n")
        return 2
    except ValueError as error:  # e.g. too few occupations for the range of families
        sys.stderr.write(f"{error}\n")
        return 2
    for table, count in report.rows.items():
        print(f"{table:<12} {count:>7,} rows")
    print(
        f"O*NET {report.version}: {report.families} career families (silhouette {report.silhouette:.3f}), "
        f"{report.size_bytes / 1e6:.2f} MB in {report.folder}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
