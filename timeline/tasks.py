"""Background jobs (Django's task framework, the ``django-tasks`` backport with its database backend).

A large article upload is imported here instead of inside the web request, which gunicorn would cut
at 30 s: the admin stores the upload as an :class:`~timeline.models.ImportJob`, enqueues
:func:`run_import_job` and shows the job's page, which refreshes itself until the job is done.
``manage.py db_worker`` runs the jobs (``make run`` starts one beside gunicorn).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from timeline.ingest.errors import IngestError
from timeline.models import ImportJob

log = logging.getLogger(__name__)


def _update(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))  # one short write transaction of its own


@task()
def run_import_job(job_id: int) -> str:
    from timeline.admin_views import import_upload

    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job.state
    _update(job, state=ImportJob.State.RUNNING, progress="Cleaning and splitting the text")
    try:
        outcome = import_upload(
            bytes(job.raw), job.manifest, file_name=job.file_name, progress=lambda text: _update(job, progress=text)
        )
    except IngestError as exc:
        _update(job, state=ImportJob.State.FAILED, progress="", report=f"Nothing was imported. {exc}",
                finished_at=timezone.now())
    except Exception:
        log.exception("import job %s failed", job_id)
        _update(job, state=ImportJob.State.FAILED, progress="",
                report="Nothing was imported: the import failed unexpectedly (the server log has the details).",
                finished_at=timezone.now())
        raise
    else:
        _update(job, state=ImportJob.State.DONE, progress="",
                report="\n".join(result.describe() for result in outcome.results), finished_at=timezone.now())
    return job.state
