"""CSV exports: every cell safe to open in a spreadsheet, every file name safe
in a header. Every CSV the project writes goes through `csv_lines` and
`csv_download`."""

import csv
import re
from collections.abc import Iterable, Iterator
from itertools import islice

from django.http import StreamingHttpResponse

# A text cell starting with one of these is read as a formula by spreadsheets
# (OWASP "CSV injection"); a leading single quote makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Each is one character: a set lookup of the first is the same test, faster
# over the hundreds of thousands of cells of a report.
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
assert all(len(start) == 1 for start in FORMULA_STARTS)
# Runs of anything else (underscores included, so runs collapse) become one "_".
FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
FILENAME_MAX_LENGTH = 120  # without the extension


def safe_cell(value):
    """A cell as written to the file.

    Only text is neutralised. Numbers the code itself computed (int, Decimal,
    float) are written as they are: -5 days left is a number, not a formula,
    and quoting it would turn it into text in every spreadsheet. Anything a
    person typed reaches the CSV as a string, so it is always checked.
    """
    if isinstance(value, str) and value[:1] in _FORMULA_FIRST:
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """A CSV one line at a time (for a streamed response), every cell safe."""
    write = csv.writer(_Echo()).writerow
    yield "\ufeff"  # a BOM, so spreadsheets read UTF-8 names right
    yield write([safe_cell(cell) for cell in header])
    first = _FORMULA_FIRST
    for row in rows:
        # safe_cell, inlined: a call per cell is most of a large report's cost here.
        yield write([("'" + c) if isinstance(c, str) and c[:1] in first else c for c in row])


def safe_filename(stem: str, extension: str = "csv") -> str:
    """Only letters, digits, '.', '_' and '-', bounded: a filter value such as
    `Los Angeles"; rm` cannot break out of the Content-Disposition header."""
    cleaned = FILENAME_UNSAFE.sub("_", stem)[:FILENAME_MAX_LENGTH].strip("._-")
    return f"{cleaned or 'export'}.{extension}"


def buffered(lines: Iterable[str], size: int = 64 * 1024) -> Iterator[str]:
    """Lines joined into pieces of about `size` characters: the server writes
    a piece at a time, not a line at a time. The first two (csv_lines' BOM
    and header) go out at once, before any row is read."""
    lines = iter(lines)
    yield "".join(islice(lines, 2))
    piece: list[str] = []
    length = 0
    for line in lines:
        piece.append(line)
        length += len(line)
        if length >= size:
            yield "".join(piece)
            piece, length = [], 0
    if piece:
        yield "".join(piece)


def csv_download(lines: Iterable[str], stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(buffered(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(stem)}"'
    return response
