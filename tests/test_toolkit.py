"""The toolkit package beside the template: one host table, one version, and plugins that get
its fixes through a version bump alone."""

import re
import shutil
import sys
import tomllib

import pytest

from .conftest import CONTEXT, HOSTS, bake, pythons_for, run, tool_env
from .toolkit import HOSTS_FILE, LEFT_OUT, MODULE, PACKAGE, build_wheel, hosts_json

TOOLKIT = CONTEXT["_toolkit"]


def package_version(module=MODULE):
    return re.search(r'^__version__ = "([^"]+)"$', (module / "__init__.py").read_text(), re.MULTILINE)[1]


def test_the_package_ships_the_templates_host_table():
    assert HOSTS_FILE.read_text() == hosts_json(), "run `python -m tests.toolkit --write-hosts`"


def test_the_template_pins_the_packages_own_name_and_version():
    pyproject = tomllib.loads((PACKAGE / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == TOOLKIT["distribution"]
    assert (PACKAGE / "src" / TOOLKIT["module"]).is_dir()
    assert package_version() == TOOLKIT["version"]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_a_default_plugin_carries_none_of_the_packages_code_and_pins_it(tmp_path, host):
    # Issue 41: no tools/, no contract-test modules, no catalog compiling, no test settings.
    project = bake(tmp_path, host=host)
    moved = ["tools", "setup.py", "tests/settings.py", "tests/test_discovery.py", "tests/test_isolation.py"]
    assert not [name for name in moved if (project / name).exists()]
    groups = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]
    assert groups["toolkit"] == [f"{TOOLKIT['distribution']}=={TOOLKIT['version']}"]
    assert {"include-group": "toolkit"} in groups["test"]


def test_a_fix_in_the_package_reaches_a_plugin_through_a_version_bump_alone(tmp_path):
    # A newer build of the package whose translations check says something new, in a folder of
    # wheels beside this checkout's build; the plugin changes nothing but the pin, as
    # Dependabot's pull request would. No cruft, no template.
    newer = tmp_path / "newer"
    shutil.copytree(PACKAGE, newer, ignore=shutil.ignore_patterns(*LEFT_OUT))
    init = newer / "src" / TOOLKIT["module"] / "__init__.py"
    init.write_text(init.read_text().replace(f'"{TOOLKIT["version"]}"', '"99.0.0"'))
    check = newer / "src" / TOOLKIT["module"] / "translations.py"
    fixed = check.read_text().replace(
        'print("The catalogs hold exactly the messages of the code, and compile.")',
        'print("Checked by the fixed translations check.")',
    )
    assert fixed != check.read_text()
    check.write_text(fixed)
    wheels = tmp_path / "wheels"
    shutil.copytree(tool_env()["UV_FIND_LINKS"], wheels)
    build_wheel(wheels, package=newer)

    project = bake(tmp_path / "bake")
    # The translations env runs on the -min env's interpreter.
    env = tool_env(pythons_for(CONTEXT["host"][0])) | {"UV_FIND_LINKS": str(wheels)}
    tox = [sys.executable, "-m", "tox", "run", "-e", "translations"]
    before = run(tox, cwd=project, env=env)
    assert "hold exactly the messages of the code" in before.stdout
    pyproject = project / "pyproject.toml"
    pin = f"{TOOLKIT['distribution']}=={TOOLKIT['version']}"
    pyproject.write_text(pyproject.read_text().replace(pin, f"{TOOLKIT['distribution']}==99.0.0"))
    after = run(tox, cwd=project, env=env)
    assert "Checked by the fixed translations check." in after.stdout, after.stdout
