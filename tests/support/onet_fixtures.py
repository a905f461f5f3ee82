"""A small O*NET release in O*NET's own text layout, for the loader and engine tests.

Thirty occupations in three clear groups (lab scientists, carers, drivers), with the files' columns put in
another order than O*NET's and extra columns added (as in the full release files: dates, sources, CI
bounds), so a loader that reads columns by position fails here while one that reads them by name works.
"""

from __future__ import annotations

import random
from pathlib import Path

RIASEC = [
    ("1.B.1.a", "Realistic"),
    ("1.B.1.b", "Investigative"),
    ("1.B.1.c", "Artistic"),
    ("1.B.1.d", "Social"),
    ("1.B.1.e", "Enterprising"),
    ("1.B.1.f", "Conventional"),
]
VALUES = [
    ("1.B.2.a", "Achievement"),
    ("1.B.2.b", "Working Conditions"),
    ("1.B.2.c", "Recognition"),
    ("1.B.2.d", "Relationships"),
    ("1.B.2.e", "Support"),
    ("1.B.2.f", "Independence"),
]
SKILLS = [
    ("2.A.1.c", "Writing"),
    ("2.A.1.e", "Mathematics"),
    ("2.A.1.f", "Science"),
    ("2.B.1.f", "Service Orientation"),
    ("2.B.3.h", "Operation and Control"),
]
KNOWLEDGE = [("2.C.4.a", "Mathematics"), ("2.C.4.d", "Biology")]

# group -> (title stem, RIASEC 1-7, values 1-7, skills IM 1-5, job zone)
GROUPS = {
    "scientist": (
        "Research Scientists",
        [1.5, 6.8, 3.0, 2.0, 2.0, 3.0],
        [6.0, 5.5, 4.0, 3.0, 3.0, 6.2],
        [3.8, 4.3, 4.6, 2.0, 1.5],
        5,
    ),
    "carer": (
        "Care Workers",
        [2.0, 2.0, 2.5, 6.8, 2.5, 2.5],
        [4.0, 4.5, 3.0, 6.5, 5.0, 3.0],
        [2.5, 1.8, 1.7, 4.6, 1.8],
        2,
    ),
    "driver": (
        "Delivery Drivers",
        [6.5, 1.5, 1.2, 2.0, 2.5, 4.0],
        [3.0, 4.0, 2.5, 3.5, 4.5, 3.5],
        [1.8, 2.0, 1.2, 2.0, 4.3],
        1,
    ),
}
SPECIAL_TITLES = {"scientist": "Genetic Counselors", "carer": "Registered Nurses", "driver": "Couriers"}


def occupations() -> list[tuple[str, str, str]]:
    """(code, title, group) for the thirty fixture occupations."""
    rows = []
    for g, group in enumerate(GROUPS):
        for i in range(10):
            code = f"{19 + g * 10}-{1000 + i * 11}.00"
            title = SPECIAL_TITLES[group] if i == 0 else f"{GROUPS[group][0]} {i}"
            rows.append((code, title, group))
    return rows


def _write(folder: Path, name: str, header: list[str], rows: list[dict[str, object]]) -> None:
    lines = ["\t".join(header)]
    for row in rows:
        lines.append("\t".join("" if row.get(column) is None else str(row[column]) for column in header))
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_release(folder: Path, *, seed: int = 7) -> dict[str, object]:
    """Write the fixture release into ``folder``; return facts the tests check against."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    occs = occupations()
    code_col = "O*NET-SOC Code"
    _write(
        folder,
        "Occupation Data.txt",
        ["Description", "Extra Column", "Title", code_col],
        [
            {code_col: c, "Title": t, "Description": f"Does the work of {t.lower()}.", "Extra Column": "x"}
            for c, t, _g in occs
        ],
    )

    def jitter(value: float, low: float, high: float) -> float:
        return round(min(high, max(low, value + rng.uniform(-0.4, 0.4))), 2)

    interests, values, skills, knowledge = [], [], [], []
    facts: dict[str, object] = {}
    for code, _title, group in occs:
        _stem, riasec, work_values, skill_im, _zone = GROUPS[group]
        for (element, name), base in zip(RIASEC, riasec, strict=True):
            interests.append(
                {
                    code_col: code,
                    "Element ID": element,
                    "Element Name": name,
                    "Scale ID": "OI",
                    "Data Value": jitter(base, 1, 7),
                    "Date": "07/2024",
                    "Domain Source": "Analyst",
                }
            )
        for number, scale_element in enumerate(("1.B.1.g", "1.B.1.h", "1.B.1.i"), start=1):
            interests.append(
                {
                    code_col: code,
                    "Element ID": scale_element,
                    "Element Name": f"High-Point {number}",
                    "Scale ID": "IH",
                    "Data Value": number,
                }
            )
        for (element, name), base in zip(VALUES, work_values, strict=True):
            values.append(
                {
                    code_col: code,
                    "Element ID": element,
                    "Element Name": name,
                    "Scale ID": "EX",
                    "Data Value": jitter(base, 1, 7),
                }
            )
        values.append(
            {
                code_col: code,
                "Element ID": "1.B.2.g",
                "Element Name": "First Work Value High-Point",
                "Scale ID": "VH",
                "Data Value": 1,
            }
        )
        for (element, name), base in zip(SKILLS, skill_im, strict=True):
            im = jitter(base, 1, 5)
            skills.append(
                {
                    code_col: code,
                    "Element ID": element,
                    "Element Name": name,
                    "Scale ID": "IM",
                    "Data Value": im,
                    "N": 8,
                    "Standard Error": 0.12,
                    "Lower CI Bound": im - 0.2,
                    "Recommend Suppress": "N",
                }
            )
            skills.append(
                {
                    code_col: code,
                    "Element ID": element,
                    "Element Name": name,
                    "Scale ID": "LV",
                    "Data Value": round(im * 1.3, 2),
                    "N": 8,
                    "Standard Error": 0.2,
                    "Recommend Suppress": "N",
                    "Not Relevant": "N",
                }
            )
        for element, name in KNOWLEDGE:
            knowledge.append(
                {
                    code_col: code,
                    "Element ID": element,
                    "Element Name": name,
                    "Scale ID": "IM",
                    "Data Value": 4.5 if group == "scientist" else 1.5,
                    "N": 20,
                    "Standard Error": 0.3,
                }
            )
            knowledge.append(
                {
                    code_col: code,
                    "Element ID": element,
                    "Element Name": name,
                    "Scale ID": "LV",
                    "Data Value": 3.0,
                    "N": 20,
                    "Standard Error": 0.3,
                }
            )
    facts["first_code"] = occs[0][0]
    facts["first_investigative"] = interests[1]["Data Value"]
    facts["first_mathematics_im"] = next(
        s["Data Value"]
        for s in skills
        if s[code_col] == occs[0][0] and s["Element ID"] == "2.A.1.e" and s["Scale ID"] == "IM"
    )

    rating_header = ["Scale ID", "Element Name", "Data Value", "Element ID", code_col, "Date", "Domain Source"]
    _write(folder, "Interests.txt", rating_header, interests)
    _write(folder, "Work Values.txt", rating_header, values)
    skill_header = [
        "Element ID",
        "Standard Error",
        code_col,
        "Scale ID",
        "Data Value",
        "N",
        "Lower CI Bound",
        "Recommend Suppress",
        "Not Relevant",
        "Element Name",
    ]
    _write(folder, "Skills.txt", skill_header, skills)
    _write(folder, "Knowledge.txt", skill_header, knowledge)
    _write(
        folder,
        "Job Zones.txt",
        ["Date", "Job Zone", code_col],
        [{code_col: c, "Job Zone": GROUPS[g][4], "Date": "08/2023"} for c, _t, g in occs],
    )
    _write(
        folder,
        "Job Zone Reference.txt",
        ["Name", "Job Zone", "Examples", "Experience", "Education", "Job Training", "SVP Range"],
        [
            {
                "Job Zone": z,
                "Name": f"Job Zone {z}",
                "Examples": "e",
                "Experience": "x",
                "Education": "d",
                "Job Training": "t",
            }
            for z in range(1, 6)
        ],
    )
    alternates = [
        {code_col: occs[0][0], "Alternate Title": "Genetic Counselor (GC)", "Short Title": "GC"},
        {code_col: occs[10][0], "Alternate Title": "Staff Nurse", "Short Title": None},
        {code_col: occs[20][0], "Alternate Title": "Parcel Delivery Driver", "Short Title": None},
        {
            code_col: occs[3][0],
            "Alternate Title": "UX Researcher (User Experience Researcher)",
            "Short Title": "UX Researcher",
        },
    ]
    _write(folder, "Alternate Titles.txt", ["Short Title", code_col, "Alternate Title", "Source(s)"], alternates)
    _write(
        folder,
        "Sample of Reported Titles.txt",
        ["Shown in My Next Move", "Reported Job Title", code_col],
        [{code_col: occs[11][0], "Reported Job Title": "Nurse", "Shown in My Next Move": "Y"}],
    )
    related = []
    for index, (code, _title, group) in enumerate(occs):
        mates = [c for c, _t, g in occs if g == group and c != code][:3]
        related += [
            {code_col: code, "Related O*NET-SOC Code": m, "Relatedness Tier": "Primary-Short", "Index": n}
            for n, m in enumerate(mates, start=1)
        ]
        del index
    _write(
        folder, "Related Occupations.txt", ["Index", "Relatedness Tier", "Related O*NET-SOC Code", code_col], related
    )
    activities = [
        {"Element ID": e, "Element Name": n, "Interest Type": "General", "Activity": f"{n} task {i}."}
        for e, n in RIASEC
        for i in range(1, 5)
    ]
    activities.append(
        {
            "Element ID": "1.B.3.a",
            "Element Name": "Mechanics/Electronics",
            "Interest Type": "Basic",
            "Activity": "Repair motors and generators.",
        }
    )
    _write(
        folder,
        "Interests Illustrative Activities.txt",
        ["Activity", "Interest Type", "Element ID", "Element Name"],
        activities,
    )
    elements = [
        ("1.B.1", "General Occupational Interests"),
        *RIASEC,
        ("1.B.1.g", "First Interest High-Point"),
        *VALUES,
        ("1.B.2.b.2", "Independence"),
        *SKILLS,
        *KNOWLEDGE,
        ("1.B.3.a", "Mechanics/Electronics"),
    ]
    _write(
        folder,
        "Content Model Reference.txt",
        ["Description", "Element Name", "Element ID"],
        [{"Element ID": e, "Element Name": n, "Description": f"About {n}."} for e, n in elements],
    )
    _write(
        folder,
        "Scales Reference.txt",
        ["Maximum", "Scale ID", "Minimum", "Scale Name"],
        [
            {"Scale ID": s, "Minimum": lo, "Maximum": hi, "Scale Name": s}
            for s, lo, hi in (("OI", 1, 7), ("EX", 1, 7), ("IM", 1, 5), ("LV", 0, 7), ("IH", 0, 6))
        ],
    )
    facts["occupations"] = len(occs)
    facts["related"] = len(related)
    return facts
