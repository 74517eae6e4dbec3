"""Building blocks shared by the import kinds: column declarations, problems, row parsing, duplicate check, the
upsert planner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from data_access.importers.reading import Table, normalise_header
from data_access.importers.values import OptionalDate, as_text, de_date, fold, is_empty
from data_access.text import clip, listing
from formatting import as_written, num

MAX_PROBLEMS = 1_000  # validation stops here: a broken 200.000-row file must not build millions of messages


@dataclass(frozen=True)
class Column:
    """One documented column of an import file, declared once on its row-model field.

    Written into the field's annotation (`Annotated[str, v.required(…), Column("Name", …)]`); the kind reads it from
    the model, so one declaration drives validation, the template, the docs table, the Daten page and the preview.
    """

    header: str  # the German header used in templates and messages
    aliases: tuple[str, ...] = ()
    doc: str = ""
    example: str = ""
    required: bool | None = None  # the column must be present; None: when the field has no default
    db: str | bool = False  # the stored column the planner compares and writes (True: the field's name)
    label: str = ""  # the name in the preview's changes, where it is not the header
    text: bool = False  # the Excel template keeps its cells as text (leading zeros, 14-digit keys)
    field: str = ""  # filled in from the row model

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.field, *self.aliases)}


def declared_columns(model: type[BaseModel]) -> tuple[Column, ...]:
    """The columns declared on a row model's fields, in field order, with field name and presence filled in."""
    out = []
    for name, info in model.model_fields.items():
        col = next((m for m in info.metadata if isinstance(m, Column)), None)
        if col is not None:
            required = info.is_required() if col.required is None else col.required
            db = (name if col.db is True else col.db) or ""
            out.append(replace(col, field=name, required=required, db=db))
    return tuple(out)


# The Stand column most kinds share: the date a row refers to, else the import date.
Stand = Annotated[
    OptionalDate,
    Column(
        "Stand",
        ("as of", "Datenstand"),
        "Datum, auf das sich die Zeile bezieht; fehlt es, gilt das Importdatum",
        "18.03.2025",
    ),
]


@dataclass(frozen=True)
class Problem:
    """One reason to reject a file: where (row, column), what was found and what is expected."""

    row: int | None
    column: str | None
    value: str | None
    reason: str
    expected: str = ""
    source: str | None = None  # the file's own name of the column, when a profile renamed it (profiles.apply)

    def column_text(self) -> str:
        """'Leistungsbezeichnung (→ Name)' for a renamed column, else the column."""
        if self.source and self.column:
            return f"{clip(self.source)} (→ {clip(self.column)})"
        return clip(self.column or "")

    def text(self) -> str:
        column = ""
        if self.source and self.column:
            column = f"Spalte „{clip(self.source)}“ (→ {clip(self.column)})"
        elif self.column:
            column = f"Spalte „{clip(self.column)}“"
        where = ", ".join(p for p in (f"Zeile {self.row}" if self.row else "", column) if p)
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
    """An import kind: its row model (which declares the columns), natural key and how rows become changes."""

    name: ClassVar[str]
    label: ClassVar[str]  # German, plural: "Angebote"
    table: ClassVar[str]
    row_model: ClassVar[type[Row]]
    columns: ClassVar[tuple[Column, ...]]  # read from row_model
    key_fields: ClassVar[tuple[str, ...]]
    sheet_names: ClassVar[tuple[str, ...]] = ("Daten",)  # a name ending in "*" matches sheets by prefix
    template_fields: ClassVar[tuple[str, ...]] = ()  # columns of the template; () = all
    header_rows: ClassVar[int] = 1  # > 1: the header may continue over that many rows (reading.MAX_HEADER_ROWS)
    # True when the kind writes what the availability summary is built from (data_access.summary: offers, regions).
    changes_reach: ClassVar[bool] = False
    intro: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "row_model" in cls.__dict__:
            cls.columns = declared_columns(cls.row_model)

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
                        f"Prüfung nach {num(MAX_PROBLEMS)} Problemen abgebrochen; ab hier wurden die Zeilen nicht "
                        "mehr geprüft",
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
            key = tuple(fold(getattr(p.row, f)) for f in self.key_fields)
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

    # --- the upsert planner: rows matched on their natural key become inserts, updates or nothing ---------------

    def stored(self, row: Row) -> dict[str, Any]:
        """The row's values of every stored column (database column → value), in declaration order."""
        return {c.db: getattr(row, c.field) for c in self.columns if c.db}

    def given(self, row: Row) -> set[str]:
        """The stored columns whose file column is present: only these change an existing row."""
        return {c.db for c in self.columns if c.db and c.field in row.model_fields_set}

    def labels(self) -> dict[str, str]:
        """Database column → the German name the preview shows for a change."""
        return {c.db: c.label or c.header for c in self.columns if c.db} | {"is_demo": "Beispieldaten"}

    def item(self, p: Parsed, match: Hashable, keys: dict[str, Any], **resolved: Any) -> Item:
        """A parsed row for `upsert`: `resolved` replaces stored values looked up in the database (ids)."""
        return Item(p, match, keys, self.stored(p.row) | resolved, self.given(p.row))

    def existing(
        self, session: Session, model, match: Callable[[Mapping], Hashable], *, pk: str = "id", keys: Iterable[str] = ()
    ) -> dict[Hashable, Mapping]:
        """The stored rows by `match` (the same as the items' match): primary key, keys, is_demo, compared columns."""
        names = dict.fromkeys([pk, *keys, "is_demo", *(c.db for c in self.columns if c.db)])
        cols = [getattr(model, n) for n in names if hasattr(model, n)]  # a side column is not in the table
        return {match(r): r for r in session.execute(select(*cols)).mappings()}

    def upsert(
        self,
        plan: Plan,
        model,
        items: Iterable[Item],
        existing: Mapping[Hashable, Mapping],
        prov: Provenance,
        *,
        pk: str = "id",
        side: tuple[str, ...] = (),
    ) -> Upsert:
        """Plan inserts and updates for rows matched on their natural key, and set `plan.write`.

        A new row gets every value; an existing row only the given ones (a missing optional column leaves the stored
        value unchanged), and a demo row becomes an imported one. `side` columns are compared and shown but stored
        elsewhere (the kind writes them, e.g. LeiKa links).
        """
        labels = self.labels()
        out = Upsert(model, pk)
        for it in items:
            r = it.parsed.row
            key = self.key_text(r)
            old = existing.get(it.match)
            meta = prov.values(r.stand)
            if old is None:
                out.inserts.append({**it.keys, **_without(it.values, side), **meta})
                out.new.append(it)
                plan.changes.append(RowChange(it.parsed.line, key, "neu"))
                continue
            vals = {c: x for c, x in it.values.items() if c in it.given}
            own = _without(vals, side)
            before = {c: comparable(old[c]) for c in own} | {"is_demo": old["is_demo"]}
            after = {c: comparable(x) for c, x in own.items()} | {"is_demo": False}
            before |= {c: old[c] for c in side if c in vals}
            after |= {c: vals[c] for c in side if c in vals}
            if before == after:
                plan.changes.append(RowChange(it.parsed.line, key, "unverändert"))
                continue
            plan.changes.append(RowChange(it.parsed.line, key, "geändert", differences(before, after, labels)))
            out.updates.append({pk: old[pk], **own, **meta})
            out.changed.append((it, old))
        plan.write = out.write
        return out


@dataclass(frozen=True)
class Item:
    """One parsed row for the upsert planner."""

    parsed: Parsed
    match: Hashable  # the key it is looked up by among the stored rows (folded where keys ignore case)
    keys: dict[str, Any]  # the key columns of an insert
    values: dict[str, Any]  # every compared column
    given: set[str]  # the compared columns the file gives


@dataclass
class Upsert:
    """The rows a plan inserts into and updates in one table, and what became of which item."""

    model: Any
    pk: str = "id"
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    new: list[Item] = field(default_factory=list)
    changed: list[tuple[Item, Mapping]] = field(default_factory=list)  # with the stored row

    def write(self, session: Session) -> None:
        bulk_insert(session, self.model, self.inserts)
        bulk_update(session, self.model, self.updates, key=self.pk)


def _without(values: dict[str, Any], side: tuple[str, ...]) -> dict[str, Any]:
    return {c: x for c, x in values.items() if c not in side} if side else values


def comparable(x: Any) -> Any:
    """Numeric columns come back as Decimal('7.5') or float on SQLite; compare by value."""
    return Decimal(str(x)).normalize() if isinstance(x, Decimal | float) else x


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


def _fmt_key(v: Any) -> str:
    return de_date(v) if isinstance(v, dt.date) else str(v)


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
        return de_date(v)
    if isinstance(v, tuple):
        return ", ".join(map(str, v))
    return as_written(v) if not isinstance(v, str) else v
