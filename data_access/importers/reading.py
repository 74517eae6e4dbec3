"""Turn an uploaded file (CSV in UTF-8/Windows-1252 with ';' or ',', or Excel .xlsx) into header and rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from formatting import num

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200  # the widest import kind has 12 columns; more means a broken or hostile file
HEADER_SCAN_ROWS = 10
# A kind may declare a header of several rows (Destatis: "Bevölkerung" above "insgesamt"); never more than this.
MAX_HEADER_ROWS = 4
PREAMBLE_CHARS = 2_000  # text above the header kept for the kind (title line with the Stand)
# What an .xlsx (a zip of XML parts) may expand to before it is parsed at all: a 100 KB workbook can otherwise
# unpack to gigabytes (a shared-string table of millions of entries is held in memory by every reader).
XLSX_MAX_MEMBERS = 300
XLSX_MAX_SHEETS = 50
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XLSX_MAX_PART = 80 * 1024 * 1024  # one worksheet of 200.000 rows × 12 columns is about 60 MB of XML
XLSX_MAX_SHARED_STRINGS_BYTES = 40 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS = 500_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# All cells of a file together (rows × columns up to the last filled one): 200.000 rows of the widest kind fit;
# beyond it the parsed values alone would exceed a few hundred MB.
MAX_CELLS = 2_500_000

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
    preamble: str = ""  # the text of the rows above the header (a title such as "… am 31.12.2023"), bounded
    sheet: str = ""  # the Excel sheet's name ("" for CSV)
    # With a multi-row header: per column the lowest header text alone, matched when the joined header is unknown.
    header_parts: list[str] = field(default_factory=list)


def _sheet_wanted(title: str, sheet_names: tuple[str, ...]) -> bool:
    """A listed name matches exactly (case-insensitive); a name ending in "*" matches as a prefix."""
    t = title.casefold()
    return any(t.startswith(n[:-1].casefold()) if n.endswith("*") else t == n.casefold() for n in sheet_names)


def read_table(
    data: bytes,
    *,
    file_name: str,
    header_words: set[str],
    sheet_names: tuple[str, ...] = (),
    header_rows: int = 1,
) -> Table:
    """Read a CSV or .xlsx file; `header_words` (normalised header names) locate the header row.

    `header_rows` > 1 lets the header continue over the next rows (at most MAX_HEADER_ROWS in all): a row directly
    below that names a known column is part of the header, and the texts of one column are joined top to bottom.
    """
    header_rows = max(1, min(header_rows, MAX_HEADER_ROWS))
    if len(data) == 0:
        raise FileRejected(f"Die Datei „{file_name}“ ist leer (0 Byte).")
    if len(data) > MAX_BYTES:
        raise too_big(file_name, len(data))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(
            data, file_name=file_name, header_words=header_words, sheet_names=sheet_names, header_rows=header_rows
        )
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise FileRejected(
                f"Die Datei „{file_name}“ ist keine CSV-Datei, sondern {what}. "
                "Erwartet: CSV (Trennzeichen ; oder ,) oder Excel-Arbeitsmappe (.xlsx)."
            )
    text, encoding = _decode(data, file_name)
    return _read_csv(text, encoding, file_name=file_name, header_words=header_words, header_rows=header_rows)


def too_big(file_name: str, size: int) -> FileRejected:
    """'… ist 20.971.521 Byte groß; erlaubt sind höchstens 20.971.520 Byte (20 MB)' – exact, never '20,0 > 20'."""
    return FileRejected(
        f"Die Datei „{file_name}“ ist {num(size)} Byte groß; erlaubt sind höchstens {num(MAX_BYTES)} Byte "
        f"({MAX_BYTES // 1024 // 1024} MB). Bitte die Datei aufteilen."
    )


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    head = data[:200]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") * 4 >= len(head):
        raise FileRejected(
            f"Die Zeichenkodierung von „{file_name}“ wird nicht unterstützt (UTF-16 oder Binärdatei). "
            "Erwartet: CSV in UTF-8 (mit oder ohne BOM) oder Windows-1252 – in Excel „CSV UTF-8 (durch Trennzeichen getrennt)“."
        )
    if (nul := data.find(b"\x00")) >= 0:
        line = data[:nul].count(b"\n") + 1
        raise FileRejected(
            f"Zeile {num(line)} von „{file_name}“ enthält ein NUL-Zeichen (Byte 0x00); das "
            "ist kein Text. Erwartet: CSV in UTF-8 oder Windows-1252 ohne Steuerzeichen."
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


def _delimiter(lines: list[str], file_name: str, header_words: set[str]) -> str:
    """The delimiter of the header line: the first of the first lines that names a known column when split.

    A note above the header ("Stand: 18.03.2025, Quelle: …") must not decide the delimiter.
    """
    candidates = [ln for ln in lines[: HEADER_SCAN_ROWS * 5] if ln.strip()][:HEADER_SCAN_ROWS]
    for line in candidates:
        for delim in (";", ","):
            if any(normalise_header(cell.strip().strip('"')) in header_words for cell in line.split(delim)):
                if delim == "," and line.count(";") > line.count(","):
                    continue  # "a;b,c": a comma inside a semicolon header
                return delim
    header_line = candidates[0]
    semis, commas = header_line.count(";"), header_line.count(",")
    if semis == 0 and commas == 0:
        found = "Tabulator" if "\t" in header_line else ("|" if "|" in header_line else None)
        if found:
            raise FileRejected(
                f"Das Trennzeichen von „{file_name}“ ist {found}; erwartet wird Semikolon (;) oder Komma (,)."
            )
    return ";" if semis >= commas else ","


def _read_csv(text: str, encoding: str, *, file_name: str, header_words: set[str], header_rows: int = 1) -> Table:
    lines = text.splitlines()
    if not any(ln.strip() for ln in lines):
        raise FileRejected(f"Die Datei „{file_name}“ enthält keine Daten (nur Leerzeichen oder Leerzeilen).")
    delim = _delimiter(lines, file_name, header_words)
    # Bound the width before the csv module builds a record: a line of a million delimiters is a million cells.
    cells = 0
    for number, line in enumerate(lines, start=1):
        width = line.count(delim)
        cells += width + 1
        if cells > MAX_CELLS:
            raise _too_many_cells(file_name, number)
        if width >= MAX_COLUMNS:
            raise FileRejected(
                f"Zeile {num(number)} von „{file_name}“ hat mehr als {MAX_COLUMNS} Spalten; erwartet wird eine "
                "Tabelle mit den Spalten der Vorlage."
            )
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    records: list[list[str]] = []
    numbers: list[int] = []
    try:
        while True:
            start = reader.line_num + 1  # a quoted cell with line breaks spans lines: report where the row begins
            rec = next(reader, None)
            if rec is None:
                break
            records.append(rec)
            numbers.append(start)
            if len(records) > MAX_ROWS + HEADER_SCAN_ROWS + 1:
                break
    except csv.Error as exc:
        reason = "eine Zelle ist zu lang" if "field larger" in str(exc) else "ungültige Anführungszeichen"
        raise FileRejected(
            f"Die CSV-Datei „{file_name}“ ist fehlerhaft ab Zeile {num(start)}: {reason}. Erwartet: Werte mit "
            f"höchstens {num(MAX_CELL_CHARS)} Zeichen, Anführungszeichen paarweise."
        ) from None
    sep = "Semikolon" if delim == ";" else "Komma"
    return _table(
        records, numbers, f"CSV ({sep}, {encoding})", file_name, header_words, ragged=True, header_rows=header_rows
    )


def _too_many_cells(file_name: str, row: int) -> FileRejected:
    return FileRejected(
        f"„{file_name}“ hat bis Zeile {num(row)} mehr als {num(MAX_CELLS)} Zellen; erlaubt sind höchstens "
        f"{num(MAX_CELLS)} (z. B. 200.000 Zeilen mit 12 Spalten). Leere Spalten rechts entfernen oder die Datei "
        "aufteilen."
    )


def _count_cells(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Number of <c> elements in a worksheet part, streamed in 1 MB chunks (no XML parsing)."""
    count, tail = 0, b""
    with zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")
            tail = data[-2:]  # a "<c" cut at the boundary is counted with the next chunk (a counted tag never is)
    return count


def _not_xlsx(file_name: str, why: str = "") -> FileRejected:
    return FileRejected(
        f"Die Datei „{file_name}“ ist ein ZIP-Archiv, aber keine lesbare Excel-Arbeitsmappe (.xlsx){why}."
    )


def _check_xlsx_parts(zf: zipfile.ZipFile, file_name: str) -> None:
    """Reject a workbook whose parts would expand beyond the limits, using only the zip directory and one
    streaming pass over the shared-string table: nothing is held in memory beyond one string at a time."""
    members = zf.infolist()
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    mb = lambda n: f"{n // 1024 // 1024} MB"  # noqa: E731
    if len(members) > XLSX_MAX_MEMBERS or len(sheets) > XLSX_MAX_SHEETS:
        raise FileRejected(
            f"Die Arbeitsmappe „{file_name}“ hat {num(len(sheets))} Tabellenblätter und {num(len(members))} Teile; "
            f"erlaubt sind höchstens {XLSX_MAX_SHEETS} Blätter. Bitte nur das Blatt mit den Daten speichern."
        )
    total = sum(m.file_size for m in members)
    biggest = max(members, key=lambda m: m.file_size, default=None)
    if total > XLSX_MAX_UNCOMPRESSED or (biggest and biggest.file_size > XLSX_MAX_PART):
        raise FileRejected(
            f"Die Arbeitsmappe „{file_name}“ ist gepackt klein, entpackt aber {num(total / 1024 / 1024)} MB groß; "
            f"erlaubt sind entpackt höchstens {mb(XLSX_MAX_UNCOMPRESSED)} (ein Teil höchstens {mb(XLSX_MAX_PART)}). "
            "Bitte als CSV speichern oder aufteilen."
        )
    for sheet in sheets:  # a fast byte scan: counting cells costs far less than letting a reader build them
        if _count_cells(zf, sheet) > MAX_CELLS:
            raise FileRejected(
                f"Das Tabellenblatt {sheet.filename.rsplit('/', 1)[-1]} von „{file_name}“ hat mehr als "
                f"{num(MAX_CELLS)} Zellen; erlaubt sind höchstens {num(MAX_CELLS)} (z. B. 200.000 Zeilen mit 12 "
                "Spalten). Leere Spalten rechts entfernen oder die Datei aufteilen."
            )
    strings = next((m for m in members if m.filename.casefold() == "xl/sharedstrings.xml"), None)
    if strings is None:
        return
    if strings.file_size > XLSX_MAX_SHARED_STRINGS_BYTES:
        raise FileRejected(
            f"Die Textliste (sharedStrings) der Arbeitsmappe „{file_name}“ ist entpackt "
            f"{num(strings.file_size / 1024 / 1024)} MB groß; erlaubt sind {mb(XLSX_MAX_SHARED_STRINGS_BYTES)}."
        )
    from defusedxml.ElementTree import iterparse

    count = 0
    with zf.open(strings) as fh:
        for _event, elem in iterparse(fh, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "t" and elem.text and len(elem.text) > MAX_CELL_CHARS:
                raise FileRejected(
                    f"Die Arbeitsmappe „{file_name}“ enthält einen Text mit {num(len(elem.text))} Zeichen; "
                    f"Excel erlaubt je Zelle {num(MAX_CELL_CHARS)}."
                )
            if tag == "si":
                count += 1
                elem.clear()
                if count > XLSX_MAX_SHARED_STRINGS:
                    raise FileRejected(
                        f"Die Arbeitsmappe „{file_name}“ enthält mehr als {num(XLSX_MAX_SHARED_STRINGS)} verschiedene "
                        "Texte; das ist für eine Importdatei zu viel. Bitte als CSV speichern oder aufteilen."
                    )


def _read_xlsx(
    data: bytes, *, file_name: str, header_words: set[str], sheet_names: tuple[str, ...], header_rows: int = 1
) -> Table:
    import openpyxl
    from defusedxml import DefusedXmlException

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_xlsx_parts(zf, file_name)
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileRejected:
        raise
    except DefusedXmlException:
        raise _not_xlsx(file_name, " (unzulässige XML-Konstrukte wie DTD oder Entitäten)") from None
    except Exception:  # openpyxl raises many kinds for a broken archive; the user needs one German sentence
        raise _not_xlsx(file_name) from None
    try:
        if not wb.worksheets:
            raise _not_xlsx(file_name, " (kein Tabellenblatt)")
        ws = next((w for w in wb.worksheets if _sheet_wanted(w.title, sheet_names)), wb.worksheets[0])
        # The stored dimension ("A1:XFD1048576") is not trusted: without it each row is only as wide as its cells.
        ws.reset_dimensions()
        records, numbers = [], []
        cells = 0
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells += len(row)
            if cells > MAX_CELLS:
                raise _too_many_cells(file_name, i)
            if len(row) > MAX_COLUMNS:
                raise FileRejected(
                    f"Zeile {num(i)} im Blatt „{ws.title}“ von „{file_name}“ hat Werte in mehr als {MAX_COLUMNS} "
                    "Spalten; erwartet wird eine Tabelle mit den Spalten der Vorlage."
                )
            records.append(list(row))
            numbers.append(i)
            if len(records) > MAX_ROWS + HEADER_SCAN_ROWS + 1:
                break
        title = ws.title
    except FileRejected:
        raise
    except Exception:
        raise _not_xlsx(file_name, " (ein Tabellenblatt ist beschädigt)") from None
    finally:
        wb.close()
    table = _table(records, numbers, f"Excel (Blatt „{title}“)", file_name, header_words, header_rows=header_rows)
    table.sheet = title
    return table


def _table(
    records: list[list[Any]],
    numbers: list[int],
    fmt: str,
    file_name: str,
    header_words: set[str],
    *,
    ragged: bool = False,
    header_rows: int = 1,
) -> Table:
    """Header row and data rows; with `ragged` (CSV) a row with more or fewer cells than the header is rejected."""

    def blank(rec: list[Any]) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in rec)

    # The header is the first row naming a known column (Excel exports may carry a note above it).
    start = None
    for i, rec in enumerate(records[:HEADER_SCAN_ROWS]):
        if any(isinstance(v, str) and normalise_header(_header_cell(v)) in header_words for v in rec):
            start = i
            break
    if start is None:
        start = next((i for i, rec in enumerate(records) if not blank(rec)), None)
    if start is None:
        raise FileRejected(f"Die Datei „{file_name}“ enthält keine Daten.")
    block = [records[start]]
    end = start + 1  # first record after the header block
    while len(block) < header_rows and end < len(records):
        rec = records[end]
        if blank(rec):
            end += 1
            continue
        if not any(isinstance(v, str) and normalise_header(_header_cell(v)) in header_words for v in rec):
            break
        block.append(rec)
        end += 1
    if header_rows == 1:
        headers, lowest = ["" if v is None else str(v).strip() for v in records[start]], []
    else:
        headers, lowest = _joined_headers(block)
    while headers and not headers[-1]:
        headers.pop()
    lowest = lowest[: len(headers)]
    preamble = " ".join(str(v).strip() for rec in records[:start] for v in rec if v is not None and str(v).strip())[
        :PREAMBLE_CHARS
    ]
    rows, lines, ragged_rows = [], [], []
    width = len(records[start])
    for rec, n in zip(records[end:], numbers[end:], strict=True):
        if not blank(rec):
            if ragged and len(rec) != width and (len(rec) < width or not blank(rec[width:])):
                ragged_rows.append((n, len(rec)))
            rows.append(rec)
            lines.append(n)
    if ragged_rows:
        listed = "; ".join(f"Zeile {num(n)}: {num(k)}" for n, k in ragged_rows[:10])
        more = f" und {num(len(ragged_rows) - 10)} weitere Zeilen" if len(ragged_rows) > 10 else ""
        raise FileRejected(
            f"In „{file_name}“ haben Zeilen eine andere Anzahl Felder als die Kopfzeile ({num(width)}): {listed}{more}. "
            "Meist fehlt ein Trennzeichen oder ein Wert enthält ein nicht in Anführungszeichen gesetztes "
            "Trennzeichen."
        )
    if len(rows) > MAX_ROWS:
        raise FileRejected(
            f"Die Datei „{file_name}“ hat mehr als {num(MAX_ROWS)} Datenzeilen; erlaubt sind höchstens "
            f"{num(MAX_ROWS)}. Bitte die Datei aufteilen."
        )
    return Table(headers, rows, lines, fmt, preamble=preamble, header_parts=lowest)


def _header_cell(v: Any) -> str:
    """'Satz-\\nart' → 'Satzart', 'Fläche\\nkm² 1)' → 'Fläche km2': line breaks, hyphenation, ² and footnote marks."""
    s = str(v).replace("\u00ad", "").replace("-\n", "").replace("\n", " ").replace("²", "2")
    s = re.sub(r"\s*(?:\d|\*)\)\s*$", "", s.strip())
    return " ".join(s.split())


def _joined_headers(block: list[list[Any]]) -> tuple[list[str], list[str]]:
    """Headers of a multi-row header: per column the texts joined top to bottom ("Bevölkerung insgesamt") and the
    lowest text alone ("Land" under "Amtlicher Regionalschlüssel (ARS)"; "" when the column has one text).

    An upper cell left empty continues the group to its left when the column has a text further down: Excel
    keeps the text of merged cells ("Bevölkerung" over insgesamt/männlich/weiblich) only in the first of them.
    """
    width = max(len(r) for r in block)
    grid = [[_header_cell(r[i]) if i < len(r) and r[i] is not None else "" for i in range(width)] for r in block]
    for k, row in enumerate(grid[:-1]):
        for i in range(1, width):
            if not row[i] and row[i - 1] and any(g[i] for g in grid[k + 1 :]):
                row[i] = row[i - 1]
    joined, lowest = [], []
    for i in range(width):
        parts = list(dict.fromkeys(g[i] for g in grid if g[i]))
        joined.append(" ".join(parts))
        lowest.append(parts[-1] if len(parts) > 1 else "")
    return joined, lowest


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "²": "2"})


def normalise_header(h: str) -> str:
    """'Geplanter Geschäftswert ' → 'geplanter geschaeftswert'; BOM, case, '_' and '-' do not matter."""
    h = h.replace("\ufeff", "").casefold().translate(_UMLAUTS)
    for ch in "_-–/()":
        h = h.replace(ch, " ")
    return " ".join(h.split())
