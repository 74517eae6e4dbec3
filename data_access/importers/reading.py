"""Turn an uploaded file (CSV in UTF-8/Windows-1252 with ';' or ',', or Excel .xlsx) into header and rows."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SCAN_ROWS = 10

_MAGIC = {
    b"%PDF": "ein PDF-Dokument",
    b"\x89PNG": "ein PNG-Bild",
    b"\xff\xd8\xff": "ein JPEG-Bild",
    b"GIF8": "ein GIF-Bild",
    b"\xd0\xcf\x11\xe0": "eine alte Excel-/Office-Datei (.xls/.doc); bitte als .xlsx oder CSV speichern",
    b"\x1f\x8b": "ein gzip-Archiv",
    b"{\\rtf": "ein RTF-Dokument",
}


class FileRejected(Exception):
    """The file as a whole cannot be read; the message is German and names what is expected."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    line_numbers: list[int]  # file line (CSV) or sheet row (Excel) of each data row, for messages
    file_format: str  # "CSV (;, UTF-8)" etc., shown in the preview
    notes: list[str] = field(default_factory=list)


def read_table(data: bytes, *, file_name: str, header_words: set[str], sheet_names: tuple[str, ...] = ()) -> Table:
    """Read a CSV or .xlsx file; `header_words` (normalised header names) locate the header row."""
    if len(data) == 0:
        raise FileRejected(f"Die Datei „{file_name}“ ist leer (0 Byte).")
    if len(data) > MAX_BYTES:
        raise FileRejected(
            f"Die Datei „{file_name}“ ist {_de(len(data) / 1024 / 1024, 1)} MB groß; erlaubt sind höchstens "
            f"{MAX_BYTES // 1024 // 1024} MB. Bitte die Datei aufteilen."
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, file_name=file_name, header_words=header_words, sheet_names=sheet_names)
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise FileRejected(
                f"Die Datei „{file_name}“ ist keine CSV-Datei, sondern {what}. "
                "Erwartet: CSV (Trennzeichen ; oder ,) oder Excel-Arbeitsmappe (.xlsx)."
            )
    text, encoding = _decode(data, file_name)
    return _read_csv(text, encoding, file_name=file_name, header_words=header_words)


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 0:
        raise FileRejected(
            f"Die Zeichenkodierung von „{file_name}“ wird nicht unterstützt (UTF-16 oder Binärdatei). "
            "Erwartet: CSV in UTF-8 (mit oder ohne BOM) oder Windows-1252 – in Excel „CSV UTF-8 (durch Trennzeichen getrennt)“."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 mit BOM"
        except UnicodeDecodeError as exc:
            raise _bad_bytes(file_name, data, exc) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise _bad_bytes(file_name, data, exc) from None


def _bad_bytes(file_name: str, data: bytes, exc: UnicodeDecodeError) -> FileRejected:
    line = data[: exc.start].count(b"\n") + 1
    return FileRejected(
        f"Die Zeichenkodierung von „{file_name}“ ist weder UTF-8 noch Windows-1252 "
        f"(ungültiges Byte 0x{data[exc.start]:02X} in Zeile {line}). Erwartet: CSV in UTF-8 oder Windows-1252."
    )


def _delimiter(header_line: str, file_name: str) -> str:
    semis, commas = header_line.count(";"), header_line.count(",")
    if semis == 0 and commas == 0:
        found = "Tabulator" if "\t" in header_line else ("|" if "|" in header_line else None)
        if found:
            raise FileRejected(
                f"Das Trennzeichen von „{file_name}“ ist {found}; erwartet wird Semikolon (;) oder Komma (,)."
            )
    return ";" if semis >= commas else ","


def _read_csv(text: str, encoding: str, *, file_name: str, header_words: set[str]) -> Table:
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise FileRejected(f"Die Datei „{file_name}“ enthält keine Daten (nur Leerzeichen oder Leerzeilen).")
    delim = _delimiter(first, file_name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    records: list[list[str]] = []
    numbers: list[int] = []
    try:
        for rec in reader:
            records.append(rec)
            numbers.append(reader.line_num)
            if len(records) > MAX_ROWS + HEADER_SCAN_ROWS + 1:
                break
    except csv.Error as exc:
        raise FileRejected(f"Die CSV-Datei „{file_name}“ ist fehlerhaft in Zeile {reader.line_num}: {exc}.") from None
    sep = "Semikolon" if delim == ";" else "Komma"
    return _table(records, numbers, f"CSV ({sep}, {encoding})", file_name, header_words)


def _read_xlsx(data: bytes, *, file_name: str, header_words: set[str], sheet_names: tuple[str, ...]) -> Table:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise FileRejected(
            f"Die Datei „{file_name}“ ist ein ZIP-Archiv, aber keine lesbare Excel-Arbeitsmappe (.xlsx)."
        ) from None
    try:
        wanted = {s.casefold() for s in sheet_names}
        ws = next((w for w in wb.worksheets if w.title.casefold() in wanted), wb.worksheets[0])
        records, numbers = [], []
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            records.append(list(row))
            numbers.append(i)
            if len(records) > MAX_ROWS + HEADER_SCAN_ROWS + 1:
                break
        title = ws.title
    finally:
        wb.close()
    return _table(records, numbers, f"Excel (Blatt „{title}“)", file_name, header_words)


def _table(records: list[list[Any]], numbers: list[int], fmt: str, file_name: str, header_words: set[str]) -> Table:
    def blank(rec: list[Any]) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in rec)

    # The header is the first row naming a known column (Excel exports may carry a note above it).
    start = None
    for i, rec in enumerate(records[:HEADER_SCAN_ROWS]):
        if any(isinstance(v, str) and normalise_header(v) in header_words for v in rec):
            start = i
            break
    if start is None:
        start = next((i for i, rec in enumerate(records) if not blank(rec)), None)
    if start is None:
        raise FileRejected(f"Die Datei „{file_name}“ enthält keine Daten.")
    headers = ["" if v is None else str(v).strip() for v in records[start]]
    while headers and not headers[-1]:
        headers.pop()
    rows, lines = [], []
    for rec, n in zip(records[start + 1 :], numbers[start + 1 :], strict=True):
        if not blank(rec):
            rows.append(rec)
            lines.append(n)
    if len(rows) > MAX_ROWS:
        raise FileRejected(
            f"Die Datei „{file_name}“ hat mehr als {_de(MAX_ROWS)} Datenzeilen; erlaubt sind höchstens "
            f"{_de(MAX_ROWS)}. Bitte die Datei aufteilen."
        )
    return Table(headers, rows, lines, fmt)


def _de(x: float, places: int = 0) -> str:
    return f"{x:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise_header(h: str) -> str:
    """'Geplanter Geschäftswert ' → 'geplanter geschaeftswert'; BOM, case, '_' and '-' do not matter."""
    h = h.replace("\ufeff", "").casefold().translate(_UMLAUTS)
    for ch in "_-–/()":
        h = h.replace(ch, " ")
    return " ".join(h.split())
