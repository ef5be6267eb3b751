"""`hostplugin adopt`'s reading of a plugin and of its test run, without a host: the template's
tests adopt whole plugins inside the real hosts (tests/test_adopt.py of the repository)."""

import zipfile

import pytest

from hostplugin_toolkit import adopt, hosts, package
from hostplugin_toolkit.plugin import read, tomllib

DEFAULTS = {"license": ["Apache-2.0", "MIT"]}


def plugin_with(tmp_path, project="", apps=""):
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "pretix-pages"\n{project}\n'
        '[project.entry-points."pretix.plugin"]\npretix_pages = "pretix_pages:PretixPluginMeta"\n'
    )
    (tmp_path / "pretix_pages").mkdir()
    (tmp_path / "pretix_pages" / "apps.py").write_text(apps)
    return read(tmp_path)


APPS = """
from django.utils.translation import gettext_lazy as _

class PluginApp(PluginConfig):
    name = "pretix_pages"

    class PretixPluginMeta:
        name = _("Pages")
        category = "FEATURE"
        compatibility = "pretix>=2024.11.0.dev0"
        version = __version__
"""


def answers(plugin):
    data = tomllib.loads((plugin.root / "pyproject.toml").read_text())
    meta = adopt.read_meta(plugin.package_dir, plugin.facts["meta_class"])
    return adopt.answers_for(plugin, data, meta, DEFAULTS)


def test_the_meta_is_read_without_importing_the_plugin(tmp_path):
    plugin = plugin_with(tmp_path, apps=APPS)
    meta = adopt.read_meta(plugin.package_dir, "PretixPluginMeta")
    assert meta == {"name": "Pages", "category": "FEATURE", "compatibility": "pretix>=2024.11.0.dev0"}


def test_a_minimum_below_the_oldest_line_is_raised_with_one_line_that_says_to_what(tmp_path):
    found, notes = answers(plugin_with(tmp_path, apps=APPS))
    oldest = hosts.facts("pretix")["lines"][0]["from"]
    assert found["min_host_version"] == oldest
    assert found["plugin_name"] == "Pages" and found["example"] == "no"
    assert notes == [
        f"Your plugin declares pretix>=2024.11.0; the toolkit tests from {oldest}, the oldest pretix it "
        f'supports: raise the declaration to "pretix>={oldest}".'
    ]


def test_a_python_floor_above_the_minimums_line_moves_the_tests_to_a_line_that_runs_it(tmp_path):
    lines = hosts.facts("pretix")["lines"]
    floor = next(line for line in lines if line["python"] > lines[0]["python"])
    plugin = plugin_with(tmp_path, project=f'requires-python = ">={floor["python"]}"', apps=APPS)
    found, notes = answers(plugin)
    assert found["min_host_version"] == floor["from"]
    assert f"the tests start at pretix {floor['from']}" in notes[-1]


def test_toml_tables_keep_every_line_and_the_comment_above_a_header():
    text = 'name = 1\n\n# about b\n[b]\nx = [\n  1,\n]\n\n[c.d]\ny = "z"\n'
    tables = adopt.toml_tables(text)
    assert [header for header, _ in tables] == ["", "b", "c.d"]
    assert tables[1][1].lstrip("\n").startswith("# about b\n[b]\n")
    assert "".join(block for _, block in tables) == text


def test_a_key_over_several_lines_is_replaced_whole():
    block = '[tool.pytest.ini_options]\nfilterwarnings = [\n    "a",\n    "b",\n]\nminversion = "9.0"\n'
    changed = adopt.set_table_key(block, "filterwarnings", '["c"]')
    assert tomllib.loads(changed)["tool"]["pytest"]["ini_options"] == {"filterwarnings": ["c"], "minversion": "9.0"}
    added = adopt.set_table_key(block, "testpaths", '["tests"]')
    assert tomllib.loads(added)["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]


def test_ruff_checks_what_flake8_and_isort_checked():
    style = {
        "flake8": {"ignore": "N802,W503,E402", "max-line-length": "160", "exclude": "migrations,static"},
        "isort": {"profile": "black", "combine_as_imports": "true", "known_third_party": "pretix"},
    }
    data = tomllib.loads("".join(block for _, block in adopt.ruff_tables_from(style)))["tool"]["ruff"]
    assert data["line-length"] == 160 and data["extend-exclude"] == ["migrations", "static"]
    assert data["lint"]["ignore"] == ["E402"]  # N802 is not selected, W503 is not ruff's
    assert "I" in data["lint"]["select"]
    assert data["lint"]["isort"] == {"combine-as-imports": True, "known-third-party": ["pretix"]}
    # isort's grid style is not ruff's: no import order is checked then.
    grid = adopt.ruff_tables_from({"isort": {"multi_line_output": "5"}})
    assert "I" not in tomllib.loads("".join(block for _, block in grid))["tool"]["ruff"]["lint"]["select"]


def test_catalogs_that_lack_the_same_messages_are_one_finding():
    lines = [
        "p/locale/de/LC_MESSAGES/django.po lacks 1 message(s) of the code: ['Copy']",
        "p/locale/fr/LC_MESSAGES/django.po lacks 1 message(s) of the code: ['Copy']",
        "p/locale/fr/LC_MESSAGES/djangojs.po still holds 1 message(s) nothing uses: ['Old']",
    ]
    assert adopt.grouped_catalogs(lines) == [
        "de, fr: lacks 1 message(s) of the code: ['Copy']",
        "fr: still holds 1 message(s) nothing uses: ['Old']",
    ]


CONTRACT = "site-packages.hostplugin_toolkit.contract"


def test_findings_are_sorted_into_the_plugins_and_the_toolkits(tmp_path):
    plugin = plugin_with(tmp_path, apps=APPS)
    names = (
        "These names are shared ...:\n"
        "  signal receiver dispatch_uid 'pages_nav' in signals.py\n"
        "  settings key 'pages_text' in views.py\n"
        "  session key 'pages_seen' in views.py"
    )
    found = [
        (f"{CONTRACT}::test_names_shared_with_the_host_carry_the_plugins_name", names),
        (f"{CONTRACT}::test_the_migrations_match_the_models", "Failed: Models changed\n  - Alter field id on page"),
        ("pretix_pages.tests.test_views::test_index", "assert 404 == 200"),
    ]
    yours, toolkit = adopt.sort_findings(plugin, "2025.10.0", found)
    # A dispatch_uid is stored nowhere: renaming it is the plugin's fix.
    assert "dispatch_uid 'pages_nav' (signals.py)" in yours[0] and "pages_text" not in yours[0]
    assert "BigAutoField" in yours[1]
    assert yours[2].startswith("1 of your tests fail inside pretix 2025.10.0:")
    assert "test_index: assert 404 == 200" in yours[2]
    # Stored keys need the toolkit to accept them: the exact setting to add.
    (stored,) = toolkit
    assert stored.endswith('[tool.hostplugin-toolkit]\n      stored-names = ["pages_seen", "pages_text"]')


def wheel_with(path, names):
    with zipfile.ZipFile(path, "w") as wheel:
        for name in names:
            wheel.writestr(name, "")
    return path


@pytest.mark.parametrize(
    ("shipped", "omitted"),
    [
        # Neither shipped: both left out of the comparison.
        ([], {".*", "*.pot"}),
        # The hosts' cookiecutters ship templates' .gitkeep and the .pot: compared, as shipped.
        (["p/templates/p/.gitkeep", "p/locale/django.pot"], set()),
        (["p/templates/p/.gitkeep"], {"django.pot"}),
    ],
)
def test_the_wheel_check_leaves_out_pot_and_hidden_files_only_where_the_wheel_does(tmp_path, shipped, omitted):
    (tmp_path / "p" / "templates" / "p").mkdir(parents=True)
    (tmp_path / "p" / "templates" / "p" / ".gitkeep").write_text("")
    (tmp_path / "p" / "locale").mkdir()
    (tmp_path / "p" / "locale" / "django.pot").write_text("")
    wheel = wheel_with(tmp_path / "p.whl", ["p/__init__.py", *shipped])
    patterns = set(package.package_omit(tmp_path / "p", wheel).split(","))
    assert {"*.pyc", "CVS"} <= patterns
    assert patterns & {".*", "*.pot", "django.pot", ".gitkeep"} == omitted


def test_a_table_of_the_templates_goes_where_the_template_has_it():
    # So that the template's later changes to it merge: elsewhere, it would read as moved.
    order = ["build-system", "project", "project.entry-points.x", "dependency-groups", "tool.ruff"]
    tables = [("", "# top\n"), ("project", "[project]\n"), ("project.entry-points.x", "[project.entry-points.x]\n")]
    tables.append(("tool.setuptools", "[tool.setuptools]\n"))
    adopt.insert_table(tables, "dependency-groups", "[dependency-groups]\n", order)
    adopt.insert_table(tables, "build-system", "[build-system]\n", order)
    adopt.insert_table(tables, "tool.other", "[tool.other]\n", order)
    assert [header for header, _ in tables] == [
        "",
        "build-system",
        "project",
        "project.entry-points.x",
        "dependency-groups",
        "tool.setuptools",
        "tool.other",
    ]
