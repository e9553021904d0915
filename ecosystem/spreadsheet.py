"""Spreadsheets in and out: CSV and XLSX ⇄ portfolio documents, with every problem placed.

Organisations keep their projects in spreadsheets. This module reads such a sheet (CSV in
any common delimiter and encoding, or XLSX) into project cards — one row per project,
Danish column headers or their English aliases, labels instead of codes — and reports
every problem with its row, column and a Danish/English message. It also writes the
same columns back out (the template and portfolio exports), so an exported file imports
unchanged.

Pure: no database. The reference vocabularies come in as plain :class:`Vocabularies`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from ecosystem.errors import FieldError, InvalidInput
from ecosystem.model import (
    CareLevel,
    DevelopmentType,
    EvidenceOutcome,
    FundingKind,
    LinkRelation,
    ProjectRecord,
    Stage,
    Visibility,
)
from ecosystem.portfolio import ProjectSchema
from ecosystem.tabular import Column, Table, to_csv_bytes, to_xlsx_bytes

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "FieldSpec",
    "FileRejected",
    "LabelIndex",
    "ParsedImport",
    "ParsedRow",
    "Problem",
    "Term",
    "Vocabularies",
    "card_to_row",
    "detect_format",
    "fold",
    "listing_table",
    "parse_spreadsheet",
    "portfolio_table",
    "template_csv",
    "template_xlsx",
    "validate_cards",
]

# Documented limits (docs/spreadsheet-import.md): enough for the largest portfolio
# (about 10,000 projects), small enough that a mistaken upload cannot exhaust a worker.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip; a small file may unpack to gigabytes. Refuse sheets that unpack to more.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_REPORTED_PROBLEMS = 1_000

Progress = Callable[[int, int], None]


# --- problems --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem with a file, a row or a cell, in Danish and English."""

    message_da: str
    message_en: str
    row: int | None = None
    column: str | None = None
    field: str | None = None
    severity: str = "error"
    unit: str = "row"  # or "activity", for IATI files

    @property
    def message(self) -> str:
        return f"{self.message_da} / {self.message_en}"

    @property
    def text(self) -> str:
        """The message with its place, e.g. ``Række 14, kolonne Temaer: …``."""
        unit_da, column_da = (
            ("aktivitet", "element") if self.unit == "activity" else ("række", "kolonne")
        )
        unit_en, column_en = (
            ("activity", "element") if self.unit == "activity" else ("row", "column")
        )
        where_da, where_en = (
            ", ".join(
                part
                for part in (
                    f"{unit} {self.row}" if self.row is not None else "",
                    f"{column} {self.column}" if self.column else "",
                )
                if part
            )
            for unit, column in ((unit_da, column_da), (unit_en, column_en))
        )
        if not where_da:
            return self.message
        return f"{_upper_first(where_da)}: {self.message_da} / {_upper_first(where_en)}: {self.message_en}"

    @property
    def place(self) -> str:
        """A short place for problem+json ``field``: ``row 14, Temaer`` or ``file``."""
        parts = [f"{self.unit} {self.row}" if self.row is not None else "", self.column or ""]
        return ", ".join(part for part in parts if part) or "file"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "severity": self.severity,
            "unit": self.unit,
            "message": self.message,
            "message_da": self.message_da,
            "message_en": self.message_en,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        return cls(
            message_da=data["message_da"],
            message_en=data["message_en"],
            row=data.get("row"),
            column=data.get("column"),
            field=data.get("field"),
            severity=data.get("severity", "error"),
            unit=data.get("unit", "row"),
        )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


class FileRejected(InvalidInput):
    """The file cannot be read as a portfolio at all; nothing is stored or changed.

    ``reason`` tells the HTTP layer which status fits: ``too_large`` (413),
    ``unsupported`` (415) or ``unreadable`` (422).
    """

    def __init__(
        self,
        message_da: str,
        message_en: str,
        *,
        reason: str = "unreadable",
        details: Sequence[Problem] = (),
    ) -> None:
        message = f"{message_da} / {message_en}"
        errors = [FieldError("file", message)] + [
            FieldError(problem.place, problem.message) for problem in details
        ]
        super().__init__(message, errors)
        self.reason = reason


@dataclass
class ParsedRow:
    """One row of the file (or one IATI activity) and the project card it becomes.

    ``project`` is the validated, normalised card when the row has no errors, and the
    best-effort partial card otherwise (so a preview can still show what was understood).
    """

    number: int
    project: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(problem.severity == "error" for problem in self.problems)

    @property
    def external_id(self) -> str | None:
        value = self.project.get("external_id")
        return value if isinstance(value, str) else None


@dataclass
class ParsedImport:
    """A whole file read: its rows, file-level problems and how it was read."""

    source: str
    rows: list[ParsedRow]
    problems: list[Problem] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def all_problems(self) -> Iterator[Problem]:
        yield from self.problems
        for row in self.rows:
            yield from row.problems

    @property
    def error_count(self) -> int:
        return sum(1 for problem in self.all_problems() if problem.severity == "error")

    @property
    def publishable(self) -> bool:
        return bool(self.rows) and self.error_count == 0


# --- vocabularies and label matching -------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A code with the names people may write for it (labels, municipality names, ids)."""

    code: str
    label_da: str
    label_en: str | None = None
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (
            self.code,
            self.label_da,
            *((self.label_en,) if self.label_en else ()),
            *self.aliases,
        )


@dataclass(frozen=True)
class Vocabularies:
    """The reference data a sheet may refer to, as plain data (see ``store.imports``)."""

    themes: tuple[Term, ...] = ()
    target_groups: tuple[Term, ...] = ()
    areas: tuple[Term, ...] = ()
    goals: tuple[Term, ...] = ()
    organisations: tuple[Term, ...] = ()


_TRANSLITERATIONS = (("æ", "ae"), ("ø", "oe"), ("å", "aa"))
_SIMPLE = (("æ", "ae"), ("ø", "o"), ("å", "a"))


def fold(text: str, spellings: Sequence[tuple[str, str]] = _TRANSLITERATIONS) -> str:
    """A key for comparing names: case, accents, punctuation and spacing do not matter.

    Examples
    --------
    >>> fold("  Kronisk sygdom og ÆLDRE ")
    'kronisk sygdom og aeldre'
    >>> fold("Århus") == fold("Aarhus") and fold("Type 2-diabetes") == fold("type 2 diabetes")
    True
    >>> fold("Idé")
    'ide'
    """
    text = text.casefold()
    for letter, spelling in spellings:
        text = text.replace(letter, spelling)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _keys(text: str) -> set[str]:
    """Both common ASCII spellings of Danish letters: 'Køge' is found as 'Koege' and 'Koge'."""
    return {fold(text), fold(text, _SIMPLE)} - {""}


class LabelIndex:
    """Finds codes by code, label or alias; suggests the closest label when nothing fits."""

    def __init__(self, noun_da: str, noun_en: str, terms: Iterable[Term]) -> None:
        self.noun_da, self.noun_en = noun_da, noun_en
        self.terms = {term.code: term for term in terms}
        self.exact = set(self.terms)
        self.by_key: dict[str, set[str]] = {}
        self.suggestions: dict[str, Term | None] = {}
        self.matches: dict[str, frozenset[str]] = {}
        for term in self.terms.values():
            for name in term.names():
                for key in _keys(name):
                    self.by_key.setdefault(key, set()).add(term.code)

    def find(self, text: str) -> str | None:
        """The one code ``text`` names, or None (cheaper than :meth:`resolve`: no messages)."""
        found = self._matches(text)
        return next(iter(found)) if len(found) == 1 else None

    def resolve(self, text: str) -> tuple[str | None, tuple[str, str] | None]:
        """(code, None) when found; (None, (Danish, English) message) otherwise."""
        found = self._matches(text)
        if len(found) == 1:
            return next(iter(found)), None
        if found:
            codes = ", ".join(sorted(found))
            return None, (
                f"'{text}' passer på flere {self.noun_da}er ({codes}); skriv koden",
                f"'{text}' matches several {self.noun_en}s ({codes}); write the code",
            )
        return None, self.unknown(text)

    def _matches(self, text: str) -> frozenset[str]:
        # The same few labels fill thousands of cells: fold each distinct text only once.
        cached = self.matches.get(text)
        if cached is None:
            if text in self.exact:
                cached = frozenset((text,))
            else:
                found: set[str] = set()
                for key in _keys(text):
                    found |= self.by_key.get(key, set())
                cached = frozenset(found)
            self.matches[text] = cached
        return cached

    def unknown(self, text: str) -> tuple[str, str]:
        suggestion = self.suggest(text)
        if suggestion is None:
            return (
                f"'{text}' findes ikke som {self.noun_da}",
                f"'{text}' is not a known {self.noun_en}",
            )
        return (
            f"'{text}' findes ikke som {self.noun_da} — mente du '{suggestion.label_da}'?",
            f"'{text}' is not a known {self.noun_en} — did you mean "
            f"'{suggestion.label_en or suggestion.label_da}'?",
        )

    def suggest(self, text: str) -> Term | None:
        """The term whose code, label or a word of its label is closest to ``text``."""
        wanted = fold(text)
        # A wrong value is usually wrong in many rows; compare it with every label once.
        if wanted not in self.suggestions:
            self.suggestions[wanted] = self._closest(wanted)
        return self.suggestions[wanted]

    def _closest(self, wanted: str) -> Term | None:
        if not wanted:
            return None
        best: tuple[float, Term] | None = None
        for term in self.terms.values():
            score = max(_likeness(wanted, fold(name)) for name in term.names())
            if score >= 0.7 and (best is None or score > best[0]):
                best = (score, term)
        return best[1] if best else None


def _likeness(wanted: str, name: str) -> float:
    """How alike two folded names are, also comparing with each word and the same-length start.

    'Kronikere' is far from 'Kronisk sygdom og ældre' as a whole, but close to its first word.
    """
    whole = difflib.SequenceMatcher(None, wanted, name).ratio()
    parts = [word for word in name.split() if len(word) >= 3]
    if len(wanted) >= 4:
        parts.append(name[: len(wanted)])
    # A match on the whole name beats an equally good match on one of its words.
    part = max((difflib.SequenceMatcher(None, wanted, p).ratio() for p in parts), default=0.0)
    return max(whole, 0.95 * part)


def _choices(
    noun_da: str, noun_en: str, enum: Iterable[Any], labels: Mapping[str, Sequence[str]]
) -> LabelIndex:
    terms = []
    for member in enum:
        names = labels.get(member.value, ())
        terms.append(
            Term(
                member.value,
                names[0] if names else member.value,
                names[1] if len(names) > 1 else None,
                tuple(names[2:]),
            )
        )
    return LabelIndex(noun_da, noun_en, terms)


# Danish first, then English, then other spellings people use.
STAGE_LABELS = {
    "idea": ("Idé", "Idea", "Ide"),
    "analysis": ("Analyse", "Analysis", "Foranalyse"),
    "pilot": ("Afprøvning (pilot)", "Pilot", "Afprøvning", "Test"),
    "implementation": (
        "Implementering og udbredelse",
        "Implementation and scaling",
        "Implementering",
        "Udbredelse",
        "Implementation",
        "Scaling",
    ),
    "operation": ("Drift", "Operation", "I drift"),
    "completed": ("Afsluttet", "Completed", "Gennemført"),
    "stopped": ("Stoppet", "Stopped", "Standset", "Opgivet"),
}
VISIBILITY_LABELS = {
    "public": ("Offentlig", "Public", "Alle"),
    "ecosystem": ("Økosystemet", "Ecosystem", "Økosystem"),
    "private": ("Privat", "Private", "Kun egen organisation"),
}
CARE_LEVEL_LABELS = {
    "specialised": (
        "Det specialiserede sundhedsvæsen",
        "Specialised health care",
        "Specialiseret",
        "Specialised",
    ),
    "near": ("Det nære sundhedsvæsen", "Near health care", "Nære", "Det nære", "Near"),
    "cross_sector": ("Tværsektorielt", "Cross-sector", "Tværsektoriel"),
}
DEVELOPMENT_TYPE_LABELS = {
    "development": ("Udvikling", "Development"),
    "operations_near": ("Driftsnær udvikling", "Operations-near development"),
    "operations": ("Drift", "Operations"),
}
OUTCOME_LABELS = {
    "positive": ("Positiv", "Positive"),
    "mixed": ("Blandet", "Mixed"),
    "negative": ("Negativ", "Negative"),
    "inconclusive": ("Uafklaret", "Inconclusive", "Uklar"),
}
FUNDING_LABELS = {
    "own": ("Egne midler", "Own funds"),
    "block_grant": ("Bloktilskud", "Block grant"),
    "national_pool": ("National pulje", "National pool", "Statslig pulje", "Satspulje"),
    "public_research_fund": ("Offentlig forskningsfond", "Public research fund"),
    "private_foundation": ("Privat fond", "Private foundation", "Fond"),
    "partnership": ("Partnerskab", "Partnership"),
    "eu": ("EU-midler", "EU funds", "EU"),
    "co_financing": ("Medfinansiering", "Co-financing"),
    "social_investment": ("Social investering", "Social investment"),
    "other": ("Andet", "Other"),
}
RELATION_LABELS = {
    "part_of": ("Del af", "Part of"),
    "builds_on": ("Bygger på", "Builds on"),
    "scales": ("Udbreder", "Scales", "Skalerer"),
    "depends_on": ("Afhænger af", "Depends on"),
    "merged_into": ("Lagt sammen med", "Merged into", "Sammenlagt med"),
    "related": ("Relateret", "Related"),
}

_TRUE = {"ja", "j", "yes", "y", "true", "sand", "1", "x"}
_FALSE = {"nej", "n", "no", "false", "falsk", "0"}


class _Lookups:
    """Every index a sheet needs, built once per file."""

    def __init__(self, vocabularies: Vocabularies) -> None:
        self.codes = {
            "themes": LabelIndex("tema", "theme", vocabularies.themes),
            "target_groups": LabelIndex("målgruppe", "target group", vocabularies.target_groups),
            "areas": LabelIndex(
                "område", "area", _with_short_municipality_codes(vocabularies.areas)
            ),
            "goals": LabelIndex("mål", "goal", vocabularies.goals),
        }
        self.organisations = LabelIndex("organisation", "organisation", vocabularies.organisations)
        self.choices = {
            "stage": _choices("fase", "stage", Stage, STAGE_LABELS),
            "visibility": _choices("synlighed", "visibility", Visibility, VISIBILITY_LABELS),
            "care_level": _choices("behandlingsniveau", "care level", CareLevel, CARE_LEVEL_LABELS),
            "development_type": _choices(
                "udviklingstype", "development type", DevelopmentType, DEVELOPMENT_TYPE_LABELS
            ),
            "evidence.outcome": _choices(
                "evidensudfald", "evidence outcome", EvidenceOutcome, OUTCOME_LABELS
            ),
        }
        self.funding_kinds = _choices(
            "finansieringstype", "funding kind", FundingKind, FUNDING_LABELS
        )
        self.relations = _choices("relation", "relation", LinkRelation, RELATION_LABELS)


def _with_short_municipality_codes(areas: Iterable[Term]) -> list[Term]:
    """Excel drops leading zeros: '0751' typed in a cell comes back as 751."""
    result = []
    for term in areas:
        if term.code.isdigit() and term.code.startswith("0"):
            term = Term(
                term.code, term.label_da, term.label_en, (*term.aliases, term.code.lstrip("0"))
            )
        result.append(term)
    return result


# --- columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One column of the sheet: where it goes in the card and how its cells are read."""

    key: str
    header_da: str
    header_en: str
    kind: str
    help_da: str
    help_en: str
    required: bool = False

    @property
    def column(self) -> Column:
        return Column(self.key, self.header_da, self.header_en)

    @property
    def header(self) -> str:
        return self.column.header


COLUMNS: tuple[FieldSpec, ...] = (
    FieldSpec("external_id", "Projekt-id", "Project ID", "text", "Jeres eget projektnummer; unikt, uden mellemrum", "Your own project number; unique, no spaces", True),
    FieldSpec("title", "Titel", "Title", "text", "Højst 300 tegn", "At most 300 characters", True),
    FieldSpec("description", "Beskrivelse", "Description", "text", "Hvad projektet gør og for hvem", "What the project does and for whom", True),
    FieldSpec("stage", "Fase", "Stage", "choice", "Idé, Analyse, Afprøvning (pilot), Implementering og udbredelse, Drift, Afsluttet, Stoppet", "Idea, Analysis, Pilot, Implementation and scaling, Operation, Completed, Stopped", True),
    FieldSpec("themes", "Temaer", "Themes", "codes", "Koder eller navne, adskilt af ';' (fx T2; Telemedicin og hjemmemonitorering)", "Codes or names separated by ';'", True),
    FieldSpec("target_groups", "Målgrupper", "Target groups", "codes", "Koder eller navne, adskilt af ';'", "Codes or names separated by ';'"),
    FieldSpec("areas", "Områder", "Areas", "codes", "Kommunenavn eller -kode, region, sundhedsråd eller DK; adskilt af ';'", "Municipality name or code, region, health council or DK; separated by ';'"),
    FieldSpec("start_date", "Startdato", "Start date", "date", "2026-12-31, 31-12-2026 eller 31.12.2026", "2026-12-31, 31-12-2026 or 31.12.2026"),
    FieldSpec("end_date", "Slutdato", "End date", "date", "Ikke før startdato", "Not before the start date"),
    FieldSpec("budget_dkk", "Budget i kr.", "Budget DKK", "number", "Samlet budget i kroner, fx 2400000 eller 2.400.000", "Total budget in kroner"),
    FieldSpec("funding_sources", "Finansiering", "Funding", "funding", "Navn (type), adskilt af ';', fx Egne midler (own)", "Name (kind) separated by ';'"),
    FieldSpec("value_score", "Værdiscore", "Value score", "integer", "Helt tal 1-5", "Whole number 1-5"),
    FieldSpec("value_rationale", "Værdibegrundelse", "Value rationale", "text", "Højst 2.000 tegn", "At most 2,000 characters"),
    FieldSpec("risk_score", "Risikoscore", "Risk score", "integer", "Helt tal 1-5", "Whole number 1-5"),
    FieldSpec("risk_rationale", "Risikobegrundelse", "Risk rationale", "text", "Højst 2.000 tegn", "At most 2,000 characters"),
    FieldSpec("goals", "Mål", "Goals", "codes", "Målkoder, fx NM2; adskilt af ';'", "Goal codes separated by ';'"),
    FieldSpec("partners", "Partnere", "Partners", "partners", "Organisations-id eller navn, adskilt af ';'", "Organisation id or name separated by ';'"),
    FieldSpec("evidence.summary", "Evidens", "Evidence", "text", "Kort om evaluering og resultater", "Evaluation and results in brief"),
    FieldSpec("evidence.url", "Evidens-link", "Evidence URL", "text", "Webadresse", "Web address"),
    FieldSpec("evidence.outcome", "Evidensudfald", "Evidence outcome", "choice", "Positiv, Blandet, Negativ, Uafklaret", "Positive, Mixed, Negative, Inconclusive"),
    FieldSpec("contact.name", "Kontakt", "Contact", "text", "En funktion eller postkasse er nok", "A role or mailbox is enough"),
    FieldSpec("contact.email", "Kontakt-e-mail", "Contact email", "text", "E-mailadresse", "Email address"),
    FieldSpec("contact.phone", "Kontakttelefon", "Contact phone", "text", "Telefonnummer", "Phone number"),
    FieldSpec("contact.url", "Kontaktlink", "Contact URL", "text", "Webadresse", "Web address"),
    FieldSpec("visibility", "Synlighed", "Visibility", "choice", "Offentlig (standard), Økosystemet, Privat", "Public (default), Ecosystem, Private"),
    FieldSpec("disclose_when_private", "Vis anonymt når privat", "Disclose when private", "boolean", "ja/nej", "yes/no"),
    FieldSpec("care_level", "Behandlingsniveau", "Care level", "choice", "Det specialiserede sundhedsvæsen, Det nære sundhedsvæsen, Tværsektorielt", "Specialised, Near, Cross-sector"),
    FieldSpec("development_type", "Udviklingstype", "Development type", "choice", "Udvikling, Driftsnær udvikling, Drift", "Development, Operations-near development, Operations"),
    FieldSpec("links", "Relationer", "Links", "links", "organisation/projekt-id (relation), adskilt af ';', fx kommune-aarhus/SUND-1 (Bygger på)", "organisation/project-id (relation) separated by ';'"),
    FieldSpec("last_reviewed", "Senest gennemgået", "Last reviewed", "date", "Dato", "Date"),
    FieldSpec("demo", "Demo", "Demo", "boolean", "ja hvis projektet er fiktivt", "yes if the project is fictional"),
)  # fmt: skip

# Columns an export adds for people; an import accepts and skips them.
INFO_COLUMNS: tuple[Column, ...] = (
    Column("organisation", "Organisation", "Organisation"),
    Column("organisation_name", "Organisationsnavn", "Organisation name"),
    Column("id", "Løbenummer", "Id"),
    Column("revision", "Revision", "Revision"),
    Column("updated_at", "Opdateret", "Updated"),
    Column("withdrawn", "Trukket tilbage", "Withdrawn"),
)
_SPEC_BY_KEY = {spec.key: spec for spec in COLUMNS}


def _header_keys(*names: str) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys |= _keys(name)
    return keys


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in COLUMNS:
        for key in _header_keys(spec.key, spec.header_da, spec.header_en, spec.header):
            index[key] = spec.key
    for column in INFO_COLUMNS:
        for key in _header_keys(
            column.key, column.header_da, column.header_en or "", column.header
        ):
            index[key] = column.key
    return index


_HEADERS = _header_index()


# --- reading files ---------------------------------------------------------------------


@dataclass
class RawTable:
    """Cells as read from the file, before any meaning is given to them."""

    header: list[Any]
    rows: list[tuple[int, list[Any]]]
    header_row: int = 1
    details: dict[str, Any] = field(default_factory=dict)
    # (row, column index) → problem found while reading (e.g. a formula without a value)
    bad_cells: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


def detect_format(content: bytes, filename: str | None = None) -> str:
    """``csv``, ``xlsx`` or ``iati`` from the bytes themselves (the name is only a hint).

    Examples
    --------
    >>> detect_format(b"Titel;Fase\\r\\n")
    'csv'
    >>> detect_format(b"<?xml version='1.0'?><iati-activities/>")
    'iati'
    """
    name = (filename or "").lower()
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            "Filen er i det gamle Excel-format (.xls); gem den som .xlsx eller CSV",
            "The file is in the old Excel format (.xls); save it as .xlsx or CSV",
            reason="unsupported",
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise FileRejected(
            "Filen hedder .xlsx, men er ikke en Excel-projektmappe",
            "The file is named .xlsx but is not an Excel workbook",
            reason="unsupported",
        )
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "iati"
    if content.startswith(b"%PDF") or _looks_binary(content[:4096]):
        raise FileRejected(
            "Filen er hverken CSV, XLSX eller IATI-XML",
            "The file is neither CSV, XLSX nor IATI XML",
            reason="unsupported",
        )
    return "csv"


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text, as Excel's "Unicode text" writes it
    return b"\x00" in head


def read_csv(content: bytes, *, max_rows: int = MAX_ROWS) -> RawTable:
    """Decode, sniff the delimiter (';', ',' or tab) and read every record strictly."""
    text, encoding = _decode(content)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[Any]]] = []
    header: list[Any] | None = None
    header_row = 1
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue  # blank lines mean nothing and do not count towards the limit
            if header is None:
                header, header_row = record, number
                continue
            if len(records) >= max_rows:
                raise _too_many_rows(max_rows)
            records.append((number, list(record)))
    except csv.Error as error:
        raise FileRejected(
            f"CSV-filen kan ikke læses omkring linje {reader.line_num}: {error}",
            f"The CSV file cannot be read near line {reader.line_num}: {error}",
        ) from error
    names = {";": "semicolon", ",": "comma", "\t": "tab"}
    return RawTable(
        header or [],
        records,
        header_row,
        {"encoding": encoding, "delimiter": names.get(delimiter, delimiter)},
    )


def _decode(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 from Danish Excel."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise FileRejected(
            "Tegnsættet kendes ikke; gem filen som CSV UTF-8",
            "Unknown character encoding; save the file as CSV UTF-8",
        ) from error


def _sniff_delimiter(header_line: str) -> str:
    """The candidate that splits the header line into the most cells (';' wins ties)."""
    best, best_count = ";", 1
    for candidate in (";", "\t", ","):
        try:
            cells = next(csv.reader([header_line], delimiter=candidate))
        except (csv.Error, StopIteration):
            continue
        if len(cells) > best_count:
            best, best_count = candidate, len(cells)
    return best


def read_xlsx(content: bytes, *, max_rows: int = MAX_ROWS) -> RawTable:
    """The 'Projekter' sheet (or the first), values only: formulas are never evaluated."""
    archive = _open_zip(content)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not read (styles, validation).
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a zip that is not a workbook
        raise FileRejected(
            "Filen er en zip-fil, men ikke en Excel-projektmappe (.xlsx)",
            "The file is a zip file but not an Excel workbook (.xlsx)",
            reason="unsupported",
        ) from error
    try:
        sheet = _project_sheet(workbook)
        path = str(getattr(sheet, "_worksheet_path", ""))
        xml = _sheet_xml(archive, path)
        _refuse_merged_cells(xml, sheet.title)
        bad_cells = _formulas_without_values(xml)
        sheet.reset_dimensions()
        header: list[Any] | None = None
        header_row = 1
        rows: list[tuple[int, list[Any]]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = list(values)
                if all(_blank(cell) for cell in cells) and not _has_bad_cell(bad_cells, number):
                    continue  # formatted but empty rows are common and mean nothing
                if header is None:
                    header, header_row = cells, number
                    continue
                if len(rows) >= max_rows:
                    raise _too_many_rows(max_rows)
                rows.append((number, cells))
    finally:
        workbook.close()
    return RawTable(header or [], rows, header_row, {"sheet": sheet.title}, bad_cells)


def _has_bad_cell(bad_cells: Mapping[tuple[int, int], Any], row: int) -> bool:
    return any(number == row for number, _ in bad_cells)


def _open_zip(content: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise FileRejected(
            "Filen ligner en Excel-fil, men er ødelagt",
            "The file looks like an Excel file but is damaged",
            reason="unsupported",
        ) from error
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise FileRejected(
            "Projektmappen fylder for meget udpakket",
            "The workbook is too large when unpacked",
            reason="too_large",
        )
    return archive


def _project_sheet(workbook: Any) -> Any:
    for sheet in workbook.worksheets:
        if fold(sheet.title) in {"projekter", "projects"}:
            return sheet
    if not workbook.worksheets:
        raise _empty_sheet()
    return workbook.worksheets[0]


def _sheet_xml(archive: zipfile.ZipFile, path: str) -> bytes:
    try:
        return archive.read(path.lstrip("/"))
    except KeyError:
        return b""


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z0-9:]+)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')


def _refuse_merged_cells(xml: bytes, title: str) -> None:
    ranges = [match.decode() for match in _MERGE.findall(xml)]
    if ranges:
        shown = ", ".join(ranges[:5]) + (" …" if len(ranges) > 5 else "")
        raise FileRejected(
            f"Arket '{title}' har flettede celler ({shown}); ophæv fletningen, så hver celle har sin egen værdi",
            f"Sheet '{title}' has merged cells ({shown}); unmerge them so each cell has its own value",
        )


def _formulas_without_values(xml: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    """Formula cells that carry no stored value: we never calculate, so they have no value."""
    if not re.search(rb"<(?:\w+:)?f[\s>/]", xml):
        return {}
    bad: dict[tuple[int, int], tuple[str, str]] = {}
    for attributes, inner in _CELL.findall(xml):
        inner = inner or b""
        if not re.search(rb"<(?:\w+:)?f[\s>/]", inner):
            continue
        value = re.search(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", inner, re.DOTALL)
        if value and value.group(1).strip():
            continue
        ref = _REF.search(attributes)
        if ref is None:
            continue
        column = _column_index(ref.group(1).decode())
        bad[(int(ref.group(2)), column)] = (
            "Cellen er en formel uden gemt værdi; formler beregnes ikke — skriv værdien, "
            "eller åbn og gem filen i Excel",
            "The cell is a formula without a stored value; formulas are not calculated — "
            "type the value, or open and save the file in Excel",
        )
    return bad


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _too_many_rows(max_rows: int) -> FileRejected:
    return FileRejected(
        f"Filen har mere end {max_rows:,} rækker; del den op".replace(",", "."),
        f"The file has more than {max_rows:,} rows; split it",
    )


def _empty_sheet() -> FileRejected:
    return FileRejected(
        "Arket er tomt: der er hverken overskrifter eller projekter",
        "The sheet is empty: no headers and no projects",
    )


# --- from cells to cards ---------------------------------------------------------------


def parse_spreadsheet(
    content: bytes,
    vocabularies: Vocabularies,
    *,
    filename: str | None = None,
    organisation_id: str | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_FILE_BYTES,
    progress: Progress | None = None,
) -> ParsedImport:
    """Read a CSV or XLSX file into project cards with every problem placed.

    Raises :class:`FileRejected` when the file cannot be read as a table at all.
    """
    if len(content) > max_bytes:
        raise FileRejected(
            f"Filen er for stor ({len(content) / 1e6:.1f} MB); højst {max_bytes / 1e6:.0f} MB",
            f"The file is too large ({len(content) / 1e6:.1f} MB); at most {max_bytes / 1e6:.0f} MB",
            reason="too_large",
        )
    kind = detect_format(content, filename)
    if kind == "iati":
        raise FileRejected(
            "Filen er XML; brug IATI-importen",
            "The file is XML; use the IATI import",
            reason="unsupported",
        )
    raw = (
        read_xlsx(content, max_rows=max_rows)
        if kind == "xlsx"
        else read_csv(content, max_rows=max_rows)
    )
    return parse_table(
        raw, vocabularies, source=kind, organisation_id=organisation_id, progress=progress
    )


def parse_table(
    raw: RawTable,
    vocabularies: Vocabularies,
    *,
    source: str,
    organisation_id: str | None = None,
    progress: Progress | None = None,
) -> ParsedImport:
    """Give the cells their meaning: map the headers, convert each cell, validate each card."""
    if not raw.header or all(_blank(cell) for cell in raw.header):
        raise _empty_sheet()
    columns, problems = _map_header(raw.header, raw.header_row)
    rows = [(number, cells) for number, cells in raw.rows if not all(_blank(c) for c in cells)]
    if not rows:
        raise FileRejected(
            "Arket har overskrifter, men ingen projekter",
            "The sheet has headers but no projects",
        )
    reader = _RowReader(columns, raw.header, _Lookups(vocabularies), raw.bad_cells, organisation_id)
    parsed: list[ParsedRow] = []
    for done, (number, cells) in enumerate(rows, start=1):
        parsed.append(reader.read(number, cells))
        if progress is not None and (done % 500 == 0 or done == len(rows)):
            progress(done, len(rows))
    _mark_duplicates(parsed, _column_header(columns, raw.header, "external_id"))
    details = {
        **raw.details,
        "header_row": raw.header_row,
        "columns": {key: str(raw.header[index]) for index, key in columns.items()},
    }
    return ParsedImport(source, parsed, problems, details)


def _map_header(header: list[Any], header_row: int) -> tuple[dict[int, str], list[Problem]]:
    """column index → field key; unknown headers are warnings, missing required ones refuse."""
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    duplicates: list[Problem] = []
    for index, cell in enumerate(header):
        name = _cell_text(cell)
        if name is None:
            continue
        key = _HEADERS.get(fold(name.rstrip("*")))
        if key is None:
            problems.append(_unknown_header(name, header_row))
            continue
        if key in seen:
            duplicates.append(
                Problem(
                    f"Kolonnen '{name}' står der to gange (også kolonne {get_column_letter(seen[key] + 1)})",
                    f"Column '{name}' appears twice (also column {get_column_letter(seen[key] + 1)})",
                    row=header_row,
                    column=name,
                )
            )
            continue
        seen[key] = index
        columns[index] = key
    missing = [spec for spec in COLUMNS if spec.required and spec.key not in seen]
    if missing or duplicates:
        details = [
            Problem(
                f"Kolonnen '{spec.header_da}' mangler",
                f"Column '{spec.header_en}' is missing",
                row=header_row,
                column=spec.header,
            )
            for spec in missing
        ] + duplicates
        raise FileRejected(
            "Overskriftsrækken passer ikke til skabelonen",
            "The header row does not match the template",
            details=details,
        )
    return columns, problems


def _unknown_header(name: str, header_row: int) -> Problem:
    close = difflib.get_close_matches(fold(name), list(_HEADERS), n=1, cutoff=0.75)
    spec = _SPEC_BY_KEY.get(_HEADERS[close[0]]) if close else None
    hint_da = f" — mente du '{spec.header_da}'?" if spec else ""
    hint_en = f" — did you mean '{spec.header_en}'?" if spec else ""
    return Problem(
        f"Kolonnen '{name}' kendes ikke og bliver ikke læst{hint_da}",
        f"Column '{name}' is not known and is not read{hint_en}",
        row=header_row,
        column=name,
        severity="warning",
    )


def _column_header(columns: dict[int, str], header: list[Any], key: str) -> str:
    for index, column_key in columns.items():
        if column_key == key:
            return str(header[index])
    return _SPEC_BY_KEY[key].header


def _mark_duplicates(rows: list[ParsedRow], column: str, unit: str = "row") -> None:
    first_row: dict[str, int] = {}
    for row in rows:
        external_id = row.external_id
        if external_id is None:
            continue
        if external_id in first_row:
            row.problems.append(
                Problem(
                    f"Projekt-id '{external_id}' står også i "
                    f"{'aktivitet' if unit == 'activity' else 'række'} {first_row[external_id]}",
                    f"Project ID '{external_id}' also appears in {unit} {first_row[external_id]}",
                    row=row.number,
                    column=column,
                    field="external_id",
                    unit=unit,
                )
            )
        else:
            first_row[external_id] = row.number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: Any) -> str | None:
    """A cell as text: numbers without a spurious '.0', dates as ISO, formula escapes removed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    # Exports write '=…, '+…, '-… and '@… so spreadsheet programs never run them as formulas.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text or None


Messages = list[tuple[str, str]]


class _RowReader:
    """Turns one row's cells into a card and its problems."""

    def __init__(
        self,
        columns: dict[int, str],
        header: list[Any],
        lookups: _Lookups,
        bad_cells: dict[tuple[int, int], tuple[str, str]],
        organisation_id: str | None,
    ) -> None:
        self.columns = columns
        self.header = header
        self.lookups = lookups
        self.bad_cells = bad_cells
        self.organisation_id = organisation_id
        self.schema = ProjectSchema()
        self.header_of = {key: str(header[index]) for index, key in columns.items()}

    def read(self, number: int, cells: list[Any]) -> ParsedRow:
        card: dict[str, Any] = {}
        problems: list[Problem] = []
        failed: set[str] = set()
        for index, value in enumerate(cells):
            key = self.columns.get(index)
            if (number, index) in self.bad_cells:
                da, en = self.bad_cells[(number, index)]
                problems.append(self._problem(number, index, key, da, en))
                failed.add((key or "").split(".")[0])
                continue
            if key is None:
                if not _blank(value) and index >= len(self.header):
                    problems.append(self._stray_cell(number, index))
                continue
            converted, messages = self._convert(key, value)
            for da, en in messages:
                problems.append(self._problem(number, index, key, da, en))
            if messages:
                failed.add(key.split(".")[0])
            if converted is not None and key in _SPEC_BY_KEY:
                _put(card, key, converted)
        return self._validated(number, card, problems, failed)

    def _convert(self, key: str, value: Any) -> tuple[Any, Messages]:
        if key == "organisation":
            return None, self._check_owner(value)
        if key not in _SPEC_BY_KEY:
            return None, []  # informational export columns
        kind = _SPEC_BY_KEY[key].kind
        text = _cell_text(value)
        if kind == "date":
            return _date(value)
        if kind == "number":
            return _number(value)
        if kind == "integer":
            return _integer(value)
        if text is None:
            return None, []
        if kind == "boolean":
            return _boolean(text)
        if kind == "choice":
            return _single(self.lookups.choices[key], text)
        if kind == "codes":
            return self._codes(key, text)
        if kind == "funding":
            return self._funding(text)
        if kind == "partners":
            return self._partners(text)
        if kind == "links":
            return self._links(text)
        return text, []

    def _check_owner(self, value: Any) -> Messages:
        owner = _cell_text(value)
        if owner is None or self.organisation_id is None or owner == self.organisation_id:
            return []
        return [
            (
                f"Rækken hører til '{owner}', men der importeres for '{self.organisation_id}'",
                f"The row belongs to '{owner}' but the import is for '{self.organisation_id}'",
            )
        ]

    def _codes(self, key: str, text: str) -> tuple[list[str], Messages]:
        index = self.lookups.codes[key]
        codes, messages = [], []
        for item in _split(text):
            code, problem = index.resolve(item)
            if code is not None:
                codes.append(code)
            elif problem is not None:
                messages.append(problem)
        return codes, messages

    def _funding(self, text: str) -> tuple[list[dict[str, str]], Messages]:
        sources = []
        for item in _split(text):
            name, kind = item, None
            match = re.fullmatch(r"(.*\S)\s*\(([^()]+)\)", item)
            if match:
                code = self.lookups.funding_kinds.find(match.group(2).strip())
                if code is not None:
                    name, kind = match.group(1).strip(), code
            sources.append({"name": name, **({"kind": kind} if kind else {})})
        return sources, []

    def _partners(self, text: str) -> tuple[list[dict[str, str]], Messages]:
        partners = []
        for item in _split(text):
            code = self.lookups.organisations.find(item)
            partners.append({"organisation": code} if code else {"name": item})
        return partners, []

    def _links(self, text: str) -> tuple[list[dict[str, str]], Messages]:
        links, messages = [], []
        for item in _split(text):
            match = re.fullmatch(r"([^/\s]+)\s*/\s*(\S+?)(?:\s*\(([^()]+)\))?", item)
            if match is None:
                messages.append(
                    (
                        f"'{item}' skal skrives organisation/projekt-id (relation)",
                        f"'{item}' must be written organisation/project-id (relation)",
                    )
                )
                continue
            organisation, problem = self.lookups.organisations.resolve(match.group(1))
            relation, relation_problem = (
                self.lookups.relations.resolve(match.group(3).strip())
                if match.group(3)
                else ("related", None)
            )
            if problem or relation_problem:
                messages += [m for m in (problem, relation_problem) if m is not None]
                continue
            links.append(
                {
                    "organisation": organisation or "",
                    "external_id": match.group(2),
                    "relation": relation or "related",
                }
            )
        return links, messages

    def _validated(
        self, number: int, card: dict[str, Any], problems: list[Problem], failed: set[str]
    ) -> ParsedRow:
        try:
            project = self.schema.load(card)
        except ValidationError as error:
            for path, message in _flatten(error.messages):
                top = path.split(".")[0].split("[")[0]
                if top in failed:
                    continue  # already reported, in the user's terms, for that cell
                key = _spec_key_for(path)
                da, en = _translate(message)
                problems.append(
                    Problem(
                        da,
                        en,
                        row=number,
                        column=self.header_of.get(key, _SPEC_BY_KEY[key].header) if key else None,
                        field=path or None,
                    )
                )
            return ParsedRow(number, card, problems)
        return ParsedRow(number, project, problems)

    def _problem(self, number: int, index: int, key: str | None, da: str, en: str) -> Problem:
        column = (
            str(self.header[index])
            if index < len(self.header) and self.header[index]
            else get_column_letter(index + 1)
        )
        return Problem(da, en, row=number, column=column, field=key)

    def _stray_cell(self, number: int, index: int) -> Problem:
        letter = get_column_letter(index + 1)
        return Problem(
            f"Cellen {letter}{number} har en værdi, men kolonnen har ingen overskrift",
            f"Cell {letter}{number} has a value but its column has no header",
            row=number,
            column=letter,
        )


def _put(card: dict[str, Any], key: str, value: Any) -> None:
    if "." in key:
        outer, inner = key.split(".", 1)
        card.setdefault(outer, {})[inner] = value
    else:
        card[key] = value


def _split(text: str) -> list[str]:
    """Multi-valued cells: values separated by ';' (or line breaks within the cell)."""
    return [item.strip() for item in re.split(r"[;\n]", text) if item.strip()]


def _single(index: LabelIndex, text: str) -> tuple[str | None, Messages]:
    code, problem = index.resolve(text)
    return code, [problem] if problem else []


def _boolean(text: str) -> tuple[bool | None, Messages]:
    key = fold(text)
    if key in _TRUE:
        return True, []
    if key in _FALSE:
        return False, []
    return None, [(f"'{text}' skal være ja eller nej", f"'{text}' must be yes or no")]


# Excel day numbers for 1990-01-01 … 2100-12-31; a bare number outside is no date (e.g. 2026).
_EXCEL_DAYS = (32874, 73415)
_DANISH_DATE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")


def _date(value: Any) -> tuple[str | None, Messages]:
    """ISO (2026-12-31) and Danish (31-12-2026, 31.12.2026, 31/12/2026) dates, or Excel dates."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), []
    if isinstance(value, dt.date):
        return value.isoformat(), []
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and _EXCEL_DAYS[0] <= value <= _EXCEL_DAYS[1]
    ):
        return from_excel(value).date().isoformat(), []  # a date cell without date format
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?", text):
            return dt.date.fromisoformat(text[:10]).isoformat(), []
        match = _DANISH_DATE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day).isoformat(), []
    except ValueError:
        pass
    return None, [
        (
            f"'{text}' er ikke en dato; skriv fx 2026-12-31 eller 31-12-2026",
            f"'{text}' is not a date; write e.g. 2026-12-31 or 31-12-2026",
        )
    ]


def _number(value: Any) -> tuple[float | None, Messages]:
    """Numbers as Danes and Excel write them: 2400000, 2.400.000, 2 400 000,50, 2400000.5."""
    if value is None or isinstance(value, bool):
        return None, []
    if isinstance(value, int | float):
        return float(value), []
    text = str(value).strip()
    if not text:
        return None, []
    cleaned = re.sub(r"(?i)\s|kr\.?|dkk", "", text.replace("\xa0", ""))
    parsed = _danish_number(cleaned)
    if parsed is None:
        return None, [
            (
                f"'{text}' er ikke et tal; skriv fx 2400000 eller 2.400.000",
                f"'{text}' is not a number; write e.g. 2400000 or 2.400.000",
            )
        ]
    return parsed, []


def _danish_number(text: str) -> float | None:
    """
    Examples
    --------
    >>> [_danish_number(t) for t in ["2.400.000", "2400000,5", "1.234,56", "1,234.56", "2.5", "2.400"]]
    [2400000.0, 2400000.5, 1234.56, 1234.56, 2.5, 2400.0]
    """
    if not re.fullmatch(r"-?[0-9.,]*[0-9][0-9.,]*", text):
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
    elif text.count(".") > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
        text = text.replace(".", "")  # Danish thousands separators
    try:
        return float(text)
    except ValueError:
        return None


def _integer(value: Any) -> tuple[int | None, Messages]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    if isinstance(value, int) and not isinstance(value, bool):
        return value, []
    if isinstance(value, float) and value.is_integer():
        return int(value), []
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text), []
    return None, [(f"'{text}' er ikke et helt tal", f"'{text}' is not a whole number")]


def _flatten(messages: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                yield from _flatten(value, prefix)
            elif isinstance(key, int):
                yield from _flatten(value, f"{prefix}[{key}]")
            else:
                yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(message, prefix)
    else:
        yield prefix, str(messages)


def _spec_key_for(path: str) -> str | None:
    """``evidence.url`` → ``evidence.url``; ``funding_sources[0].kind`` → ``funding_sources``."""
    plain = re.sub(r"\[\d+\]", "", path)
    if plain in _SPEC_BY_KEY:
        return plain
    top = plain.split(".")[0]
    return top if top in _SPEC_BY_KEY else None


_TRANSLATIONS: tuple[tuple[str, str], ...] = (
    (r"Missing data for required field\.", "Skal udfyldes"),
    (r"Shorter than minimum length 1\.", "Skal udfyldes"),
    (r"Longer than maximum length (\d+)\.", r"Højst \1 tegn eller værdier"),
    (
        r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
        r"Skal være mellem \1 og \2",
    ),
    (r"Not a valid email address\.", "Ikke en gyldig e-mailadresse"),
    (r"Not a valid URL\.", "Ikke en gyldig webadresse (URL)"),
    (r"Must not be before start_date\.", "Slutdatoen ligger før startdatoen"),
    (r"Must not be blank\.", "Må ikke være tom"),
    (r"Must not contain whitespace\.", "Må ikke indeholde mellemrum"),
)


def _translate(message: str) -> tuple[str, str]:
    """A Danish version of the schema's English message."""
    for pattern, danish in _TRANSLATIONS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, danish, message), message
    return f"Ugyldig værdi ({message})", message


# --- validating cards that came from elsewhere (IATI) ----------------------------------


def validate_cards(
    cards: Sequence[tuple[int, dict[str, Any], list[Problem], set[str]]],
    place: Callable[[str], str],
    unit: str = "row",
) -> list[ParsedRow]:
    """Validate cards built by another reader; ``place`` names the column for a field path."""
    schema = ProjectSchema()
    rows = []
    for number, card, problems, failed in cards:
        try:
            project = schema.load(card)
        except ValidationError as error:
            for path, message in _flatten(error.messages):
                if path.split(".")[0].split("[")[0] in failed:
                    continue
                da, en = _translate(message)
                problems.append(
                    Problem(da, en, row=number, column=place(path), field=path or None, unit=unit)
                )
            rows.append(ParsedRow(number, card, problems))
        else:
            rows.append(ParsedRow(number, project, problems))
    _mark_duplicates(rows, place("external_id"), unit)
    return rows


# --- writing: template and exports -----------------------------------------------------


def card_to_row(card: Mapping[str, Any]) -> dict[str, Any]:
    """A stored card as the template's cells: typed dates and numbers, ';'-joined lists."""
    row: dict[str, Any] = {}
    for spec in COLUMNS:
        value = _dig(card, spec.key)
        if value is None or value == []:
            continue
        row[spec.key] = _cell_for(spec, value)
    return row


def _dig(card: Mapping[str, Any], key: str) -> Any:
    if "." in key:
        outer, inner = key.split(".", 1)
        nested = card.get(outer)
        return nested.get(inner) if isinstance(nested, Mapping) else None
    return card.get(key)


def _cell_for(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if spec.kind == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    if spec.kind == "funding":
        return [f"{source['name']} ({source.get('kind', 'other')})" for source in value]
    if spec.kind == "partners":
        return [partner.get("organisation") or partner.get("name") for partner in value]
    if spec.kind == "links":
        return [
            f"{link['organisation']}/{link['external_id']} ({link.get('relation', 'related')})"
            for link in value
        ]
    return value


def portfolio_table(cards: Iterable[Mapping[str, Any]], title: str = "Projekter") -> Table:
    """An organisation's cards in the template's columns: an export that imports unchanged."""
    return Table(title, [spec.column for spec in COLUMNS], [card_to_row(card) for card in cards])


def listing_table(
    records: Sequence[ProjectRecord],
    organisation_names: Mapping[str, str],
    title: str = "Projekter",
) -> Table:
    """A project listing: who owns each project, then the template's columns, then the record."""
    owner, name, *record_columns = INFO_COLUMNS
    rows = [
        {
            **card_to_row(record.data),
            "organisation": record.organisation_id,
            "organisation_name": organisation_names.get(record.organisation_id, ""),
            "id": record.id,
            "revision": record.revision,
            "updated_at": record.updated_at,
            "withdrawn": record.withdrawn,
        }
        for record in records
    ]
    columns = [owner, name, *(spec.column for spec in COLUMNS), *record_columns]
    return Table(title, columns, rows)


def template_csv() -> bytes:
    """The header row alone, for Danish Excel (UTF-8 with BOM, ';')."""
    return to_csv_bytes(portfolio_table([]))


def template_xlsx(vocabularies: Vocabularies) -> bytes:
    """The template sheet plus a guide to every column and the codes it accepts."""
    workbook = load_workbook(io.BytesIO(to_xlsx_bytes(portfolio_table([]))))
    guide = workbook.create_sheet("Vejledning")
    guide.append(
        ["Kolonne", "Column", "Skal udfyldes / Required", "Sådan udfyldes den", "How to fill it in"]
    )
    for spec in COLUMNS:
        guide.append(
            [
                spec.header_da,
                spec.header_en,
                "ja" if spec.required else "",
                spec.help_da,
                spec.help_en,
            ]
        )
    codes = workbook.create_sheet("Koder")
    codes.append(["Liste / List", "Kode / Code", "Dansk", "English"])
    lists: list[tuple[str, Iterable[Term]]] = [
        ("Fase / Stage", _choices("", "", Stage, STAGE_LABELS).terms.values()),
        ("Temaer / Themes", vocabularies.themes),
        ("Målgrupper / Target groups", vocabularies.target_groups),
        ("Områder / Areas", vocabularies.areas),
        ("Mål / Goals", vocabularies.goals),
        ("Finansiering / Funding", _choices("", "", FundingKind, FUNDING_LABELS).terms.values()),
        ("Relationer / Links", _choices("", "", LinkRelation, RELATION_LABELS).terms.values()),
    ]
    for name, terms in lists:
        for term in terms:
            codes.append([name, term.code, term.label_da, term.label_en or ""])
    for sheet in (guide, codes):
        sheet.freeze_panes = "A2"
        for letter, width in zip("ABCDE", (28, 24, 40, 60, 60), strict=True):
            sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
