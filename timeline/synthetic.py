"""Synthetic chronology data for benchmarks, written to a database of its own.

The shape follows the real chronology: eras across 2005–2025 with most items in the last years,
dates at year, month and day precision (some approximate, a few intervals), a quarter of the items
quotes, a few people and organisations that appear everywhere and a long tail that appears rarely,
one or two exact citations per item into Chinese passages, and a few unpublished items.

Everything is generated from a seeded ``random.Random`` (the same seed gives the same rows) and
written with ``bulk_create`` in batches, with explicit primary keys, into the database alias given.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from functools import cache

from django.db import connections, transaction
from django.utils import timezone

from timeline import search
from timeline.dates import FuzzyDate
from timeline.models import Citation, Entity, Era, Item, Passage, Source, Status, Tag

BATCH = 5000
SOURCES = 40
PASSAGES_PER_SOURCE = 150
PEOPLE = 300
ORGANIZATIONS = 100
TAGS = 30

ERAS = [  # slug, start, end (inclusive), like the real eras
    ("prelude", "2005", "2014"),
    ("founding", "2015", "2018"),
    ("pivot", "2019", "2021"),
    ("chatgpt", "2022", "2023-10"),
    ("crisis", "2023-11", "2023-12"),
    ("safety", "2024", "2024"),
    ("gpt5", "2025", "2025"),
]
# Items per year grow as the story speeds up (relative weights).
YEAR_WEIGHTS = {year: 1 for year in range(2005, 2015)} | {
    2015: 4, 2016: 3, 2017: 3, 2018: 4, 2019: 5, 2020: 4, 2021: 5, 2022: 8, 2023: 14, 2024: 12, 2025: 10,
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国文斌宇浩凯健俊帆帅旭宁"
WORDS = (
    "模型 董事会 研究 发布 算力 安全 对齐 开源 融资 微软 谷歌 训练 数据 推理 产品 用户 竞争 合作 监管 伦理 "
    "实验室 团队 离职 加入 创立 投资 估值 芯片 论文 基准 评测 智能 超级 通用 使命 章程 非营利 营利 董事 首席 "
    "科学家 工程师 发布会 演示 聊天 机器人 代码 数学 奥林匹克 突破 规模 参数 对话 搜索 视频 图像 语音 智能体"
).split()
ENGLISH = (
    "model board research launch compute safety alignment open funding partnership training data reasoning "
    "product users competition regulation lab team departure founding investment valuation chip paper benchmark "
    "mission charter nonprofit scientist engineer demo chatbot code math breakthrough scale agent"
).split()
VERBS = ["announces", "releases", "joins", "leaves", "debates", "funds", "warns about", "publishes", "delays"]


@dataclass
class SeedReport:
    items: int
    published: int
    citations: int
    seconds: float = 0.0


@cache
def _date(edtf: str) -> FuzzyDate:
    return FuzzyDate.parse(edtf)


def _chinese_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _sentence(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(words)) + "。"


def _edtf(rng: random.Random, day_pool: list[datetime.date]) -> str:
    year = rng.choices(list(YEAR_WEIGHTS), weights=list(YEAR_WEIGHTS.values()))[0]
    roll = rng.random()
    if roll < 0.02:
        start_month = rng.randint(1, 11)
        return f"{year}-{start_month:02d}/{year + (1 if year < 2025 else 0)}-12"
    if roll < 0.07:
        return f"{year}~"
    if roll < 0.30:
        return str(year)
    if roll < 0.65:
        return f"{year}-{rng.randint(1, 12 if year < 2025 else 8):02d}"
    day = rng.choice([d for d in day_pool if d.year == year] or [datetime.date(year, 6, 1)])
    return day.isoformat()


def _era_for(eras: list[Era], day: datetime.date) -> Era | None:
    for era in eras:
        if era.start <= day <= era.end:
            return era
    return None


def seed(*, using: str, items: int, rng_seed: int = 2015) -> SeedReport:
    """Write ``items`` synthetic items (and their eras, tags, entities, sources) into ``using``.

    The target must be empty: the caller (``seed_synthetic``) creates or clears it.
    """
    rng = random.Random(rng_seed)
    now = timezone.now()
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throwaway database: durability is not needed
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
    with transaction.atomic(using=using):
        eras = [
            Era(
                pk=index + 1, slug=slug, name_en=f"Era {index + 1}: {slug}", name_zh=f"第{index + 1}阶段",
                start=_date(start).start, end=_date(end).end,
            )
            for index, (slug, start, end) in enumerate(ERAS)
        ]
        Era.objects.using(using).bulk_create(eras)
        tags = [Tag(pk=n, slug=f"topic-{n:02d}", name_en=f"Topic {n}", name_zh=f"主题{n}") for n in range(1, TAGS + 1)]
        Tag.objects.using(using).bulk_create(tags)
        entities = []
        for n in range(1, PEOPLE + ORGANIZATIONS + 1):
            person = n <= PEOPLE
            zh = _chinese_name(rng) if person else rng.choice(WORDS) + rng.choice(("公司", "实验室", "基金会"))
            entities.append(
                Entity(
                    pk=n, slug=f"{'person' if person else 'org'}-{n:03d}",
                    kind="person" if person else "organization",
                    name_en=f"{'Person' if person else 'Organisation'} {n}", name_zh=zh, aliases=[zh[:2], f"P{n}"],
                )
            )
        Entity.objects.using(using).bulk_create(entities)
        people, organizations = entities[:PEOPLE], entities[PEOPLE:]
        sources, passages = [], []
        for n in range(1, SOURCES + 1):
            texts = [_sentence(rng, rng.randint(8, 16)) + _sentence(rng, rng.randint(8, 16))
                     for _ in range(PASSAGES_PER_SOURCE)]
            cleaned = "\n\n".join(texts)
            sources.append(
                Source(
                    pk=n, key=f"synthetic-{n:02d}", title=f"合成文章 {n}", publisher=f"出版方{n % 12}",
                    language="zh-Hans", published=datetime.date(2023 + n % 3, 1 + n % 12, 1 + n % 28),
                    reference_date=datetime.date(2023 + n % 3, 1 + n % 12, 1 + n % 28),
                    raw_text=cleaned, raw_sha256=f"{n:064x}", cleaned_text=cleaned,
                )
            )
            offset = 0
            for ordinal, text in enumerate(texts, start=1):
                passages.append(
                    Passage(pk=len(passages) + 1, source_id=n, ordinal=ordinal, start=offset,
                            end=offset + len(text), text=text)
                )
                offset += len(text) + 2
        Source.objects.using(using).bulk_create(sources)
        Passage.objects.using(using).bulk_create(passages, batch_size=BATCH)

        day_pool = sorted({datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(7600))
                           for _ in range(400)})
        # Popularity: a few people and organisations in many items, a long tail in few.
        person_weights = [1 / (rank + 1) for rank in range(PEOPLE)]
        org_weights = [1 / (rank + 1) for rank in range(ORGANIZATIONS)]
        item_rows, people_rows, org_rows, tag_rows, citation_rows = [], [], [], [], []
        published = 0
        citation_pk = 0
        for n in range(1, items + 1):
            edtf = _edtf(rng, day_pool)
            fuzzy = _date(edtf)
            status = Status.PUBLISHED if rng.random() < 0.96 else rng.choice((Status.DRAFT, Status.REVIEW))
            published += status == Status.PUBLISHED
            chosen_people = set(rng.choices(people, weights=person_weights, k=rng.choice((0, 1, 1, 2, 2, 3))))
            chosen_orgs = set(rng.choices(organizations, weights=org_weights, k=rng.choice((0, 1, 1, 2))))
            cited = [rng.choice(passages) for _ in range(rng.choice((1, 1, 2)))]
            spans = []
            for passage in cited:
                length = rng.randint(8, 30)
                start = rng.randrange(0, max(1, len(passage.text) - length))
                spans.append((passage, start, min(len(passage.text), start + length)))
            quote = rng.random() < 0.25 and bool(chosen_people)
            first_person = sorted(chosen_people, key=lambda e: e.pk)[0] if chosen_people else None
            noun_en = " ".join(rng.sample(ENGLISH, 3))
            subject = first_person.name_en if first_person else "OpenAI"
            passage, start, end = spans[0]
            item_rows.append(
                Item(
                    pk=n, slug=f"synthetic-{n:06d}", kind="quote" if quote else "event", status=status,
                    importance=rng.choices((1, 2, 3), weights=(60, 30, 10))[0],
                    date_edtf=fuzzy.edtf, date_start=fuzzy.start, date_end=fuzzy.end,
                    date_precision=fuzzy.precision, date_approximate=fuzzy.approximate,
                    title_en=f"{subject} {rng.choice(VERBS)} {noun_en}",
                    title_zh=f"{first_person.name_zh if first_person else 'OpenAI'}{_sentence(rng, 4)}",
                    summary_en=f"Synthetic item {n} about {noun_en}, {' '.join(rng.sample(ENGLISH, 12))}.",
                    summary_zh=_sentence(rng, 14) + _sentence(rng, 10),
                    era=_era_for(eras, fuzzy.start),
                    quote_text=passage.text[start:end] if quote else "",
                    quote_language="zh-Hans" if quote else "",
                    quote_translation_en=f"Translation of quote {n}." if quote else "",
                    speaker=first_person if quote else None,
                    published_at=now if status == Status.PUBLISHED else None,
                )
            )
            chosen_tags = set(rng.choices(tags, k=rng.randint(1, 3)))
            item = item_rows[-1]
            # What timeline.search.refresh_search_text would store, computed without reading back.
            item.search_text = search.search_text_from(
                item, speaker=item.speaker, people=chosen_people, organizations=chosen_orgs, tags=chosen_tags
            )
            people_rows += [Item.people.through(item_id=n, entity_id=e.pk) for e in chosen_people]
            org_rows += [Item.organizations.through(item_id=n, entity_id=e.pk) for e in chosen_orgs]
            tag_rows += [Item.tags.through(item_id=n, tag_id=t.pk) for t in chosen_tags]
            for passage, start, end in {(p, s, e) for p, s, e in spans}:
                citation_pk += 1
                citation = Citation.from_span(item=item_rows[-1], passage=passage, start=start, end=end)
                citation.pk, citation.verified_at = citation_pk, now
                citation_rows.append(citation)
            if len(item_rows) >= BATCH:
                _flush(using, item_rows, people_rows, org_rows, tag_rows, citation_rows)
        _flush(using, item_rows, people_rows, org_rows, tag_rows, citation_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("timeline_item", "timeline_citation", "timeline_entity", "timeline_tag", "timeline_era",
                          "timeline_source", "timeline_passage"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return SeedReport(items=items, published=published, citations=citation_pk)


def _flush(using, item_rows, people_rows, org_rows, tag_rows, citation_rows) -> None:
    """Insert the pending rows (items first: the others point at them) and empty the lists."""
    Item.objects.using(using).bulk_create(item_rows, batch_size=BATCH)
    for model_rows in (people_rows, org_rows, tag_rows):
        if model_rows:
            type(model_rows[0]).objects.using(using).bulk_create(model_rows, batch_size=BATCH)
    Citation.objects.using(using).bulk_create(citation_rows, batch_size=BATCH)
    for rows in (item_rows, people_rows, org_rows, tag_rows, citation_rows):
        rows.clear()
