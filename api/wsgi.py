"""The WSGI entry point for gunicorn: ``gunicorn api.wsgi:app``.

Each worker imports this module after the fork, so each builds its own overlap index,
in the background, as soon as it starts (``ECOSYSTEM_WARM_INDEX=0`` turns that off), and
runs the embedding job (``ECOSYSTEM_EMBEDDING_WORKER=false`` turns that off).
"""

from __future__ import annotations

import os

from api import create_app
from api.db import warm_in_background
from api.jobs import start_embedding_worker

app = create_app()
if os.environ.get("ECOSYSTEM_WARM_INDEX", "1") != "0":
    warm_in_background(app)
if app.config.get("EMBEDDING_WORKER", True):
    start_embedding_worker(app)
