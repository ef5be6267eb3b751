"""Run each generated plugin's own tox inside the real host, and check that breaking the plugin
turns its suite red.

These are the slow tests: each host version is installed from PyPI into its own environment.
"""

import re
import shutil
import sys
from pathlib import Path

import pytest

from .conftest import HOSTS, bake, run, tool_env

MIN_TESTS_PER_ENV = 10


def pythons_for(host):
    facts = HOSTS[host]
    return {line["python"] for line in facts["lines"]} | {facts["newest"]["python"]}


@pytest.fixture(scope="module", params=sorted(HOSTS))
def green_plugin(request, tmp_path_factory):
    """A default bake for one host whose whole tox run passed; yields (host, project, env)."""
    host = request.param
    project = bake(tmp_path_factory.mktemp(host), host=host)
    env = tool_env(pythons_for(host))
    result = run(
        [sys.executable, "-m", "tox", "run-parallel", "-p", "2", "--parallel-live"], cwd=project, env=env, check=False
    )
    output = result.stdout + result.stderr
    request.node.tox_output = output
    if result.returncode != 0:
        pytest.fail(f"tox failed in the generated {host} plugin:\n{output[-20000:]}")
    return host, project, env, output


def test_generated_tox_passes_at_both_ends(green_plugin):
    host, _, _, output = green_plugin
    for env_name in (f"{host}-min", f"{host}-newest", "lint", "package"):
        assert re.search(rf"^\s*{re.escape(env_name)}: OK", output, re.MULTILINE), output[-5000:]
    counts = [int(n) for n in re.findall(r"^=+ (\d+) passed", output, re.MULTILINE)]
    assert len(counts) == 2 and min(counts) >= MIN_TESTS_PER_ENV, counts


# Each mutation breaks one promise of the plugin; the suite must notice. (file, old, new, test
# that must fail). Paths are relative to the package folder (src/<module>/) or the project.
MUTATIONS = {
    "pretix": [
        pytest.param(
            "pyproject.toml",
            r'(?m)^\[project\.entry-points\."pretix\.plugin"\]\n.*\n',
            "",
            "test_entry_point_is_declared",
            id="entry-point-removed",
        ),
        pytest.param(
            "{module}/views.py",
            r"class SettingsView\(PluginActiveRequiredMixin, ",
            "class SettingsView(",
            "test_settings_page_is_404_while_disabled",
            id="settings-view-ignores-activation",
        ),
        pytest.param(
            "{module}/signals.py",
            r"if not request\.user\.has_event_permission\(",
            "if False and request.user.has_event_permission(",
            "test_nav_entry_hidden_from_users_without_permission",
            id="nav-entry-ignores-permission",
        ),
        pytest.param(
            "{module}/models.py",
            r"    created = ",
            "    pinned = models.BooleanField(default=False)\n    created = ",
            "test_migrations_match_the_models",
            id="field-without-migration",
        ),
    ],
}


@pytest.mark.parametrize(
    ("host", "mutation"),
    [(host, param) for host, params in MUTATIONS.items() for param in params],
    ids=[param.id for params in MUTATIONS.values() for param in params],
)
def test_breaking_the_plugin_turns_its_suite_red(green_plugin, tmp_path, host, mutation):
    green_host, project, env, _ = green_plugin
    if green_host != host:
        pytest.skip(f"mutation for {host}")
    path, pattern, replacement, failing_test = mutation.values
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(".tox")))
    module = next((copy / "src").iterdir()).name
    target = copy / (path.format(module=f"src/{module}"))
    text = target.read_text()
    mutated = re.sub(pattern, replacement, text, count=1)
    assert mutated != text, f"mutation {mutation.id} did not apply"
    target.write_text(mutated)

    # Reinstall the mutated plugin into the already-built newest-host env and run its suite.
    venv = project / ".tox" / f"{host}-newest"
    python = venv / "bin" / "python"
    run(
        [
            shutil.which("uv", path=env["PATH"]),
            "pip",
            "install",
            "--python",
            str(python),
            "--reinstall",
            "--no-deps",
            ".",
        ],
        cwd=copy,
        env=env,
    )
    pytest_args = ["-q", "-p", "no:cacheprovider", "--continue-on-collection-errors"]
    result = run([str(python), "-m", "pytest", *pytest_args], cwd=copy, env=env, check=False)
    assert result.returncode != 0, f"the suite stayed green after {mutation.id}"
    assert re.search(rf"FAILED .*{failing_test}", result.stdout), result.stdout[-5000:]
