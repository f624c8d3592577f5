import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from newsroom.settings import refuse_dev_secret_when_serving  # noqa: E402

refuse_dev_secret_when_serving()
application = get_asgi_application()
