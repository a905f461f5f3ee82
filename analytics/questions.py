"""The question bank: what to ask in an informational interview.

Plain data plus a few small selection functions, shared by the investigate-next list (which aims two to
four questions at a career's heavily weighted, least-evidenced criteria) and by the interview pipeline
(which helps the user prepare questions by category before a conversation).

Why a fixed bank rather than generated text: the questions must be open (they invite a story, not a
yes/no), answerable by anyone in the career, and stable, so the same data always suggests the same
questions. The bank has four parts:

* :data:`QUESTION_CATEGORIES` - general categories for preparing any interview ("A day in the role",
  "The path in", ...), in the order a conversation usually takes.
* :data:`TIARA_QUESTIONS` - the TIARA framework of informational interviewing (Trends, Insights, Advice,
  Resources, Assignments), whose questions invite the interviewee to share expertise rather than a pitch.
* :data:`CRITERION_QUESTIONS` - two or three questions for each default criterion of
  :mod:`analytics.profile_defaults`, each aimed at finding out how much the career *offers* it, which is
  what the 1-5 rating after the interview records.
* :data:`CRITERION_TEMPLATES` and :data:`DIMENSION_QUESTIONS` - questions for criteria the user made up
  (the template names the criterion) and general questions per dimension.

No question contains a placeholder except the templates, so the pipeline can show any of them verbatim.
"""

from __future__ import annotations

from .models import DIMENSIONS

TIARA_QUESTIONS: dict[str, tuple[str, ...]] = {
    "Trends": (
        "What trends are changing this field right now?",
        "How do you expect this work to look in five years?",
        "Which new tools or methods are people in your field starting to use?",
    ),
    "Insights": (
        "What surprised you most when you started in this role?",
        "What do people outside the field most often misunderstand about it?",
        "What separates the people who thrive in this work from those who leave?",
    ),
    "Advice": (
        "If you were starting out today, what would you do differently?",
        "What would you advise someone with my background who is considering this career?",
        "What should I avoid as I try to move into this field?",
    ),
    "Resources": (
        "Which publications, podcasts or communities do you follow to keep up?",
        "Which professional associations or events are worth joining early on?",
        "Which books or courses gave you the most useful grounding?",
    ),
    "Assignments": (
        "What small project could I do to test whether I would enjoy this work?",
        "What kind of volunteering or side project would show me what the job is really like?",
        "What task could I try this month to build a skill this career needs?",
    ),
}

QUESTION_CATEGORIES: dict[str, tuple[str, ...]] = {
    "A day in the role": (
        "What does a typical week look like for you?",
        "What took up most of your time yesterday?",
        "Which parts of your work do you enjoy most, and which least?",
        "How much of your time is spent alone, and how much with other people?",
    ),
    "The path in": (
        "How did you get into this career?",
        "What do entry-level roles look like, and how do people usually land one?",
        "Which qualifications or experience really matter when hiring, and which matter less than people think?",
        "How do people typically progress from where you started?",
    ),
    "Skills that matter": (
        "Which skills do you use every day?",
        "Which skills do new people in this role most often lack?",
        "How did you learn the skills you rely on most?",
    ),
    "Trends": TIARA_QUESTIONS["Trends"],
    "Advice": TIARA_QUESTIONS["Advice"],
    "Resources": TIARA_QUESTIONS["Resources"],
    "Who else to talk to": (
        "Who else would you suggest I talk to about this career?",
        "Who in a different corner of this field would see it differently from you?",
        "Which of them would you be comfortable introducing me to?",
    ),
}

# Keyed by the default criterion names (compared case-insensitively by :func:`questions_for_criterion`).
CRITERION_QUESTIONS: dict[str, tuple[str, ...]] = {
    # Holland (RIASEC) interests
    "Realistic": (
        "How much of your work is hands-on, with tools, equipment or physical materials?",
        "How much time do you spend away from a desk, out on sites or in the field?",
    ),
    "Investigative": (
        "How much of your time goes into researching, analysing or solving puzzles?",
        "Can you describe a recent problem you had to investigate and how you approached it?",
        "Who chooses the questions you work on: you, or someone else?",
    ),
    "Artistic": (
        "Where is there room for creativity or original ideas in your work?",
        "How much do you design, write or make things that are your own?",
    ),
    "Social": (
        "How much of your day is spent helping, teaching or advising people?",
        "Who benefits from your work, and how often do you see that?",
    ),
    "Enterprising": (
        "How much persuading, selling or leading is part of the job?",
        "How often do you take business risks or pitch ideas to decision makers?",
    ),
    "Conventional": (
        "How much of the work follows set procedures and careful record keeping?",
        "How important is accuracy and attention to detail in a typical week?",
    ),
    # Transferable skills
    "Writing": (
        "What kinds of writing do you do, and how much of your week does it take?",
        "Who reads what you write, and what do they do with it?",
    ),
    "Speaking": (
        "How often do you present, explain or discuss ideas out loud, and to whom?",
        "Can you describe the last time you had to present something important?",
    ),
    "Data analysis": (
        "How much of your work involves numbers and data, and which tools do you use?",
        "Can you walk me through a recent piece of analysis and what came of it?",
    ),
    "Problem solving": (
        "What kinds of open-ended problems land on your desk?",
        "How much of your work is routine, and how much has no ready-made answer?",
    ),
    "Teamwork": (
        "Who do you work with most closely, and how is the work shared?",
        "How are decisions made in your team?",
    ),
    "Leadership": (
        "When do people in this career start leading projects or people?",
        "What does leadership look like in your role day to day?",
    ),
    "Technical/programming": (
        "Which software, code or technical tools are central to your job?",
        "How technical does someone need to be on day one, and how much can be learned on the job?",
    ),
    "Organising": (
        "How much planning, scheduling and coordination does your role involve?",
        "How many projects or deadlines are you usually juggling at once?",
    ),
    # O*NET work values
    "Achievement": (
        "When do you feel a real sense of accomplishment in this work?",
        "How often do you get to see the result of what you did?",
    ),
    "Independence": (
        "How much freedom do you have to decide how and when you do your work?",
        "Which decisions can you make on your own, and which need sign-off?",
    ),
    "Recognition": (
        "How is good work recognised here, and what does advancement look like?",
        "How is this career seen by people outside it?",
    ),
    "Relationships": (
        "What are your colleagues like, and how much do you get to know them?",
        "In what ways does your work let you do something for other people?",
    ),
    "Support": (
        "How does management support people in your role, especially new starters?",
        "What happens when something goes wrong: who backs you up?",
    ),
    "Working Conditions": (
        "What are the hours and workload like in a normal week, and in a busy one?",
        "How secure are jobs in this field, and how does pay develop over time?",
    ),
}

# For criteria the user added: ``{criterion}`` is replaced by the criterion's name.
CRITERION_TEMPLATES: dict[str | None, tuple[str, ...]] = {
    "interest": (
        "How much of your work involves {criterion}?",
        "Can you tell me about a recent time {criterion} was part of your day?",
    ),
    "skill": (
        "How much do you rely on {criterion} in this role, and how did you build it?",
        "What level of {criterion} does someone need to start in this career?",
    ),
    "value": (
        "How well does this career offer {criterion}?",
        "Can you give me an example of how {criterion} shows up, or is missing, in your job?",
    ),
    None: (
        "How does {criterion} show up in your day-to-day work?",
        "How important is {criterion} to doing well in this career?",
    ),
}

DIMENSION_QUESTIONS: dict[str, tuple[str, ...]] = {
    "interest": (
        "Which parts of the work absorb you so much that you lose track of time?",
        "What kind of problems or people does this career keep you busy with?",
    ),
    "skill": (
        "Which skills do you use every day?",
        "Which skill would you most want a newcomer to arrive with?",
    ),
    "value": (
        "What does this career give back to you, beyond the pay?",
        "What would make someone leave this career after a few years?",
    ),
}

_BY_KEY = {name.casefold(): questions for name, questions in CRITERION_QUESTIONS.items()}


def questions_for_criterion(name: str, dimension: str | None = None) -> list[str]:
    """Questions that reveal how much a career offers criterion ``name``.

    A default criterion (matched trimmed and case-insensitively) gets its own questions; any other gets
    the templates of its dimension (or the general ones when unassigned) with its name filled in.
    """
    clean = " ".join(str(name).split())
    own = _BY_KEY.get(clean.casefold())
    if own:
        return list(own)
    templates = CRITERION_TEMPLATES.get(dimension if dimension in DIMENSIONS else None, CRITERION_TEMPLATES[None])
    return [template.format(criterion=clean) for template in templates]


def questions_for_dimension(dimension: str) -> list[str]:
    """General questions about one dimension (interest, skill or value) of a career."""
    if dimension not in DIMENSION_QUESTIONS:
        raise ValueError(f"unknown dimension {dimension!r}: use interest, skill or value")
    return list(DIMENSION_QUESTIONS[dimension])


def questions_for_category(category: str) -> list[str]:
    """The questions of one of :data:`QUESTION_CATEGORIES` or :data:`TIARA_QUESTIONS` (exact name)."""
    if category in QUESTION_CATEGORIES:
        return list(QUESTION_CATEGORIES[category])
    if category in TIARA_QUESTIONS:
        return list(TIARA_QUESTIONS[category])
    known = ", ".join([*QUESTION_CATEGORIES, *(c for c in TIARA_QUESTIONS if c not in QUESTION_CATEGORIES)])
    raise ValueError(f"unknown question category {category!r}: use one of {known}")


def tiara_questions() -> list[tuple[str, str]]:
    """Every TIARA question as (part, question), in the order Trends, Insights, Advice, Resources, Assignments."""
    return [(part, question) for part, questions in TIARA_QUESTIONS.items() for question in questions]
