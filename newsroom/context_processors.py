from django.conf import settings
from django.utils.translation import gettext as _


def site_name() -> str:
    """The paper's name: SITE_NAME, or "Newsroom" in the reader's language."""
    return settings.SITE_NAME or _("Newsroom")


def site(request):
    return {"SITE_NAME": site_name(), "SITE_URL": settings.SITE_URL}
