"""Demo entries for the NTTP resources catalogue, by their public names."""

from champions.accounts.models import User
from champions.resources import services
from champions.resources.models import Resource, ResourceFormat

NES = "NHS Education for Scotland"
NTTP = "https://www.transformingpsychologicaltrauma.scot"

DEMO_RESOURCES = [
    (
        "Trauma-informed practice",
        NES,
        ResourceFormat.E_LEARNING,
        ["trauma-informed"],
        f"{NTTP}/resources/trauma-informed-practice/",
        "The level 1 e-learning module for the whole workforce: what trauma is, how it can affect people, "
        "and how we can all respond in ways that help and do not harm.",
    ),
    (
        "Trauma-skilled practice",
        NES,
        ResourceFormat.E_LEARNING,
        ["trauma-skilled"],
        f"{NTTP}/resources/trauma-skilled-practice/",
        "The level 2 e-learning for staff likely to be in contact with people affected by trauma, "
        "whether or not it is known.",
    ),
    (
        "Developing your trauma-skilled practice",
        NES,
        ResourceFormat.VIDEO,
        ["trauma-skilled"],
        f"{NTTP}/resources/developing-your-trauma-skilled-practice/",
        "A series of short films and activities that build on the trauma-skilled module.",
    ),
    (
        "Trauma-enhanced practice",
        NES,
        ResourceFormat.GUIDE,
        ["trauma-enhanced"],
        "https://www.nes.scot.nhs.uk/our-work/trauma-national-trauma-transformation-programme/",
        "Learning for staff with a specific remit to support people affected by trauma, often over a longer "
        "period, at the enhanced and specialist practice levels.",
    ),
    (
        "Scottish Trauma Informed Leaders Training (STILT)",
        NES,
        ResourceFormat.LEADERS_PROGRAMME,
        ["trauma-informed", "trauma-skilled", "trauma-enhanced", "trauma-specialist"],
        f"{NTTP}/resources/scottish-trauma-informed-leaders-training-stilt/",
        "A programme for leaders at every level: how to lead trauma-informed change in your organisation.",
    ),
    (
        "Roadmap for creating trauma-informed and responsive change",
        NES,
        ResourceFormat.TOOLKIT,
        ["trauma-informed", "trauma-skilled"],
        f"{NTTP}/resources/roadmap-for-creating-trauma-informed-and-responsive-change/",
        "A guide for organisations and systems on where to start, and how to keep going, with "
        "trauma-informed and responsive change.",
    ),
    (
        "National Wellbeing Hub",
        "National Wellbeing Hub",
        ResourceFormat.WEBSITE,
        ["trauma-informed"],
        "https://wellbeinghub.scot/",
        "Support for the wellbeing of everyone working in health, social care and social work in Scotland.",
    ),
]


# Learning materials all serve workforce development; each also one more domain, in turn.
OTHER_DOMAINS = [
    "governance-and-leadership",
    "lived-experience",
    "environment",
    "screening-assessment-treatment",
]


def seed(accounts: dict[str, User]) -> list[Resource]:
    return [
        services.create_resource(
            accounts.get("coordinator"),
            {
                "title": title,
                "provider": provider,
                "format": kind.value,
                "levels": levels,
                "domains": ["workforce-development", OTHER_DOMAINS[n % len(OTHER_DOMAINS)]],
                "url": url,
                "description": description,
            },
        )
        for n, (title, provider, kind, levels, url, description) in enumerate(DEMO_RESOURCES)
    ]
