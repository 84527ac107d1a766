"""WSGI entry point, for plain HTTP servers (gunicorn); WebSockets need asgi.py."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saypro.settings")
application = get_wsgi_application()
