"""`hostplugin package DIST`: build the plugin's sdist and wheel once, check them, and install the
wheel into the running env, for `tox -e package` to run the tests against it.

1. `python -m build` (with uv) builds the sdist, and the wheel from the sdist, as PyPI will
   serve them; the catalogs are compiled on the way (hostplugin_toolkit.build).
2. `twine check --strict`: the metadata and the README render on PyPI.
3. `check-wheel-contents`: nothing of the source package is missing from the wheel (W101: a
   template, a migration, a catalog), and nothing stray is in it. Django's migrations are named
   0001_initial.py, which is not an importable module name, so W004 does not apply. A file that
   does not matter at run time may be in the wheel or not, as long as both sides agree where it
   is: translators' templates (locale/django.pot, which Weblate reads) and hidden files
   (templates/<module>/.gitkeep, which the hosts' cookiecutters write).
4. The wheel just built replaces whatever of the plugin the env holds.

The tools come from the plugin's `package` dependency group, so the plugin pins them.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

# check-wheel-contents' own default for --package-omit.
TRAVERSAL_EXCLUSIONS = [".*", "CVS", "RCS", "*.pyc", "*.pyo", "*.egg-info"]


def run(command, plugin):
    print("hostplugin package:", " ".join(command), flush=True)
    if subprocess.run(command, cwd=plugin.root, check=False).returncode:
        raise SystemExit(f"hostplugin package: `{' '.join(command[:3])} …` failed (see above).")


def tool(name):
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"hostplugin package: {name} is missing; add it to the plugin's `package` dependency group.")
    return found


def package_omit(package_dir, wheel):
    """check-wheel-contents' --package-omit for this wheel: its defaults, but hidden files and
    .pot files are compared only where the wheel ships them, and left out where it does not."""
    shipped = {PurePosixPath(name).name for name in zipfile.ZipFile(wheel).namelist()}
    optional = {
        path.name
        for path in Path(package_dir).rglob("*")
        if path.is_file() and (path.name.startswith(".") or path.suffix == ".pot")
    }
    visible = [pattern for pattern in TRAVERSAL_EXCLUSIONS if pattern != ".*"]
    if not optional & shipped:
        return ",".join([*TRAVERSAL_EXCLUSIONS, "*.pot"])
    return ",".join([*visible, *sorted(optional - shipped)])


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
    (wheel,) = [path for path in built if path.endswith(".whl")]
    checks = [tool("check-wheel-contents"), "--package", str(package), "--toplevel", plugin.module]
    omit = package_omit(plugin.package_dir, wheel)
    run([*checks, "--package-omit", omit, "--ignore", "W004", wheel], plugin)
    run([tool("uv"), "pip", "install", "--python", sys.executable, "--no-deps", "--reinstall", wheel], plugin)
