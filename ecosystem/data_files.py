"""Files shipped under ``seeds/data`` that the core reads (the IATI schema, default mappings)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["seeds_data"]


def seeds_data(name: str) -> Path:
    """A path under seeds/data, found without importing the seeds package (and its loaders)."""
    spec = importlib.util.find_spec("seeds")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("The seeds package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name
