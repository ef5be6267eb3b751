"""pretalx: organisers, events with their CfP, users in teams, proposals, the plugin switched on
and off, on every supported pretalx."""

import datetime

# A fixed development login: the dev server and the install check listen on localhost only.
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "admin"
# The demo event; `hostplugin serve -- shell` is scoped to it.
EVENT_SLUG = "demo"


def enable_plugin(event, module):
    # Also calls the plugin's installed() hook, as the organiser's plugin page does.
    try:  # pretalx 2026.2 and newer
        from pretalx.event.domain.plugins import enable_plugin as enable
    except ImportError:  # older pretalx: a method on the event, which the caller saves
        event.enable_plugin(module)
        event.save()
    else:
        enable(event, module)
    event.refresh_from_db()


def disable_plugin(event, module):
    try:
        from pretalx.event.domain.plugins import disable_plugin as disable
    except ImportError:
        event.disable_plugin(module)
        event.save()
    else:
        disable(event, module)
    event.refresh_from_db()


def initialise_event(event):
    """pretalx 2026.2 and newer set up a new event's CfP, schedule and mail templates here;
    older pretalx does when the event is first saved."""
    try:
        from pretalx.event.domain.event import initialise_event as initialise
    except ImportError:
        return
    initialise(event)


def set_languages(event, locales):
    # pretalx 2026 keeps the event's languages in a list (`locales`), older pretalx in a
    # comma-separated text (`locale_array`).
    from pretalx.event.models import Event

    if hasattr(Event, "locale_array"):
        event.locale_array = ",".join(locales)
    else:
        event.locales = locales
    event.save()


def create_user(email, password, name):
    """A user whose address counts as confirmed. pretalx's development branch (2026.3.0.dev0)
    sends a new user with an unconfirmed address to a page that asks for the confirmation link,
    whatever page they open; accounts from before that release count as confirmed."""
    from pretalx.person.models import User

    user = User.objects.create_user(email=email, password=password, name=name)
    if hasattr(user, "email_verification_state"):
        user.email_verification_state = "verified"
        user.save(update_fields=["email_verification_state"])
    return user


def make_user(email, password, event, *, may_change_settings):
    """A user in a team of the event's organiser, with or without the right to change the
    event's settings."""
    from pretalx.event.models import Team

    user = create_user(email, password, email.split("@")[0])
    team = Team.objects.create(
        organiser=event.organiser,
        name=email,
        all_events=True,
        can_change_submissions=True,
        can_change_event_settings=may_change_settings,
    )
    team.members.add(user)
    return user


def make_event(organiser, slug, name):
    from django.utils.timezone import now
    from pretalx.event.models import Event

    day = now().date() + datetime.timedelta(days=30)
    # is_public: anonymous visitors may only see the public pages of public events.
    event = Event.objects.create(
        name=name, slug=slug, organiser=organiser, date_from=day, date_to=day, email="orga@example.org", is_public=True
    )
    initialise_event(event)
    return event


def make_submission(event, title, *speaker_names, state=None):
    """A proposal in the event, submitted unless `state` says otherwise, by new speakers of these
    names (their address: name@example.org)."""
    from pretalx.submission.models import Submission, SubmissionStates

    submission = Submission.objects.create(
        event=event, title=title, submission_type=event.cfp.default_type, state=state or SubmissionStates.SUBMITTED
    )
    for name in speaker_names:
        user = create_user(f"{name.lower()}@example.org", "password", name)
        # pretalx 2026 links a proposal to the speaker's profile for the event, older pretalx to
        # the user.
        submission.speakers.add(user.get_speaker(event) if hasattr(user, "get_speaker") else user)
    return submission


def demo_site(base_url):
    """Create what is missing of the demo: an organiser, a public event in English and German
    with its CfP, and an admin in a team that may change its settings. Returns the organiser,
    the event, the login and the event's front page."""
    from django_scopes import scopes_disabled
    from pretalx.event.models import Event, Organiser
    from pretalx.person.models import User

    with scopes_disabled():
        organiser, _ = Organiser.objects.get_or_create(slug="demo", defaults={"name": "Demo Organiser"})
        event = Event.objects.filter(slug=EVENT_SLUG).first()
        if not event:
            event = make_event(organiser, EVENT_SLUG, "Demo Conference")
            # In English and German, so that the plugin's translations show: switch with the
            # language menu of the event's pages.
            set_languages(event, ["en", "de"])
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            make_user(ADMIN_EMAIL, ADMIN_PASSWORD, event, may_change_settings=True)
    login = {"url": f"{base_url}/orga/login/", "form": {"login_email": ADMIN_EMAIL, "login_password": ADMIN_PASSWORD}}
    return {"organiser": organiser, "event": event, "login": login, "front_page": f"{base_url}/{event.slug}/"}
