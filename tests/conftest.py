"""Shared helpers for the template's own tests: bake the template, read the host table."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from . import shards, toolkit

TEMPLATE = Path(__file__).resolve().parent.parent
CONTEXT = json.loads((TEMPLATE / "cookiecutter.json").read_text())
HOSTS = CONTEXT["_hosts"]
# For tests that commit: a fixed author, and no user configuration of the machine.
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}


def pytest_addoption(parser):
    parser.addoption(
        "--host",
        action="append",
        choices=[*HOSTS, "none"],
        help="run only the tests of this host ('none': the tests that name no host); repeatable",
    )
    parser.addoption(
        "--shard",
        type=shards.parse,
        metavar="K/N",
        help="run only the K-th of N shards of the tests, as the template's CI jobs do (tests/shards.py)",
    )


def host_of(item):
    """The host a test names in its parameters (a host's name, or answers with a host), or 'none'."""
    callspec = getattr(item, "callspec", None)
    for value in callspec.params.values() if callspec else ():
        host = value.get("host") if isinstance(value, dict) else value
        if isinstance(host, str) and host in HOSTS:
            return host
    return "none"


def pytest_collection_modifyitems(config, items):
    chosen = config.getoption("host")
    if chosen:
        keep(config, items, [item for item in items if host_of(item) in chosen])
    if config.getoption("shard"):
        # The template's CI on GitHub runs a job per shard.
        index, count = config.getoption("shard")
        tests, shared = shards.recorded()
        cut, _ = shards.cut([item.nodeid for item in items], count, tests, shared)
        keep(config, items, [item for item in items if cut[item.nodeid] == index - 1])


def keep(config, items, kept):
    chosen = set(kept)
    config.hook.pytest_deselected(items=[item for item in items if item not in chosen])
    items[:] = kept


# Each session records how long its tests took and what shared work they used, and leaves the
# figures beside its tox env, for the shards' next cut (`python -m tests.shards --update`).
DESELECTED = []


def pytest_deselected(items):
    DESELECTED.extend(items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    shards.RECORDER.test_started(item.nodeid)
    for key in shared_fixtures(item):
        shards.RECORDER.used(key)
    return (yield)


def pytest_runtest_logreport(report):
    shards.RECORDER.took(report.nodeid, report.duration)


def shared_fixture_key(argname, param):
    return f"{argname}[{param}]" if param is not None else argname


def shared_fixtures(item):
    """The session- and module-scoped fixtures a test needs: work that other tests share."""
    params = item.callspec.params if hasattr(item, "callspec") else {}
    for argname in item.fixturenames:
        definitions = item._fixtureinfo.name2fixturedefs.get(argname)
        if definitions and definitions[-1].scope != "function":
            yield shared_fixture_key(argname, params.get(argname))


class SharedFixtureTimer:
    # A plugin of its own, not this conftest's hook: pytest asks a conftest only about the nodes
    # under its folder, and a session-scoped fixture is set up for the session's node.
    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.scope == "function":
            return (yield)
        with shards.RECORDER.shared_work(shared_fixture_key(fixturedef.argname, getattr(request, "param", None))):
            return (yield)


def pytest_configure(config):
    config.pluginmanager.register(SharedFixtureTimer(), "shared-fixture-timer")


def pytest_sessionfinish(session, exitstatus):
    env_dir = os.environ.get("TOX_ENV_DIR")
    if env_dir and not session.config.option.collectonly:
        complete = not DESELECTED and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
        shards.RECORDER.write(Path(env_dir) / shards.RUN_FIGURES, complete)


def all_parts(host):
    """Every part the host offers, as the answer to the `parts` prompt."""
    return ",".join(HOSTS[host]["parts"])


def bake(output_dir, **answers):
    """Generate a plugin without prompts; return the project folder."""
    return Path(cookiecutter(str(TEMPLATE), no_input=True, extra_context=answers, output_dir=str(output_dir)))


# Authors who install cookiecutter without a version (pipx, uvx) get the newest release, not the
# one the README pins, so the tests bake with both. Raised by hand, like every tool pin.
NEWEST_COOKIECUTTER = "cookiecutter==2.7.1"


@pytest.fixture(scope="session")
def newest_cookiecutter(tmp_path_factory):
    """The command line of the newest cookiecutter, installed in a venv of its own."""
    venv = tmp_path_factory.mktemp("newest-cookiecutter")
    uv = [sys.executable, "-m", "uv"]
    run([*uv, "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=venv)
    python = str(venv / "bin" / "python")
    run([*uv, "pip", "install", "--quiet", "--python", python, NEWEST_COOKIECUTTER], cwd=venv)
    return [python, "-m", "cookiecutter"]


def tool_env(pythons=()):
    """Environment for running tools (tox, uv) on a baked plugin.

    Interpreters a host line needs are looked up on PATH and, on machines that keep them under
    pyenv (as CI does), in pyenv's versions folder. uv never downloads one.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TOX_", "VIRTUAL_ENV"))}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    # The toolkit the plugins depend on, built from this checkout (it is not on PyPI yet).
    env["UV_FIND_LINKS"] = env["PIP_FIND_LINKS"] = str(toolkit.wheel_folder())
    extra = [str(Path(sys.executable).parent)]
    pyenv_root = Path(env.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for python in pythons:
        # pyenv's shims answer only for the versions selected in PYENV_VERSION: use the real
        # interpreter's folder wherever pyenv keeps one.
        found = sorted(pyenv_root.glob(f"{python}.*/bin/python{python}"))
        if found:
            extra.append(str(found[-1].parent))
        elif not shutil.which(f"python{python}", path=env["PATH"]):
            pytest.fail(f"Python {python} is needed to test the generated plugin; install it first.")
    env["PATH"] = os.pathsep.join([*extra, env["PATH"]])
    return env


def run(command, cwd, env=None, check=True):
    # No terminal, as in CI: a command that waits for an answer fails instead of hanging.
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


# What a copy of a baked project leaves out: its envs, build output and compiled catalogs.
NOT_COPIED = (".tox", "build", "dist", "*.egg-info", "*.mo", ".venv")


def reinstall_command(python, env):
    uv = shutil.which("uv", path=env["PATH"])
    return [uv, "pip", "install", "--python", str(python), "--reinstall", "--no-deps", "."]


def put_back_when_done(request, python, project, env, folder):
    """The session's plugin goes back into one of its tox envs when the test ends, for the tests
    that use the env after it (from a copy, so that the build leaves nothing in the project)."""

    def put_back():
        original = folder / "original"
        shutil.copytree(project, original, ignore=shutil.ignore_patterns(*NOT_COPIED))
        run(reinstall_command(python, env), cwd=original, env=env)

    request.addfinalizer(put_back)


def install_into_session_env(request, python, source, project, env):
    """Install a changed copy of the session's plugin into one of its tox envs, for this test."""
    put_back_when_done(request, python, project, env, source.parent)
    run(reinstall_command(python, env), cwd=source, env=env)


def pythons_for(host):
    facts = HOSTS[host]
    return {line["python"] for line in facts["lines"]} | {facts["newest"]["python"], facts["development"]["python"]}


@pytest.fixture(scope="session", autouse=True)
def _rendered_hooks_stay_in_pytests_folder(tmp_path_factory):
    # cookiecutter 2.6 writes each rendered hook, answers included, to a temporary file that it
    # never deletes. Hundreds of bakes would leave hundreds of them in the system's /tmp; here
    # they go to pytest's own folder, which pytest prunes. TMPDIR: for the bakes in subprocesses.
    folder = str(tmp_path_factory.mktemp("tmp"))
    tempfile.tempdir = folder
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", folder)
        yield
    tempfile.tempdir = None


@pytest.fixture(scope="session", autouse=True)
def _host_snapshots_per_session(tmp_path_factory):
    # The generated dev servers and browser tests keep each host release's migrated database in
    # DEVHOST_CACHE (tools/host_snapshot.py). One folder per session: the first test of a host
    # proves that the copy is made, the later ones start from it, and no session inherits a copy
    # from an earlier one or from the machine's user.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEVHOST_CACHE", str(tmp_path_factory.mktemp("devhost-cache")))
        yield


# How long each bake's whole tox took, for the summary below: the part of the session that no
# test can share further, as every variant's suite must run at both ends once.
BAKES_TOX_SECONDS = {}


def pytest_terminal_summary(terminalreporter):
    if BAKES_TOX_SECONDS:
        terminalreporter.section("the generated plugins' tox runs")
        for name, seconds in sorted(BAKES_TOX_SECONDS.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{seconds:7.1f} s  {name}")
        total = sum(BAKES_TOX_SECONDS.values())
        terminalreporter.write_line(f"{total:7.1f} s  in all, {len(BAKES_TOX_SECONDS)} bakes")


@pytest.fixture(scope="session")
def green_plugin(tmp_path_factory):
    """Returns a bake whose whole tox run passed: (project, env, tox output). `parts` and
    `example` are the answers to those prompts; by default the template's defaults.

    Each bake's tox runs once per session, however many tests ask for it.
    """
    baked = {}

    def get(host, parts="", example="yes"):
        key = host, parts, example
        name = f"{host}-all-parts" if parts else host
        label = name if example == "yes" else f"{name}-without-example"
        shards.RECORDER.used(f"green_plugin[{label}]")
        if key not in baked:
            with shards.RECORDER.shared_work(f"green_plugin[{label}]"):
                baked[key] = tox_run(tmp_path_factory, host, parts, example, label)
        project, env, output, returncode = baked[key]
        if returncode != 0:
            pytest.fail(
                f"tox failed in the generated {host} plugin (parts: {parts or 'none'}, example: {example}):\n"
                + output[-20000:]
            )
        return project, env, output

    return get


def tox_run(tmp_path_factory, host, parts, example, label):
    """A bake's whole tox run: (project, env, output, return code)."""
    project = bake(tmp_path_factory.mktemp(label), host=host, parts=parts, example=example)
    env = tool_env(pythons_for(host))
    env["DIST_DIR"] = str(project / "dist")  # where `tox -e package` leaves what it built
    command = [sys.executable, "-m", "tox", "run-parallel", "-p", "2", "--parallel-live"]
    started = time.monotonic()
    result = run(command, cwd=project, env=env, check=False)
    BAKES_TOX_SECONDS[label] = time.monotonic() - started
    return project, env, result.stdout + result.stderr, result.returncode
