from django.contrib import admin
from django.urls import include, path, re_path

from timeline.views import api, builder, catalog, embed, exports, feeds, oembed, pages, seo, sources

timeline_patterns = [
    path("", pages.chronology, name="chronology"),
    path("print/", pages.chronology_print, name="print"),
    path("items/<slug:slug>/", pages.item_detail, name="item"),
    path("sources/<slug:key>/", sources.source_detail, name="source"),
    path("api/items/", api.item_list, name="api-items"),
    path("api/items/<slug:slug>/", api.item_detail, name="api-item"),
    path("api/sources/", api.source_list, name="api-sources"),
    path("api/sources/<slug:key>/", api.source_detail, name="api-source"),
    path("api/entities/", catalog.entity_list, name="api-entities"),
    path("api/eras/", catalog.era_list, name="api-eras"),
    path("api/tags/", catalog.tag_list, name="api-tags"),
    path("api/openapi.json", catalog.openapi_document, name="api-openapi"),
    path("feed.atom", feeds.atom_feed, name="feed-atom"),
    path("feed.json", feeds.json_feed, name="feed-json"),
    path("calendar.ics", exports.calendar_ics, name="calendar"),
    path("items.csv", exports.items_csv, name="items-csv"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots"),
    path("embed/", embed.widget, name="embed"),
    path("embed/builder/", builder.embed_builder, name="embed-builder"),
    path("embed.js", embed.loader, name="embed-js"),
    path("oembed", oembed.oembed, name="oembed"),
    path("api/timelinejs.json", embed.timelinejs_export, name="api-timelinejs"),
    path("healthz", pages.healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links; send them the icon.
    path("favicon.ico", pages.favicon, name="favicon"),
    # Last: anything else under api/ is a JSON 404, not the HTML one.
    re_path(r"^api/", catalog.api_not_found, name="api-not-found"),
]

urlpatterns = [
    path("", include((timeline_patterns, "timeline"))),
    path("admin/", admin.site.urls),
]
