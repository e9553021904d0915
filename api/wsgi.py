"""The WSGI entry point for gunicorn: ``gunicorn api.wsgi:app``.

Each worker imports this module after the fork, so each builds its own overlap index,
in the background, as soon as it starts (``ECOSYSTEM_WARM_INDEX=0`` turns that off).
"""

from __future__ import annotations

import os

from api import create_app
from api.db import warm_in_background

app = create_app()
if os.environ.get("ECOSYSTEM_WARM_INDEX", "1") != "0":
    warm_in_background(app)
