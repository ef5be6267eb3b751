"""The toolkit package (hostplugin-toolkit/) as the generated plugins get it in these tests.

It is not on PyPI yet: every process that bakes and runs plugins builds its wheel once and
points uv at it with UV_FIND_LINKS (tox-uv passes UV_* on to the envs' installs), as a
plugin generated from a clone of the template does by hand (see hostplugin-toolkit/README.md).

`python -m tests.toolkit --write-hosts` copies the host table of cookiecutter.json into the
package; test_toolkit.py fails while the two differ.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent
PACKAGE = TEMPLATE / "hostplugin-toolkit"
MODULE = PACKAGE / "src" / "hostplugin_toolkit"
HOSTS_FILE = MODULE / "hosts.json"
# What a build leaves in the package's folder, never part of the sources.
LEFT_OUT = ("build", "dist", "*.egg-info", "__pycache__")


def hosts_json():
    """What hosts.json must hold: cookiecutter.json's host table."""
    hosts = json.loads((TEMPLATE / "cookiecutter.json").read_text())["_hosts"]
    return json.dumps(hosts, indent=2, ensure_ascii=False) + "\n"


def source_digest(package):
    digest = hashlib.sha256()
    for path in sorted((package / "src").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(package)}\0".encode() + path.read_bytes())
    digest.update((package / "pyproject.toml").read_bytes())
    return digest.hexdigest()[:12]


def build_wheel(out_dir, package=PACKAGE):
    """Build the toolkit's wheel (of this checkout, or of a changed copy) into out_dir.

    Its version carries a local label with a digest of the sources (0.1.0+g1234abcd…): the
    plugins' pin `==0.1.0` matches it, as PEP 440 says, and uv's cache, which keeps a wheel by
    its name, can never hand out an earlier build of the same version.
    """
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(shutil.copytree(package, Path(folder) / "toolkit", ignore=shutil.ignore_patterns(*LEFT_OUT)))
        init = copy / "src" / "hostplugin_toolkit" / "__init__.py"
        text = init.read_text()
        version = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)[1]
        labelled = f"{version}+g{source_digest(copy)}"
        init.write_text(text.replace(f'__version__ = "{version}"', f'__version__ = "{labelled}"'))
        command = [sys.executable, "-m", "uv", "build", "--quiet", "--wheel", "--out-dir", str(out_dir), str(copy)]
        subprocess.run(command, check=True, capture_output=True, stdin=subprocess.DEVNULL)


def sources_module(name):
    """A module of the toolkit, imported from this checkout's sources (for the Browser of the
    install check, which the template's tests use to log in to the dev servers)."""
    import importlib

    if str(MODULE.parent) not in sys.path:
        sys.path.append(str(MODULE.parent))
    return importlib.import_module(f"hostplugin_toolkit.{name}")


@cache
def wheel_folder():
    """A folder holding this checkout's toolkit wheel, built once per process."""
    folder = Path(tempfile.mkdtemp(prefix="toolkit-wheel-"))
    build_wheel(folder)
    return folder


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-hosts"]:
        HOSTS_FILE.write_text(hosts_json())
        print(f"wrote {HOSTS_FILE.relative_to(TEMPLATE)}")
    else:
        sys.exit("usage: python -m tests.toolkit --write-hosts")
