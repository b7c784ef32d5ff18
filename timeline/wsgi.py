"""WSGI entry point for gunicorn: ``gunicorn timeline.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")

application = get_wsgi_application()

# The objects of a loaded application (modules, models, settings: some 80,000) live as long as the
# process: moved out of the collector's reach, so that its full collections during requests no longer
# walk them (measured: 1.5 ms of CPU per first request of a new filter set, 0.3 ms frozen; see
# ``timeline.benchmarks.fresh``). Garbage is collected first; a worker forked from a preloading master
# also keeps sharing these objects' memory pages.
gc.collect()
gc.freeze()
