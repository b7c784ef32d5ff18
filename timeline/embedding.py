"""What a publisher's embed is: the widget's options and their versions, the URLs and the snippets built
from them, and the height the widget is expected to take before it has loaded.

Options (validated by :class:`EmbedOptionsForm`, never read from ``request.GET`` by hand):

- ``v``: the version of the defaults below. Every URL we generate carries it, so a later change of a
  default (a new theme, a different limit) never changes an embed that is already published; a URL
  without ``v`` means version 1, the defaults as of the first versioned release.
- ``theme`` ``light`` (default), ``dark`` or ``auto`` (follows the reader's OS);
- ``layout`` ``list`` (default) or ``compact`` (one line per item: date, title, source link);
- ``height`` a fixed height in px: the widget keeps it and its list scrolls inside;
- ``limit`` items per page, ``accent`` ``RRGGBB``, ``focus`` an item id to open at and highlight.

A value that cannot be used is ignored, the default is used, and the widget says so (a notice inside it
and the ``X-Timeline-Ignored`` header) rather than failing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Defaults:
    theme: str
    layout: str
    limit: int


# Never change an entry: add a new version with the new defaults and make it CURRENT_VERSION.
VERSIONS = {
    1: Defaults(theme="light", layout="list", limit=20),
    # A widget inside someone's article: five cards (about 900 px at 640 px wide), "Show more" inside.
    2: Defaults(theme="light", layout="list", limit=5),
}
CURRENT_VERSION = 2
UNVERSIONED = 1  # what a URL without ``v`` gets (embeds published before versions existed)
DEFAULT_LIMIT = VERSIONS[CURRENT_VERSION].limit
MAX_LIMIT = 100
THEMES = ("light", "dark", "auto")
LAYOUTS = ("list", "compact")
MIN_HEIGHT = 120
MAX_HEIGHT = 4000
MAX_SHOWN_VALUE = 40  # characters of a rejected value repeated in the notice


class EmbedOptionsForm(forms.Form):
    """The widget's own parameters (the filters go through :class:`timeline.filters.FilterForm`)."""

    v = forms.TypedChoiceField(
        choices=[(str(version), str(version)) for version in VERSIONS], coerce=int, required=False
    )
    theme = forms.ChoiceField(choices=[(theme, theme) for theme in THEMES], required=False)
    layout = forms.ChoiceField(choices=[(layout, layout) for layout in LAYOUTS], required=False)
    height = forms.IntegerField(min_value=MIN_HEIGHT, max_value=MAX_HEIGHT, required=False)
    limit = forms.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)
    # #RRGGBB or RRGGBB only: it ends up in a stylesheet, so nothing else may pass.
    accent = forms.RegexField(regex=r"\A#?[0-9A-Fa-f]{6}\Z", required=False, max_length=7)
    focus = forms.SlugField(max_length=120, required=False)


OPTION_PARAMS = tuple(EmbedOptionsForm.base_fields)


@dataclass(frozen=True)
class EmbedOptions:
    """The clean widget options, with the version's defaults filled in."""

    theme: str = VERSIONS[CURRENT_VERSION].theme
    limit: int = VERSIONS[CURRENT_VERSION].limit
    accent: str | None = None  # "#rrggbb"
    focus: str | None = None  # an item id
    layout: str = VERSIONS[CURRENT_VERSION].layout
    height: int | None = None  # px: a fixed-height widget that scrolls inside
    version: int = CURRENT_VERSION
    # (parameter, value as given) for every option that was ignored; not part of what the options are.
    ignored: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, data, *, unversioned: int = UNVERSIONED) -> EmbedOptions:
        """The options of a widget URL; ``unversioned`` is the version when ``v`` is absent or unknown:
        version 1 for a widget URL (published before versions), the current one for what we are
        about to hand out (the builder, oEmbed of a page URL)."""
        given = {name: data[name] for name in OPTION_PARAMS if name in data}
        form = EmbedOptionsForm(given)
        form.is_valid()
        clean = form.cleaned_data  # fields that failed validation are simply absent
        version = clean.get("v") or unversioned
        defaults = VERSIONS[version]
        accent = clean.get("accent")
        return cls(
            theme=clean.get("theme") or defaults.theme,
            limit=clean.get("limit") or defaults.limit,
            accent="#" + accent.lstrip("#").lower() if accent else None,
            focus=clean.get("focus") or None,
            layout=clean.get("layout") or defaults.layout,
            height=clean.get("height"),
            version=version,
            ignored=tuple((name, str(given[name])) for name in OPTION_PARAMS if name in form.errors),
        )

    @property
    def defaults(self) -> Defaults:
        return VERSIONS[self.version]

    @property
    def accent_css(self) -> str:
        """The one inline stylesheet besides the widget's own (allowed by its hash in the CSP), or ""."""
        return f":root{{--accent:{self.accent}}}" if self.accent else ""

    @property
    def notices(self) -> list[str]:
        """One sentence per ignored option, for the notice inside the widget."""
        notices = []
        for name, value in self.ignored:
            shown = value if len(value) <= MAX_SHOWN_VALUE else value[: MAX_SHOWN_VALUE - 1] + "…"
            notices.append(_("The option %(name)s=“%(value)s” was ignored.") % {"name": name, "value": shown})
        return notices

    def params(self, *, focus: bool = False) -> dict[str, str]:
        """The options as URL parameters: the version, then what differs from its defaults.

        ``focus`` is left out unless asked for: paging links and snippets of a view do not carry it.
        """
        params = {}
        if self.theme != self.defaults.theme:
            params["theme"] = self.theme
        if self.layout != self.defaults.layout:
            params["layout"] = self.layout
        if self.height:
            params["height"] = str(self.height)
        if self.limit != self.defaults.limit:
            params["limit"] = str(self.limit)
        if self.accent:
            params["accent"] = self.accent.lstrip("#")
        if focus and self.focus:
            params["focus"] = self.focus
        params["v"] = str(self.version)
        return params


# -- the expected height --------------------------------------------------------------------------
# From the widget's stylesheet (static/timeline/embed/widget.css), measured in Chromium for a frame
# 640 px wide (the oEmbed default; a text column of 574 px): px per line and ems per line of each part.
# tests/test_browser_embed_host.py checks the estimate against the rendered widget.
OVERHEAD = 100.1  # padding and accent border, header, footer
NOTICE = 29.07
EMPTY = 39.25
COMPACT_ROW = 36  # 32 px line + 4 px gap
PART_ROW = 36  # the "Possibly in this period" line before the items that only overlap the window, in both layouts
# A card: its padding and paragraph margins (28.73), the meta line (21.06), the gap after it (4) and the
# folded "Sources and the cited words in English" line (21.06); a quote adds its block's margins.
CARD = 28.73 + 21.06 + 4 + 21.06
QUOTE_MARGINS = 9.6
PARTS = {
    # part: (px per line, ems per line of its column at its font size, the mean width of a Latin
    # character in ems at that weight; a CJK character is one em)
    "title": (21.59, 35.9, 0.59),
    "quote": (23.25, 37.4, 0.53),
    "translation": (21.06, 42.2, 0.50),
    "summary": (23.25, 38.3, 0.525),
}


def ems(text: str, latin: float = 0.52, cjk: float = 1.0) -> float:
    """The width of ``text`` in ems: a wide (CJK) character is ``cjk`` (one em in every CJK font),
    anything else ``latin``."""
    return sum(cjk if ord(char) >= 0x2E80 else latin for char in text)


def part_height(part: str, text: str, cjk: float = 1.0) -> float:
    if not text:
        return 0
    line, per_line, latin = PARTS[part]
    return line * max(1, math.ceil(ems(text, latin, cjk) / per_line))


def estimated_height(rows, options: EmbedOptions, *, notices: int = 0, cjk: float = 1.0) -> int:
    """The widget's expected height in CSS px at 640 px wide, from the rows it renders.

    Exact for ``height=`` (the widget keeps it) and for ``compact`` (one fixed-height line per item);
    for ``list`` an estimate from the length of each text (fonts differ between readers), with every
    card's sources folded (a reader who opens them grows the widget, and the loader follows). The
    snippets and oEmbed reserve it, so the host page is laid out at (nearly) the final size before the
    widget loads; the loader corrects the rest without moving what the reader sees.
    """
    if options.height:
        return options.height
    height = OVERHEAD + NOTICE * notices + PART_ROW * sum(1 for row in rows if getattr(row, "first_possible", False))
    if not rows:
        return math.ceil(height + EMPTY)
    if options.layout == "compact":
        return math.ceil(height + COMPACT_ROW * len(rows))
    label = _("Translation:")
    total = 0.0
    for row in rows:
        total += CARD + part_height("title", row.title, cjk) + part_height("summary", row.summary, cjk)
        if row.quote:
            quote = row.quote + (f" — {row.speaker}" if row.speaker else "")
            total += QUOTE_MARGINS + part_height("quote", quote, cjk)
        if row.translation:
            total += part_height("translation", f"{label} {row.translation}", cjk)
    return math.ceil(height + total)


# -- URLs and snippets ----------------------------------------------------------------------------


def widget_url(request, params: dict) -> str:
    query = urlencode(params, doseq=True)
    return request.build_absolute_uri(reverse("timeline:embed") + (f"?{query}" if query else ""))


def widget_params(form, options: EmbedOptions | None = None, *, keep_focus: bool = False, **changes) -> dict:
    """The widget's URL parameters: the clean filters (and language), the options with ``v``, then
    ``changes`` (``page=2``, say; None leaves a parameter out)."""
    params = form.params(without=("page",))
    params.update((options or EmbedOptions()).params(focus=keep_focus))
    params.update({key: value for key, value in changes.items() if value is not None})
    return params


@dataclass(frozen=True)
class Snippets:
    """HTML for publishers to paste; templates show it as text (``force_escape``)."""

    widget_url: str
    script: str
    iframe: str
    oembed_url: str
    height: int


def widget_iframe(
    url: str,
    *,
    title: str,
    width: int | str,
    height: int,
    lazy: bool = True,
    enhanced: bool = False,
    max_width: int | None = None,
) -> str:
    """The widget's iframe: an accessible name, its size reserved by attributes, lazy unless it must load
    at once, and ``data-timeline-embed`` when the loader (``/embed.js``) may size it to its content.
    ``max_width`` caps a ``width="100%"`` frame with the one inline style (where a host's CSP forbids it,
    the frame is simply as wide as its column, which still never scrolls sideways)."""
    style = format_html(' style="max-width:{}px"', int(max_width)) if max_width else ""
    return str(
        format_html(
            '<iframe src="{}" title="{}" width="{}"{} height="{}"{} frameborder="0"{}></iframe>',
            url,
            title,
            width,
            style,
            height,
            mark_safe(' loading="lazy"' if lazy else ""),
            mark_safe(" data-timeline-embed" if enhanced else ""),
        )
    )


def loader_snippet(request, iframe: str) -> str:
    """The script embed: the iframe (what stays where scripts are stripped) followed by the loader."""
    loader_url = request.build_absolute_uri(reverse("timeline:embed-js"))
    return str(format_html('{}\n<script src="{}" async></script>', mark_safe(iframe), loader_url))


def snippets(request, *, params: dict, title: str, height: int, page_url: str) -> Snippets:
    """The copy-and-paste code for the widget at ``params``.

    Both snippets are the same iframe, with the height reserved by attributes, so the host page does not
    shift when it loads, with or without JavaScript; the script version adds the loader, which then
    sizes the frame to its content and keeps the reader at the widget when they page inside it.
    """
    url = widget_url(request, params)
    # A deep link must load even below the fold, or there is nothing to scroll to.
    lazy = "focus" not in params
    plain = widget_iframe(url, title=title, width="100%", height=height, lazy=lazy)
    # The loader enhances only the iframes that ask for it (a plain iframe keeps its fixed height).
    enhanced = widget_iframe(url, title=title, width="100%", height=height, lazy=lazy, enhanced=True)
    oembed_url = request.build_absolute_uri(
        reverse("timeline:oembed") + "?" + urlencode({"url": page_url, "format": "json"})
    )
    return Snippets(
        widget_url=url, script=loader_snippet(request, enhanced), iframe=plain, oembed_url=oembed_url, height=height
    )
