"""Hostile and broken files, built in code, through the CLI in a child process (memory and time measured) and
through import_file: every one is rejected cleanly (German reason with row/column or a whole-file reason, a log
entry, the database unchanged) on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from data_access.importers import import_file
from data_access.models import ImportLog
from tests.unit.test_import import dump, prepare

ROOT = Path(__file__).resolve().parent.parent.parent
MEMORY_LIMIT_MB = 300
# Bounded time is checked as the child's CPU time, which a loaded machine does not inflate (wall time would make the
# test fail on timing); the subprocess timeout is the hard wall-clock bound.
CPU_LIMIT_S = 45

EAKTE_HEADER = "Behörde;Stichtag;Status;Geplanter Start;Produktivstart;Geplante Arbeitsplätze;Aktive Nutzende;Stand"
EAKTE_ROW = "NLBV;31.03.2025;in Einführung;01.10.2025;;1.200;{users};31.03.2025"


def _workbook(header: list[str], rows: list[list], sheets: int = 1) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws.append(header)
    for r in rows:
        ws.append(r)
    for i in range(1, sheets):
        wb.create_sheet(f"Blatt {i}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _replace_parts(xlsx: bytes, parts: dict[str, bytes]) -> bytes:
    """The same workbook with some XML parts swapped for hostile ones (compressed: the file stays small)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info.filename, src.read(info.filename))
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


_SST = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_SHEET = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _col(j: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet column letters)."""
    out = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        out = chr(65 + rem) + out
    return out


def _eakte_xlsx(**parts) -> bytes:
    base = _workbook(EAKTE_HEADER.split(";"), [EAKTE_ROW.format(users=350).split(";")])
    return _replace_parts(base, parts) if parts else base


def hostile_files() -> list[tuple[str, str, bytes, str]]:
    """(id, kind, file content, regex the message must match)."""
    many_strings = _SST + b"<si><t>a</t></si>" * 3_000_000 + b"</sst>"  # 51 MB of XML, ~150 KB zipped
    counted_strings = _SST + b"<si><t>ab</t></si>" * 600_000 + b"</sst>"  # under the size limit, over the count
    long_string = _SST + b"<si><t>" + b"x" * 5_000_000 + b"</t></si></sst>"
    wide_sheet = (
        _SHEET + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Beh\xc3\xb6rde'
        b'</t></is></c><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    forged_dimension = (  # the stored range claims a million rows and all columns; the cells are a small table
        _SHEET + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Beh\xc3\xb6rde</t></is></c></row></sheetData></worksheet>'
    )
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        + _SST[len(b'<?xml version="1.0" encoding="UTF-8"?>') :]
        + b"<si><t>&lol3;</t></si></sst>"
    )
    many_columns = ";".join(f"Spalte {i}" for i in range(5_000)) + "\n" + ";" * 4_999
    # Within every single limit, too many cells together: 13.000 rows × 199 numbers (~60 MB of XML, small zipped)
    row = "".join(f'<c r="{_col(j)}{{r}}"><v>1</v></c>' for j in range(199))
    cells_sheet = (
        _SHEET
        + b"<sheetData>"
        + "".join(f'<row r="{r}">' + row.replace("{r}", str(r)) + "</row>" for r in range(1, 13_000)).encode()
        + b"</sheetData></worksheet>"
    )
    csv_cells = (EAKTE_HEADER + "\n" + ("1;" * 199 + "1\n") * 13_000).encode()
    return [
        ("xlsx-shared-string-bomb", "eakte", _eakte_xlsx(**{"xl/sharedStrings.xml": many_strings}), r"entpackt"),
        ("xlsx-shared-string-count", "eakte", _eakte_xlsx(**{"xl/sharedStrings.xml": counted_strings}), r"500\.000"),
        ("xlsx-long-string", "eakte", _eakte_xlsx(**{"xl/sharedStrings.xml": long_string}), r"32\.767"),
        ("xlsx-full-width-row", "eakte", _eakte_xlsx(**{"xl/worksheets/sheet1.xml": wide_sheet}), r"200 Spalten"),
        ("xlsx-forged-dimension", "eakte", _eakte_xlsx(**{"xl/worksheets/sheet1.xml": forged_dimension}), r"Pflicht"),
        ("xlsx-many-sheets", "eakte", _workbook(["Behörde"], [], sheets=80), r"höchstens 50 Blätter"),
        ("xlsx-entities", "eakte", _eakte_xlsx(**{"xl/sharedStrings.xml": entity}), r"DTD|keine lesbare"),
        ("xlsx-truncated", "eakte", _eakte_xlsx()[:-200], r"keine lesbare Excel"),
        ("csv-many-columns", "eakte", many_columns.encode(), r"Zeile 1 .*mehr als 200 Spalten"),
        ("xlsx-many-cells", "eakte", _eakte_xlsx(**{"xl/worksheets/sheet1.xml": cells_sheet}), r"2\.500\.000 Zellen"),
        ("csv-many-cells", "eakte", csv_cells, r"2\.500\.000 Zellen"),
        ("csv-huge-cell", "eakte", (EAKTE_HEADER + "\n" + '"' + "x" * 200_000 + '";a').encode(), r"ab Zeile 2"),
        (
            "csv-ragged-rows",
            "eakte",
            (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users=1) + ";zuviel\nNLBV;30.06.2025\n").encode(),
            r"Zeile 2: 9; Zeile 3: 2",
        ),
        ("csv-nul", "epics", "Schlüssel;Titel;Phase\nDVNPF-1;Ti\x00tel;Analyse\n".encode(), r"Zeile 2 .*NUL"),
        ("csv-30-digits", "eakte", (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users="9" * 30)).encode(), r"Zeile 2"),
        ("csv-exponent", "eakte", (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users="1e3")).encode(), r"Zeile 2"),
        ("csv-comma-int", "eakte", (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users="1,000")).encode(), r"Komma"),
        ("csv-arabic-digits", "eakte", (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users="١٢٣")).encode(), r"Zeile 2"),
        (
            "csv-year-1",
            "eakte",
            (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users=1).replace("31.03.2025", "01.01.0001", 1)).encode(),
            r"Zeile 2, Spalte „Stichtag“: „01\.01\.0001“ liegt außerhalb",
        ),
        (
            "csv-year-9999",
            "eakte",
            (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users=1).replace("31.03.2025", "31.12.9999", 1)).encode(),
            r"Zeile 2, Spalte „Stichtag“",
        ),
        (
            "csv-case-duplicate",
            "eakte",
            (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users=1) + "\n" + EAKTE_ROW.format(users=2).lower()).encode(),
            r"Zeile 3, Spalte „Behörde“: „nlbv / 31\.03\.2025“ kommt in der Datei mehrfach vor \(zuerst in Zeile 2\)",
        ),
        (
            "csv-service-case-duplicate",
            "onlinedienste",
            "Dienst-Schlüssel;Name;Modell;Themenfeld;Zuständigkeit\nREL-0001;A;EfA;Bildung;Land\n"
            "rel-0001;B;EfA;Bildung;Land\n".encode(),
            r"Zeile 3, Spalte „Dienst-Schlüssel“: „rel-0001“ kommt in der Datei mehrfach vor",
        ),
        (
            "csv-formula-after-blank",
            "epics",
            "Schlüssel;Titel;Phase\nDVNPF-1;' =HYPERLINK(1)';Analyse\nDVNPF-2; =1+1;Analyse\n".encode(),
            r"Zeile 3, Spalte „Titel“",
        ),
        ("csv-long-header", "eakte", ("x" * 300_000 + ";y\n1;2\n").encode(), r"ab Zeile 1: eine Zelle ist zu lang"),
    ]


CASES = hostile_files()


def _cli(db_url: str, kind: str, path: Path) -> tuple[int, str, float, float]:
    """Run `python -m data_access import` in a child; returns exit code, output, peak RSS (MB) and CPU seconds."""
    # Peak RSS from VmHWM (a property of the address space, new at exec): getrusage's ru_maxrss would include
    # the pytest worker's size at fork time.
    code = (
        "import sys\n"
        "from data_access.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "hwm = next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM'))\n"
        "import os\n"
        "t = os.times()\n"
        "print('RSS_KB', hwm, 'CPU_S', t.user + t.system, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code, "import", kind, str(path), "--user", "pytest"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    fields = next(ln.split() for ln in proc.stderr.splitlines() if ln.startswith("RSS_KB"))
    return proc.returncode, proc.stdout + proc.stderr, int(fields[1]) / 1024, float(fields[3])


@pytest.mark.parametrize(("kind", "data", "pattern"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_file_is_rejected_cleanly_by_the_cli(engine, db_url, tmp_path, kind, data, pattern):
    prepare(engine, services=False)
    before = dump(engine)
    path = tmp_path / ("datei.xlsx" if data.startswith(b"PK") else "datei.csv")
    path.write_bytes(data)
    rc, out, rss_mb, cpu_s = _cli(db_url, kind, path)
    assert rc == 2, out[-2000:]
    assert "abgelehnt – es wurde nichts geschrieben" in out
    assert "Traceback" not in out
    import re

    assert re.search(pattern, out), out[-2000:]
    assert rss_mb < MEMORY_LIMIT_MB, f"{rss_mb:.0f} MB"
    assert cpu_s < CPU_LIMIT_S, f"{cpu_s:.1f} s CPU"
    assert dump(engine) == before
    with engine.connect() as c:
        logged = c.execute(select(ImportLog.result, ImportLog.message)).all()
    assert [r.result for r in logged] == ["abgelehnt"]
    assert len(logged[0].message) <= 20_000


def test_note_line_with_comma_above_the_header_is_read(engine):
    prepare(engine, services=False)
    data = ("Stand: 31.03.2025, Quelle: Testaufbau\n" + EAKTE_HEADER + "\n" + EAKTE_ROW.format(users=350)).encode()
    result = import_file(engine, "eakte", data, file_name="mit_hinweis.csv").raise_for_problems()
    assert result.new == 1


def test_multi_line_cell_reports_the_row_where_it_begins(engine):
    prepare(engine, services=False)
    data = 'Schlüssel;Titel;Phase\nDVNPF-1;"Titel\nmit Umbruch";Analyse\nDVNPF-2;Titel;Unbekannt\n'.encode()
    result = import_file(engine, "epics", data, file_name="umbruch.csv")
    assert not result.ok
    assert [p.row for p in result.problems] == [4]


def test_phone_number_is_allowed_in_a_contact_column_only(engine):
    prepare(engine, services=False)
    ok = "Schlüssel;Titel;Phase;Epic Owner\nDVNPF-1;Titel;Analyse;+49 511 120-0\n".encode()
    assert import_file(engine, "epics", ok, file_name="tel.csv").raise_for_problems().new == 1
    bad = "Schlüssel;Titel;Phase;Epic Owner\nDVNPF-2;+49 511 120-0;Analyse;\n".encode()
    result = import_file(engine, "epics", bad, file_name="tel2.csv")
    assert not result.ok and result.problems[0].column == "Titel"


def test_key_matches_the_stored_spelling_regardless_of_case(engine):
    prepare(engine)  # T-ELTERNGELD exists
    data = "Dienst-Schlüssel;Name;Modell;Themenfeld;Zuständigkeit\nt-elterngeld;Elterngeld;EfA;Bildung;Land\n"
    result = import_file(engine, "onlinedienste", data.encode(), file_name="klein.csv").raise_for_problems()
    assert (result.new, result.changed) == (0, 1)
    with engine.connect() as c:
        keys = c.execute(select(ImportLog.id)).all()
        from data_access.models import OnlineService

        stored = sorted(c.scalars(select(OnlineService.service_key)))
    assert stored == ["T-ELTERNGELD", "T-UMMELDUNG"] and keys


def test_too_many_problems_stop_the_check(engine):
    prepare(engine, services=False)
    rows = "\n".join(f"DVNPF-{i};Titel;Unbekannt" for i in range(3_000))
    result = import_file(engine, "epics", f"Schlüssel;Titel;Phase\n{rows}\n".encode(), file_name="viele.csv")
    assert not result.ok and len(result.problems) == 1_001
    assert "abgebrochen" in result.problems[-1].reason
    assert len(result.report().splitlines()) == 202  # message, 200 problems, "und N weitere"


def test_a_concurrent_import_waiting_too_long_gets_a_german_message(engine, db_url, monkeypatch):
    """The writer lock is held by another transaction for longer than the wait: nothing raw reaches the user."""
    from data_access import db as dbmod
    from data_access.db import make_engine, take_import_lock, transaction

    prepare(engine, services=False)
    holder = make_engine(db_url)
    monkeypatch.setattr(dbmod, "LOCK_WAIT_SECONDS", 1)
    waiting = make_engine(db_url) if engine.dialect.name == "postgresql" else None
    if waiting is None:  # SQLite's wait is a connect argument
        from sqlalchemy import create_engine

        waiting = create_engine(db_url, connect_args={"timeout": 1})
    data = (EAKTE_HEADER + "\n" + EAKTE_ROW.format(users=1)).encode()
    try:
        with transaction(holder) as s:
            take_import_lock(s, "eakte")
            result = import_file(waiting, "eakte", data, file_name="wartet.csv")
    finally:
        holder.dispose()
        waiting.dispose()
    assert not result.ok
    assert "anderer Import" in result.problems[0].reason, result.report()
    assert json.dumps(result.report()).count("Traceback") == 0
