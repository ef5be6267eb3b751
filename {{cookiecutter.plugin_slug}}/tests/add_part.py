"""Add building blocks to this plugin, or take them out: `tox -e add-part -- exporter`.

The plugin records the template and the answers it was made with in .cruft.json. This adds the
parts to the recorded ones and lets cruft render the template again and merge the difference
into the plugin, as a three-way merge: the part's own modules and tests arrive as new files, a
shared file gains only the lines the part needs (the import in apps.py's ready()), and the
author's own code stays. It refuses to start on uncommitted changes, so that `git diff` shows
exactly what the part changed and `git checkout .` takes it back.

    tox -e add-part -- exporter validation     add two parts
    tox -e add-part -- --preview exporter      show what would change, and change nothing
    tox -e add-part -- --remove exporter       take a part out again
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def recorded_parts():
    record = ROOT / ".cruft.json"
    if not record.exists():
        # Made with plain cookiecutter: .cookiecutter.json holds the answers to link with.
        sys.exit(
            "This plugin is not linked to its template yet: run `cruft link --no-input --extra-context "
            '"$(cat .cookiecutter.json)" <template>` and commit, then add the part.'
        )
    answers = json.loads(record.read_text())["context"]["cookiecutter"]
    return [part for part in answers.get("parts", "").replace(",", " ").lower().split() if part]


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def cruft_update(parts, cwd):
    """Render the template with the new parts and merge it in; on failure, the one line that says
    why (the template's hook prints it; cruft adds a traceback of its own)."""
    command = [sys.executable, "-m", "cruft", "update", "--skip-apply-ask", "--variables-to-update"]
    result = subprocess.run(
        [*command, json.dumps({"parts": ",".join(parts)})],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).splitlines()
        reason = next((line for line in output if line.startswith("Error: ")), None)
        sys.exit(reason or "cruft update failed:\n" + "\n".join(output[-20:]))
    conflicts = git("diff", "--name-only", "--diff-filter=U", cwd=cwd).split()
    rejected = [str(path.relative_to(cwd)) for path in Path(cwd).rglob("*.rej")]
    if conflicts or rejected:
        sys.exit(
            f"The template's change did not merge cleanly into {', '.join(conflicts + rejected)}: "
            "resolve the conflict markers (or apply the .rej hunks) by hand, then commit."
        )


def preview(parts):
    # A throwaway worktree of the last commit: the plugin's own files are never touched.
    folder = Path(tempfile.mkdtemp(prefix="add-part-"))
    try:
        git("worktree", "add", "--detach", "--quiet", str(folder / "plugin"))
        cruft_update(parts, folder / "plugin")
        git("add", "--all", cwd=folder / "plugin")
        print(git("diff", "--cached", cwd=folder / "plugin") or "Nothing would change.")
    finally:
        git("worktree", "remove", "--force", str(folder / "plugin"))
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(prog="tox -e add-part --", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", help="the parts, as at the template's parts prompt")
    parser.add_argument("--preview", action="store_true", help="show the change, change nothing")
    parser.add_argument("--remove", action="store_true", help="take the parts out instead")
    options = parser.parse_args()

    requested = [part.lower() for part in " ".join(options.parts).replace(",", " ").split()]
    have = recorded_parts()
    if options.remove:
        missing = [part for part in requested if part not in have]
        if missing:
            sys.exit(f"This plugin has no {', '.join(missing)}; its parts are: {', '.join(have) or 'none'}.")
        parts = [part for part in have if part not in requested]
    else:
        parts = have + [part for part in requested if part not in have]
        if parts == have:
            sys.exit(f"This plugin already has {', '.join(requested)}.")
    if git("status", "--porcelain", "--untracked-files=no"):
        sys.exit("Commit or stash your changes first: then `git diff` shows exactly what the part changed.")

    if options.preview:
        preview(parts)
        return
    cruft_update(parts, ROOT)
    print(git("status", "--short"))
    print(f"Parts now: {', '.join(parts) or 'none'}. Review with `git diff`, run `tox`, then commit.")


if __name__ == "__main__":
    main()
