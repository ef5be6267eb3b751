"""The generated plugins' browser tests: green as generated, red when the settings page breaks.

They run each plugin's own opt-in `tox -e e2e`: a live host with all its migrations on SQLite,
driven by Playwright in Debian's Chromium (tests/machine.py installs it), for every host whose
plugin ships a browser test. Screenshots land in .e2e-artifacts/<host>/ of this repository, one
folder per run.
"""

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from . import shards
from .conftest import HOSTS, NOT_COPIED, TEMPLATE, bake, install_into_session_env, pythons_for, run, tool_env

ARTIFACTS = TEMPLATE / ".e2e-artifacts"
# The hosts whose plugins ship tests/e2e_browser.py (a role of the default plugin, see test_bake).
E2E_HOSTS = [host for host in HOSTS if "browser test" not in HOSTS[host]["roles_not_shipped"]]
# The organiser's path through the plugin: the same for pretix and pretalx, with or without
# the example. byro plugins are always on; its example adds a tab to each member's page, and
# without the example the plugin's settings are a form on byro's own settings page.
ORGANISER_STEPS = [
    "login",
    "enable-on-the-plugin-page",
    "settings-from-the-navigation",
    "save-a-value",
    "value-persisted",
    "public-page-while-enabled",
    "disable-on-the-plugin-page",
    "public-page-while-disabled",
]
STEPS = {
    ("pretix", "yes"): ORGANISER_STEPS,
    ("pretix", "no"): ORGANISER_STEPS,
    ("pretalx", "yes"): ORGANISER_STEPS,
    ("pretalx", "no"): ORGANISER_STEPS,
    ("byro", "yes"): [
        "login",
        "tab-on-the-member-page",
        "save-a-value",
        "value-persisted",
        "member-log-without-the-text",
    ],
    ("byro", "no"): ["login", "form-on-the-settings-page", "save-a-value", "value-persisted", "members-dashboard"],
}
# Each breaks the settings page in one way an author could; (file, [(regex, replacement)], the
# step that must fail).
MUTATIONS = {
    "pretix": {
        "template-without-the-form": (
            "templates/{module}/settings.html",
            [(r'\{% bootstrap_form form layout="control" %\}', "")],
            "settings-from-the-navigation",
        ),
        "save-that-does-not-save": (
            "forms.py",
            # An override of save() that forgets super(): pretix still says "saved".
            [(r"(        required=False,\n    \)\n)", r"\1\n    def save(self):\n        pass\n")],
            "value-persisted",
        ),
    },
    "byro": {
        "template-without-the-form": (
            "templates/{module}/member_notes.html",
            [(r"\{\{ form\.as_p \}\}", "")],
            "tab-on-the-member-page",
        ),
        "save-that-does-not-save": (
            "forms.py",
            # A save() that returns the note without saving it: byro still says "saved".
            [
                (
                    r'(        widgets = \{"text": forms\.Textarea\(attrs=\{"rows": 3\}\)\}\n)',
                    r"\1\n    def save(self, commit=True):\n        return self.instance\n",
                )
            ],
            "value-persisted",
        ),
    },
    "pretalx": {
        "template-without-the-form": (
            "templates/{module}/settings.html",
            [(r"\{\{ form\.as_p \}\}", "")],
            "settings-from-the-navigation",
        ),
        "save-that-does-not-save": (
            "forms.py",
            # A save() that returns the announcement without saving it: pretalx still says
            # "published".
            [
                (
                    r'(        fields = \("text",\)\n)',
                    r"\1\n    def save(self, commit=True):\n        return self.instance\n",
                )
            ],
            "value-persisted",
        ),
    },
}


@pytest.fixture(scope="session")
def chromium():
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        pytest.fail(f"no Chromium at {path}: install Debian's chromium (machine.py does as root) or set CHROMIUM")
    return path


@pytest.fixture(scope="session")
def green_e2e_runs(tmp_path_factory, chromium):
    """Each host's green browser test, run once per session whatever order the tests come in (a
    parametrized module fixture would run again each time the order switched hosts)."""
    runs = {}

    def get(host):
        shards.RECORDER.used(f"green_e2e_runs[{host}]")
        if host not in runs:
            with shards.RECORDER.shared_work(f"green_e2e_runs[{host}]"):
                project = bake(tmp_path_factory.mktemp(f"e2e-{host}"), host=host)
                artifacts = ARTIFACTS / host
                env = tool_env(pythons_for(host)) | {"CHROMIUM": chromium, "E2E_ARTIFACTS": str(artifacts / "green")}
                shutil.rmtree(artifacts, ignore_errors=True)
                command = [sys.executable, "-m", "tox", "run", "-e", "e2e"]
                runs[host] = host, project, env, run(command, cwd=project, env=env, check=False)
        return runs[host]

    return get


@pytest.fixture
def green_e2e(request, green_e2e_runs):
    return green_e2e_runs(request.param)


@pytest.mark.parametrize("green_e2e", E2E_HOSTS, indirect=True)
def test_browser_test_passes_and_leaves_a_screenshot_per_step(green_e2e):
    host, _, _, result = green_e2e
    assert result.returncode == 0, (result.stdout + result.stderr)[-8000:]
    # "1 passed", not "1 passed, 248 warnings": the host's deprecations (its migrations run
    # here) are filtered, so that a warning of the plugin's own would stand out.
    assert re.search(r"^=+ 1 passed in [\d.]+s", result.stdout, re.MULTILINE), result.stdout[-3000:]
    shots = sorted(path.name for path in (ARTIFACTS / host / "green").glob("*.png"))
    assert shots == [f"{number:02d}-{name}.png" for number, name in enumerate(STEPS[host, "yes"], start=1)]
    assert all((ARTIFACTS / host / "green" / shot).stat().st_size > 10_000 for shot in shots)


@pytest.mark.parametrize("green_e2e", E2E_HOSTS, indirect=True)
def test_browser_test_passes_without_the_example(green_e2e, tmp_path):
    # The same steps on the plugin's own settings page and public page, with nothing of the
    # example; its database begins from the host's migrated copy the first run kept.
    host, _, env, result = green_e2e
    assert result.returncode == 0, "the example's browser test must pass first"
    project = bake(tmp_path, host=host, example="no")
    artifacts = ARTIFACTS / host / "without-example"
    command = [sys.executable, "-m", "tox", "run", "-e", "e2e"]
    result = run(command, cwd=project, env=env | {"E2E_ARTIFACTS": str(artifacts)}, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-8000:]
    shots = sorted(path.name for path in artifacts.glob("*.png"))
    assert shots == [f"{number:02d}-{name}.png" for number, name in enumerate(STEPS[host, "no"], start=1)]


@pytest.mark.parametrize(
    ("green_e2e", "name"), [(host, name) for host in E2E_HOSTS for name in MUTATIONS[host]], indirect=["green_e2e"]
)
def test_breaking_the_settings_page_turns_the_browser_test_red(green_e2e, tmp_path, name, request):
    host, project, env, result = green_e2e
    assert result.returncode == 0, "the unbroken plugin must pass first"
    path, substitutions, failing_step = MUTATIONS[host][name]
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    module = next((copy / "src").glob("*/__init__.py")).parent
    target = module / path.format(module=module.name)
    text = target.read_text()
    for pattern, replacement in substitutions:
        mutated = re.sub(pattern, replacement, text, count=1)
        assert mutated != text, f"the mutation {name} did not apply to {target.name}"
        text = mutated
    target.write_text(text)

    # Reinstall the broken plugin into the e2e env that passed, and run the browser test again;
    # the unbroken plugin goes back in when this test ends.
    python = project / ".tox" / "e2e" / "bin" / "python"
    install_into_session_env(request, python, copy, project, env)
    artifacts = ARTIFACTS / host / name
    mutated_env = env | {"E2E_ARTIFACTS": str(artifacts)}
    command = [str(python), "-m", "pytest", "tests/e2e_browser.py", "-p", "no:cacheprovider"]
    broken = run(command, cwd=copy, env=mutated_env, check=False)
    assert broken.returncode != 0, f"still green with {name}"
    # It failed at the step that shows the damage, and kept the evidence.
    number = STEPS[host, "yes"].index(failing_step) + 1
    assert (artifacts / f"{number:02d}-{failing_step}-FAILED.png").is_file()
    assert (artifacts / f"{number:02d}-{failing_step}-FAILED.html").is_file()
