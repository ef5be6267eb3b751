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


@pytest.fixture(scope="session")
def green_plugin(tmp_path_factory):
    """Returns, per host, a default bake whose whole tox run passed: (project, env, tox output).

    Each host's tox runs once per session, however many tests ask for it.
    """
    baked = {}

    def get(host):
        if host not in baked:
            project = bake(tmp_path_factory.mktemp(host), host=host)
            env = tool_env(pythons_for(host))
            command = [sys.executable, "-m", "tox", "run-parallel", "-p", "2", "--parallel-live"]
            result = run(command, cwd=project, env=env, check=False)
            baked[host] = project, env, result.stdout + result.stderr, result.returncode
        project, env, output, returncode = baked[host]
        if returncode != 0:
            pytest.fail(f"tox failed in the generated {host} plugin:\n{output[-20000:]}")
        return project, env, output

    return get


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_generated_tox_passes_at_both_ends(green_plugin, host):
    _, _, output = green_plugin(host)
    for env_name in (f"{host}-min", f"{host}-newest", "lint", "package"):
        assert re.search(rf"^\s*{re.escape(env_name)}: OK", output, re.MULTILINE), output[-5000:]
    counts = [int(n) for n in re.findall(r"^=+ (\d+) passed", output, re.MULTILINE)]
    assert len(counts) == 2 and min(counts) >= MIN_TESTS_PER_ENV, counts


# Each mutation breaks one promise of the plugin, and names a test that must then fail:
# (file, regex, replacement, failing test). "{module}" stands for src/<module>.
def mutation(host, path, pattern, replacement, failing_test, name):
    return pytest.param(host, (path, pattern, replacement, failing_test), id=f"{host}-{name}")


def always_on(receiver, core_module):
    # A receiver that claims to be part of the host's core: hosts call those for every event,
    # whatever plugins it has enabled.
    return rf"\g<0>\n{receiver}.__module__ = {core_module!r}\n"


MUTATIONS = [
    *(
        mutation(
            host,
            "pyproject.toml",
            rf'(?m)^\[project\.entry-points\."{host}\.plugin"\]\n.*\n',
            "",
            "test_entry_point_is_declared",
            "entry-point-removed",
        )
        for host in HOSTS
    ),
    *(
        mutation(
            host,
            "{module}/models.py",
            r"    created = ",
            "    pinned = models.BooleanField(default=False)\n    created = ",
            "test_migrations_match_the_models",
            "field-without-migration",
        )
        for host in HOSTS
    ),
    mutation(
        "pretix",
        "{module}/views.py",
        r"class SettingsView\(PluginActiveRequiredMixin, ",
        "class SettingsView(",
        "test_settings_page_is_404_while_disabled",
        "settings-view-ignores-activation",
    ),
    mutation(
        "pretix",
        "{module}/signals.py",
        r"\Z",
        always_on("public_front_page_box", "pretix.presale.signals"),
        "test_front_page_box_only_while_enabled",
        "receiver-ignores-activation",
    ),
    mutation(
        "pretix",
        "{module}/signals.py",
        r"if not request\.user\.has_event_permission\(",
        "if False and request.user.has_event_permission(",
        "test_nav_entry_hidden_from_users_without_permission",
        "nav-entry-ignores-permission",
    ),
    mutation(
        "pretalx",
        "{module}/signals.py",
        r"\Z",
        always_on("public_footer_link", "pretalx.cfp.signals"),
        "test_footer_link_only_while_enabled",
        "receiver-ignores-activation",
    ),
    mutation(
        "pretalx",
        "{module}/signals.py",
        r"if not request\.user\.has_perm\(",
        "if False and request.user.has_perm(",
        "test_nav_entry_hidden_from_users_without_permission",
        "nav-entry-ignores-permission",
    ),
    mutation(
        "byro",
        "{module}/signals.py",
        r"@receiver\(member_view, [^\n]*\n",
        "",
        "test_member_tab_receiver_is_connected",
        "receiver-disconnected",
    ),
]


@pytest.mark.parametrize(("host", "mutation"), MUTATIONS)
def test_breaking_the_plugin_turns_its_suite_red(green_plugin, tmp_path, host, mutation):
    project, env, _ = green_plugin(host)
    path, pattern, replacement, failing_test = mutation
    copy = Path(
        shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(".tox", "build", "*.egg-info"))
    )
    module = next((copy / "src").glob("*/__init__.py")).parent.name
    target = copy / (path.format(module=f"src/{module}"))
    text = target.read_text()
    mutated = re.sub(pattern, replacement, text, count=1)
    assert mutated != text, f"the mutation of {path} did not apply"
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
    assert result.returncode != 0, f"the suite stayed green after the mutation of {path}"
    assert re.search(rf"FAILED .*{failing_test}", result.stdout), result.stdout[-5000:]
