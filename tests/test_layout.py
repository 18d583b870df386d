"""The code's layout: feature packages use one vocabulary, and imports only point down the layers.

README's "How the code is laid out" explains the rules these tests hold the code to.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "champions"

# From the bottom up. A module may import its own package and anything in a lower layer, never a
# package in its own layer or a higher one, so no two packages can ever import each other.
LAYERS = [
    {"kernel"},  # champions/*.py helpers: extensions, config, links, audit, mail, markup, security, ...
    {"reference"},
    {"accounts"},
    {"resources"},
    {"discussions"},
    {"events"},
    {"casestudies"},
    {"directory"},  # a champion's page lists their events, case studies and posts
    # messages start from a profile; returns read events and case studies; buddies pair verified champions;
    # an assessment's champions are the directory's verified champions of its organisation
    {"messages", "returns", "buddies", "assessments"},
    {"replies"},  # reply by email: posts into discussions and messages through their services
    {"search"},  # indexes every feature's content
    {"privacy"},  # reads every feature's models for a person's export
    # lifecycle erases every feature's rows; nothing imports it. dashboard reads every feature's models.
    {"home", "admin", "lifecycle", "manage", "dashboard"},
    {"composition"},  # create_app, cli.py, demo.py, demo_scale/: they wire everything together
]
COMPOSITION = {"__init__", "cli", "demo", "backup"}  # backup: whole-database commands

FEATURES = {
    "accounts",
    "assessments",
    "admin",
    "casestudies",
    "directory",
    "discussions",
    "events",
    "home",
    "lifecycle",
    "manage",
    "messages",
    "buddies",
    "dashboard",
    "privacy",
    "resources",
    "replies",
    "returns",
    "search",
}
VOCABULARY = {
    "__init__",
    "models",
    "forms",
    "views",
    "queries",
    "services",
    "permissions",
    "demo",
    "commands",
}
# Modules outside the vocabulary, each with the reason it stands on its own.
EXTRA_MODULES = {
    # passwords: the password policy (zxcvbn), used by forms and services alike; second_factor: the
    # TOTP and recovery-code rules; sessions: the server-side session records that cookies name;
    # organisation_sign_in: the OpenID Connect providers, the Authlib client and linked identities
    "accounts": {"passwords", "second_factor", "sessions", "organisation_sign_in"},
    "search": {"documents", "engine", "hooks"},  # each kind's document, the per-engine SQL, the flush hook
    "dashboard": {"charts"},  # the one module that calls the chart library, only from the refresh
    "assessments": {"charts"},  # draws an assessment's chart, only on submit
}


def _package_of(module: str) -> str:
    """The layer name of a dotted module inside champions."""
    parts = module.split(".")
    if parts[0] != "champions":
        return ""
    if len(parts) == 1 or parts[1] in COMPOSITION or parts[1] == "demo_scale":
        return "composition"
    if (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "kernel"


def _rank(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        yield path, dotted.removesuffix(".__init__")


def _imports(path: Path):
    """(imported module, imported names) for every import statement, including TYPE_CHECKING ones."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if _is_module(submodule):  # from champions.events import services
                    yield submodule, []
                else:  # from champions.events.services import register
                    yield node.module, [alias.name]


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_every_package_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    known = set().union(*LAYERS)
    assert packages - {"demo_scale"} <= known, "add the new package to LAYERS, in the right place"


def test_imports_only_point_down():
    upward = []
    for path, module in _modules():
        here = _package_of(module)
        for imported, _names in _imports(path):
            there = _package_of(imported)
            if not there or there == here or here == "composition":
                continue
            if _rank(there) >= _rank(here):
                upward.append(f"{module} imports {imported} ({here} must not depend on {there})")
    assert upward == []


def test_no_feature_reaches_into_another_features_private_names():
    private = []
    for path, module in _modules():
        here = _package_of(module)
        for imported, names in _imports(path):
            there = _package_of(imported)
            if there and there != here:
                private += [
                    f"{module} imports {name} from {imported}" for name in names if name.startswith("_")
                ]
    assert private == []


def test_across_features_only_models_queries_services_and_permissions_are_imported():
    reaching = []
    for path, module in _modules():
        here = _package_of(module)
        if here not in FEATURES:
            continue
        for imported, names in _imports(path):
            there = _package_of(imported)
            if there in FEATURES and there != here:
                parts = imported.split(".")
                allowed = {"models", "queries", "services", "permissions"}
                if module.endswith(".demo"):
                    allowed.add("demo")  # one feature's demo content builds on another's
                if len(parts) < 3 or parts[2] not in allowed:
                    reaching.append(f"{module} imports {imported} {names}")
    assert reaching == []


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_feature_packages_use_the_vocabulary(feature):
    allowed = VOCABULARY | EXTRA_MODULES.get(feature, set())
    folder = PACKAGE / feature
    odd = [p.name for p in folder.iterdir() if p.suffix == ".py" and p.stem not in allowed]
    odd += [
        p.name + "/"
        for p in folder.iterdir()
        if p.is_dir() and p.name != "__pycache__" and p.name not in allowed
    ]
    assert odd == [], (
        f"champions/{feature}/ holds names outside the vocabulary (README: How the code is laid out)"
    )


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_a_feature_package_face_is_a_docstring_only(feature):
    tree = ast.parse((PACKAGE / feature / "__init__.py").read_text())
    body = [
        node
        for node in tree.body
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]
    assert body == [], (
        f"champions/{feature}/__init__.py should hold a docstring only: create_app imports views.bp"
    )
