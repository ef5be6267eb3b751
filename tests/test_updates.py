"""A generated plugin takes the template's later changes with cruft, without losing its own code."""

import difflib
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from . import toolkit
from .conftest import (
    GIT_IDENTITY,
    HOSTS,
    TEMPLATE,
    all_parts,
    bake,
    pythons_for,
    run,
    tool_env,
)

NOT_COPIED = (
    ".git",
    ".tox",
    ".venv",
    "node_modules",
    "_build",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".e2e-artifacts",
    "results",
)
# A template change B that touches files the template owns: a new tox env, a changed workflow.
NEW_ENV = """
[env.template-news]
description = "added by a later template"
skip_install = true
commands = [["python", "-c", "print('news')"]]
"""
OLD_CRON, NEW_CRON = 'cron: "17 4 * * 1"', 'cron: "23 4 * * 2"'
# An author's own changes, to files the author owns.
AUTHOR_RECEIVER = '''

from django.core.signals import request_finished  # noqa: E402


@receiver(request_finished, dispatch_uid="{module}_author_request_finished")
def author_request_finished(sender, **kwargs):
    """Written by the plugin's author after generation."""
'''


def git(*args, cwd, env):
    return run(["git", *args], cwd=cwd, env=env).stdout.strip()


@pytest.fixture
def template_repo(tmp_path):
    """A git repository holding the template as it is now (commit A)."""
    repo = Path(shutil.copytree(TEMPLATE, tmp_path / "template", ignore=shutil.ignore_patterns(*NOT_COPIED)))
    env = tool_env() | GIT_IDENTITY
    git("init", "-q", "-b", "main", cwd=repo, env=env)
    git("add", "-A", cwd=repo, env=env)
    git("commit", "-q", "-m", "A", cwd=repo, env=env)
    return repo, env


def cruft(*args, cwd, env, check=True):
    return run([sys.executable, "-m", "cruft", *args], cwd=cwd, env=env, check=check)


def create(template_repo, tmp_path, host, example="yes", **answers):
    repo, env = template_repo
    out = tmp_path / "plugins"
    out.mkdir()
    cruft(
        "create",
        "--no-input",
        "--extra-context",
        json.dumps({"host": host, "example": example, **answers}),
        "--output-dir",
        str(out),
        str(repo),
        cwd=out,
        env=env,
    )
    (project,) = out.iterdir()
    git("init", "-q", "-b", "main", cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "Generated", cwd=project, env=env)
    return project


def commit_template_change(repo, env):
    plugin = repo / "{{cookiecutter.plugin_slug}}"
    with (plugin / "tox.toml").open("a") as tox_config:
        tox_config.write(NEW_ENV)
    workflow = plugin / ".github" / "workflows" / "tests.yml"
    assert OLD_CRON in workflow.read_text()
    workflow.write_text(workflow.read_text().replace(OLD_CRON, NEW_CRON))
    git("commit", "-q", "-am", "B: a new tox env, tests on Tuesdays", cwd=repo, env=env)
    return git("rev-parse", "HEAD", cwd=repo, env=env)


def author_edits(project, env):
    module = next((project / "src").glob("*/__init__.py")).parent
    with (module / "signals.py").open("a") as signals:
        # Named as the generated suite's test_isolation.py requires.
        signals.write(AUTHOR_RECEIVER.replace("{module}", module.name))
    views = module / "views.py"
    edited = re.sub(r'(class \w+View\(.*\):\n    """)', r"\1Edited by the author. ", views.read_text(), count=1)
    assert edited != views.read_text()
    views.write_text(edited)
    git("commit", "-q", "-am", "The author's own code", cwd=project, env=env)
    return {path: path.read_text() for path in (module / "signals.py", views)}


# Commits on main that plugins were made from: issues 17 and 18 landed at the first; the second
# is the last before the `example` prompt. Every later template must update them: cruft renders
# the old commit and the new one in the same process.
EARLIER_COMMITS = ["2a72006", "4c34708"]
BEFORE_THE_EXAMPLE_PROMPT = "4c34708"
WITH_THE_EXAMPLE_PROMPT = "bcc7e8c"


def test_the_templates_ci_checks_out_the_commits_these_tests_update_from():
    # The update tests skip themselves in a shallow clone; GitHub's checkout makes one unless
    # told otherwise, and the tests would then never run there.
    import yaml

    workflow = yaml.safe_load((TEMPLATE / ".github" / "workflows" / "ci.yml").read_text())
    job = workflow["jobs"]["tests"]
    (checkout,) = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize(
    ("earlier_commit", "answers"),
    [
        *(pytest.param(commit, {}, id=commit) for commit in EARLIER_COMMITS),
        # Parts made before the example prompt read the example's model; they change with this
        # template, and the update must bring the new parts without a conflict.
        *(
            pytest.param(
                BEFORE_THE_EXAMPLE_PROMPT,
                {"host": host, "parts": all_parts(host)},
                id=f"{BEFORE_THE_EXAMPLE_PROMPT}-{host}-all-parts",
            )
            for host in sorted(HOSTS)
        ),
    ],
)
def test_a_plugin_made_from_an_earlier_commit_updates_to_this_one(tmp_path, earlier_commit, answers):
    env = tool_env() | GIT_IDENTITY
    if run(["git", "cat-file", "-e", f"{earlier_commit}^{{commit}}"], cwd=TEMPLATE, check=False).returncode:
        pytest.skip(f"the template's git history does not reach {earlier_commit} (a shallow clone)")
    repo = tmp_path / "template"
    git("clone", "-q", str(TEMPLATE), str(repo), cwd=tmp_path, env=env)
    made = {}
    for name, checkout in (("earlier", earlier_commit), ("now", "HEAD")):
        out = tmp_path / name
        out.mkdir()
        options = ["--extra-context", json.dumps(answers)] if answers else []
        cruft(
            "create",
            "--no-input",
            *options,
            "--checkout",
            checkout,
            "--output-dir",
            str(out),
            str(repo),
            cwd=out,
            env=env,
        )
        (made[name],) = out.iterdir()
    project = made["earlier"]
    before = tree(project)
    git("init", "-q", "-b", "main", cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "Generated", cwd=project, env=env)

    result = cruft("update", "--skip-apply-ask", cwd=project, env=env, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    # Nobody changed the plugin, so the update must give exactly what the template makes now.
    updated, fresh = tree(project), tree(made["now"])
    for files in (updated, fresh):
        del files[Path(".cruft.json")]
    assert updated.keys() == fresh.keys()
    assert [path for path in fresh if updated[path] != fresh[path]] == []
    if earlier_commit == BEFORE_THE_EXAMPLE_PROMPT and not answers:
        recorded = json.loads(updated[Path(".cookiecutter.json")])
        assert recorded.pop("example") == "yes"
        assert recorded == json.loads(before[Path(".cookiecutter.json")])


def test_the_example_prompt_left_a_default_plugin_as_it_was(tmp_path):
    # The commit that brought the `example` prompt changed nothing in a default plugin but the
    # recorded answers: plugins made before keep their example through `cruft update`. (Later
    # commits change default plugins as any template change does; the test above merges those.)
    env = tool_env() | GIT_IDENTITY
    if run(["git", "cat-file", "-e", f"{WITH_THE_EXAMPLE_PROMPT}^{{commit}}"], cwd=TEMPLATE, check=False).returncode:
        pytest.skip(f"the template's git history does not reach {WITH_THE_EXAMPLE_PROMPT} (a shallow clone)")
    repo = tmp_path / "template"
    git("clone", "-q", str(TEMPLATE), str(repo), cwd=tmp_path, env=env)
    made = {}
    for checkout in (BEFORE_THE_EXAMPLE_PROMPT, WITH_THE_EXAMPLE_PROMPT):
        out = tmp_path / checkout
        out.mkdir()
        cruft("create", "--no-input", "--checkout", checkout, "--output-dir", str(out), str(repo), cwd=out, env=env)
        (project,) = out.iterdir()
        made[checkout] = tree(project)
        del made[checkout][Path(".cruft.json")]
    before, after = made[BEFORE_THE_EXAMPLE_PROMPT], made[WITH_THE_EXAMPLE_PROMPT]
    assert before.keys() == after.keys()
    assert [path for path in after if before[path] != after[path]] == [Path(".cookiecutter.json")]


def test_cruft_check_reports_a_fresh_plugin_up_to_date(template_repo, tmp_path):
    project = create(template_repo, tmp_path, "pretix")
    result = cruft("check", cwd=project, env=template_repo[1])
    assert "up to date" in result.stdout


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_update_applies_the_template_change_and_keeps_the_authors_code(template_repo, tmp_path, host):
    repo, env = template_repo
    project = create(template_repo, tmp_path, host)
    authored = author_edits(project, env)
    commit_b = commit_template_change(repo, env)

    assert cruft("check", cwd=project, env=env, check=False).returncode != 0
    cruft("update", "--skip-apply-ask", cwd=project, env=env)

    assert "[env.template-news]" in (project / "tox.toml").read_text()
    assert NEW_CRON in (project / ".github" / "workflows" / "tests.yml").read_text()
    for path, text in authored.items():
        assert path.read_text() == text, f"cruft update changed the author's {path.name}"
    assert json.loads((project / ".cruft.json").read_text())["commit"] == commit_b
    assert not list(project.rglob("*.rej")), "parts of the update did not apply"
    assert "up to date" in cruft("check", cwd=project, env=env).stdout

    if host == "pretix":
        # The updated plugin, the author's receiver included, still passes inside pretix.
        tox_env = tool_env(pythons_for(host))
        result = run(
            [sys.executable, "-m", "tox", "run", "-e", f"{host}-min,template-news"],
            cwd=project,
            env=tox_env,
            check=False,
        )
        assert result.returncode == 0, (result.stdout + result.stderr)[-10000:]
        assert re.search(r"^\s*template-news: OK", result.stdout, re.MULTILINE)


def test_a_plugin_made_with_cookiecutter_can_be_linked_later(template_repo, tmp_path):
    repo, env = template_repo
    out = tmp_path / "plain"
    out.mkdir()
    cookiecutter = [
        sys.executable,
        "-m",
        "cookiecutter",
        "--no-input",
        str(repo),
        "host=byro",
        "plugin_name=Member Fees",
    ]
    run([*cookiecutter, "--output-dir", str(out)], cwd=out, env=env)
    project = out / "byro-member-fees"
    answers = json.loads((project / ".cookiecutter.json").read_text())
    assert answers["plugin_name"] == "Member Fees" and not [key for key in answers if key.startswith("_")]
    git("init", "-q", "-b", "main", cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "Generated", cwd=project, env=env)

    cruft("link", "--no-input", "--extra-context", json.dumps(answers), str(repo), cwd=project, env=env)
    assert "up to date" in cruft("check", cwd=project, env=env).stdout
    # Linked with the recorded answers: the template renders exactly this plugin again.
    assert cruft("diff", "--exit-code", cwd=project, env=env, check=False).returncode == 0


# What an author adds in a plugin's first month, before wanting a building block: a view with
# its URL, a model field with its migration, a changed template (and AUTHOR_RECEIVER above).
AUTHOR_VIEW = '''

from django.http import HttpResponse  # noqa: E402


def author_ping(request, **kwargs):
    """Written by the plugin's author after generation."""
    return HttpResponse("pong")
'''
AUTHOR_URL = """
urlpatterns.append(path("author-ping/", views.author_ping, name="author_ping"))
"""
# Without the example, the author's first model and its migration.
AUTHOR_MODEL = """
from django.db import models  # noqa: E402


class Bookmark(models.Model):
    pinned = models.BooleanField(default=False)
"""
AUTHOR_FIRST_MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Bookmark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("pinned", models.BooleanField(default=False)),
            ],
        ),
    ]
"""
AUTHOR_MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("{module}", "0001_initial")]

    operations = [
        migrations.AddField(model_name="{model}", name="pinned", field=models.BooleanField(default=False)),
    ]
"""


def author_extends(project, env):
    module = next((project / "src").glob("*/__init__.py")).parent
    with (module / "signals.py").open("a") as signals:
        # Named as the generated suite's test_isolation.py requires.
        signals.write(AUTHOR_RECEIVER.replace("{module}", module.name))
    # byro's plugin without the example has no page, so no views, URLs or templates yet.
    has_pages = (module / "urls.py").exists()
    if has_pages:
        with (module / "views.py").open("a") as views:
            views.write(AUTHOR_VIEW)
        with (module / "urls.py").open("a") as urls:
            urls.write(AUTHOR_URL)
    models = module / "models.py"
    model = re.search(r"^class (\w+)\(models\.Model\):", models.read_text(), re.MULTILINE)
    if model:  # the example's model gains a field
        models.write_text(
            models.read_text().replace(
                "    created = ", "    pinned = models.BooleanField(default=False)\n    created = ", 1
            )
        )
        migration = module / "migrations" / "0002_author_pinned.py"
        migration.write_text(AUTHOR_MIGRATION.format(module=module.name, model=model[1].lower()))
    else:  # no example: the author's first model
        models.write_text(models.read_text() + AUTHOR_MODEL)
        if (module / "migrations" / "0001_initial.py").exists():  # byro's settings model has it
            migration = module / "migrations" / "0002_bookmark.py"
            after_the_first = f'dependencies = [("{module.name}", "0001_initial")]'
            migration.write_text(
                AUTHOR_FIRST_MIGRATION.replace("initial = True\n\n    dependencies = []", after_the_first)
            )
        else:
            migration = module / "migrations" / "0001_initial.py"
            migration.write_text(AUTHOR_FIRST_MIGRATION)
    authored = [module / "signals.py", models, migration]
    if has_pages:
        template = sorted((module / "templates" / module.name).glob("*.html"))[0]
        template.write_text(template.read_text().replace("{% load i18n %}", "{% load i18n %}{# the author's #}", 1))
        authored += [module / "views.py", module / "urls.py", template]
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "The author's first month", cwd=project, env=env)
    return {path: path.read_text() for path in authored}


def add_part(project, env, *args):
    return run(
        [sys.executable, "-m", "tox", "run", "-q", "-e", "add-part", "--", *args], cwd=project, env=env, check=False
    )


def tree(project):
    """The plugin's files as git sees them: tracked or new, and not ignored (the tox envs, the
    compiled catalogs and the egg-info that add-part's makemigrations leaves). A plugin that is
    no git repository yet: every file but the tox envs and caches."""
    if not (project / ".git").exists():
        return {
            path.relative_to(project): path.read_bytes()
            for path in project.rglob("*")
            if path.is_file() and not {".tox", "__pycache__"} & set(path.relative_to(project).parts)
        }
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=project).stdout
    return {
        Path(name): (project / name).read_bytes() for name in listed.split("\0") if name and (project / name).is_file()
    }


def assert_merged_cleanly(project, authored):
    assert not run(["git", "diff", "--name-only", "--diff-filter=U"], cwd=project).stdout.strip()
    assert not list(project.rglob("*.rej"))
    for path, text in tree(project).items():
        assert b"<<<<<<<" not in text, path
    for path, text in authored.items():
        if path.name in ("urls.py", "models.py"):
            # A part with pages or a model of its own inserts them; every line of the author's stays.
            changes = difflib.SequenceMatcher(a=text.splitlines(), b=path.read_text().splitlines(), autojunk=False)
            assert {change[0] for change in changes.get_opcodes()} <= {"equal", "insert"}, path.read_text()
        else:
            assert path.read_text() == text, f"adding a part changed the author's {path.name}"


@pytest.mark.parametrize(
    ("host", "example"),
    [
        *(pytest.param(host, "yes", id=host) for host in sorted(HOSTS)),
        *(pytest.param(host, "no", id=f"{host}-without-example") for host in sorted(HOSTS) if HOSTS[host]["parts"]),
    ],
)
def test_parts_added_later_merge_with_the_authors_code(template_repo, tmp_path, host, example):
    repo, env = template_repo
    env = tool_env(pythons_for(host)) | GIT_IDENTITY
    project = create(template_repo, tmp_path, host, example)
    authored = author_extends(project, env)
    before = tree(project)
    before_migrations = list(next(path for path in authored if path.name.startswith("0")).parent.glob("0*.py"))
    parts = list(HOSTS[host]["parts"])
    if example == "no":
        # The author's first model and the payment provider's both follow models.py's docstring:
        # a conflict to resolve by hand, tested on its own below.
        parts = [part for part in parts if part != "payment-provider"]

    # A preview changes nothing; an unknown part is refused with the hook's one line.
    preview = add_part(project, env, "--preview", parts[0])
    assert preview.returncode == 0 and "+++ b/" in preview.stdout, preview.stdout[-3000:]
    refused = add_part(project, env, "nonsense")
    assert refused.returncode != 0 and "Error: parts: 'nonsense' is not a part" in refused.stdout + refused.stderr
    assert tree(project) == before and not run(["git", "status", "--porcelain"], cwd=project).stdout

    together = Path(shutil.copytree(project, tmp_path / "together"))
    result = add_part(together, env, *parts)
    assert result.returncode == 0, result.stdout[-5000:]
    assert_merged_cleanly(together, {together / path.relative_to(project): text for path, text in authored.items()})

    for part in parts:  # one at a time, each committed, as an author adds them over months
        result = add_part(project, env, part)
        assert result.returncode == 0, result.stdout[-5000:]
        assert_merged_cleanly(project, authored)
        git("add", "-A", cwd=project, env=env)
        git("commit", "-q", "-m", f"Add {part}", cwd=project, env=env)
    assert tree(project) == tree(together)

    # The plugin with the author's code and every part passes inside the host at both ends.
    envs = f"{host}-min,{host}-newest"
    result = run(
        [sys.executable, "-m", "tox", "run-parallel", "-p", "2", "-e", envs], cwd=project, env=env, check=False
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-10000:]

    # The payment provider's migration is a second leaf beside the author's 0002: add-part had
    # Django write the merge.
    migrations = next(path for path in authored if path.name.startswith("0")).parent
    written = {path.name for path in migrations.glob("0*.py")} - {path.name for path in before_migrations}
    if "payment-provider" in parts:
        assert written == {"0002_payment_references.py", "0003_merge_payment_references.py"}, written
    else:
        assert written == set(), written

    # Taking every part out again leaves the plugin as the author had it, but for the migrations
    # databases applied: they stay, and one more drops the part's table.
    git("add", "-A", cwd=together, env=env)
    git("commit", "-q", "-m", "Every part at once", cwd=together, env=env)
    result = add_part(together, env, "--remove", *parts)
    assert result.returncode == 0, result.stdout[-5000:]
    after = tree(together)
    kept = {path for path in after.keys() - before.keys() if path.parent.name == "migrations"}
    assert {path: text for path, text in after.items() if path not in kept} == before
    if "payment-provider" in parts:
        assert {path.name for path in kept} == written | {"0004_remove_payment_references.py"}
        removal = after[next(path for path in kept if path.name.startswith("0004"))].decode()
        assert "DeleteModel" in removal and "PaymentReference" in removal
    else:
        assert kept == set()


# What an author writes beside the example in the plugin's first month: files of their own, which
# switching the example leaves alone. (Edits inside the example's own files come back as
# conflicts to resolve: the example's lines there go.)
AUTHOR_MODULE = '''"""Badges for the speakers: the author's own code."""


def badge_text(name):
    return f"Hello, my name is {name}"
'''
AUTHOR_TEST = """from {module}.badges import badge_text


def test_badge_names_the_speaker():
    assert badge_text("Ada") == "Hello, my name is Ada"
"""
AUTHOR_TEMPLATE = '{% load i18n %}<p class="badge">{{ text }}</p>\n'


def example_words(project):
    """The files of src/, tests/ and tools/ that name the example, outside the migrations."""
    found = set()
    for folder in ("src", "tests", "tools"):
        for path in (project / folder).rglob("*"):
            if (
                path.is_file()
                and path.suffix in {".py", ".html", ".po", ".css", ".js"}
                and "migrations" not in path.parts
            ):
                if re.search(r"announcement|membernote|member_notes", path.read_text(), re.IGNORECASE):
                    found.add(path.relative_to(project))
    return found


# The author's own text, collected with `tox -e makemessages` and translated.
AUTHOR_TRANSLATED_TEMPLATE = '{% load i18n %}<p>{% translate "Speaker badge" %}</p>\n'
AUTHOR_TRANSLATION = 'msgid "Speaker badge"\nmsgstr "Sprecherausweis"\n'


def translations(text):
    """A catalog's single-line entries: msgid to msgstr."""
    return dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE))


def author_translates(project, env):
    """The author's own message, put into the catalog by `tox -e makemessages` and translated;
    committed. Returns the German catalog."""
    module = next((project / "src").glob("*/__init__.py")).parent
    (module / "templates" / module.name / "badge.html").write_text(AUTHOR_TRANSLATED_TEMPLATE)
    run([sys.executable, "-m", "tox", "run", "-q", "-e", "makemessages"], cwd=project, env=env)
    catalog = module / "locale" / "de" / "LC_MESSAGES" / "django.po"
    text = catalog.read_text()
    assert AUTHOR_TRANSLATION.replace("Sprecherausweis", "") in text, text
    catalog.write_text(text.replace(AUTHOR_TRANSLATION.replace("Sprecherausweis", ""), AUTHOR_TRANSLATION))
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "The author's badge, in German", cwd=project, env=env)
    return catalog


# The messages of pretalx's settings page in the template's catalog, which makemessages puts
# right after the author's badge.html, and the template's next commit: a new one among them.
SETTINGS_PAGE_MESSAGES = '["Announcements", "Publish", "There are no announcements yet."]'
NEWS_ON_THE_SETTINGS_PAGE = '["Announcements", "Template news", "Publish", "There are no announcements yet."]'
NEWS_IN_GERMAN = '    "Template news": "Neues aus der Vorlage",\n'


def test_update_merges_a_catalog_the_author_translated(template_repo, tmp_path):
    # The template's new message lands where the author's did: merged line by line, as plain
    # `cruft update` does, the two conflict. `tox -e update` rebuilds the catalog from the entries.
    repo, _ = template_repo
    env = tool_env(pythons_for("pretalx")) | GIT_IDENTITY
    project = create(template_repo, tmp_path, "pretalx")
    catalog = author_translates(project, env)
    template_catalog = next((repo / "{{cookiecutter.plugin_slug}}" / "src").glob("*/locale/de/LC_MESSAGES/django.po"))
    text = template_catalog.read_text()
    assert SETTINGS_PAGE_MESSAGES in text and "{%- set german = {\n" in text
    text = text.replace(SETTINGS_PAGE_MESSAGES, NEWS_ON_THE_SETTINGS_PAGE)
    template_catalog.write_text(text.replace("{%- set german = {\n", "{%- set german = {\n" + NEWS_IN_GERMAN))
    git("commit", "-q", "-am", "B: a new message", cwd=repo, env=env)
    update = [sys.executable, "-m", "tox", "run", "-q", "-e", "update", "--"]

    preview = run([*update, "--preview"], cwd=project, env=env, check=False)
    assert preview.returncode == 0, (preview.stdout + preview.stderr)[-5000:]
    assert '+msgid "Template news"' in preview.stdout
    assert git("status", "--porcelain", cwd=project, env=env) == "", "the preview changed the plugin"

    result = run(update, cwd=project, env=env, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    merged = catalog.read_text()
    assert "<<<<<<<" not in merged and not list(project.rglob("*.rej"))
    assert translations(merged)["Template news"] == "Neues aus der Vorlage"
    assert merged.count('msgid "Speaker badge"') == 1 and AUTHOR_TRANSLATION in merged
    run(["msgfmt", "--check", "--output-file", "/dev/null", str(catalog)], cwd=project, env=env)
    assert "up to date" in cruft("check", cwd=project, env=env).stdout


@pytest.mark.parametrize("host", [host for host in sorted(HOSTS) if HOSTS[host]["parts"]])
def test_parts_merge_into_a_catalog_the_author_translated(template_repo, tmp_path, host):
    # The template's catalog gains the parts' messages where makemessages puts them, next to the
    # author's own: merged line by line, that conflicts, or leaves a duplicate entry that msgfmt
    # refuses. add-part rebuilds the catalog from the entries instead.
    env = tool_env(pythons_for(host)) | GIT_IDENTITY
    project = create(template_repo, tmp_path, host)
    catalog = author_translates(project, env)
    authors_catalog = catalog.read_text()
    parts = list(HOSTS[host]["parts"])
    # What the template translates for a plugin with every part.
    fresh = bake(tmp_path / "fresh", host=host, parts=",".join(parts))
    templates = translations((next((fresh / "src").glob("*/locale/de/LC_MESSAGES/django.po"))).read_text())

    result = add_part(project, env, *parts)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    merged = catalog.read_text()
    assert "<<<<<<<" not in merged and not list(project.rglob("*.rej"))
    assert merged.count('msgid "Speaker badge"') == 1 and AUTHOR_TRANSLATION in merged
    assert {msgid: translations(merged).get(msgid) for msgid in templates} == templates
    run(["msgfmt", "--check", "--output-file", "/dev/null", str(catalog)], cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "Every part", cwd=project, env=env)

    # Taking the parts out again leaves the author's catalog as it was.
    result = add_part(project, env, "--remove", *parts)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    assert catalog.read_text() == authors_catalog


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_the_example_comes_out_and_back_with_the_authors_code_in_place(template_repo, tmp_path, host):
    env = tool_env(pythons_for(host)) | GIT_IDENTITY
    project = create(
        template_repo, tmp_path, host, plugin_name="Speaker Badges", description="Badges for the speakers."
    )
    module = next((project / "src").glob("*/__init__.py")).parent
    authored = {
        module / "badges.py": AUTHOR_MODULE,
        module / "templates" / module.name / "badge.html": AUTHOR_TEMPLATE,
        project / "tests" / "test_badges.py": AUTHOR_TEST.format(module=module.name),
    }
    for path, text in authored.items():
        path.write_text(text)
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "The author's first month", cwd=project, env=env)
    first_migration = (module / "migrations" / "0001_initial.py").read_text()
    envs = f"{host}-min,{host}-newest"

    def switch(*args):
        result = add_part(project, env, *args)
        assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
        assert_merged_cleanly(project, authored)
        # Databases have applied the first migration: it stays as it was.
        assert (module / "migrations" / "0001_initial.py").read_text() == first_migration
        suites = run(
            [sys.executable, "-m", "tox", "run-parallel", "-p", "2", "-e", envs], cwd=project, env=env, check=False
        )
        assert suites.returncode == 0, (suites.stdout + suites.stderr)[-10000:]
        git("add", "-A", cwd=project, env=env)
        git("commit", "-q", "-m", f"add-part {' '.join(args)}", cwd=project, env=env)
        return result.stdout

    assert "The example is out." in switch("--remove", "example")
    assert example_words(project) == set()
    # add-part wrote the migration that drops the example's table, after the first one.
    assert (module / "migrations" / "0002_remove_example.py").is_file()
    refused = add_part(project, env, "--remove", "example")
    assert refused.returncode != 0 and "This plugin has no example to remove." in refused.stdout + refused.stderr

    assert "The example is back." in switch("example")
    assert example_words(project)
    # ... and the one that creates it again, after the author's.
    assert (module / "migrations" / "0003_add_example.py").is_file()


AUTHOR_BADGE_MODEL = """

class Badge(models.Model):
    text = models.CharField(max_length=100)
"""
AUTHOR_BADGE_MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("{module}", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Badge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=100)),
            ],
        ),
    ]
"""


def test_removing_the_example_beside_the_authors_model_stops_at_the_conflict(template_repo, tmp_path):
    # The author's model sits in the example's models.py, which the removal rewrites: add-part
    # cannot decide that merge, keeps every migration, and says what to run once it is resolved.
    repo, env = template_repo
    env = tool_env(pythons_for("pretix")) | GIT_IDENTITY
    project = create(template_repo, tmp_path, "pretix")
    module = next((project / "src").glob("*/__init__.py")).parent
    models = module / "models.py"
    models.write_text(models.read_text() + AUTHOR_BADGE_MODEL)
    migrations = module / "migrations"
    (migrations / "0002_badge.py").write_text(AUTHOR_BADGE_MIGRATION.format(module=module.name))
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "The author's badges", cwd=project, env=env)
    kept = {path.name: path.read_text() for path in migrations.glob("0*.py")}
    head = git("rev-parse", "HEAD", cwd=project, env=env)

    # The preview shows the conflict it would stop at, and touches nothing.
    preview = add_part(project, env, "--preview", "--remove", "example")
    assert preview.returncode != 0
    assert "<<<<<<<" in preview.stdout and "+++ b/src/" in preview.stdout, preview.stdout[-3000:]
    assert f"would not merge cleanly into src/{module.name}/models.py" in preview.stdout + preview.stderr
    assert git("rev-parse", "HEAD", cwd=project, env=env) == head
    assert not git("status", "--porcelain", cwd=project, env=env)

    result = add_part(project, env, "--remove", "example")

    assert result.returncode != 0
    assert f"did not merge cleanly into src/{module.name}/models.py" in result.stdout + result.stderr
    command = f"tox -e manage -- makemigrations {module.name} --name remove_example"
    assert command in result.stdout + result.stderr
    assert {path.name: path.read_text() for path in migrations.glob("0*.py")} == kept

    # Resolved as the author would (their model stays, the example's goes), the command writes the
    # migration that drops the example's table, after the author's.
    models.write_text('"""The plugin\'s models."""\n\nfrom django.db import models\n' + AUTHOR_BADGE_MODEL)
    written = run(
        [sys.executable, "-m", "tox", "run", "-q", "-e", "manage", "--", *command.split()[4:]],
        cwd=project,
        env=env,
        check=False,
    )
    assert written.returncode == 0, (written.stdout + written.stderr)[-5000:]
    removal = (migrations / "0003_remove_example.py").read_text()
    assert re.search(rf"""\(["']{module.name}["'], ["']0002_badge["']\)""", removal), removal
    assert "DeleteModel" in removal and "Badge" not in removal


def resolve_by_keeping_both(text):
    """The author's resolution of a conflict where the template and they each added code: the
    template's lines first, then theirs."""
    conflict = re.compile(r"<<<<<<< [^\n]*\n(.*?)(?:\|\|\|\|\|\|\| [^\n]*\n.*?)?=======\n(.*?)>>>>>>> [^\n]*\n", re.S)
    return conflict.sub(lambda found: found[2] + found[1], text)


def test_payment_provider_beside_the_authors_first_model_merges_after_the_conflict(template_repo, tmp_path):
    # Without the example, models.py is a docstring: the author's first model and the part's
    # model both follow it, a conflict to resolve by hand. The part's first migration and the
    # author's both start a history (Django's makemigrations --merge refuses them): add-part
    # joins them all the same.
    env = tool_env(pythons_for("pretix")) | GIT_IDENTITY
    project = create(template_repo, tmp_path, "pretix", "no")
    author_extends(project, env)
    module = next((project / "src").glob("*/__init__.py")).parent
    migrations = module / "migrations"

    result = add_part(project, env, "payment-provider")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"did not merge cleanly into src/{module.name}/models.py" in output, output[-3000:]
    assert {path.name for path in migrations.glob("0*.py")} == {
        "0001_initial.py",
        "0001_payment_references.py",
        "0002_merge_payment_references.py",
    }
    merge = (migrations / "0002_merge_payment_references.py").read_text()
    assert f'("{module.name}", "0001_initial")' in merge and "0001_payment_references" in merge

    # Resolved as the author would, keeping both models: the plugin migrates, its migrations
    # match its models, and the payment tests pass.
    models = module / "models.py"
    models.write_text(resolve_by_keeping_both(models.read_text()))
    suite = run([sys.executable, "-m", "tox", "run", "-q", "-e", "pretix-min"], cwd=project, env=env, check=False)
    assert suite.returncode == 0, (suite.stdout + suite.stderr)[-10000:]


CATALOG_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def catalog(*entries, header=CATALOG_HEADER):
    return "\n".join([header, *(f'msgid "{msgid}"\nmsgstr "{msgstr}"\n' for msgid, msgstr in entries)])


def test_catalog_merge_keeps_the_authors_entries_and_follows_the_templates(tmp_path):
    # add_part.merged_catalog() on its own, entry by entry, in both directions.
    merge = toolkit.sources_module("add_part").merged_catalog
    base = catalog(("Text", "Text"), ("Settings", "Einstellungen"), ("Gone", "Weg"))
    # The template adds a message after "Text", fixes a translation and drops a message.
    theirs = catalog(("Text", "Text"), ("Export", "Export"), ("Settings", "Einstellungen!"))
    # The author translated a message of their own and changed one of the template's.
    ours = catalog(("Text", "Der Text"), ("Badge", "Ausweis"), ("Settings", "Einstellungen"), ("Gone", "Weg"))

    merged = merge(ours, base, theirs)
    assert merged == catalog(
        ("Text", "Der Text"), ("Export", "Export"), ("Badge", "Ausweis"), ("Settings", "Einstellungen!")
    )
    # The reverse change gives the author's catalog back.
    assert merge(merged, theirs, base) == ours
    # A catalog the author never touched becomes the template's, byte for byte.
    assert merge(base, base, theirs) == theirs


# The last commit before the toolkit package: its plugins carried tools/ and the contract tests.
BEFORE_THE_TOOLKIT = "fe64876"
AUTHORS_OWN_TEST = '''"""The author's own test, kept through every template update."""

from django.apps import apps


def test_the_authors_own_check():
    assert apps.is_installed("{module}")
'''


AUTHORS_OWN_PAGE = '            {"url": f"{base_url}/control/", "expect": "Ada\'s dashboard", "login": True},\n'


def plugin_made_at(commit, tmp_path, env):
    """A pretix plugin made with cruft from the template as it was at `commit`."""
    if run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=TEMPLATE, check=False).returncode:
        pytest.skip(f"the template's git history does not reach {commit} (a shallow clone)")
    repo = tmp_path / "template"
    git("clone", "-q", str(TEMPLATE), str(repo), cwd=tmp_path, env=env)
    out = tmp_path / "plugins"
    out.mkdir()
    cruft("create", "--no-input", "--checkout", commit, "--output-dir", str(out), str(repo), cwd=out, env=env)
    (project,) = out.iterdir()
    return project


def with_the_authors_demo_page(project):
    """The author's own demo content: a page of theirs, among the pages the tools open."""
    demo = project / "tools" / "demo.py"
    demo.write_text(demo.read_text().replace('"pages": [\n', '"pages": [\n' + AUTHORS_OWN_PAGE, 1))
    assert AUTHORS_OWN_PAGE in demo.read_text()
    return demo


def test_a_plugin_made_before_the_toolkit_moves_onto_it_with_tox_update(tmp_path):
    # Issue 41: `tox -e update` in a plugin whose tools/ were its own, with the author's test and
    # an edited tools/demo.py. Its old add-part runs the update; after it the plugin pins the
    # toolkit, keeps of tools/ only the author's demo data (cruft leaves an edited file the
    # template deleted; git finds no rename, the template's demo changed too much on the way to
    # tests/demo.py), which the toolkit keeps using, and its suite (the author's test with it)
    # runs green inside the host with the toolkit's contract.
    env = tool_env(pythons_for("pretix")) | GIT_IDENTITY
    project = plugin_made_at(BEFORE_THE_TOOLKIT, tmp_path, env)
    module = next((project / "src").glob("*/__init__.py")).parent.name
    assert (project / "tools" / "devhost.py").is_file() and (project / "tests" / "test_isolation.py").is_file()
    (project / "tests" / "test_authors_own.py").write_text(AUTHORS_OWN_TEST.replace("{module}", module))
    demo = with_the_authors_demo_page(project)
    git("init", "-q", "-b", "main", cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "The author's plugin", cwd=project, env=env)
    authored = {path: path.read_text() for path in (project / "tests" / "test_authors_own.py", demo)}

    result = run([sys.executable, "-m", "tox", "run", "-e", "update"], cwd=project, env=env, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    assert_merged_cleanly(project, {})
    assert (
        authored[project / "tests" / "test_authors_own.py"] == (project / "tests" / "test_authors_own.py").read_text()
    )
    assert AUTHORS_OWN_PAGE in demo.read_text()
    assert sorted(path.name for path in (project / "tools").glob("*.py")) == ["demo.py"]
    assert (project / "tests" / "demo.py").is_file()
    assert not [
        name
        for name in ("test_discovery.py", "test_distribution.py", "test_isolation.py")
        if (project / "tests" / name).exists()
    ]
    assert "hostplugin-toolkit==" in (project / "pyproject.toml").read_text()

    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "Update from the template", cwd=project, env=env)
    suite = run([sys.executable, "-m", "tox", "run", "-e", "pretix-min", "--", "-v"], cwd=project, env=env, check=False)
    output = suite.stdout + suite.stderr
    assert suite.returncode == 0, output[-5000:]
    assert "test_authors_own.py::test_the_authors_own_check PASSED" in output
    assert "contract.py::test_the_migrations_match_the_models PASSED" in output


# The last commit before the demo data moved from tools/demo.py to tests/demo.py.
BEFORE_THE_DEMO_MOVED = "8d1f4b7"


def test_the_authors_demo_page_moves_with_the_demo_to_tests(tmp_path):
    # Issue 41's "no tools/": a plugin made with the toolkit, whose author added a page to
    # tools/demo.py, takes the move with `tox -e update` (the toolkit's update, at its pin). git
    # sees the rename, so the author's page arrives in tests/demo.py and tools/ is gone.
    env = tool_env(pythons_for("pretix")) | GIT_IDENTITY
    project = plugin_made_at(BEFORE_THE_DEMO_MOVED, tmp_path, env)
    with_the_authors_demo_page(project)
    git("init", "-q", "-b", "main", cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)
    git("commit", "-q", "-m", "The author's plugin", cwd=project, env=env)

    result = run([sys.executable, "-m", "tox", "run", "-e", "update"], cwd=project, env=env, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    assert_merged_cleanly(project, {})
    assert AUTHORS_OWN_PAGE in (project / "tests" / "demo.py").read_text()
    assert not list((project / "tools").glob("*.py"))  # __pycache__ may stay behind, untracked
    assert not (project / "setup.py").exists() and not (project / "tests" / "settings.py").exists()
