"""The isolation check on a package of its own: what counts as a name shared with the host."""

from hostplugin_toolkit.isolation import foreign_names, misplaced_files, shared_names

SIGNALS = """
@receiver(front_page_top, dispatch_uid="pretix_x_front_page")
def front_page(sender, **kwargs):
    sender.settings.get("pretix_x_heading")
    request.session["iframe_session"]


@receiver(order_placed, dispatch_uid="front_page")
def ours(sender, **kwargs):
    pass
"""
VIEWS = """
class SettingsView(TemplateView):
    template_name = "pretix_x/settings.html"


class Passbook(BasePaymentProvider):
    identifier = "passbook"

    def render(self):
        self.settings.get("key")
        return render("pretixcontrol/event/base.html")
"""


def package(tmp_path):
    folder = tmp_path / "pretix_x"
    (folder / "templates" / "pretix_x").mkdir(parents=True)
    (folder / "signals.py").write_text(SIGNALS)
    (folder / "views.py").write_text(VIEWS)
    return folder


def test_every_kind_of_shared_name_is_found(tmp_path):
    kinds = {what for what, _, _ in shared_names(package(tmp_path), "pretix")}
    assert kinds == {"signal receiver dispatch_uid", "settings key", "session key", "template", "identifier"}


def test_names_without_the_plugins_prefix_are_reported_and_the_hosts_own_pass(tmp_path):
    found = foreign_names(package(tmp_path), "pretix", "pretix_x")
    assert sorted(name for _, name, _ in found) == ["front_page", "passbook", "pretixcontrol/event/base.html"]


def test_stored_names_and_the_hosts_templates_pass(tmp_path):
    found = foreign_names(
        package(tmp_path),
        "pretix",
        "pretix_x",
        stored={"passbook"},
        is_hosts_template=lambda name: name.startswith("pretixcontrol/"),
    )
    assert [name for _, name, _ in found] == ["front_page"]


def test_templates_and_static_files_outside_the_plugins_folder(tmp_path):
    folder = package(tmp_path)
    (folder / "static" / "css").mkdir(parents=True)
    (folder / "static" / "css" / "style.css").write_text("")
    (folder / "templates" / "pretix_x" / "ok.html").write_text("")
    assert misplaced_files(folder, "pretix", "pretix_x") == ["static/css/style.css"]
