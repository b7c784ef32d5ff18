"""oEmbed 1.0 provider (https://oembed.com/): ``/oembed?url=…&maxwidth=…&maxheight=…&format=json``.

It answers for our own chronology URLs (with their filters) and our item pages, with a ``rich`` embed
whose ``html`` is one embed, the builder's script embed: the widget iframe (with ``title``, sized to
``width`` × ``height``, ``loading="lazy"``) followed by the loader script. Where scripts are stripped
(WordPress keeps only iframes and blockquotes from providers it does not trust) the iframe is the
fallback, a fixed-height widget that scrolls inside. Cut by ``maxheight``, it is a ``height=`` widget. Errors follow the spec: 400 without a usable
``url``, 404 for URLs that are not ours (another host, another path, an unpublished or unknown
item), 501 for a format other than JSON.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django import forms
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from timeline.embedding import (
    CURRENT_VERSION,
    MIN_HEIGHT,
    EmbedOptions,
    loader_snippet,
    widget_iframe,
    widget_params,
    widget_url,
)
from timeline.filters import LANGUAGES, FilterForm, language_of
from timeline.http import allow_cors, public_cache
from timeline.models import Item
from timeline.views.api import json_response
from timeline.views.embed import title as widget_title
from timeline.views.embed import widget_page

VERSION = "1.0"
DEFAULT_WIDTH = 640
MIN_SIZE = 1
MAX_SIZE = 10_000
CACHE_AGE = 3600
MAX_URL_CHARS = 2000
EMBEDDABLE = ("timeline:chronology", "timeline:item")


class OEmbedForm(forms.Form):
    url = forms.CharField(max_length=MAX_URL_CHARS)
    maxwidth = forms.IntegerField(min_value=MIN_SIZE, max_value=MAX_SIZE, required=False)
    maxheight = forms.IntegerField(min_value=MIN_SIZE, max_value=MAX_SIZE, required=False)
    format = forms.CharField(max_length=20, required=False)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - urlsplit checks IPv6 brackets, .port the port number
        except ValueError:
            raise forms.ValidationError("It is not a valid URL.", code="invalid_url") from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise forms.ValidationError("It must be an absolute http(s) URL.", code="invalid_url")
        return parts


def error(status: int, code: str, detail) -> object:
    return json_response({"error": code, "detail": detail}, status=status)


def embedded(request, parts):
    """What ``parts`` (a split URL on our host) shows, as (title, language, widget params), or None.

    The widget options in the page URL (``theme``, ``layout``, ``height``…) pass through to the widget,
    and the widget URL always carries the version ``v``.
    """
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in EMBEDDABLE:
        return None
    query = QueryDict(parts.query)
    form = FilterForm(query)
    # The page's own ?lang= wins; otherwise the language this request negotiated.
    language = form.language or language_of(get_language())
    options = EmbedOptions.from_query(query, unversioned=CURRENT_VERSION)
    if match.view_name == "timeline:item":
        item = Item.objects.published().filter(slug=match.kwargs["slug"]).first()
        if item is None:
            return None
        title = item.title_zh if language == "zh" and item.title_zh else item.title_en
        item_form = FilterForm({"lang": form.language} if form.language else {})
        params = widget_params(item_form, options, focus=item.slug, limit="1")
        return title, language, params
    labels = [active.label for active in form.active(language)]
    with translation.override(LANGUAGES[language]):
        title = widget_title() + (" · " + ", ".join(labels) if labels else "")
    return title, language, widget_params(form, options, keep_focus=True)


@require_safe
@allow_cors
@public_cache()
def oembed(request):
    form = OEmbedForm(request.GET)
    if not form.is_valid():
        return error(400, "invalid_parameters", {name: [str(m) for m in ms] for name, ms in form.errors.items()})
    fmt = (form.cleaned_data["format"] or "json").lower()
    if fmt != "json":
        return error(501, "unsupported_format", f"Only format=json is implemented, not {fmt!r}.")
    parts = form.cleaned_data["url"]
    if parts.netloc.lower() != request.get_host().lower():
        return error(404, "not_found", "This provider only embeds its own pages.")
    found = embedded(request, parts)
    if found is None:
        return error(404, "not_found", "There is no embeddable timeline or published item at this URL.")
    title, language, params = found
    with translation.override(LANGUAGES[language]):
        provider = widget_title()
        # The height the widget will take, from the rows it will render (what the snippets reserve).
        natural = widget_page(request, QueryDict(urlencode(params, doseq=True))).estimated_height
    width = min(form.cleaned_data["maxwidth"] or DEFAULT_WIDTH, DEFAULT_WIDTH)
    height = min(form.cleaned_data["maxheight"] or natural, natural)
    enhanced = True
    if height < natural:
        # Cut by maxheight: a fixed-height widget whose list scrolls inside (the loader keeps it at that
        # height). Below the smallest such widget, the plain iframe scrolls as a whole, without the loader.
        if height >= MIN_HEIGHT:
            params = {**{k: v for k, v in params.items() if k != "v"}, "height": str(height), "v": params["v"]}
        else:
            enhanced = False
    # As wide as the consumer's column up to the reported width (a fixed width="640" would make a phone's
    # page scroll sideways); the JSON still reports the numbers oEmbed requires.
    iframe = widget_iframe(
        widget_url(request, params), title=title, width="100%", height=height, enhanced=enhanced, max_width=width
    )
    return json_response(
        {
            "type": "rich",
            "version": VERSION,
            "title": title,
            "provider_name": provider,
            "provider_url": request.build_absolute_uri(reverse("timeline:chronology")),
            "cache_age": CACHE_AGE,
            # One embed: the loader's script embed, whose fallback (where scripts are stripped, as
            # WordPress does for providers it does not trust) is the iframe itself, sized and named.
            "html": loader_snippet(request, iframe) if enhanced else iframe,
            "width": width,
            "height": height,
        }
    )
