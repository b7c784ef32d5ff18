from django.contrib import admin
from django.urls import include, path

from timeline.views import api, pages, sources

timeline_patterns = [
    path("", pages.chronology, name="chronology"),
    path("print/", pages.chronology_print, name="print"),
    path("items/<slug:slug>/", pages.item_detail, name="item"),
    path("sources/<slug:key>/", sources.source_detail, name="source"),
    path("api/items/", api.item_list, name="api-items"),
    path("api/items/<slug:slug>/", api.item_detail, name="api-item"),
    path("api/sources/", api.source_list, name="api-sources"),
    path("api/sources/<slug:key>/", api.source_detail, name="api-source"),
    path("healthz", pages.healthz, name="healthz"),
]

urlpatterns = [
    path("", include((timeline_patterns, "timeline"))),
    path("admin/", admin.site.urls),
]
