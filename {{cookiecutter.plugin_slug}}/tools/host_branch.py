{%- set host = cookiecutter._hosts[cookiecutter.host] -%}
{%- set branch = host.development -%}
{%- set override = cookiecutter.host.upper() ~ "_MAIN_URL" -%}
"""Install {{ cookiecutter.host }}'s development branch into the tox env that runs this, for
`tox -e {{ cookiecutter.host }}-main`: the tests then show what the next {{ cookiecutter.host }} release breaks before
admins install it.

{{ cookiecutter.host }} goes in the way its own CI installs it: a shallow clone of the branch, installed in
editable mode. A wheel built from a checkout would also build {{ cookiecutter.host }}'s static files{% if cookiecutter.host != "byro" %} (with
Node.js){% endif %}, which the tests do not need. Each run fetches the branch again; the clone lives in
the env's folder, `.tox/{{ cookiecutter.host }}-main/{{ cookiecutter.host }}`.

{{ override }} names another repository, a local clone or a mirror, e.g.
`{{ override }}=~/src/{{ cookiecutter.host }} tox -e {{ cookiecutter.host }}-main`. It must have the branch `{{ branch.branch }}`.
"""

import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = "{{ branch.repository }}"
BRANCH = "{{ branch.branch }}"
# The folder of the checkout that holds {{ cookiecutter.host }}'s pyproject.toml or setup.py.
SUBDIRECTORY = "{{ branch.subdirectory }}"
{%- if host.run.postgres_extra %}
# The PostgreSQL driver, which {{ cookiecutter.host }} ships as an extra: the env passes DATABASE_URL on.
EXTRAS = "[{{ host.run.postgres_extra }}]"
{%- else %}
EXTRAS = ""
{%- endif %}
OVERRIDE = "{{ override }}"


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def main():
    clone = Path(sys.argv[1])
    repository = os.environ.get(OVERRIDE) or REPOSITORY
    if Path(repository).expanduser().is_dir():
        # git ignores --depth for a plain path; as a file:// URL it makes the same shallow clone.
        repository = Path(repository).expanduser().resolve().as_uri()
    if (clone / ".git").is_dir():
        git("remote", "set-url", "origin", repository, cwd=clone)
        git("fetch", "--depth", "1", "origin", BRANCH, cwd=clone)
        git("reset", "--hard", "FETCH_HEAD", cwd=clone)
    else:
        git("clone", "--depth", "1", "--branch", BRANCH, repository, str(clone))
    package = clone / SUBDIRECTORY if SUBDIRECTORY else clone
    command = ["uv", "pip", "install", "--python", sys.executable, "--editable", f"{package}{EXTRAS}"]
    subprocess.run(command, check=True)
    commit = git("log", "-1", "--format=%h %cs %s", cwd=clone)
    print(f"{{ cookiecutter.host }} from {repository}, branch {BRANCH}: {commit}")


if __name__ == "__main__":
    main()
