"""Demo case studies for `flask seed-demo`: about 25, in every state, a few with small files."""

import struct
import zlib
from datetime import timedelta

from sqlalchemy import select

from champions.accounts.models import Role, User
from champions.casestudies import services
from champions.casestudies.services import files
from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import (
    CouncilArea,
    ImplementationDomain,
    NttpLevel,
    OrganisationKind,
    Principle,
    Sector,
)
from champions.reference.services import find_or_create_organisation

CHECKED = {key: True for key in services.CHECKLIST}
EXTRA_AUTHORS = [
    (
        "aileen.fraser.demo@example.org",
        "Aileen Fraser",
        "Highland",
        "NHS Highland",
        OrganisationKind.NHS_BOARD,
    ),
    (
        "ravi.chopra.demo@example.org",
        "Ravi Chopra",
        "Glasgow City",
        "Glasgow City Council",
        OrganisationKind.COUNCIL,
    ),
    (
        "siobhan.mcbride.demo@example.org",
        "Siobhan McBride",
        "Dundee City",
        "Dundee Women's Aid",
        OrganisationKind.THIRD_SECTOR,
    ),
]
INVOLVED = [
    "Frontline staff, team leaders and our learning and development team. A lived experience panel "
    "of four people met with us three times to shape the plan.",
    "Managers and staff from two teams, our HR partner, and an NHS psychologist who offered reflective "
    "practice sessions. People who use the service gave feedback through a short survey.",
    "A small working group of volunteers from across the service, with support from the local trauma "
    "champion network and colleagues in the third sector.",
]
LEARNED = [
    "Protected time matters more than the format. When sessions were squeezed by rotas, people stopped "
    "coming; once managers blocked the time, attendance held.",
    "Start with what staff already do well. Naming good practice built trust faster than new training did.",
    "Co-production takes longer than you think, and it is worth it. Pay people for their time.",
]
ADVICE = [
    "- Ask staff what would help before planning anything.\n- Get a senior sponsor early.\n"
    "- Keep a simple log of what changes, so you have evidence later.",
    "- Start small, with one team.\n- Use the free NES resources.\n- Check in on the people leading it too.",
    "- Agree how you will share learning before you begin.\n- Be honest about what did not work.",
]
# title, organisation, areas, sectors, principles, levels, topics, challenge, what we did, impact
CASES = [
    (
        "Reflective practice for home care teams",
        "Fife Health and Social Care Partnership",
        ["Fife"],
        ["adult-social-care"],
        ["safety", "trust"],
        ["trauma-informed"],
        ["reflective practice", "staff wellbeing"],
        "Home carers told us they felt isolated after hard visits, with nowhere to talk them through.",
        "We set up monthly facilitated reflective sessions for each home care team, in paid time.",
        "Over a year, sickness absence in the pilot teams fell by 18%. "
        "Staff surveys showed more people felt supported.",
    ),
    (
        "Wellbeing check-ins between managers and staff",
        "Glasgow City Council",
        ["Glasgow City"],
        ["adult-social-care", "leadership"],
        ["trust", "collaboration"],
        ["trauma-skilled"],
        ["supervision", "staff wellbeing"],
        "Supervision had become a checklist of cases, with no room to ask how people were.",
        "Managers added a short wellbeing check-in to every one-to-one, using a simple prompt card.",
        "Eight in ten staff said their manager now asks how they are. "
        "Two managers said it changed how they lead.",
    ),
    (
        "A calmer waiting room in a community mental health team",
        "NHS Highland",
        ["Highland"],
        ["health"],
        ["safety", "choice"],
        ["trauma-informed"],
        ["environment", "waiting areas"],
        "People arriving for first appointments said the waiting area felt cold and exposing.",
        "With a lived experience group we changed seating, signage and lighting, and added a quiet room.",
        "Missed first appointments fell from 22% to 14% in six months.",
    ),
    (
        "Trauma-informed letters from the housing service",
        "City of Edinburgh Council",
        ["City of Edinburgh"],
        ["housing"],
        ["trust", "empowerment"],
        ["trauma-informed"],
        ["letters", "communication"],
        "Our arrears letters were frightening and many people did not open them.",
        "We rewrote twelve standard letters with tenants, in plain words, with a named contact and choices.",
        "Contact from tenants after a first letter rose by a third.",
    ),
    (
        "Peer support for police call handlers",
        "Police Scotland",
        ["North Lanarkshire"],
        ["police-fire"],
        ["safety", "collaboration"],
        ["trauma-skilled"],
        ["peer support", "vicarious trauma"],
        "Call handlers hear distressing calls every shift, with little time to recover between them.",
        "We trained 30 volunteers as peer supporters and built a short pause into rotas "
        "after difficult calls.",
        "Use of the employee assistance programme rose, and staff turnover in the team fell.",
    ),
    (
        "Choice in how children give their views at meetings",
        "Aberdeenshire Council",
        ["Aberdeenshire"],
        ["children-and-families"],
        ["choice", "empowerment"],
        ["trauma-skilled"],
        ["children's voice", "meetings"],
        "Young people told us child protection meetings felt like being talked about, not with.",
        "We offered children a choice of ways to take part: "
        "in person, by letter, by video or through an advocate.",
        "Three quarters of children now contribute to their meetings, up from under half.",
    ),
    (
        "Leadership sessions on trauma-informed organisations",
        "Improvement Service",
        ["City of Edinburgh", "Glasgow City"],
        ["leadership"],
        ["collaboration", "trust"],
        ["trauma-enhanced"],
        ["leadership", "culture change"],
        "Training reached frontline staff, but decisions about rotas and policy did not change.",
        "We ran four half-day sessions for senior leaders, using the NES leadership resources.",
        "Two councils have since reviewed a policy with a trauma lens.",
    ),
    (
        "A trauma-informed approach to school exclusions",
        "Dundee City Council",
        ["Dundee City"],
        ["education", "children-and-families"],
        ["safety", "trust"],
        ["trauma-skilled"],
        ["schools", "relationships"],
        "Exclusions were rising, and many excluded pupils had known experiences of trauma.",
        "Two secondary schools trained all staff and used relational approaches before any exclusion.",
        "Exclusions in the two schools fell by 40% over two years.",
    ),
    (
        "Welcoming people at a foodbank",
        "Trussell Trust Scotland",
        ["Inverclyde"],
        ["third-sector"],
        ["safety", "choice"],
        ["trauma-informed"],
        ["volunteers", "welcome"],
        "People told us coming to the foodbank for the first time felt shaming.",
        "Volunteers learned a warm, short welcome and people could choose their own food where possible.",
        "Feedback cards show most people now feel 'respected' on their first visit.",
    ),
    (
        "Routine enquiry about trauma in a substance use service",
        "Turning Point Scotland",
        ["Glasgow City"],
        ["substance-use"],
        ["trust", "choice"],
        ["trauma-skilled"],
        ["routine enquiry", "assessment"],
        "Staff were unsure whether and how to ask people about past trauma.",
        "We trained staff to ask sensitively, with choice about whether to answer "
        "and clear routes to support.",
        "Staff confidence scores doubled; nobody reported feeling pressured to answer.",
    ),
    (
        "Trauma-informed justice social work reports",
        "South Lanarkshire Council",
        ["South Lanarkshire"],
        ["justice"],
        ["trust", "empowerment"],
        ["trauma-skilled"],
        ["reports", "language"],
        "Court reports described people by their offences, and people found reading them retraumatising.",
        "We reviewed report templates with people with lived experience and changed the language we use.",
        "Sheriffs gave positive feedback, and people said they recognised themselves in the reports.",
    ),
    (
        "Supporting staff after a death in a care home",
        "Scottish Borders Council",
        ["Scottish Borders"],
        ["adult-social-care"],
        ["safety", "collaboration"],
        ["trauma-informed"],
        ["bereavement", "staff wellbeing"],
        "During the pandemic care home staff experienced many deaths with no time to grieve.",
        "We introduced short remembrance gatherings and a debrief offer after every death.",
        "Staff said they felt less alone; agency use fell as fewer staff went off sick.",
    ),
    (
        "Employability support that starts with safety",
        "West Lothian Council",
        ["West Lothian"],
        ["employability"],
        ["safety", "empowerment"],
        ["trauma-informed"],
        ["employability", "first contact"],
        "Many people referred to employability support had past experiences of services letting them down.",
        "Advisers offered a first meeting somewhere the person chose, with no forms in the first session.",
        "More people came to a second meeting: 81% against 63% before.",
    ),
    (
        "Domestic abuse advocacy with choice at its heart",
        "Dundee Women's Aid",
        ["Dundee City", "Angus"],
        ["violence-against-women"],
        ["choice", "empowerment"],
        ["trauma-enhanced"],
        ["advocacy", "safety planning"],
        "Women told us that services made decisions for them rather than with them.",
        "Advocates used a shared safety plan that women hold and change themselves.",
        "Women rated feeling in control at 4.4 out of 5, up from 3.1.",
    ),
    (
        "Fire service home visits with a trauma lens",
        "Scottish Fire and Rescue Service",
        ["Highland", "Moray"],
        ["police-fire"],
        ["trust", "safety"],
        ["trauma-informed"],
        ["home visits", "hoarding"],
        "Home fire safety visits to people who hoard often ended badly, with doors not opened again.",
        "Crews learned about trauma and hoarding, and visits became slower and led by the householder.",
        "Repeat visits were accepted in most cases, and fire risk was reduced in 20 homes.",
    ),
    (
        "Island-wide trauma training through a shared network",
        "Orkney Islands Council",
        ["Orkney Islands"],
        ["health", "adult-social-care"],
        ["collaboration"],
        ["trauma-informed"],
        ["rural", "training"],
        "Small teams in island services could not release staff for training on the mainland.",
        "We formed one network across council, NHS and third sector, and ran training locally in turns.",
        "Over 300 staff completed trauma-informed training in eighteen months.",
    ),
    (
        "A quiet space for staff in a busy hospital ward",
        "NHS Lanarkshire",
        ["North Lanarkshire", "South Lanarkshire"],
        ["health"],
        ["safety"],
        ["trauma-informed"],
        ["staff wellbeing", "environment"],
        "Ward staff had nowhere to step away after distressing events.",
        "We turned a store room into a staff wellbeing space, designed with staff.",
        "Used over 200 times a month; staff said it helped them go back to work calmer.",
    ),
    (
        "Housing first tenancies sustained through relationships",
        "Renfrewshire Council",
        ["Renfrewshire"],
        ["housing", "substance-use"],
        ["trust", "collaboration"],
        ["trauma-enhanced"],
        ["housing first", "relationships"],
        "People with long histories of homelessness lost tenancies within months.",
        "Support workers held small caseloads and stayed with people through setbacks.",
        "87% of tenancies were sustained after a year.",
    ),
    (
        "Kinship carers' peer group",
        "Falkirk Council",
        ["Falkirk"],
        ["children-and-families"],
        ["collaboration", "empowerment"],
        ["trauma-informed"],
        ["kinship care", "peer support"],
        "Kinship carers said they felt judged and left to cope alone.",
        "We started a monthly peer group led by carers, with childcare provided.",
        "Carers report feeling more confident asking for help.",
    ),
    (
        "Trauma-informed recruitment in social work",
        "East Ayrshire Council",
        ["East Ayrshire"],
        ["leadership", "children-and-families"],
        ["trust", "choice"],
        ["trauma-skilled"],
        ["recruitment", "workforce"],
        "Interview processes felt adversarial and we were losing good candidates.",
        "We shared questions in advance, offered choice of format and a tour before interview.",
        "Acceptance of offers rose, and new staff described the process as fair.",
    ),
    (
        "Lived experience panel for a health and social care partnership",
        "Perth and Kinross HSCP",
        ["Perth and Kinross"],
        ["health", "adult-social-care"],
        ["empowerment", "collaboration"],
        ["trauma-enhanced"],
        ["lived experience", "co-production"],
        "Service changes were being made without hearing from people affected by trauma.",
        "We set up a paid panel of people with lived experience who review plans before decisions.",
        "The panel changed five service plans in its first year.",
    ),
    (
        "Debriefs after critical incidents in a prison",
        "Scottish Prison Service",
        ["Stirling"],
        ["justice"],
        ["safety", "trust"],
        ["trauma-skilled"],
        ["debriefs", "vicarious trauma"],
        "Staff dealt with self-harm incidents and then went straight back to duty.",
        "We introduced a structured, voluntary debrief within 72 hours of critical incidents.",
        "Nine in ten staff who took part found it helpful.",
    ),
    (
        "Trauma-informed reception in a GP practice",
        "NHS Dumfries and Galloway",
        ["Dumfries and Galloway"],
        ["health"],
        ["safety", "choice"],
        ["trauma-informed"],
        ["reception", "first contact"],
        "Reception staff faced distressed patients and felt untrained to respond.",
        "The whole team did NES trauma-informed training and agreed a few simple phrases.",
        "Complaints about reception fell by half in a year.",
    ),
    (
        "Co-designing a youth justice drop-in",
        "Inverclyde HSCP",
        ["Inverclyde"],
        ["justice", "children-and-families"],
        ["empowerment", "choice"],
        ["trauma-skilled"],
        ["young people", "co-production"],
        "Young people would not attend appointments in an office.",
        "Young people chose the venue, times and activities for a weekly drop-in.",
        "Attendance averaged twelve young people a week, against three at office appointments.",
    ),
    (
        "Wellbeing champions across a council",
        "Midlothian Council",
        ["Midlothian"],
        ["leadership"],
        ["collaboration", "trust"],
        ["trauma-informed"],
        ["wellbeing champions", "staff wellbeing"],
        "Staff did not know what wellbeing support was available to them.",
        "We appointed 40 wellbeing champions across services who share what is on offer.",
        "Awareness of the employee assistance programme rose from 35% to 70%.",
    ),
]
# the state of each case above, by position; the rest are published
STATES = {
    3: "submitted",
    9: "submitted",
    13: "draft",
    19: "draft",
    16: "unpublished",
    21: "archived",
    1: "edit",
    6: "returned",
}


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF with a line of text, written by hand (no library needed)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")[:80]
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(width: int = 120, height: int = 60) -> bytes:
    """A small striped PNG, written with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + bytes((0, 94, 184) if (y // 10) % 2 else (230, 240, 250)) * width for y in range(height)
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# Each case study is tagged with two implementation domains, in turn.
DOMAIN_SLUGS = [
    "governance-and-leadership",
    "policy",
    "lived-experience",
    "workforce-development",
    "environment",
    "cross-sector-collaboration",
    "screening-assessment-treatment",
    "finance",
    "monitoring-quality",
    "evaluation",
]


def _ids(model, slugs: list[str], by: str = "slug") -> list[int]:
    return list(db.session.scalars(select(model.id).where(getattr(model, by).in_(slugs))))


def _authors(accounts: dict[str, User]) -> list[User]:
    people = [accounts["champion"]]
    for email, name, area_name, organisation, kind in EXTRA_AUTHORS:
        area = db.session.scalar(select(CouncilArea).where(CouncilArea.name == area_name))
        user = User(
            email=email,
            name=name,
            role=Role.CHAMPION.value,
            is_demo=True,
            password_hash=accounts["champion"].password_hash,
            email_verified_at=utcnow(),
            council_area=area,
            organisation=find_or_create_organisation(organisation, kind.value, area),
        )
        db.session.add(user)
        people.append(user)
    db.session.commit()
    return people


def _content(n: int, case: tuple) -> dict:
    title, _org, areas, sectors, principles, levels, topics, challenge, approach, impact = case
    return {
        "title": title,
        "summary": f"{approach} {impact}",
        "challenge": challenge,
        "approach": approach,
        "involvement": INVOLVED[n % 3],
        "co_produced": n % 2 == 0,
        "impact": impact,
        "learning": LEARNED[n % 3],
        "advice": ADVICE[n % 3],
        "contact_name": "",
        "contact_email": "",
        "visibility": "members" if n % 4 == 3 else "public",
        "review_by": None,
        "topics": topics,
        "sector_ids": _ids(Sector, sectors),
        "principle_ids": _ids(Principle, principles),
        "domain_ids": _ids(
            ImplementationDomain, [DOMAIN_SLUGS[n % len(DOMAIN_SLUGS)], DOMAIN_SLUGS[(n + 3) % 10]]
        ),
        "level_ids": _ids(NttpLevel, levels),
        "area_ids": _ids(CouncilArea, areas, by="name"),
    }


def _files(n: int, title: str) -> list[files.CheckedFile]:
    if n % 5 == 0:
        return [files.check(f"{title}.pdf", tiny_pdf(title))]
    if n % 5 == 2:
        return [files.check("Project poster.png", tiny_png())]
    return []


def seed(accounts: dict[str, User]) -> None:
    authors, reviewer = _authors(accounts), accounts["coordinator"]
    now = utcnow()
    for n, case in enumerate(CASES):
        state = STATES.get(n, "published")
        author = accounts["champion"] if state in ("draft", "returned", "edit") else authors[n % len(authors)]
        content = _content(n, case)
        case_study = services.create(author, content, _files(n, case[0]), submit=state not in ("draft",))
        case_study.organisation = find_or_create_organisation(case[1], OrganisationKind.OTHER.value)
        if state == "returned":
            services.return_for_changes(
                case_study,
                reviewer,
                CHECKED,
                "Thank you. Could you add how you measured the change "
                "in attendance, and check that no one can be identified?",
            )
        elif state not in ("submitted", "draft"):
            services.publish(case_study, reviewer, CHECKED, "Thank you for sharing this.")
            case_study.published_at = case_study.updated_at = now - timedelta(days=9 * (len(CASES) - n))
            if n == 4:
                case_study.review_by = (now - timedelta(days=30)).date()
            db.session.commit()
        if state == "unpublished":
            services.unpublish(case_study, reviewer, "Paused while the team checks a figure.")
        elif state == "archived":
            services.archive(case_study, reviewer, "The project has ended; kept for reference.")
        elif state == "edit":
            services.update(case_study, author, {**content, "impact": impact_update(case[9])}, [])
    db.session.commit()


def impact_update(impact: str) -> str:
    return impact + " A second year of figures shows the change has lasted."
