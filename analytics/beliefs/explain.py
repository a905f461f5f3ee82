"""The belief model in plain words for people: the "How scores work" text, the calibration figures, and the
sentence that warns when most of what matters was never discussed."""

from __future__ import annotations

from ..numbers import shown
from .ranking import CareerScore

LOW_COVERAGE = 0.5  # below this share of the profile's weight, the estimate leans mostly on priors

MODEL_TEXT = """
**What the fit is.** For every career and every criterion, Career Fit keeps a *belief* about how much of
that criterion the career offers: a best guess and how unsure it is. Before any interview the belief comes
from your own expectation of the career if you recorded one, else from O*NET's data on the occupation the
career is linked to, else it is neutral: the middle of the scale, with anything plausible. Each interview
then moves the beliefs of the criteria it rated, by how much depends on how much people's answers scatter
(learned from all your interviews together), on each interviewee's overall lean (someone who rates
everything high), and on a lean that all of a career's interviewees may share, which no number of
interviews removes. A criterion nobody discussed keeps its prior: it never inflates the fit, it widens the
band. The **fit** combines the beliefs with your weights; the **band** is where the true fit lies about 9
times in 10; the **chance best** is how likely each career is to be truly the best on your list, from the
same beliefs. If your expectations have missed before (you expected 69 and found 39), your next
expectations count for less.
""".strip()

# Measured by ``python benchmarks/calibration.py`` (simulated worlds with a known true fit; see its docstring).
CALIBRATION_TEXT = """
**Is the band honest?** In simulated interview histories with a known true fit (people who rate in whole
numbers, with their own lean and noise; 1 to 10 interviews per career; every criterion rated, a random half,
or only the five heaviest; a career whose interviewees come from two camps; a lean shared by all of a
career's interviewees) the band held the true fit in 85-95% of careers in every scenario (target: about
90%), half-width 4-10 points. Run `python benchmarks/calibration.py` for the full table.
""".strip()


def coverage_warning(score: CareerScore) -> str | None:
    """A plain sentence when an interviewed career's estimate rests mostly on what was never discussed."""
    if not score.interviews or score.coverage >= LOW_COVERAGE:
        return None
    return (
        f"most of what matters to you was never discussed in these interviews (they rated "
        f"{shown(100 * score.coverage)}% of your profile's weight), so its fit leans on "
        f"{'your expectations' if score.expected_fit is not None else 'the neutral middle of the scale'} "
        "and its band is wide. Ask about the rest next time."
    )
