"""Install the host's development branch into the tox env that runs this, for
`tox -e <host>-main` (`hostplugin host-branch DIR`): the plugin's tests then show what the next
host release breaks before admins install it.

The host goes in the way its own CI installs it: a shallow clone of the branch, installed in
editable mode. A wheel built from a checkout would also build the host's static files (with
Node.js, for pretix and pretalx), which the tests do not need. Each run fetches the branch
again; the clone lives in DIR, the env's folder.

<HOST>_MAIN_URL (PRETIX_MAIN_URL, …) names another repository, a local clone or a mirror, e.g.
`PRETIX_MAIN_URL=~/src/pretix tox -e pretix-main`. It must have the host's development branch.
"""

import os
import subprocess
import sys
from pathlib import Path


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def override_variable(host):
    return f"{host.upper()}_MAIN_URL"


def install(host, facts, clone):
    branch = facts["development"]
    clone = Path(clone)
    repository = os.environ.get(override_variable(host)) or branch["repository"]
    if Path(repository).expanduser().is_dir():
        # git ignores --depth for a plain path; as a file:// URL it makes the same shallow clone.
        repository = Path(repository).expanduser().resolve().as_uri()
    if (clone / ".git").is_dir():
        git("remote", "set-url", "origin", repository, cwd=clone)
        git("fetch", "--depth", "1", "origin", branch["branch"], cwd=clone)
        git("reset", "--hard", "FETCH_HEAD", cwd=clone)
    else:
        git("clone", "--depth", "1", "--branch", branch["branch"], repository, str(clone))
    package = clone / branch["subdirectory"] if branch["subdirectory"] else clone
    # The PostgreSQL driver, where the host ships it as an extra: the env passes DATABASE_URL on.
    extras = f"[{facts['run']['postgres_extra']}]" if facts["run"]["postgres_extra"] else ""
    command = ["uv", "pip", "install", "--python", sys.executable, "--editable", f"{package}{extras}"]
    subprocess.run(command, check=True)
    commit = git("log", "-1", "--format=%h %cs %s", cwd=clone)
    print(f"{host} from {repository}, branch {branch['branch']}: {commit}")


def main(argv, plugin):
    if len(argv) != 1:
        raise SystemExit("usage: hostplugin host-branch FOLDER (where the clone of the host goes)")
    install(plugin.host, plugin.facts, argv[0])
