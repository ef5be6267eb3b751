"""Property-based: any plugin name and description either bakes a project that compiles, parses
and passes ruff, with the text arriving unchanged, or is refused with no folder left behind.

HYPOTHESIS_SEED and HYPOTHESIS_EXAMPLES change the fixed seed and the number of examples, to
explore further than CI does.
"""

import ast
import json
import os
import sys
import tomllib

import pytest
from cookiecutter.exceptions import FailedHookException
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from .conftest import CONTEXT, bake, run

# Runs in the host's Python: import each baked app config and compare its meta with the input.
IMPORT_CHECK = """
import importlib, json, sys
from django.conf import settings
settings.configure(USE_I18N=False)
failures = []
for src, module, name, description in json.load(open(sys.argv[1])):
    sys.path.insert(0, src)
    app = importlib.import_module(module + ".apps").PluginApp
    meta = next(value for key, value in vars(app).items() if key.endswith("PluginMeta"))
    if (str(meta.name), str(meta.description)) != (name, description):
        failures.append(module)
    sys.path.remove(src)
    for loaded in [key for key in sys.modules if key == module or key.startswith(module + ".")]:
        del sys.modules[loaded]
print(len(failures), "of", sys.argv[2], "differ:", failures)
sys.exit(1 if failures else 0)
"""

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
    suppress_health_check=[HealthCheck.too_slow],
)
@given(name=text, description=text)
def bake_any_name_and_description(tmp_path_factory, accepted, name, description):
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
    module = next((project / "src").glob("*/apps.py")).parent
    accepted.append((str(module.parent), module.name, name, description))


@pytest.fixture(scope="session")
def accepted_bakes(tmp_path_factory):
    """The bakes that passed the property's checks, made once, whichever test asks first (a
    falsifying example shows as an error of that test's setup)."""
    accepted = []
    bake_any_name_and_description(tmp_path_factory, accepted)
    return accepted


def test_any_name_and_description(accepted_bakes):
    assert len(accepted_bakes) >= 50, "the hook refused too many of the names and descriptions"


def test_accepted_bakes_import_inside_the_host(green_plugin, accepted_bakes, tmp_path):
    # Every plugin the property test baked is imported by the default host's newest Python,
    # next to the host, and its meta carries the text unchanged.
    host = CONTEXT["host"][0]
    project, env, _ = green_plugin(host)
    python = project / ".tox" / f"{host}-newest" / "bin" / "python"
    listing = tmp_path / "bakes.json"
    listing.write_text(json.dumps(accepted_bakes))
    run([str(python), "-c", IMPORT_CHECK, str(listing), str(len(accepted_bakes))], cwd=tmp_path, env=env)
