"""Benchmark: how fast hostile uploads are refused, beside reading them without the limits.

Usage::

    .venv/bin/python benchmarks/bench_upload_limits.py [--sizes 50 200] [--baseline]

Builds XLSX "decompression bombs" (a sheet of N MiB of blank ``<row/>``, deflated to a few
hundred KB) and an XML billion-laughs file, then times :func:`read_xlsx` and
the IATI reader's XML parser refusing them (median of 5). ``--baseline`` also times the same bomb
read as it was before the limits (openpyxl over every row, no checks): that is the time
one upload used to hold a worker, and it takes tens of seconds. Prints a table; nothing
is asserted.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook, load_workbook

from ecosystem.errors import EcosystemError
from ecosystem.iati.document import parse_xml
from ecosystem.spreadsheet.reading import read_xlsx

MiB = 1024 * 1024
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<iati-activities version="2.03"><iati-activity><title><narrative>&lol4;</narrative></title>
</iati-activity></iati-activities>"""


def sheet_of_blank_rows(mib: int) -> bytes:
    """An XLSX whose 'Projekter' sheet is a header and ``mib`` MiB of empty ``<row/>``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projekter"
    sheet.append(["Projekt-id", "Titel", "Beskrivelse", "Fase", "Temaer"])
    plain = io.BytesIO()
    workbook.save(plain)
    source, bomb = zipfile.ZipFile(plain), io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"</sheetData>")
                data = head + b"<row/>" * (mib * MiB // 6) + b"</sheetData>" + tail
            target.writestr(info.filename, data, compresslevel=9)
    return bomb.getvalue()


def refused_ms(read: Callable[[bytes], object], content: bytes, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            read(content)
        except EcosystemError:
            pass
        else:
            raise SystemExit("the file was read, not refused")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def unbounded_s(content: bytes) -> float:
    """Reading the sheet as the import did before the limits: unpack its XML, scan it for
    merged cells and formulas, then walk every row (openpyxl, read-only)."""
    from ecosystem.spreadsheet import reading

    started = time.perf_counter()
    archive = zipfile.ZipFile(io.BytesIO(content))
    xml = archive.read("xl/worksheets/sheet1.xml")
    reading._refuse_merged_cells(xml, "Projekter")
    reading._formulas_without_values(xml)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.active
        sheet.reset_dimensions()
        for _row in sheet.iter_rows(values_only=True):
            pass
        workbook.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    print("| file | upload size | refused in (median of 5) | read without limits |")
    print("|---|---|---|---|")
    for mib in args.sizes:
        bomb = sheet_of_blank_rows(mib)
        baseline = f"{unbounded_s(bomb):.1f} s" if args.baseline else "–"
        print(
            f"| XLSX, sheet of {mib} MiB blank rows | {len(bomb) / 1024:.0f} KB "
            f"| {refused_ms(read_xlsx, bomb):.2f} ms | {baseline} |"
        )
    print(
        f"| IATI XML, billion laughs | {len(LAUGHS)} B "
        f"| {refused_ms(parse_xml, LAUGHS):.2f} ms | – |"
    )


if __name__ == "__main__":
    main()
