"""The docs cannot rot: the tutorial runs, and the reference names every prompt and tox env.

The docs build itself (Sphinx with warnings as errors) is the `docs` env of the template's tox.
"""

import re
import shlex
import sys
import tomllib

import pytest

from .conftest import CONTEXT, GIT_IDENTITY, HOSTS, TEMPLATE, all_parts, bake, pythons_for, run, tool_env

DOCS = TEMPLATE / "docs"
TEMPLATE_ADDRESS = "gh:django-plugin-cookiecutter/django-plugin-cookiecutter"
# ```console, or ```{code-block} LANGUAGE with option lines such as ":caption: FILE".
FENCE = re.compile(
    r"^```(?:\{code-block\} )?(?P<language>[\w-]+)\n(?P<options>(?::\w+: [^\n]*\n)*)\n?(?P<body>.*?)^```$",
    flags=re.M | re.S,
)


def tutorial_script(markdown, workdir):
    """The tutorial as one bash script: its `$` lines, and its file blocks put into their files."""
    script = ["set -euo pipefail"]
    for number, match in enumerate(FENCE.finditer(markdown)):
        language, body = match["language"], match["body"]
        caption = re.search(r"^:caption: (.+)$", match["options"], flags=re.M)
        if language == "console":
            for line in body.splitlines():
                if line.startswith("$ "):
                    command = line[2:].replace(TEMPLATE_ADDRESS, shlex.quote(str(TEMPLATE)))
                    script += [f"echo {shlex.quote('$ ' + command)}", command]
        elif caption:
            block = workdir / f"block-{number}.{language}"
            block.write_text(body)
            edit = [sys.executable, str(TEMPLATE / "tests" / "tutorial_edit.py"), caption[1], str(block), language]
            script.append(shlex.join(edit))
    return "\n".join(script)


def tutorial(host):
    return (DOCS / "tutorial" / f"{host}.md").read_text()


@pytest.mark.parametrize("host", HOSTS)
def test_the_tutorial_runs_from_generation_to_a_release(tmp_path, host):
    workdir = tmp_path / "blocks"
    workdir.mkdir()
    script = tutorial_script(tutorial(host), workdir)
    assert script.count("tutorial_edit.py") >= 8, "the tutorial's file blocks were not found"
    assert "\ntox\n" in script and "cookiecutter --no-input" in script

    # The host's interpreters, and the one the tutorial makes its tools' venv with.
    tools_python = re.search(r"python(3\.\d+) -m venv", script)[1]
    env = tool_env(pythons_for(host) | {tools_python}) | GIT_IDENTITY
    result = run(["bash", "-c", script], cwd=tmp_path, env=env, check=False)
    assert result.returncode == 0, f"the tutorial failed:\n{result.stdout[-15000:]}\n{result.stderr[-5000:]}"

    (plugin,) = [path for path in tmp_path.iterdir() if path.name.startswith(f"{host}-")]
    module, migration = re.search(r"makemigrations (\w+) --name (\w+)", script).groups()
    assert (plugin / "src" / module / "migrations" / f"0002_{migration}.py").is_file()
    assert "#, fuzzy" not in (plugin / "src" / module / "locale/de/LC_MESSAGES/django.po").read_text()
    # The tests the tutorial added ran too: the last run has that many more than the first.
    added = len(re.findall(r"^def test_", (plugin / "tests" / "test_tutorial.py").read_text(), flags=re.M))
    passed = [int(count) for count in re.findall(r"(\d+) passed", result.stdout)]
    assert added == 5 and passed[-1] == passed[0] + added, passed
    tags = run(["git", "tag"], cwd=plugin, env=env).stdout.split()
    assert tags == ["v0.1.0"]
    # `git add .` came after tox, manage and makemessages had run: it took only what the
    # author wrote, and the commands after it left nothing new.
    tracked = run(["git", "ls-files"], cwd=plugin, env=env).stdout.splitlines()
    made_by_tools = [path for path in tracked if re.match(r"(\.venv|\.tox|build|dist|\.devhost)(/|$)|.*\.mo$", path)]
    assert not made_by_tools, made_by_tools
    assert run(["git", "status", "--porcelain"], cwd=plugin, env=env).stdout == ""


@pytest.mark.parametrize("host", HOSTS)
def test_the_tutorial_names_the_interpreters_the_host_table_gives(host):
    # The prose is typed; the versions come from the host table: the default bake's oldest line
    # and the newest release, and the interpreter the tutorial makes its tools' venv with.
    facts = HOSTS[host]
    markdown = tutorial(host)
    needed = {facts["lines"][0]["python"], facts["newest"]["python"], re.search(r"python(3\.\d+) -m venv", markdown)[1]}
    sentence = re.search(r"^You need Python ([\d., and]+)\(", markdown, flags=re.M)[1]
    assert set(re.findall(r"3\.\d+", sentence)) == needed, sentence


@pytest.mark.parametrize("host", HOSTS)
def test_the_tutorial_only_runs_commands_it_shows(host):
    # Everything the test executes comes from a console block; nothing is hidden in the test.
    markdown = tutorial(host)
    shown = {
        line[2:]
        for match in FENCE.finditer(markdown)
        if match["language"] == "console"
        for line in match["body"].splitlines()
        if line.startswith("$ ")
    }
    assert "tox" in shown and "tox -e makemessages" in shown


REQUIRED_PAGES = [
    "tutorial/index",
    "contract",
    "reference",
    "parts",
    "hosts/index",
    "harness",
    "troubleshooting",
    "adding-a-host",
    "adopting",
]


HOST_PAGES = [f"{folder}/{host}" for folder in ("hosts", "tutorial") for host in HOSTS]


@pytest.mark.parametrize("page", REQUIRED_PAGES + HOST_PAGES)
def test_page_exists_and_is_in_the_toctree(page):
    assert (DOCS / f"{page}.md").is_file()
    folder, _, name = page.rpartition("/")
    # A page of a folder is listed by the folder's index, which the root index lists.
    parent, entry = (DOCS / folder / "index.md", name) if folder and name != "index" else (DOCS / "index.md", page)
    assert entry in parent.read_text().splitlines()


def test_reference_documents_every_prompt():
    reference = (DOCS / "reference.md").read_text()
    prompts = [key for key in CONTEXT if not key.startswith("_")]
    missing = [key for key in prompts if f"`{key}`" not in reference]
    assert not missing, f"prompts missing from docs/reference.md: {missing}"


@pytest.mark.parametrize("host", HOSTS)
def test_reference_documents_every_tox_env_of_a_generated_plugin(tmp_path, host):
    project = bake(tmp_path, host=host)
    envs = set(tomllib.loads((project / "tox.toml").read_text())["env"])
    assert envs >= {f"{host}-min", f"{host}-newest", "lint", "package"}
    reference = (DOCS / "reference.md").read_text()
    missing = [env for env in envs if f"`{env.replace(host, '<host>')}`" not in reference]
    assert not missing, f"tox envs of the {host} plugin missing from docs/reference.md: {missing}"


def test_reference_documents_every_generated_file(tmp_path):
    reference = (DOCS / "reference.md").read_text()
    missing = set()
    for host in HOSTS:
        project = bake(tmp_path / host, host=host, parts=all_parts(host))
        module = project.name.replace("-", "_")
        for path in project.rglob("*"):
            relative = path.relative_to(project).as_posix().replace(module, "<module>")
            if path.is_file() and f"`{relative}`" not in reference and f"`{path.name}`" not in reference:
                missing.add(relative)
    assert not missing, f"generated files missing from docs/reference.md: {sorted(missing)}"


@pytest.mark.parametrize("host", HOSTS)
def test_tox_is_installed_one_way_everywhere(tmp_path, host):
    # The generated DEVELOPING.md, the message after generation, the tutorial and this README all
    # install the plugin's pinned tox the same way; an unpinned `pip install tox` would start by
    # provisioning tox-uv, and a second way would drift from the first.
    hook = run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(tmp_path), str(TEMPLATE), f"host={host}"],
        cwd=tmp_path,
    ).stdout
    project = next(tmp_path.iterdir())
    texts = {
        "post-generation message": hook,
        "generated DEVELOPING.md": (project / "DEVELOPING.md").read_text(),
        f"docs/tutorial/{host}.md": tutorial(host),
        "README.md": (TEMPLATE / "README.md").read_text(),
    }
    for name, text in texts.items():
        assert "pip install -r requirements-dev.txt" in text or "pip install -q -r requirements-dev.txt" in text, name
        assert not re.search(r"pip install (-q )?tox\b", text), name
    assert (project / "requirements-dev.txt").is_file()


@pytest.mark.parametrize("host", HOSTS)
def test_release_steps_fit_the_first_release(tmp_path, host):
    readme = (bake(tmp_path, host=host) / "DEVELOPING.md").read_text()
    release = readme.split("\n## Release\n", 1)[1].split("\n## ", 1)[0]
    # 0.1.0 as generated is the first release: raising the version comes after it.
    assert "For every release after the first, raise `__version__`" in release
    assert "git tag v0.1.0" in release
    # PyPI only offers a trusted publisher for an existing project; before the first upload it
    # must be a pending one.
    assert "**pending** trusted" in release


def test_harness_page_lists_every_mutation():
    # The table an author reads to know which of their changes the suite will catch.
    from .test_generated import MUTATIONS

    page = (TEMPLATE / "docs" / "harness.md").read_text()
    listed = set(re.findall(r"^\| (\w+) \| `([\w-]+)` \|", page, re.MULTILINE))
    made = set()
    for param in MUTATIONS:
        host, name = param.id.split("-", 1)
        made.add((host, name.removeprefix("without-example-")))
    assert listed == made
