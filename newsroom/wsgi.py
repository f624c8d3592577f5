import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from newsroom.settings import refuse_dev_secret_when_serving  # noqa: E402

refuse_dev_secret_when_serving()
application = get_wsgi_application()
