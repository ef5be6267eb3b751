"""The plugin the toolkit works on, read from its pyproject.toml.

The host is the one whose entry-point group the plugin registers under, and the module is the
entry point's value (`module`, or `module:Meta` as the hosts' own cookiecutters write it: hosts
read only the module). A `[tool.hostplugin-toolkit]` table may name either instead:

    [tool.hostplugin-toolkit]
    host = "pretix"
    module = "pretix_my_plugin"
"""

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import hosts

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10, for the oldest pretix line
    import tomli as tomllib

TABLE = "hostplugin-toolkit"


@dataclass(frozen=True)
class Plugin:
    root: Path
    host: str
    module: str
    # The distribution's name on PyPI, [project] name.
    distribution: str = ""
    # The [tool.hostplugin-toolkit] table as written.
    settings: dict = field(default_factory=dict, compare=False)

    @property
    def facts(self):
        return hosts.facts(self.host)

    @property
    def demo_module(self):
        """Its demo data (`create(base_url)`): [tool.hostplugin-toolkit] demo, else tests/demo.py,
        or tools/demo.py where a plugin made before the demo moved still keeps its own there."""
        if self.settings.get("demo"):
            return self.settings["demo"]
        return "tools.demo" if (self.root / "tools" / "demo.py").is_file() else "tests.demo"

    @property
    def demo_note(self):
        """One line for a plugin that keeps its demo data in tools/demo.py beside the template's
        tests/demo.py (a template update leaves an edited tools/demo.py where it was), else None."""
        if self.settings.get("demo") or not (self.root / "tools" / "demo.py").is_file():
            return None
        if not (self.root / "tests" / "demo.py").is_file():
            return None
        return (
            "Demo data from tools/demo.py, yours; the template's moved to tests/demo.py: move your "
            "pages there and delete tools/ (or name a module in [tool.hostplugin-toolkit] demo)."
        )

    @property
    def settings_module(self):
        """The Django settings of its tests: what its pytest options name, else the toolkit's
        module for its host (hostplugin_toolkit.settings)."""
        data = tomllib.loads((self.root / "pyproject.toml").read_text("utf-8"))
        options = data.get("tool", {}).get("pytest", {}).get("ini_options", {})
        return options.get("DJANGO_SETTINGS_MODULE") or f"hostplugin_toolkit.settings.{self.host}"

    @property
    def package_dir(self):
        """The folder of the plugin's package in its checkout (src layout, or flat)."""
        for candidate in (self.root / "src" / self.module, self.root / self.module):
            if candidate.is_dir():
                return candidate
        raise SystemExit(f"No folder src/{self.module} or {self.module} in {self.root}.")


def find_root(start=None):
    """The plugin's checkout: PLUGIN_ROOT, or the nearest folder with a pyproject.toml upwards
    from the working directory (tox runs its commands from the plugin's folder)."""
    if os.environ.get("PLUGIN_ROOT"):
        return Path(os.environ["PLUGIN_ROOT"]).resolve()
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    raise SystemExit(f"No pyproject.toml in {start} or above: run this in the plugin's folder.")


def read(root=None):
    root = Path(root) if root else find_root()
    data = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    settings = data.get("tool", {}).get(TABLE, {})
    entry_points = data.get("project", {}).get("entry-points", {})
    registered = [(hosts.by_entry_point_group(group), points) for group, points in entry_points.items()]
    registered = [(host, points) for host, points in registered if host]
    host = settings.get("host") or (registered[0][0] if registered else None)
    if not host:
        groups = ", ".join(f'"{facts["entry_point_group"]}"' for facts in hosts.all_hosts().values())
        raise SystemExit(
            f"{root / 'pyproject.toml'} registers no entry point of a host ({groups}): add one, or "
            f'name the host in [tool.{TABLE}] as host = "pretix".'
        )
    hosts.facts(host)  # an unknown name stops here, with the names the toolkit knows
    module = settings.get("module")
    if not module:
        values = [value for name, points in registered if name == host for value in points.values()]
        if len(values) != 1:
            raise SystemExit(
                f"{root / 'pyproject.toml'} registers {len(values)} {host} entry points: name the "
                f'plugin\'s module in [tool.{TABLE}] as module = "{host}_my_plugin".'
            )
        module = values[0].split(":")[0].strip()
    distribution = data.get("project", {}).get("name", "")
    return Plugin(root=root, host=host, module=module, distribution=distribution, settings=settings)
