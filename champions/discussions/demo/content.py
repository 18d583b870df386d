# ruff: noqa: E501 - prose for the demo reads better unwrapped
"""Words for the demo discussions: Scottish public-sector voices on the learning report's themes."""

CATEGORIES = [
    ("Adult social care", "Trauma-informed practice in care homes, care at home and adult support."),
    ("Children and families", "Working with children, young people and their families."),
    ("Leadership", "Getting buy-in, changing policy and leading a trauma-informed organisation."),
    ("Staff wellbeing", "Looking after ourselves and each other. Go gently here."),
    ("Events and learning", "Training, learning events and resources worth sharing."),
    ("Introduce yourself", "New to the network? Say hello and tell us a little about your work."),
]

PEOPLE = [
    ("eilidh.fraser@example.org", "Eilidh Fraser", "Highland"),
    ("iain.campbell@example.org", "Iain Campbell", "Glasgow City"),
    ("kirsty.mcdonald@example.org", "Kirsty McDonald", "Dundee City"),
    ("ruairidh.morrison@example.org", "Ruairidh Morrison", "Na h-Eileanan Siar"),
    ("aileen.grant@example.org", "Aileen Grant", "Aberdeenshire"),
    ("jamie.paterson@example.org", "Jamie Paterson", "South Lanarkshire"),
]

# (category index, title, opening post, replies, options). Options: note (content note),
# anon (opening post anonymous), locked, pinned, report (reply index to report).
THREADS = [
    (
        5,
        "Welcome: how this space works",
        "Hello and welcome. This is a space for champions and colleagues across Scotland to share "
        "what is working, what is hard, and what we are learning.\n\n- Be kind: many of us are under real pressure.\n"
        "- Use a **content note** if your post touches on something distressing.\n- You can post anonymously if you need to.\n"
        "- If something worries you, use *Report* and a coordinator will look at it.",
        [
            "Thank you for setting this up. It feels good to have somewhere that is ours.",
            "Glad to be here. Looking forward to learning from everyone.",
        ],
        {"pinned": True},
    ),
    (
        5,
        "Hello from Fife",
        "Hi all, I am a practice development lead in the HSCP in Fife. I became a trauma champion last spring "
        "and I am keen to hear how others are finding the role.",
        [
            "Welcome! Fife has been doing some lovely work on supervision.",
            "Hello from Dundee. Happy to compare notes any time.",
        ],
        {},
    ),
    (
        5,
        "New champion in the Western Isles",
        "Madainn mhath! I work in adult services on Lewis. Rural and island working brings its own "
        "challenges, especially for getting staff to training. Would love to connect with others in remote areas.",
        [
            "Welcome Ruairidh. Highland has similar issues, we have had some success with short online sessions.",
            "Same here in Aberdeenshire. Happy to set up a call for rural champions.",
        ],
        {},
    ),
    (
        5,
        "Introducing myself: social work team manager, Glasgow",
        "Hello everyone. I manage a busy adult social work team. Most of my "
        "interest is in how we support staff after difficult visits.",
        ["Welcome Iain, that is such an important area."],
        {},
    ),
    (
        5,
        "Hi from a children's services champion in South Lanarkshire",
        "Hello! I am new to the network and still finding my feet. Any tips for a first-year champion?",
        [
            "Start small and find one ally in each team. It makes a huge difference.",
            "Take the Trauma Skilled level yourself first if you have not already, it helps you explain it to others.",
        ],
        {},
    ),
    (
        0,
        "Bringing trauma-informed practice into care home routines",
        "Our care home has started looking at daily routines through a "
        "trauma-informed lens: choice at mealtimes, how we knock and enter, who is on shift. Small things, but residents notice. "
        "What has worked in your homes?",
        [
            "We changed our admission conversations to ask what helps people feel safe. Families have "
            "said it made a real difference.",
            "Consistency of staff has been the biggest thing for us. Agency cover makes it hard.",
            "We use a one-page profile that includes what might upset someone. It is reviewed monthly.",
        ],
        {},
    ),
    (
        0,
        "Consistency across care at home teams",
        "We have four care at home teams and each is at a very different stage. How do others "
        "get some consistency without it becoming another checklist?",
        [
            "We use a short reflective question at every team meeting. "
            "Same question across all teams, which gives a common language.",
            "Honestly we have not cracked it. Following this thread.",
        ],
        {},
    ),
    (
        0,
        "Supporting people who are distressed by personal care",
        "Looking for practical ideas for supporting someone who becomes very "
        "distressed during personal care. We suspect past trauma but do not know the history.",
        [
            "Explaining every step before it happens, and asking permission each time, has helped with one of our residents.",
            "Same staff wherever possible, and letting the person keep some control, even small choices like the order of things.",
        ],
        {"note": "mentions distress during personal care"},
    ),
    (
        0,
        "Recording practice: what language do you use?",
        'We are reviewing care plan wording. Phrases like "refused care" or '
        '"challenging behaviour" keep coming up. How have others changed their recording?',
        [
            'We now write "chose not to" and describe what was happening around the person at the time.',
            "Our SSSC learning rep ran a short session on this. Happy to share the slides.",
        ],
        {},
    ),
    (
        0,
        "Accountability when practice slips",
        "How do you hold each other to account for trauma-informed practice without it feeling "
        "punitive for staff who are already stretched?",
        [
            "Supervision that is genuinely reflective rather than a performance review.",
            "We celebrate good examples in team huddles. It shifts the tone.",
        ],
        {},
    ),
    (
        0,
        "Hospital discharge and re-traumatisation",
        "Some of our people come back from hospital visibly shaken. Has anyone worked with "
        "acute colleagues on discharge planning?",
        ["We have a link nurse now, which helps with handover of what matters to the person."],
        {"note": "mentions hospital experiences"},
    ),
    (
        0,
        "Care home visiting after the pandemic",
        "Visiting has reopened, but some families are still anxious and some staff are "
        "still carrying a lot from 2020. How are you supporting both?",
        [
            "Open conversations with families about what happened, "
            "rather than avoiding it, has helped us rebuild trust."
        ],
        {"note": "mentions deaths during the pandemic", "locked": True},
    ),
    (
        1,
        "Trauma-informed child protection meetings",
        "We have been redesigning how we run child protection meetings so they are less "
        "frightening for parents. Seating, paperwork in advance, a named person to explain. Any other ideas?",
        [
            "Sending the agenda in plain language beforehand helped our families a lot.",
            "Offering a break room and a quiet moment after the meeting.",
        ],
        {"note": "mentions child protection"},
    ),
    (
        1,
        "Supporting kinship carers",
        "Kinship carers in our area often feel forgotten. What support has worked elsewhere?",
        [
            "We run a peer group once a month. It started tiny but it has grown.",
            "Clear information about allowances, first time, without people having to fight for it.",
        ],
        {},
    ),
    (
        1,
        "Language we use with young people",
        'A young person told us recently that being called a "case" made her feel like a file. '
        "We are now looking at all our letters. Has anyone done a similar review?",
        ["Yes, our Champions Board young people rewrote our standard letters. They were brilliant at it."],
        {},
    ),
    (
        1,
        "Transitions from children's to adult services",
        "The jump at 18 can feel like falling off a cliff. How are others making transitions safer?",
        [
            "Starting planning at 14 and keeping one familiar worker through the move.",
            "Joint visits with both teams before the handover.",
        ],
        {},
    ),
    (
        1,
        "School exclusions and trauma",
        "Working with education colleagues on reducing exclusions. Any good examples of "
        "trauma-informed behaviour policies?",
        ["Our local authority replaced isolation rooms with calm spaces. Early days, but promising."],
        {},
    ),
    (
        1,
        "Parents with their own trauma histories",
        "So many parents we work with have their own histories of care or abuse. How do "
        "you hold that without excusing risk?",
        [
            "Being honest about the concern while being warm with the person. It is a skill we "
            "keep practising.",
            "Reflective supervision is where I work this through.",
        ],
        {"note": "mentions abuse", "anon": True},
    ),
    (
        2,
        "Getting senior leaders on board",
        "The learning report says buy-in from senior leaders is essential. In practice, how did you "
        "get your chief officer to take it seriously?",
        [
            "We linked it to staff absence figures. That got attention.",
            "Inviting a senior manager to a champions' session so they heard it first hand.",
            "Our chief social work officer took the Trauma Enhanced training herself. Leading by example made all the difference.",
        ],
        {"report": 0},
    ),
    (
        2,
        "Putting trauma-informed language into policy",
        "We are reviewing our HR policies, starting with sickness absence. Has anyone rewritten theirs?",
        [
            "We added a line about supportive return-to-work conversations and removed some of the threatening "
            "language. Small change, big effect on trust."
        ],
        {},
    ),
    (
        2,
        "Measuring progress without box-ticking",
        "Our board wants a KPI for being trauma-informed. I am wary. How are others evidencing progress?",
        [
            "We use staff and people's stories alongside a few simple measures, like supervision happening.",
            "The roadmap and toolkit have a self-assessment that we found useful as a starting point.",
        ],
        {},
    ),
    (
        2,
        "A champion role in every team?",
        "We are thinking of a champion in every team rather than one per service. Has anyone tried this?",
        ["We did. It works if champions get protected time. Without it they burn out."],
        {},
    ),
    (
        2,
        "Leading through budget cuts",
        "How do you stay trauma-informed as a leader when you are the one delivering bad news about budgets?",
        [
            "Being honest early, and explaining the why, even when people will not like it.",
            "Letting people be upset without trying to fix it straight away.",
        ],
        {"anon": True},
    ),
    (
        2,
        "Joined-up working across the partnership",
        "No one service can do this alone. How are HSCPs, councils and the third sector joining up locally?",
        ["We set up a multi-agency trauma steering group. Slow, but it is building a shared plan."],
        {},
    ),
    (
        2,
        "Lived experience in service design",
        "We want people with lived experience involved from the start, not consulted at the "
        "end. How do you make that safe and fair, including payment?",
        [
            "We pay for time at the living wage and offer a debrief after every session.",
            "Co-chairing with someone with lived experience changed how our meetings feel.",
        ],
        {},
    ),
    (
        3,
        "Feeling burnt out this winter",
        "I am not sure how to say this but I am running on empty. Between staff shortages and the "
        "winter pressures I feel like I have nothing left for my team or my family.",
        [
            "Thank you for saying this. You are not alone, and it is brave to name it.",
            "Please look at the National Wellbeing Hub if you have not already. And speak to your GP if it keeps going.",
            "Sending you strength. Is there one thing you could put down this week?",
        ],
        {"note": "mentions burnout", "anon": True},
    ),
    (
        3,
        "Peer support after a death in service",
        "We lost someone we supported very suddenly last month. Staff are struggling. What has "
        "helped your teams after a death?",
        [
            "A space to talk, led by someone outside the team, and no pressure to speak.",
            "We held a small remembrance with residents and staff together.",
        ],
        {"note": "mentions death and bereavement"},
    ),
    (
        3,
        "Protected time for reflection",
        "How do you carve out reflective time when rotas are stretched to breaking?",
        [
            "Fifteen minutes at handover, every shift, no exceptions. It started because our manager insisted.",
            "We have a monthly reflective group and the service covers the hours.",
        ],
        {},
    ),
    (
        3,
        "Check-ins that are not tick boxes",
        "1:1 check-ins between managers and staff came up a lot at the learning event. What "
        "makes them feel genuine rather than another form?",
        [
            'Asking "how are you, really?" and waiting for the answer.',
            "Letting staff set the agenda for the first ten minutes.",
        ],
        {},
    ),
    (
        3,
        "Vicarious trauma: spotting it in yourself",
        "I only realised I was carrying other people's stories when I stopped sleeping. "
        "How do others notice the signs early?",
        [
            "Irritability is my early warning. I have learned to take it seriously.",
            "Our psychologist ran a session on vicarious trauma. It helped to have words for it.",
        ],
        {"note": "mentions the effects of hearing about trauma"},
    ),
    (
        3,
        "Small things that made your week better",
        "Let us have something lighter. What small thing made your working week better?",
        [
            "A colleague left a note on my desk saying thanks. Still smiling.",
            "Walked to a visit in the sunshine for once!",
            "Our team started a soup rota on Fridays.",
        ],
        {},
    ),
    (
        3,
        "Isolation when working alone",
        "Lone working in the community can be isolating, especially in rural areas. How do you "
        "stay connected?",
        [
            "A WhatsApp check-in with two colleagues at the end of each day.",
            "Monthly team lunch, in person, protected in the diary.",
        ],
        {},
    ),
    (
        4,
        "Trauma Skilled e-learning: worth it for all staff?",
        "Is anyone rolling out the Trauma Skilled e-learning to all staff, "
        "including ancillary and admin teams?",
        [
            "Yes, our domestic and kitchen staff said it helped them understand residents better.",
            "We built it into induction. Completion is much higher now.",
        ],
        {},
    ),
    (
        4,
        "Notes from the adult social care deep dive event",
        "A few notes from the deep dive learning event:\n\n"
        "1. Training is important, but leadership, lived experience and evaluation matter as much.\n"
        "2. No one service is responsible on its own.\n3. We need tools that support **consistency and accountability**.\n\n"
        "What did others take away?",
        [
            "The point about time and resources really landed. Staff want to do this but need space.",
            "I liked the focus on champions across services to support culture change.",
        ],
        {},
    ),
    (
        4,
        "Using the Trauma-informed Practice Toolkit",
        "Has anyone used the toolkit to review a whole service? How long did it take, and who was involved?",
        ["We did it over three sessions with a mix of frontline staff and managers. Very worthwhile."],
        {},
    ),
    (
        4,
        "Bite-size learning sessions",
        "We are trialling 20-minute lunchtime sessions on trauma-informed practice. Happy to share the "
        "outlines if anyone wants them.",
        ["Yes please!", "That would be great for our care at home teams, who cannot get away for long."],
        {},
    ),
    (
        4,
        "Recommended reading and podcasts",
        "What has helped your own learning? Books, podcasts, videos. I will start: the NES "
        "Opening Doors animation is a great conversation starter.",
        [
            "The Scottish Psychological Trauma Training Plan is dense but worth it.",
            "Sowing Seeds is lovely for children's services.",
        ],
        {},
    ),
    (
        4,
        "Coaching for champions",
        "Would people be interested in a peer coaching circle for champions? Once a month, online, "
        "confidential.",
        ["Absolutely.", "Count me in. Evenings would suit me better."],
        {},
    ),
    (
        4,
        "Evaluating training: beyond happy sheets",
        "How do you know training changed practice? We only ever get feedback forms on the day.",
        ["We follow up at three months with a short reflective question to managers and staff."],
        {},
    ),
    (
        1,
        "Trauma-informed visits: small changes",
        "Our team has made small changes to home visits: texting before we arrive, asking "
        "where the family would like us to sit, ending with what happens next. What else works?",
        ["Saying clearly how long we will stay.", "Bringing the same worker whenever possible."],
        {},
    ),
    (
        0,
        "Night shift staff and training",
        "Night staff always miss out on training. How are others reaching them?",
        ["Recorded sessions plus a live Q&A at 7am just before handover."],
        {},
    ),
]
