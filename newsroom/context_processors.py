from django.conf import settings
from django.utils.translation import gettext as _


def site(request):
    return {"SITE_NAME": settings.SITE_NAME or _("Newsroom"), "SITE_URL": settings.SITE_URL}
