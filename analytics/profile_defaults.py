"""Default criteria for a new Career Fit profile.

A newcomer should be able to rate a career straight after their first informational
interview, without first inventing a vocabulary for what matters to them. The defaults
therefore come from two well-established career-guidance frameworks plus a short list
of transferable skills:

* **Interests** - the six Holland (RIASEC) interest areas, the basis of most interest
  inventories and of the O*NET occupational interest profiles.
* **Values** - the six O*NET work values (from the Minnesota theory of work
  adjustment), which describe what a job gives back to the person doing it.
* **Skills** - eight broad transferable skills that a student or career changer can
  recognise in themselves and hear about in an interview; plain rather than exhaustive.

Every description is one sentence phrased as what the *career offers*, so that
"1 = does not offer it at all, 5 = offers it fully" reads naturally when rating a
career on it. Weights are not set here: the store gives every default criterion the
neutral weight 3, and the user edits names, descriptions and weights freely. The three
dimensions start with equal weight in the fit.
"""

from __future__ import annotations

DEFAULT_CRITERIA: tuple[tuple[str, str, str], ...] = (
    # Holland RIASEC interest areas
    ("Realistic", "interest", "Hands-on work with tools, machines, plants or animals."),
    (
        "Investigative",
        "interest",
        "Researching, analysing and solving puzzles to understand how things work.",
    ),
    (
        "Artistic",
        "interest",
        "Creating, designing or expressing ideas in original ways.",
    ),
    ("Social", "interest", "Helping, teaching, advising or caring for people."),
    (
        "Enterprising",
        "interest",
        "Persuading, selling, leading and taking business risks.",
    ),
    (
        "Conventional",
        "interest",
        "Following clear procedures and keeping information accurate and orderly.",
    ),
    # Transferable skills
    ("Writing", "skill", "Regular use of clear writing, from emails to reports."),
    (
        "Speaking",
        "skill",
        "Regular presenting, explaining and discussing ideas out loud.",
    ),
    (
        "Data analysis",
        "skill",
        "Working with numbers and data to find patterns and draw conclusions.",
    ),
    (
        "Problem solving",
        "skill",
        "Tackling open-ended problems that have no ready-made answer.",
    ),
    ("Teamwork", "skill", "Working closely with colleagues towards shared goals."),
    (
        "Leadership",
        "skill",
        "Leading people or projects and making decisions others follow.",
    ),
    (
        "Technical/programming",
        "skill",
        "Using software, code or technical tools as a core part of the job.",
    ),
    (
        "Organising",
        "skill",
        "Planning, scheduling and keeping many tasks and details on track.",
    ),
    # O*NET work values
    (
        "Achievement",
        "value",
        "Work that uses your abilities and gives a real feeling of accomplishment.",
    ),
    (
        "Independence",
        "value",
        "Freedom to work on your own, make decisions and use your own judgement.",
    ),
    ("Recognition", "value", "Visible credit, prestige and chances to advance."),
    (
        "Relationships",
        "value",
        "Friendly co-workers and the chance to do something for other people.",
    ),
    ("Support", "value", "Supportive management that stands behind its staff."),
    (
        "Working Conditions",
        "value",
        "Good pay, job security and a manageable workload and schedule.",
    ),
)

# The O*NET element each default criterion stands for, so O*NET's view of an occupation is the prior for a
# linked career from the start. Interests and values are O*NET's own (Interests OI, Work Values EX). The
# transferable skills map to the nearest O*NET skill (Skills, importance IM):
#   Writing -> Writing; Speaking -> Speaking; Data analysis -> Mathematics ("using mathematics to solve
#   problems"); Problem solving -> Complex Problem Solving; Teamwork -> Coordination ("adjusting actions in
#   relation to others' actions"); Leadership -> Management of Personnel Resources ("motivating, developing
#   and directing people"); Technical/programming -> Programming; Organising -> Time Management.
DEFAULT_ONET_LINKS: dict[str, str] = {
    "Realistic": "1.B.1.a",
    "Investigative": "1.B.1.b",
    "Artistic": "1.B.1.c",
    "Social": "1.B.1.d",
    "Enterprising": "1.B.1.e",
    "Conventional": "1.B.1.f",
    "Writing": "2.A.1.c",
    "Speaking": "2.A.1.d",
    "Data analysis": "2.A.1.e",
    "Problem solving": "2.B.2.i",
    "Teamwork": "2.B.1.b",
    "Leadership": "2.B.5.d",
    "Technical/programming": "2.B.3.e",
    "Organising": "2.B.5.a",
    "Achievement": "1.B.2.a",
    "Independence": "1.B.2.f",
    "Recognition": "1.B.2.c",
    "Relationships": "1.B.2.d",
    "Support": "1.B.2.e",
    "Working Conditions": "1.B.2.b",
}

DEFAULT_DIMENSION_WEIGHTS: dict[str, float] = {
    "interest": 1.0,
    "skill": 1.0,
    "value": 1.0,
}
