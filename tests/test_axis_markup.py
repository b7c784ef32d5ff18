"""The time axis written in Python (``axis_markup``) is byte for byte the reference template's.

``timeline/_axis.html`` stays the reference; pages write the axis with
``timeline.templatetags.timeline.axis_markup``. Both are rendered here for the same axes: on the
shipped data and on a synthetic database of a few thousand items, in English and Chinese, with and
without the page's ``?lang=``, at every zoom (years, months, days), with a zoom-out link, era bands,
spans (lanes, whole-unit bands, open and soft ends), hidden spans and marks, and with hostile text.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.models import Item

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<img src=x onerror="alert(1)">&\'%%'

# Every zoom, windows open at either end, filters, searches, and a window with nothing in it.
QUERIES = [
    "", "from=2023&to=2024", "from=2023-11&to=2023-11", "from=2023-11-01&to=2023-12-15", "from=2010&to=2016",
    "to=2018", "from=2024", "q=altman", "q=openai&from=2023", "kind=quote", "importance=3&from=2022&to=2023",
    "era=chatgpt", "person=sam-altman", "from=2023-11-17&to=2023-11-17", "from=2099",
]


def compare(queries=QUERIES) -> dict:
    """Render the axis of each query in both ways, in both languages, with and without ``?lang=``
    (as ``timeline.views.pages.axis_html`` builds it): {compared, zooms, differ, parts}."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    from timeline import axis as axis_module
    from timeline.filters import FilterForm
    from timeline.templatetags.timeline import axis_markup
    from timeline.urlnames import named_url
    from timeline.views.pages import axis_links, axis_mark_ids, mark_items

    result = {"compared": 0, "zooms": [], "differ": [], "parts": []}
    base = Item.objects.published()
    for query in queries:
        for language, lang in (("en", ""), ("en", "lang=en"), ("zh", "lang=zh"), ("zh", "")):
            request = RequestFactory().get("/?" + "&".join(part for part in (query, lang) if part))
            request.lang_param = request.GET.get("lang", "")
            form = FilterForm(request.GET)
            form.is_valid()
            with translation.override("zh-hans" if language == "zh" else "en"):
                raw = form.facet_counts(base)
                if not raw["dates"]:
                    continue
                eras = list(form.choices.eras.values())
                built = axis_module.build(
                    raw["dates"], window=form.window, eras=eras,
                    era_urls={era.slug: form.querystring(era=[era.slug]) for era in eras},
                    marks=mark_items(axis_mark_ids(form, base, raw["dates"], version="axis-markup-test")),
                    language=language,
                )
                links = axis_links(form, built)
                url = named_url("timeline:chronology")
                expected = render_to_string("timeline/_axis.html",
                                            {"axis": built, "axis_links": links, "chronology_url": url}, request)
                if axis_markup(request, built, links, url) != expected:
                    result["differ"].append([query, language, lang])
                result["compared"] += 1
                result["zooms"].append(built.zoom)
                result["parts"].extend(part for part, present in (
                    ("marks", 'data-item="' in expected), ("zoom-out", 'class="zoom-out"' in expected),
                    ("lanes", 'class="span' in expected), ("units", 'class="axis-unit"' in expected),
                    ("soft", "url(#soft-" in expected), ("open", 'class="span open"' in expected),
                    ("bands", 'class="era-bg' in expected)) if present)
    result["zooms"] = sorted(set(result["zooms"]))
    result["parts"] = sorted(set(result["parts"]))
    return result


def test_the_axis_writer_writes_the_templates_markup_on_the_shipped_data():
    result = compare()
    assert result["differ"] == []
    assert result["zooms"] == ["day", "month", "year"]
    assert {"marks", "zoom-out", "lanes", "bands"} <= set(result["parts"])
    assert result["compared"] >= 4 * (len(QUERIES) - 1)


def test_the_axis_writer_writes_the_templates_markup_with_hostile_text():
    """Hostile titles in the axis marks, and hand-made spans and columns whose labels are hostile,
    hidden spans and every kind of end: the same bytes, and nothing unescaped."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    from timeline import axis as axis_module
    from timeline.templatetags.timeline import axis_markup
    from timeline.views.pages import AxisLink

    Item.objects.filter(importance=3).update(title_en=HOSTILE, title_zh=HOSTILE)
    assert compare(["", "from=2023&to=2024"])["differ"] == []

    day = datetime.date(2020, 1, 1)
    columns = [axis_module.Column(i, day, day, "2020", HOSTILE, HOSTILE, 1234 * i, i, i * 10 + 1, 8, 5.5, 2.25, 8, 1)
               for i in range(3)]
    spans = [axis_module.Span(3, 1, 0, 1, soft_start, soft_end, open_start, open_end, HOSTILE, unit=unit, lane=1,
                              x=1.5, width=3.25, y=4)
             for soft_start, soft_end, open_start, open_end, unit in (
                 (True, False, False, False, ""), (False, True, False, False, ""), (True, True, False, False, ""),
                 (False, False, True, False, ""), (False, False, False, False, ""), (False, False, False, False,
                                                                                       "month"))]
    bands = [axis_module.Band("b", HOSTILE, 2, 0.5, 12.75, "?era=b")]
    marks = [axis_module.Mark("s", '/items/s/?x="1"&y=2', HOSTILE, HOSTILE, True, 1.5, 0)]
    built = axis_module.Axis("year", day, day, columns, spans, 7, bands, marks, width=30, height=70.5, plot_height=60,
                             band_y=64.5, lanes_y=62)
    links = {"columns": [AxisLink(HOSTILE, HOSTILE, '?from="2020"&to=2020', 1234, 1)] * 3,
             "zoom_out": '/?a="1"&b=<2>'}
    for language in ("en", "zh-hans"):
        for query in ("", "lang=zh"):
            request = RequestFactory().get("/?" + query)
            request.lang_param = request.GET.get("lang", "")
            with translation.override(language):
                expected = render_to_string("timeline/_axis.html",
                                            {"axis": built, "axis_links": links, "chronology_url": '/"x'}, request)
                written = axis_markup(request, built, links, '/"x')
            assert written == expected, (language, query)
            assert "<img" not in written and HOSTILE.replace("&", "&amp;")[:8] not in written
            assert written.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#x27;%%") > 10


def test_the_axis_writer_writes_the_templates_markup_on_a_synthetic_database(tmp_path):
    """3,000 synthetic items (a long tail of dates, uncertain ranges, drafts among them), in a
    database of their own and a separate process: the same bytes for every query and language."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(TIMELINE_VAR_DIR=str(tmp_path / "var"), DJANGO_SECRET_KEY="axis-markup-test",
               DJANGO_SETTINGS_MODULE="timeline.settings")
    target = tmp_path / "synthetic.sqlite3"
    seeded = subprocess.run(
        [sys.executable, "manage.py", "seed_synthetic", "--items", "3000", "--sqlite", str(target)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    queries = ["", "from=2019&to=2020", "from=2023-03&to=2023-04", "from=2022-11-01&to=2022-11-30", "to=2016",
               "from=2021", "person=person-001", "person=person-001&from=2022&to=2025", "era=chatgpt",
               "importance=3", "kind=quote&from=2020&to=2022", "q=OpenAI", "org=org-002&from=2023-06&to=2023-07"]
    script = (
        "import django, json; django.setup(); from tests.test_axis_markup import compare; "
        f"print(json.dumps(compare({queries!r})))"
    )
    ran = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**env, "DATABASE_URL": f"sqlite:///{target}"},
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    assert result["differ"] == []
    assert result["zooms"] == ["day", "month", "year"]
    assert {"marks", "lanes", "bands", "soft", "units"} <= set(result["parts"])
    assert result["compared"] >= 4 * (len(queries) - 2)
