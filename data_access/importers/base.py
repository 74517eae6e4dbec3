"""Building blocks shared by the import kinds: columns, problems, row parsing, duplicate check, plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from data_access.importers.reading import Table, normalise_header
from data_access.importers.values import as_text, is_empty
from data_access.text import clip, listing

MAX_LISTED = 50
MAX_PROBLEMS = 1_000  # validation stops here: a broken 200.000-row file must not build millions of messages


@dataclass(frozen=True)
class Column:
    """One documented column of an import file."""

    field: str
    header: str  # the German header used in templates and messages
    aliases: tuple[str, ...] = ()
    required: bool = True  # the column must be present (a value may still be optional)
    doc: str = ""
    example: str = ""

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.field, *self.aliases)}


@dataclass(frozen=True)
class Problem:
    """One reason to reject a file: where (row, column), what was found and what is expected."""

    row: int | None
    column: str | None
    value: str | None
    reason: str
    expected: str = ""

    def text(self) -> str:
        where = ", ".join(
            p
            for p in (f"Zeile {self.row}" if self.row else "", f"Spalte „{clip(self.column)}“" if self.column else "")
            if p
        )
        what = f"„{clip(self.value)}“ {self.reason}" if self.value else self.reason
        text = f"{where}: {what}" if where else what
        return f"{text} (erwartet {self.expected})" if self.expected else text


@dataclass(frozen=True)
class RowChange:
    """What an import does with one row of the file (for the preview)."""

    row: int
    key: str
    action: str  # neu / geändert / unverändert
    detail: str = ""


@dataclass
class Plan:
    changes: list[RowChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    write: Callable[[Session], None] | None = None
    notes: list[str] = field(default_factory=list)  # shown in the preview, like the parser's notes

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)


@dataclass(frozen=True)
class Provenance:
    source: str
    import_date: dt.date

    def values(self, stand: dt.date | None) -> dict[str, Any]:
        return {"source": self.source, "as_of": stand or self.import_date, "is_demo": False}


@dataclass
class Parsed:
    line: int
    row: Any  # the kind's pydantic row model


class Row(BaseModel):
    """Base of the per-kind row models; unknown keys are ignored, values are immutable once read."""

    model_config = ConfigDict(extra="ignore", frozen=True, arbitrary_types_allowed=True)


class Kind:
    """An import kind: its columns, row model, natural key and how rows become database changes."""

    name: ClassVar[str]
    label: ClassVar[str]  # German, plural: "Angebote"
    table: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    row_model: ClassVar[type[Row]]
    key_fields: ClassVar[tuple[str, ...]]
    sheet_names: ClassVar[tuple[str, ...]] = ("Daten",)  # a name ending in "*" matches sheets by prefix
    template_fields: ClassVar[tuple[str, ...]] = ()  # columns of the template; () = all
    header_rows: ClassVar[int] = 1  # > 1: the header may continue over that many rows (reading.MAX_HEADER_ROWS)
    intro: ClassVar[str] = ""

    def template_columns(self) -> tuple[Column, ...]:
        """The columns of the committed template (all unless the kind names fewer)."""
        return tuple(self.column(f) for f in self.template_fields) if self.template_fields else self.columns

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def column_for(self, header: str, lowest: str = "") -> Column | None:
        """The column a header names; with a multi-row header also by its lowest part ("Land" under "ARS")."""
        for name in (header, lowest):
            norm = normalise_header(name)
            col = next((c for c in self.columns if norm in c.names()), None) if norm else None
            if col is not None:
                return col
        return None

    def header_words(self) -> set[str]:
        return set().union(*(c.names() for c in self.columns))

    def key_text(self, row: Row) -> str:
        return " / ".join(_fmt_key(getattr(row, f)) for f in self.key_fields)

    def parse(self, table: Table) -> tuple[list[Parsed], list[Problem], list[str]]:
        """Map headers, validate every row and find duplicate keys; returns rows, problems, notes."""
        problems: list[Problem] = []
        index: dict[str, int] = {}
        unused: list[str] = []
        for i, header in enumerate(table.headers):
            col = self.column_for(header, table.header_parts[i] if i < len(table.header_parts) else "")
            if col is None:
                if header:
                    unused.append(header)
            elif col.field in index:
                problems.append(
                    Problem(
                        None,
                        header,
                        None,
                        f"steht doppelt in der Kopfzeile (wie „{clip(table.headers[index[col.field]])}“)",
                        "jede Spalte nur einmal",
                    )
                )
            else:
                index[col.field] = i
        for col in self.columns:
            if col.required and col.field not in index:
                also = ", ".join(col.aliases[:4])
                problems.append(
                    Problem(
                        None,
                        None,
                        None,
                        f"Pflichtspalte „{col.header}“ fehlt"
                        + (f" (auch erkannt: {also})" if also else "")
                        + ". Gefundene Spalten: "
                        + (listing(h for h in table.headers if h) or "keine"),
                    )
                )
        if problems:
            return [], problems, []
        if not table.rows:
            return [], [Problem(None, None, None, "Die Datei enthält eine Kopfzeile, aber keine Datenzeilen.")], []
        notes = [f"Nicht verwendete Spalten: {listing(unused, quote=False)}"] if unused else []
        rows: list[Parsed] = []
        model = self.row_model
        fields = list(index.items())
        for rec, line in zip(table.rows, table.line_numbers, strict=True):
            if len(problems) >= MAX_PROBLEMS:
                problems.append(
                    Problem(
                        line,
                        None,
                        None,
                        f"Prüfung nach {MAX_PROBLEMS:,} Problemen abgebrochen; ab hier wurden die Zeilen nicht mehr "
                        "geprüft".replace(",", "."),
                        "die genannten Probleme beheben und erneut prüfen",
                    )
                )
                return rows, problems, notes
            values = {f: (rec[i] if i < len(rec) else None) for f, i in fields}
            try:
                rows.append(Parsed(line, model.model_validate(values)))
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    ctx = err.get("ctx") or {}
                    name = err["loc"][0] if err["loc"] else ctx.get("column")
                    col = self.column(name) if name else None
                    raw = values.get(name) if name else None
                    problems.append(
                        Problem(
                            line,
                            col.header if col else None,
                            None if is_empty(raw) else as_text(raw),
                            ctx.get("reason", err["msg"]),
                            ctx.get("expected", ""),
                        )
                    )
        problems.extend(self._duplicates(rows))
        return rows, problems, notes

    def _duplicates(self, rows: list[Parsed]) -> list[Problem]:
        seen: dict[tuple, int] = {}
        out = []
        header = self.column(self.key_fields[0]).header
        for p in rows:
            # Keys differ only by case? The same key (NLBV = nlbv), on SQLite and PostgreSQL alike.
            key = tuple(_fold_key(getattr(p.row, f)) for f in self.key_fields)
            if key in seen:
                out.append(
                    Problem(
                        p.line,
                        header,
                        self.key_text(p.row),
                        f"kommt in der Datei mehrfach vor (zuerst in Zeile {seen[key]})",
                        "jeden Schlüssel nur einmal je Datei",
                    )
                )
            else:
                seen[key] = p.line
        return out

    def plan(self, session: Session, rows: list[Parsed], prov: Provenance) -> Plan:
        raise NotImplementedError


def bulk_insert(session: Session, model, rows: list[dict]) -> None:
    """Core executemany (much faster than ORM unit of work for 100,000 rows)."""
    if rows:
        session.execute(model.__table__.insert(), rows)


def bulk_update(session: Session, model, rows: list[dict], *, key: str = "id") -> None:
    """UPDATE … WHERE <key> = :key as executemany, one statement per set of changed columns."""
    table = model.__table__
    groups: dict[tuple[str, ...], list[dict]] = {}
    for r in rows:
        groups.setdefault(tuple(sorted(k for k in r if k != key)), []).append(r)
    for cols, group in groups.items():
        stmt = table.update().where(table.c[key] == bindparam("_key")).values({c: bindparam(c) for c in cols})
        session.execute(stmt, [{"_key": r[key], **{c: r[c] for c in cols}} for r in group])


def _fold_key(v: Any) -> Any:
    return " ".join(v.casefold().split()) if isinstance(v, str) else v


def _fmt_key(v: Any) -> str:
    if isinstance(v, dt.date):
        return v.strftime("%d.%m.%Y")
    return str(v)


def unknown_ref(p: Parsed, column: Column, value: str, what: str, known: Iterable[str], *, limit: int = 20) -> Problem:
    """'… ist nicht angelegt (bekannte …: a, b, c …)' for a reference that does not exist."""
    known = list(known)
    listed = ", ".join(known[:limit]) + (f" … ({len(known)} insgesamt)" if len(known) > limit else "")
    expected = f"{what}: {listed}" if known else f"{what} – noch keine angelegt"
    return Problem(p.line, column.header, value, "ist nicht angelegt", expected)


def differences(old: dict[str, Any], new: dict[str, Any], labels: dict[str, str]) -> str:
    """'Status: geplant → live; Reifegrad: 2 → 3' for the preview."""
    parts = []
    for k, v in new.items():
        if old.get(k) != v:
            parts.append(f"{labels.get(k, k)}: {_show(old.get(k))} → {_show(v)}")
    return "; ".join(parts)


def _show(v: Any) -> str:
    if v is None or v == ():
        return "–"
    if isinstance(v, bool):
        return "ja" if v else "nein"
    if isinstance(v, dt.date):
        return v.strftime("%d.%m.%Y")
    if isinstance(v, tuple):
        return ", ".join(map(str, v))
    return str(v).replace(".", ",") if not isinstance(v, str) else v
