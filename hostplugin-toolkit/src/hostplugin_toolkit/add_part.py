"""Add building blocks to a plugin, or take them out: `tox -e add-part -- exporter` runs
`hostplugin add-part exporter`.

The plugin records the template and the answers it was made with in .cruft.json. This adds the
parts to the recorded ones and lets cruft render the template again and merge the difference
into the plugin, as a three-way merge: the part's own modules and tests arrive as new files, a
shared file gains only the lines the part needs (the import in apps.py's ready()), and the
author's own code stays. It refuses to start on uncommitted changes, so that `git diff` shows
exactly what the part changed and `git checkout .` takes it back.

    tox -e add-part -- exporter validation     add two parts
    tox -e add-part -- --preview exporter      show what would change, and change nothing
    tox -e add-part -- --remove exporter       take a part out again
    tox -e add-part -- --remove example        take the template's example out (`example` puts it back)
    tox -e update                              the template's newest changes, no part added or removed

`tox -e update` is `cruft update`, and more: where both the template and the author changed a
translation catalog, it merges the catalog entry by entry (below), where cruft's line-by-line
merge conflicts or leaves duplicate entries.

The example is not a part but the `example` answer; add-part switches it the same way. Databases
have applied the plugin's migrations, so they stay as they are: add-part puts back any the
template changed or deleted, leaves out any it brought, and has Django write the difference as
one new migration (`tox -e manage -- makemigrations`), which drops the example's tables or
creates them.

A part with a model (the payment provider's references) brings its migration, under the same
name in every plugin, so that the template's later migrations can build on it. When the author
has migrations of their own, it is a second leaf beside theirs: add-part writes the merge
migration that `makemigrations --merge` writes, which Django itself refuses when both leaves
start a history of their own (the part's first migration and the author's, in a plugin without
the example). Taking such a part out keeps its migration and adds the one that drops its table.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The plugin's folder, module and the folders of its catalogs and migrations, relative to that
# folder: set by configure() from the plugin's pyproject.toml before anything runs.
ROOT = Path.cwd()
MODULE = CATALOGS = MIGRATIONS = ""


def configure(plugin):
    global ROOT, MODULE, CATALOGS, MIGRATIONS
    package = plugin.package_dir.relative_to(plugin.root).as_posix()
    ROOT, MODULE = plugin.root, plugin.module
    CATALOGS, MIGRATIONS = f"{package}/locale/", f"{package}/migrations/"


# Not a part: the `example` answer, which add-part switches like one.
EXAMPLE = "example"


def recorded_answers():
    record = ROOT / ".cruft.json"
    if not record.exists():
        # Made with plain cookiecutter: .cookiecutter.json holds the answers to link with.
        sys.exit(
            "This plugin is not linked to its template yet: run `cruft link --no-input --extra-context "
            '"$(cat .cookiecutter.json)" <template>` and commit, then add the part.'
        )
    return json.loads(record.read_text())["context"]["cookiecutter"]


def recorded_parts(answers):
    return [part for part in answers.get("parts", "").replace(",", " ").lower().split() if part]


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd or ROOT, capture_output=True, text=True, check=True).stdout


def cruft_update(answers, cwd):
    """Render the template with the new answers and merge it in; return the files that did not
    merge cleanly. On failure, the one line that says why (the template's hook prints it; cruft
    adds a traceback of its own)."""
    store_the_templates_files(cwd)
    command = [sys.executable, "-m", "cruft", "update", "--skip-apply-ask", "--variables-to-update"]
    result = subprocess.run(
        [*command, json.dumps(answers)],
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
    return rebuild_catalogs(cwd, conflicts + [str(path.relative_to(cwd)) for path in Path(cwd).rglob("*.rej")])


def stop_on_conflicts(unmerged, then="commit"):
    if unmerged:
        sys.exit(
            f"The template's change did not merge cleanly into {', '.join(unmerged)}: "
            f"resolve the conflict markers (or apply the .rej hunks) by hand, then {then}."
        )


def catalog_entries(text):
    """A catalog's entries as their text, in order, keyed by (obsolete, msgctxt, msgid); the
    header's key is None. Entries are separated by blank lines."""
    entries = {}
    for block in filter(None, re.split(r"\n[ \t]*\n", text.strip())):
        fields, field, obsolete = {}, None, False
        for line in block.splitlines():
            obsolete = line.startswith("#~ ")
            line = line[3:] if obsolete else line
            if line.startswith("#"):
                continue
            keyword, _, value = line.partition(" ")
            if not keyword.startswith('"'):
                field, value = keyword, value
            else:
                value = line
            fields[field] = fields.get(field, "") + value.strip()[1:-1]
        key = (obsolete, fields.get("msgctxt"), fields.get("msgid", ""))
        entries[None if key == (False, None, "") else key] = block
    return entries


def is_translated(entry):
    if re.search(r"^#,.*\bfuzzy\b", entry, flags=re.MULTILINE):
        return False
    return bool(re.search(r'^(?:msgstr(?:\[\d+\])? )?"[^"\n]', entry.split("\nmsgstr", 1)[-1], flags=re.MULTILINE))


def merged_catalog(ours, base, theirs):
    """The catalog that the template's change from `base` to `theirs` makes of the author's
    `ours`, entry by entry: every translation the author wrote stays, the template's new
    messages arrive with the template's translation, each after the entry it follows in the
    template's catalog, an entry the author never changed follows the template's changes, and
    the messages the template dropped go. Undone by the reverse change."""
    ours, base, theirs = catalog_entries(ours), catalog_entries(base), catalog_entries(theirs)
    keys = [key for key in ours if not (key in base and key not in theirs)]
    order = list(theirs)
    for index, key in enumerate(order):
        if key in keys:
            continue
        before = next((earlier for earlier in reversed(order[:index]) if earlier in keys), None)
        keys.insert(keys.index(before) + 1 if before in keys else 0, key)
    chosen = []
    for key in keys:
        mine, template = ours.get(key), theirs.get(key)
        # The template's entry where the author left it as the template had it (the header
        # too), or did not translate it; the author's wherever they changed it.
        untouched = mine == base.get(key) or (is_translated(template or "") and not is_translated(mine or ""))
        chosen.append(template if mine is None or (template is not None and untouched) else mine)
    return "\n\n".join(chosen) + "\n"


def rendered(record, folder):
    """The plugin the template renders for a .cruft.json record: its folder."""
    template = folder / "template"
    if not template.exists():
        git("clone", "--quiet", record["template"], str(template), cwd=folder)
    git("checkout", "--quiet", "--detach", record["commit"], cwd=template)
    output = Path(tempfile.mkdtemp(dir=folder))
    answers = [f"{key}={value}" for key, value in record["context"]["cookiecutter"].items() if not key.startswith("_")]
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", str(output)]
    subprocess.run(
        [*command, str(template / (record.get("directory") or "")), *answers], capture_output=True, check=True
    )
    (plugin,) = output.iterdir()
    return plugin


def rendered_catalogs(record, folder):
    """The catalogs the template renders for a .cruft.json record: {path: text}."""
    plugin = rendered(record, folder)
    return {str(path.relative_to(plugin)): path.read_text() for path in (plugin / CATALOGS).rglob("*.po")}


def store_the_templates_files(cwd):
    """Write the files the template rendered at the recorded commit into the plugin's git
    objects. cruft's patch names each file's version at that commit, and git's three-way merge
    needs it: a plugin made from the template has it in its first commit, an adopted one
    (`hostplugin adopt`) never had it, and its shared files (pyproject.toml) would take the
    template's changes only as rejected hunks. Nothing is committed: the objects are loose."""
    folder = Path(tempfile.mkdtemp(prefix="update-base-"))
    try:
        plugin = rendered(json.loads((Path(cwd) / ".cruft.json").read_text()), folder)
        files = "\n".join(str(path) for path in plugin.rglob("*") if path.is_file())
        command = ["git", "hash-object", "-w", "--stdin-paths", "--no-filters"]
        subprocess.run(command, input=files, cwd=cwd, text=True, capture_output=True, check=True)
    except subprocess.CalledProcessError:
        pass  # the template cannot be rendered here: cruft merges as it can
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def rebuild_catalogs(cwd, unmerged):
    """Translation catalogs do not merge line by line: the template's new messages land next to
    the author's, and keeping both sides of a conflict leaves duplicate entries that msgfmt
    refuses. Rebuild each catalog the update touched from the entries of three catalogs: the
    author's, and the template's before and after. Returns the files still unmerged."""
    cwd = Path(cwd)
    touched = set(git("diff", "--name-only", "HEAD", "--", CATALOGS, cwd=cwd).split())
    touched |= {str(path.relative_to(cwd))[: -len(".rej")] for path in cwd.glob(f"{CATALOGS}**/*.po.rej")}
    touched = sorted(path for path in touched if path.endswith(".po"))
    if not touched:
        return unmerged
    folder = Path(tempfile.mkdtemp(prefix="add-part-catalogs-"))
    try:
        base = rendered_catalogs(json.loads(git("show", "HEAD:.cruft.json", cwd=cwd)), folder)
        theirs = rendered_catalogs(json.loads((cwd / ".cruft.json").read_text()), folder)
    except subprocess.CalledProcessError:
        return unmerged  # the template cannot be rendered here: git's merge stands
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for path in touched:
        ours = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=cwd, capture_output=True, text=True).stdout
        if path not in theirs:
            continue
        (cwd / path).write_text(merged_catalog(ours, base.get(path, ""), theirs[path]) if ours else theirs[path])
        (cwd / f"{path}.rej").unlink(missing_ok=True)
        if path in unmerged:
            git("add", "--", path, cwd=cwd)
    return [path for path in unmerged if path not in touched and path.removesuffix(".rej") not in touched]


def migrations_changed(which):
    """The plugin's migrations that the update brought (A), changed (M) or deleted (D)."""
    return git("diff", "--name-only", f"--diff-filter={which}", "HEAD", "--", MIGRATIONS).split()


def keep_the_migrations(keep_new=False):
    """Put back the migrations the update changed or deleted, and drop the ones it brought
    (unless keep_new: a part's own migration)."""
    for path in migrations_changed("MD"):
        git("checkout", "HEAD", "--", path)
    if not keep_new:
        for path in migrations_changed("A"):
            git("rm", "--force", "--quiet", path)


def leaf_migrations():
    """The plugin's migrations that no other of its migrations depends on. Django refuses to
    migrate an app with more than one."""
    names = {path.stem for path in (ROOT / MIGRATIONS).glob("[0-9]*.py")}
    needed = set()
    for name in names:
        text = (ROOT / MIGRATIONS / f"{name}.py").read_text()
        needed |= set(re.findall(rf"""\(\s*["']{MODULE}["']\s*,\s*["']([^"']+)["']\s*\)""", text))
    return sorted(names - needed)


MERGE = """from django.db import migrations


class Migration(migrations.Migration):
    # Written by add-part: joins the {name} migration to the plugin's own history.
    dependencies = [
{dependencies}
    ]

    operations = []
"""


def merge_the_migrations(name):
    """Write the migration that depends on every leaf, if there is more than one."""
    leaves = leaf_migrations()
    if len(leaves) < 2:
        return
    numbers = [int(path.name[:4]) for path in (ROOT / MIGRATIONS).glob("[0-9][0-9][0-9][0-9]_*.py")]
    path = ROOT / MIGRATIONS / f"{max(numbers) + 1:04d}_merge_{name}.py"
    dependencies = "\n".join(f'        ("{MODULE}", "{leaf}"),' for leaf in leaves)
    path.write_text(MERGE.format(name=name, dependencies=dependencies))
    git("add", "--", str(path.relative_to(ROOT)))


def write_the_migration(command):
    """Let Django write the difference between the migrations and the models as one new
    migration, with the command an author runs (the oldest supported host writes migrations that
    every supported host loads). tox is in this env, and reuses the manage env if it exists."""
    tox = [sys.executable, "-m", "tox", "run", "-q", "-e", "manage", "--"]
    if subprocess.run([*tox, *command], cwd=ROOT, check=False).returncode != 0:
        sys.exit(f"makemigrations failed: write the migration with `tox -e manage -- {' '.join(command)}`.")
    git("add", "--all", "--", MIGRATIONS)


def preview(answers):
    """Print the change as a diff, conflict markers included, and name the files that would not
    merge cleanly."""
    # A throwaway worktree of the last commit: the plugin's own files are never touched.
    folder = Path(tempfile.mkdtemp(prefix="add-part-"))
    try:
        git("worktree", "add", "--detach", "--quiet", str(folder / "plugin"))
        unmerged = cruft_update(answers, folder / "plugin")
        git("add", "--all", cwd=folder / "plugin")
        print(git("diff", "--cached", cwd=folder / "plugin") or "Nothing would change.")
    finally:
        git("worktree", "remove", "--force", str(folder / "plugin"))
        shutil.rmtree(folder, ignore_errors=True)
    if unmerged:
        sys.exit(
            f"The change would not merge cleanly into {', '.join(unmerged)} (the conflict markers are in "
            "the diff above): add-part would stop there for you to resolve them."
        )


def update(only_preview):
    if git("status", "--porcelain", "--untracked-files=no"):
        sys.exit("Commit or stash your changes first: then `git diff` shows exactly what the update changed.")
    if only_preview:
        preview({})
        return
    stop_on_conflicts(cruft_update({}, ROOT))
    print(git("status", "--short") or "The plugin is up to date with its template.")
    print("Review with `git diff`, run `tox`, then commit.")


def main(argv, plugin):
    configure(plugin)
    parser = argparse.ArgumentParser(prog="tox -e add-part --", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help="the parts, as at the template's parts prompt, or `example`")
    parser.add_argument("--preview", action="store_true", help="show the change, change nothing")
    parser.add_argument("--remove", action="store_true", help="take the parts out instead")
    parser.add_argument(
        "--update", action="store_true", help="only bring in the template's newest changes (`tox -e update`)"
    )
    options = parser.parse_args(argv)
    if options.update:
        if options.parts or options.remove:
            parser.error("--update adds and removes no part: run `tox -e update` on its own")
        update(options.preview)
        return
    if not options.parts:
        parser.error("name the parts to add, e.g. `tox -e add-part -- exporter`")

    requested = [part.lower() for part in " ".join(options.parts).replace(",", " ").split()]
    answers = recorded_answers()
    have = recorded_parts(answers)
    if EXAMPLE in requested:
        if requested != [EXAMPLE]:
            sys.exit("Switch the example on its own: `tox -e add-part -- example` or `-- --remove example`.")
        # Plugins made before the `example` prompt have the example.
        has_example = answers.get(EXAMPLE, "yes") == "yes"
        if has_example and not options.remove:
            sys.exit("This plugin has the example already.")
        if options.remove and not has_example:
            sys.exit("This plugin has no example to remove.")
        change = {EXAMPLE: "no" if options.remove else "yes"}
    elif options.remove:
        missing = [part for part in requested if part not in have]
        if missing:
            sys.exit(f"This plugin has no {', '.join(missing)}; its parts are: {', '.join(have) or 'none'}.")
        parts = [part for part in have if part not in requested]
        change = {"parts": ",".join(parts)}
    else:
        parts = have + [part for part in requested if part not in have]
        if parts == have:
            sys.exit(f"This plugin already has {', '.join(requested)}.")
        change = {"parts": ",".join(parts)}
    if git("status", "--porcelain", "--untracked-files=no"):
        sys.exit("Commit or stash your changes first: then `git diff` shows exactly what the part changed.")

    if options.preview:
        preview(change)
        if EXAMPLE in change:
            print("add-part would also write the migration that drops or creates the example's tables.")
        return
    unmerged = cruft_update(change, ROOT)
    if EXAMPLE in change:
        keep_the_migrations()
        name = "remove_example" if options.remove else "add_example"
        makemigrations = ["makemigrations", MODULE, "--name", name]
        then = f"write the migration with `tox -e manage -- {' '.join(makemigrations)}`, and commit"
        stop_on_conflicts(unmerged, then)
        write_the_migration(makemigrations)
        done = "The example is out." if options.remove else "The example is back."
    else:
        # Named after the part's migrations (0002_payment_references: payment_references).
        name = "_".join(
            Path(path).stem.split("_", 1)[-1] for path in migrations_changed("D" if options.remove else "A")
        )
        makemigrations = None
        if options.remove and name:
            # The part's table goes: its migration stays, for the databases that applied it.
            keep_the_migrations()
            makemigrations = ["makemigrations", MODULE, "--name", f"remove_{name}"]
        elif name:
            # The part's migration, beside the author's: join the two.
            keep_the_migrations(keep_new=True)
            merge_the_migrations(name)
        if makemigrations:
            then = f"write the migration with `tox -e manage -- {' '.join(makemigrations)}`, and commit"
            stop_on_conflicts(unmerged, then)
            write_the_migration(makemigrations)
        else:
            stop_on_conflicts(unmerged)
        done = f"Parts now: {change['parts'].replace(',', ', ') or 'none'}."
    print(git("status", "--short"))
    print(f"{done} Review with `git diff`, run `tox`, then commit.")
