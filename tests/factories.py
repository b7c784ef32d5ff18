"""Small builders for model rows in tests that need their own data (beside the shipped data)."""

import datetime
import hashlib
import importlib
from types import SimpleNamespace

from timeline.models import Citation, Entity, Item, ItemKind, Passage, Source, Status


def make_source(key="test-source", text="第一段。\n\n第二段有日期：2015年12月，OpenAI 成立。", **fields):
    paragraphs = text.split("\n\n")
    defaults = dict(
        title=f"Title of {key}",
        publisher="Test Publisher",
        language="zh-Hans",
        published=datetime.date(2024, 5, 20),
        reference_date=datetime.date(2024, 5, 20),
        raw_text=text,
        raw_sha256=hashlib.sha256(text.encode()).hexdigest(),
        cleaned_text=text,
    )
    defaults.update(fields)
    source = Source.objects.create(key=key, **defaults)
    offset = 0
    for ordinal, paragraph in enumerate(paragraphs, start=1):
        Passage.objects.create(
            source=source, ordinal=ordinal, start=offset, end=offset + len(paragraph), text=paragraph
        )
        offset += len(paragraph) + 2
    return source


def make_item(slug="test-item", date="2015-12", status=Status.PUBLISHED, **fields):
    defaults = dict(
        kind=ItemKind.EVENT,
        importance=2,
        title_en=f"Title {slug}",
        title_zh=f"标题 {slug}",
        summary_en="Summary.",
        summary_zh="摘要。",
    )
    defaults.update(fields)
    return Item.objects.create(slug=slug, date_edtf=date, status=status, **defaults)


def cite(item, passage, exact, translation=""):
    start = passage.text.index(exact)
    citation = Citation.from_span(item=item, passage=passage, start=start, end=start + len(exact))
    citation.translation_en = translation
    citation.save()
    return citation


def make_entity(slug="test-person", kind="person", name_en="Test Person", name_zh="测试人物", aliases=()):
    entity, _ = Entity.objects.update_or_create(
        slug=slug, defaults=dict(kind=kind, name_en=name_en, name_zh=name_zh, aliases=list(aliases))
    )
    return entity


def ensure_editorial_groups():
    """The Editor and Contributor groups of migration 0004. ``transactional_db`` (live-server tests)
    empties every table after each test, these groups included, so such tests create them again."""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.db import connection

    from timeline import workflow

    if Group.objects.filter(name__in=[workflow.EDITOR, workflow.CONTRIBUTOR]).count() == 2:
        return
    migration = importlib.import_module("timeline.migrations.0004_editorial_groups")
    migration.create_groups(apps, SimpleNamespace(connection=connection))
