"""`hostplugin package DIST`: build the plugin's sdist and wheel once, check them, and install the
wheel into the running env, for `tox -e package` to run the tests against it.

1. `python -m build` (with uv) builds the sdist, and the wheel from the sdist, as PyPI will
   serve them; the catalogs are compiled on the way (hostplugin_toolkit.build).
2. `twine check --strict`: the metadata and the README render on PyPI.
3. `check-wheel-contents`: nothing of the source package is missing from the wheel (W101: a
   template, a migration, a catalog), and nothing stray is in it. Django's migrations are named
   0001_initial.py, which is not an importable module name, so W004 does not apply.
4. The wheel just built replaces whatever of the plugin the env holds.

The tools come from the plugin's `package` dependency group, so the plugin pins them.
"""

import shutil
import subprocess
import sys
from pathlib import Path


def run(command, plugin):
    print("hostplugin package:", " ".join(command), flush=True)
    if subprocess.run(command, cwd=plugin.root, check=False).returncode:
        raise SystemExit(f"hostplugin package: `{' '.join(command[:3])} …` failed (see above).")


def tool(name):
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"hostplugin package: {name} is missing; add it to the plugin's `package` dependency group.")
    return found


def main(argv, plugin):
    if len(argv) != 1:
        raise SystemExit("hostplugin package: name the folder for the built files, e.g. `hostplugin package dist`.")
    dist = Path(argv[0]).resolve()
    # Only this build's files are checked: the folder may hold older ones (nothing is deleted).
    before = {path: path.stat().st_mtime_ns for path in dist.glob("*")} if dist.is_dir() else {}
    package = plugin.package_dir.relative_to(plugin.root)
    run([sys.executable, "-m", "build", "--installer", "uv", "--outdir", str(dist), "."], plugin)
    built = sorted(str(path) for path in dist.glob("*") if before.get(path) != path.stat().st_mtime_ns)
    run([tool("twine"), "check", "--strict", *built], plugin)
    checks = [tool("check-wheel-contents"), "--package", str(package), "--toplevel", plugin.module]
    wheels = [path for path in built if path.endswith(".whl")]
    run([*checks, "--ignore", "W004", *wheels], plugin)
    (wheel,) = wheels
    run([tool("uv"), "pip", "install", "--python", sys.executable, "--no-deps", "--reinstall", wheel], plugin)
