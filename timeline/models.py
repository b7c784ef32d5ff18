"""The provenance data model.

A :class:`Source` is one article as received; its cleaned text is cut into ordered
:class:`Passage` rows. An :class:`Item` (an event or a quote) is supported by :class:`Citation`
rows, each pointing at an exact span of a passage with a W3C-style selector (exact, prefix,
suffix and code-point offsets). A citation whose exact text is not at its offsets cannot be saved.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from timeline.dates import DAY, MONTH, PRECISION_NAMES, YEAR, FuzzyDate, FuzzyDateError

CONTEXT_CHARS = 32
# Source columns that hold whole articles; views that only name or link a source defer them.
HEAVY_SOURCE_FIELDS = ("raw_text", "cleaned_text", "offset_map", "references")


class Language(models.TextChoices):
    SIMPLIFIED = "zh-Hans", "Chinese (simplified)"
    TRADITIONAL = "zh-Hant", "Chinese (traditional)"
    ENGLISH = "en", "English"


class Precision(models.IntegerChoices):
    # Wikidata's codes, so ascending order is coarser first.
    YEAR = YEAR, "year"
    MONTH = MONTH, "month"
    DAY = DAY, "day"


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Sources readers may see: an article imported as new stays hidden until an editor publishes it."""
        return self.filter(is_public=True)


class Source(models.Model):
    """One article, exactly as received plus its cleaned text."""

    # What an editor states about an article (its manifest), as opposed to what the import computes.
    METADATA_FIELDS = (
        "key", "title", "publisher", "author", "language", "published", "reference_date", "reference_note",
        "original_url",
    )

    key = models.SlugField(
        max_length=100, unique=True, help_text="Stable import key; also the public id in URLs."
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    original_url = models.URLField(max_length=1000, blank=True)
    language = models.CharField(max_length=8, choices=Language.choices)
    published = models.DateField(null=True, blank=True)
    reference_date = models.DateField(
        help_text="The date relative expressions such as 去年 resolve against; the publication date "
        "unless the text shows it was written earlier."
    )
    reference_note = models.TextField(blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    raw_text = models.TextField(help_text="The decoded file exactly as received.")
    raw_sha256 = models.CharField(max_length=64)
    cleaned_text = models.TextField()
    offset_map = models.JSONField(default=list, blank=True, help_text="Cleaned → raw offset runs.")
    references = models.JSONField(default=list, blank=True)
    is_public = models.BooleanField(
        "published on the site",
        default=True,
        help_text="A newly imported article stays unpublished (hidden from every public page, feed and API) "
        "until an editor publishes it.",
    )
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every editorial save (timeline.versions); a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    # Who changed what and when (django-simple-history); the admin reverts through the import pipeline.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["published", "key"]
        permissions = [
            ("import_source", "Can import a new article (it stays unpublished)"),
            ("publish_source", "Can publish an imported article on the site"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=[choice.value for choice in Language]),
                name="source_language_valid",
            ),
            models.CheckConstraint(condition=~Q(key=""), name="source_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:source", args=[self.key])


class Passage(models.Model):
    """An ordered piece of a source's cleaned text, addressable as ``#p-<ordinal>``."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    ordinal = models.PositiveIntegerField()
    start = models.PositiveIntegerField(help_text="Code-point offset into the cleaned text.")
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["source", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["source", "ordinal"], name="passage_ordinal_unique"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="passage_offsets_ordered"),
            models.CheckConstraint(condition=Q(ordinal__gte=1), name="passage_ordinal_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source.key} ¶{self.ordinal}"

    def get_absolute_url(self) -> str:
        return f"{self.source.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p-{self.ordinal}"


class DateMention(models.Model):
    """A date expression the extractor found in a passage, resolved against the reference date."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="date_mentions")
    start = models.PositiveIntegerField(help_text="Code-point offset into the passage text.")
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=100)
    date = models.CharField(max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    precision = models.PositiveSmallIntegerField(choices=Precision.choices)
    approximate = models.BooleanField(default=False)

    class Meta:
        ordering = ["passage", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="mention_offsets_ordered"),
            models.CheckConstraint(
                condition=Q(precision__in=[YEAR, MONTH, DAY]), name="mention_precision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.date}"


class EntityKind(models.TextChoices):
    PERSON = "person", "person"
    ORGANIZATION = "organization", "organisation"
    DOCUMENT = "document", "document"
    GROUP = "group", "group or anonymous speaker"


class Entity(models.Model):
    """A person, organisation, document or anonymous group, named in both languages."""

    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=EntityKind.choices)
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, in both scripts.")
    # Names show on every item that uses them: their edits are reviewed and revertible like items'.
    history = HistoricalRecords()
    # Bumped by every editorial save (timeline.versions); a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "entities"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in EntityKind]), name="entity_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class Era(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200)
    description_en = models.TextField(blank=True)
    description_zh = models.TextField(blank=True)
    start = models.DateField()
    end = models.DateField()
    history = HistoricalRecords()
    # Bumped by every editorial save (timeline.versions); a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="era_bounds_ordered"),
        ]

    def __str__(self) -> str:
        return self.name_en


class Tag(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name_en = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=100)
    history = HistoricalRecords()
    # Bumped by every editorial save (timeline.versions); a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_en


class ItemKind(models.TextChoices):
    EVENT = "event", "event"
    QUOTE = "quote", "quote"


class Status(models.TextChoices):
    DRAFT = "draft", "draft"
    REVIEW = "review", "in review"
    PUBLISHED = "published", "published"


# Coarser dates first within a start day (a year before its months), then the stated order within
# the same date, then the slug so the order is total and stable.
CHRONOLOGICAL_ORDER = ("date_start", "date_precision", "date_end", "sequence", "slug")


def chronological_key(item) -> tuple:
    """The same order in Python, for items already fetched (they need the five fields)."""
    return tuple(getattr(item, name) for name in CHRONOLOGICAL_ORDER)


def _beyond(item, lookup: str) -> Q:
    """Rows after (``gt``) or before (``lt``) ``item`` in CHRONOLOGICAL_ORDER: a row comparison
    spelt out as (a > x) or (a = x and b > y) or …, which every database can use an index for."""
    key = chronological_key(item)
    condition = Q()
    for depth, name in enumerate(CHRONOLOGICAL_ORDER):
        step = Q(**{f"{name}__{lookup}": key[depth]})
        for before in range(depth):
            step &= Q(**{CHRONOLOGICAL_ORDER[before]: key[before]})
        condition |= step
    return condition


def inside_window(start=None, end=None) -> Q:
    """The items whose whole date range lies inside [start, end] (either bound may be None)."""
    inside = Q()
    if start is not None:
        inside &= Q(date_start__gte=start)
    if end is not None:
        inside &= Q(date_end__lte=end)
    return inside


def lies_within(item, start=None, end=None) -> bool:
    """Whether ``item``'s whole date range lies inside [start, end] (``ItemQuerySet.within_first``'s
    ``in_window``, in Python, for items fetched in another order)."""
    return (start is None or item.date_start >= start) and (end is None or item.date_end <= end)


def only_overlaps(item) -> bool:
    """Whether ``item`` was listed by ``ItemQuerySet.within_first`` as only overlapping the window
    (``in_window`` False); an item fetched without a window does not."""
    return getattr(item, "in_window", True) is False


class ItemQuerySet(models.QuerySet):
    def published(self) -> ItemQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def chronological(self) -> ItemQuerySet:
        """The one chronological order every surface uses: date, then the editors' order within it."""
        return self.order_by(*CHRONOLOGICAL_ORDER)

    def between(self, start=None, end=None) -> ItemQuerySet:
        """Items whose date range overlaps [start, end]."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(date_end__gte=start)
        if end is not None:
            queryset = queryset.filter(date_start__lte=end)
        return queryset

    def within_first(self, start=None, end=None) -> ItemQuerySet:
        """Chronological, but items whose whole date range lies inside [start, end] come first; the
        ones that only overlap it (an uncertain "2005/2024-05" for November 2023) follow, apart.
        Each row gets ``in_window`` (True or False)."""
        flag = models.Case(
            models.When(inside_window(start, end), then=models.Value(True)),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
        return self.annotate(in_window=flag).order_by("-in_window", *CHRONOLOGICAL_ORDER)

    def beside(self, item: Item) -> tuple[Item | None, Item | None]:
        """The items just before and after ``item`` in chronological order (two queries)."""
        return self.before(item).order_by(*(f"-{name}" for name in CHRONOLOGICAL_ORDER)).first(), (
            self.filter(_beyond(item, "gt")).order_by(*CHRONOLOGICAL_ORDER).first()
        )

    def before(self, item: Item) -> ItemQuerySet:
        """The items that come before ``item`` in chronological order; in :meth:`within_first`'s order
        when this queryset has its ``in_window`` (``item`` then needs it too): every item inside the
        window comes before one that only overlaps it."""
        condition = _beyond(item, "lt")
        if "in_window" in self.query.annotations:
            condition = Q(in_window=True) & condition if item.in_window else Q(in_window=True) | condition
        return self.filter(condition)

    def for_documents(self) -> ItemQuerySet:
        """Everything the item document needs, in a constant number of queries."""
        return self.select_related("era", "speaker").prefetch_related(*document_prefetches())


def document_prefetches() -> list:
    """The related rows an item document (and card) shows besides its era and speaker, for
    ``prefetch_related`` or ``prefetch_related_objects``."""
    return [
        "people",
        "organizations",
        "tags",
        models.Prefetch("citations", queryset=document_citations()),
    ]


def document_citations():
    """An item's citations as its document and card show them: with their passage and source, in
    source and passage order. A source's raw and cleaned texts are large and never part of an item
    document."""
    return (
        Citation.objects.select_related("passage__source")
        .defer(*(f"passage__source__{name}" for name in HEAVY_SOURCE_FIELDS))
        .order_by("passage__source__published", "passage__source__key", "passage__ordinal", "start")
    )


class Item(models.Model):
    """An event or a quote in the chronology."""

    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=8, choices=ItemKind.choices, default=ItemKind.EVENT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    importance = models.PositiveSmallIntegerField(default=1, help_text="1–3; 3 is a key moment.")
    sequence = models.SmallIntegerField(
        default=0,
        help_text="Order among items that share this date, as the sources narrate it (lower first).",
    )

    date_edtf = models.CharField(
        "date (EDTF)", max_length=40, help_text="2015, 2018-02, 2024-05-13, 2016~ or 2023-11/2024-05"
    )
    # Derived from date_edtf on save, stored so the database can sort and filter by them.
    date_start = models.DateField(editable=False)
    date_end = models.DateField(editable=False)
    date_precision = models.PositiveSmallIntegerField(choices=Precision.choices, editable=False)
    date_approximate = models.BooleanField(default=False, editable=False)

    title_en = models.CharField(max_length=300)
    title_zh = models.CharField(max_length=300)
    summary_en = models.TextField(blank=True)
    summary_zh = models.TextField(blank=True)
    note_en = models.TextField(blank=True, help_text="Reader-visible note, e.g. where sources disagree.")
    note_zh = models.TextField(blank=True)

    era = models.ForeignKey(Era, on_delete=models.PROTECT, related_name="items", null=True, blank=True)
    people = models.ManyToManyField(Entity, related_name="items_as_person", blank=True)
    organizations = models.ManyToManyField(Entity, related_name="items_as_organization", blank=True)
    tags = models.ManyToManyField(Tag, related_name="items", blank=True)

    quote_text = models.TextField(blank=True, help_text="Verbatim, in the original script.")
    quote_language = models.CharField(max_length=8, choices=Language.choices, blank=True)
    quote_translation_en = models.TextField(blank=True)
    quote_context_en = models.CharField(max_length=300, blank=True)
    quote_context_zh = models.CharField(max_length=300, blank=True)
    speaker = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="quotes", null=True, blank=True
    )

    published_at = models.DateTimeField(null=True, blank=True, help_text="When it went public on the site.")
    # Denormalised for search: titles, summaries, quote, names, aliases and tags, converted to simplified
    # script and casefolded (timeline.search.normalize). Maintained by timeline.search.refresh_search_text;
    # an empty value means "not computed yet" and is filled lazily.
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every editorial save (timeline.versions); a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ItemQuerySet.as_manager()
    # Who changed what and when, including people, organisations and tags (django-simple-history).
    history = HistoricalRecords(
        excluded_fields=["search_text", "updated_at"], m2m_fields=[people, organizations, tags]
    )

    class Meta:
        ordering = list(CHRONOLOGICAL_ORDER)
        permissions = [
            ("submit_item", "Can send an item to review or back to draft"),
            ("publish_item", "Can publish and unpublish an item"),
        ]
        indexes = [
            models.Index(fields=["status", "date_start", "date_precision"], name="item_status_chrono"),
            models.Index(fields=["date_end"], name="item_date_end"),
            models.Index(fields=["status", "kind"], name="item_status_kind"),
            models.Index(fields=["status", "importance"], name="item_status_importance"),
            models.Index(fields=["era", "status"], name="item_era_status"),
            # Cover the facet counts of the whole published set (the year/month bars group by these
            # four columns, the speakers facet by speaker), so they read an index and never the rows.
            models.Index(
                fields=["status", "date_start", "date_end", "date_approximate", "importance"],
                name="item_status_dates",
            ),
            models.Index(fields=["status", "speaker"], name="item_status_speaker"),
            # Tiny: only rows whose search text still has to be computed (normally none).
            models.Index(fields=["id"], condition=Q(search_text=""), name="item_search_text_missing"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(importance__gte=1, importance__lte=3), name="item_importance_1_3"),
            models.CheckConstraint(
                condition=Q(date_precision__in=[YEAR, MONTH, DAY]), name="item_precision_valid"
            ),
            models.CheckConstraint(condition=Q(date_end__gte=models.F("date_start")), name="item_bounds_ordered"),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in ItemKind]), name="item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in Status]), name="item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.EVENT, quote_text="", speaker__isnull=True)
                | (Q(kind=ItemKind.QUOTE, speaker__isnull=False) & ~Q(quote_text="")),
                name="item_quote_fields_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    def save(self, *args, **kwargs) -> None:
        # The bounds are an index of date_edtf; deriving them here keeps every write path honest.
        self.set_date(self.date_edtf)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("timeline:item", args=[self.slug])

    @cached_property
    def date(self) -> FuzzyDate:
        return FuzzyDate.parse(self.date_edtf)

    def set_date(self, value: str) -> None:
        """Set the EDTF date and the bounds derived from it (raises FuzzyDateError)."""
        fuzzy = FuzzyDate.parse(value)
        self.date_edtf = fuzzy.edtf
        self.date_start = fuzzy.start
        self.date_end = fuzzy.end
        self.date_precision = fuzzy.precision
        self.date_approximate = fuzzy.approximate
        self.__dict__.pop("date", None)

    def clean(self) -> None:
        try:
            self.set_date(self.date_edtf)
        except FuzzyDateError as exc:
            raise ValidationError({"date_edtf": str(exc)}) from exc
        if self.kind == ItemKind.QUOTE:
            errors = {}
            if not self.quote_text.strip():
                errors["quote_text"] = "A quote needs its verbatim text."
            if self.speaker_id is None:
                errors["speaker"] = "A quote needs a speaker (a person, organisation, document or group)."
            if errors:
                raise ValidationError(errors)
        elif self.quote_text or self.speaker_id:
            raise ValidationError("Only a quote has quote text and a speaker.")

    @property
    def precision_name(self) -> str:
        return PRECISION_NAMES[self.date_precision]


class CitationStatus(models.TextChoices):
    EXACT = "exact", "exact"
    FUZZY = "fuzzy", "fuzzy (re-anchored, needs review)"
    ORPHAN = "orphan", "orphan (text no longer found)"


class Citation(models.Model):
    """An item → passage link with a TextQuoteSelector and a TextPositionSelector (code points)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="citations")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="citations")
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(help_text="Code-point offset into the passage text, inclusive.")
    end = models.PositiveIntegerField(help_text="Code-point offset, exclusive.")
    status = models.CharField(max_length=8, choices=CitationStatus.choices, default=CitationStatus.EXACT)
    verified_at = models.DateTimeField(null=True, blank=True)
    translation_en = models.TextField(
        "English translation",
        blank=True,
        help_text="The editors' English translation of the cited span, shown to readers as a translation.",
    )
    # The passage as it read when this citation was last verified exact, and the span in it: readers see
    # this snapshot (never a guessed highlight) once a re-import leaves the citation fuzzy or orphaned.
    verified_text = models.TextField(blank=True, default="", editable=False)
    verified_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    verified_end = models.PositiveIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="citation_offsets_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in CitationStatus]),
                name="citation_status_valid",
            ),
            models.UniqueConstraint(fields=["item", "passage", "start", "end"], name="citation_unique_span"),
        ]
        indexes = [models.Index(fields=["passage", "status"], name="citation_passage_status")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.passage_id}[{self.start}:{self.end}]"

    def save(self, *args, **kwargs) -> None:
        # An exact citation that does not match its passage is refused, whatever the write path.
        if self.status == CitationStatus.EXACT:
            error = self.anchor_error()
            if error:
                raise ValidationError({"exact": error})
            if self.verified_at is None:
                self.verified_at = timezone.now()
            self.verified_text, self.verified_start, self.verified_end = self.passage.text, self.start, self.end
        super().save(*args, **kwargs)

    @property
    def verified(self) -> bool:
        """True when the selector fits its passage now (its highlight can be shown in the live text)."""
        return self.status == CitationStatus.EXACT

    @property
    def has_snapshot(self) -> bool:
        return bool(self.verified_text) and self.verified_start is not None and self.verified_end is not None

    def anchor_error(self) -> str | None:
        """Why the selector does not fit its passage, or None when it does."""
        text = self.passage.text
        if not self.exact:
            return "The cited text is empty."
        if self.end > len(text) or self.start >= self.end:
            return (
                f"The span {self.start}–{self.end} is outside the passage, which has {len(text)} characters."
            )
        found = text[self.start : self.end]
        if found != self.exact:
            where = text.find(self.exact)
            hint = f" It occurs at {where}–{where + len(self.exact)}." if where >= 0 else (
                " The text does not occur in this passage at all."
            )
            return f"The passage has “{found}” at {self.start}–{self.end}, not the cited “{self.exact}”.{hint}"
        return None

    def clean(self) -> None:
        if self.passage_id is None:
            return
        error = self.anchor_error()
        if error and self.status == CitationStatus.EXACT:
            raise ValidationError({"exact": error})

    @classmethod
    def from_span(cls, *, item: Item, passage: Passage, start: int, end: int) -> Citation:
        """A citation of ``passage.text[start:end]`` with ~32 characters of context either side."""
        text = passage.text
        return cls(
            item=item,
            passage=passage,
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            start=start,
            end=end,
        )


class DismissedCandidate(models.Model):
    """An editor's "not an item" for a suggested candidate (timeline.suggest), kept across re-imports.

    Stored by source key and the candidate's exact text, not by passage id or offsets, so re-importing
    the article (which may renumber or re-cut passages) does not bring a dismissed candidate back.
    """

    source_key = models.SlugField(max_length=100)
    kind = models.CharField(max_length=8, choices=ItemKind.choices)
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    dismissed_by = models.CharField(max_length=150, blank=True)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source_key", "dismissed_at"]
        indexes = [models.Index(fields=["source_key", "kind"], name="dismissed_source_kind")]

    def __str__(self) -> str:
        return f"{self.source_key}: {self.kind} “{self.exact[:40]}”"


class ImportJob(models.Model):
    """An uploaded article imported in the background (``timeline.tasks``), with what the editor sees:
    where it has got to, and what it did or why it refused."""

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    file_name = models.CharField(max_length=255)
    raw = models.BinaryField()
    manifest = models.JSONField(default=dict, encoder=DjangoJSONEncoder)  # dates as ISO text
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    report = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class EditingPresence(models.Model):
    """Who has a change form open, refreshed by the form's heartbeat (timeline.presence). No lock: others
    are only told; versions decide whose save lands."""

    model = models.CharField(max_length=100, help_text="app_label.model_name")
    object_id = models.CharField(max_length=100)
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id", "user"], name="presence_unique_editor"),
        ]
        indexes = [models.Index(fields=["model", "object_id", "seen_at"], name="presence_lookup")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.model} {self.object_id}"


class ItemDraftRevision(models.Model):
    """Edits to a published item saved for later (like Wagtail's draft revisions of live pages), by an
    editor or a contributor, with the citation changes they make: the live item keeps showing until an
    editor publishes them (timeline.drafts)."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="draft_revision")
    values = models.JSONField(help_text="Field name → value (many-to-many fields as lists of ids).")
    author = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    base_version = models.PositiveIntegerField(help_text="The item's version the draft was made from.")
    citations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Citation changes: added spans (passage, start, end, exact, translation), removed and "
        "re-translated citations; applied and checked against the source when the draft is published.",
    )

    def __str__(self) -> str:
        return f"draft revision of {self.item_id}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "pending"
    APPLIED = "applied", "applied"
    REJECTED = "rejected", "rejected"


class VocabularyProposal(models.Model):
    """A contributor's proposed change to an entity, tag or era that published items show (issue 12).

    Stored, never applied by itself: an editor applies it through the same versioned save as their own
    edits (history records the proposer), or rejects it with a reason (timeline.admin_proposals)."""

    MODELS = {"entity": "Entity", "tag": "Tag", "era": "Era"}

    model = models.CharField(max_length=16, choices=[(name, name) for name in MODELS])
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(max_length=200, help_text="The record's name when it was proposed.")
    base_version = models.PositiveIntegerField(help_text="The record's version the proposal was made from.")
    values = models.JSONField(help_text="Form field name → posted values (lists), for every changed field.")
    reason = models.TextField(blank=True)
    proposed_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="Why it was rejected, or how it was applied.")
    applied_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["status", "model", "object_id"], name="proposal_pending")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in ProposalStatus]), name="proposal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"proposal #{self.pk} for {self.model} “{self.object_label}”"

    @property
    def target_model(self) -> type[models.Model]:
        return {"entity": Entity, "tag": Tag, "era": Era}[self.model]

    def target(self):
        return self.target_model.objects.filter(pk=self.object_id).first()
