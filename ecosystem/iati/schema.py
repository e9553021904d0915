"""Checking a document against the official IATI 2.03 activity schema (kept in seeds/data)."""

from __future__ import annotations

import functools
from typing import Any

from ecosystem.data_files import seeds_data
from ecosystem.iati.document import parse_xml

__all__ = ["SCHEMA_FILE", "schema_errors"]

SCHEMA_FILE = "iati/iati-activities-schema.xsd"


@functools.cache
def _schema() -> Any:
    import xmlschema

    # Local files only: the schema and its imports are in the repository.
    return xmlschema.XMLSchema(str(seeds_data(SCHEMA_FILE)), allow="local", defuse="always")


def schema_errors(document: bytes, limit: int = 20) -> list[str]:
    """Why ``document`` is not a valid IATI 2.03 activity file (empty when it is)."""
    root = parse_xml(document)
    errors = []
    for error in _schema().iter_errors(root):
        errors.append(f"{error.path}: {error.reason}")
        if len(errors) >= limit:
            break
    return errors
