"""Downloads that are safe to open in a spreadsheet: CSV, and OpenDocument (.ods) for published figures."""

import csv
import io
from collections.abc import Iterable

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

# A cell starting with one of these could be read as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Stop a spreadsheet reading a cell as a formula: prefix risky cells with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    """Write a header and rows as CSV text, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def ods_bytes(sheet: str, header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    """Write a header and rows as an OpenDocument spreadsheet: whole numbers as numbers, the rest as text.

    Cells are written as typed values, never as formulas, so nothing in them can run when opened.
    """
    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet[:31])
    for values in [header, *rows]:
        row = TableRow()
        for value in values:
            text = "" if value is None else str(value)
            if text.isdigit():
                cell = TableCell(valuetype="float", value=int(text))
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
