"""Bad and tricky answers: each either bakes a correct project or stops with one clear line, a
non-zero exit, no traceback and no folder left behind."""

import ast
import re
import subprocess
import sys
import tomllib

import pytest

from .conftest import CONTEXT, HOSTS, TEMPLATE, bake, run

HOST = CONTEXT["host"][0]
OLDEST = HOSTS[HOST]["lines"][0]["from"]
NEWEST = HOSTS[HOST]["newest"]["version"]

# (answers, the start of the one error line that must come out)
REFUSED = [
    ({"module_name": "My Plugin"}, "module_name 'My Plugin' is not a lowercase Python identifier"),
    ({"module_name": "MyPlugin"}, "module_name 'MyPlugin' is not a lowercase Python identifier"),
    ({"module_name": "my-plugin"}, "module_name 'my-plugin' is not a lowercase Python identifier"),
    ({"module_name": "3plugin"}, "module_name '3plugin' is not a lowercase Python identifier"),
    ({"module_name": "_private"}, "module_name '_private' is not a lowercase Python identifier"),
    ({"module_name": "grüße"}, "module_name 'grüße' is not a lowercase Python identifier"),
    ({"module_name": "class"}, "module_name 'class' is a Python keyword"),
    ({"module_name": "match"}, "module_name 'match' is a Python keyword"),
    ({"module_name": "json"}, "module_name 'json' is already taken"),
    ({"module_name": "email"}, "module_name 'email' is already taken"),
    ({"module_name": "django"}, "module_name 'django' is already taken"),
    ({"module_name": "tests"}, "module_name 'tests' is already taken"),
    ({"module_name": "tools"}, "module_name 'tools' is already taken"),
    ({"module_name": HOST}, f"module_name '{HOST}' is already taken"),
    ({"module_name": HOSTS[HOST]["reserved_names"][1]}, "is already taken"),
    # Apps the host installs besides its own: Django's contrib apps and third-party apps.
    *(
        ({"module_name": name}, f"module_name {name!r} is already taken")
        for name in ("auth", "contenttypes", "sessions", "rest_framework", "compressor")
    ),
    ({"module_name": "p" * 41}, "is longer than 40 characters"),
    ({"plugin_name": "!!!"}, "plugin_name '!!!' has no letters or digits"),
    ({"plugin_name": "   "}, "plugin_name is empty"),
    ({"plugin_name": "Two\nlines"}, "plugin_name contains a line break"),
    ({"description": "Tab\there"}, "description contains a line break"),
    ({"author_name": ""}, "author_name is empty"),
    ({"plugin_slug": "My Plugin!"}, "plugin_slug 'My Plugin!' is not a valid distribution name"),
    ({"plugin_slug": "Pretix-Plugin"}, "plugin_slug 'Pretix-Plugin' is not a valid distribution name"),
    ({"plugin_slug": "pretix--plugin"}, "plugin_slug 'pretix--plugin' is not a valid distribution name"),
    ({"plugin_slug": "pretix_plugin"}, "plugin_slug 'pretix_plugin' is not a valid distribution name"),
    ({"plugin_slug": "-pretix"}, "plugin_slug '-pretix' is not a valid distribution name"),
    ({"min_host_version": "latest"}, "min_host_version 'latest' is not a"),
    ({"min_host_version": "2019.1.0"}, f"type e.g. {OLDEST}"),
    ({"min_host_version": "9999.1.0"}, f"from {OLDEST} to {NEWEST}"),
    ({"min_host_version": ""}, "min_host_version '' is not a"),
    ({"category": "GAMES"}, "category 'GAMES' is not one of"),
    ({"category": "feature"}, "category 'feature' is not one of"),
    ({"author_email": "jane.example.org"}, "author_email 'jane.example.org' is not an e-mail address"),
    ({"author_email": "jane@localhost"}, "author_email 'jane@localhost' is not an e-mail address"),
    ({"repository_url": "github.com/jane/plugin"}, "repository_url 'github.com/jane/plugin' is not a web address"),
    ({"repository_url": "javascript:alert(1)"}, "repository_url 'javascript:alert(1)' is not a web address"),
    ({"repository_url": 'https://x.org/"quoted"'}, "is not a web address"),
    ({"parts": "exporters"}, f"parts: 'exporters' is not a part that {HOST} offers; type any of"),
    ({"parts": "exporter; validation"}, "parts: 'exporter;' is not a part"),
    ({"parts": ",,"}, "parts ',,' names no part"),
    ({"host": "byro", "parts": "exporter"}, "'exporter' is not offered for byro: byro has no exporter registry; type"),
    ({"host": "pretalx", "parts": "payment-provider"}, "'payment-provider' is not offered for pretalx: pretalx has no"),
    ({"parts": "organizer-level"}, "parts: 'organizer-level' is not offered for pretix: pretix answers 404"),
    # Without the example: no part that builds on its model.
    # cookiecutter renders command-line values as Jinja before any hook runs: refuse the result.
    ({"description": "{{ 7 * 7 }}"}, "description was given on the command line with template markup"),
    ({"author_name": "{% if true %}Jane{% endif %}"}, "author_name was given on the command line"),
    ({"plugin_name": "{{ cycler.__init__ }}"}, "plugin_name was given on the command line"),
]

# Answers that must bake, with the free text arriving byte for byte in Python and TOML.
ACCEPTED = [
    {"plugin_name": "Grüße & Co", "description": "Zürich, São Paulo, Kraków"},
    {"plugin_name": "Quote \"double\" and 'single'", "module_name": f"{HOST}_quotes"},
    {"description": 'Back\\slash \\n and \\" and a trailing backslash\\'},
    {"description": "Braces {} and {0} and {name} and %s and %(x)s"},
    {"description": "'''\"\"\" triple quotes ''' \"\"\""},
    {"description": "__import__('os').system('touch /tmp/pwned')"},
    {"description": '# not a comment = "not toml"\n'.strip()},
    {"description": "Emoji 🎟️ and RTL עברית and CJK 日本語"},
    {"description": "Very long. " * 300},
    {"author_name": 'O\'Brien "Bob" <bob@example.org>'},
    {"author_email": "", "repository_url": ""},
    {"plugin_name": "x" * 200, "module_name": f"{HOST}_long", "plugin_slug": f"{HOST}-long"},
    {"parts": " Exporter ,validation  after-action"},
]


PINNED = [sys.executable, "-m", "cookiecutter"]


@pytest.fixture(scope="session", params=["pinned", "newest"])
def cookiecutter(request):
    # Refused answers are checked with the README's cookiecutter and with the newest release.
    return PINNED if request.param == "pinned" else request.getfixturevalue("newest_cookiecutter")


def cli(tmp_path, answers, stdin=None, cookiecutter=PINNED):
    command = [*cookiecutter, "-o", str(tmp_path), str(TEMPLATE)]
    if stdin is None:
        command.insert(len(cookiecutter), "--no-input")
        command += [f"{key}={value}" for key, value in answers.items()]
    return subprocess.run(command, cwd=tmp_path, input=stdin, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("answers", "message"), REFUSED, ids=[repr(a)[:60] for a, _ in REFUSED])
def test_bad_answer_is_refused_cleanly(tmp_path, answers, message, cookiecutter):
    # cookiecutter 2.7 would add a traceback of its own: local_extensions.py drops it.
    result = cli(tmp_path, answers, cookiecutter=cookiecutter)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    assert message in errors[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def app_config_meta(project):
    """The free text as Python sees it in apps.py's meta class (parsed, never imported)."""
    source = next((project / "src").glob("*/apps.py")).read_text()
    strings = [node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)]
    return strings


@pytest.mark.parametrize("answers", ACCEPTED, ids=[repr(a)[:60] for a in ACCEPTED])
def test_tricky_answer_arrives_as_text(tmp_path, answers):
    project = bake(tmp_path, **answers)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    strings = app_config_meta(project)
    for field in ("plugin_name", "description", "author_name"):
        if field in answers:
            assert answers[field] in strings, field
    if "description" in answers:
        assert pyproject["project"]["description"] == answers["description"]
    if "author_name" in answers:
        assert pyproject["project"]["authors"][0]["name"] == answers["author_name"]
    if not answers.get("author_email", True):
        assert "email" not in pyproject["project"]["authors"][0]
    for path in project.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=project)


def test_typed_code_and_jinja_are_stored_as_text(tmp_path):
    # Answers typed at the prompts (here through stdin) are data: a Jinja expression is not
    # evaluated and Python code is not run, whatever cookiecutter and the hooks do with them.
    marker = tmp_path / "pwned"
    name = "{{ 7 * 7 }} {% if true %}yes{% endif %}"
    description = f"__import__('os').system('touch {marker}')"
    answers = ["1", "1", name, "", "", description, "", "", "", "", "", "", ""]
    result = cli(tmp_path, {}, stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    (project,) = [path for path in tmp_path.iterdir() if path.is_dir()]
    strings = app_config_meta(project)
    assert name in strings and description in strings
    assert "49" not in project.name
    assert not marker.exists()


def test_names_are_derived_from_the_plugin_name(tmp_path):
    project = bake(tmp_path, plugin_name="Grüße für Gäste")
    assert project.name == f"{HOST}-grusse-fur-gaste"
    assert (project / "src" / f"{HOST}_grusse_fur_gaste" / "apps.py").is_file()


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_description_defaults_to_the_example_only_for_the_example(tmp_path, host):
    # Another name must not inherit the example's sentence: it would reach PyPI and the
    # catalog without the author having written a word of it.
    example = HOSTS[host]["example"]
    own = tomllib.loads((bake(tmp_path / "own", host=host, plugin_name="Seat Notes") / "pyproject.toml").read_text())
    assert own["project"]["description"] == f"Seat Notes for {host}."
    default = tomllib.loads((bake(tmp_path / "default", host=host) / "pyproject.toml").read_text())
    assert default["project"]["description"] == example["description"]


@pytest.mark.parametrize(
    ("answers", "channels"),
    [
        ({}, ["<jane@example.org>", "/security/advisories/new>"]),
        ({"repository_url": ""}, ["<jane@example.org>"]),
        ({"author_email": ""}, ["/security/advisories/new>"]),
    ],
)
def test_security_policy_names_where_to_report(tmp_path, answers, channels):
    # pretix's plugin quality checklist: a plugin says where to report a security problem.
    project = bake(tmp_path, **answers)
    policy = (project / "SECURITY.md").read_text()
    assert all(channel in policy for channel in channels), policy
    assert "SECURITY.md" in (project / "README.md").read_text()


def test_without_any_contact_the_author_is_told_to_add_one(tmp_path):
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(tmp_path), str(TEMPLATE)]
    result = run([*command, "author_email=", "repository_url="], cwd=tmp_path)
    assert "add a SECURITY.md" in result.stdout
    project = next(tmp_path.iterdir())
    assert not (project / "SECURITY.md").exists() and "SECURITY.md" not in (project / "README.md").read_text()


def test_existing_folder_is_refused_and_left_alone(tmp_path):
    project = bake(tmp_path)
    own_file = project / "NOTES.txt"
    own_file.write_text("mine")
    readme = (project / "README.md").read_text()
    (project / "README.md").write_text(readme + "my edit\n")
    result = cli(tmp_path, {})
    assert result.returncode != 0
    assert "already exists" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert own_file.read_text() == "mine"
    assert (project / "README.md").read_text().endswith("my edit\n")


def test_command_line_markup_wrapped_in_raw_stays_text(tmp_path):
    project = bake(tmp_path, description="{% raw %}Use {{ x }} and {% y %}{% endraw %}")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == "Use {{ x }} and {% y %}"


def test_every_host_offers_each_part_or_says_why_not():
    # The parts prompt lists what each host offers; the hook explains a part a host lacks.
    names = {part for facts in HOSTS.values() for part in [*facts["parts"], *facts["parts_not_offered"]]}
    prompt = CONTEXT["__prompts__"]["parts"]
    for host, facts in HOSTS.items():
        assert set(facts["parts"]) | set(facts["parts_not_offered"]) == names, host
        assert not set(facts["parts"]) & set(facts["parts_not_offered"]), host
        listed = re.search(rf"{host}: ([^;]*)", prompt)[1]
        assert set(re.findall(r"[a-z]+(?:-[a-z]+)*", listed)) - {"and", "or"} == set(facts["parts"]), host


# The one form in which the hooks receive the answers: a JSON document in a raw string literal.
ANSWERS_LITERAL = re.compile(r'r"""\{\{[^"]*\}\}"""')


@pytest.mark.parametrize("hook", sorted((TEMPLATE / "hooks").glob("*.py")), ids=lambda path: path.name)
def test_hooks_are_plain_python_that_receive_the_answers_in_one_literal(hook):
    source = hook.read_text()
    ast.parse(source)  # before cookiecutter renders it: what ruff lints
    assert ANSWERS_LITERAL.search(source)
    # No other Jinja markup: cookiecutter would render it, and a linter would not see the result.
    assert not re.search(r"\{[{%#]", ANSWERS_LITERAL.sub("", source)), hook.name
