"""byro: the association's configuration, members and office accounts. byro plugins are always
on: there is nothing to enable."""

# A fixed development login: the dev server and the install check listen on localhost only.
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"


def configure(name):
    # byro sends every logged-in user to its setup page until these are filled in.
    from byro.common.models import Configuration

    config = Configuration.get_solo()
    config.name = name
    config.backoffice_mail = "office@example.org"
    config.mail_from = "office@example.org"
    config.save()
    return config


def demo_site(base_url, *, superuser=False):
    """Create what is missing of the demo: the association's configuration, a member and an
    office account (a superuser where the plugin's settings are on byro's settings page).
    Returns the member, the login and the member's page."""
    from byro.members.models import Member
    from django.contrib.auth import get_user_model

    configure("Demo Association")
    member, _ = Member.objects.get_or_create(number="1", defaults={"name": "Ada Lovelace", "email": "ada@example.org"})
    users = get_user_model().objects
    if not users.filter(username=ADMIN_USERNAME).exists():
        if superuser:
            users.create_superuser(ADMIN_USERNAME, "admin@example.org", ADMIN_PASSWORD)
        else:
            # Office work needs a staff account in newer byro (any account in older releases).
            users.create_user(ADMIN_USERNAME, "admin@example.org", ADMIN_PASSWORD, is_staff=True)
    login = {"url": f"{base_url}/login/", "form": {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}}
    return {"member": member, "login": login, "member_page": f"{base_url}/members/view/{member.pk}/data"}
