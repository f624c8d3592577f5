"""The layout holds: imports run one way (core <- people <- content and public site), and the
core names no feature app, not even in a string (README: "How the code is laid out").

`make lint` checks the same with import-linter's contracts (pyproject.toml); this test keeps
the suite honest on a machine where only `make test` is run.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's wiring, not the core app: settings list the installed apps, the root URLconf
# includes theirs. Everything else under newsroom/ is the core.
PROJECT_WIRING = {
    "newsroom/settings.py",
    "newsroom/urls.py",
    "newsroom/asgi.py",
    "newsroom/wsgi.py",
}
# A model label ("articles.article"), a module ("people.models"), a template
# ("articles/event_detail.html") or a URL name ("articles:detail") of a feature app.
FEATURE_NAME = re.compile(r"^(articles|people|teamwork|wordcheck|api)[./:]")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("newsroom", "people", "articles", "teamwork", "wordcheck", "api")


def chains(graph, importer: str, imported: str) -> list[str]:
    found = graph.find_shortest_chains(importer=importer, imported=imported)
    return [" -> ".join(chain) for chain in sorted(found)]


@pytest.mark.parametrize(
    "importer, imported",
    [
        ("newsroom", "articles"),
        ("newsroom", "people"),
        ("people", "articles"),
        *(
            (lower, app)
            for app in ("teamwork", "wordcheck", "api")
            for lower in ("newsroom", "people", "articles")
        ),
        *(
            (one, other)
            for one in ("teamwork", "wordcheck", "api")
            for other in ("teamwork", "wordcheck", "api")
            if one != other
        ),
    ],
)
def test_imports_run_one_way(graph, importer, imported):
    assert chains(graph, importer, imported) == []


def test_the_core_models_search_and_workflow_import_each_other_one_way(graph):
    layers = ["newsroom.models", "newsroom.search", "newsroom.workflow", "newsroom.roles"]
    backwards = [
        chain
        for lower_index, lower in enumerate(layers)
        for higher in layers[:lower_index]
        for chain in chains(graph, lower, higher)
    ]
    assert backwards == []


def strings_outside_docstrings(tree: ast.AST):
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                yield node


def core_modules():
    for path in sorted((ROOT / "newsroom").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative and relative not in PROJECT_WIRING:
            yield relative, path


def test_the_core_names_no_feature_app_in_a_string():
    named = [
        f"{relative}:{node.lineno}: {node.value!r}"
        for relative, path in core_modules()
        for node in strings_outside_docstrings(ast.parse(path.read_text()))
        if FEATURE_NAME.match(node.value)
    ]
    assert named == []


def test_the_check_sees_a_feature_name_where_there_is_one():
    tree = ast.parse(
        '"""articles.article in a docstring is prose."""\nLABEL = "articles.article"\n'
    )
    assert [node.value for node in strings_outside_docstrings(tree)] == ["articles.article"]
