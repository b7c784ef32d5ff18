"""Template helpers for embedding: oEmbed discovery and the link to the "Embed this view" builder."""

from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.utils.html import format_html

from timeline.urlnames import named_url
from timeline.views.builder import builder_query
from timeline.views.oembed import EMBEDDABLE

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_discovery(context):
    """``<link rel="alternate" type="application/json+oembed">`` on pages the oEmbed endpoint serves."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in EMBEDDABLE:
        return ""
    # A shallow copy of the lists (QueryDict.copy deep-copies every value), without the page.
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key != "page":
            query.setlist(key, values)
    page = request.build_absolute_uri(request.path + (f"?{query.urlencode()}" if query else ""))
    endpoint = request.build_absolute_uri(named_url("timeline:oembed"))
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}?{}">',
        endpoint,
        urlencode({"url": page, "format": "json"}),
    )


@register.simple_tag
def embed_builder_url(form):
    """The builder's URL for ``form``'s filters (the chronology's current view)."""
    return named_url("timeline:embed-builder") + builder_query(form)
