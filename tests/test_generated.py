"""Run each generated plugin's own tox inside the real host, and check that breaking the plugin
turns its suite red.

These are the slow tests: each host version is installed from PyPI into its own environment.
"""

import ast
import email
import json
import re
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from . import toolkit
from .conftest import (
    HOSTS,
    NOT_COPIED,
    TEMPLATE,
    all_parts,
    bake,
    install_into_session_env,
    put_back_when_done,
    pythons_for,
    run,
    tool_env,
)

MIN_TESTS_PER_ENV = 10
# Every host twice: with no optional part (the defaults) and with every part it offers; and so
# again without the example.
BAKES = [
    pytest.param(host, parts, "yes", id=f"{host}-{'all-parts' if parts else 'no-parts'}")
    for host in sorted(HOSTS)
    for parts in ("", all_parts(host))
] + [
    pytest.param(host, parts, "no", id=f"{host}-without-example-{'parts' if parts else 'no-parts'}")
    for host in sorted(HOSTS)
    for parts in ("", all_parts(host))
]


def count_tests(path):
    return len(re.findall(r"^def test_", path.read_text(), flags=re.MULTILINE))


# The one generated test that needs a database server: it skips itself on SQLite, and
# test_running.py runs it on PostgreSQL.
SKIPPED_ON_SQLITE = {"pretix": "test_payment_provider.py"}


def suite_counts(output):
    """How many tests ran in each pytest run of a tox output: passed, and skipped on SQLite."""
    summaries = re.findall(r"^=+ (\d+) passed(?:, (\d+) skipped)?", output, re.MULTILINE)
    return [int(passed) + int(skipped or 0) for passed, skipped in summaries]


@pytest.mark.parametrize(("host", "parts", "example"), BAKES)
def test_generated_tox_passes_at_both_ends(green_plugin, host, parts, example):
    _, _, output = green_plugin(host, parts, example)
    for env_name in (f"{host}-min", f"{host}-newest", "lint", "package", "translations"):
        assert re.search(rf"^\s*{re.escape(env_name)}: OK", output, re.MULTILINE), output[-5000:]
    # One suite run each in -min, -newest and package (against the installed wheel), each with
    # the same tests.
    counts = suite_counts(output)
    assert len(counts) == 3 and min(counts) >= MIN_TESTS_PER_ENV and len(set(counts)) == 1, counts
    # Each in its own random order, with the seed that repeats it.
    assert len(re.findall(r"^Using --randomly-seed=\d+$", output, re.MULTILINE)) == 3, output[-5000:]
    # A skip only where a test needs a database server, and only with that reason.
    skips = re.findall(r"^SKIPPED \[\d+\] tests/(\w+\.py):\d+: (.*)$", output, re.MULTILINE)
    expected = SKIPPED_ON_SQLITE.get(host) if "payment-provider" in parts else None
    assert {name for name, _ in skips} <= {expected}, skips
    assert all("needs a database server" in reason for _, reason in skips), skips
    # No warning for the author to learn to ignore: none from the suites (the host's deprecations
    # are filtered), the catalogs' headers or MANIFEST.in.
    noise = [line for line in output.splitlines() if "warning" in line.lower()]
    assert not noise, noise


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_every_offered_part_brings_its_own_tests(green_plugin, host):
    project, env, output = green_plugin(host, all_parts(host))
    default, _, default_output = green_plugin(host)
    added = {path.name for path in (project / "tests").glob("test_*.py")} - {
        path.name for path in (default / "tests").glob("test_*.py")
    }
    # Each part the host table offers brings one test module, named in the template's folder as
    # {% if '<host>:<part>' in cookiecutter.__host_parts.split() %}test_….py{% endif %}
    pattern = re.compile(rf"\{{% if '{host}:([\w-]+)' in cookiecutter\.__host_parts\.split\(\) %\}}(test_\w+\.py)\{{%")
    brought = {}
    for path in (TEMPLATE / "{{cookiecutter.plugin_slug}}" / "tests").iterdir():
        if condition := pattern.match(path.name):
            brought[condition[1]] = condition[2]
    assert brought.keys() == set(HOSTS[host]["parts"])
    assert added == set(brought.values())
    # The parts' tests ran at both ends, next to the default plugin's. pytest counts them: some
    # are parametrized.
    python = project / ".tox" / f"{host}-newest" / "bin" / "python"
    collect = [str(python), "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    # Reading the session's bake only: no bytecode left in it for the tests that copy it.
    reading = env | {"PYTHONDONTWRITEBYTECODE": "1"}
    listing = run([*collect, *(f"tests/{name}" for name in sorted(added))], cwd=project, env=reading).stdout
    part_tests = int(re.search(r"^(\d+) tests? collected", listing, re.MULTILINE)[1])
    assert part_tests >= sum(count_tests(project / "tests" / name) for name in added)
    assert suite_counts(output) == [count + part_tests for count in suite_counts(default_output)]


@pytest.mark.parametrize(("host", "parts", "example"), BAKES)
def test_wheel_and_sdist_carry_everything(green_plugin, host, parts, example):
    project, _, _ = green_plugin(host, parts, example)
    module = next((project / "src").glob("*/__init__.py")).parent.name
    (wheel,) = (project / "dist").glob("*.whl")
    (sdist,) = (project / "dist").glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        wheel_files = archive.namelist()
    with tarfile.open(sdist) as archive:
        sdist_files = archive.getnames()
    for files in (wheel_files, sdist_files):
        for expected in (
            # Every file of the package: modules, migrations, templates, static files, catalogs.
            *(
                path.relative_to(project / "src").as_posix()
                for path in (project / "src" / module).rglob("*")
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo"
            ),
            f"{module}/locale/de/LC_MESSAGES/django.mo",
            "LICENSE",
        ):
            assert any(expected in name for name in files), (expected, files)
        assert not [name for name in files if "__pycache__" in name or name.endswith((".pyc", "~", ".swp"))]
    assert not [name for name in wheel_files if name.startswith("tests/")]
    metadata = email.message_from_bytes(
        zipfile.ZipFile(wheel).read(f"{wheel.name.split('-')[0]}-0.1.0.dist-info/METADATA")
    )
    assert metadata["License-Expression"] and metadata["Requires-Python"] and metadata["Summary"]
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert "Framework :: Django" in metadata.get_all("Classifier")
    assert any(c.startswith("Framework :: Django :: ") for c in metadata.get_all("Classifier"))


# Each mutation breaks one promise of the plugin, and names a test that must then fail:
# (file, regex, replacement, failing test). "{module}" stands for src/<module>.
def mutation(host, path, pattern, replacement, failing_check, name, run_in="suite", parts=False, example="yes"):
    """path: the file, relative to the project; "{module}" stands for src/<module>. In a Python
    file, "path::Class.method" confines the pattern to that class or function, found by Python's
    own parser, so that an edit elsewhere in the file cannot move the mutation.
    run_in: "suite" reinstalls the plugin into the -newest env and runs the test module that
    holds the failing test ("suite-min": the -min env); "package"
    runs `tox -e package` (build, wheel checks, tests against the wheel) on the mutated copy.
    parts: mutate the bake with every part the host offers instead of the default bake.
    example: "no" mutates the bake without the example (with every part it takes, if parts)."""
    mutated = (path, pattern, replacement, failing_check, run_in, parts, example)
    return pytest.param(host, mutated, id=f"{host}-{name}" if example == "yes" else f"{host}-without-example-{name}")


def source_span(text, qualname):
    """Where the class or function `qualname` (dotted, as Class.method) is in a module's source,
    decorators included, as character offsets."""
    node = ast.parse(text)
    for name in qualname.split("."):
        definitions = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        (node,) = [
            child for child in ast.iter_child_nodes(node) if isinstance(child, definitions) and child.name == name
        ]
    lines = text.splitlines(keepends=True)
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    return len("".join(lines[: first - 1])), len("".join(lines[: node.end_lineno]))


def always_on(receiver, core_module):
    # A receiver that claims to be part of the host's core: hosts call those for every event,
    # whatever plugins it has enabled.
    return rf"\g<0>\n{receiver}.__module__ = {core_module!r}\n"


MUTATIONS = [
    # One host is enough: pyproject.toml's entry point is the same template line for every host.
    mutation(
        "pretix",
        "pyproject.toml",
        rf'(?m)^\[project\.entry-points\."{re.escape(HOSTS["pretix"]["entry_point_group"])}"\]\n.*\n',
        "",
        "test_the_entry_point_names_the_plugins_module",
        "entry-point-removed",
    ),
    *(
        mutation(
            host,
            "{module}/models.py",
            r"    created = ",
            "    pinned = models.BooleanField(default=False)\n    created = ",
            "test_the_migrations_match_the_models",
            "field-without-migration",
        )
        for host in HOSTS
    ),
    mutation(
        "pretix",
        "{module}/views.py::SettingsView",
        r"PluginActiveRequiredMixin, ",
        "",
        "test_settings_page_is_404_while_disabled",
        "settings-view-ignores-activation",
    ),
    mutation(
        "pretix",
        "{module}/signals.py",
        r"\Z",
        always_on("public_front_page_box", "pretix.presale.signals"),
        "test_front_page_box_only_while_enabled",
        "receiver-ignores-activation",
    ),
    mutation(
        "pretix",
        "{module}/signals.py::settings_nav_entry",
        r"\bif not ",
        "if False and not ",
        "test_nav_entry_hidden_from_users_without_permission",
        "nav-entry-ignores-permission",
    ),
    mutation(
        "pretalx",
        "{module}/signals.py",
        r"\Z",
        always_on("public_footer_link", "pretalx.cfp.signals"),
        "test_footer_link_only_while_enabled",
        "receiver-ignores-activation",
    ),
    mutation(
        "pretalx",
        "{module}/signals.py::orga_nav_entry",
        r"\bif not ",
        "if False and not ",
        "test_nav_entry_hidden_from_users_without_permission",
        "nav-entry-ignores-permission",
    ),
    mutation(
        "byro",
        "{module}/signals.py::member_notes_tab",
        r"@receiver\(member_view\b.*\n",
        "",
        "test_member_tab_answers_for_every_member",
        "receiver-disconnected",
    ),
    mutation(
        "pretix",
        "pyproject.toml",
        r"(?ms)^\[tool\.setuptools\.package-data\]\n.*?^\]\n",
        "",
        "W101",
        "package-data-removed",
        run_in="package",
    ),
    mutation(
        "pretix",
        "{module}/templates/{name}/settings.html",
        r"(?s).*",
        None,
        "test_settings_page_renders_in_the_control_panel",
        "template-removed",
        run_in="package",
    ),
    mutation(
        "pretix",
        "{module}/locale/de_Informal/LC_MESSAGES/django.po",
        r"(?s).*",
        None,
        "test_control_panel_asks_in_the_users_german",
        "informal-catalog-removed",
    ),
    mutation(
        "pretix",
        "{module}/templates/{name}/front_page.html",
        r"announcement\.text }}",
        "announcement.text|safe }}",
        "test_announcements_are_escaped_on_every_page",
        "user-text-marked-safe",
    ),
    mutation(
        "pretix",
        "{module}/templates/{name}/front_page.html",
        r"{{ heading }}",
        "{{ heading|safe }}",
        "test_announcements_are_escaped_on_every_page",
        "heading-marked-safe",
    ),
    mutation(
        "pretix",
        "{module}/templates/{name}/settings.html",
        r"announcement\.text }}",
        "announcement.text|safe }}",
        "test_announcements_are_escaped_on_every_page",
        "control-panel-list-marked-safe",
    ),
    mutation(
        "pretalx",
        "{module}/templates/{name}/announcements.html",
        r"announcement\.text\|rich_text }}",
        "announcement.text|safe }}",
        "test_announcements_render_markdown_and_no_markup",
        "user-text-marked-safe",
    ),
    mutation(
        "pretalx",
        "{module}/templates/{name}/announcements.html",
        r"announcement\.text\|rich_text }}",
        "announcement.text }}",
        "test_announcements_render_markdown_and_no_markup",
        "markdown-shown-as-typed",
    ),
    mutation(
        "pretalx",
        "{module}/templates/{name}/announcements.html",
        r'<link rel="stylesheet" href="{{ stylesheet }}">',
        "",
        "test_stylesheet_only_on_the_plugins_own_pages",
        "stylesheet-not-on-the-plugins-page",
    ),
    mutation(
        "pretalx",
        "{module}/apps.py",
        r"if event\.cfp\.is_open\b",
        "if True",
        "test_installed_hook_says_nothing_of_a_closed_call_for_papers",
        "installed-says-the-cfp-is-open",
    ),
    mutation(
        "byro",
        "{module}/views.py",
        r"note_id=note\.pk",
        "note=note.text",
        "test_notes_tab_saves_a_note",
        "note-text-kept-in-the-log",
    ),
    mutation(
        "byro",
        "{module}/signals.py",
        r'URL_NAME\.rpartition\(":"\)\[2\]',
        "URL_NAME",
        "test_notes_tab_renders_inside_the_member_page",
        "tab-never-marked-open",
    ),
    mutation(
        "byro",
        "{module}/templates/{name}/member_notes.html",
        r"note\.text }}",
        "note.text|safe }}",
        "test_notes_are_escaped",
        "user-text-marked-safe",
    ),
    mutation(
        "pretix",
        "{module}/views.py::SettingsView",
        r"\Z",
        "    permission = None\n",
        "test_settings_page_refuses_users_without_permission",
        "settings-view-skips-permission",
    ),
    mutation(
        "pretix",
        "{module}/views.py::AnnouncementMixin.get_object",
        r"\bevent=self\.request\.event, ",
        "",
        "test_another_events_announcement_cannot_be_reached_through_this_event",
        "announcement-pages-reach-other-events",
    ),
    mutation(
        "pretalx",
        "{module}/views.py::SettingsView",
        r"EventPermissionRequired, ",
        "",
        "test_settings_page_refuses_users_without_permission",
        "settings-view-skips-permission",
    ),
    # A receiver the author adds under a name the host or another plugin may use too.
    mutation(
        "pretix",
        "{module}/signals.py",
        r'dispatch_uid="\w+_front_page_top"',
        'dispatch_uid="front_page"',
        "test_names_shared_with_the_host_carry_the_plugins_name",
        "receiver-without-the-plugins-name",
    ),
    # The optional parts, in the bake with every part: each one broken the way it would break.
    mutation(
        "pretix",
        "{module}/exporters.py::TicketExporter.iterate_list",
        r"\bOrderPosition\.objects\.filter\(",
        "OrderPosition.objects.none().filter(",
        "test_export_lists_the_events_tickets_oldest_order_first",
        "exporter-writes-no-rows",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/exporters.py::TicketExporter.iterate_list",
        r", Order\.STATUS_PENDING\)",
        ",)",
        "test_export_holds_paid_and_pending_orders_with_price_and_status",
        "exporter-forgets-pending-orders",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/exporters.py",
        r"\Z",
        always_on("data_exporter", "pretix.base.signals"),
        "test_exporter_only_while_enabled",
        "exporter-ignores-activation",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/views.py::AnnouncementMixin",
        r"\bpermission = EventSettingsFormView\.permission",
        "permission = None",
        "test_managing_announcements_needs_the_settings_permission",
        "announcement-pages-skip-permission",
    ),
    mutation(
        "pretix",
        "{module}/views.py::AnnouncementListView.get_queryset",
        r"\.filter\(event=self\.request\.event\)",
        ".all()",
        "test_public_page_lists_announcements_once_enabled",
        "public-list-shows-every-event",
    ),
    mutation(
        "pretix",
        "{module}/payment_views.py::ReturnView.get",
        r"\.get_with_secret_check\(\s*code=kwargs\[\"order\"\],[^)]*\)",
        '.get(code=kwargs["order"])',
        "test_return_page_needs_the_orders_secret",
        "return-page-skips-the-secret",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/views.py::AnnouncementMixin",
        r"\(PluginActiveRequiredMixin, ",
        "(",
        "test_managing_announcements_is_404_while_disabled",
        "announcement-pages-ignore-activation",
    ),
    mutation(
        "pretix",
        "{module}/payment.py::OnlinePayment.notification_is_genuine",
        r"\breturn ",
        "return True or ",
        "test_forged_webhook_is_refused_and_changes_nothing",
        "webhook-skips-the-signature",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::update_payment",
        r"\brefund\.id not in recorded and ",
        "",
        "test_refund_made_at_the_service_is_recorded_once",
        "webhook-not-idempotent",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::update_payment",
        r"\bPAID and payment\.state in CONFIRMABLE:",
        "PAID:",
        "test_notification_after_a_full_refund_leaves_the_payment_refunded",
        "refunded-payment-confirmed-again",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::update_payment",
        r"\bexcept Quota\.QuotaExceededException as error:",
        "except ZeroDivisionError as error:",
        "test_paid_after_the_tickets_sold_out_keeps_the_payment",
        "late-payment-rolled-back",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::update_payment",
        r"\bmine = own\.get\(refund\.reference\)",
        "mine = None",
        "test_refund_notified_before_the_services_answer_is_recorded_once",
        "own-refund-recorded-as-external",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::update_payment",
        r" and refund\.status not in payment_service\.REFUND_FAILED",
        "",
        "test_failed_refund_at_the_service_is_not_recorded",
        "failed-refund-recorded",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::update_payment",
        r"\bPAID and \(found\.amount",
        "PAID and False and (found.amount",
        "test_payment_of_another_amount_is_not_confirmed",
        "amount-not-compared",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::update_payment",
        r"\bif not info\.get\(\"_shredded\"\):",
        "if True:",
        "test_notification_after_shredding_writes_no_personal_data_back",
        "payer-written-back-after-shredding",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::OnlinePayment.is_enabled",
        r" and self\.settings\.get\(\"webhook_secret\"\)",
        "",
        "test_method_is_not_offered_without_its_credentials",
        "offered-without-webhook-secret",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::OnlinePayment.execute_payment",
        r"\bif started is not None and started\.status == payment_service\.OPEN:",
        "if False:",
        "test_payment_started_twice_is_paid_through_the_first_reference",
        "second-payment-started",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::OnlinePayment.execute_refund",
        r"(?m)^ *refund\.state = OrderRefund\.REFUND_STATE_TRANSIT\n",
        "",
        "test_refund_state_follows_the_service",
        "pending-refund-not-in-transit",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::OnlinePayment.service",
        r"\btest_mode = payment\.info_data\.get\(\"test_mode\", test_mode\)",
        "pass",
        "test_test_mode_switched_after_payment_keeps_the_payments_own_mode",
        "test-mode-read-from-the-settings",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment_views.py::webhook",
        r"\bexcept LockTimeoutException:",
        "except ZeroDivisionError:",
        "test_lock_time_out_asks_the_service_to_notify_again",
        "lock-time-out-not-answered",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment_views.py::webhook",
        r"\breturn HttpResponse\(\"Service unavailable\", status=503\)",
        'return HttpResponse("OK")',
        "test_service_down_while_notifying_asks_it_to_send_again",
        "service-down-answered-ok",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment_views.py::webhook",
        r"\breturn HttpResponseBadRequest\(\"Not a notification\"\)",
        'return HttpResponse("Unknown payment")',
        "test_malformed_notification_is_refused",
        "malformed-notification-accepted",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::OnlinePayment.notification_is_genuine",
        r"\breturn bool\(secret\) and ",
        "return ",
        "test_empty_webhook_secret_trusts_no_notification",
        "empty-secret-signs",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment_views.py::webhook",
        r"(?m)^@csrf_exempt.*\n",
        "",
        "test_signed_webhook_confirms_the_payment",
        "webhook-behind-csrf",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment_views.py::webhook",
        r"\bevent = payment\.order\.event\n",
        "\\g<0>    if OnlinePayment.identifier not in event.get_plugins():\n        raise Http404\n",
        "test_payment_in_flight_is_confirmed_after_the_plugin_is_disabled",
        "webhook-drops-payments-of-disabled-events",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::find_payment",
        r"\.filter\(reference=reference\)",
        '.filter(reference=reference, payment__order__event__slug="dummy")',
        "test_one_account_serves_every_event",
        "webhook-finds-one-events-payments",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py::OnlinePayment.send_buyer",
        r"\breturn framebreak_url\(self\.event, url\)",
        "return url",
        "test_buyer_in_pretixs_widget_pays_in_a_tab_of_their_own",
        "widget-keeps-the-service-in-the-frame",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment_views.py::framebreak",
        r"\bsigning\.Signer\(salt=FRAMEBREAK_SALT\)\.unsign\(request\.GET\.get\(\"url\", \"\"\)\)",
        'request.GET.get("url", "").rsplit(":", 1)[0]',
        "test_buyer_in_pretixs_widget_pays_in_a_tab_of_their_own",
        "framebreak-opens-any-url",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/payment.py",
        r"\Z",
        always_on("payment_provider", "pretix.base.signals"),
        "test_payment_method_only_while_enabled",
        "payment-method-ignores-activation",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/validation.py::one_order_per_email",
        r"\bif earlier\.exists\(\):",
        "if False:",
        "test_second_order_is_refused_with_a_message",
        "validation-always-passes",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/after_action.py::record_heading_seen",
        r"(?m)^( +)order\.log_action\(",
        r"\g<1>return\n\g<1>order.log_action(",
        "test_order_history_notes_the_heading",
        "after-action-records-nothing",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/after_action.py::record_heading_seen",
        r"\bexcept Exception:",
        "except KeyError:",
        "test_a_failing_note_does_not_cost_the_order",
        "after-action-failure-costs-the-order",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/apps.py::PluginApp",
        r"(?m)^ +level = .*\n",
        "",
        "test_organizer_enables_it_on_the_organizer_plugin_page",
        "level-forgotten",
        parts=True,
    ),
    mutation(
        "pretix",
        "{module}/apps.py::PluginApp",
        r"\blevel = PLUGIN_LEVEL_EVENT_ORGANIZER_HYBRID",
        'level = "organizer"',
        "test_organizer_plugin_page_alone_does_not_activate_it_for_events",
        "level-organizer-wide",
        parts=True,
    ),
    mutation(
        "pretalx",
        "{module}/exporters.py::SpeakerExporter.get_csv_data",
        r"\bSubmission\.objects\.filter\(",
        "Submission.all_objects.filter(",
        "test_export_lists_the_proposals_with_their_speakers",
        "exporter-lists-drafts",
        parts=True,
    ),
    # pretalx 2025 hands reviewers the organisers' exports; only the exporter's own check keeps
    # them out there (2026 refuses them itself).
    mutation(
        "pretalx",
        "{module}/exporters.py::SpeakerExporter.render",
        r"\bif not request\.user\.has_perm\(",
        "if False and not request.user.has_perm(",
        "test_only_those_who_may_change_proposals_download_the_export",
        "exporter-skips-permission",
        run_in="suite-min",
        parts=True,
    ),
    mutation(
        "pretalx",
        "{module}/validation.py::require_a_cfp_deadline",
        r"\bif not sender\.cfp\.deadline:",
        "if False:",
        "test_refused_without_a_deadline",
        "validation-always-passes",
        parts=True,
        example="no",
    ),
    mutation(
        "pretalx",
        "{module}/after_action.py::note_new_talks",
        r"\bif titles:",
        "if False:",
        "test_release_notes_its_new_talks_once",
        "after-action-does-nothing",
        parts=True,
        example="no",
    ),
    mutation(
        "pretalx",
        "{module}/after_action.py::note_new_talks",
        r"\bif not sender\.get_feature_flag\(\"show_schedule\"\):",
        "if False:",
        "test_nothing_noted_while_the_schedule_is_hidden",
        "after-action-ignores-hidden-schedule",
        parts=True,
    ),
    mutation(
        "byro",
        "{module}/after_action.py::note_missing_email",
        r"\bif not sender\.email:",
        "if False:",
        "test_member_without_email_is_noted",
        "after-action-does-nothing",
        parts=True,
        example="no",
    ),
    mutation(
        "byro",
        "{module}/after_action.py::note_missing_email",
        r"\bif not sender\.email:",
        "if True:",
        "test_member_with_email_is_not_noted",
        "after-action-notes-every-member",
        parts=True,
    ),
    # byro's middleware keeps accounts without office access out of every office page; the view
    # must not depend on it.
    mutation(
        "byro",
        "{module}/views.py::MemberNotesView",
        r"OfficeAccessRequiredMixin, ",
        "",
        "test_view_asks_byros_own_check_without_the_middleware",
        "notes-view-skips-permission",
        run_in="suite-min",
    ),
    # Newer pretalx answers 404 for a disabled plugin's URLs itself; the oldest supported one
    # leaves it to the plugin's own check.
    mutation(
        "pretalx",
        "{module}/views.py::PluginActiveRequiredMixin.dispatch",
        r"\bif __package__ not in request\.event\.plugin_list:",
        "if False:",
        "test_public_page_is_404_while_disabled",
        "pages-ignore-activation",
        run_in="suite-min",
    ),
    # Without the example: the plugin's own setting, where it shows, and who may change it. The
    # settings views are the example's own classes, so their mutations above guard both.
    mutation(
        "pretix",
        "{module}/signals.py",
        r"\Z",
        always_on("public_front_page_box", "pretix.presale.signals"),
        "test_event_front_page_shows_the_heading_only_while_enabled",
        "receiver-ignores-activation",
        example="no",
    ),
    mutation(
        "pretix",
        "{module}/templates/{name}/front_page.html",
        r"heading }}",
        "heading|safe }}",
        "test_heading_is_escaped_on_the_front_page",
        "user-text-marked-safe",
        example="no",
    ),
    mutation(
        "pretalx",
        "{module}/templates/{name}/page.html",
        r"text\|rich_text }}",
        "text|safe }}",
        "test_text_is_sanitised",
        "user-text-marked-safe",
        example="no",
    ),
    mutation(
        "pretalx",
        "{module}/views.py::SettingsView",
        r"EventPermissionRequired, ",
        "",
        "test_settings_page_refuses_users_without_permission",
        "settings-view-skips-permission",
        example="no",
    ),
    mutation(
        "pretalx",
        "{module}/signals.py::public_footer_link",
        r"\bif not sender\.settings\.get\(TEXT\):",
        "if False:",
        "test_public_event_page_links_no_page_without_a_text",
        "footer-links-an-empty-page",
        example="no",
    ),
    mutation(
        "byro",
        "{module}/signals.py::member_dashboard_text",
        r"\bif member is None or not text:",
        "if True:",
        "test_member_dashboard_shows_the_text_while_there_is_one",
        "dashboard-tile-shows-nothing",
        example="no",
    ),
]


def ahead_of_the_installed_plugin(python, copy, module, mutated, env):
    """The environment in which the copy's package shadows the plugin installed in a session env.

    Reinstalling a mutated wheel and then the session's own again cost two builds per mutation.
    The package on PYTHONPATH comes first instead: the installed wheel's entry point names the
    same module, so the host loads the mutated code, and finds its templates and static files
    beside it. Only compiled catalogs are missing from a copy; they come from the installed
    wheel. So that the overlay cannot turn a suite red by itself, every file but the mutated one
    must be the installed one, byte for byte."""
    (installed,) = python.parent.parent.glob(f"lib/python*/site-packages/{module}")
    package = copy / "src" / module
    for catalog in installed.rglob("*.mo"):
        shutil.copyfile(catalog, package / catalog.relative_to(installed))
    assert package_files(package, but=mutated) == package_files(installed, but=mutated)
    return env | {"PYTHONPATH": str(copy / "src")}


def package_files(package, but):
    return {
        path.relative_to(package): path.read_bytes()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.relative_to(package) != but
    }


@pytest.mark.parametrize(("host", "mutation"), MUTATIONS)
def test_breaking_the_plugin_turns_it_red(green_plugin, tmp_path, host, mutation, request):
    path, pattern, replacement, failing_check, run_in, parts, example = mutation
    if example == "yes":
        project, env, _ = green_plugin(host, all_parts(host) if parts else "")
    else:
        project, env, _ = green_plugin(host, all_parts(host) if parts else "", "no")
    session_dist = {path.name: path.read_bytes() for path in (project / "dist").iterdir()}
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    module = next((copy / "src").glob("*/__init__.py")).parent.name
    file, _, qualname = path.partition("::")
    target = copy / file.format(module=f"src/{module}", name=module)
    if replacement is None:
        target.unlink()
    else:
        text = target.read_text()
        start, end = source_span(text, qualname) if qualname else (0, len(text))
        mutated = text[:start] + re.sub(pattern, replacement, text[start:end], count=1) + text[end:]
        assert mutated != text, f"the mutation of {path} did not apply"
        target.write_text(mutated)

    if run_in == "package":
        # The mutated build goes to a folder of its own: the session's dist/ is what the packaging
        # tests read, in whatever order they run.
        package_env = env | {"DIST_DIR": str(tmp_path / "dist")}
        result = run([sys.executable, "-m", "tox", "run", "-e", "package"], cwd=copy, env=package_env, check=False)
    else:
        # The mutated plugin in an already-built env of the host, and its suite run there.
        env_name = f"{host}-min" if run_in == "suite-min" else f"{host}-newest"
        python = project / ".tox" / env_name / "bin" / "python"
        if file.startswith("{module}/") and target.suffix != ".po":
            mutated_file = target.relative_to(copy / "src" / module)
            suite_env = ahead_of_the_installed_plugin(python, copy, module, mutated_file, env)
        else:
            # A catalog is compiled when the wheel is built: that mutation goes in as a wheel.
            install_into_session_env(request, python, copy, project, env)
            suite_env = env
        pytest_args = ["-q", "-p", "no:cacheprovider", "--continue-on-collection-errors"]
        # Only the test that must catch the mutation: the rest ran green with the unmutated
        # plugin already, and running them again would only cost time. A check of the host
        # contract comes from the toolkit, which a plain run collects.
        catchers = [path for path in (copy / "tests").glob("test_*.py") if f"def {failing_check}(" in path.read_text()]
        contract = (toolkit.MODULE / "contract.py").read_text()
        assert catchers or f"def {failing_check}(" in contract, f"no test {failing_check}"
        selected = [*(str(catcher.relative_to(copy)) for catcher in catchers), "-k", failing_check]
        result = run([str(python), "-m", "pytest", *pytest_args, *selected], cwd=copy, env=suite_env, check=False)
    output = result.stdout + result.stderr
    assert {path.name: path.read_bytes() for path in (project / "dist").iterdir()} == session_dist
    assert result.returncode != 0, f"still green after the mutation of {path}"
    assert failing_check in output, output[-5000:]
    if failing_check.startswith("test_"):
        assert re.search(rf"(FAILED|ERROR) .*{failing_check}", output), output[-5000:]


def test_a_pytest_ini_that_overrides_pyproject_is_named(green_plugin, tmp_path):
    # Issue 42: a pytest.ini left from the hosts' official cookiecutter comes before pyproject.toml,
    # and pytest then ignores [tool.pytest.ini_options] without a word. The contract says so.
    project, env, _ = green_plugin("pretix")
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    (copy / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = pretix.testutils.settings\n")
    python = project / ".tox" / "pretix-min" / "bin" / "python"
    check = "test_pytest_reads_the_settings_of_pyproject"
    command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", check]
    result = run(command, cwd=copy, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and re.search(rf"FAILED .*{check}", output), output[-5000:]
    assert "pytest.ini overrides [tool.pytest.ini_options] of pyproject.toml" in output
    (copy / "pytest.ini").unlink()
    assert run(command, cwd=copy, env=env, check=False).returncode == 0


def test_format_fixes_what_lint_complains_about(green_plugin, tmp_path):
    project, env, _ = green_plugin("pretix")
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    views = next((copy / "src").glob("*/views.py"))
    # An unused import (a fix ruff may apply) and a badly formatted line.
    views.write_text("import os\n" + views.read_text() + "\nEXTRA = {  'a':1 }\n")
    tox = [sys.executable, "-m", "tox", "run", "--workdir", str(project / ".tox"), "-e"]
    assert run([*tox, "lint"], cwd=copy, env=env, check=False).returncode != 0
    run([*tox, "format"], cwd=copy, env=env)
    run([*tox, "lint"], cwd=copy, env=env)
    assert "import os" not in views.read_text() and 'EXTRA = {"a": 1}' in views.read_text()


# An author's test that switches to German and another time zone, fills the cache, enters a
# host scope, and puts nothing back; and one that expects the defaults. Both run before every
# other test of the suite.
LEAKING_TEST = """
import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
{scopes_import}
# With a database, as most tests: pytest-django runs the tests without one last.
pytestmark = pytest.mark.django_db


def test_a_german_test_that_puts_nothing_back():
    translation.activate("de")
    timezone.activate("Pacific/Chatham")
    cache.set("left", "behind")
    {enter_scope}


def test_the_next_test_starts_fresh():
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    assert cache.get("left") is None
    {check_scope}
"""


NO_FRESH_START = """

import pytest


@pytest.fixture(autouse=True)
def _fresh_start():
    pass
"""


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_a_test_that_switches_language_changes_no_result(green_plugin, tmp_path, host):
    project, env, output = green_plugin(host)
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    scoped = host in ("pretix", "pretalx")  # the hosts that guard queries with django-scopes
    (copy / "tests" / "test_0_leaks.py").write_text(
        LEAKING_TEST.format(
            scopes_import="from django_scopes import get_scope, scope\n" if scoped else "",
            enter_scope="scope(event=None).__enter__()" if scoped else "",
            check_scope="assert not get_scope().get('_enabled')" if scoped else "",
        )
    )
    python = str(project / ".tox" / f"{host}-newest" / "bin" / "python")
    # In file order, the leaking test first: every test passes as it did without it.
    in_order = [python, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider"]
    result = run(in_order, cwd=copy, env=env, check=False)
    assert result.returncode == 0, result.stdout[-5000:]
    assert re.search(r"^tests/test_0_leaks\.py \.\.", result.stdout, re.MULTILINE), result.stdout[-5000:]
    assert suite_counts(result.stdout) == [suite_counts(output)[0] + 2], result.stdout[-3000:]
    # And it is the harness that keeps them apart: without the toolkit's fresh start (which the
    # plugin's conftest.py overrides here, as an author's fixture of the same name does), the
    # next test fails.
    with (copy / "tests" / "conftest.py").open("a") as conftest:
        conftest.write(NO_FRESH_START)
    result = run([*in_order, "tests/test_0_leaks.py"], cwd=copy, env=env, check=False)
    assert re.search(r"FAILED .*test_the_next_test_starts_fresh", result.stdout), result.stdout[-5000:]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_a_file_deleted_after_a_build_is_gone_from_the_next_wheel(green_plugin, tmp_path, host, request):
    # A first tox run leaves setuptools' build/lib behind; the next wheel must still come from
    # src/ alone, or a deleted migration or template passes every test until a clean CI build.
    project, env, _ = green_plugin(host)
    assert (project / "build" / "lib").is_dir(), "the first run left no build/lib to go stale"
    ignored = tuple(pattern for pattern in NOT_COPIED if pattern != "build")
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*ignored)))
    module = next((copy / "src").glob("*/__init__.py")).parent.name
    (copy / "src" / module / "migrations" / "0001_initial.py").unlink()
    template = sorted((copy / "src" / module / "templates" / module).glob("*.html"))[0]
    template.unlink()
    # The envs of the first run, with the copy's sources: tox builds the wheel in the copy.
    put_back_when_done(request, project / ".tox" / f"{host}-min" / "bin" / "python", project, env, tmp_path)
    tox = [sys.executable, "-m", "tox", "run", "-e", f"{host}-min", "--workdir", str(project / ".tox")]
    result = run(tox, cwd=copy, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-5000:]
    assert re.search(r"FAILED .*test_the_migrations_match_the_models", output), output[-5000:]
    assert f"TemplateDoesNotExist: {module}/{template.name}" in output, output[-5000:]


# Inside a host: every installed app's label and top-level module, the plugin's own left out.
INSTALLED_NAMES = """
import json, os, django
from django.apps import apps
django.setup()
names = set()
for app in apps.get_app_configs():
    if app.name.split(".")[0] != os.environ["PLUGIN"]:
        names |= {app.label, app.name.split(".")[0]}
print(json.dumps(sorted(names)))
"""


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_host_table_reserves_every_app_the_host_installs(green_plugin, host):
    # A plugin whose app label or package is one the host already installs (`auth`,
    # `rest_framework`, `compressor`...) clashes with it; the hook refuses the host table's
    # reserved names, so the table must hold every one of them at both ends.
    project, env, _ = green_plugin(host)
    module = next((project / "src").glob("*/__init__.py")).parent.name
    reserved = set(HOSTS[host]["reserved_names"]) | {"django"}
    for end in ("min", "newest"):
        python = project / ".tox" / f"{host}-{end}" / "bin" / "python"
        settings = {
            "DJANGO_SETTINGS_MODULE": f"hostplugin_toolkit.settings.{host}",
            "PLUGIN": module,
            "PYTHONPATH": str(project),
            "PYTHONDONTWRITEBYTECODE": "1",  # reading the session's bake only
        }
        output = run([str(python), "-c", INSTALLED_NAMES], cwd=project, env=env | settings).stdout
        installed = json.loads(output.splitlines()[-1])  # the last line: hosts print a banner first
        missing = sorted(set(installed) - reserved)
        assert not missing, f"{host}-{end} installs apps the host table does not reserve: {missing}"


# Where each host keeps its plugin categories.
HOST_CATEGORIES = {
    "pretix": "from pretix.base.plugins import CATEGORY_ORDER as categories",
    "pretalx": "from pretalx.common.plugins import CATEGORY_LABELS as categories",
}


@pytest.mark.parametrize("host", sorted(HOST_CATEGORIES))
def test_host_table_offers_the_hosts_own_categories(green_plugin, host):
    # The category prompt offers the host table's list; each must be one the host knows at both
    # ends, or the plugin lands under "Other".
    project, env, _ = green_plugin(host)
    settings = {
        "DJANGO_SETTINGS_MODULE": f"hostplugin_toolkit.settings.{host}",
        "PYTHONPATH": str(project),
        "PYTHONDONTWRITEBYTECODE": "1",  # reading the session's bake only
    }
    code = f"import django, json; django.setup(); {HOST_CATEGORIES[host]}; print(json.dumps(list(categories)))"
    for end in ("min", "newest"):
        python = project / ".tox" / f"{host}-{end}" / "bin" / "python"
        output = run([str(python), "-c", code], cwd=project, env=env | settings).stdout
        assert set(HOSTS[host]["categories"]) <= set(json.loads(output.splitlines()[-1])), f"{host}-{end}"


def test_wheel_builds_from_the_sdist_on_a_machine_without_gettext(green_plugin, tmp_path):
    # pip builds a wheel from the sdist where no wheel fits; the sdist carries the compiled .mo
    # files, so that build must not need msgfmt. (setup.py is the same for every host.)
    project, env, _ = green_plugin("pretix")
    (sdist,) = (project / "dist").glob("*.tar.gz")
    uv = shutil.which("uv", path=env["PATH"])
    without_gettext = env | {"PATH": str(tmp_path / "empty")}
    build = [uv, "build", "--wheel", "--python", sys.executable, "--out-dir", str(tmp_path / "wheel"), str(sdist)]
    run(build, cwd=tmp_path, env=without_gettext)
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    assert any(name.endswith("/LC_MESSAGES/django.mo") for name in zipfile.ZipFile(wheel).namelist())


def test_module_name_without_the_host_prefix_packages_fully(tmp_path):
    # Package discovery must not depend on the module name starting with the host's name.
    project = bake(tmp_path, host="pretix", module_name="superplugin")
    env = tool_env(pythons_for("pretix"))
    env["DIST_DIR"] = str(project / "dist")
    result = run([sys.executable, "-m", "tox", "run", "-e", "package"], cwd=project, env=env, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-10000:]
    (wheel,) = (project / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "superplugin/templates/superplugin/settings.html" in names
    assert "superplugin/locale/de/LC_MESSAGES/django.mo" in names


def po_messages(text):
    """The msgids of a catalog, without the header; gettext wraps long ones over several lines."""
    entries = re.findall(r'^msgid ((?:"[^\n]*"\n)+)', text, flags=re.MULTILINE)
    messages = {"".join(re.findall(r'"(.*)"', entry)) for entry in entries}
    return messages - {""}


def test_makemessages_with_a_locale_starts_that_language(tmp_path):
    # DEVELOPING.md: "add one with `tox -e makemessages -- -l fr`". Django's makemessages ignores
    # --locale next to --all, so the env must not pass --all when the author names a language.
    project = bake(tmp_path, host="pretix")
    env = tool_env(pythons_for("pretix"))
    run([sys.executable, "-m", "tox", "run", "-e", "makemessages", "--", "-l", "fr"], cwd=project, env=env)
    (french,) = project.glob("src/*/locale/fr/LC_MESSAGES/django.po")
    (german,) = project.glob("src/*/locale/de/LC_MESSAGES/django.po")
    assert po_messages(french.read_text()) == po_messages(german.read_text())


@pytest.mark.parametrize(("host", "parts", "example"), BAKES)
def test_makemessages_finds_exactly_the_shipped_messages(green_plugin, tmp_path, host, parts, example):
    # The shipped catalog must be what `tox -e makemessages` produces: no message missing, none
    # stale, and nothing for gettext to guess (a fuzzy entry is a translation nobody checked).
    project, env, _ = green_plugin(host, parts, example)
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    # The host table's catalogs: German, and for pretix informal German (de_Informal) too, as
    # pretix's own plugins ship it.
    catalogs = sorted(copy.glob("src/*/locale/*/LC_MESSAGES/django.po"))
    assert [path.parent.parent.name for path in catalogs] == HOSTS[host]["catalogs"]
    shipped = {catalog: catalog.read_text() for catalog in catalogs}
    run([sys.executable, "-m", "tox", "run", "-e", "makemessages"], cwd=copy, env=env)
    for catalog in catalogs:
        assert po_messages(catalog.read_text()) == po_messages(shipped[catalog])
        # Byte for byte what makemessages writes, order and line wrapping included, so that the
        # author's first run shows only their own strings in the diff. Only the date moves.
        undated = re.compile(r'^"POT-Creation-Date: .*\\n"$', flags=re.M)
        assert undated.sub("", catalog.read_text()) == undated.sub("", shipped[catalog])
        assert "#, fuzzy" not in catalog.read_text()
        assert "#~" not in catalog.read_text(), "makemessages found messages the code no longer has"
        # Django's makemessages leaves a catalog that is up to date as it was (msgmerge
        # --update), whatever its layout; gettext's own tools write it as it is shipped.
        original = project / catalog.relative_to(copy)
        assert run(["msgcat", str(original)], cwd=tmp_path).stdout == shipped[catalog]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_translations_env_fails_on_a_message_the_catalogs_lack_and_on_a_broken_catalog(green_plugin, tmp_path, host):
    # The green run passed `tox -e translations`; an author's new message, and a catalog that a
    # merge left with one entry twice, must each turn it red with a line that says what is wrong.
    project, env, _ = green_plugin(host)
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    (catalog,) = copy.glob("src/*/locale/de/LC_MESSAGES/django.po")
    shipped = catalog.read_text()
    apps = next(copy.glob("src/*/apps.py"))
    apps.write_text(apps.read_text() + '\nNEW = gettext_lazy("A message nobody translated")\n')
    tox = [sys.executable, "-m", "tox", "run", "-e", "translations"]
    result = run(tox, cwd=copy, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "lacks 1 message(s) of the code: ['A message nobody translated']" in output, output[-3000:]
    assert catalog.read_text() == shipped, "the check changed the catalog"

    apps.write_text(apps.read_text().replace('\nNEW = gettext_lazy("A message nobody translated")\n', ""))
    first = re.search(r'^msgid "[^"]+"\nmsgstr "[^"]*"\n', shipped, re.MULTILINE)[0]
    catalog.write_text(shipped + "\n" + first)
    result = run(tox, cwd=copy, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "does not compile" in output and "duplicate message definition" in output, output[-3000:]


@pytest.mark.parametrize(
    ("host", "example"),
    [*((host, "yes") for host in sorted(HOSTS)), *((host, "no") for host in sorted(HOSTS))],
)
def test_manage_writes_a_migration_that_every_supported_host_can_load(green_plugin, tmp_path, host, example, request):
    project, env, _ = green_plugin(host, example=example)
    copy = Path(shutil.copytree(project, tmp_path / project.name, ignore=shutil.ignore_patterns(*NOT_COPIED)))
    module = next((copy / "src").glob("*/__init__.py")).parent.name
    models = copy / "src" / module / "models.py"
    tenant_model = HOSTS[host]["tenant_model"]
    # The most ordinary new fields of an existing model: hosts that replace makemigrations drop
    # `blank` and then ask for a default that Django itself would never ask for.
    new_fields = (
        "    note = models.CharField(max_length=200, blank=True)\n"
        f'    moved_from = models.ForeignKey("{tenant_model}", null=True, blank=True, '
        'on_delete=models.SET_NULL, related_name="+")\n'
    )
    bookmark = (
        "\n\nclass Bookmark(models.Model):\n"
        f'    owner = models.ForeignKey("{tenant_model}", on_delete=models.CASCADE, related_name="+")\n'
    )
    if example == "yes":
        # The class line and its docstring, of one line or several.
        example_model = r'(?ms)^(class \w+\(models\.Model\):\n    """.*?"""\n\n)'
        text, added = re.subn(example_model, rf"\g<1>{new_fields}", models.read_text(), count=1)
        assert added, "the example model was not found"
        models.write_text(text + bookmark)
    else:
        # The author's first model (in pretix and pretalx, in a models.py that has none yet).
        models.write_text(models.read_text() + "\nfrom django.db import models\n" + bookmark + new_fields)
    # The number after the plugin's last migration: 0001 for a plugin without a model yet.
    first = f"{len(list((copy / 'src' / module / 'migrations').glob('0*.py'))) + 1:04d}"
    manage = [sys.executable, "-m", "tox", "run", "-e", "manage", "--"]
    # stdin is not a terminal here, as in CI: nothing may wait for an answer.
    result = run([*manage, "makemigrations", module, "--name", "bookmark"], cwd=copy, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    # Only the plugin's migration is written: none for the host's own apps (released hosts have
    # model changes without migrations), and none that depends on such a host migration.
    assert output.count("Migrations for") == 1, output
    (migration,) = (copy / "src" / module / "migrations").glob(f"{first}_bookmark.py")
    written = migration.read_text()
    assert "blank=True" in written and "null=True" in written, written
    tenant_app = tenant_model.split(".")[0]
    dependencies = re.findall(r"\('(\w+)', '(\w+)'\)", written)
    for app, name in dependencies:
        if app == tenant_app:
            host_migrations = list(
                (copy / ".tox" / "manage").glob(f"lib/python*/site-packages/**/migrations/{name}.py")
            )
            assert host_migrations, f"{migration.name} depends on {app}.{name}, which the host does not ship"
    # The newest host loads the graph too, with the plugin's new migration in it, and finds
    # nothing left to migrate: the migration says all the models say.
    newest = project / ".tox" / f"{host}-newest" / "bin" / "python"
    install_into_session_env(request, newest, copy, project, env)
    check = ["-m", "hostplugin_toolkit", "manage", "makemigrations", module, "--check", "--dry-run"]
    run([str(newest), *check], cwd=copy, env=env)

    # A field that needs a default for the existing rows: a question only a person can answer.
    # Without a terminal it ends with a message that says what to do, not with EOFError.
    models.write_text(models.read_text() + "    rank = models.IntegerField()\n")
    result = run([*manage, "makemigrations", module], cwd=copy, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "give the new field a default or null=True" in output, output[-5000:]
    assert "Traceback" not in output and "EOFError" not in output, output[-5000:]
