"""The "Embed this view" builder (``/embed/builder/``): the chronology's current filters plus the widget's
options (layout, theme, accent, language, limit, height, focus item), a live preview of the widget, both
snippets (iframe + loader script, and the plain iframe) and the oEmbed URL.

It is a plain GET form that renders the whole page, so it works without JavaScript; with it, htmx
re-renders the preview and the snippets as the options change. The preview is the very URL the snippets
carry, at the height they reserve, so what the publisher sees is what they paste.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from timeline.embedding import (
    CURRENT_VERSION,
    LAYOUTS,
    MAX_HEIGHT,
    MAX_LIMIT,
    MIN_HEIGHT,
    THEMES,
    EmbedOptions,
    snippets,
)
from timeline.filters import LANGUAGES, FilterForm, language_of
from timeline.http import public_cache
from timeline.models import Item
from timeline.views.embed import title as widget_title
from timeline.views.embed import widget_page

WIDGET_LANGUAGES = ("en", "zh")
MAX_FOCUS_CHOICES = 300  # items offered in the focus menu; any other id can still be typed into the URL


def widget_language(request) -> str:
    """The widget's language: ``language=en|zh`` ("" lets each reader's browser choose)."""
    value = request.GET.get("language", "")
    return value if value in WIDGET_LANGUAGES else ""


def builder_query(form: FilterForm) -> str:
    """The builder's URL query for the chronology's current filters (its language becomes the widget's)."""
    params = form.params(without=("page",))
    if form.language:
        params["language"] = [form.language]
    query = urlencode(params, doseq=True)
    return f"?{query}" if query else ""


@require_safe
@public_cache()
def embed_builder(request):
    filters = FilterForm(request.GET)
    options = EmbedOptions.from_query(request.GET, unversioned=CURRENT_VERSION)
    language = widget_language(request)
    params = filters.params(without=("page", "lang"))
    if language:
        params["lang"] = [language]
    params.update(options.params(focus=True))
    with translation.override(LANGUAGES[language] if language else translation.get_language()):
        view = widget_page(request, QueryDict(urlencode(params, doseq=True)))
        title = widget_title()
        active = filters.active(language_of(translation.get_language()))
        if active:
            title += " · " + ", ".join(a.label for a in active)
    page_url = request.build_absolute_uri(reverse("timeline:chronology") + "?" + urlencode(params, doseq=True))
    code = snippets(request, params=params, title=title, height=view.estimated_height, page_url=page_url)
    site_language = language_of(translation.get_language())
    # The focus menu lists the items as the widget does: with a from/to window, those inside it, then
    # those that only overlap it in a group of their own, "Possibly in this period".
    windowed = any(filters.window)
    rows = filters.in_order(filters.apply(Item.objects.published())).values_list(
        "slug", "title_en", "title_zh", *(("in_window",) if windowed else ()))[:MAX_FOCUS_CHOICES]
    focus_choices, focus_possible = [], []
    for slug, title_en, title_zh, *in_window in rows:
        choice = (slug, title_zh if site_language == "zh" and title_zh else title_en)
        (focus_possible if in_window == [False] else focus_choices).append(choice)
    context = {
        "filters": filters,
        "hidden_filters": [(name, value) for name, values in filters.params(without=("page", "lang")).items() for value in values],
        "active": filters.active(site_language),
        "options": options,
        "language": language,
        "layouts": LAYOUTS,
        "themes": THEMES,
        "max_limit": MAX_LIMIT,
        "min_height": MIN_HEIGHT,
        "max_height": MAX_HEIGHT,
        "focus_choices": focus_choices,
        "focus_possible": focus_possible,
        "notices": [*filters.notices, *options.notices],
        "code": code,
        "widget_title": title,
        "chronology_url": reverse("timeline:chronology") + filters.querystring(),
    }
    return render(request, "timeline/embed_builder.html", context)
