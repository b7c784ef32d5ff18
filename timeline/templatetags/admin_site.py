"""The admin site's own names for pages rendered outside an admin view (django-axes' lock-out page), which
get no admin context and would otherwise fall back to Django's default "Django administration"."""

from django import template
from django.contrib import admin

register = template.Library()


@register.simple_tag
def admin_site_header() -> str:
    return admin.site.site_header


@register.simple_tag
def admin_site_title() -> str:
    return admin.site.site_title
