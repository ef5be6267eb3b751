"""pretix: organizers, events, teams, the plugin switched on and off, and a buyer's checkout."""

import datetime

# A fixed development login: the dev server and the install check listen on localhost only.
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "admin"


def make_team(organizer, *, may_change_settings):
    """A team with access to all events of the organizer, with or without the right to change
    their settings."""
    from pretix.base.models import Team

    team = Team.objects.create(organizer=organizer, name="Team", all_events=True)
    field_names = {field.name for field in Team._meta.get_fields()}
    if "all_event_permissions" in field_names:
        # pretix 2026.x: permissions are sets, granted all at once or listed one by one.
        team.all_event_permissions = may_change_settings
        team.all_organizer_permissions = may_change_settings
    else:
        # Older pretix: one boolean field per permission.
        for name in field_names:
            if name.startswith("can_"):
                setattr(team, name, may_change_settings)
    team.save()
    return team


def is_hybrid(module):
    """Whether the plugin's meta declares pretix's organizer-and-event level."""
    from django.apps import apps
    from pretix.base import plugins

    hybrid = getattr(plugins, "PLUGIN_LEVEL_EVENT_ORGANIZER_HYBRID", None)
    config = apps.get_containing_app_config(module)
    meta = getattr(config, "PretixPluginMeta", None) if config else None
    return hybrid is not None and getattr(meta, "level", None) == hybrid


def enable_plugin(event, module):
    # A hybrid plugin is active where both the organizer account and the event enabled it.
    # enable_plugin() also calls the plugin's installed() hook, as the control panel does.
    if is_hybrid(module):
        event.organizer.enable_plugin(module)
        event.organizer.save()
    event.enable_plugin(module)
    event.save()


def disable_plugin(event, module):
    event.disable_plugin(module)
    event.save()


def make_event(organizer, slug, name):
    from django.utils.timezone import now
    from pretix.base.models import Event

    # live=True: anonymous visitors may only see the public pages of live events.
    return Event.objects.create(
        organizer=organizer, name=name, slug=slug, date_from=now() + datetime.timedelta(days=30), live=True
    )


def demo_site(base_url):
    """Create what is missing of the demo: an organizer, a live event in English and German,
    and an admin in a team that may change everything. Returns the organizer, the event, the
    login and the event's front page."""
    from django.utils.timezone import now
    from django_scopes import scopes_disabled
    from pretix.base.models import Event, Organizer, User

    with scopes_disabled():
        organizer, _ = Organizer.objects.get_or_create(slug="demo", defaults={"name": "Demo Organizer"})
        event, created = Event.objects.get_or_create(
            organizer=organizer,
            slug="demo",
            defaults={"name": "Demo Conference", "date_from": now() + datetime.timedelta(days=30), "live": True},
        )
        if created:
            # In English and German, so that the plugin's translations show: switch with the
            # shop's language menu.
            event.settings.set("locales", ["en", "de"])
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            admin = User.objects.create_user(ADMIN_EMAIL, ADMIN_PASSWORD)
            make_team(organizer, may_change_settings=True).members.add(admin)
    login = {"url": f"{base_url}/control/login", "form": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}}
    return {
        "organizer": organizer,
        "event": event,
        "login": login,
        "front_page": f"{base_url}/{organizer.slug}/{event.slug}/",
    }


def checkout(event, item, payment=None, email="buyer@example.org", buyer=None):
    """Buy one `item` in the event's shop as a buyer's browser does, and return the last page
    pretix shows: the order's page, the confirmation page with pretix's error, or pretix's
    redirect to another site (a payment service's).

    Cart, contact details, payment method (pretix skips that step for free orders), confirm:
    pretix's validation, its order service and its order signals all run on the way.
    """
    from django.test import Client

    buyer = buyer or Client()  # a browser of its own, not logged in to the control panel
    shop = f"/{event.organizer.slug}/{event.slug}"
    buyer.post(f"{shop}/cart/add", {f"item_{item.pk}": "1"})
    buyer.get(f"{shop}/checkout/start")
    buyer.post(f"{shop}/checkout/questions/", {"email": email, "email_repeat": email})
    if payment is not None:
        buyer.post(f"{shop}/checkout/payment/", {"payment": payment})
    page = buyer.post(f"{shop}/checkout/confirm/")
    while page.status_code == 302 and page.url.startswith("/"):  # pretix's own pages
        page = buyer.get(page.url)
    return page


def place_order(event, item, payment=None, email="buyer@example.org"):
    """Check out as checkout() does, and return the order pretix placed."""
    from pretix.base.models import Order

    page = checkout(event, item, payment, email=email)
    assert page.resolver_match.url_name == "event.order", page.content.decode()[-3000:]
    return Order.objects.get(event=event, code=page.resolver_match.kwargs["order"])
