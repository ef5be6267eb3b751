"""The plugin as the toolkit reads it from pyproject.toml: host and module."""

import pytest

from hostplugin_toolkit import hosts
from hostplugin_toolkit.plugin import find_root, read


def write(folder, text):
    (folder / "pyproject.toml").write_text(text)
    return folder


def test_the_entry_point_names_host_and_module(tmp_path):
    write(tmp_path, '[project]\nname = "p"\n[project.entry-points."pretix.plugin"]\npretix_p = "pretix_p"\n')
    plugin = read(tmp_path)
    assert (plugin.host, plugin.module, plugin.root) == ("pretix", "pretix_p", tmp_path)
    assert plugin.facts["meta_class"] == "PretixPluginMeta"


def test_module_colon_meta_and_another_entry_point_name_as_the_official_cookiecutters_write_them(tmp_path):
    entry_point = 'passbook = "pretix_passbook:PretixPluginMeta"'
    write(tmp_path, f'[project]\nname = "p"\n[project.entry-points."pretix.plugin"]\n{entry_point}\n')
    assert read(tmp_path).module == "pretix_passbook"


def test_the_table_names_host_and_module_where_the_entry_point_cannot(tmp_path):
    write(tmp_path, '[project]\nname = "p"\n[tool.hostplugin-toolkit]\nhost = "byro"\nmodule = "byro_x"\n')
    plugin = read(tmp_path)
    assert (plugin.host, plugin.module) == ("byro", "byro_x")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[project]\nname = "p"\n', 'host = "pretix"'),
        ('[tool.hostplugin-toolkit]\nhost = "wordpress"\n', "the toolkit knows byro, pretalx, pretix"),
        (
            '[project]\nname = "p"\n[project.entry-points."pretalx.plugin"]\na = "a"\nb = "b"\n',
            'module = "pretalx_my_plugin"',
        ),
    ],
)
def test_what_it_cannot_tell_ends_in_one_line_that_says_what_to_write(tmp_path, text, says):
    write(tmp_path, text)
    with pytest.raises(SystemExit) as stop:
        read(tmp_path)
    assert says in str(stop.value) and "\n" not in str(stop.value)


def test_the_root_is_found_from_a_subfolder(tmp_path, monkeypatch):
    write(tmp_path, "")
    (tmp_path / "src" / "x").mkdir(parents=True)
    monkeypatch.delenv("PLUGIN_ROOT", raising=False)
    assert find_root(tmp_path / "src" / "x") == tmp_path.resolve()


def test_package_dir_src_layout_or_flat(tmp_path):
    write(tmp_path, '[project.entry-points."pretix.plugin"]\nx = "pretix_x"\n')
    (tmp_path / "pretix_x").mkdir()
    assert read(tmp_path).package_dir == tmp_path / "pretix_x"
    (tmp_path / "src" / "pretix_x").mkdir(parents=True)
    assert read(tmp_path).package_dir == tmp_path / "src" / "pretix_x"


def test_every_host_has_what_the_commands_read():
    for name, facts in hosts.all_hosts().items():
        assert hosts.by_entry_point_group(facts["entry_point_group"]) == name
        assert facts["lines"] and facts["newest"]["version"] and facts["development"]["branch"]


def test_demo_data_from_tests_or_from_an_older_plugins_tools_with_a_note(tmp_path):
    write(tmp_path, '[project]\nname = "p"\n[project.entry-points."pretix.plugin"]\npretix_p = "pretix_p"\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "demo.py").write_text("")
    assert (read(tmp_path).demo_module, read(tmp_path).demo_note) == ("tests.demo", None)
    # A template update leaves an author's edited tools/demo.py where it was: it stays in use.
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "demo.py").write_text("")
    assert read(tmp_path).demo_module == "tools.demo"
    assert "move your pages there" in read(tmp_path).demo_note
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write('[tool.hostplugin-toolkit]\ndemo = "demo_data"\n')
    assert (read(tmp_path).demo_module, read(tmp_path).demo_note) == ("demo_data", None)


def test_the_test_settings_are_the_pytest_options_or_the_toolkits_for_the_host(tmp_path):
    write(tmp_path, '[project]\nname = "p"\n[project.entry-points."byro.plugin"]\nbyro_p = "byro_p"\n')
    assert read(tmp_path).settings_module == "hostplugin_toolkit.settings.byro"
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write('[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "tests.settings"\n')
    assert read(tmp_path).settings_module == "tests.settings"
