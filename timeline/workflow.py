"""The editorial workflow: who may do what to an item, and the status transitions.

Statuses move draft → review → published, and back: an item in review can return to draft, and a
published item can be unpublished (to draft). Two groups hold the permissions (created by a data
migration): a **Contributor** creates and edits drafts and sends them to review, and may propose
changes to a published item as a draft revision (:mod:`timeline.drafts`); an **Editor** may do
everything, including publishing items and draft revisions. Plain functions, so the admin, its bulk actions and the tests
all go through the same rules.

Publishing is refused unless the item has at least one exact citation and passes the provenance
check (:func:`timeline.provenance.item_problems`); the refusal says why in plain language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from timeline.dates import FuzzyDate, FuzzyDateError
from timeline.models import Citation, CitationStatus, Item, ItemKind, Status
from timeline.provenance import NOT_VERBATIM, item_problems

CONTRIBUTOR, EDITOR = "Contributor", "Editor"
SUBMIT_PERMISSION = "timeline.submit_item"
PUBLISH_PERMISSION = "timeline.publish_item"


class TransitionRefused(Exception):
    """A status change that the rules do not allow; the message says why, for an editor."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # what the button says
    done: str  # what the message says afterwards, e.g. "published"
    sources: tuple[str, ...]
    target: str
    permission: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit", "Send to review", "sent to review", (Status.DRAFT,), Status.REVIEW, SUBMIT_PERMISSION
        ),
        Transition(
            "withdraw",
            "Return to draft",
            "returned to draft",
            (Status.REVIEW,),
            Status.DRAFT,
            SUBMIT_PERMISSION,
        ),
        Transition("publish", "Publish", "published", (Status.REVIEW,), Status.PUBLISHED, PUBLISH_PERMISSION),
        Transition(
            "unpublish", "Unpublish", "unpublished", (Status.PUBLISHED,), Status.DRAFT, PUBLISH_PERMISSION
        ),
    )
}


# --- permissions -------------------------------------------------------------------------------------------


def can_publish(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, item: Item | None) -> bool:
    """Contributors edit drafts only; an editor may edit an item in any status."""
    if not (user.is_active and user.has_perm("timeline.change_item")):
        return False
    return item is None or item.pk is None or item.status == Status.DRAFT or can_publish(user)


def can_draft(user, item: Item | None) -> bool:
    """Whoever may change items may save a draft revision of a published one (it stays off the site
    until an editor who may publish publishes it: timeline.drafts)."""
    return (
        item is not None
        and item.pk is not None
        and item.status == Status.PUBLISHED
        and user.is_active
        and user.has_perm("timeline.change_item")
    )


def edit_refusal(user, item: Item) -> str | None:
    """Why ``user`` may not change ``item`` as it is now (None when they may), for the editor to read."""
    if can_edit(user, item):
        return None
    if not (user.is_active and user.has_perm("timeline.change_item")):
        return "You do not have permission to change items."
    draft = (
        " You can save your edits as a draft revision, which an editor reviews and publishes."
        if can_draft(user, item)
        else ""
    )
    return (
        f"It is {item.get_status_display()} now, and only editors may change an item once it is sent to "
        f"review or published (contributors change drafts).{draft}"
    )


def can_delete(user, item: Item | None) -> bool:
    """Contributors delete drafts only; items in review or published are an editor's to delete."""
    if not (user.is_active and user.has_perm("timeline.delete_item")):
        return False
    return item is None or item.status == Status.DRAFT or can_publish(user)


def visible_items(user):
    """The items ``user`` may see on the site: all of them for staff who may view items (a preview of
    drafts and items in review), only published ones for everyone else."""
    if user.is_authenticated and user.is_active and user.is_staff and user.has_perm("timeline.view_item"):
        return Item.objects.all()
    return Item.objects.published()


# --- checks ------------------------------------------------------------------------------------------------


def claim_errors(item: Item, citations: list[Citation]) -> list[str]:
    """What is wrong with the claim as its citations stand, in plain language, whatever its status.

    An item without citations yet is not wrong (a draft in progress); an unsourced item is refused at
    publishing instead.
    """
    if not citations:
        return []
    errors = []
    if item.kind == ItemKind.QUOTE and item.quote_text:
        cited = {citation.exact for citation in citations}
        if item.quote_text not in cited:
            errors.append(not_verbatim_message(item.quote_text, [c.exact for c in citations]))
    try:
        start = FuzzyDate.parse(item.date_edtf).start
    except FuzzyDateError:
        return errors  # the date field reports its own error
    dated = [c.passage.source.published or c.passage.source.reference_date for c in citations]
    latest = max(dated)
    if start > latest:
        errors.append(
            f"The date {item.date_edtf} is later than every cited source was published (the latest on "
            f"{latest.isoformat()}): a source cannot report what had not happened yet. Check the date."
        )
    return errors


def not_verbatim_message(quote: str, cited: list[str]) -> str:
    """The one message for a quote that is none of its citations' words, saying where it departs."""
    if any(quote in text for text in cited):
        return (
            "The quote is not verbatim the text of any of its citations: it is part of a cited passage, so "
            "cite exactly the quoted words."
        )
    return (
        f"The quote is not verbatim the text of any of its citations. {quote_difference(quote, cited)} Copy "
        "the quote from the source, or cite the words it quotes."
    )


def quote_difference(quote: str, cited: list[str]) -> str:
    """Where ``quote`` first departs from the cited text it follows longest, in words for an editor."""
    best = (0, "", 0)  # (characters that agree, cited text, where they start in it)
    for text in cited:
        low, high = 0, len(quote)
        while low < high:  # the longest prefix of the quote that occurs in this cited text
            middle = (low + high + 1) // 2
            if quote[:middle] in text:
                low = middle
            else:
                high = middle - 1
        if low > best[0]:
            best = (low, text, text.find(quote[:low]))
    agreed, text, start = best
    if not agreed:
        return f"Its first character “{quote[:1]}” does not occur in the cited words."
    ours = quote[agreed : agreed + 12]
    theirs = text[start + agreed : start + agreed + 12]
    return (
        f"It follows the cited words for {agreed} character{'s' if agreed != 1 else ''} "
        f"(“…{quote[max(0, agreed - 12) : agreed]}”), then has “{ours}” where the passage has "
        f"“{theirs or '(the end of the cited words)'}”."
    )


def publish_refusals(item: Item, citations: list[Citation] | None = None) -> list[str]:
    """Why ``item`` may not be published (empty when it may): the provenance check, read as published."""
    if citations is None:
        citations = list(item.citations.select_related("passage__source"))
    reasons = []
    if not any(c.status == CitationStatus.EXACT for c in citations):
        reasons.append(
            "It has no exact citation: select the words that support it in a source passage "
            "(“Cite a passage” on the item’s page) before publishing."
        )
    for problem in item_problems(item, citations):
        if problem.message == NOT_VERBATIM:
            # Said once, with where the quote departs from the cited words.
            if citations:  # without any, "no exact citation" says it all
                reasons.append(not_verbatim_message(item.quote_text, [c.exact for c in citations]))
        elif problem.message != "has no exact citation" and not problem.editorial:
            reasons.append(_sentence(problem.message))
    return reasons


def editorial_warnings(item: Item) -> list[str]:
    """What the dataset check will flag on ``item`` without refusing to publish it (a citation with no
    English translation, a stray space in Chinese text)."""
    citations = list(item.citations.select_related("passage__source"))
    return [_sentence(problem.message) for problem in item_problems(item, citations) if problem.editorial]


def save_errors(item: Item, citations: list[Citation]) -> list[str]:
    """Why an edit of ``item`` (with ``citations`` as they will be) may not be saved.

    A published item must stay publishable after every edit; any other item must not claim what its
    citations contradict (a quote that is not verbatim, a date after its sources).
    """
    if item.status == Status.PUBLISHED:
        reasons = publish_refusals(item, citations)
        if reasons and item.pk:
            # Problems the saved item already has (a citation orphaned by a re-import) never block a
            # save: the editor may be adding the correction note or re-citing. Only new ones do.
            saved = Item.objects.filter(pk=item.pk, status=Status.PUBLISHED).first()
            if saved is not None:
                existing = set(publish_refusals(saved))
                reasons = [reason for reason in reasons if reason not in existing]
        return [f"This item is published, so it must stay fully sourced. {reason}" for reason in reasons]
    return claim_errors(item, citations)


def _sentence(message: str) -> str:
    message = message.strip()
    if message.startswith(("has ", "is ", "the ")):
        message = f"It {message}" if not message.startswith("the ") else message
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def transition_refusal(user, item: Item, name: str) -> str | None:
    """Why ``user`` may not apply transition ``name`` to ``item`` now, or None when they may."""
    transition = TRANSITIONS[name]
    if not (user.is_active and user.has_perm(transition.permission)):
        return f"You do not have permission to {transition.label.lower()} items."
    if item.status not in transition.sources:
        allowed = " or ".join(Status(source).label for source in transition.sources)
        hint = " Send it to review first." if name == "publish" and item.status == Status.DRAFT else ""
        return f"It is {item.get_status_display()}; only an item {allowed} can be {transition.done}.{hint}"
    if transition.target == Status.PUBLISHED:
        reasons = publish_refusals(item)
        if reasons:
            return "It cannot be published yet. " + " ".join(reasons)
    return None


def allowed_transitions(user, item: Item) -> list[Transition]:
    """The transitions whose button ``user`` should see for ``item`` (possibly refused on the checks)."""
    return [
        t
        for t in TRANSITIONS.values()
        if item.status in t.sources and user.is_active and user.has_perm(t.permission)
    ]


# Transitions the admin confirms with a reason first (taking an item off the site).
NOTE_REQUIRED = {"unpublish"}


@transaction.atomic
def apply_transition(item: Item, *, name: str, user, expected_version: int | None = None, note: str = "") -> Item:
    """Move ``item`` along transition ``name`` for ``user``, or raise TransitionRefused saying why.

    The row is locked and re-read first, so two editors acting at once cannot both pass the checks on a
    stale copy; ``expected_version`` (the version the editor's page showed) must still be the current one.
    The history record names the user, the transition and the editor's ``note``.
    """
    transition = TRANSITIONS[name]
    item = Item.objects.select_for_update().get(pk=item.pk)
    if expected_version is not None and item.version != expected_version:
        raise TransitionRefused(
            f"It was changed by someone else since you loaded the page (version {expected_version}, now "
            f"{item.version}); nothing was {transition.done}. Reload it and check the changes first."
        )
    refusal = transition_refusal(user, item, name)
    if refusal:
        raise TransitionRefused(refusal)
    note = " ".join(note.split())
    item.status = transition.target
    if transition.target == Status.PUBLISHED:
        item.published_at = timezone.now()
    elif name == "unpublish":
        item.published_at = None
    item.version += 1
    item._history_user = user
    item._change_reason = f"{transition.label}: {note}" if note else transition.label
    item.save()
    return item


def published_uses(vocabulary) -> int:
    """How many published items show this entity, tag or era (as person, organisation, speaker, tag
    or era)."""
    from timeline.models import Entity, Era, Tag

    published = Item.objects.published()
    if isinstance(vocabulary, Entity):
        uses = published.filter(
            models.Q(people=vocabulary) | models.Q(organizations=vocabulary) | models.Q(speaker=vocabulary)
        )
    elif isinstance(vocabulary, Tag):
        uses = published.filter(tags=vocabulary)
    elif isinstance(vocabulary, Era):
        uses = published.filter(era=vocabulary)
    else:
        raise TypeError(f"not an entity, tag or era: {vocabulary!r}")
    return uses.distinct().count()


def may_change_vocabulary(user, vocabulary) -> bool:
    """Contributors may edit names nobody has published yet; a name that published items show is
    published content too, so only an editor (who may publish) changes it; contributors propose."""
    if user.has_perm(PUBLISH_PERMISSION):
        return True
    return vocabulary is None or vocabulary.pk is None or published_uses(vocabulary) == 0
