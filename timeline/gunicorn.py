"""gunicorn settings from the Django settings: ``gunicorn -c python:timeline.gunicorn timeline.wsgi``.

gunicorn believes ``X-Forwarded-Proto`` (and turns the request into HTTPS) only from
``forwarded_allow_ips``; its default trusts 127.0.0.1, so any local client could flip every absolute
link to ``https://``. Here it trusts exactly the proxies the site is configured with
(``DJANGO_PROXY_COUNT`` and ``DJANGO_TRUSTED_PROXIES``), and nobody when there are none.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")

from django.conf import settings  # noqa: E402

forwarded_allow_ips = ",".join(settings.TIMELINE_TRUSTED_PROXIES) if settings.TIMELINE_PROXY_COUNT else ""
