"""IATI activity XML (standard 2.0x): import into project cards, export from them.

International partners exchange development activities as IATI XML. An import maps each
``iati-activity`` onto a project card through documented, data-driven tables
(:mod:`~ecosystem.iati.reading`, see ``docs/iati.md``); the export writes any set of
projects as IATI 2.03 activities (:mod:`~ecosystem.iati.writing`) that validate against
the official schema kept in ``seeds/data/iati`` (:mod:`~ecosystem.iati.schema`). The code
mappings both ways and the safe XML parser are in :mod:`~ecosystem.iati.document`.

XML with a DTD or entities is refused before anything is read (no XXE, no entity bombs).
Pure: no database.
"""

from ecosystem.iati.document import (
    ORG_KIND_TO_TYPE,
    RELATED_TO_RELATION,
    RELATION_TO_RELATED,
    STAGE_TO_STATUS,
    STATUS_TO_STAGE,
    activity_identifier,
)
from ecosystem.iati.reading import parse_activities
from ecosystem.iati.schema import schema_errors
from ecosystem.iati.writing import ExportNames, activities_xml

__all__ = [
    "ORG_KIND_TO_TYPE",
    "RELATED_TO_RELATION",
    "RELATION_TO_RELATED",
    "STAGE_TO_STATUS",
    "STATUS_TO_STAGE",
    "ExportNames",
    "activities_xml",
    "activity_identifier",
    "parse_activities",
    "schema_errors",
]
