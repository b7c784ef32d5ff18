"""Language from the URL: ``?lang=en`` or ``?lang=zh`` wins over ``Accept-Language``.

The choice lives in the URL (every internal link carries it on), never in a cookie or a session, so
pages stay cacheable and shareable in the language they were read in.
"""

from django.utils import translation

from timeline.filters import LANGUAGES


class QueryLanguageMiddleware:
    """Runs after LocaleMiddleware, which has already applied ``Accept-Language``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = LANGUAGES.get(request.GET.get("lang", ""))
        request.lang_param = code and request.GET["lang"]
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
