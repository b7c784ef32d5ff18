"""The admin index's line about vocabulary proposals (timeline.admin_proposals): editors see how many wait
for review, contributors how their own stand."""

from django import template
from django.db.models import Count

from timeline import workflow
from timeline.models import ProposalStatus, VocabularyProposal

register = template.Library()


@register.inclusion_tag("admin/timeline/proposal_notice.html")
def proposal_notice(user):
    if not getattr(user, "is_staff", False):
        return {}
    if user.has_perm(workflow.PUBLISH_PERMISSION):
        waiting = VocabularyProposal.objects.filter(status=ProposalStatus.PENDING).count()
        return {"editor": True, "pending": waiting}
    counts = dict(
        VocabularyProposal.objects.filter(proposed_by=user).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {"editor": False, "own": counts, "any": sum(counts.values())}
