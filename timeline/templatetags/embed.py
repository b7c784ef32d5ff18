"""Template helpers for embedding: oEmbed discovery and the copy-and-paste snippets of the Embed dialog."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from timeline.views.embed import snippets
from timeline.views.oembed import EMBEDDABLE

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_discovery(context):
    """``<link rel="alternate" type="application/json+oembed">`` on pages the oEmbed endpoint serves."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in EMBEDDABLE:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    page = request.build_absolute_uri(request.path + (f"?{query.urlencode()}" if query else ""))
    endpoint = request.build_absolute_uri(reverse("timeline:oembed"))
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}?{}">',
        endpoint,
        urlencode({"url": page, "format": "json"}),
    )


@register.simple_tag(takes_context=True)
def embed_snippets(context, form):
    """The widget URL, the script snippet and the iframe snippet for ``form``'s filters."""
    return snippets(context["request"], form)
