"""The editorial admin's forms and extra views: the item form with its date picker, the citation rows the
passage picker fills, the picker's passage data with date suggestions, and the article upload.

Kept apart from :mod:`timeline.admin` (which only declares the ModelAdmin classes) so each can be read
on its own. Writes go through the same functions as everywhere else: citations through
``Citation.from_span``, sources through :mod:`timeline.ingest.pipeline`, status changes through
:mod:`timeline.workflow`.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from timeline.dates import FuzzyDate, FuzzyDateError
from timeline.ingest.clean import MAX_FILE_BYTES, decode_source
from timeline.ingest.pipeline import ImportResult, import_all
from timeline.ingest.prepare import prepare
from timeline.models import Citation, CitationStatus, Entity, Era, Item, Language, Passage, Source
from timeline.suggest.candidates import era_ranges
from timeline.suggest.duplicates import similar_entities, similar_items
from timeline.suggest.engine import era_for
from timeline.workflow import save_errors

# --- the item form: a fuzzy date typed as EDTF or picked ---------------------------------------------------

_SINGLE_DATE_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qualifier>[~?%])?$"
)
PICKER_FIELDS = ("date_year", "date_month", "date_day", "date_is_approximate")


def picked_edtf(year: int | None, month: int | None, day: int | None, approximate: bool) -> str | None:
    """The EDTF string for a date picked as year / month / day (+ approximate), or None without a year."""
    if year is None:
        if month or day:
            raise ValidationError("Pick a year as well: a month or a day alone is not a date.")
        return None
    if day and not month:
        raise ValidationError("Pick the month of that day too.")
    text = f"{year:04d}"
    if month:
        text += f"-{month:02d}"
    if day:
        text += f"-{day:02d}"
    return text + ("~" if approximate else "")


class ItemForm(forms.ModelForm):
    """The item form. The date is one EDTF string; the year / month / day boxes are another way to enter
    it (the admin script keeps both in step). Typed and picked dates that disagree are refused."""

    date_edtf = forms.CharField(
        label="Date (EDTF)",
        required=False,
        max_length=40,
        help_text="2015, 2018-02, 2024-05-13, 2016~ (approximate), 2023? (uncertain), 2023-11/2024-05 "
        "(interval) — or pick the date below.",
    )
    date_year = forms.IntegerField(label="Year", required=False, min_value=1000, max_value=2999)
    date_month = forms.TypedChoiceField(
        label="Month",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(number, calendar.month_name[number]) for number in range(1, 13)],
    )
    date_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    date_is_approximate = forms.BooleanField(label="approximate", required=False)
    confirm_era = forms.BooleanField(
        label="Keep this era although the date is outside it", required=False
    )
    confirm_not_duplicate = forms.BooleanField(
        label="This is not a duplicate of the items named above", required=False
    )

    # Set by ItemAdmin for a revert from the history page, where no citation formset is posted.
    reverting = False

    class Meta:
        model = Item
        fields = (
            "slug",
            "kind",
            "importance",
            "era",
            "date_edtf",
            "title_en",
            "title_zh",
            "summary_en",
            "summary_zh",
            "note_en",
            "note_zh",
            "people",
            "organizations",
            "tags",
            "quote_text",
            "quote_language",
            "quote_translation_en",
            "quote_context_en",
            "quote_context_zh",
            "speaker",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "era" in self.fields:
            self.fields["era"].help_text = "Left empty, it is filled in from the date."
        if self.reverting and self.instance.pk:
            self._prepare_revert()
        match = _SINGLE_DATE_RE.match(self.instance.date_edtf or "")
        if match and not self.is_bound:
            self.initial.update(
                date_year=int(match["year"]),
                date_month=int(match["month"]) if match["month"] else None,
                date_day=int(match["day"]) if match["day"] else None,
                date_is_approximate=match["qualifier"] in ("~", "%"),
            )

    def _prepare_revert(self) -> None:
        # A revert restores content, never the status: status changes go through the workflow only.
        current = Item.objects.filter(pk=self.instance.pk).values("status", "published_at").first()
        if current:
            self.instance.status = current["status"]
            self.instance.published_at = current["published_at"]
        # The historical instance reads people, organisations and tags from the live row; offer the
        # version's own (simple-history keeps them per record).
        record = getattr(self.instance, "_history", None)
        if record is None or self.is_bound:
            return
        for name in ("people", "organizations", "tags"):
            target = Item._meta.get_field(name).m2m_reverse_field_name()
            self.initial[name] = list(getattr(record, name).values_list(target, flat=True))

    def clean(self):
        cleaned = super().clean()
        typed = (cleaned.get("date_edtf") or "").strip()
        if any(name in self.errors for name in PICKER_FIELDS):
            return cleaned
        try:
            picked = picked_edtf(
                cleaned.get("date_year"),
                cleaned.get("date_month"),
                cleaned.get("date_day"),
                cleaned.get("date_is_approximate", False),
            )
        except ValidationError as exc:
            self.add_error("date_year", exc)
            return cleaned
        picker_changed = any(name in self.changed_data for name in PICKER_FIELDS)
        if picked and picker_changed:
            if "date_edtf" in self.changed_data and typed and typed != picked:
                self.add_error(
                    "date_edtf",
                    f"The typed date {typed} and the picked date {picked} disagree; keep one of them.",
                )
                return cleaned
            typed = picked
        if not typed:
            self.add_error("date_edtf", "Enter the date as EDTF (for example 2018-02) or pick a year.")
            return cleaned
        try:
            FuzzyDate.parse(typed)
        except FuzzyDateError as exc:
            self.add_error("date_edtf", str(exc))
            return cleaned
        cleaned["date_edtf"] = typed
        if self.reverting and self.instance.pk:
            self._check_saved_citations()
        else:
            self._check_era(cleaned)
            self._check_duplicates(cleaned)
        return cleaned

    def _check_era(self, cleaned) -> None:
        """A date outside the chosen era is a warning the editor must confirm (timeline.suggest)."""
        era = cleaned.get("era")
        suggested, _ = era_for(cleaned["date_edtf"], era_ranges())
        if era is None:
            # Left empty, the era is the one the date falls in (none when no era contains it).
            cleaned["era"] = Era.objects.filter(slug=suggested).first() if suggested else None
            return
        if era.slug == suggested or cleaned.get("confirm_era"):
            return
        fuzzy = FuzzyDate.parse(cleaned["date_edtf"])
        if era.start <= fuzzy.start and fuzzy.end <= era.end:
            return
        hint = f" The date falls in “{Era.objects.get(slug=suggested)}”." if suggested else ""
        self.add_error(
            "era",
            f"{cleaned['date_edtf']} is outside “{era}” ({era.start} – {era.end}).{hint} "
            "Choose another era, or tick “Keep this era although the date is outside it”.",
        )

    def _check_duplicates(self, cleaned) -> None:
        """A new item like an existing one (date, people, text) is a warning the editor must confirm."""
        if self.instance.pk or cleaned.get("confirm_not_duplicate"):
            return
        slugs = [e.slug for e in [*(cleaned.get("people") or []), *(cleaned.get("organizations") or [])]]
        if cleaned.get("speaker"):
            slugs.append(cleaned["speaker"].slug)
        texts = [cleaned.get(name) or "" for name in ("title_zh", "title_en", "summary_zh", "summary_en", "quote_text")]
        found = similar_items(date_edtf=cleaned["date_edtf"], texts=texts, entity_slugs=slugs)
        if found:
            self.add_error(
                None,
                format_html(
                    "This looks like an item that already exists: {}. Add your citation to it instead, or tick "
                    "“This is not a duplicate of the items named above”.",
                    format_html_join(
                        ", ",
                        '<a href="{}">{}</a> ({})',
                        (
                            (reverse("admin:timeline_item_change", args=[item.pk]), item.title_en, why)
                            for item, why in found
                        ),
                    ),
                ),
            )

    def _post_clean(self):
        # A date refused above leaves the instance without a date; the model's own check would then add
        # a second, misleading message ("'' is not a supported EDTF date"). One message per mistake.
        refused = list(self._errors.get("date_edtf", []))
        super()._post_clean()
        if refused:
            self._errors["date_edtf"] = self.error_class(refused, renderer=self.renderer)

    def _check_saved_citations(self) -> None:
        # On the change page the citation formset runs this check; a revert has no formset.
        self.instance.date_edtf = self.cleaned_data["date_edtf"]
        for name in ("kind", "quote_text"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        try:
            self.instance.set_date(self.instance.date_edtf)
        except FuzzyDateError:
            return
        citations = list(Citation.objects.filter(item=self.instance.pk).select_related("passage__source"))
        for message in save_errors(self.instance, citations):
            self.add_error(None, message)


# --- signing in -----------------------------------------------------------------------------------------------


class StaffLoginForm(AdminAuthenticationForm):
    """The admin sign-in, which tells a user without staff status so instead of "wrong password"."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "The user name or the password is wrong. Both are case-sensitive.",
        "not_staff": "This account may not use the editorial admin (it has no staff status). Ask an "
        "administrator to give it editor or contributor access.",
    }

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not user.is_staff:
            raise ValidationError(self.error_messages["not_staff"], code="not_staff")


# --- entities: aliases typed one per line -------------------------------------------------------------------


class AliasesField(forms.CharField):
    """A list of names edited as lines of text: one alias per line, blank lines and repeats dropped."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(alias) for alias in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(alias) for alias in value]
        names = []
        for line in (value or "").splitlines():
            name = " ".join(line.split())
            if name and name not in names:
                names.append(name)
        return names

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class EntityForm(forms.ModelForm):
    aliases = AliasesField(
        required=False,
        help_text="Other names this person or organisation goes by, one per line, in either script "
        "(e.g. 奥特曼, 阿尔特曼).",
    )

    class Meta:
        model = Entity
        fields = ("slug", "kind", "name_en", "name_zh", "aliases")

    def clean(self):
        cleaned = super().clean()
        names = [cleaned.get("name_en") or "", cleaned.get("name_zh") or "", *(cleaned.get("aliases") or [])]
        clashes = similar_entities([str(name) for name in names], exclude_pk=self.instance.pk)
        if clashes:
            raise ValidationError(
                format_html(
                    "Already known: {}. Edit that entity (add an alias there) instead of creating another.",
                    format_html_join(
                        "; ",
                        '“{}” matches <a href="{}">{}</a> (“{}”)',
                        (
                            (ours, reverse("admin:timeline_entity_change", args=[entity.pk]), entity.name_en, theirs)
                            for entity, theirs, ours in clashes
                        ),
                    ),
                )
            )
        return cleaned


# --- citations: chosen with the passage picker, never typed ----------------------------------------------


class CitationInlineForm(forms.ModelForm):
    """A citation row. The picker fills passage, start and end (code points); the server takes the cited
    words, prefix and suffix from the passage itself (``Citation.from_span``) and checks the span."""

    class Meta:
        model = Citation
        fields = ("passage", "start", "end", "translation_en")
        widgets = {
            "passage": forms.HiddenInput,
            "start": forms.HiddenInput,
            "end": forms.HiddenInput,
            "translation_en": forms.Textarea(attrs={"rows": 2, "cols": 40}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passage"].queryset = Passage.objects.select_related("source")
        self.fields["passage"].error_messages["invalid_choice"] = (
            "That passage no longer exists (was its source re-imported?). Cite the words again."
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.has_changed():
            return cleaned
        passage, start, end = cleaned.get("passage"), cleaned.get("start"), cleaned.get("end")
        if passage is None or start is None or end is None:
            raise ValidationError("Choose the cited words with the passage picker.")
        where = f"passage ¶{passage.ordinal} of {passage.source.key}"
        if not 0 <= start < end <= len(passage.text):
            raise ValidationError(
                f"The selected span {start}–{end} is not in {where}, which has {len(passage.text)} "
                "characters. Select the words again."
            )
        exact = passage.text[start:end]
        if not exact.strip():
            raise ValidationError(f"The selection in {where} is only white space; select the words.")
        # Only the selector is taken; on the add page the item does not exist yet (the formset links it).
        fresh = Citation.from_span(item=Item(), passage=passage, start=start, end=end)
        self.instance.exact, self.instance.prefix, self.instance.suffix = (
            fresh.exact,
            fresh.prefix,
            fresh.suffix,
        )
        self.instance.status = CitationStatus.EXACT
        self.instance.verified_at = None
        return cleaned

    def _post_clean(self):
        # A refused span is explained above; the model's own checks would only repeat it less clearly.
        if not self._errors:
            super()._post_clean()

    def _update_errors(self, errors):
        # Model validation may name fields this form does not show (exact); report those on the row.
        if hasattr(errors, "error_dict") and any(
            name != NON_FIELD_ERRORS and name not in self.fields for name in errors.error_dict
        ):
            errors = ValidationError(
                [message for messages in errors.message_dict.values() for message in messages]
            )
        super()._update_errors(errors)


class CitationFormSet(forms.BaseInlineFormSet):
    """Checks the item against the citations it will have after this save, in plain language."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        citations = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or (self.can_delete and self._should_delete_form(form)):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            citations.append(form.instance)
        errors = save_errors(self.instance, citations)
        if errors:
            raise ValidationError(errors)


# --- the picker's data --------------------------------------------------------------------------------------


def date_suggestions(passage: Passage, reference) -> list[dict]:
    """The date mentions in ``passage``, resolved against ``reference``, as EDTF with labels.

    Stored DateMention rows win; without them the extractor runs on the passage text now.
    """
    mentions = list(passage.date_mentions.all())
    if not mentions:
        try:
            from timeline.ingest.extract_dates import extract_dates
        except ImportError:  # the extractor is optional for the picker
            return []
        mentions = extract_dates(passage.text, reference=reference)
    suggestions = []
    for mention in mentions:
        edtf = mention.date + ("~" if mention.approximate else "")
        try:
            fuzzy = FuzzyDate.parse(edtf)
        except FuzzyDateError:
            continue
        precision = mention.precision
        suggestions.append(
            {
                "text": mention.text,
                "start": mention.start,
                "end": mention.end,
                "edtf": fuzzy.edtf,
                "label_en": fuzzy.label_en,
                "label_zh": fuzzy.label_zh,
                "precision": precision if isinstance(precision, str) else fuzzy.precision_name,
            }
        )
    return suggestions


def picker_data(source: Source) -> dict:
    """Everything the passage picker shows for one source."""
    passages = (
        source.passages.annotate(cited_by=Count("citations"))
        .prefetch_related("date_mentions")
        .order_by("ordinal")
    )
    return {
        "source": {
            "id": source.pk,
            "key": source.key,
            "title": source.title,
            "language": source.language,
            "published": source.published.isoformat() if source.published else None,
            "reference_date": source.reference_date.isoformat(),
        },
        "passages": [
            {
                "id": passage.pk,
                "ordinal": passage.ordinal,
                "text": passage.text,
                "cited_by": passage.cited_by,
                "dates": date_suggestions(passage, source.reference_date),
            }
            for passage in passages
        ],
    }


def parse_date_preview(value: str) -> dict:
    """The bounds and labels of an EDTF value for the live preview beside the date field."""
    try:
        fuzzy = FuzzyDate.parse(value)
    except FuzzyDateError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True, **fuzzy.as_dict()}


# --- uploading an article ---------------------------------------------------------------------------------

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_SKIPPED_TAGS = {"head", "script", "style", "noscript", "template", "svg", "iframe", "object"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n" if tag in ("br", "li", "td", "th", "dt", "dd") else "\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag not in ("li", "td", "th", "dt", "dd") else "\n")

    def handle_data(self, data):
        if not self.skipping:
            # Inside a block, source line breaks are layout, not paragraphs.
            self.parts.append(re.sub(r"\s*\n\s*", " ", data))


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: tags stripped with the standard library's html.parser, scripts,
    styles and the head dropped, block elements turned into paragraphs, entities decoded.

    The result, not the HTML, is what an HTML upload stores as the source's raw text, so citations and
    offsets refer to text an editor can read.
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def looks_like_html(file_name: str, text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    return file_name.lower().endswith(HTML_SUFFIXES) or head.startswith(("<!doctype html", "<html"))


def file_too_large(size: int) -> str:
    """The refusal of an oversized upload, stating the file's real size (not just "over the limit")."""
    return (
        f"The file is {filesizeformat(size)} ({size:,} bytes); the limit is {filesizeformat(MAX_FILE_BYTES)} "
        f"({MAX_FILE_BYTES:,} bytes) for one article. Nothing was imported."
    )


class SourceUploadForm(forms.Form):
    """One article with the fields of its manifest (see fixtures/sources/*.yaml)."""

    file = forms.FileField(
        required=False,
        help_text="A UTF-8 text (.txt) or HTML (.html) file of one article, "
        f"at most {MAX_FILE_BYTES:,} bytes. "
        "HTML is reduced to its text first.",
    )
    text = forms.CharField(
        label="or paste the text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Used when no file is chosen.",
    )
    key = forms.SlugField(
        max_length=100,
        help_text="Stable id, lowercase with hyphens (e.g. netease-openai-idealists). "
        "Re-upload under the same "
        "key to update a source.",
    )
    title = forms.CharField(max_length=500)
    title_as_printed = forms.CharField(
        max_length=500, required=False, help_text="Only if the page prints the title differently."
    )
    publisher = forms.CharField(max_length=200)
    author = forms.CharField(max_length=200, required=False)
    language = forms.ChoiceField(choices=Language.choices)
    published = forms.DateField(required=False, help_text="YYYY-MM-DD; leave empty if the page gives none.")
    reference_date = forms.DateField(
        required=False,
        help_text="What relative dates (去年, 3天后) resolve against; defaults to the publication date.",
    )
    reference_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the reference date differs from the publication date: say why.",
    )
    original_url = forms.URLField(
        label="Original URL", max_length=1000, required=False, assume_scheme="https"
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            if "file" not in self.errors:
                raise ValidationError("Choose a file or paste the article's text.")
        if not cleaned.get("published") and not cleaned.get("reference_date"):
            self.add_error("reference_date", "Without a publication date, give the reference date.")
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            raise ValidationError(file_too_large(upload.size))
        return upload

    def raw_bytes(self) -> tuple[bytes, str]:
        """The bytes to import and the file name to record."""
        upload = self.cleaned_data.get("file")
        if upload:
            raw = upload.read(MAX_FILE_BYTES + 1)
            name = upload.name
        else:
            # Browsers send textarea lines with CRLF; the articles are stored with LF.
            raw = self.cleaned_data["text"].replace("\r\n", "\n").encode("utf-8")
            name = f"{self.cleaned_data['key']}.txt"
        return raw, name

    def manifest(self, raw: bytes) -> dict:
        data = self.cleaned_data
        manifest = {
            "kind": "article",
            "key": data["key"],
            "title": data["title"],
            "publisher": data["publisher"],
            "author": data["author"],
            "language": data["language"],
            "published": data["published"],
            "reference_date": data["reference_date"] or data["published"],
            "reference_note": data["reference_note"],
            "original_url": data["original_url"],
            # The upload is its own manifest's file, so the checksum guard is satisfied by construction.
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
        if data["title_as_printed"]:
            manifest["title_as_printed"] = data["title_as_printed"]
        return manifest

    @classmethod
    def initial_for(cls, source: Source) -> dict:
        """The form prefilled from an existing source, for a re-import."""
        return {name: getattr(source, name) for name in Source.METADATA_FIELDS}


@dataclass
class PassageChange:
    ordinal: int
    before: str | None
    after: str | None


@dataclass
class UploadOutcome:
    results: list[ImportResult]
    passage_changes: dict[str, list[PassageChange]] = field(default_factory=dict)
    citations_to_fix: list[Citation] = field(default_factory=list)


def _passage_texts(keys: list[str]) -> dict[str, dict[int, str]]:
    texts: dict[str, dict[int, str]] = {key: {} for key in keys}
    for key, ordinal, text in Passage.objects.filter(source__key__in=keys).values_list(
        "source__key", "ordinal", "text"
    ):
        texts[key][ordinal] = text
    return texts


def import_upload(raw: bytes, manifest: dict, *, file_name: str, progress=None) -> UploadOutcome:
    """Import one uploaded article through the ingest pipeline: all or nothing, idempotent.

    HTML (by file name or content) is reduced to text first. IngestError carries the same refusals as
    ``import_sources``; nothing is written then.
    """
    if file_name.lower().endswith(HTML_SUFFIXES) or raw.lstrip()[:15].lower().startswith(
        (b"<!doctype", b"<html")
    ):
        text = decode_source(raw, file_name=file_name)  # the same refusals: empty, binary, not UTF-8
        if looks_like_html(file_name, text):
            raw = html_to_text(text).encode("utf-8")
            manifest = {**manifest, "sha256": hashlib.sha256(raw).hexdigest()}
    prepared = prepare(raw, manifest, file_name=file_name)  # refusals happen here, before any write
    keys = [source.key for source in prepared]
    before = _passage_texts(keys)
    results = import_all(prepared, progress=progress)
    after = _passage_texts(keys)
    changes = {}
    for key in keys:
        ordinals = sorted(set(before[key]) | set(after[key]))
        diff = [
            PassageChange(n, before[key].get(n), after[key].get(n))
            for n in ordinals
            if before[key].get(n) != after[key].get(n)
        ]
        if diff and before[key]:
            changes[key] = diff
    to_fix = list(
        Citation.objects.filter(passage__source__key__in=keys)
        .filter(~Q(status=CitationStatus.EXACT))
        .select_related("item", "passage__source")
        .order_by("item__slug", "id")
    )
    return UploadOutcome(results=results, passage_changes=changes, citations_to_fix=to_fix)
