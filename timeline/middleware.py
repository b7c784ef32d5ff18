"""Language from the URL: ``?lang=en`` or ``?lang=zh`` wins over ``Accept-Language``; nothing else counts.

The choice lives in the URL (every internal link carries it on), never in a cookie or a session, so
pages stay cacheable and shareable in the language they were read in. Django's own
``LocaleMiddleware`` also reads the ``django_language`` cookie, which the public responses do not
vary on: one request carrying it could make a shared cache serve Chinese to everyone. This subclass
keeps its response side (``Vary: Accept-Language``, ``Content-Language``) and decides the language
from the query and the header only.
"""

from functools import wraps

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

from timeline.filters import LANGUAGES


def accepted_language(header: str) -> str:
    """The first supported language of an ``Accept-Language`` header, else the site's default."""
    for code, _ in parse_accept_lang_header(header or ""):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def language_neutral(view):
    """Marks a view whose answers do not depend on the language (a script): the middleware adds
    neither ``Vary: Accept-Language`` nor ``Content-Language`` to them, so a shared cache keeps one copy."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.language_neutral = True
        return response

    return wrapped


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        code = LANGUAGES.get(request.GET.get("lang", ""))
        request.lang_param = code and request.GET["lang"]
        translation.activate(code or accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if getattr(response, "language_neutral", False):
            return response
        return super().process_response(request, response)
