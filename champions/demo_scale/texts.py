"""Pools of names and words, built once per run from fixed seeds, then sampled: generating text is cheap.

Markdown bodies are rendered once per distinct body here and the HTML is reused for every copy.
"""

import random
from dataclasses import dataclass

from faker import Faker

from champions.markup import render_markdown

TOPICS = [
    "reflective practice",
    "staff wellbeing",
    "vicarious trauma",
    "supervision",
    "plain-language letters",
    "waiting areas",
    "lived experience panels",
    "paying people for their time",
    "peer support",
    "trauma-informed recruitment",
    "leadership buy-in",
    "the NTTP framework",
    "the STILT programme",
    "protected learning time",
    "co-production",
    "first appointments",
    "choice in meetings",
    "children's voice",
    "multi-agency working",
    "rural and island working",
    "burnout",
    "debriefing",
    "team huddles",
    "calm spaces",
    "evaluation",
    "measuring impact",
    "induction for new staff",
    "trauma-informed policies",
    "complaints handling",
    "housing allocations",
    "school exclusions",
    "justice social work",
    "substance use services",
    "domestic abuse",
    "kinship care",
    "care leavers",
    "care homes",
    "home care visits",
    "hospital discharge",
    "mental health crisis",
    "police custody",
    "court processes",
    "benefit appointments",
    "reception teams",
    "phone scripts",
    "digital services",
    "online training",
    "managers' wellbeing",
    "resilience",
    "psychological safety",
    "shared language",
    "sensitive questions",
    "consent",
    "service redesign",
    "feedback from people who use services",
]
THREAD_PATTERNS = [
    "How are others handling {t}?",
    "{T}: what has worked for you?",
    "Looking for advice on {t}",
    "Sharing our learning on {t}",
    "Has anyone tried something new with {t}?",
    "Question about {t}",
    "Getting started with {t}",
    "{T} in a small team",
    "Resources on {t}, please",
    "A reflection on {t}",
    "Struggling with {t} at the moment",
    "{T}: a year on",
    "Good news about {t}",
]
CASE_PATTERNS = [
    "{T} in {place}",
    "Changing how we approach {t}",
    "A pilot on {t} with frontline teams",
    "What we learned about {t}",
    "{T}: small steps, real change",
    "Making {t} trauma-informed",
]
EVENT_PATTERNS = [
    "{kind}: {t}",
    "{kind} on {t}",
    "{t} — {kind}",
    "{kind}: getting started with {t}",
]
OPENERS = [
    "In our team",
    "Across the partnership",
    "Since last spring",
    "On the ward",
    "In the housing office",
    "At our last network meeting",
    "In children's services",
    "With our lived experience panel",
    "During the pilot",
    "In the first six months",
    "For our reception staff",
    "In justice social work",
]
ACTIONS = [
    "we worked on",
    "we started work on",
    "colleagues talked about",
    "managers backed work on",
    "we struggled with",
    "staff asked for help with",
    "people who use the service told us about",
    "we invested in",
    "we paused work on",
    "the working group reviewed",
]
ENDINGS = [
    ", and it made a real difference.",
    ", but it took longer than we hoped.",
    ", which surprised us.",
    " and we are still learning.",
    ", and people noticed.",
    ", with mixed results so far.",
    " and would do it again.",
    ", slowly but steadily.",
    ", and staff said they felt safer.",
    " with support from the network.",
]
TOWNS = [
    "Dundee",
    "Paisley",
    "Inverness",
    "Kirkcaldy",
    "Perth",
    "Ayr",
    "Stirling",
    "Dumfries",
    "Elgin",
    "Oban",
    "Lerwick",
    "Kirkwall",
    "Stornoway",
    "Hamilton",
    "Livingston",
    "Falkirk",
    "Galashiels",
    "Greenock",
]
REPLY_OPENERS = [
    "Thank you for sharing this.",
    "This really resonates.",
    "We had the same experience.",
    "Great question.",
    "I would love to hear more about this.",
    "Really helpful, thank you.",
    "Go gently with yourself.",
    "Happy to talk this through.",
    "We found something similar.",
]
JOB_TITLES = [
    "Head of Children's Services",
    "Chief Social Work Officer",
    "Director of Public Health",
    "Head of Adult Social Care",
    "Service Manager, Justice Social Work",
    "Head of Housing Services",
    "Chief Officer",
    "Depute Head of Education",
    "Associate Director of Nursing",
    "Practice Educator",
    "Head of Organisational Development",
    "Locality Manager",
    "Strategic Lead for Workforce Wellbeing",
    "Team Leader",
    "Clinical Psychologist",
    "Learning and Development Adviser",
    "Senior Social Worker",
]
BARRIERS = [
    "Lack of time and resources for staff to reflect.",
    "Staffing shortages make release for training hard.",
    "Not enough funding for backfill.",
    "Leadership buy-in varies between teams.",
    "Workload leaves no room for service design.",
]
ENABLERS = [
    "Buy-in from senior management.",
    "Champions across services and teams.",
    "Peer support.",
    "Access to the NTTP e-learning and the toolkit.",
    "Working with multi-agency partners.",
]


@dataclass
class Body:
    text: str
    html: str


class TextPools:
    """Every piece of generated text the seeder uses, drawn from fixed seeds."""

    def __init__(self, seed: int = 2026, bodies: int = 300):
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.first_names = sorted({fake.first_name() for _ in range(1_500)})
        self.last_names = sorted({fake.last_name() for _ in range(1_500)})
        self.sentences = [self._sentence() for _ in range(2_000)]
        self.thread_titles = self._titles(THREAD_PATTERNS)
        self.case_titles = self._titles(CASE_PATTERNS, places=TOWNS)
        self.openings = [self._body(long=True) for _ in range(bodies // 3)]
        self.replies = [self._body(long=False) for _ in range(bodies)]
        self.paragraphs = [self.paragraph(self.rng.randint(2, 4)) for _ in range(bodies)]
        self.bios = [
            self.paragraph(2) + f"\n\nAsk me about **{self.rng.choice(TOPICS)}**." for _ in range(bodies)
        ]

    def name(self, rng: random.Random) -> str:
        return f"{rng.choice(self.first_names)} {rng.choice(self.last_names)}"

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.rng.choice(self.sentences) for _ in range(sentences))

    def event_title(self, rng: random.Random, kind_label: str) -> str:
        topic = rng.choice(TOPICS)
        title = rng.choice(EVENT_PATTERNS).format(kind=kind_label, t=topic)
        return title[0].upper() + title[1:]

    def _sentence(self) -> str:
        rng = self.rng
        return f"{rng.choice(OPENERS)}, {rng.choice(ACTIONS)} {rng.choice(TOPICS)}{rng.choice(ENDINGS)}"

    def _titles(self, patterns: list[str], places: list[str] | None = None) -> list[str]:
        titles = set()
        for pattern in patterns:
            for topic in TOPICS:
                place = self.rng.choice(places) if places else ""
                titles.add(pattern.format(t=topic, T=topic[0].upper() + topic[1:], place=place))
        return sorted(titles)

    def _body(self, long: bool) -> Body:
        rng = self.rng
        parts = [] if long else [rng.choice(REPLY_OPENERS)]
        for _ in range(rng.randint(2, 4) if long else rng.randint(1, 2)):
            parts.append(self.paragraph(rng.randint(1, 3)))
        if rng.random() < 0.2:
            parts.append("\n".join(f"- {rng.choice(TOPICS).capitalize()}" for _ in range(rng.randint(2, 4))))
        if rng.random() < 0.15:
            parts.append(f"Has anyone else tried **{rng.choice(TOPICS)}**?")
        text = "\n\n".join(parts)
        return Body(text, str(render_markdown(text)))
