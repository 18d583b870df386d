"""The fixed list of pages the benchmark measures: (name, path, who)."""

PAGES = [
    ("home, anonymous", "/", None),
    ("home, member", "/", "member@example.org"),
    ("directory by council area", "/champions?area=fife", None),
    ("coverage map", "/champions/coverage", None),
    ("discussions", "/discussions", "member@example.org"),
    ("case-study library, filtered", "/case-studies?sector=health", None),
    ("events listing", "/events", None),
    ("resources", "/resources", None),
]
