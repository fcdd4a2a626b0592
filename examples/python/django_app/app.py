# SPDX-License-Identifier: Apache-2.0
"""Minimal "hello JSON" server on Django (Debian python3-django), single-file settings,
served by gunicorn:

    cd examples/python/django_app
    /usr/bin/python3 -m gunicorn --workers 1 --bind 127.0.0.1:8080 app:application
"""
import os

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="benchdeck-example-not-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def hello(request):
    # compact separators: the same bytes as the other servers
    return JsonResponse({"message": "Hello, World!"}, json_dumps_params={"separators": (",", ":")})


urlpatterns = [path("json", hello)]

application = get_wsgi_application()
