"""Domain core of the ecosystem coordination service: model, storage and analysis.

Nothing in this package imports Flask; the HTTP layer lives in :mod:`api`.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
