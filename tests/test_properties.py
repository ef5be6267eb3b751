"""Property-based: any plugin name and description either bakes a project that compiles, parses
and passes ruff, with the text arriving unchanged, or is refused with no folder left behind.

HYPOTHESIS_SEED and HYPOTHESIS_EXAMPLES change the fixed seed and the number of examples, to
explore further than CI does.
"""

import ast
import os
import sys
import tomllib

from cookiecutter.exceptions import FailedHookException
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from .conftest import bake, run

# Any Unicode a terminal can carry (no lone surrogates). Values arrive wrapped in {% raw %},
# as cookiecutter treats command-line values as Jinja; typed answers are never rendered.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
# Mostly text without control characters, so that most examples get past the hook and bake.
one_line = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=120)
text = st.one_of(one_line, one_line, one_line, any_text).filter(lambda s: "endraw" not in s)


def literal(value):
    return "{% raw %}" + value + "{% endraw %}"


@seed(int(os.environ.get("HYPOTHESIS_SEED", "20261125")))
@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "200")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=text, description=text)
def test_any_name_and_description(tmp_path_factory, name, description):
    output = tmp_path_factory.mktemp("property")
    try:
        project = bake(output, plugin_name=literal(name), description=literal(description))
    except FailedHookException:
        assert list(output.iterdir()) == []
        return
    source = next((project / "src").glob("*/apps.py")).read_text()
    strings = {node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)}
    assert name in strings and description in strings
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["description"] == description
    for path in project.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "--quiet", "."], cwd=project)
    run([sys.executable, "-m", "ruff", "format", "--no-cache", "--quiet", "--check", "."], cwd=project)
