"""Import templates (CSV committed under data_access/templates/, Excel built on the fly) and table exports."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from data_access.importers import KINDS
from data_access.models import Base
from data_access.text import escape_formulas

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
EXPORT_TABLES = tuple(t.name for t in Base.metadata.sorted_tables)


def template_path(kind: str) -> Path:
    return TEMPLATE_DIR / f"{kind}.csv"


def template_csv_text(kind: str) -> str:
    """The header line of a kind's template (';'-separated, as German Excel writes it)."""
    return ";".join(c.header for c in KINDS[kind].template_columns()) + "\n"


def template_csv(kind: str) -> bytes:
    """The committed CSV template, UTF-8 with BOM so Excel shows the umlauts."""
    return b"\xef\xbb\xbf" + template_path(kind).read_bytes()


DOC_HEADERS = ("Spalte", "Pflichtspalte", "Bedeutung und Format", "Beispiel", "Auch erkannt")


def _doc_rows(kind: str) -> list[tuple[str, ...]]:
    """One row per declared column, as the Daten page and docs/IMPORT.md show it (DOC_HEADERS)."""
    return [
        (c.header, "ja" if c.required else "nein", c.doc, c.example, ", ".join(c.aliases)) for c in KINDS[kind].columns
    ]


def column_table(kind: str) -> pd.DataFrame:
    """One row per documented column: Spalte, Pflicht, Bedeutung und Format, Beispiel, auch erkannt."""
    return pd.DataFrame(_doc_rows(kind), columns=list(DOC_HEADERS))


def template_xlsx(kind: str) -> bytes:
    """An empty data sheet named after the kind, plus a sheet "Erläuterung" documenting every column."""
    spec = KINDS[kind]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        pd.DataFrame(columns=[c.header for c in spec.template_columns()]).to_excel(
            writer, sheet_name=spec.sheet_names[0], index=False
        )
        escape_formulas(column_table(kind)).to_excel(writer, sheet_name="Erläuterung", index=False)
        ws = writer.sheets[spec.sheet_names[0]]
        for i, c in enumerate(spec.template_columns(), start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(c.header) + 4)
            if c.text:  # keys stay text, so Excel keeps leading zeros, all 14 LeiKa digits and codes like 0815
                for row in range(2, 1002):
                    ws.cell(row=row, column=i).number_format = "@"
    return buf.getvalue()


def write_templates() -> list[Path]:
    """Regenerate the committed CSV templates from the column definitions."""
    TEMPLATE_DIR.mkdir(exist_ok=True)
    paths = []
    for kind in KINDS:
        template_path(kind).write_text(template_csv_text(kind), encoding="utf-8")
        paths.append(template_path(kind))
    return paths


def columns_markdown() -> str:
    """The German section "Datenimport: Spalten" of docs/IMPORT.md, generated from the column definitions."""
    out = []
    for kind, spec in KINDS.items():
        out += [
            f"### {spec.label} (`{kind}`)",
            "",
            spec.intro,
            "",
            f"Befehl: `python -m data_access import {kind} DATEI [--dry-run]` · Vorlage: `data_access/templates/{kind}.csv`",
            "",
            "| " + " | ".join(DOC_HEADERS) + " |",
            "|" + "---|" * len(DOC_HEADERS),
        ]
        out += ["| " + " | ".join(row) + " |" for row in _doc_rows(kind)]
        out.append("")
    return "\n".join(out)


def export_table(engine: Engine, table: str) -> pd.DataFrame:
    """Every row of one table, ordered by its primary key (for CSV/Excel download)."""
    if table not in EXPORT_TABLES:
        raise ValueError(f"Unbekannte Tabelle „{table}“; bekannt: {', '.join(EXPORT_TABLES)}")
    t = Base.metadata.tables[table]
    with engine.connect() as conn:
        result = conn.execute(select(t).order_by(*t.primary_key.columns))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
