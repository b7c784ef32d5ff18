"""Editors' dismissals of suggested candidates, remembered by source key and exact text.

A re-import may renumber or re-cut passages, so a dismissal names neither a passage nor offsets: the
same kind of candidate with the same exact text in the same source stays dismissed.
"""

from __future__ import annotations

from timeline.models import DismissedCandidate


def dismissal_key(candidate) -> tuple[str, str]:
    return (candidate.kind, candidate.exact)


def dismissed_keys(source_key: str) -> set[tuple[str, str]]:
    return set(DismissedCandidate.objects.filter(source_key=source_key).values_list("kind", "exact"))


def dismiss(*, source_key: str, candidate, user: str = "") -> DismissedCandidate:
    """Remember that ``candidate`` of ``source_key`` is not an item (idempotent)."""
    row, _ = DismissedCandidate.objects.get_or_create(
        source_key=source_key,
        kind=candidate.kind,
        exact=candidate.exact,
        defaults={"prefix": candidate.prefix[-64:], "suffix": candidate.suffix[:64], "dismissed_by": user},
    )
    return row
