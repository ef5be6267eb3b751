"""Bad answers stop generation with one clear line, a non-zero exit, no traceback and no folder."""

import sys

import pytest

from .conftest import CONTEXT, HOSTS, TEMPLATE, bake, run

HOST = CONTEXT["host"][0]
OLDEST = HOSTS[HOST]["lines"][0]["from"]

BAD_ANSWERS = [
    ({"module_name": "My Plugin"}, "module_name 'My Plugin' is not a lowercase Python identifier"),
    ({"module_name": "3plugin"}, "module_name '3plugin' is not a lowercase Python identifier"),
    ({"module_name": "class"}, "module_name 'class' is a Python keyword"),
    ({"module_name": "json"}, "module_name 'json' is already taken"),
    ({"module_name": "django"}, "module_name 'django' is already taken"),
    ({"module_name": HOST}, f"module_name '{HOST}' is already taken"),
    ({"module_name": HOSTS[HOST]["reserved_names"][-1]}, "is already taken"),
    ({"plugin_slug": "My Plugin!"}, "plugin_slug 'My Plugin!' is not a valid distribution name"),
    ({"min_host_version": "latest"}, "min_host_version 'latest' is not a"),
    ({"min_host_version": "2019.1.0"}, f"type e.g. {OLDEST}"),
    ({"category": "GAMES"}, "category 'GAMES' is not one of"),
    ({"author_email": "jane.example.org"}, "author_email 'jane.example.org' is not an e-mail address"),
]


@pytest.mark.parametrize(
    ("answers", "message"), BAD_ANSWERS, ids=[next(iter(a)) + "=" + str(next(iter(a.values()))) for a, _ in BAD_ANSWERS]
)
def test_bad_answer_is_refused_cleanly(tmp_path, answers, message):
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(tmp_path), str(TEMPLATE)]
    command += [f"{key}={value}" for key, value in answers.items()]
    result = run(command, cwd=tmp_path, check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    assert message in errors[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("answers", [{"author_email": ""}, {"repository_url": ""}, {"plugin_name": "Grüße & Co"}])
def test_optional_and_unusual_answers_still_bake(tmp_path, answers):
    project = bake(tmp_path, **answers)
    assert (project / "pyproject.toml").is_file()


def test_names_are_derived_from_the_plugin_name(tmp_path):
    project = bake(tmp_path, plugin_name="Grüße für Gäste")
    assert project.name == f"{HOST}-grusse-fur-gaste"
    assert (project / "src" / f"{HOST}_grusse_fur_gaste" / "apps.py").is_file()
