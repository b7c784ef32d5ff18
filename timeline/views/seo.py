"""``/sitemap.xml`` (the home page, every published item and every source) and ``/robots.txt``.

Drafts and items in review are never listed. Filtered chronology URLs are not listed either: their
content is the item pages', which are.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from timeline.http import public_cache
from timeline.models import Item, Source


class HomeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return ["timeline:chronology"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Item.objects.published().aggregate(last=Max("updated_at"))["last"]


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 10_000

    def items(self):
        return Item.objects.published().only("slug", "updated_at").chronological()

    def lastmod(self, item):
        return item.updated_at


class SourceSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return Source.objects.public().only("key", "updated_at").order_by("published", "key")

    def lastmod(self, source):
        return source.updated_at


SITEMAPS = {"home": HomeSitemap, "items": ItemSitemap, "sources": SourceSitemap}


@require_safe
@public_cache()
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)


# The admin and machine endpoints are of no use in search results; the rest is public.
ROBOTS_DISALLOW = ("/admin/", "/api/", "/embed/", "/oembed", "/print/")


@require_safe
@public_cache(max_age=3600, s_maxage=3600)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('timeline:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
