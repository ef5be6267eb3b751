"""Bake the template with the defaults and with every value of every choice, and check that
what comes out is valid: Python compiles, TOML loads, ruff is happy, nothing stays unrendered,
and the Django templates inside are copied byte for byte."""

import difflib
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import jinja2
import pytest
import yaml

from . import toolkit
from .conftest import CONTEXT, HOSTS, TEMPLATE, all_parts, bake, run

MAX_MODULE_NAME = 40


def longest_answers(host):
    """The longest names the hook accepts, and free text far longer than a line."""
    return {
        "host": host,
        "plugin_name": "Seating Plan Import, Export and Synchronisation Helpers X",
        "module_name": f"{host}_" + "m" * (MAX_MODULE_NAME - len(host) - 1),
        "description": "A description that goes on and on, " * 12,
        "author_name": "Dr. Maximiliane Mustermann-Schmidt von und zu Langenname",
    }


VARIANTS = (
    [pytest.param({}, id="defaults")]
    + [pytest.param(longest_answers(host), id=f"{host}-longest-answers") for host in CONTEXT["host"]]
    + [pytest.param({"host": host}, id=f"host={host}") for host in CONTEXT["host"]]
    + [pytest.param({"license": name}, id=f"license={name}") for name in CONTEXT["license"]]
    + [
        pytest.param({"host": host, "category": category}, id=f"{host}-category={category}")
        for host, facts in HOSTS.items()
        for category in facts["categories"]
    ]
    + [
        pytest.param({"host": host, "min_host_version": line["from"]}, id=f"{host}-min={line['from']}")
        for host, facts in HOSTS.items()
        for line in facts["lines"]
    ]
    # Each optional part alone, and all of them: every combination of imports must stay clean.
    + [
        pytest.param({"host": host, "parts": part}, id=f"{host}-part={part}")
        for host, facts in HOSTS.items()
        for part in facts["parts"]
    ]
    # ... with the longest names too: a line that fits with a short module name may not with a long one.
    + [
        pytest.param({**longest_answers(host), "parts": all_parts(host)}, id=f"{host}-all-parts-longest-answers")
        for host in HOSTS
    ]
    # Without the example: alone, with the longest answers, and with every part that does not need it.
    + [pytest.param({"host": host, "example": "no"}, id=f"{host}-no-example") for host in sorted(HOSTS)]
    + [
        pytest.param({**longest_answers(host), "example": "no"}, id=f"{host}-no-example-longest-answers")
        for host in sorted(HOSTS)
    ]
    + [
        pytest.param({"host": host, "example": "no", "parts": all_parts(host)}, id=f"{host}-no-example-parts")
        for host in sorted(HOSTS)
        if all_parts(host)
    ]
)
# A key, token or password given a value in a generated file.
SECRET = re.compile(r"(SECRET_KEY|API_KEY|TOKEN|PASSWORD)\s*[=:]\s*[\"']?[A-Za-z0-9_\-]{8,}", re.IGNORECASE)
UNRENDERED = re.compile(
    r"\{\{-?\s*cookiecutter|\{%-?\s*(if|for|set|raw|endif|endfor)\b.*cookiecutter|(?<![-\w.])cookiecutter\.\w"
)


@pytest.fixture(scope="session")
def baked_variants(tmp_path_factory):
    """Bakes each variant once per session, in whatever order the tests ask for them.

    A module-scoped parametrised fixture would bake again each time the order moves from one
    variant to another: in random order, several hundred bakes instead of one per variant. The
    tests only read the bake (those that change files change a copy).
    """
    baked = {}

    def get(answers):
        key = json.dumps(answers, sort_keys=True)
        if key not in baked:
            baked[key] = bake(tmp_path_factory.mktemp("bake"), **answers)
        return baked[key]

    return get


@pytest.fixture(params=VARIANTS)
def variant(request, baked_variants):
    return request.param, baked_variants(request.param)


def files(project):
    return [path for path in project.rglob("*") if path.is_file()]


def pinned(requirements, name):
    """The version `name==…` is pinned to in a list of requirements."""
    return next(line.split("==")[1] for line in requirements if line.split("==")[0].split("[")[0] == name)


def test_pre_commit_runs_the_pinned_tools_and_the_files_pass_its_checks(variant, tmp_path):
    _, project = variant
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    revs = {repo["repo"].rsplit("/", 1)[1]: repo["rev"] for repo in config["repos"]}
    lint_group = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]["lint"]
    template_tools = (TEMPLATE / "requirements-dev.txt").read_text().splitlines()
    assert revs == {
        "ruff-pre-commit": f"v{pinned(lint_group, 'ruff')}",  # the same ruff as tox -e lint
        "zizmor-pre-commit": f"v{pinned(template_tools, 'zizmor')}",  # the zizmor the template's CI runs
        "pre-commit-hooks": f"v{pinned(template_tools, 'pre-commit-hooks')}",
    }
    # pre-commit-hooks' checks, run here from its package (pre-commit itself would fetch them):
    # a plugin fresh from the template must not be changed by the author's first commit.
    copy = Path(shutil.copytree(project, tmp_path / project.name))
    run(["git", "init", "-q"], cwd=copy)  # as the author's plugin is, after the first step
    text = [str(path) for path in files(copy)]
    tools = Path(sys.executable).parent
    checks = {
        "check-added-large-files": ["--enforce-all", *text],
        "check-merge-conflict": ["--assume-in-merge", *text],
        "check-toml": [path for path in text if path.endswith(".toml")],
        "check-yaml": [path for path in text if path.endswith((".yml", ".yaml"))],
        "end-of-file-fixer": text,
        "trailing-whitespace-fixer": text,
    }
    for hook, args in checks.items():
        result = run([str(tools / hook), *args], cwd=copy, check=False)
        assert result.returncode == 0, (hook, result.stdout + result.stderr)


def test_newest_cookiecutter_bakes_the_same_files(variant, newest_cookiecutter, tmp_path):
    answers, project = variant
    command = [*newest_cookiecutter, "--no-input", "-o", str(tmp_path), str(TEMPLATE)]
    run([*command, *(f"{key}={value}" for key, value in answers.items())], cwd=tmp_path)
    (newest,) = tmp_path.iterdir()
    assert newest.name == project.name
    baked = {path.relative_to(project): path.read_bytes() for path in files(project)}
    assert {path.relative_to(newest): path.read_bytes() for path in files(newest)} == baked


def test_python_compiles(variant):
    _, project = variant
    sources = list(project.rglob("*.py"))
    assert sources
    for path in sources:
        compile(path.read_text(), str(path), "exec")


def test_toml_and_ini_load(variant):
    answers, project = variant
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    host = answers.get("host", CONTEXT["host"][0])
    group = HOSTS[host]["entry_point_group"]
    assert pyproject["project"]["entry-points"][group]
    tox = tomllib.loads((project / "tox.toml").read_text())
    assert {f"{host}-min", f"{host}-newest", "lint", "package"} <= set(tox["env"])


def test_pretix_bakes_describe_themselves_as_pretixs_own_plugins_do(variant):
    # pretixplugin.toml, as pretix's plugin template and its own plugins have it: the fields
    # the pretix team's release tooling reads, equal to what the package itself declares.
    answers, project = variant
    path = project / "pretixplugin.toml"
    if answers.get("host", CONTEXT["host"][0]) != "pretix":
        assert not path.exists()
        return
    plugin = tomllib.loads(path.read_text())["plugin"]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    (entry_point,) = pyproject["entry-points"]["pretix.plugin"].values()
    assert plugin == {
        "package": pyproject["name"],
        "modules": [entry_point],
        "marketplace_name": pyproject["name"].removeprefix("pretix-"),
    }


def test_ruff_passes(variant):
    _, project = variant
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=project)
    run([sys.executable, "-m", "ruff", "format", "--no-cache", "--check", "."], cwd=project)


def test_bandit_finds_nothing(variant):
    _, project = variant
    bandit = Path(sys.executable).parent / "bandit"
    run([str(bandit), "--quiet", "--recursive", "src"], cwd=project)


def test_no_csrf_exemption_and_no_secrets(variant):
    _, project = variant
    for path in files(project):
        text = path.read_text(errors="replace")
        if "csrf_exempt" in text:
            # Only the payment service's webhook: the service cannot know pretix's CSRF token,
            # so the view checks the service's signature instead, before anything else.
            assert path.name == "payment_views.py", path
            webhook = text[text.index("@csrf_exempt") :]
            assert webhook.count("csrf_exempt") == 1 and "notification_is_genuine(request.body" in webhook
        if not {"tests", "tools"} & set(path.relative_to(project).parts):  # the test and demo users' dummy passwords
            assert not SECRET.search(text), path


def test_nothing_left_unrendered(variant):
    _, project = variant
    for path in files(project):
        assert "cookiecutter" not in path.name or path.name == ".cookiecutter.json"  # the recorded answers
        text = path.read_text(errors="replace")
        assert not UNRENDERED.search(text), f"unrendered cookiecutter marker in {path}"


def test_django_templates_are_copied_verbatim(variant):
    # Django templates sit in the template folder wrapped in one {% raw %} block, so that
    # cookiecutter's Jinja leaves every byte of them alone; their names say for which answers.
    _, project = variant
    answers = json.loads((project / ".cookiecutter.json").read_text())
    # The names test the template's private variables too, derived from the answers as in
    # cookiecutter.json.
    answers["__host_parts"] = " ".join(
        f"{answers['host']}:{part}" for part in answers["parts"].replace(",", " ").lower().split()
    )
    module = next((project / "src").iterdir())
    names = jinja2.Environment()
    sources = sorted((TEMPLATE / "{{cookiecutter.plugin_slug}}").glob("src/*/templates/*/*"))
    # byro's plugin without the example has no page, so no template: the count below says so.
    ours = [source for source in sources if names.from_string(source.name).render(cookiecutter=answers)]
    for source in ours:
        text = source.read_text()
        assert text.startswith("{% raw %}") and text.endswith("{% endraw %}"), source.name
        # byro's log entry templates are named after the entry's type, which starts with the module.
        name = names.from_string(source.name).render(cookiecutter=answers)
        folder = source.parent.name.replace("{{cookiecutter.module_name}}", module.name)
        baked = module / "templates" / folder / name
        assert baked.read_bytes() == text.removeprefix("{% raw %}").removesuffix("{% endraw %}").encode()
    baked_files = [path for path in (module / "templates").rglob("*") if path.is_file()]
    assert len(baked_files) == len(ours)


def test_everything_shared_with_the_host_carries_the_module_name(variant):
    # pretix's quality checklist, isolation. The toolkit's contract checks the plugin's code as it
    # is, the author's included; here its functions read each variant's bake, and must find each
    # kind of name the bake has.
    answers, project = variant
    host = answers.get("host", CONTEXT["host"][0])
    package = next((project / "src").glob("*/apps.py")).parent
    isolation = toolkit.sources_module("isolation")
    assert isolation.foreign_names(package, host, package.name) == []
    assert isolation.misplaced_files(package, host, package.name) == []
    kinds = {what for what, _, _ in isolation.shared_names(package, host)}
    # Views name their templates; byro's plugin without the example has no view (its log entry
    # template, if any, byro finds by the entry's type).
    has_templates = any((package / "templates" / package.name).rglob("*.html"))
    assert {"signal receiver dispatch_uid", *(["template"] if has_templates else [])} <= kinds, kinds
    if (package / "payment.py").exists():
        assert ("identifier", package.name, "payment.py") in isolation.shared_names(package, host)


def test_license_file_matches_the_choice(variant):
    answers, project = variant
    license_id = answers.get("license", CONTEXT["license"][0])
    first_lines = (project / "LICENSE").read_text().lstrip().splitlines()[0]
    expected = {
        "Apache-2.0": "Apache License",
        "MIT": "MIT License",
        "BSD-3-Clause": "BSD 3-Clause License",
        "GPL-3.0-or-later": "GNU GENERAL PUBLIC LICENSE",
    }[license_id]
    assert expected in first_lines
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["license"] == license_id


def test_min_env_pins_the_chosen_minimum(variant):
    answers, project = variant
    host = answers.get("host", CONTEXT["host"][0])
    minimum = answers.get("min_host_version", HOSTS[host]["lines"][0]["from"])
    envs = tomllib.loads((project / "tox.toml").read_text())["env"]
    # The host, with the extra that brings its PostgreSQL driver where it has one.
    extra = HOSTS[host]["run"]["postgres_extra"]
    requirement = HOSTS[host]["pypi_name"] + (f"[{extra}]" if extra else "")
    assert f"{requirement}=={minimum}" in envs[f"{host}-min"]["deps"]
    assert f"{requirement}>={minimum}" in envs[f"{host}-newest"]["deps"]


def test_the_catalog_envs_run_on_the_interpreter_of_the_django_they_install(variant):
    # They install the minimum's Django alone; without the -min env's interpreter they got
    # tox's own, and Django 6.0 (pretalx 2026.1 and later) refuses Python 3.11.
    answers, project = variant
    host = answers.get("host", CONTEXT["host"][0])
    envs = tomllib.loads((project / "tox.toml").read_text())["env"]
    same_as_min = [{"replace": "ref", "of": ["env", f"{host}-min", "base_python"], "extend": True}]
    assert envs["makemessages"].get("base_python") == same_as_min
    same_as_makemessages = [{"replace": "ref", "of": ["env", "makemessages", "base_python"], "extend": True}]
    assert envs["translations"].get("base_python") == same_as_makemessages


@pytest.mark.parametrize("host", HOSTS)
def test_no_parts_bake_is_the_default_bake_and_has_no_empty_files(tmp_path, host):
    def listing(project):
        return {path.relative_to(project).as_posix(): path.read_bytes() for path in files(project)}

    default = listing(bake(tmp_path / "default", host=host))
    without_parts = listing(bake(tmp_path / "none", host=host, parts=""))
    with_parts = listing(bake(tmp_path / "all", host=host, parts=all_parts(host)))
    assert without_parts.keys() == default.keys()
    # The answer itself is recorded for `cruft update`; everything else is byte for byte the same.
    assert {name for name in default if default[name] != without_parts[name]} <= {".cookiecutter.json"}
    # Parts only add: files of their own, and lines in files that exist anyway.
    assert with_parts.keys() > default.keys()
    for listing_ in (default, with_parts):
        # Python packages need their empty __init__.py; nothing else may be an empty placeholder.
        empty = [name for name, content in listing_.items() if not content.strip() and not name.endswith("__init__.py")]
        assert not empty, empty


# What every host's default plugin ships, by role. A host that lacks a role names the reason in
# the host table (roles_not_shipped), so that a new host shows its gaps at once.
ROLES = {
    "app config and plugin meta": "src/{module}/apps.py",
    "signal receivers": "src/{module}/signals.py",
    "URLs": "src/{module}/urls.py",
    "views": "src/{module}/views.py",
    "forms": "src/{module}/forms.py",
    "models": "src/{module}/models.py",
    "migration": "src/{module}/migrations/0001_initial.py",
    "settings page": "src/{module}/templates/{module}/settings.html",
    "stylesheet": "src/{module}/static/{module}/style.css",
    "German catalog": "src/{module}/locale/de/LC_MESSAGES/django.po",
    "test harness": "tests/conftest.py",
    "demo data": "tests/demo.py",
    "browser test": "tests/e2e_browser.py",
    **{f"contract test {name}": f"tests/test_{name}.py" for name in ("models", "signals", "views")},
}


@pytest.mark.parametrize("example", ["yes", "no"])
@pytest.mark.parametrize("host", sorted(HOSTS))
def test_every_host_ships_every_role_or_says_why_not(host, example, tmp_path):
    project = bake(tmp_path, host=host, example=example)
    module = next((project / "src").glob("*/apps.py")).parent.name
    missing = {role for role, path in ROLES.items() if not (project / path.format(module=module)).is_file()}
    said = set(HOSTS[host]["roles_not_shipped"])
    if example == "no":  # what the example alone brings, as the host table says
        said |= set(HOSTS[host]["roles_not_shipped_without_example"])
    assert missing == said, missing


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_each_part_lives_in_its_own_module_connected_in_ready(host, tmp_path):
    # What lets `tox -e add-part` merge a part into a plugin that holds its author's code.
    modules = CONTEXT["_part_modules"]
    plain = bake(tmp_path / "plain", host=host)
    full = bake(tmp_path / "full", host=host, parts=all_parts(host))
    for project, parts in ((plain, []), (full, list(HOSTS[host]["parts"]))):
        package = next((project / "src").glob("*/apps.py")).parent
        expected = sorted(["signals", *(modules[part] for part in parts if part in modules)])
        assert f"from . import {', '.join(expected)}  # noqa: F401" in (package / "apps.py").read_text()
        for part, module in modules.items():
            assert (package / f"{module}.py").exists() is (part in parts), (part, project.name)
    # Adding parts leaves the files authors extend as they were. The one exception: a part with
    # pages and a model of its own (pretix's payment provider) inserts their URLs into urls.py
    # and its model into models.py, and changes none of their lines, so that git merges them
    # with the author's.
    for name in ("signals.py", "views.py", "urls.py", "models.py"):
        before = next(plain.glob(f"src/*/{name}")).read_text().splitlines()
        after = next(full.glob(f"src/*/{name}")).read_text().splitlines()
        if name in ("urls.py", "models.py") and "payment-provider" in HOSTS[host]["parts"]:
            changes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
            assert {change[0] for change in changes} == {"equal", "insert"}, changes
        else:
            assert before == after, name


@pytest.mark.parametrize(
    "answers",
    [{"example": "no"}, {"example": "no", "parts": "all"}],
    ids=["no-parts", "every-part-it-takes"],
)
@pytest.mark.parametrize("host", sorted(HOSTS))
def test_a_plugin_without_the_example_holds_no_trace_of_it(host, answers, tmp_path):
    # Not in a name, a comment, a catalog or a test: the author starts from their own plugin.
    if answers.get("parts") == "all":
        answers = {**answers, "parts": all_parts(host)}
    project = bake(tmp_path, host=host, **answers)
    assert project.name == f"{host}-my-plugin"
    for path in files(project):
        text = path.read_text(errors="replace").lower()
        for word in HOSTS[host]["example"]["words"]:  # what names the example, as the host table says
            assert word not in text, f"{path.relative_to(project)} mentions the example ({word!r})"
            assert word not in str(path.relative_to(project)).lower(), path


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_readme_is_for_those_who_install_the_plugin(tmp_path, host):
    # README.md is the PyPI page: what organisers and admins need, and the host releases this
    # release is tested with, rendered from the host table as the tox envs are.
    project = bake(tmp_path, host=host)
    readme = (project / "README.md").read_text()
    assert [heading for heading in re.findall(r"^## (.+)$", readme, re.MULTILINE)][:5] == [
        "Compatibility",
        "Install",
        "Configure",
        "Upgrade",
        "Uninstall",
    ]
    assert not re.search(r"\btox\b|\bcruft\b|requirements-dev", readme), readme
    rows = re.findall(r"^\| ([\d.]+)[^|]*\| ([\d.]+) \|$", readme, re.MULTILINE)
    envs = tomllib.loads((project / "tox.toml").read_text())["env"]
    oldest = envs[f"{host}-min"]
    assert rows[0] == (re.search(r"==([\d.]+)", oldest["deps"][0])[1], oldest["base_python"][0].removeprefix("python"))
    newest = HOSTS[host]["newest"]
    assert rows[-1] == (newest["version"], newest["python"])
    assert envs[f"{host}-newest"]["base_python"] == [f"python{newest['python']}"]
    # The author's instructions are in DEVELOPING.md, which the sdist carries.
    developing = (project / "DEVELOPING.md").read_text()
    assert all(f"\n## {section}\n" in developing for section in ("Develop", "Test", "Translate", "Release"))
    assert "DEVELOPING.md" in readme and "DEVELOPING.md" in (project / "MANIFEST.in").read_text()
