"""German display tables: the one home of every table a page shows and every download writes.

Each takes a frame from data_access.queries and returns a new frame with German headers from reports.labels (the
one glossary), shares in percent (0–100, so tables and CSV read like the legends) and Ja/Nein for flags. The
same table goes on screen and into the CSV/Excel download, so what people see is what they take away.
"""

from __future__ import annotations

import pandas as pd

from charts.pi import bv
from charts.pi import label as predictability_label
from charts.services import MATURITY_NAMES
from data_access import counting
from data_access.queries.eakte import MINISTRY_COLUMNS
from data_access.queries.services import MEASURES
from formatting import date, num
from reports.labels import LEVEL_SINGULAR, german, label

YES_NO = {True: "Ja", False: "Nein"}


def _percent(values: pd.Series) -> pd.Series:
    return (values.astype(float) * 100).round(1)


# --- Onlinedienste: Karte and Steckbrief -------------------------------------------------------------------------

# The ranking column of each map measure (query-param value of MEASURES).
TABLE_COLUMN = {key: label(column) for key, (column, _, _) in MEASURES.items()}


def ranking_table(df: pd.DataFrame, *, measure: str = "anzahl") -> pd.DataFrame:
    """The ranking shown beside the map, from an `availability` frame: best first, German column names.

    Rang counts within the whole level (ties share a rank); Rang in Vergleichsgruppe within the group.
    """
    column = MEASURES[measure][0]
    df = df.loc[~df["group"].isin(counting.UNINCORPORATED)]  # not municipalities: no rank
    out = pd.DataFrame(
        {
            "rank": df[column].rank(ascending=False, method="min").astype("Int64"),
            "rank_in_group": df.groupby("group")[column].rank(ascending=False, method="min").astype("Int64"),
            "name": df["name"],
            "unit_type": df["unit_type"],
            "group": df["group"],
            "kreis_name": df["kreis_name"],
            "ars": df["ars"],
            "n_services": df["n_services"].astype("Int64"),
            "n_focus": df["n_focus"].astype("Int64"),
            "share_focus": _percent(df["share_focus"]),
            "share_own": _percent(df["share_own"]),
        }
    )
    if "n_flaechendeckend" in df:
        out["n_flaechendeckend"] = df["n_flaechendeckend"].astype("Int64")
        out["n_mindestens_eine"] = df["n_mindestens_eine"].astype("Int64")
    if "per_100k" in df and df["per_100k"].notna().any():
        out["per_100k"] = df["per_100k"].round(1)
    if df["population"].notna().any():
        out["population"] = df["population"].astype("Int64")
    out = out.sort_values(["rank", "name"], na_position="last").reset_index(drop=True)
    return german(out, list(out.columns))


GAP_FIELDS = (
    "name",
    "themenfeld",
    "model",
    "is_focus",
    "responsible_level",
    "maturity_level",
    "who",
    "reusable",
    "peers_with",
    "peers",
    "share_peers",
    "status",
    "service_key",
)


def gap_table(df: pd.DataFrame) -> pd.DataFrame:
    """A `gaps` frame with German headers, Ja/Nein flags and the peer share in percent, for display and export."""
    out = df.assign(
        share_peers=_percent(df["share_peers"]),
        is_focus=df["is_focus"].map(YES_NO),
        reusable=df["reusable"].map(YES_NO),
        maturity_level=df["maturity_level"].astype("Int64"),
    )
    return german(out, GAP_FIELDS, entity="service")


WHERE_FIELDS = ("name", "ars", "unit_type", "kreis_name", "status", "offered_by")
WHERE_STATUS = {"live": "live", "geplant": "geplant oder in Umsetzung", "nicht angeboten": "nicht angeboten"}


def where_table(df: pd.DataFrame) -> pd.DataFrame:
    """A `search.where_available` frame for display and export: one row per Verwaltungseinheit, German headers."""
    out = df.assign(status=df["status"].map(WHERE_STATUS), offered_by=df["offered_by"].replace("", "–"))
    return german(out, WHERE_FIELDS)


def maturity_table(df: pd.DataFrame) -> pd.DataFrame:
    """`services.maturity` as the German table beside the chart: one row per model and level, unknown last."""
    level = df["maturity_level"]
    name = [
        "unbekannt" if pd.isna(lv) else (MATURITY_NAMES.get(int(lv), str(int(lv))) if m == "1.x" else f"{int(lv)}")
        for lv, m in zip(level, df["maturity_model"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "maturity_model": df["maturity_model"].fillna("–"),
            "maturity_level": name,
            "n_services": df["n_services"].astype(int),
            "n_focus": df["n_focus"].fillna(0).astype(int),
            "online": df["online"].map({True: "ja", False: "nein"}),
        }
    )
    return german(out, list(out.columns), entity="catalogue")


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """A unit's history (steckbrief.history) per quarter end."""
    return german(history, [f for f in ("date", "n_services", "n_focus") if f in history])


USAGE_FIELDS = (
    "service_name",
    "name",
    "ars",
    "level",
    "population",
    "live_since",
    "months",
    "transactions_window",
    "per_1000",
    "hardly_used",
    "service_key",
)
HARDLY_USED_TEXT = {True: "Ja", False: "Nein", None: "nicht beurteilt"}


def usage_month_table(df: pd.DataFrame) -> pd.DataFrame:
    """`usage.monthly` per month: Monat (as 03/2025), Anträge, Einheiten mit Meldung."""
    out = df.assign(month=[f"{m:%m/%Y}" for m in df["month"]], transactions=df["transactions"].astype(int))
    return german(out, ["month", "transactions", "units"])


def usage_table(df: pd.DataFrame) -> pd.DataFrame:
    """`usage.window` per service and offering unit: the use in the window, per 1.000 residents, kaum genutzt
    (Ja / Nein / nicht beurteilt), hardly used first, then the least used per resident."""
    order = df.assign(
        _rank=df["hardly_used"].map(lambda h: 0 if h is True else 1 if h is False else 2),
        _rel=df["per_1000"].fillna(float("inf")),
    ).sort_values(["_rank", "_rel", "transactions"])
    out = order.assign(
        population=order["population"].round().astype("Int64"),
        transactions_window=order["transactions"].astype(int),
        per_1000=order["per_1000"].astype(float).round(2),
        hardly_used=order["hardly_used"].map(lambda h: HARDLY_USED_TEXT[None if h is None or h != h else bool(h)]),
        live_since=order["live_since"].map(lambda d: date(d) if d else "–"),
        level=order["level"].map(LEVEL_SINGULAR),
    )
    return german(out.reset_index(drop=True), USAGE_FIELDS, entity="offering_unit")


# --- PI-Ziele ----------------------------------------------------------------------------------------------------


def programme_table(df: pd.DataFrame) -> pd.DataFrame:
    """Table alternative to the programme chart: one row per PI, newest first, German labels."""
    out = pd.DataFrame(
        {
            "pi_number": df["pi_number"].astype(int),
            "quarter": df["quarter"],
            "period": [f"{date(s)}–{date(e)}" for s, e in zip(df["start_date"], df["end_date"], strict=True)],
            "status": df["status"],
            "objectives": df["objectives"],
            "committed": df["committed"],
            "uncommitted": df["uncommitted"],
            "planned_bv_committed": [bv(v) for v in df["planned_bv_committed"]],
            "actual_bv": [bv(v) for v in df["actual_bv"]],
            "predictability": [
                predictability_label(v, s) for v, s in zip(df["predictability"], df["status"], strict=True)
            ],
        }
    )
    return german(out, list(out.columns)).iloc[::-1].reset_index(drop=True)


def team_table(df: pd.DataFrame, *, with_pi: bool = True) -> pd.DataFrame:
    """Per team of one PI (or all): counts, planned and actual BV and the predictability."""
    out = pd.DataFrame(
        {
            "pi_number": df["pi_number"].astype(int),
            "team": df["team"],
            "committed": df["committed"],
            "uncommitted": df["uncommitted"],
            "planned_bv_committed": [bv(v) for v in df["planned_bv_committed"]],
            "actual_bv": [bv(v) for v in df["actual_bv"]],
            "predictability": [
                predictability_label(v, s) for v, s in zip(df["predictability"], df["status"], strict=True)
            ],
        }
    ).reset_index(drop=True)
    fields = list(out.columns) if with_pi else list(out.columns)[1:]
    return german(out, fields)


def objectives_table(df: pd.DataFrame, *, display: bool = False) -> pd.DataFrame:
    """The drill-down list with German headings; the measure as 'B.1.1 – Titel'.

    display=True writes the BV as German text ('7,5', '–'); the download keeps numbers for spreadsheets.
    """
    measure = [
        f"{k} – {t}" if isinstance(k, str) else "" for k, t in zip(df["measure"], df["measure_title"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "objective_key": df["objective_key"],
            "team": df["team"].fillna("(ohne Team)"),
            "text": df["text"],
            "committed": ["ja" if c else "nein" for c in df["committed"]],
            "planned_bv": [bv(v) for v in df["planned_bv"]] if display else df["planned_bv"],
            "actual_bv": [bv(v) for v in df["actual_bv"]] if display else df["actual_bv"],
            "measure": measure,
        }
    )
    return german(out, list(out.columns))


def quality_summary(dq: pd.DataFrame) -> pd.DataFrame:
    """Number of findings per check, most frequent first."""
    counts = dq.groupby("check").size().sort_values(ascending=False)
    return german(
        pd.DataFrame({"check": counts.index, "count": [num(v) for v in counts.to_numpy()]}), ("check", "count")
    )


def quality_table(dq: pd.DataFrame) -> pd.DataFrame:
    """All findings with German headings."""
    out = pd.DataFrame(
        {
            "check": dq["check"],
            "pi_number": dq["pi_number"].astype(int),
            "team": dq["team"].fillna("–"),
            "objective_key": dq["objective_key"].fillna("–"),
            "text": dq["text"],
        }
    )
    return german(out, list(out.columns), entity="finding")


# --- eAkte -------------------------------------------------------------------------------------------------------


def users_table(series: pd.DataFrame, f: dict, milestones: pd.DataFrame) -> pd.DataFrame:
    """Table alternative of the users chart: actual values, forecast months and published figures."""
    ist = pd.DataFrame(
        {
            "Datum": series["snapshot_date"],
            "Art": "Ist (Daten)",
            "Nutzende": series["active_users"],
            "untere Grenze": None,
            "obere Grenze": None,
            "Bemerkung": "",
        }
    )
    line = f["line"]
    last = series["snapshot_date"].max() if not series.empty else None
    ahead = line[line["date"] > last] if last is not None and not line.empty else line
    prog = pd.DataFrame(
        {
            "Datum": ahead["date"],
            "Art": "Prognose",
            "Nutzende": ahead["trend"].round(0),
            "untere Grenze": ahead["lower"].round(0),
            "obere Grenze": ahead["upper"].round(0),
            "Bemerkung": "linearer Trend, keine Planung",
        }
    )
    pub = milestones[milestones["unit"].isin(("Nutzende", "Arbeitsplätze"))]
    pubt = pd.DataFrame(
        {
            "Datum": pub["date"],
            "Art": "veröffentlicht (" + pub["unit"] + ")",  # Arbeitsplätze are not Nutzende: the unit as published
            "Nutzende": pub["value"],
            "untere Grenze": None,
            "obere Grenze": None,
            "Bemerkung": pub["label"] + " – " + pub["source"],
        }
    )
    parts = [p for p in (ist, prog, pubt) if not p.empty]
    if not parts:
        return ist
    out = pd.concat(parts, ignore_index=True).sort_values(["Datum", "Art"])
    for col in ("Nutzende", "untere Grenze", "obere Grenze"):  # whole people, also in the CSV
        out[col] = pd.to_numeric(out[col]).round(0).astype("Int64")
    return out


AUTHORITY_FIELDS = (
    "code",
    "name",
    "ministry_code",
    "seat_ars",
    "status",
    "reason",
    "adoption",
    "active_users",
    "planned_workplaces",
    "planned_go_live",
    "go_live_date",
    "snapshot_date",
    "is_demo",
)
AUTHORITY_DATES = tuple(label(f) for f in ("planned_go_live", "go_live_date", "snapshot_date"))


def authority_table(df: pd.DataFrame) -> pd.DataFrame:
    """German, sortable table of the authorities; adoption in percent so the column sorts as a number."""
    out = df.assign(
        adoption=_percent(df["adoption"]),
        reason=["⚠ " + r if r else "" for r in df["reason"]],
        is_demo=df["is_demo"].map({True: "ja", False: "nein"}),
    )
    return german(out, AUTHORITY_FIELDS, entity="authority")


def ministry_table(df: pd.DataFrame) -> pd.DataFrame:
    """The Ressorts in the chart's order (most left to do first), shares in % beside the counts."""
    shares = {"adoption": _percent(df["adoption"]), "productive_share": _percent(df["productive_share"])}
    return german(df.assign(**shares), MINISTRY_COLUMNS)


# --- Strategie ---------------------------------------------------------------------------------------------------


def coverage_matrix(grid: pd.DataFrame) -> pd.DataFrame:
    """The coverage grid as the printed matrix for downloads: measures × '#1 …' columns, with totals.

    One row per measure row (Kapitel, Maßnahme, Titel, 1/0 per strategic measure, Summe) plus a last
    row 'Summe' counting the implementing measures per strategic measure.
    """
    if grid.empty:
        return pd.DataFrame()
    names = {n: f"#{n} {s}" for n, s in grid[["number", "short_name"]].drop_duplicates().itertuples(index=False)}
    total = label("total")
    wide = grid.pivot_table(
        index=["row_no", "section", "row_key", "title"], columns="number", values="linked", aggfunc="max"
    ).sort_index()
    wide = wide.rename(columns=names).reset_index().drop(columns="row_no")
    wide.columns.name = None
    cols = list(names.values())
    wide[total] = wide[cols].sum(axis=1)
    totals = {"section": "", "row_key": total, "title": "", **wide[cols + [total]].sum().to_dict()}
    wide = pd.concat([wide, pd.DataFrame([totals])], ignore_index=True)
    wide[cols + [total]] = wide[cols + [total]].astype(int)
    return wide.rename(columns={f: label(f) for f in ("section", "row_key", "title")})


def implementation_table(types: pd.DataFrame) -> pd.DataFrame:
    """Measures per implementation type, with the annex's wording of each."""
    return german(types.assign(items=types["items"].map("; ".join)), ("implementation_class", "measures", "items"))


def runtime_table(runtimes: pd.DataFrame, *, today) -> pd.DataFrame:
    """Measures with their runtime as the annex states it and the status on `today`."""
    fields = ("row_key", "title", "implementation", "runtime", "status")
    return german(runtimes, fields).rename(columns={label("status"): f"Status am {date(today)}"})


def strategic_detail_table(df: pd.DataFrame) -> pd.DataFrame:
    """The strategic measures a measure implements (Strategie detail)."""
    return german(df, [f for f in ("number", "domain", "short_name", "full_text") if f in df])


def measure_objectives_table(df: pd.DataFrame) -> pd.DataFrame:
    """The PI objectives that refer to one measure (Strategie detail)."""
    return german(df, [f for f in df.columns if f != "is_demo"])


def epics_table(df: pd.DataFrame) -> pd.DataFrame:
    """Epics with stage, owner and budget (Strategie: detail, board table, funnel table)."""
    return german(df, [f for f in df.columns if f not in ("is_demo", "has_real", "source", "as_of")])
