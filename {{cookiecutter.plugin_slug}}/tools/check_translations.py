"""The translation catalogs, checked against the code: `tox -e translations`.

Each catalog must compile with msgfmt's checks (a placeholder such as %(name)s kept in the
translation, a valid header), as building the package needs. Then it runs what
`tox -e makemessages` runs, on a copy of the package, and fails when a catalog lacks a message
that the code or a template marks for translation, or still holds one that nothing uses any
more. The catalogs themselves stay as they are: `tox -e makemessages` brings them up to date.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / {{ cookiecutter.module_name | tojson }}
# A msgid and its continuation lines; obsolete entries (#~) do not match.
MSGID = re.compile(r'^msgid ((?:"[^\n]*"\n)+)', re.MULTILINE)


def messages(catalog):
    """The msgids of a catalog as gettext writes them (escapes kept), without its header."""
    found = {
        "".join(line[1:-1] for line in lines.splitlines())
        for lines in MSGID.findall(catalog.read_text("utf-8"))
    }
    return found - {""}


def problems():
    catalogs = sorted(PACKAGE.glob("locale/*/LC_MESSAGES/*.po"))
    for catalog in catalogs:
        compiled = subprocess.run(
            ["msgfmt", "--check", "--output-file", os.devnull, str(catalog)], capture_output=True, text=True
        )
        if compiled.returncode:
            yield f"{catalog.relative_to(PACKAGE.parent.parent)} does not compile: {compiled.stderr.strip()}"
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(shutil.copytree(PACKAGE, Path(folder) / PACKAGE.name))
        command = ["django-admin", "makemessages", "--all", "--add-location", "file"]
        made = subprocess.run(command, cwd=copy, capture_output=True, text=True)
        if made.returncode:
            yield f"makemessages could not update the catalogs: {made.stderr.strip()}"
            return
        for catalog in catalogs:
            wanted = messages(copy / catalog.relative_to(PACKAGE))
            shipped = messages(catalog)
            name = catalog.relative_to(PACKAGE.parent.parent)
            if missing := sorted(wanted - shipped):
                yield f"{name} lacks {len(missing)} message(s) of the code: {missing}"
            if stale := sorted(shipped - wanted):
                yield f"{name} holds {len(stale)} message(s) that nothing uses: {stale}"


def main():
    found = list(problems())
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(
            "Run `tox -e makemessages`, translate the new messages and commit the catalogs.", file=sys.stderr
        )
        sys.exit(1)
    print("The catalogs hold exactly the messages of the code, and compile.")


if __name__ == "__main__":
    main()
