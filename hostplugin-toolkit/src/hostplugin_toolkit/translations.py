"""The translation catalogs, checked against the code: `tox -e translations` runs
`hostplugin translations`.

Each catalog must compile with msgfmt's checks (a placeholder such as %(name)s kept in the
translation, a valid header), as building the package needs. Then it runs what
`tox -e makemessages` runs, on a copy of the package, and fails when a catalog lacks a message
that the code or a template marks for translation, or still holds one that nothing uses any
more; JavaScript catalogs (djangojs.po) against the gettext() calls of the plugin's scripts. The
catalogs themselves stay as they are: `tox -e makemessages` brings them up to date.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Django's makemessages as pretix's and pretalx's own catalogs are made: --add-location file, so
# that each entry names its files but no line numbers, and a moved line changes no catalog. It
# runs in the plugin's package folder with no host and no settings: it then scans only the
# package and updates only its catalogs (a host's settings add the host's languages, and pretalx
# replaces the command with one for its own repository).
MAKEMESSAGES = ["django-admin", "makemessages", "--add-location", "file"]

# A msgid and its continuation lines; obsolete entries (#~) do not match.
MSGID = re.compile(r'^msgid ((?:"[^\n]*"\n)+)', re.MULTILINE)


def messages(catalog):
    """The msgids of a catalog as gettext writes them (escapes kept), without its header."""
    found = {
        "".join(line[1:-1] for line in lines.splitlines()) for lines in MSGID.findall(Path(catalog).read_text("utf-8"))
    }
    return found - {""}


def domains(catalogs):
    """The gettext domains the plugin has catalogs of: django (Python and templates), and
    djangojs (gettext() in its JavaScript) where it has those."""
    return sorted({catalog.stem for catalog in catalogs} & {"django", "djangojs"}) or ["django"]


def problems(package):
    """What is wrong with the catalogs of the package folder `package`, one line each."""
    root = package.parent.parent if package.parent.name == "src" else package.parent
    catalogs = sorted(package.glob("locale/*/LC_MESSAGES/*.po"))
    for catalog in catalogs:
        compiled = subprocess.run(
            ["msgfmt", "--check", "--output-file", os.devnull, str(catalog)], capture_output=True, text=True
        )
        if compiled.returncode:
            yield f"{catalog.relative_to(root)} does not compile: {compiled.stderr.strip()}"
    if not catalogs:
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(shutil.copytree(package, Path(folder) / package.name))
        for domain in domains(catalogs):
            made = subprocess.run([*MAKEMESSAGES, "--all", "-d", domain], cwd=copy, capture_output=True, text=True)
            if made.returncode:
                yield f"makemessages could not update the {domain} catalogs: {made.stderr.strip()}"
                return
        for catalog in catalogs:
            wanted = messages(copy / catalog.relative_to(package))
            shipped = messages(catalog)
            name = catalog.relative_to(root)
            if missing := sorted(wanted - shipped):
                yield f"{name} lacks {len(missing)} message(s) of the code: {missing}"
            if stale := sorted(shipped - wanted):
                yield f"{name} holds {len(stale)} message(s) that nothing uses: {stale}"


def main(plugin):
    package = plugin.package_dir
    found = list(problems(package))
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print("Run `tox -e makemessages`, translate the new messages and commit the catalogs.", file=sys.stderr)
        sys.exit(1)
    if not list(package.glob("locale/*/LC_MESSAGES/*.po")):
        print(f"No catalogs yet: `tox -e makemessages -- --locale de` starts one in {package.name}/locale.")
        return
    print("The catalogs hold exactly the messages of the code, and compile.")


def makemessages(argv, plugin):
    """`hostplugin makemessages [OPTION …]`: every catalog of the plugin updated from the code and
    the templates, or only the languages named with --locale/-l (which starts a new one: Django
    ignores --locale next to --all)."""
    names_a_locale = any(arg in ("-l", "--locale") or arg.startswith(("--locale=", "-l")) for arg in argv)
    names_a_domain = any(arg in ("-d", "--domain") or arg.startswith(("--domain=", "-d")) for arg in argv)
    command = [*MAKEMESSAGES, *([] if names_a_locale else ["--all"]), *argv]
    # Each domain the plugin has catalogs of, unless the command names one.
    found = domains(plugin.package_dir.glob("locale/*/LC_MESSAGES/*.po"))
    for domain in [None] if names_a_domain else found:
        returncode = subprocess.run([*command, *(["-d", domain] if domain else [])], cwd=plugin.package_dir).returncode
        if returncode:
            sys.exit(returncode)
    sys.exit(0)
