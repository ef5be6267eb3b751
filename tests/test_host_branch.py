"""`tox -e HOST-main`: the generated plugin's tests inside the host's development branch.

This machine cannot reach the hosts' git repositories. A stand-in does: a git repository made
from the sdist of the host's newest release, laid out as the host's own repository is (the
package in `subdirectory`) on the branch the host table names. The override variable points the
env at it, as an author points it at a local clone. A second commit on that branch removes a
signal the default plugin uses, as a host's refactoring might: the env must turn red, with the
reason in its output.
"""

import hashlib
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

import pytest

from .conftest import GIT_IDENTITY, HOSTS, run, tool_env

INDEX = "https://pypi.org/simple"
# A signal the default plugin (example included) connects to, and the module that defines it,
# below the package folder of the host's checkout.
REMOVED_SIGNAL = {
    "pretix": ("pretix/presale/signals.py", "front_page_top"),
    "pretalx": ("pretalx/cfp/signals.py", "footer_link"),
    "byro": ("byro/office/signals.py", "member_view"),
}


def newest_sdist(host, folder):
    """The sdist of the host's newest release, from PyPI's simple index, its hash checked."""
    name, version = HOSTS[host]["pypi_name"], HOSTS[host]["newest"]["version"]
    with urllib.request.urlopen(f"{INDEX}/{name}/", timeout=60) as response:
        page = response.read().decode()
    found = re.search(rf'href="([^"]+/{re.escape(name)}-{re.escape(version)}\.tar\.gz)#sha256=([0-9a-f]+)"', page)
    assert found, f"PyPI has no sdist of {name} {version}"
    url, sha256 = found.groups()
    with urllib.request.urlopen(url, timeout=300) as response:
        data = response.read()
    assert hashlib.sha256(data).hexdigest() == sha256, url
    path = folder / f"{name}-{version}.tar.gz"
    path.write_bytes(data)
    return path


def git(*args, cwd):
    return run(["git", *args], cwd=cwd, env=tool_env() | GIT_IDENTITY).stdout.strip()


@pytest.fixture(scope="module")
def stand_in_branch(tmp_path_factory):
    made = {}

    def get(host):
        if host not in made:
            development = HOSTS[host]["development"]
            folder = tmp_path_factory.mktemp(f"{host}-branch")
            with tarfile.open(newest_sdist(host, folder)) as sdist:
                sdist.extractall(folder / "unpacked", filter="data")
            (release,) = (folder / "unpacked").iterdir()
            repository = folder / host
            package = repository / development["subdirectory"]
            package.parent.mkdir(parents=True, exist_ok=True)
            release.rename(package)
            git("init", "--quiet", "--initial-branch", development["branch"], cwd=repository)
            git("add", "--all", cwd=repository)
            git("commit", "--quiet", "--message", f"{host} {HOSTS[host]['newest']['version']}", cwd=repository)
            made[host] = repository, package
        return made[host]

    return get


def branch_env(host):
    facts = HOSTS[host]
    return tool_env({facts["development"]["python"]})


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_development_branch_env_runs_the_suite_and_turns_red_when_the_branch_breaks(
    green_plugin, stand_in_branch, host
):
    project, _, _ = green_plugin(host)
    repository, package = stand_in_branch(host)
    env_name = f"{host}-main"
    env = branch_env(host) | {f"{host.upper()}_MAIN_URL": str(repository)}
    tox = [sys.executable, "-m", "tox", "run", "-e", env_name]
    development = HOSTS[host]["development"]

    green = run(tox, cwd=project, env=env, check=False)
    output = green.stdout + green.stderr
    assert green.returncode == 0, output[-20000:]
    head = git("rev-parse", "--short", "HEAD", cwd=repository)
    assert f"branch {development['branch']}: {head} " in output, output[-5000:]
    assert re.search(r"^=+ (\d+) passed", output, re.MULTILINE), output[-5000:]
    # The host the tests ran in is the branch's checkout, not a release from PyPI.
    python = project / ".tox" / env_name / "bin" / "python"
    where = run([str(python), "-c", f"import {host}; print({host}.__file__)"], cwd=project, env=env).stdout
    checkout = project / ".tox" / env_name / host / development["subdirectory"]
    assert Path(where.strip()).is_relative_to(checkout.resolve()), where

    # The branch moves on and drops a signal the plugin connects to: the next run fetches it
    # and fails, saying which import broke.
    module, signal = REMOVED_SIGNAL[host]
    source = package / "src" / module if (package / "src" / module).exists() else package / module
    text = source.read_text()
    assert re.search(rf"^{signal} = ", text, re.MULTILINE), f"{module} no longer defines {signal}"
    source.write_text(re.sub(rf"^{signal} = ", f"{signal}_renamed = ", text, flags=re.MULTILINE))
    git("commit", "--quiet", "--all", "--message", f"Rename {signal}", cwd=repository)
    red = run(tox, cwd=project, env=env, check=False)
    output = red.stdout + red.stderr
    assert red.returncode != 0, output[-5000:]
    assert f"cannot import name '{signal}'" in output, output[-5000:]
